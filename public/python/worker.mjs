// One Python program of the lab, in its own Web Worker: CPython 3.14 from Pyodide, with the
// real boto3, botocore and redis-py, and the lab's `_dblab` package between them and the lab.
//
// The page (public/python/host.mjs) boots a worker before it is needed, then hands it one
// program to run; when the program ends, the worker is thrown away (a program is a process:
// nothing of one run, an imported module or a cached credential, leaks into the next).
//
// Messages from the page:
//   {kind: 'boot', manifest, answers, interrupt, eager}
//                                                 load Python; `answers` is the shared buffer
//                                                 the page writes answers into, `interrupt`
//                                                 the one byte Ctrl+C sets (Pyodide reads it);
//                                                 `eager`: import boto3 and redis-py too (a
//                                                 spare, booted before a program wants it)
//   {kind: 'hurry'}                               a program waits for this boot: leave the
//                                                 imports not done yet to the program
//   {kind: 'run', launch}                         run a program (see _dblab/host.py)
// Messages to the page:
//   {kind: 'progress', loaded, total}   bytes of Python loaded so far (for "Starting Python")
//   {kind: 'ready'}                     booted: Python runs, with the lab's package imported
//                                       (and boto3 and redis-py too, for an eager boot)
//   {kind: 'failed', why}               could not boot
//   {kind: 'tell', text}                a message of the program that needs no answer (output)
//   {kind: 'ask', text}                 a request: the worker blocks until the page answers
//   {kind: 'more'}                      the rest of an answer too big for the buffer
//
// The one line to the lab is synchronous, as a socket read or a sleep is for a real program:
// the worker posts the request and waits on the shared buffer (Atomics.wait) for the page to
// write the answer. It waits in slices and checks for Ctrl+C between them, so a program
// blocked on the lab (a subscriber's listen()) is interrupted as promptly as a busy loop.

import { loadPyodide } from './pyodide.mjs';

const HERE = new URL('./', import.meta.url).href;
const SITE_PACKAGES = '/lib/python3.14/site-packages';
// The answer buffer's header: [state, length, request id] (Int32), then the bytes (the same
// layout as host.mjs writes).
const EMPTY = 0;
const COMPLETE = 1;
const PARTIAL = 2;
const SLICE_MS = 50;

let py = null;
let control = null;
let bytes = null;
// Milliseconds since the worker started, at each stage of the boot (the browser test reports them).
const timings = {};
const mark = (stage) => (timings[stage] = Math.round(performance.now()));

self.onmessage = (event) => {
  const message = event.data;
  if (message.kind === 'boot') {
    boot(message).then(
      () => self.postMessage({ kind: 'ready', timings }),
      (error) => self.postMessage({ kind: 'failed', why: String((error && error.message) || error) }),
    );
  } else if (message.kind === 'hurry') {
    hurry = true;
  } else if (message.kind === 'run') {
    run(message.launch);
  }
};

let hurry = false;
// Lets messages in between two stages of the boot (a 'hurry' may be waiting).
const breathe = () => new Promise((resolve) => setTimeout(resolve, 0));

// Fetches one of Python's big files, from the browser's cache when this build stored it there
// (a later start downloads them again not), counting bytes as they arrive.
async function load(name, cache, counted) {
  const url = HERE + name;
  let response = cache ? await cache.match(url) : undefined;
  const cached = !!response;
  if (cached && name.endsWith('.wasm')) {
    // Compiled from the cache's own response, the browser can keep the compiled code with it.
    counted(Number(response.headers.get('Content-Length')) || 0);
    return response;
  }
  if (!response) {
    response = await fetch(url);
    if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  }
  const reader = response.body.getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    size += value.length;
    counted(value.length);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    body.set(part, at);
    at += part.length;
  }
  if (cache && !cached) {
    // The type by name: a host may serve .wasm as anything, and compiling needs this one.
    const type = name.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream';
    const headers = { 'Content-Type': type, 'Content-Length': String(size) };
    await cache.put(url, new Response(body, { headers })).catch(() => {});
  }
  return body;
}

async function openCache(manifest) {
  if (!self.caches) return null;
  try {
    const name = `dblab-python-${manifest.pyodide}`;
    const cache = await caches.open(name);
    // Earlier builds' packages are dropped: only this manifest's files stay.
    for (const request of await cache.keys()) {
      const file = request.url.startsWith(HERE) ? request.url.slice(HERE.length) : '';
      if (!(file in manifest.files) && file !== bytecodeName(manifest)) await cache.delete(request);
    }
    // So are other Pyodide versions' caches (not the page's copy of the manifest, which a
    // start without a network reads: public/python/host.mjs).
    for (const key of await caches.keys()) {
      if (key.startsWith('dblab-python-') && key !== name && key !== 'dblab-python-manifest') await caches.delete(key);
    }
    return cache;
  } catch {
    return null;
  }
}

// The compiled packages this browser made at an earlier start (_dblab/bytecode.py).
const bytecodeName = (manifest) => `bytecode-${manifest.packages}`;

