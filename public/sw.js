// DB Lab's service worker: it makes the page cross-origin isolated on any static host.
//
// The lab's Python waits for the lab's answers on shared memory (SharedArrayBuffer), which a
// browser gives only to a cross-origin isolated page: one served with the headers
// Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp.
// `make serve` and the test server send them; a host that cannot (GitHub Pages, a plain
// bucket) gets them from here: this worker passes every same-origin response on with the
// headers added. index.html registers it only when the page is not isolated already, and
// reloads once so that the page itself comes through it.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (new URL(request.url).origin !== self.location.origin) return;
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(
    fetch(request).then((response) => {
      if (response.status === 0) return response;
      const headers = new Headers(response.headers);
      headers.set('Cross-Origin-Opener-Policy', 'same-origin');
      headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
      headers.set('Cross-Origin-Resource-Policy', 'same-origin');
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }),
  );
});
