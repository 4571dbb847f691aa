import { invalidParameter } from '../errors.js';

/**
 * Similarity k(x, y) of two local environments' feature vectors:
 * - `'linear'`: x·y
 * - `'polynomial'`: (γ x·y + c0)^d
 * - `'rbf'` (Gaussian): exp(−γ |x − y|²)
 * - `'dot'`: the normalised dot product (x·y / (|x| |y|))^ζ, the usual SOAP kernel
 *
 * linear, polynomial and rbf are scikit-learn's pairwise kernels, which DScribe's kernels use.
 */
export type LocalKernelMetric = 'linear' | 'polynomial' | 'rbf' | 'dot';

/** Options of the local similarity k(x, y) (DScribe's constructor options, in camelCase). */
export interface LocalKernelOptions {
  /**
   * Default `'dot'` with ζ = 1 (cosine similarity, in [−1, 1]; 1 for parallel vectors).
   * DScribe's default is `'linear'`, whose values grow with the size of the features; the
   * REMatch weights exp(−(1 − C)/α) assume C ≤ 1, which `'dot'` gives for any features.
   */
  metric?: LocalKernelMetric;
  /** γ of `'polynomial'` and `'rbf'`; default 1/nFeatures (scikit-learn's default). > 0. */
  gamma?: number | null;
  /** Exponent d of `'polynomial'`; default 3 (as scikit-learn and DScribe). */
  degree?: number;
  /** c0 of `'polynomial'`; default 1 (as scikit-learn and DScribe). */
  coef0?: number;
  /** Exponent ζ of `'dot'`; default 1. > 0. */
  zeta?: number;
}

/** Options of the kernels between structures. */
export interface GlobalKernelOptions extends LocalKernelOptions {
  /** Divide K(A, B) by √(K(A, A) K(B, B)), so that K(A, A) = 1. Default true, as in DScribe. */
  normalizeKernel?: boolean;
}

/** Options of {@link rematchKernel}. */
export interface REMatchKernelOptions extends GlobalKernelOptions {
  /** Entropic regularisation α > 0: → 0 the best match, → ∞ the average kernel. Default 0.1, as DScribe. */
  alpha?: number;
  /** Sinkhorn convergence threshold on |Δu|²/|u|² + |Δv|²/|v|², > 0. Default 1e-6, as DScribe. */
  threshold?: number;
  /** Sinkhorn iterations before giving up (DScribe has no limit). Default 100000. */
  maxIterations?: number;
}

/** Metric codes of assembly/similarity/localKernel.ts. */
const METRIC_CODES: Readonly<Record<LocalKernelMetric, number>> = { linear: 0, polynomial: 1, rbf: 2, dot: 3 };

/** Local-kernel options with every default filled in, for a given feature count. */
export interface ResolvedLocalOptions {
  metric: LocalKernelMetric;
  metricCode: number;
  gamma: number;
  degree: number;
  coef0: number;
  zeta: number;
}

/** Checks the local-kernel options and fills in the defaults; throws INVALID_PARAMETER. */
export function resolveLocalOptions(options: LocalKernelOptions, nFeatures: number): ResolvedLocalOptions {
  if (options === null || typeof options !== 'object') invalidParameter(`kernel options must be an object { metric?, gamma?, degree?, coef0?, zeta? }, got ${String(options)}`);
  const metric = options.metric ?? 'dot';
  if (!Object.hasOwn(METRIC_CODES, metric)) {
    invalidParameter(`metric must be one of ${Object.keys(METRIC_CODES).join(', ')}, got ${JSON.stringify(metric)}`);
  }
  const gamma = options.gamma ?? 1 / nFeatures;
  if (!(Number.isFinite(gamma) && gamma > 0)) invalidParameter(`gamma must be a finite number > 0, got ${gamma}`);
  const degree = options.degree ?? 3;
  if (!Number.isFinite(degree)) invalidParameter(`degree must be a finite number, got ${degree}`);
  const coef0 = options.coef0 ?? 1;
  if (!Number.isFinite(coef0)) invalidParameter(`coef0 must be a finite number, got ${coef0}`);
  const zeta = options.zeta ?? 1;
  if (!(Number.isFinite(zeta) && zeta > 0)) invalidParameter(`zeta must be a finite number > 0, got ${zeta}`);
  return { metric, metricCode: METRIC_CODES[metric], gamma, degree, coef0, zeta };
}

/** REMatch's Sinkhorn settings, checked, with defaults. */
export interface ResolvedSinkhorn {
  alpha: number;
  threshold: number;
  maxIterations: number;
}

/** Checks α, the threshold and the iteration limit; throws INVALID_PARAMETER. */
export function resolveSinkhorn(options: REMatchKernelOptions): ResolvedSinkhorn {
  if (options === null || typeof options !== 'object') invalidParameter(`kernel options must be an object, got ${String(options)}`);
  const alpha = options.alpha ?? 0.1;
  if (!(Number.isFinite(alpha) && alpha > 0)) invalidParameter(`alpha must be a finite number > 0, got ${alpha}`);
  const threshold = options.threshold ?? 1e-6;
  if (!(Number.isFinite(threshold) && threshold > 0)) invalidParameter(`threshold must be a finite number > 0, got ${threshold}`);
  const maxIterations = options.maxIterations ?? 100000;
  if (!(Number.isSafeInteger(maxIterations) && maxIterations >= 2 && maxIterations <= 2 ** 31 - 1)) {
    invalidParameter(`maxIterations must be an integer from 2 to 2147483647, got ${maxIterations}`);
  }
  return { alpha, threshold, maxIterations };
}
