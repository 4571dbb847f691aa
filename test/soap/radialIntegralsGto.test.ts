import { describe, expect, it } from 'vitest';
import { gtoRadialBasis, gtoRadialValues, type GtoRadialBasis } from '../../src/soap/radial/gto.js';
import { gaussLegendre } from '../../src/soap/radial/gaussLegendre.js';
import { scaledSphericalBesselI } from '../../src/soap/radialIntegrals/besselI.js';
import { createGtoRadialIntegrals, gtoRadialIntegrals } from '../../src/soap/radialIntegrals/gtoIntegrals.js';
import { cutoffPadding } from '../../src/soap/radialIntegrals/types.js';
import { readSharedJson } from '../helpers/shared.js';
import { expectAtomenvError } from '../helpers/errors.js';
import { expectDerivativesMatchFiniteDifferences } from '../helpers/radialDerivatives.js';

// ---------------------------------------------------------------------------------------------
// Brute force: composite Gauss–Legendre (panels × 24 points) on [a, b].
const RULE = gaussLegendre(24);

function compositeNodes(a: number, b: number, panels: number): { nodes: Float64Array; weights: Float64Array } {
  const m = RULE.nodes.length;
  const nodes = new Float64Array(panels * m);
  const weights = new Float64Array(panels * m);
  const width = (b - a) / panels;
  for (let p = 0; p < panels; p++) {
    for (let i = 0; i < m; i++) {
      nodes[p * m + i] = a + width * (p + 0.5 * (RULE.nodes[i]! + 1));
      weights[p * m + i] = 0.5 * width * RULE.weights[i]!;
    }
  }
  return { nodes, weights };
}

/** Parameter sets (r_cut, n_max, l_max, σ) of the shared DScribe GTO molecule references. */
interface Params { r_cut: number; n_max: number; l_max: number; sigma: number }
const gtoSets: Params[] = [];
for (const c of readSharedJson<{ cases: Array<{ params: Params }> }>('reference/dscribe/soap_gto_molecules.json').cases) {
  const p = c.params;
  if (!gtoSets.some((s) => s.r_cut === p.r_cut && s.n_max === p.n_max && s.l_max === p.l_max && s.sigma === p.sigma)) {
    gtoSets.push({ r_cut: p.r_cut, n_max: p.n_max, l_max: p.l_max, sigma: p.sigma });
  }
}

/**
 * I_nl(r_j) = 4π ∫_0^R r² g_nl(r) e^{−η(r − r_j)²} ĩ_l(2η r r_j) dr by brute force
 * (R = r_j + 40 Å: far past where g_nl and the Gaussian vanish), layout l·n_max + n.
 */
function bruteForce(basis: GtoRadialBasis, sigma: number, rj: number): Float64Array {
  const { nMax, lMax } = basis;
  const eta = 1 / (2 * sigma * sigma);
  const { nodes, weights } = compositeNodes(0, rj + 40, 400);
  const out = new Float64Array((lMax + 1) * nMax);
  const bessel = new Float64Array(lMax + 1);
  const besselAt: Float64Array[] = [];
  for (let i = 0; i < nodes.length; i++) besselAt.push(Float64Array.from(scaledSphericalBesselI(lMax, 2 * eta * nodes[i]! * rj, bessel)));
  for (let l = 0; l <= lMax; l++) {
    const g = gtoRadialValues(basis, nodes, l); // [n][i]
    for (let n = 0; n < nMax; n++) {
      let sum = 0;
      for (let i = 0; i < nodes.length; i++) {
        const r = nodes[i]!;
        sum += weights[i]! * r * r * g[n * nodes.length + i]! * Math.exp(-eta * (r - rj) ** 2) * besselAt[i]![l]!;
      }
      out[l * nMax + n] = 4 * Math.PI * sum;
    }
  }
  return out;
}

