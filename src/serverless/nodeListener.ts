import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { FetchHandler } from './handler.js';

/** Options of {@link createNodeListener}. */
export interface NodeListenerOptions {
  /** Sees errors of the adapter itself (the handler reports its own); default `console.error`. */
  onError?: (error: unknown) => void;
}

/**
 * A `node:http` request listener that serves a Fetch handler: the IncomingMessage becomes a
 * `Request` (body streamed), the `Response` is written back with backpressure.
 *
 * ```ts
 * http.createServer(createNodeListener(createHandler())).listen(8080);
 * ```
 */
export function createNodeListener(handler: FetchHandler, options: NodeListenerOptions = {}): RequestListener {
  const report = options.onError ?? ((error: unknown) => console.error('atomenv: internal error:', error));
  return (req, res) => {
    serve(handler, req, res).catch((error: unknown) => {
      report(error);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end('{"error":{"code":"INTERNAL_ERROR","message":"internal error"}}');
      } else {
        res.destroy();
      }
    });
  };
}

async function serve(handler: FetchHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // A body the handler did not read to the end (it refused the request early) is read and
  // discarded once the response is sent, as Node does by default, so that the client, which may
  // still be uploading, gets the response and the connection stays usable.
  res.once('finish', () => {
    if (!req.complete) {
      req.removeAllListeners('data');
      req.resume();
    }
  });
  const response = await handler(toRequest(req));
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  res.writeHead(response.status, headers);
  if (response.body === null || req.method === 'HEAD') {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  // A client that goes away stops the body stream.
  res.once('close', () => void reader.cancel().catch(() => undefined));
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (res.destroyed) return;
    if (!res.write(value)) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
  }
  res.end();
}

/** The Fetch `Request` of an IncomingMessage; only the path of `req.url` is used. */
function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  const path = req.url?.startsWith('/') === true ? req.url : '/';
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  if (method !== 'GET' && method !== 'HEAD') {
    init.body = bodyStream(req);
    init.duplex = 'half';
  }
  return new Request(`http://localhost${path}`, init);
}

/**
 * The request body as a web stream with backpressure. Cancelling it (the handler refused the
 * body) discards the rest of the upload instead of destroying the socket, so that the error
 * response still reaches the client.
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let open = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        if (!open) return;
        controller.enqueue(new Uint8Array(chunk));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once('end', () => {
        if (open) controller.close();
        open = false;
      });
      req.once('error', (error) => {
        if (open) controller.error(error);
        open = false;
      });
      req.pause();
    },
    pull() {
      req.resume();
    },
    cancel() {
      open = false;
      req.resume();
    },
  });
}
