//! Embeds every lesson file of `lessons/` into the binary, so adding a lesson is adding a file.
//! The browser's build embeds only their names: the app fetches the files themselves when it
//! starts (Trunk copies `lessons/` to `dist/course/`), which keeps the course's text out of
//! the wasm's size budget.

use std::{env, fs, path::Path};

fn main() {
    // Read at run time: a build script compiled once may serve several checkouts.
    let manifest_dir = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest_dir).join("lessons");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".md"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let embed = env::var("CARGO_CFG_TARGET_ARCH").map_or(true, |arch| arch != "wasm32");
    let mut out = String::from("pub static LESSON_FILES: &[(&str, &str)] = &[\n");
    for name in &names {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        if embed {
            out.push_str(&format!("    ({name:?}, include_str!({:?})),\n", path.display().to_string()));
        }
    }
    out.push_str("];\n");
    out.push_str(&format!("pub static LESSON_NAMES: &[&str] = &{names:?};\n"));
    let target = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("lesson_files.rs");
    fs::write(target, out).expect("write lesson_files.rs");
}