async function boot({ manifest, answers, interrupt, eager }) {
  control = new Int32Array(answers, 0, 3);
  bytes = new Uint8Array(answers, 12);
  const cache = await openCache(manifest);
  const names = Object.keys(manifest.files);
  const total = names.reduce((sum, name) => sum + manifest.files[name], 0);
  let loaded = 0;
  let shown = 0;
  const counted = (n) => {
    loaded += n;
    if (loaded - shown > 200_000 || loaded === total) {
      shown = loaded;
      self.postMessage({ kind: 'progress', loaded, total });
    }
  };
  const files = new Map();
  await Promise.all(names.map(async (name) => files.set(name, await load(name, cache, counted))));
  mark('downloaded');

  // Pyodide fetches its runtime and standard library itself: it gets the bytes just loaded.
  const realFetch = self.fetch.bind(self);
  self.fetch = (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input.url, HERE).href;
    const name = url.startsWith(HERE) ? url.slice(HERE.length) : '';
    if (files.has(name)) {
      const file = files.get(name);
      if (file instanceof Response) return Promise.resolve(file);
      const type = name.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream';
      return Promise.resolve(new Response(file, { headers: { 'Content-Type': type } }));
    }
    return realFetch(input, init);
  };
  const script = URL.createObjectURL(new Blob([files.get('pyodide.asm.mjs')], { type: 'text/javascript' }));
  const createPyodideModule = (await import(script)).default;
  URL.revokeObjectURL(script);
  py = await loadPyodide({
    indexURL: HERE,
    stdLibURL: HERE + manifest.stdlib,
    createPyodideModule,
    lockFileContents: new TextDecoder().decode(files.get('pyodide-lock.json')),
    // Until a program installs the lab's terminal, anything printed is Pyodide's own.
    stdout: (text) => console.log(text),
    stderr: (text) => console.warn(text),
  });
  mark('loaded');
  py.unpackArchive(files.get(manifest.packages), 'zip', { extractDir: SITE_PACKAGES });
  const bytecode = cache && (await cache.match(HERE + bytecodeName(manifest)));
  if (bytecode) {
    py.unpackArchive(new Uint8Array(await bytecode.arrayBuffer()), 'zip', { extractDir: SITE_PACKAGES });
  }
  mark('unpacked');
  py.setInterruptBuffer(new Uint8Array(interrupt));
  py.registerJsModule('_dblab_js', { ask, tell });
  // Imported now, in the background, so that a program starts at once when it comes.
  py.runPython(
    'import _dblab.host, _dblab_js\n' +
      'from _dblab import channel\n' +
      'channel.use(channel.Function(_dblab_js.ask, _dblab_js.tell))\n',
  );
  mark('lab');
  // What programs import, imported ahead (_dblab/bytecode.py's AHEAD), unless a program
  // waits: then it imports what it uses itself.
  const proxy = py.runPython('from _dblab.bytecode import AHEAD\nAHEAD');
  const ahead = proxy.toJs();
  proxy.destroy();
  for (const [stage, code] of ahead) {
    await breathe();
    if (!eager || hurry) return;
    py.runPython(code);
    mark(stage);
  }
  if (cache && !bytecode) {
    // Once, while the worker waits for a program: later starts import without compiling.
    setTimeout(() => cacheBytecode(cache, manifest), 200);
  }
}

async function cacheBytecode(cache, manifest) {
  if (ran) return;
  const made = py.runPython(`from _dblab import bytecode\nbytecode.bundle(${JSON.stringify(SITE_PACKAGES)})`);
  const zip = made.toJs();
  made.destroy();
  await cache.put(HERE + bytecodeName(manifest), new Response(zip)).catch(() => {});
}

function tell(text) {
  self.postMessage({ kind: 'tell', text });
}

// Sends request `id` and waits for the page's answer to it; Ctrl+C raises KeyboardInterrupt
// here. A late answer to an earlier request (one Ctrl+C interrupted) is skipped.
function ask(text, id) {
  Atomics.store(control, 0, EMPTY);
  self.postMessage({ kind: 'ask', text });
  // One decoder for all the pieces: a character may be cut between two.
  const decoder = new TextDecoder();
  let answer = '';
  for (;;) {
    while (Atomics.wait(control, 0, EMPTY, SLICE_MS) === 'timed-out') {
      py.checkInterrupt();
    }
    const state = Atomics.load(control, 0);
    const length = Atomics.load(control, 1);
    if (Atomics.load(control, 2) !== id) {
      Atomics.store(control, 0, EMPTY);
      continue;
    }
    // TextDecoder refuses views of shared memory: copy the bytes out first.
    answer += decoder.decode(bytes.slice(0, length), { stream: state === PARTIAL });
    if (state === COMPLETE) return answer;
    if (state !== PARTIAL) throw new Error(`the lab's answer buffer is in state ${state}`);
    Atomics.store(control, 0, EMPTY);
    self.postMessage({ kind: 'more' });
  }
}

let ran = false;

function run(launch) {
  ran = true;
  const globals = py.toPy({ launch: JSON.stringify(launch) });
  try {
    py.runPython('import json\nfrom _dblab import host\nhost.run(json.loads(launch))', { globals });
  } catch (error) {
    // The lab's own code failed (never the learner's: program.run reports those): say so
    // and end the program, as a crashed interpreter would.
    tell(JSON.stringify({ op: 'write', fd: 2, text: `python3: internal error: ${error.message}\n` }));
    tell(JSON.stringify({ op: 'exit', status: 1 }));
  } finally {
    globals.destroy();
  }
}
