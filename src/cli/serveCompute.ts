import type { ComputeFn } from '../serverless/computeJob.js';
import { createInProcessCompute } from '../serverless/inProcessCompute.js';

/** The compute hook of `atomenv serve` and a note for the operator, if any. */
export interface ServeCompute {
  compute: ComputeFn;
  /** What `--workers` does in this version, printed at start-up. */
  note: string | null;
}

/**
 * The compute hook for `atomenv serve --workers N`. This version has no worker pool: every
 * request is computed in the server's thread, whatever N is, and `note` says so when N was given.
 */
export function serveCompute(workers: number | undefined): ServeCompute {
  return {
    compute: createInProcessCompute(),
    note: workers === undefined ? null : `--workers ${workers}: this version has no worker pool; requests are computed in the server's thread`,
  };
}
