// The page's side of the lab's Python: it keeps a booted worker ready, gives each program a
// worker of its own, and carries messages between the workers (public/python/worker.mjs) and
// the lab (src/ui/python.rs, which answers every request exactly as the native runtime does).
//
// Everything the lab hears is one JSON text per message, with an `op`: the program's own
// requests and output (`write`, `input`, `aws`, `recv`, `exit`, ...), and this file's reports
// on a program that is still starting: `starting` (bytes loaded of all), `started`, `failed`.
// They are delivered from a microtask, never from inside a call the lab made into this file;
// and no call into this file throws: a failure is reported as a message.

// The answer buffer: [state, length, request id] (Int32), then 1 MiB of bytes at a time; a
// bigger answer goes in pieces (the same layout as worker.mjs reads).
const CAPACITY = 1 << 20;
const EMPTY = 0;
const COMPLETE = 1;
const PARTIAL = 2;
const SIGINT = 2;
const MANIFEST = '/python/manifest.json';
// A boot that shows no progress for this long has failed (a stalled download, a runtime that
// never comes up), so the next program does not wait on it for ever.
const STALLED_MS = 90_000;

let toLab = null;
let spare = null;
const running = new Map();
// For whoever measures (the browser test): whether the next program finds Python booted.
self.__dblabPythonSpareReady = () => spare !== null && spare.state === 'ready';

// Messages wait here, in order, until delivered together: at once (in a microtask) when one
// needs the lab now (a request), else within a frame, so a program printing a line at a time
// as fast as it can costs the page a few renders a second, not one a line. Adjacent output of
// one program to one stream is joined into one message.
const queue = [];
let timer = null;
let soon = false;

function tellLab(session, message) {
  const text = typeof message === 'string' ? message : JSON.stringify(message);
  queue.push([session, text]);
  const output = text.startsWith('{"op":"write"');
  if (!output && !soon) {
    soon = true;
    queueMicrotask(deliver);
  } else if (!timer) {
    timer = setTimeout(deliver, 16);
  }
}

function deliver() {
  soon = false;
  clearTimeout(timer);
  timer = null;
  let joined = null;
  const flush = () => {
    if (joined) toLab && toLab(joined.session, JSON.stringify(joined.message));
    joined = null;
  };
  for (const [session, text] of queue.splice(0)) {
    if (text.startsWith('{"op":"write"')) {
      const message = JSON.parse(text);
      if (joined && joined.session === session && joined.message.fd === message.fd) {
        joined.message.text += message.text;
        continue;
      }
      flush();
      joined = { session, message };
      continue;
    }
    flush();
    if (toLab) toLab(session, text);
  }
  flush();
}

// Why Python cannot run in this page, or '' when it can. A worker waits for the lab's answers
// on shared memory, which browsers give only to cross-origin isolated pages.
export function python_unavailable() {
  if (typeof Worker !== 'function') return 'this browser has no Web Workers';
  if (typeof SharedArrayBuffer !== 'function' || !self.crossOriginIsolated) {
    return 'this page is not cross-origin isolated (reload it once so its service worker can isolate it)';
  }
  return '';
}

// `callback(session, text)` receives every message for the lab.
export function python_init(callback) {
  toLab = callback;
}

// The manifest of this build's Python (file names and sizes), from the network, or from the
// cache when offline.
async function manifest() {
  const cache = self.caches ? await caches.open('dblab-python-manifest').catch(() => null) : null;
  try {
    const response = await fetch(MANIFEST, { cache: 'no-cache' });
    if (!response.ok) throw new Error(`${MANIFEST}: HTTP ${response.status}`);
    if (cache) await cache.put(MANIFEST, response.clone()).catch(() => {});
    return await response.json();
  } catch (error) {
    const cached = cache && (await cache.match(MANIFEST));
    if (cached) return cached.json();
    throw error;
  }
}

function boot(eager) {
  const answers = new SharedArrayBuffer(12 + CAPACITY);
  const interrupt = new SharedArrayBuffer(1);
  const w = {
    worker: new Worker('/python/worker.mjs', { type: 'module', name: 'python' }),
    control: new Int32Array(answers, 0, 3),
    bytes: new Uint8Array(answers, 12),
    interrupt: new Uint8Array(interrupt),
    state: 'booting',
    session: null,
    launch: null,
    rest: null,
    restId: 0,
    stalled: null,
    loaded: 0,
    total: 0,
    why: '',
  };
  w.worker.onmessage = (event) => fromWorker(w, event.data);
  watch(w);
  w.worker.onerror = (event) => {
    event.preventDefault();
    failed(w, event.message || 'the Python worker could not start');
  };
  manifest().then(
    (m) => w.worker.postMessage({ kind: 'boot', manifest: m, answers, interrupt, eager }),
    (error) => failed(w, `cannot load Python: ${error.message}`),
  );
  return w;
}