describe('GTO radial integrals', () => {
  it('the identity ∫ r^{l+2} e^{−ar²} i_l(br) dr = √π b^l/(2^{l+2} a^{l+3/2}) e^{b²/(4a)} holds numerically', () => {
    const bessel = new Float64Array(13);
    for (const l of [0, 1, 2, 5, 12]) {
      for (const a of [0.3, 2, 9]) {
        for (const b of [0, 0.5, 4, 30]) {
          // Integrand r^{l+2} e^{−ar² + br} ĩ_l(br), peaked near b/(2a); divide by e^{b²/(4a)}.
          const end = b / (2 * a) + 40 / Math.sqrt(a);
          const { nodes, weights } = compositeNodes(0, end, 200);
          let sum = 0;
          for (let i = 0; i < nodes.length; i++) {
            const r = nodes[i]!;
            scaledSphericalBesselI(l, b * r, bessel);
            sum += weights[i]! * r ** (l + 2) * Math.exp(-a * r * r + b * r - (b * b) / (4 * a)) * bessel[l]!;
          }
          const closed = (Math.sqrt(Math.PI) * b ** l) / (2 ** (l + 2) * a ** (l + 1.5));
          if (closed === 0) {
            expect(Math.abs(sum)).toBeLessThan(1e-300); // l > 0, b = 0: i_l(0) = 0
          } else {
            expect(Math.abs(sum / closed - 1), `l=${l} a=${a} b=${b}`).toBeLessThan(1e-13);
          }
        }
      }
    }
  });

  for (const set of gtoSets) {
    const label = `r_cut ${set.r_cut}, n_max ${set.n_max}, l_max ${set.l_max}, σ ${set.sigma}`;
    it(`closed form = brute-force quadrature (${label})`, () => {
      const basis = gtoRadialBasis(set.r_cut, set.n_max, set.l_max);
      const integrals = createGtoRadialIntegrals(basis, set.sigma);
      const rMax = set.r_cut + cutoffPadding(set.sigma);
      const radii = [0, 1e-3, 0.37, 1.1, set.r_cut / 2, set.r_cut, rMax - 1e-6, rMax];
      const channels = (set.l_max + 1) * set.n_max;
      const exact = radii.map((r) => {
        const out = new Float64Array(channels);
        integrals.evaluate(r, out);
        return out;
      });
      const brute = radii.map((r) => bruteForce(basis, set.sigma, r));
      let worst = 0;
      for (let c = 0; c < channels; c++) {
        let scale = 0;
        for (const v of exact) scale = Math.max(scale, Math.abs(v[c]!));
        expect(scale).toBeGreaterThan(0);
        for (let k = 0; k < radii.length; k++) {
          // β = S^{-1/2} mixes primitives with cancellation; both sides carry ~1e-12 of it.
          expect(Math.abs(exact[k]![c]! - brute[k]![c]!), `channel ${c} r=${radii[k]}`).toBeLessThan(5e-12 * scale);
          worst = Math.max(worst, Math.abs(exact[k]![c]! - brute[k]![c]!) / scale);
        }
      }
      console.info(`GTO closed form vs quadrature (${label}): worst ${worst.toExponential(2)} of max |I_nl|`);
      // r_j = 0: only l = 0 survives (exactly).
      for (let c = set.n_max; c < channels; c++) expect(Math.abs(exact[0]![c]!)).toBe(0);
      for (let n = 0; n < set.n_max; n++) expect(exact[0]![n]).not.toBe(0);
    });

    it(`dI/dr and d²I/dr² agree with finite differences (${label})`, () => {
      const basis = gtoRadialBasis(set.r_cut, set.n_max, set.l_max);
      const integrals = createGtoRadialIntegrals(basis, set.sigma);
      const channels = (set.l_max + 1) * set.n_max;
      const rMax = set.r_cut + cutoffPadding(set.sigma);
      expectDerivativesMatchFiniteDifferences(integrals, channels, [0.01, 0.5, 1.3, set.r_cut / 2, set.r_cut, rMax - 0.01]);
      const value = new Float64Array(channels);
      const d1 = new Float64Array(channels);
      const d2 = new Float64Array(channels);
      // At r = 0: dI/dr is nonzero only for l = 1 (I ∝ r^l).
      integrals.evaluate(0, value, d1, d2);
      for (let l = 0; l <= set.l_max; l++) {
        for (let n = 0; n < set.n_max; n++) {
          if (l === 1) expect(d1[l * set.n_max + n]).not.toBe(0);
          else expect(Math.abs(d1[l * set.n_max + n]!)).toBe(0);
        }
      }
    });
  }

  it('gtoRadialIntegrals wrapper matches the evaluator and validates input', () => {
    const basis = gtoRadialBasis(5, 4, 3);
    const out = new Float64Array(16);
    const dOut = new Float64Array(16);
    gtoRadialIntegrals(basis, 0.5, 2.2, out, dOut);
    const v = new Float64Array(16);
    const d = new Float64Array(16);
    createGtoRadialIntegrals(basis, 0.5).evaluate(2.2, v, d);
    expect(Array.from(out)).toEqual(Array.from(v));
    expect(Array.from(dOut)).toEqual(Array.from(d));
    expectAtomenvError(() => createGtoRadialIntegrals(basis, 0), 'INVALID_PARAMETER');
    expectAtomenvError(() => gtoRadialIntegrals(basis, 0.5, -1, out), 'INVALID_PARAMETER');
    expectAtomenvError(() => gtoRadialIntegrals(basis, 0.5, 1, new Float64Array(3)), 'INVALID_PARAMETER');
  });
});
