import { AtomenvError } from '../errors.js';
import { createPool } from '../pool/createPool.node.js';
import type { Pool } from '../pool/pool.js';
import { checkOutputSize, type ComputeFn, type ComputeResult } from '../serverless/computeJob.js';
import { DescriptorCache } from '../serverless/descriptorCache.js';
import { createInProcessCompute } from '../serverless/inProcessCompute.js';
import { init } from '../wasm/loader.js';

/** The compute hook of `atomenv serve`, and how to release it. */
export interface ServeCompute {
  compute: ComputeFn;
  /** What `--workers` does, printed at start-up (null: nothing to say). */
  note: string | null;
  /** Stops the worker pool, if any. */
  close(): Promise<void>;
}

/**
 * The compute hook for `atomenv serve`: in the server's thread without `--workers`; with
 * `--workers N`, on a pool of N worker threads (started with the first request), so concurrent
 * requests run in parallel and a slow one does not hold up the others.
 */
export function serveCompute(workers: number | undefined): ServeCompute {
  if (workers === undefined) return { compute: createInProcessCompute(), note: null, close: async () => undefined };
  let pool: Promise<Pool> | null = null;
  // Descriptors are built here too (cached), to refuse oversized results before any work.
  const descriptors = new DescriptorCache();
  const compute: ComputeFn = async (job) => {
    await init();
    checkOutputSize(job, descriptors.get(job.config));
    pool ??= createPool({ workers });
    const [result] = await (await pool).compute(job.config, [{ structure: job.structure, centers: job.centers as ArrayLike<number> | ArrayLike<ArrayLike<number>> | null }]);
    if (result!.ok) {
      const { values, shape } = result.value as ComputeResult;
      return { values, shape: [...shape] };
    }
    const { code, message, location } = result!.error;
    if (code === 'INTERNAL') throw new Error(message);
    throw new AtomenvError(code, message, location ?? {});
  };
  return {
    compute,
    note: `computing on ${workers} worker thread${workers === 1 ? '' : 's'}`,
    close: async () => {
      if (pool !== null) await (await pool).close();
    },
  };
}
