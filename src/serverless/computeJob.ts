import type { CenterSpec } from '../descriptors/centers.js';
import type { Descriptor } from '../descriptors/registry.js';
import { SOAP } from '../soap/soap.js';
import type { Structure } from '../structure/structure.js';
import type { DescriptorConfig } from './computeRequest.js';
import type { DescriptorCache } from './descriptorCache.js';
import { HttpError } from './httpError.js';

/** One validated compute request, as the handler passes it to a {@link ComputeFn}. */
export interface ComputeJob {
  config: DescriptorConfig;
  /** A validated structure with dense arrays (structured-cloneable, for a worker). */
  structure: Structure & { numbers: ArrayLike<number> };
  /** Atom indices or [x, y, z] points (SOAP); every atom when null. */
  centers: CenterSpec[] | null;
  /** Most values the result may hold; a larger one must be refused before computing. */
  maxOutputValues: number;
}

/** The descriptor values of a job: C-order `[rows, features]`, float32 for a float32 SOAP. */
export interface ComputeResult {
  values: Float64Array | Float32Array;
  shape: number[];
}

/**
 * Computes a job. The default computes in the calling thread; a worker pool can provide its own
 * (calling {@link runComputeJob} in its workers). Errors: AtomenvError for bad config, structure
 * or centres, {@link HttpError} 413 OUTPUT_TOO_LARGE.
 */
export type ComputeFn = (job: ComputeJob) => Promise<ComputeResult>;

/**
 * Runs a job synchronously in this thread (after `await init()`): builds (or reuses) the
 * descriptor, refuses a result above `job.maxOutputValues` before computing it, then computes.
 */
export function runComputeJob(job: ComputeJob, descriptors: DescriptorCache): ComputeResult {
  const descriptor = descriptors.get(job.config);
  checkOutputSize(job, descriptor);
  const { values, shape } = descriptor.create(job.structure, { centers: job.centers as ArrayLike<number> | null });
  return { values, shape: [...shape] };
}

/** Throws {@link HttpError} 413 OUTPUT_TOO_LARGE when the job's result would exceed `maxOutputValues`. */
export function checkOutputSize(job: ComputeJob, descriptor: Descriptor): void {
  const averaged = descriptor instanceof SOAP && descriptor.params.average !== 'off';
  const rows = averaged ? 1 : (job.centers?.length ?? job.structure.numbers.length);
  const size = rows * descriptor.numFeatures;
  if (size > job.maxOutputValues) {
    throw new HttpError(
      413,
      'OUTPUT_TOO_LARGE',
      `the result would hold ${rows} × ${descriptor.numFeatures} = ${size} values; this server returns at most ${job.maxOutputValues} (send fewer centres)`,
    );
  }
}
