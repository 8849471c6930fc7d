// The workspace's text editor: CodeMirror 6, loaded only when `nano`, `vi`, `vim` or `edit` first
// opens a file. scripts/editor_web.mjs bundles this module and the CodeMirror packages it
// imports (pinned in package.json) into dist/editor/editor.mjs; src/ui/editor.rs imports that
// on demand and mounts it in the editor panel.
//
// What it adds to a plain CodeMirror: the lab's keys (Ctrl+S or nano's Ctrl+O saves, Esc or
// nano's Ctrl+X closes), highlighting by file type (Python, JSON), Tab that indents, and
// colours from the page's own palette (tok-* classes styled in public/styles.css), so light
// and dark follow the page.

import { EditorState } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  drawSelection, highlightSpecialChars,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  indentOnInput, bracketMatching, syntaxHighlighting, indentUnit,
} from "@codemirror/language";
import { classHighlighter } from "@lezer/highlight";
import { searchKeymap, highlightSelectionMatches, closeSearchPanel } from "@codemirror/search";
import { python } from "@codemirror/lang-python";
import { json } from "@codemirror/lang-json";

/** The language support for a file, by its name. */
function languageFor(path) {
  if (/\.py$/i.test(path)) return [python()];
  if (/\.json$/i.test(path)) return [json()];
  return [];
}

/**
 * Opens `text` (the file `path`, which holds `saved`: a draft kept from before differs, and
 * starts marked modified) in `parent`. `hooks.save(text)` is called on Ctrl+S,
 * `hooks.close()` on Esc, `hooks.changed(modified)` whenever the buffer starts or stops
 * differing from what was last saved. Returns a handle: `focus()`, `text()`, `saved(text)`
 * (the lab wrote it), `destroy()`.
 */
export function open(parent, path, text, hooks, saved = text) {
  let savedText = saved;
  let modified = false;
  const report = (doc) => {
    const now = doc !== savedText;
    if (now !== modified) {
      modified = now;
      hooks.changed(modified);
    }
  };
  const save = (view) => {
    hooks.save(view.state.doc.toString());
    return true;
  };
  const close = () => {
    hooks.close();
    return true;
  };
  // nano's Ctrl+X closes; with text selected it stays the browser's cut (on Linux and Windows).
  const closeUnlessSelected = (view) => view.state.selection.main.empty && close();
  // Esc closes the search panel first, when it is open; then the editor.
  const searchFirst = keymap.of([{ key: "Escape", run: closeSearchPanel }]);
  const labKeys = keymap.of([
    { key: "Mod-s", run: save, preventDefault: true },
    { key: "Ctrl-o", run: save, preventDefault: true },
    { key: "Escape", run: close },
    { key: "Ctrl-x", run: closeUnlessSelected },
  ]);
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        searchFirst,
        labKeys,
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        syntaxHighlighting(classHighlighter),
        indentUnit.of("    "),
        EditorState.tabSize.of(4),
        keymap.of([indentWithTab, ...defaultKeymap, ...historyKeymap, ...searchKeymap]),
        EditorView.contentAttributes.of({ "aria-label": `Editing ${path}` }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) report(update.state.doc.toString());
        }),
        ...languageFor(path),
      ],
    }),
  });
  report(text); // a draft starts modified
  return {
    focus: () => view.focus(),
    text: () => view.state.doc.toString(),
    saved: (written) => {
      savedText = written;
      report(view.state.doc.toString());
    },
    destroy: () => view.destroy(),
  };
}
