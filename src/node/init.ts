import { init as initAnyRuntime, type InitOptions, type Runtime } from '../wasm/loader.js';
import { enableRelaxedSimd } from './relaxedSimdFlag.js';

/**
 * {@link initAnyRuntime | init} for Node. With `simd: 'relaxed'` it first turns on V8's relaxed-SIMD
 * flag when this Node needs it (Node 20), so the build with fused multiply-adds runs (W1 ~14 %
 * faster here). The flag is process-wide; `'auto'` (the default) never sets it.
 */
export async function init(options: InitOptions = {}): Promise<Runtime> {
  if (options.simd === 'relaxed' && options.module === undefined) enableRelaxedSimd();
  return initAnyRuntime(options);
}
