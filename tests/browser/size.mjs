// Size report for a Trunk build: raw, gzip -9 and brotli (quality 11) sizes of the wasm, JS
// and CSS files in dist/. Fails when the app's first-load wasm (dblab-<hash>_bg.wasm) is over
// budget (DESIGN.md: at most 1.2 MB brotli, counted strictly as 1,200,000 bytes), or when
// what is loaded only when first used is over its own: the wasm chunks split off the app
// (the console: scripts/wasm_build.sh) at most 400 KB brotli with their loader; Python
// (dist/python/, every file) at most 9 MB; the editor (dist/editor/) at most 150 KB.
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
const CHUNKS_BROTLI_BUDGET = 400_000;
/** A chunk split off the app's wasm, or the loader that fetches one. */
const isChunk = (f) => (/\.wasm$/.test(f) && !/_bg\.wasm$/.test(f)) || /^split-[0-9a-f]{16}\.js$/.test(path.basename(f));
const dir = path.resolve(process.argv[2] || 'dist');

function walk(d) {
  return readdirSync(d).flatMap((name) => {
    const p = path.join(d, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

let files;
let chunkFiles;
try {
  const all = walk(dir)
    .filter((f) => ![PYTHON_DIR, EDITOR_DIR].includes(path.relative(dir, f).split(path.sep)[0]))
    .filter((f) => /\.(wasm|js|mjs|css)$/.test(f))
    .sort();
  files = all.filter((f) => !isChunk(f));
  chunkFiles = all.filter(isChunk);
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
  `\nfirst-load wasm brotli: ${wasmBrotli} bytes (${kb(wasmBrotli)}) of a ${WASM_BROTLI_BUDGET} byte budget ` +
    `(${((100 * wasmBrotli) / WASM_BROTLI_BUDGET).toFixed(1)}%): ${verdict}`,
);

/**
 * Reports a folder the app fetches only when first used (brotli is what a server would send
 * for each file) against its budget; returns whether it is within it.
 */
function reportLazy(folder, label, budget, madeBy) {
  let names = [];
  try {
    names = walk(path.join(dir, folder)).sort();
  } catch {
    console.error(`size: no ${folder}/ in ${dir} (Trunk's post-build hook, ${madeBy}, makes it)`);
    process.exit(1);
  }
  return reportFiles(names, label, budget);
}

function reportFiles(names, label, budget) {
  const lazyRows = names.map(measure);
  console.log('');
  console.log(line(`${label} (loaded when first used)`, 'raw', 'gzip -9', 'brotli'));
  for (const r of lazyRows) console.log(line(r.file, kb(r.raw), kb(r.gzip), kb(r.brotli)));
  const brotli = total('brotli', lazyRows);
  console.log(line(`${label} total`, kb(total('raw', lazyRows)), kb(total('gzip', lazyRows)), kb(brotli)));
  const within = brotli <= budget;
  console.log(
    `\n${label} brotli: ${brotli} bytes of a ${budget} byte budget ` +
      `(${((100 * brotli) / budget).toFixed(1)}%): ${within ? 'ok' : 'OVER BUDGET'}`,
  );
  return within;
}

// The chunks: the console's code, fetched when the console is first opened.
if (chunkFiles.length === 0) {
  console.error(`size: no wasm chunks in ${dir} (scripts/wasm_build.sh splits them off)`);
  process.exit(1);
}
const chunksWithin = reportFiles(chunkFiles, 'chunks', CHUNKS_BROTLI_BUDGET);
// Python: everything the worker fetches. The editor: CodeMirror, bundled, fetched when a file
// is first opened.
const pythonWithin = reportLazy(PYTHON_DIR, 'python', PYTHON_BROTLI_BUDGET, 'scripts/python_web.py');
const editorWithin = reportLazy(EDITOR_DIR, 'editor', EDITOR_BROTLI_BUDGET, 'scripts/editor_web.mjs');
if (wasmBrotli > WASM_BROTLI_BUDGET || !chunksWithin || !pythonWithin || !editorWithin) {
  process.exit(1);
}
