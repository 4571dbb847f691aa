import { AtomenvError } from '../errors.js';
import type { DenseDerivatives } from '../gradients/atomGradients.js';
import type { StructureFormat } from '../io/formats.js';
import type { Descriptor } from '../descriptors/registry.js';
import type { Pool, PoolComputeOptions } from '../pool/pool.js';
import type { Structure } from '../structure/structure.js';
import type { DescriptorConfig } from '../worker/service.js';
import { computeFrame } from './computeFrame.js';
import { framesOf } from './frames.js';

/** One frame's outcome, in input order. */
export type FrameOutcome =
  | {
      index: number;
      ok: true;
      values: Float64Array | Float32Array;
      nCenters: number;
      nAtoms: number;
      derivatives: DenseDerivatives | null;
    }
  | { index: number; ok: false; stage: 'read' | 'compute'; error: AtomenvError };

/** What the frames of a run need besides the input. */
export interface FrameJob {
  input: string;
  inputFormat: StructureFormat | undefined;
  centers: number[] | null;
  derivatives: boolean;
  attach: boolean;
}

/** Computes the frames of a file one after the other in this thread. */
export async function* framesInThisThread(
  descriptor: Descriptor, job: FrameJob, position: { bytesRead: number },
): AsyncGenerator<FrameOutcome> {
  for await (const item of framesOf(job.input, job.inputFormat, position)) {
    if (item.error !== undefined) {
      yield { index: item.index, ok: false, stage: 'read', error: item.error };
      continue;
    }
    try {
      const frame = computeFrame(descriptor, item.structure, job);
      yield { index: item.index, ok: true, ...frame };
    } catch (error) {
      if (!(error instanceof AtomenvError)) throw error;
      yield { index: item.index, ok: false, stage: 'compute', error: error.at({ file: job.input, frame: item.index }) };
    }
  }
}

/**
 * Computes the frames of a file on a worker pool: frames are read here and streamed to the
 * workers with a bounded number in flight; results come back in input order.
 */
export async function* framesOnPool(
  pool: Pool, config: DescriptorConfig, job: FrameJob, position: { bytesRead: number },
): AsyncGenerator<FrameOutcome> {
  let readError: { index: number; error: AtomenvError } | null = null;
  // Atom counts of the frames sent and not yet answered (results come back in input order).
  const atomsOf: number[] = [];
  async function* structures(): AsyncGenerator<Structure> {
    for await (const item of framesOf(job.input, job.inputFormat, position)) {
      if (item.error !== undefined) {
        readError = { index: item.index, error: item.error };
        return;
      }
      atomsOf.push(item.structure.numbers.length);
      yield item.structure;
    }
  }
  const options: PoolComputeOptions = job.derivatives
    ? { kind: 'derivatives', attach: job.attach, layout: 'dense', centers: job.centers }
    : { kind: 'values', centers: job.centers };
  for await (const result of pool.stream(config, structures(), options)) {
    const nAtoms = atomsOf.shift()!;
    if (result.ok) {
      const value = result.value as { values: Float64Array | Float32Array; shape: [number, number]; derivatives?: DenseDerivatives };
      yield {
        index: result.index, ok: true, values: value.values, nCenters: value.shape[0], nAtoms,
        derivatives: job.derivatives ? (value.derivatives ?? null) : null,
      };
    } else {
      if (result.error.code === 'INTERNAL') throw new Error(result.error.message);
      const error = new AtomenvError(result.error.code, result.error.message, result.error.location ?? {}).at({ file: job.input, frame: result.index });
      yield { index: result.index, ok: false, stage: 'compute', error };
    }
  }
  const failure = readError as { index: number; error: AtomenvError } | null;
  if (failure !== null) yield { index: failure.index, ok: false, stage: 'read', error: failure.error };
}
