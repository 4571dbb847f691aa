/**
 * DScribe's polynomial radial basis for SOAP (`rbf="polynomial"`), the same for every l, built at
 * set-up time in float64.
 *
 * Primitives (k = 0..n_max−1 here; DScribe's k = 1..n_max, so exponent k + 3 here = k + 2 there):
 *   φ_k(r) = (r_cut − r)^{k+3} for r < r_cut, 0 beyond
 * Overlap with weight r² on [0, r_cut] (DScribe's 1-based k, k'):
 *   S_{kk'} = ∫_0^{r_cut} r² φ_k φ_k' dr = 2 r_cut^{7+k+k'} / ((5+k+k')(6+k+k')(7+k+k'))
 * Löwdin orthonormalisation β = S^{−1/2}, and g_n(r) = Σ_k β_{nk} φ_k(r).
 * The base is (r_cut − r), as DScribe implements it (its docstring's (r − r_cut) would flip the
 * sign of odd-power primitives).
 */
import { AtomenvError, invalidParameter } from '../../errors.js';
import { MAX_N_MAX } from '../params.js';
import { inverseSqrtSymmetric, type InverseSqrt } from './symmetricEigen.js';
import { DSCRIBE_POLYNOMIAL_QUADRATURE_POINTS, gaussLegendreOnInterval, type QuadratureRule } from './gaussLegendre.js';

export { gaussLegendre, gaussLegendreOnInterval, DSCRIBE_POLYNOMIAL_QUADRATURE_POINTS } from './gaussLegendre.js';
export type { QuadratureRule } from './gaussLegendre.js';

/**
 * The polynomial radial basis for one (r_cut, n_max).
 *
 * Layout: `beta` is [n_max][n_max] row-major, `beta[n * nMax + k]` = β_{nk} (DScribe
 * `betas[n][k]`), the coefficient of (r_cut − r)^{k+3} (0-based k) in g_n; symmetric.
 */
export interface PolynomialRadialBasis {
  /** Cutoff radius r_cut in Å; every g_n vanishes for r ≥ r_cut. */
  readonly rCut: number;
  /** Number of radial functions n_max. */
  readonly nMax: number;
  /** Löwdin coefficients β_{nk}, [n_max][n_max]. */
  readonly beta: Float64Array;
}

function checkParameters(rCut: number, nMax: number): void {
  if (typeof rCut !== 'number' || !Number.isFinite(rCut) || !(rCut > 0)) {
    invalidParameter(`polynomial radial basis: rCut must be a positive finite number of Å, got ${rCut}`);
  }
  if (!Number.isInteger(nMax) || nMax < 1) invalidParameter(`polynomial radial basis: nMax must be an integer ≥ 1, got ${nMax}`);
  if (nMax > MAX_N_MAX) invalidParameter(`polynomial radial basis: nMax must be ≤ ${MAX_N_MAX} (the basis stops being positive definite in float64 far below), got ${nMax}`);
}

/**
 * Overlap of the polynomial primitives, n_max × n_max row-major:
 * S_{kk'} = 2 r_cut^{7+k+k'} / ((5+k+k')(6+k+k')(7+k+k')) with DScribe's 1-based k, k'.
 * @param rCut cutoff in Å (> 0).
 * @param nMax number of primitives (≥ 1).
 */
export function polynomialOverlapMatrix(rCut: number, nMax: number): Float64Array {
  checkParameters(rCut, nMax);
  const overlap = new Float64Array(nMax * nMax);
  for (let i = 1; i <= nMax; i++) {
    for (let j = 1; j <= nMax; j++) {
      const m = i + j;
      overlap[(i - 1) * nMax + (j - 1)] = (2 * rCut ** (7 + m)) / ((5 + m) * (6 + m) * (7 + m));
    }
  }
  return overlap;
}

/**
 * Builds DScribe's polynomial radial basis: β = S^{−1/2} (see {@link PolynomialRadialBasis}).
 * @param rCut cutoff in Å (> 0).
 * @param nMax number of radial functions, integer ≥ 1.
 * @param inverseSqrt how S^{−1/2} is formed (default {@link inverseSqrtSymmetric}).
 * @throws AtomenvError `INVALID_PARAMETER` for bad parameters, or when S is not numerically
 *   positive definite (n_max too large: the primitives are nearly linearly dependent); the
 *   message names r_cut and n_max.
 */
export function polynomialRadialBasis(rCut: number, nMax: number, inverseSqrt: InverseSqrt = inverseSqrtSymmetric): PolynomialRadialBasis {
  const overlap = polynomialOverlapMatrix(rCut, nMax);
  const description = `overlap matrix S of the polynomial radial basis (r_cut = ${rCut} Å, n_max = ${nMax})`;
  let beta: Float64Array;
  try {
    beta = inverseSqrt(overlap, nMax, description);
  } catch (error) {
    if (!(error instanceof AtomenvError)) throw error;
    throw new AtomenvError(
      error.code,
      `${error.message}. The ${nMax} polynomial primitives are too close to linearly dependent: lower n_max.`,
    );
  }
  return { rCut, nMax, beta };
}

/** Σ_k β_{nk} (r_cut − r)^{k+3} by Horner in u = r_cut − r (0 for r ≥ r_cut). */
function evaluate(beta: Float64Array, nMax: number, n: number, u: number): number {
  if (!(u > 0)) return 0;
  let sum = 0;
  for (let k = nMax - 1; k >= 0; k--) sum = sum * u + beta[n * nMax + k]!;
  return sum * u * u * u;
}

/**
 * One radial function g_n(r) = Σ_k β_{nk} (r_cut − r)^{k+3} (0-based k), 0 for r ≥ r_cut.
 * @param basis from {@link polynomialRadialBasis}.
 * @param r radius in Å (≥ 0).
 * @param n radial index, 0..n_max−1.
 */
export function polynomialRadial(basis: PolynomialRadialBasis, r: number, n: number): number {
  if (!Number.isInteger(n) || n < 0 || n >= basis.nMax) {
    invalidParameter(`polynomial radial basis: n must be in 0..${basis.nMax - 1}, got ${n}`);
  }
  return evaluate(basis.beta, basis.nMax, n, basis.rCut - r);
}

/**
 * g_n(r) for every n at many radii.
 * @param basis from {@link polynomialRadialBasis}.
 * @param radii radii in Å.
 * @returns [n_max][radii.length] row-major: `values[n * radii.length + i]` = g_n(radii[i]).
 */
export function polynomialRadialValues(basis: PolynomialRadialBasis, radii: ArrayLike<number>): Float64Array {
  const { nMax, beta, rCut } = basis;
  const count = radii.length;
  const values = new Float64Array(nMax * count);
  for (let n = 0; n < nMax; n++) {
    for (let i = 0; i < count; i++) values[n * count + i] = evaluate(beta, nMax, n, rCut - radii[i]!);
  }
  return values;
}

/**
 * DScribe's radial quadrature for the polynomial basis: the 100-point Gauss–Legendre rule mapped
 * to [0, r_cut] (r_i = r_cut · ½ (x_i + 1), w_i = r_cut/2 · w^{GL}_i), nodes ascending.
 * @param rCut cutoff in Å (> 0).
 */
export function polynomialQuadrature(rCut: number): QuadratureRule {
  checkParameters(rCut, 1);
  return gaussLegendreOnInterval(DSCRIBE_POLYNOMIAL_QUADRATURE_POINTS, 0, rCut);
}
