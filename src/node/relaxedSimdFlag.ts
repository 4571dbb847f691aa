import { setFlagsFromString } from 'node:v8';
import { relaxedSimdSupported } from '../wasm/loader.js';

/**
 * Makes relaxed SIMD available to wasm compiled from now on in this process. Node 20's V8 (11.3)
 * has it behind `--experimental-wasm-relaxed-simd`, which Node refuses in NODE_OPTIONS; setting
 * the flag at run time before compiling works, and a module compiled so can be posted to workers.
 * Relaxed SIMD is standard from V8 11.4 (Node 22, Chromium ≥ 114), where this does nothing.
 * Returns whether relaxed SIMD validates afterwards.
 */
export function enableRelaxedSimd(): boolean {
  if (relaxedSimdSupported()) return true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return relaxedSimdSupported();
}
