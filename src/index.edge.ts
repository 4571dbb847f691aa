/**
 * atomenv for edge runtimes (Cloudflare Workers, Vercel Edge): the runtime-neutral entry, with
 * an `init()` that uses the `.wasm` module imported beside the bundle (these runtimes cannot
 * compile wasm from bytes).
 */
export * from './index.js';
export { init } from './wasm/edgeInit.js';
