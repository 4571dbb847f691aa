import { AtomenvError } from '../errors.js';
import type { EnvironmentFeatures } from './features.js';
import { globalKernel, type PairReduction } from './globalKernel.js';
import { resolveSinkhorn, type REMatchKernelOptions, type ResolvedSinkhorn } from './options.js';
import type { SimilarityMatrix } from './similarityMatrix.js';

/** REMatch by Sinkhorn in wasm (assembly/similarity/rematch.ts). */
function rematchReduction(s: ResolvedSinkhorn): PairReduction {
  return {
    // The iteration count (i32) first, 16 bytes, then the Sinkhorn scratch.
    workBytes: (rt, nA, nB) => 16 + rt.kernels.soapKernelRematchWorkSize(nA, nB),
    reduce(rt, nA, nB, c, work, [a, b]) {
      const k = rt.kernels.soapKernelRematch(nA, nB, c, s.alpha, s.threshold, s.maxIterations, work + 16, work);
      const status = rt.arena.i32(work, 1)[0]!;
      if (status < 0) {
        throw new AtomenvError(
          'NOT_CONVERGED',
          `REMatch of ${a} and ${b}: the Sinkhorn iteration did not reach threshold ${s.threshold} in ${-status} iterations (alpha ${s.alpha}); raise alpha, threshold or maxIterations`,
        );
      }
      if (status === 0 || !Number.isFinite(k)) {
        throw new AtomenvError(
          'NOT_CONVERGED',
          `REMatch of ${a} and ${b}: exp(−(1 − C)/α) underflows for alpha ${s.alpha} (the local similarities span too wide a range for so small an α); raise alpha or use the 'dot' metric`,
        );
      }
      return k;
    },
  };
}

/**
 * The regularised-entropy-match kernel between structures (DScribe's REMatchKernel; De et al.,
 * PCCP 18, 13754 (2016)): K(A, B) = Σ_ij P_ij C_ij with C_ij = k(a_i, b_j) and P the transport
 * plan with uniform marginals (row sums 1/N_A, column sums 1/N_B) that maximises
 * Σ_ij P_ij (C_ij − α ln P_ij), found by the Sinkhorn iteration on exp(−(1 − C)/α). α → 0 gives
 * the best match, α → ∞ the average kernel. Normalised to K(A, B) / √(K(A, A) K(B, B)) unless
 * `normalizeKernel` is false; `y` null gives the symmetric x × x matrix. Throws NOT_CONVERGED
 * when the iteration does not converge. Synchronous after `await init()`.
 *
 * ```ts
 * const k = rematchKernel(frames.map((f) => acsf.create(f)), null, { alpha: 0.1, zeta: 2 });
 * ```
 */
export function rematchKernel(
  x: readonly EnvironmentFeatures[], y: readonly EnvironmentFeatures[] | null = null, options: REMatchKernelOptions = {},
): SimilarityMatrix {
  const sinkhorn = resolveSinkhorn(options);
  return globalKernel(x, y, options, rematchReduction(sinkhorn));
}