// (Re)starts the clock a boot must show progress within.
function watch(w) {
  clearTimeout(w.stalled);
  w.stalled = setTimeout(() => failed(w, 'Python did not start (no progress for 90 seconds)'), STALLED_MS);
}

function failed(w, why) {
  if (w.state === 'failed') return;
  w.state = 'failed';
  w.why = why;
  w.worker.terminate();
  if (spare === w) spare = null;
  if (w.session !== null) tellLab(w.session, { op: 'failed', why });
}

function fromWorker(w, message) {
  switch (message.kind) {
    case 'progress':
      watch(w);
      w.loaded = message.loaded;
      w.total = message.total;
      if (w.session !== null) tellLab(w.session, { op: 'starting', loaded: w.loaded, total: w.total });
      break;
    case 'ready':
      clearTimeout(w.stalled);
      // How long each stage of the boot took, for whoever measures (the browser test).
      self.__dblabPythonBoots = [...(self.__dblabPythonBoots || []), message.timings];
      w.state = 'ready';
      if (w.session !== null) launch(w);
      break;
    case 'failed':
      failed(w, message.why);
      break;
    case 'ask':
      // A new request: what was left of an earlier answer is for a request given up.
      w.rest = null;
      if (w.session !== null) tellLab(w.session, message.text);
      break;
    case 'tell':
      if (w.session !== null) tellLab(w.session, message.text);
      break;
    case 'more':
      write(w, w.restId, w.rest);
      break;
  }
}

function launch(w) {
  w.state = 'running';
  w.worker.postMessage({ kind: 'run', launch: JSON.parse(w.launch) });
  tellLab(w.session, { op: 'started' });
  // The next program (another tab, the next run) finds Python ready.
  python_prewarm();
}

// Boots a worker in the background, if none is ready or booting.
export function python_prewarm() {
  try {
    if (!spare && !python_unavailable()) spare = boot(true);
  } catch (error) {
    console.warn(`DB Lab: cannot start Python in the background: ${error.message}`);
  }
}

// Runs the program `launch` (a JSON text: _dblab/host.py's launch) for terminal `session`.
export function python_start(session, launchText) {
  let w;
  try {
    // No spare: this program waits for the boot, which leaves the imports to the program.
    w = spare || boot(false);
  } catch (error) {
    tellLab(session, { op: 'failed', why: `cannot start Python: ${error.message}` });
    return;
  }
  spare = null;
  w.session = session;
  w.launch = launchText;
  running.set(session, w);
  switch (w.state) {
    case 'ready':
      launch(w);
      break;
    case 'failed':
      tellLab(session, { op: 'failed', why: w.why });
      break;
    default:
      // Still booting: it leaves what it would import ahead to the program.
      w.worker.postMessage({ kind: 'hurry' });
      tellLab(session, { op: 'starting', loaded: w.loaded, total: w.total });
  }
}

// The lab's answer to the program's request `id`.
export function python_reply(session, id, text) {
  const w = running.get(session);
  if (w) write(w, id, new TextEncoder().encode(text));
}

function write(w, id, all) {
  if (!all) return;
  const piece = all.subarray(0, CAPACITY);
  w.rest = all.length > CAPACITY ? all.subarray(CAPACITY) : null;
  w.restId = id;
  w.bytes.set(piece);
  Atomics.store(w.control, 1, piece.length);
  Atomics.store(w.control, 2, id);
  Atomics.store(w.control, 0, w.rest ? PARTIAL : COMPLETE);
  Atomics.notify(w.control, 0);
}

// Ctrl+C: KeyboardInterrupt in the program (a program still starting just ends).
export function python_interrupt(session) {
  const w = running.get(session);
  if (!w) return;
  if (w.state === 'running') {
    w.interrupt[0] = SIGINT;
    return;
  }
  running.delete(session);
  if (w.state === 'booting' && !spare && w.loaded > 0) {
    // Still starting, and getting on with it: it goes on booting for the next program.
    w.session = null;
    spare = w;
  } else {
    w.worker.terminate();
  }
  tellLab(session, { op: 'exit', status: 130 });
}

// The program of `session` ended (or its terminal closed): its worker goes.
export function python_stop(session) {
  const w = running.get(session);
  if (!w) return;
  running.delete(session);
  w.worker.terminate();
}
