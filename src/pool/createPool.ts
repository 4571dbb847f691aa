import { browserWorkerSpawner } from './browserWorkers.js';
import { createPoolWith, type Pool, type PoolOptions } from './pool.js';

/** Options of `createPool`. */
export interface CreatePoolOptions extends PoolOptions {
  /** The worker script (default: `workers/descriptor.browser.js` beside the bundle; Node: `workers/descriptor.node.cjs`, the CommonJS build of `workers/descriptor.node.js`). */
  workerUrl?: URL | string;
}

/**
 * Starts a pool of module Web Workers (browsers; Node's entry starts worker_threads instead),
 * compiling the wasm module once and sharing it.
 *
 * ```ts
 * const pool = await createPool({ workers: 4 });
 * const results = await pool.compute({ descriptor: 'soap', species: ['H', 'O'], rCut: 5, nMax: 8, lMax: 6 }, structures);
 * await pool.close();
 * ```
 */
export function createPool(options: CreatePoolOptions = {}): Promise<Pool> {
  return createPoolWith(browserWorkerSpawner(options.workerUrl), options);
}
