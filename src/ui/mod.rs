//! The browser UI (Leptos). Compiled for wasm32 only.
