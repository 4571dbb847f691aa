/**
 * Exact SOAP radial integrals for DScribe's GTO basis.
 *
 * With g_nl(r) = Σ_k β_{lnk} r^l e^{−α_{kl} r²} (see `../radial/gto.ts`) and
 *   ∫_0^∞ r^{l+2} e^{−a r²} i_l(b r) dr = √π b^l / (2^{l+2} a^{l+3/2}) · e^{b²/(4a)}
 * (a = α_{kl} + η, b = 2η r_j; checked numerically in the tests), the integral
 *   I_nl(r) = 4π e^{−η r²} ∫_0^∞ r'² g_nl(r') e^{−η r'²} i_l(2η r' r) dr'
 * becomes a short sum of Gaussians:
 *   I_nl(r) = r^l Σ_k C_{lnk} e^{−γ_{kl} r²},
 *   C_{lnk} = π^{3/2} η^l β_{lnk} a_{kl}^{−(l+3/2)},   γ_{kl} = η α_{kl} / (α_{kl} + η).
 * Derivatives, with S_p = Σ_k C_{lnk} γ_{kl}^p e^{−γ_{kl} r²}:
 *   I'  = l r^{l−1} S_0 − 2 r^{l+1} S_1
 *   I'' = l(l−1) r^{l−2} S_0 − 2(2l+1) r^l S_1 + 4 r^{l+2} S_2
 */
import { AtomenvError } from '../../errors.js';
import type { GtoRadialBasis } from '../radial/gto.js';
import type { RadialIntegralEvaluator } from './types.js';

/** Precomputed constants of the GTO radial integrals for one (basis, σ). */
export interface GtoRadialIntegrals extends RadialIntegralEvaluator {
  /** γ_{kl} = η α_{kl}/(α_{kl} + η) in Å⁻², [l_max+1][n_max] (`gamma[l * nMax + k]`). */
  readonly gamma: Float64Array;
  /** C_{lnk}, [l_max+1][n_max][n_max] (`coefficient[(l * nMax + n) * nMax + k]`). */
  readonly coefficient: Float64Array;
}

function checkSigma(sigma: number): void {
  if (typeof sigma !== 'number' || !Number.isFinite(sigma) || !(sigma > 0)) {
    throw new AtomenvError('INVALID_PARAMETER', `GTO radial integrals: sigma must be a positive finite number of Å, got ${sigma}`);
  }
}

/**
 * Precomputes C_{lnk} and γ_{kl} and returns an evaluator of I_nl(r), dI_nl/dr, d²I_nl/dr²
 * (output layout `l * nMax + n`).
 * @param basis from `gtoRadialBasis`.
 * @param sigma Gaussian width σ in Å (η = 1/(2σ²)).
 */
export function createGtoRadialIntegrals(basis: GtoRadialBasis, sigma: number): GtoRadialIntegrals {
  checkSigma(sigma);
  const { nMax, lMax, alpha, beta } = basis;
  const eta = 1 / (2 * sigma * sigma);
  const gamma = new Float64Array((lMax + 1) * nMax);
  const coefficient = new Float64Array((lMax + 1) * nMax * nMax);
  const piThreeHalves = Math.PI * Math.sqrt(Math.PI);
  for (let l = 0; l <= lMax; l++) {
    for (let k = 0; k < nMax; k++) {
      const a = alpha[l * nMax + k]! + eta; // a = α + η
      gamma[l * nMax + k] = (eta * alpha[l * nMax + k]!) / a;
      const factor = piThreeHalves * eta ** l * a ** -(l + 1.5); // π^{3/2} η^l a^{−(l+3/2)}
      for (let n = 0; n < nMax; n++) {
        coefficient[(l * nMax + n) * nMax + k] = factor * beta[(l * nMax + n) * nMax + k]!;
      }
    }
  }
  const channels = (lMax + 1) * nMax;
  const gauss = new Float64Array(nMax);

  function evaluate(r: number, value: Float64Array, d1?: Float64Array, d2?: Float64Array): void {
    if (!(r >= 0) || r === Infinity) {
      throw new AtomenvError('INVALID_PARAMETER', `GTO radial integrals: r must be finite and ≥ 0, got ${r}`);
    }
    if (value.length < channels || (d1 && d1.length < channels) || (d2 && d2.length < channels)) {
      throw new AtomenvError('INVALID_PARAMETER', `GTO radial integrals: output arrays need ${channels} entries`);
    }
    const r2 = r * r;
    for (let l = 0; l <= lMax; l++) {
      for (let k = 0; k < nMax; k++) gauss[k] = Math.exp(-gamma[l * nMax + k]! * r2); // e^{−γ r²}
      const rl = r ** l;
      const rlm1 = l >= 1 ? r ** (l - 1) : 0; // r^{l−1}, only used with factor l
      const rlm2 = l >= 2 ? r ** (l - 2) : 0; // r^{l−2}, only used with factor l(l−1)
      for (let n = 0; n < nMax; n++) {
        let s0 = 0; // Σ C e^{−γr²}
        let s1 = 0; // Σ C γ e^{−γr²}
        let s2 = 0; // Σ C γ² e^{−γr²}
        const row = (l * nMax + n) * nMax;
        for (let k = 0; k < nMax; k++) {
          const term = coefficient[row + k]! * gauss[k]!;
          const g = gamma[l * nMax + k]!;
          s0 += term;
          s1 += term * g;
          s2 += term * g * g;
        }
        const c = l * nMax + n;
        value[c] = rl * s0;
        if (d1) d1[c] = l * rlm1 * s0 - 2 * rl * r * s1;
        if (d2) d2[c] = l * (l - 1) * rlm2 * s0 - 2 * (2 * l + 1) * rl * s1 + 4 * rl * r2 * s2;
      }
    }
  }

  return { nMax, lMax, sigma, gamma, coefficient, evaluate };
}

/**
 * I_nl(r) (and optionally dI_nl/dr) for the GTO basis, all channels at once:
 * `out[l * nMax + n]` = I_nl(r), `dOut[l * nMax + n]` = dI_nl/dr. Convenience wrapper around
 * {@link createGtoRadialIntegrals}; for many radii create the evaluator once.
 * @param basis from `gtoRadialBasis`.
 * @param sigma Gaussian width σ in Å.
 * @param r neighbour distance in Å (≥ 0).
 * @param out length ≥ (l_max+1)·n_max.
 * @param dOut optional, same length.
 * @returns `out`.
 */
export function gtoRadialIntegrals(
  basis: GtoRadialBasis,
  sigma: number,
  r: number,
  out: Float64Array,
  dOut?: Float64Array,
): Float64Array {
  createGtoRadialIntegrals(basis, sigma).evaluate(r, out, dOut);
  return out;
}
