import type { CreatePoolOptions } from './createPool.js';
import { nodeWorkerSpawner } from './nodeWorkers.js';
import { createPoolWith, type Pool } from './pool.js';

/**
 * Starts a pool of worker threads (default: `os.availableParallelism()` of them), compiling the
 * wasm module once and sharing it. See {@link Pool} for compute, stream, faults and close.
 */
export function createPool(options: CreatePoolOptions = {}): Promise<Pool> {
  return createPoolWith(nodeWorkerSpawner(options.workerUrl), options);
}
