import { AtomenvError } from '../errors.js';
import { getRuntime, type Runtime } from '../wasm/loader.js';
import { checkFeatures, type EnvironmentFeatures } from './features.js';
import { resolveLocalOptions, type LocalKernelOptions, type ResolvedLocalOptions } from './options.js';
import type { SimilarityMatrix } from './similarityMatrix.js';

/**
 * The similarity C[i][j] = k(x_i, y_j) of every environment i of `x` with every environment j
 * of `y` (rows of [nEnvironments, nFeatures] feature matrices), for the metric of `options`;
 * `y` null compares `x` with itself. Shape [nX, nY]. Synchronous after `await init()`.
 *
 * ```ts
 * const c = localKernel(acsf.create(a), acsf.create(b), { metric: 'rbf', gamma: 0.5 });
 * ```
 */
export function localKernel(x: EnvironmentFeatures, y: EnvironmentFeatures | null, options: LocalKernelOptions = {}): SimilarityMatrix {
  const nFeatures = checkFeatures(x, 'x', null);
  if (y !== null) checkFeatures(y, 'y', nFeatures);
  const other = y ?? x;
  const local = resolveLocalOptions(options, nFeatures);
  if (local.metric === 'dot') {
    checkNonZeroRows(x, 'x');
    if (y !== null) checkNonZeroRows(y, 'y');
  }
  const rt = getRuntime();
  rt.arena.reset();
  const [nA, nB] = [x.shape[0], other.shape[0]];
  const a = rt.arena.allocF64(x.values.length);
  const b = y === null ? a : rt.arena.allocF64(other.values.length);
  const out = rt.arena.allocF64(nA * nB);
  const work = rt.arena.alloc(rt.kernels.soapKernelLocalWorkSize(nA, nB));
  rt.arena.f64(a, x.values.length).set(x.values);
  if (y !== null) rt.arena.f64(b, other.values.length).set(other.values);
  computeLocal(rt, local, nA, a, nB, b, nFeatures, out, work, 'x', y === null ? 'x' : 'y');
  return { values: rt.arena.f64(out, nA * nB).slice(), shape: [nA, nB] };
}

/**
 * Runs the wasm local kernel into `out` (nA·nB f64) and checks that every value is finite
 * (a polynomial or ζ power of a negative base with a non-integer exponent is NaN; large
 * features can overflow). `nameA`, `nameB` name the two structures in the error.
 */
export function computeLocal(
  rt: Runtime, local: ResolvedLocalOptions, nA: number, a: number, nB: number, b: number, nFeatures: number,
  out: number, work: number, nameA: string, nameB: string,
): void {
  rt.kernels.soapKernelLocal(nA, a, nB, b, nFeatures, local.metricCode, local.gamma, local.degree, local.coef0, local.zeta, out, work);
  const c = rt.arena.f64(out, nA * nB);
  for (let k = 0; k < c.length; k++) {
    if (!Number.isFinite(c[k]!)) {
      const i = Math.floor(k / nB), j = k % nB;
      throw new AtomenvError(
        'INVALID_PARAMETER',
        `the ${local.metric} kernel of environment ${i} of ${nameA} and environment ${j} of ${nameB} is ${c[k]}` +
          (local.metric === 'polynomial' || local.metric === 'dot'
            ? ' (a negative base to a non-integer power, or an overflow: check degree/zeta, gamma and coef0)'
            : ' (the features are too large: scale them)'),
      );
    }
  }
}

/** The 'dot' metric divides by |x|: an all-zero environment has no direction. */
export function checkNonZeroRows(s: EnvironmentFeatures, name: string): void {
  const [rows, cols] = s.shape;
  for (let i = 0; i < rows; i++) {
    let zero = true;
    for (let k = i * cols; k < (i + 1) * cols && zero; k++) zero = s.values[k] === 0;
    if (zero) {
      throw new AtomenvError(
        'INVALID_PARAMETER',
        `environment ${i} of ${name} has all-zero features: the 'dot' metric normalises by their length (use another metric, or a larger cutoff)`,
      );
    }
  }
}
