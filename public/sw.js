// DB Lab's service worker: it makes the page cross-origin isolated on any static host, and lets
// the app (Python included) start again without a network.
//
// Isolation. The lab's Python waits for the lab's answers on shared memory (SharedArrayBuffer),
// which a browser gives only to a cross-origin isolated page: one served with the headers
// Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp.
// `make serve` and the test server send them; a host that cannot (GitHub Pages, a plain
// bucket) gets them from here: this worker passes every same-origin response on with the
// headers added. index.html registers it, and reloads once when the page was not isolated, so
// that the page itself comes through it.
//
// Offline. Every same-origin GET goes to the network first, so a new build is seen at once;
// what it answers is kept in the 'dblab-app' cache, and when the network fails the copy
// answers (a page of the app is index.html under any path). Python's files are kept by its
// worker in its own cache (public/python/worker.mjs), so they are not copied here, but are
// found there the same way. Once a new build is kept whole, the older build's hashed files go.
const APP_CACHE = 'dblab-app';
// A build's files carry a hash of its content: Trunk names dblab-<hash>.js,
// dblab-<hash>_bg.wasm and styles-<hash>.css, and scripts/wasm_build.sh gives the wasm's
// lazily loaded chunks and their loader the wasm's hash (console-<hash>.wasm).
const HASHED = /-([0-9a-f]{16})(_bg)?\.(js|wasm|css)$/;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

/** The response with the isolation headers added. */
function isolated(response) {
  if (response.status === 0) return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** Whether Python keeps this file itself: its worker keeps what the manifest names (the
 *  interpreter, the packages, the standard library), the page keeps the manifest. The
 *  worker's scripts, its own and the Pyodide loader it imports, are the app's to keep. */
const PYTHON_SCRIPTS = ['/python/worker.mjs', '/python/pyodide.mjs'];
function keptByPython(url) {
  return url.pathname.startsWith('/python/') && !PYTHON_SCRIPTS.includes(url.pathname);
}

/** The hashed files a page of the app names (its wasm, its script, its styles). */
function namedBy(html) {
  return [...html.matchAll(/["'(]\/?([^"'()]*-[0-9a-f]{16}(?:_bg)?\.(?:js|wasm|css))/g)].map((m) => m[1].split('/').pop());
}

/** Removes the copies of an older build's hashed files, once every file the new page names
 *  is kept (until then the older build is the one that can start offline). A file of the new
 *  build that the page does not name (a chunk fetched when the console opens) shares the
 *  hash of one it names, and stays. */
async function dropOldBuilds(cache, html) {
  const named = namedBy(html);
  const hashes = new Set(named.map((name) => name.match(HASHED)?.[1]));
  const keys = await cache.keys();
  const kept = new Set(keys.map((request) => new URL(request.url).pathname.split('/').pop()));
  if (!named.length || !named.every((name) => kept.has(name))) return;
  for (const request of keys) {
    const hash = new URL(request.url).pathname.match(HASHED)?.[1];
    if (hash && !hashes.has(hash)) await cache.delete(request);
  }
}

/** Keeps a copy of what the network answered (once the page has it: nothing waits on this). */
async function keep(request, response) {
  const cache = await caches.open(APP_CACHE);
  if (request.mode !== 'navigate') {
    await cache.put(request, response.clone());
    // The new build's files arriving may complete it: then the older build's copies go.
    const page = HASHED.test(new URL(request.url).pathname) && (await cache.match('/'));
    if (page) await dropOldBuilds(cache, await page.text());
    return;
  }
  // A page of the app is one document under every path, kept once as '/'; a document that
  // is not the app's page (a lesson's markdown opened in a tab) is not kept as it.
  const html = await response.clone().text();
  const type = response.headers.get('Content-Type') || '';
  if (!type.includes('text/html') || !/_bg\.wasm/.test(html)) return;
  await cache.put('/', response);
  await dropOldBuilds(cache, html);
}

async function fromCache(request) {
  const copy =
    request.mode === 'navigate'
      ? await caches.match('/', { cacheName: APP_CACHE })
      : await caches.match(request, { ignoreSearch: true });
  if (!copy) throw new TypeError(`offline, and ${request.url} was never fetched`);
  return copy;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  const answer = fetch(request).then(
    (response) => {
      // Whole answers to GETs (a part of a file, 206, is not the file).
      if (request.method === 'GET' && response.status === 200 && !keptByPython(url) && !request.headers.has('Range')) {
        event.waitUntil(keep(request, response.clone()).catch(() => {}));
      }
      return response;
    },
    (error) => (request.method === 'GET' ? fromCache(request) : Promise.reject(error)),
  );
  event.respondWith(answer.then(isolated));
});
