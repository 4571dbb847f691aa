// A static file server on 127.0.0.1 for the browser tests, the benchmark and the demo (a root
// folder, and /shared/... from the shared data folder when one is given).
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * Serves `root`, and `/shared/...` from `shared` (null: none), on 127.0.0.1 at `options.port`
 * (default 0: a free port); `/` serves `index.html`. Resolves with `{ server, url }`.
 */
export async function serveStatic(root, shared, options = {}) {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const fromShared = shared != null && url.pathname.startsWith('/shared/');
    const [base, rel] = fromShared ? [shared, url.pathname.slice(8)] : [root, url.pathname.slice(1)];
    const file = path.resolve(base, decodeURIComponent(rel) || 'index.html');
    if (!file.startsWith(path.resolve(base)) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    createReadStream(file).pipe(response);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}
