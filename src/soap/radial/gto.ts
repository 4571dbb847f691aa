/**
 * DScribe's Gaussian-type-orbital (GTO) radial basis for SOAP (`rbf="gto"`), built at set-up time
 * in float64.
 *
 * Primitives, one set per angular channel l (k = 0..n_max−1 here; DScribe's k = 1..n_max):
 *   a_k = linspace(1, r_cut, n_max)                       (where primitive k decays to 10⁻³)
 *   α_{kl} = −ln(10⁻³ / a_k^l) / a_k²                      so φ_{kl}(a_k) = 10⁻³
 *   φ_{kl}(r) = r^l exp(−α_{kl} r²)
 * Overlap on [0, ∞) with weight r²:
 *   S^{(l)}_{kk'} = ∫_0^∞ r² φ_{kl} φ_{k'l} dr = ½ Γ(l + 3/2) (α_{kl} + α_{k'l})^{−(l+3/2)}
 * Löwdin orthonormalisation: β_l = (S^{(l)})^{−1/2}, and
 *   g_{nl}(r) = Σ_k β_{l,n,k} φ_{kl}(r),   ∫_0^∞ r² g_{nl} g_{n'l} dr = δ_{nn'}.
 * The basis is not truncated at r_cut.
 */
import { AtomenvError, invalidParameter } from '../../errors.js';
import { MAX_N_MAX } from '../params.js';
import { inverseSqrtSymmetric, type InverseSqrt } from './symmetricEigen.js';

/** Value every GTO primitive has at its decay radius a_k (DScribe's fixed threshold). */
export const GTO_DECAY_THRESHOLD = 1e-3;

/** Largest l_max DScribe supports for the GTO basis. */
export const GTO_MAX_L_MAX = 20;

/**
 * The GTO radial basis for one (r_cut, n_max, l_max).
 *
 * Layouts (flat, row-major, float64):
 * - `alpha`: [l_max+1][n_max], `alpha[l * nMax + k]` = α_{kl} in Å⁻² (DScribe `alphas[l][k]`).
 * - `beta`: [l_max+1][n_max][n_max], `beta[(l * nMax + n) * nMax + k]` = β_{l,n,k}
 *   (DScribe `betas[l][n][k]`), the coefficient of primitive k in radial function n; each
 *   [n_max][n_max] block is symmetric.
 */
export interface GtoRadialBasis {
  /** Cutoff radius r_cut in Å (sets the largest decay radius a_{n_max−1} = r_cut). */
  readonly rCut: number;
  /** Number of radial functions n_max. */
  readonly nMax: number;
  /** Largest angular channel l_max. */
  readonly lMax: number;
  /** Decay radii a_k in Å, length n_max: linspace(1, r_cut, n_max). */
  readonly decayRadii: Float64Array;
  /** Exponents α_{kl} (Å⁻²), [l_max+1][n_max]. */
  readonly alpha: Float64Array;
  /** Löwdin coefficients β_{l,n,k}, [l_max+1][n_max][n_max]. */
  readonly beta: Float64Array;
}

/**
 * Γ(l + 3/2) for integer l ≥ 0, in closed form: (2l+1)!! √π / 2^{l+1}.
 * (Γ(3/2) = √π/2, and Γ(x + 1) = x Γ(x) multiplies by (2l+1)/2 per step.)
 */
export function gammaLPlusThreeHalves(l: number): number {
  if (!Number.isInteger(l) || l < 0) invalidParameter(`gammaLPlusThreeHalves: l must be an integer ≥ 0, got ${l}`);
  let doubleFactorial = 1; // (2l+1)!! = 1·3·5···(2l+1)
  for (let j = 3; j <= 2 * l + 1; j += 2) doubleFactorial *= j;
  return (doubleFactorial * Math.sqrt(Math.PI)) / 2 ** (l + 1);
}

/** numpy.linspace(start, stop, count): start + i·(stop − start)/(count − 1), last point = stop. */
function linspace(start: number, stop: number, count: number): Float64Array {
  const points = new Float64Array(count);
  if (count === 1) {
    points[0] = start;
    return points;
  }
  const step = (stop - start) / (count - 1);
  for (let i = 0; i < count; i++) points[i] = start + i * step;
  points[count - 1] = stop;
  return points;
}

/**
 * GTO exponents for one l: α_{kl} = −ln(10⁻³ / a_k^l) / a_k² = (l ln a_k − ln 10⁻³) / a_k².
 * @param decayRadii a_k in Å.
 * @param l angular channel.
 */
export function gtoAlphas(decayRadii: ArrayLike<number>, l: number): Float64Array {
  const logThreshold = Math.log(GTO_DECAY_THRESHOLD);
  const alphas = new Float64Array(decayRadii.length);
  for (let k = 0; k < decayRadii.length; k++) {
    const a = decayRadii[k]!;
    alphas[k] = (l * Math.log(a) - logThreshold) / (a * a);
  }
  return alphas;
}

/**
 * Overlap of the GTO primitives of one l with weight r² on [0, ∞):
 * S_{kk'} = ½ Γ(l + 3/2) (α_k + α_k')^{−(l+3/2)}; n_max × n_max, row-major.
 * @param alphas α_{kl} for k = 0..n_max−1.
 * @param l angular channel.
 */
export function gtoOverlapMatrix(alphas: ArrayLike<number>, l: number): Float64Array {
  const n = alphas.length;
  const halfGamma = 0.5 * gammaLPlusThreeHalves(l);
  const power = -(l + 1.5);
  const overlap = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    for (let kp = k; kp < n; kp++) {
      const value = halfGamma * Math.pow(alphas[k]! + alphas[kp]!, power);
      overlap[k * n + kp] = value;
      overlap[kp * n + k] = value;
    }
  }
  return overlap;
}

