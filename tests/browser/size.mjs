// Size report for a Trunk build: raw, gzip -9 and brotli (quality 11) sizes of the wasm, JS
// and CSS files in dist/. Fails when the app's wasm is over budget (DESIGN.md: at most 1.2 MB
// brotli, counted strictly as 1,200,000 bytes), or when Python, loaded only when first used
// (dist/python/, every file), is over its own: at most 9 MB brotli; or when the editor, also
// loaded on first use (dist/editor/), is over 150 KB brotli.
//
//   node tests/browser/size.mjs [dir=dist]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const WASM_BROTLI_BUDGET = 1_200_000;
const PYTHON_BROTLI_BUDGET = 9_000_000;
const PYTHON_DIR = 'python';
const EDITOR_BROTLI_BUDGET = 150_000;
const EDITOR_DIR = 'editor';
const dir = path.resolve(process.argv[2] || 'dist');

function walk(d) {
  return readdirSync(d).flatMap((name) => {
    const p = path.join(d, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

let files;
try {
  files = walk(dir)
    .filter((f) => ![PYTHON_DIR, EDITOR_DIR].includes(path.relative(dir, f).split(path.sep)[0]))
    .filter((f) => /\.(wasm|js|mjs|css)$/.test(f))
    .sort();
} catch (err) {
  console.error(`size: cannot read ${dir}: ${err.message}`);
  process.exit(1);
}
const wasm = files.filter((f) => f.endsWith('.wasm'));
if (wasm.length === 0) {
  console.error(`size: no .wasm file in ${dir}`);
  process.exit(1);
}

const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
const measure = (f) => {
  const data = readFileSync(f);
  return {
    file: path.relative(dir, f),
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        ...(f.endsWith('.wasm') ? {} : { [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT }),
      },
    }).length,
  };
};
const rows = files.map(measure);

const width = Math.max(4, ...rows.map((r) => r.file.length));
const line = (a, b, c, d) => `${a.padEnd(width)}  ${b.padStart(12)}  ${c.padStart(12)}  ${d.padStart(12)}`;
console.log(line('file', 'raw', 'gzip -9', 'brotli'));
for (const r of rows) console.log(line(r.file, kb(r.raw), kb(r.gzip), kb(r.brotli)));
const total = (key, list) => list.reduce((s, r) => s + r[key], 0);
const wasmRows = rows.filter((r) => r.file.endsWith('.wasm'));
console.log(line('total', kb(total('raw', rows)), kb(total('gzip', rows)), kb(total('brotli', rows))));

const wasmBrotli = total('brotli', wasmRows);
const verdict = wasmBrotli <= WASM_BROTLI_BUDGET ? 'ok' : 'OVER BUDGET';
console.log(
  `\nwasm brotli: ${wasmBrotli} bytes (${kb(wasmBrotli)}) of a ${WASM_BROTLI_BUDGET} byte budget ` +
    `(${((100 * wasmBrotli) / WASM_BROTLI_BUDGET).toFixed(1)}%): ${verdict}`,
);

// Python: everything the worker fetches (brotli is what a server would send for each file).
let pythonFiles = [];
try {
  pythonFiles = walk(path.join(dir, PYTHON_DIR)).sort();
} catch {
  console.error(`size: no ${PYTHON_DIR}/ in ${dir} (Trunk's post-build hook, scripts/python_web.py, makes it)`);
  process.exit(1);
}
const pythonRows = pythonFiles.map(measure);
console.log('');
console.log(line('python (loaded when first used)', 'raw', 'gzip -9', 'brotli'));
for (const r of pythonRows) console.log(line(r.file, kb(r.raw), kb(r.gzip), kb(r.brotli)));
const pythonBrotli = total('brotli', pythonRows);
console.log(line('python total', kb(total('raw', pythonRows)), kb(total('gzip', pythonRows)), kb(pythonBrotli)));
const pythonVerdict = pythonBrotli <= PYTHON_BROTLI_BUDGET ? 'ok' : 'OVER BUDGET';
console.log(
  `\npython brotli: ${pythonBrotli} bytes of a ${PYTHON_BROTLI_BUDGET} byte budget ` +
    `(${((100 * pythonBrotli) / PYTHON_BROTLI_BUDGET).toFixed(1)}%): ${pythonVerdict}`,
);

// The editor: CodeMirror, bundled (scripts/editor_web.mjs), fetched when a file is first opened.
let editorFiles = [];
try {
  editorFiles = walk(path.join(dir, EDITOR_DIR)).sort();
} catch {
  console.error(`size: no ${EDITOR_DIR}/ in ${dir} (Trunk's post-build hook, scripts/editor_web.mjs, makes it)`);
  process.exit(1);
}
const editorRows = editorFiles.map(measure);
console.log('');
console.log(line('editor (loaded when first used)', 'raw', 'gzip -9', 'brotli'));
for (const r of editorRows) console.log(line(r.file, kb(r.raw), kb(r.gzip), kb(r.brotli)));
const editorBrotli = total('brotli', editorRows);
const editorVerdict = editorBrotli <= EDITOR_BROTLI_BUDGET ? 'ok' : 'OVER BUDGET';
console.log(
  `\neditor brotli: ${editorBrotli} bytes of a ${EDITOR_BROTLI_BUDGET} byte budget ` +
    `(${((100 * editorBrotli) / EDITOR_BROTLI_BUDGET).toFixed(1)}%): ${editorVerdict}`,
);
if (wasmBrotli > WASM_BROTLI_BUDGET || pythonBrotli > PYTHON_BROTLI_BUDGET || editorBrotli > EDITOR_BROTLI_BUDGET) {
  process.exit(1);
}
