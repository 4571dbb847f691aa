import {
  averageKernel, AtomenvError, type ACSF, type DescriptorValues, type Pool, type PoolResult, type SOAP, type SimilarityMatrix,
} from '../src/index.js';
import type { LoadedStructures } from './structures.js';

/** What one run of the page computes. */
export interface DemoResult {
  /** The chosen descriptor's config (what the workers ran). */
  readonly config: SOAP['config'] | ACSF['config'];
  /** Descriptor of every atom of every structure, C-order [atoms, features]. */
  readonly values: Float64Array;
  readonly shape: [number, number];
  /** Structure index and atom index within it, of each row. */
  readonly rowStructure: Int32Array;
  readonly rowAtom: Int32Array;
  /** Average SOAP kernel between the structures (normalised, 'dot' metric). */
  readonly kernel: SimilarityMatrix;
  /** The SOAP config behind the kernel (the chosen one, or the default one alongside ACSF). */
  readonly kernelConfig: SOAP['config'];
  /** The kernel covers the first this many structures (at most {@link MAX_HEATMAP_STRUCTURES}). */
  readonly kernelStructures: number;
  /** Milliseconds the workers took (all structure jobs, results in hand). */
  readonly workerMs: number;
}

/**
 * The heat-map covers at most this many structures: the kernel costs O(n²) pairs on the main
 * thread (200 molecules ≈ 0.5 s; 972 ≈ 10 s), and a larger map has no readable cells.
 */
export const MAX_HEATMAP_STRUCTURES = 200;

/** Callbacks of {@link computeDescriptors}. */
export interface ComputeCallbacks {
  /** Fraction of the structure jobs done. */
  onProgress(fraction: number): void;
  /** Called before the main-thread step (the kernel), with what it does. */
  onPhase(text: string): void;
}

/**
 * Computes the chosen descriptor for every structure in the pool's workers, plus a SOAP for the
 * heat-map (`soap`: the chosen one, or another run alongside over the structures the heat-map
 * shows). Throws AtomenvError naming the first structure that failed.
 */
export async function computeDescriptors(
  pool: Pool, loaded: LoadedStructures, descriptor: SOAP | ACSF, soap: SOAP, callbacks: ComputeCallbacks,
): Promise<DemoResult> {
  const kernelStructures = Math.min(loaded.structures.length, MAX_HEATMAP_STRUCTURES);
  const runs = descriptor === soap
    ? [{ d: descriptor, inputs: loaded.structures }]
    : [{ d: descriptor, inputs: loaded.structures }, { d: soap, inputs: loaded.structures.slice(0, kernelStructures) }];
  const done = runs.map(() => 0);
  const started = performance.now();
  const jobs = runs.reduce((sum, run) => sum + run.inputs.length, 0);
  const results = await Promise.all(runs.map((run, r) => pool.compute(run.d, run.inputs, {
    onProgress: (p) => {
      done[r] = p.done;
      callbacks.onProgress(done.reduce((a, b) => a + b, 0) / jobs);
    },
  })));
  const workerMs = performance.now() - started;
  const chosen = results[0]!.map((item) => valuesOf(item, loaded));
  const soapValues = runs.length === 1
    ? chosen.slice(0, kernelStructures)
    : results[1]!.map((item) => valuesOf(item, loaded));
  callbacks.onPhase(`Average SOAP kernel of ${kernelStructures} structures…`);
  await new Promise((resolve) => setTimeout(resolve, 0)); // let the page show it first

  const features = chosen[0]!.shape[1];
  const rows = chosen.reduce((sum, v) => sum + v.shape[0], 0);
  const values = new Float64Array(rows * features);
  const rowStructure = new Int32Array(rows);
  const rowAtom = new Int32Array(rows);
  let row = 0;
  chosen.forEach((v, s) => {
    values.set(v.values, row * features);
    for (let a = 0; a < v.shape[0]; a++, row++) {
      rowStructure[row] = s;
      rowAtom[row] = a;
    }
  });
  return {
    config: descriptor.config, values, shape: [rows, features], rowStructure, rowAtom,
    kernel: averageKernel(soapValues, null, { metric: 'dot' }),
    kernelConfig: soap.config,
    kernelStructures,
    workerMs,
  };
}

/** The values of one pool result, or the item's error (an AtomenvError with its code) naming the structure. */
function valuesOf(item: PoolResult, loaded: LoadedStructures): DescriptorValues {
  if (!item.ok) {
    const where = `structure ${item.index} (${loaded.names[item.index]}) of ${loaded.source}`;
    const message = `${where}: ${item.error.message}`;
    throw item.error.code === 'INTERNAL' ? new Error(message) : new AtomenvError(item.error.code, message);
  }
  const value = item.value as DescriptorValues;
  if (!(value.values instanceof Float64Array)) throw new AtomenvError('INVALID_PARAMETER', 'the demo expects float64 descriptor values');
  return value;
}
