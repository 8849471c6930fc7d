//! The lab's saved form: how a whole [`Lab`] becomes text for `localStorage` and export files,
//! and back.
//!
//! The lab is written with postcard (a compact binary serde format: fields in declaration
//! order, integers as varints, no field names) and the bytes are carried as base64. Compared
//! with JSON the save is several times smaller, and, because the format never describes
//! itself, the code that reads it is much smaller too: that matters in a browser download.
//! The UI wraps this text in a small JSON envelope with a format name and version
//! (`ui::storage`); a change to any saved type's fields needs a new
//! [`LAB_FORMAT_VERSION`](super::lab::LAB_FORMAT_VERSION).

use super::Lab;
use crate::engines::dynamo::base64;

/// The lab as base64 text.
pub fn encode(lab: &Lab) -> String {
    // Serialising plain data to a Vec cannot fail: every saved sequence knows its length.
    base64::encode(&postcard::to_allocvec(lab).unwrap_or_default())
}

/// The lab `text` holds, or why it cannot be read (in words for a notice).
pub fn decode(text: &str) -> Result<Lab, String> {
    let bytes = base64::decode(text).map_err(|e| format!("the lab is not base64 text: {e}"))?;
    let (lab, rest) = postcard::take_from_bytes::<Lab>(&bytes).map_err(|e| e.to_string())?;
    if !rest.is_empty() {
        return Err(format!("{} bytes follow the lab", rest.len()));
    }
    Ok(lab)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::time::Timestamp;

    #[test]
    fn an_empty_lab_round_trips() {
        let lab = Lab::new(7, Timestamp(0));
        assert_eq!(decode(&encode(&lab)), Ok(lab));
    }

    #[test]
    fn what_is_not_a_lab_is_refused() {
        let text = encode(&Lab::new(7, Timestamp(0)));
        assert!(decode("not base64!").is_err());
        assert!(decode(&text[..text.len() / 2 / 4 * 4]).is_err(), "a cut save");
        let mut bytes = base64::decode(&text).unwrap();
        bytes.push(0);
        assert!(decode(&base64::encode(&bytes)).is_err(), "trailing bytes");
    }
}
