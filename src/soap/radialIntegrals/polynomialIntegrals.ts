/**
 * SOAP radial integrals for DScribe's polynomial basis, with DScribe's radial quadrature.
 *
 * The angular part is exact through ĩ_l(x) = e^{−x} i_l(x); the radial integral over [0, r_cut]
 * uses the 100-point Gauss–Legendre rule (nodes r_i, weights w_i) of `polynomialQuadrature`:
 *   I_nl(r) = 4π Σ_i w_i r_i² g_n(r_i) e^{−η(r_i − r)²} ĩ_l(x_i),   x_i = 2η r_i r
 * (e^{−η(r_i² + r²)} i_l(x_i) = e^{−η(r_i − r)²} ĩ_l(x_i): no overflow). Writing
 * G_in = 4π w_i r_i² g_n(r_i), E_i = e^{−η(r_i − r)²}, u_i = 2η r_i, and J0, J1, J2 for
 * e^{−x} i_l, e^{−x} i_l', e^{−x} i_l'' at x_i:
 *   dI/dr   = Σ_i G_in E_i (u_i J1 − 2η r J0)
 *   d²I/dr² = Σ_i G_in E_i (u_i² J2 − 4η r u_i J1 + (4η² r² − 2η) J0)
 * DScribe also zeroes its Gaussian factors once r_i ∓ r exceeds 5 Å; that changes nothing
 * measurable for σ ≤ 0.5 Å (e^{−25η} ≤ 2e-22) and is not reproduced here.
 */
import { AtomenvError } from '../../errors.js';
import { polynomialQuadrature, polynomialRadialValues, type PolynomialRadialBasis } from '../radial/polynomial.js';
import type { QuadratureRule } from '../radial/gaussLegendre.js';
import { scaledSphericalBesselI, scaledSphericalBesselIDerivative } from './besselI.js';
import type { RadialIntegralEvaluator } from './types.js';

/** e^{−745} underflows to 0 in float64: quadrature nodes beyond this are skipped. */
const EXP_UNDERFLOW = 745;

/** Precomputed quadrature data of the polynomial radial integrals for one (basis, l_max, σ). */
export interface PolynomialRadialIntegrals extends RadialIntegralEvaluator {
  /** Quadrature nodes r_i in Å (ascending). */
  readonly nodes: Float64Array;
  /** G_in = 4π w_i r_i² g_n(r_i), [nodes][n_max] (`nodeWeights[i * nMax + n]`). */
  readonly nodeWeights: Float64Array;
}

/**
 * Precomputes G_in and returns an evaluator of I_nl(r), dI_nl/dr, d²I_nl/dr² for the polynomial
 * basis (output layout `l * nMax + n`; g_n is the same for every l).
 * @param basis from `polynomialRadialBasis`.
 * @param lMax largest l (integer ≥ 0).
 * @param sigma Gaussian width σ in Å (η = 1/(2σ²)).
 * @param quadrature radial rule on [0, r_cut]; default DScribe's 100-point Gauss–Legendre rule.
 */
