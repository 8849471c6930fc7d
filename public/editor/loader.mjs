// Loads the workspace's editor (dist/editor/editor.mjs, bundled by scripts/editor_web.mjs) the
// first time a file is opened, and mounts it: src/ui/editor.rs calls these.

let loading = null;

/** Resolves to the editor's handle once it is mounted in `parent`: `text` in the buffer,
 *  `saved` what the file holds (they differ for a draft kept from before). */
export function editor_open(parent, path, text, saved, save, close, changed) {
  loading ??= import(new URL("editor/editor.mjs", document.baseURI).href);
  return loading.then((editor) => editor.open(parent, path, text, { save, close, changed }, saved));
}