/**
 * Builds DScribe's GTO radial basis: α_{kl} and the Löwdin coefficients β_l = S_l^{−1/2} for
 * l = 0..l_max (see {@link GtoRadialBasis} for the layouts).
 *
 * @param rCut cutoff in Å; must be > 1 Å (a_k runs from 1 Å to r_cut, as DScribe requires).
 * @param nMax number of radial functions, integer ≥ 1.
 * @param lMax largest l, integer in 0..20.
 * @param inverseSqrt how S_l^{−1/2} is formed (default {@link inverseSqrtSymmetric}; the SOAP
 *   table passes its wasm twin, which gives the same doubles).
 * @throws AtomenvError `INVALID_PARAMETER` for out-of-range parameters, or when an overlap matrix
 *   S_l is not numerically positive definite (too many radial functions for this r_cut: lower
 *   n_max or raise r_cut); the message names r_cut, n_max and l.
 */
export function gtoRadialBasis(rCut: number, nMax: number, lMax: number, inverseSqrt: InverseSqrt = inverseSqrtSymmetric): GtoRadialBasis {
  if (typeof rCut !== 'number' || !Number.isFinite(rCut) || !(rCut > 1)) {
    invalidParameter(`GTO radial basis: rCut must be a finite number of Å greater than 1 Å, got ${rCut}`);
  }
  if (!Number.isInteger(nMax) || nMax < 1) invalidParameter(`GTO radial basis: nMax must be an integer ≥ 1, got ${nMax}`);
  if (nMax > MAX_N_MAX) invalidParameter(`GTO radial basis: nMax must be ≤ ${MAX_N_MAX} (the basis stops being positive definite in float64 far below), got ${nMax}`);
  if (!Number.isInteger(lMax) || lMax < 0 || lMax > GTO_MAX_L_MAX) {
    invalidParameter(`GTO radial basis: lMax must be an integer in 0..${GTO_MAX_L_MAX}, got ${lMax}`);
  }

  const decayRadii = linspace(1, rCut, nMax);
  const alpha = new Float64Array((lMax + 1) * nMax);
  const beta = new Float64Array((lMax + 1) * nMax * nMax);
  for (let l = 0; l <= lMax; l++) {
    const alphasL = gtoAlphas(decayRadii, l);
    alpha.set(alphasL, l * nMax);
    const overlap = gtoOverlapMatrix(alphasL, l);
    const description = `overlap matrix S of the GTO radial basis (r_cut = ${rCut} Å, n_max = ${nMax}, l = ${l})`;
    let betaL: Float64Array;
    try {
      betaL = inverseSqrt(overlap, nMax, description);
    } catch (error) {
      if (!(error instanceof AtomenvError)) throw error;
      throw new AtomenvError(
        error.code,
        `${error.message}. The ${nMax} primitives are too close to linearly dependent: lower n_max or raise r_cut.`,
      );
    }
    beta.set(betaL, l * nMax * nMax);
  }
  return { rCut, nMax, lMax, decayRadii, alpha, beta };
}

/** Checks l and n against the basis. */
function checkChannel(basis: GtoRadialBasis, l: number, n?: number): void {
  if (!Number.isInteger(l) || l < 0 || l > basis.lMax) invalidParameter(`GTO radial basis: l must be in 0..${basis.lMax}, got ${l}`);
  if (n !== undefined && (!Number.isInteger(n) || n < 0 || n >= basis.nMax)) {
    invalidParameter(`GTO radial basis: n must be in 0..${basis.nMax - 1}, got ${n}`);
  }
}

/**
 * One radial function g_{nl}(r) = Σ_k β_{l,n,k} r^l exp(−α_{kl} r²).
 * @param basis from {@link gtoRadialBasis}.
 * @param r radius in Å (≥ 0).
 * @param l angular channel, 0..l_max.
 * @param n radial index, 0..n_max−1.
 */
export function gtoRadial(basis: GtoRadialBasis, r: number, l: number, n: number): number {
  checkChannel(basis, l, n);
  const { nMax, alpha, beta } = basis;
  const r2 = r * r;
  let sum = 0;
  for (let k = 0; k < nMax; k++) sum += beta[(l * nMax + n) * nMax + k]! * Math.exp(-alpha[l * nMax + k]! * r2);
  return sum * r ** l;
}

/**
 * g_{nl}(r) for every n at many radii.
 * @param basis from {@link gtoRadialBasis}.
 * @param radii radii in Å.
 * @param l angular channel, 0..l_max.
 * @returns [n_max][radii.length] row-major: `values[n * radii.length + i]` = g_{nl}(radii[i]).
 */
export function gtoRadialValues(basis: GtoRadialBasis, radii: ArrayLike<number>, l: number): Float64Array {
  checkChannel(basis, l);
  const { nMax, alpha, beta } = basis;
  const count = radii.length;
  const values = new Float64Array(nMax * count);
  const primitives = new Float64Array(nMax);
  for (let i = 0; i < count; i++) {
    const r = radii[i]!;
    const rl = r ** l;
    for (let k = 0; k < nMax; k++) primitives[k] = rl * Math.exp(-alpha[l * nMax + k]! * r * r); // φ_{kl}(r)
    for (let n = 0; n < nMax; n++) {
      let sum = 0;
      for (let k = 0; k < nMax; k++) sum += beta[(l * nMax + n) * nMax + k]! * primitives[k]!;
      values[n * count + i] = sum;
    }
  }
  return values;
}
