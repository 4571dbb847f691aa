/**
 * The serverless handler for edge runtimes (Cloudflare Workers, Vercel Edge): the default export
 * is a Workers module `{ fetch }` with the default limits, and {@link createHandler} defaults to
 * the `.wasm` module imported beside the bundle.
 */
import { wasmModule } from '../wasm/edgeInit.js';
import { createHandler as createFetchHandler, type FetchHandler, type HandlerOptions } from './handler.js';

export * from './index.js';

/** {@link createFetchHandler | createHandler}, computing with the imported wasm module unless `options.module` is given. */
export function createHandler(options: HandlerOptions = {}): FetchHandler {
  return createFetchHandler({ ...options, module: options.module ?? wasmModule });
}

const handler = createHandler();

/** A Cloudflare Workers module: `export { default } from 'atomenv/serverless'`. */
export default {
  fetch(request: Request): Promise<Response> {
    return handler(request);
  },
};
