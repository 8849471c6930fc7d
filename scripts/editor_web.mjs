#!/usr/bin/env node
// Bundles the workspace's editor for the browser into OUT (Trunk's post-build hook:
// dist/editor/).
//
//     node scripts/editor_web.mjs OUT
//
// public/editor/editor.mjs imports CodeMirror's packages by name (pinned in package.json,
// installed by scripts/setup.sh); esbuild resolves them from node_modules/ and writes one
// minified ES module, OUT/editor.mjs, with the packages' licence notes at its end. The page
// imports it the first time a file is opened (public/editor/loader.mjs), so none of it is in
// the app's wasm or its first load.

import { build } from "esbuild";
import { statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const out = process.argv[2];
if (!out) {
  console.error("usage: node scripts/editor_web.mjs OUT");
  process.exit(2);
}
const outfile = join(out, "editor.mjs");
await build({
  entryPoints: [join(root, "public", "editor", "editor.mjs")],
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2022",
  legalComments: "eof",
  outfile,
  logLevel: "warning",
});
console.log(`editor: ${outfile} (${statSync(outfile).size} bytes)`);