export function createPolynomialRadialIntegrals(
  basis: PolynomialRadialBasis,
  lMax: number,
  sigma: number,
  quadrature: QuadratureRule = polynomialQuadrature(basis.rCut),
): PolynomialRadialIntegrals {
  if (typeof sigma !== 'number' || !Number.isFinite(sigma) || !(sigma > 0)) {
    throw new AtomenvError('INVALID_PARAMETER', `polynomial radial integrals: sigma must be a positive finite number of Å, got ${sigma}`);
  }
  if (!Number.isInteger(lMax) || lMax < 0) {
    throw new AtomenvError('INVALID_PARAMETER', `polynomial radial integrals: lMax must be an integer ≥ 0, got ${lMax}`);
  }
  const { nMax } = basis;
  const eta = 1 / (2 * sigma * sigma);
  const nodes = Float64Array.from(quadrature.nodes);
  const count = nodes.length;
  const g = polynomialRadialValues(basis, nodes); // [n][i]
  const nodeWeights = new Float64Array(count * nMax);
  for (let i = 0; i < count; i++) {
    const ri = nodes[i]!;
    for (let n = 0; n < nMax; n++) nodeWeights[i * nMax + n] = 4 * Math.PI * quadrature.weights[i]! * ri * ri * g[n * count + i]!;
  }
  const channels = (lMax + 1) * nMax;
  const j0 = new Float64Array(lMax + 3); // ĩ_l, l = 0..lMax+2
  const j1 = new Float64Array(lMax + 2); // e^{−x} i_l', l = 0..lMax+1
  const j2 = new Float64Array(lMax + 1); // e^{−x} i_l'', l = 0..lMax

  function evaluate(r: number, value: Float64Array, d1?: Float64Array, d2?: Float64Array): void {
    if (!(r >= 0) || r === Infinity) {
      throw new AtomenvError('INVALID_PARAMETER', `polynomial radial integrals: r must be finite and ≥ 0, got ${r}`);
    }
    if (value.length < channels || (d1 && d1.length < channels) || (d2 && d2.length < channels)) {
      throw new AtomenvError('INVALID_PARAMETER', `polynomial radial integrals: output arrays need ${channels} entries`);
    }
    value.fill(0, 0, channels);
    if (d1) d1.fill(0, 0, channels);
    if (d2) d2.fill(0, 0, channels);
    const besselOrder = d2 ? lMax + 2 : d1 ? lMax + 1 : lMax;
    for (let i = 0; i < count; i++) {
      const ri = nodes[i]!;
      const exponent = eta * (ri - r) * (ri - r);
      if (exponent > EXP_UNDERFLOW) continue;
      const gaussian = Math.exp(-exponent); // E_i
      const u = 2 * eta * ri; // dx/dr
      scaledSphericalBesselI(besselOrder, u * r, j0);
      if (d1 || d2) scaledSphericalBesselIDerivative(besselOrder - 1, j0, j1);
      if (d2) scaledSphericalBesselIDerivative(lMax, j1, j2); // i_l'' by the same recurrence
      const row = i * nMax;
      for (let l = 0; l <= lMax; l++) {
        const a0 = gaussian * j0[l]!;
        const a1 = d1 ? gaussian * (u * j1[l]! - 2 * eta * r * j0[l]!) : 0;
        const a2 = d2
          ? gaussian * (u * u * j2[l]! - 4 * eta * r * u * j1[l]! + (4 * eta * eta * r * r - 2 * eta) * j0[l]!)
          : 0;
        const base = l * nMax;
        for (let n = 0; n < nMax; n++) {
          const w = nodeWeights[row + n]!;
          value[base + n] += w * a0;
          if (d1) d1[base + n] += w * a1;
          if (d2) d2[base + n] += w * a2;
        }
      }
    }
  }

  return { nMax, lMax, sigma, nodes, nodeWeights, evaluate };
}

/**
 * I_nl(r) (and optionally dI_nl/dr) for the polynomial basis with DScribe's 100-point rule:
 * `out[l * nMax + n]` = I_nl(r). Convenience wrapper around
 * {@link createPolynomialRadialIntegrals}; for many radii create the evaluator once.
 * @param basis from `polynomialRadialBasis`.
 * @param lMax largest l.
 * @param sigma Gaussian width σ in Å.
 * @param r neighbour distance in Å (≥ 0).
 * @param out length ≥ (l_max+1)·n_max.
 * @param dOut optional, same length.
 * @returns `out`.
 */
export function polynomialRadialIntegrals(
  basis: PolynomialRadialBasis,
  lMax: number,
  sigma: number,
  r: number,
  out: Float64Array,
  dOut?: Float64Array,
): Float64Array {
  createPolynomialRadialIntegrals(basis, lMax, sigma).evaluate(r, out, dOut);
  return out;
}
