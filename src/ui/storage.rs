//! Saving in the browser: the lab and lesson progress in `localStorage`; export and import of
//! the lab as a versioned JSON file (the lab inside it in the compact form of [`save`]).
//!
//! A save that cannot be restored (corrupted, or written by an older or newer DB Lab) is never
//! thrown away: it moves to a side key, the app starts a fresh lab, and a notice offers the old
//! data for download.

use super::state::{RejectedSave, Speed};
use crate::lessons::progress::Progress;
use crate::shell::lab::LAB_FORMAT_VERSION;
use crate::shell::session::SessionId;
use crate::shell::{save, Lab};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasm_bindgen::JsCast;

const LAB_KEY: &str = "dblab.lab";
const REJECTED_KEY: &str = "dblab.lab.rejected";
const PROGRESS_KEY: &str = "dblab.progress";
/// The `format` field that marks a DB Lab save file.
pub const FORMAT: &str = "dblab-lab";

/// A restored save: the lab plus a little UI state.
pub struct SavedLab {
    pub lab: Lab,
    pub active: SessionId,
    pub speed: Speed,
}

/// The envelope around the lab: a format name and version a person (or a future DB Lab) can
/// read, the UI state, and the lab itself in its compact saved form ([`save`]).
#[derive(Serialize, Deserialize)]
struct Envelope {
    format: String,
    version: u32,
    active: SessionId,
    speed: Speed,
    lab: String,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The save file's text, or why the lab could not be written.
pub fn to_json(lab: &Lab, active: SessionId, speed: Speed) -> Result<String, String> {
    let lab = save::encode(lab)?;
    let envelope = Envelope { format: FORMAT.into(), version: LAB_FORMAT_VERSION, active, speed, lab };
    serde_json::to_string(&envelope).map_err(|e| e.to_string())
}

/// Saves the lab, or says why it could not (a lab that cannot be written, a full storage); the
/// last good save then stays in place.
pub fn save_lab(lab: &Lab, active: SessionId, speed: Speed) -> Result<(), String> {
    let Some(s) = storage() else { return Ok(()) };
    let text = to_json(lab, active, speed)?;
    s.set_item(LAB_KEY, &text).map_err(|_| "the browser's storage for this site is full".to_string())
}

/// Reads a save file's text: the lab, or why it cannot be used.
pub fn parse_save(text: &str) -> Result<SavedLab, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("it is not valid JSON ({e})"))?;
    if value.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err("it is not a DB Lab save file".into());
    }
    let version = value.get("version").and_then(Value::as_u64).unwrap_or(0);
    if version > LAB_FORMAT_VERSION as u64 {
        return Err(format!(
            "it was written by a newer version of DB Lab (format {version}; this one reads format {LAB_FORMAT_VERSION})"
        ));
    }
    if version < LAB_FORMAT_VERSION as u64 {
        return Err(format!(
            "it was written by an older version of DB Lab (format {version}; this one reads format {LAB_FORMAT_VERSION})"
        ));
    }
    let envelope: Envelope = serde_json::from_value(value).map_err(|e| format!("its contents are damaged ({e})"))?;
    let lab = save::decode(&envelope.lab).map_err(|e| format!("its contents are damaged ({e})"))?;
    Ok(SavedLab { lab, active: envelope.active, speed: envelope.speed })
}

/// The saved lab: `Ok(None)` when there is none, `Err` when it could not be restored.
pub fn load_lab() -> Result<Option<SavedLab>, RejectedSave> {
    let Some(s) = storage() else { return Ok(None) };
    let Some(text) = s.get_item(LAB_KEY).ok().flatten() else { return Ok(None) };
    match parse_save(&text) {
        Ok(saved) => Ok(Some(saved)),
        Err(reason) => {
            // Keep the old data aside so the next autosave does not overwrite it.
            let _ = s.set_item(REJECTED_KEY, &text);
            let _ = s.remove_item(LAB_KEY);
            Err(RejectedSave { reason, raw: text })
        }
    }
}

pub fn load_progress() -> Progress {
    storage()
        .and_then(|s| s.get_item(PROGRESS_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

pub fn save_progress(progress: &Progress) {
    if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(progress)) {
        let _ = s.set_item(PROGRESS_KEY, &text);
    }
}

/// Offers `text` as a file download, of the given media type (`application/json`, `text/csv`).
pub fn download(file_name: &str, text: &str, media_type: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(anchor) = document.create_element("a") {
        if let Ok(anchor) = anchor.dyn_into::<web_sys::HtmlAnchorElement>() {
            anchor.set_href(&url);
            anchor.set_download(file_name);
            anchor.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// A small setting of the UI (the workspace's layout), or `None` when never saved.
pub fn load_setting(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

pub fn save_setting(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}
