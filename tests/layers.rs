//! The layers only look down, and only the UI touches the browser. This test reads the sources
//! and fails on an import that breaks the rule, so a shortcut cannot creep in unnoticed.
//!
//! ```text
//!   ui > lessons > shell > cloud > engines
//! ```

use std::fs;
use std::path::{Path, PathBuf};

const LAYERS: &[&str] = &["engines", "cloud", "shell", "lessons", "ui"];
const BROWSER_CRATES: &[&str] =
    &["leptos", "leptos_router", "web_sys", "wasm_bindgen", "js_sys", "wasm_bindgen_futures"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn layers_only_look_down_and_only_the_ui_touches_the_browser() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    for (level, layer) in LAYERS.iter().enumerate() {
        let mut files = Vec::new();
        rust_files(&src.join(layer), &mut files);
        assert!(!files.is_empty(), "layer {layer} has no sources");
        for file in files {
            let text = fs::read_to_string(&file).expect("readable source");
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                for higher in &LAYERS[level + 1..] {
                    if code.contains(&format!("crate::{higher}")) {
                        problems.push(format!("{}:{}: {layer} uses crate::{higher}", file.display(), n + 1));
                    }
                }
                if *layer != "ui" {
                    for krate in BROWSER_CRATES {
                        if code.contains(&format!("{krate}::")) || code.contains(&format!("use {krate}")) {
                            problems.push(format!("{}:{}: {layer} uses {krate}", file.display(), n + 1));
                        }
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "layering violations:\n{}", problems.join("\n"));
}

/// The conformance adapters (`src/conform`) sit beside the layers: they put one engine behind a
/// line protocol, so they may use the engines and nothing above them.
#[test]
fn the_conformance_adapters_use_only_the_engines() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/conform"), &mut files);
    assert!(!files.is_empty(), "src/conform has no sources");
    let mut problems = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).expect("readable source");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for higher in &LAYERS[1..] {
                if code.contains(&format!("crate::{higher}")) {
                    problems.push(format!("{}:{}: conform uses crate::{higher}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
