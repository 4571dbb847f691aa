import { globalKernel, type PairReduction } from './globalKernel.js';
import type { EnvironmentFeatures } from './features.js';
import type { GlobalKernelOptions } from './options.js';
import type { SimilarityMatrix } from './similarityMatrix.js';

/** K(A, B) = (1 / (N M)) Σ_ij C_ij: the mean local similarity. */
const AVERAGE: PairReduction = {
  workBytes: () => 0,
  reduce(rt, nA, nB, c) {
    const values = rt.arena.f64(c, nA * nB);
    let sum = 0;
    for (let k = 0; k < values.length; k++) sum += values[k]!;
    return sum / values.length;
  },
};

/**
 * The average kernel between structures (DScribe's AverageKernel):
 * K(A, B) = (1 / (N_A N_B)) Σ_ij k(a_i, b_j) over the environments of A and B, normalised to
 * K(A, B) / √(K(A, A) K(B, B)) unless `normalizeKernel` is false. Each structure is a
 * [nEnvironments, nFeatures] feature matrix (e.g. `acsf.create(structure)`); `y` null gives the
 * symmetric x × x matrix. Returns shape [x.length, y.length]. Synchronous after `await init()`.
 *
 * ```ts
 * const k = averageKernel([acsf.create(a), acsf.create(b)], null, { metric: 'rbf' });
 * ```
 */
export function averageKernel(
  x: readonly EnvironmentFeatures[], y: readonly EnvironmentFeatures[] | null = null, options: GlobalKernelOptions = {},
): SimilarityMatrix {
  return globalKernel(x, y, options, AVERAGE);
}
