import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.extxyz': 'text/plain',
  '.json': 'application/json',
};

/**
 * Serves `root` on 127.0.0.1 (a free port), and `/shared/...` from `shared`, for browser tests.
 * Returns the server and its base URL.
 */
export async function serveStatic(root: string, shared: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const [base, rel] = url.pathname.startsWith('/shared/') ? [shared, url.pathname.slice('/shared/'.length)] : [root, url.pathname.slice(1)];
    const file = path.resolve(base, decodeURIComponent(rel));
    if (!file.startsWith(path.resolve(base)) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, url: `http://127.0.0.1:${address.port}` };
}
