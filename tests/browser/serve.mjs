// A tiny static server for dist/: correct MIME types, no caching, and the single-page-app
// fallback (unknown paths without a file extension, such as /playground or
// /lessons/lab-basics, get index.html). Missing files with an extension are a real 404, so a
// missing asset (a favicon, a stylesheet) still shows up as an error in the browser tests.
//
//   node tests/browser/serve.mjs [dir=dist] [port=8123]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

async function isFile(p) {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/**
 * Serves `root` on host:port (port 0 = any free port; if `port` is taken, falls back to a free
 * one). Resolves to { url, port, close() }. `isolated: false` leaves out the cross-origin
 * isolation headers, as a plain static host would (the app's service worker adds them).
 */
export async function startServer({ root, port = 8123, host = '127.0.0.1', log = false, isolated = true } = {}) {
  const base = path.resolve(root);
  const indexHtml = path.join(base, 'index.html');
  if (!(await isFile(indexHtml))) {
    throw new Error(`static server: ${indexHtml} does not exist (build with trunk build --release first)`);
  }

  const server = createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      const url = new URL(req.url, 'http://localhost');
      let rel;
      try {
        rel = decodeURIComponent(url.pathname);
      } catch {
        res.writeHead(400).end('bad path');
        return;
      }
      let file = path.join(base, path.normalize(rel));
      if (file !== base && !file.startsWith(base + path.sep)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      if (!(await isFile(file))) {
        const index = path.join(file, 'index.html');
        if (rel.endsWith('/') && (await isFile(index))) {
          file = index;
        } else if (path.extname(rel) === '') {
          file = indexHtml; // single-page-app route
        } else {
          if (log) console.log(`404 ${req.url}`);
          res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
          return;
        }
      }
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': MIME[path.extname(file).toLowerCase()] || 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        // Cross-origin isolation, as `make serve` gives it: the lab's Python needs it.
        ...(isolated ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {}),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      if (log) console.log(`200 ${req.url} -> ${path.relative(base, file)}`);
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });

  const listen = (p) =>
    new Promise((resolve, reject) => {
      const onError = (err) => {
        server.off('listening', onListening);
        reject(err);
      };
      const onListening = () => {
        server.off('error', onError);
        resolve();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(p, host);
    });
  try {
    await listen(port);
  } catch (err) {
    if (err.code !== 'EADDRINUSE' || port === 0) throw err;
    await listen(0);
  }
  const actualPort = server.address().port;
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] || 'dist';
  const port = Number(process.argv[3] || 8123);
  const { url } = await startServer({ root, port, log: true });
  console.log(`serving ${path.resolve(root)} at ${url}`);
}
