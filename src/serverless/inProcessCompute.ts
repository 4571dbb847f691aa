import { init } from '../wasm/loader.js';
import { type ComputeFn, runComputeJob } from './computeJob.js';
import { DescriptorCache } from './descriptorCache.js';

/** Options of {@link createInProcessCompute}. */
export interface InProcessComputeOptions {
  /** A compiled wasm module for `init` (edge runtimes cannot compile wasm from bytes). */
  module?: WebAssembly.Module;
  /** How many descriptor configs to keep built (default 8). */
  cacheSize?: number;
}

/**
 * The default {@link ComputeFn}: loads the wasm on the first job (`init`, once) and computes in
 * the calling thread.
 */
export function createInProcessCompute(options: InProcessComputeOptions = {}): ComputeFn {
  const descriptors = new DescriptorCache(options.cacheSize);
  const initOptions = options.module === undefined ? {} : { module: options.module };
  return async (job) => {
    await init(initOptions);
    return runComputeJob(job, descriptors);
  };
}
