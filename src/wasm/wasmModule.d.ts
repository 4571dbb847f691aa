/**
 * The SIMD wasm build as a compiled module, the way edge runtimes import `.wasm` files.
 * scripts/bundle.mjs resolves this name to an external `./atomenv.simd.wasm` import (Cloudflare
 * Workers) or `./atomenv.simd.wasm?module` (Vercel Edge) next to the bundle.
 */
declare module 'atomenv:wasm-module' {
  const module: WebAssembly.Module;
  export default module;
}
