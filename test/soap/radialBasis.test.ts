import { describe, expect, it } from 'vitest';
import {
  gammaLPlusThreeHalves,
  gtoOverlapMatrix,
  gtoRadial,
  gtoRadialBasis,
  gtoRadialValues,
  GTO_DECAY_THRESHOLD,
} from '../../src/soap/radial/gto.js';
import {
  gaussLegendre,
  gaussLegendreOnInterval,
  polynomialOverlapMatrix,
  polynomialQuadrature,
  polynomialRadial,
  polynomialRadialBasis,
  polynomialRadialValues,
  type PolynomialRadialBasis,
} from '../../src/soap/radial/polynomial.js';
import { scaledConditionNumber, symmetricEigen } from '../../src/soap/radial/symmetricEigen.js';
import { readSharedJson } from '../helpers/shared.js';
import { expectAtomenvError } from '../helpers/errors.js';

const EPS = Number.EPSILON;

// ---------------------------------------------------------------------------------------------
// Reference data: DScribe 2.1.1's bases (soap_layout_and_basis.json, key `radial_basis`).

interface GtoReference {
  rbf: 'gto';
  r_cut: number;
  n_max: number;
  l_max: number;
  'alphas[l][n]': number[][];
  'betas[l][n][k]': number[][][];
}

interface PolynomialReference {
  rbf: 'polynomial';
  r_cut: number;
  n_max: number;
  [key: string]: unknown;
}

const radialBasis = readSharedJson<{ radial_basis: Array<GtoReference | PolynomialReference> }>(
  'reference/dscribe/soap_layout_and_basis.json',
).radial_basis;
const gtoSets = radialBasis.filter((b): b is GtoReference => b.rbf === 'gto');
const polynomialSets = radialBasis.filter((b): b is PolynomialReference => b.rbf === 'polynomial');

/** A field of a polynomial set by the start of its (long, descriptive) key. */
function field<T>(set: PolynomialReference, prefix: string): T {
  const key = Object.keys(set).find((k) => k.startsWith(prefix));
  if (key === undefined) throw new Error(`no key starting with ${prefix}`);
  return set[key] as T;
}
const polynomialBetas = (set: PolynomialReference) => field<number[][]>(set, 'betas[n][k]');
const polynomialNodes = (set: PolynomialReference) => field<number[]>(set, 'quadrature_r');
const polynomialValuesAtNodes = (set: PolynomialReference) => field<number[][]>(set, 'g_n(quadrature_r)');

// ---------------------------------------------------------------------------------------------
// Tolerances. Forming β = S^{-1/2} from float64 S is only as accurate as ε κ(H), where
// H = D^{-1/2} S D^{-1/2} is S scaled to unit diagonal: perturbing S's entries by one ulp moves β
// by that much, whatever the algorithm (checked offline against 60-digit mpmath: DScribe's own β
// is off the exact S^{-1/2} by up to 0.03–0.1 ε κ(H), e.g. 2e-10 for r_cut 5 / n_max 8 / l 0
// and 5e-6 for the polynomial r_cut 3 / n_max 8 set). So compare at max(1e-12, ε κ(H)): 1e-12
// for the well-conditioned sets, the conditioning limit for the others.

/** Relative tolerance for quantities set by β: max(1e-12, ε κ(H)). */
function conditioningTolerance(overlap: Float64Array, n: number): number {
  const kappa = scaledConditionNumber(overlap, n);
  // Every reference set is far from singular; a huge κ here would mean a broken overlap matrix.
  expect(kappa).toBeLessThan(1e12);
  return Math.max(1e-12, EPS * kappa);
}

/** max |a − b| / max |b|. */
function relativeMaxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let error = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    error = Math.max(error, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return error / scale;
}

// ---------------------------------------------------------------------------------------------
// Exact-ish Gram matrix β S βᵀ in double-double arithmetic (Dekker/Knuth error-free transforms),
// so the orthonormality check measures β, not the round-off of the check itself (the terms of
// β S βᵀ are up to κ(S) times larger than the result).

function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bVirtual = s - a;
  return [s, a - (s - bVirtual) + (b - bVirtual)];
}

function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  const split = 134217729; // 2^27 + 1
  const ca = split * a;
  const aHigh = ca - (ca - a);
  const aLow = a - aHigh;
  const cb = split * b;
  const bHigh = cb - (cb - b);
  const bLow = b - bHigh;
  return [p, aHigh * bHigh - p + aHigh * bLow + aLow * bHigh + aLow * bLow];
}

/** G = β S βᵀ (n × n) with the sums carried in double-double. */
function gramDoubleDouble(beta: ArrayLike<number>, overlap: ArrayLike<number>, n: number): Float64Array {
  const gram = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      let high = 0;
      let low = 0;
      for (let k = 0; k < n; k++) {
        for (let kp = 0; kp < n; kp++) {
          const [p1, e1] = twoProduct(beta[a * n + k]!, overlap[k * n + kp]!);
          const [p2, e2] = twoProduct(p1, beta[b * n + kp]!);
          const [s, es] = twoSum(high, p2);
          high = s;
          low += es + e2 + e1 * beta[b * n + kp]!;
        }
      }
      gram[a * n + b] = high + low;
    }
  }
  return gram;
}

/** max_ij |G_ij − δ_ij|. */
function distanceFromIdentity(gram: ArrayLike<number>, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m = Math.max(m, Math.abs(gram[i * n + j]! - (i === j ? 1 : 0)));
  return m;
}

/** ∫ r² f_a f_b dr by a rule, for sampled functions values[a * count + i] at rule.nodes[i]. */
function quadratureGram(values: Float64Array, count: number, n: number, rule: { nodes: ArrayLike<number>; weights: ArrayLike<number> }): Float64Array {
  const gram = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      let sum = 0;
      for (let i = 0; i < count; i++) {
        const r = rule.nodes[i]!;
        sum += rule.weights[i]! * r * r * values[a * count + i]! * values[b * count + i]!;
      }
      gram[a * n + b] = sum;
    }
  }
  return gram;
}

/** Composite Gauss–Legendre rule on [0, length]: `panels` panels of `points` points each. */
function compositeRule(length: number, panels: number, points: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(panels * points);
  const weights = new Float64Array(panels * points);
  const width = length / panels;
  for (let p = 0; p < panels; p++) {
    const panel = gaussLegendreOnInterval(points, p * width, (p + 1) * width);
    nodes.set(panel.nodes, p * points);
    weights.set(panel.weights, p * points);
  }
  return { nodes, weights };
}

function expectInvalidParameter(action: () => unknown, ...fragments: string[]): void {
  expectAtomenvError(action, 'INVALID_PARAMETER', ...fragments);
}

const setName = (s: { r_cut: number; n_max: number; l_max?: number }) =>
  s.l_max === undefined ? `r_cut ${s.r_cut}, n_max ${s.n_max}` : `r_cut ${s.r_cut}, n_max ${s.n_max}, l_max ${s.l_max}`;

// ---------------------------------------------------------------------------------------------

describe('reference data', () => {
  it('has the four GTO and three polynomial sets', () => {
    expect(gtoSets).toHaveLength(4);
    expect(polynomialSets).toHaveLength(3);
  });
});

describe('GTO radial basis', () => {
  it('Γ(l + 3/2) = (2l+1)!! √π / 2^{l+1} matches known values', () => {
    // 30-digit values from mpmath.
    const known: Array<[number, number]> = [
      [0, 0.88622692545275801365],
      [1, 1.3293403881791370205],
      [5, 287.885277815044361],
      [12, 1710542068.3195732157],
      [20, 11082798113786903842.0],
    ];
    for (const [l, value] of known) expect(Math.abs(gammaLPlusThreeHalves(l) / value - 1)).toBeLessThan(4 * EPS);
  });

  describe.each(gtoSets.map((s) => [setName(s), s] as const))('%s', (_name, set) => {
    const { r_cut: rCut, n_max: nMax, l_max: lMax } = set;
    const basis = gtoRadialBasis(rCut, nMax, lMax);

    it('has the documented shapes', () => {
      expect(basis.alpha).toHaveLength((lMax + 1) * nMax);
      expect(basis.beta).toHaveLength((lMax + 1) * nMax * nMax);
      expect(basis.decayRadii[0]).toBe(1);
      expect(basis.decayRadii[nMax - 1]).toBe(rCut);
    });

    it('α_{kl} matches DScribe to 1e-15 relative, and φ_{kl}(a_k) = 10⁻³', () => {
      for (let l = 0; l <= lMax; l++) {
        for (let k = 0; k < nMax; k++) {
          const alpha = basis.alpha[l * nMax + k]!;
          expect(Math.abs(alpha / set['alphas[l][n]'][l]![k]! - 1)).toBeLessThan(1e-15);
          const a = basis.decayRadii[k]!;
          expect(Math.abs((a ** l * Math.exp(-alpha * a * a)) / GTO_DECAY_THRESHOLD - 1)).toBeLessThan(1e-13);
        }
      }
    });

    it('β_{l,n,k} matches DScribe (same sign convention) to max(1e-12, ε κ(H)) relative', () => {
      for (let l = 0; l <= lMax; l++) {
        const overlap = gtoOverlapMatrix(basis.alpha.subarray(l * nMax, (l + 1) * nMax), l);
        const expected = set['betas[l][n][k]'][l]!.flat();
        const ours = basis.beta.subarray(l * nMax * nMax, (l + 1) * nMax * nMax);
        expect(relativeMaxError(ours, expected), `l = ${l}`).toBeLessThan(conditioningTolerance(overlap, nMax));
      }
    });

    it('each β_l is the symmetric positive-definite (principal) root', () => {
      for (let l = 0; l <= lMax; l++) {
        const block = basis.beta.subarray(l * nMax * nMax, (l + 1) * nMax * nMax);
        for (let n = 0; n < nMax; n++) for (let k = 0; k < n; k++) expect(block[n * nMax + k]).toBe(block[k * nMax + n]);
        expect(symmetricEigen(block, nMax).values[0]!).toBeGreaterThan(0);
      }
    });

    it('g_{nl} are orthonormal: β S βᵀ = I (closed-form overlap, double-double sums)', () => {
      for (let l = 0; l <= lMax; l++) {
        const overlap = gtoOverlapMatrix(basis.alpha.subarray(l * nMax, (l + 1) * nMax), l);
        const gram = gramDoubleDouble(basis.beta.subarray(l * nMax * nMax, (l + 1) * nMax * nMax), overlap, nMax);
        expect(distanceFromIdentity(gram, nMax), `l = ${l}`).toBeLessThan(conditioningTolerance(overlap, nMax));
      }
    });

    it('g_{nl} are orthonormal: ∫_0^∞ r² g_{nl} g_{n′l} dr = δ by quadrature (16 × 64-point Gauss–Legendre on [0, 4 r_cut])', () => {
      // Slowest primitive: exp(−α r²) with α ≥ ln(10³)/r_cut², so at 4 r_cut it is below 1e-40.
      const rule = compositeRule(4 * rCut, 16, 64);
      const count = rule.nodes.length;
      for (let l = 0; l <= lMax; l++) {
        const overlap = gtoOverlapMatrix(basis.alpha.subarray(l * nMax, (l + 1) * nMax), l);
        const gram = quadratureGram(gtoRadialValues(basis, rule.nodes, l), count, nMax, rule);
        expect(distanceFromIdentity(gram, nMax), `l = ${l}`).toBeLessThan(conditioningTolerance(overlap, nMax));
      }
    });
  });

  it('the closed-form overlap S_{kk′} = ½ Γ(l + 3/2) (α_k + α_k′)^{−(l+3/2)} matches quadrature of r² φ_k φ_k′', () => {
    const alphas = [2.5, 0.7, 0.31];
    const rule = compositeRule(20, 16, 64);
    for (const l of [0, 3, 9]) {
      const overlap = gtoOverlapMatrix(alphas, l);
      for (let k = 0; k < 3; k++) {
        for (let kp = 0; kp < 3; kp++) {
          let integral = 0;
          for (let i = 0; i < rule.nodes.length; i++) {
            const r = rule.nodes[i]!;
            integral += rule.weights[i]! * r ** (2 * l + 2) * Math.exp(-(alphas[k]! + alphas[kp]!) * r * r);
          }
          expect(Math.abs(integral / overlap[k * 3 + kp]! - 1)).toBeLessThan(1e-13);
        }
      }
    }
  });

  it('gtoRadial agrees with gtoRadialValues and follows the formula', () => {
    const basis = gtoRadialBasis(4.5, 5, 6);
    const radii = [0, 0.3, 1.1, 2.7, 4.5, 7];
    for (const l of [0, 1, 6]) {
      const values = gtoRadialValues(basis, radii, l);
      for (let n = 0; n < 5; n++) {
        for (let i = 0; i < radii.length; i++) {
          const r = radii[i]!;
          const scalar = gtoRadial(basis, r, l, n);
          expect(Math.abs(scalar - values[n * radii.length + i]!)).toBeLessThanOrEqual(1e-14 * (1 + Math.abs(scalar)));
          let direct = 0;
          for (let k = 0; k < 5; k++) {
            direct += basis.beta[(l * 5 + n) * 5 + k]! * r ** l * Math.exp(-basis.alpha[l * 5 + k]! * r * r);
          }
          expect(Math.abs(scalar - direct)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(direct)));
          if (l > 0 && r === 0) expect(Math.abs(scalar)).toBe(0);
        }
      }
    }
  });

  it('validates r_cut > 1 Å, n_max ≥ 1, 0 ≤ l_max ≤ 20, and the arguments of the evaluators', () => {
    expectInvalidParameter(() => gtoRadialBasis(1, 4, 4), 'greater than 1 Å');
    expectInvalidParameter(() => gtoRadialBasis(0.5, 4, 4), 'greater than 1 Å');
    expectInvalidParameter(() => gtoRadialBasis(NaN, 4, 4), 'rCut');
    expectInvalidParameter(() => gtoRadialBasis(5, 0, 4), 'nMax');
    expectInvalidParameter(() => gtoRadialBasis(5, 2.5, 4), 'nMax');
    expectInvalidParameter(() => gtoRadialBasis(5, 4, 21), 'lMax', '0..20');
    expectInvalidParameter(() => gtoRadialBasis(5, 4, -1), 'lMax');
    expect(gtoRadialBasis(5, 4, 20).beta).toHaveLength(21 * 16);
    expect(Array.from(gtoRadialBasis(5, 1, 0).decayRadii)).toEqual([1]);
    const basis = gtoRadialBasis(5, 4, 2);
    expectInvalidParameter(() => gtoRadial(basis, 1, 3, 0), 'l must be in 0..2');
    expectInvalidParameter(() => gtoRadial(basis, 1, 0, 4), 'n must be in 0..3');
    expectInvalidParameter(() => gtoRadialValues(basis, [1], -1), 'l must be in 0..2');
  });

  it('reports ill-conditioned parameters by r_cut, n_max and l (where DScribe’s β turns complex)', () => {
    // DScribe 2.1.1 (scipy sqrtm) returns a complex β here and raises.
    expectInvalidParameter(
      () => gtoRadialBasis(1.5, 10, 4),
      'r_cut = 1.5 Å, n_max = 10, l = 0',
      'not positive definite',
      'lower n_max or raise r_cut',
    );
    expectInvalidParameter(() => gtoRadialBasis(3, 16, 0), 'n_max = 16', 'not positive definite');
  });
});

describe('polynomial radial basis', () => {
  it('the closed-form overlap 2 r_cut^{7+k+k′} / ((5+k+k′)(6+k+k′)(7+k+k′)) matches ∫_0^{r_cut} r² φ_k φ_k′ dr', () => {
    for (const [rCut, nMax] of [
      [2.5, 5],
      [6, 3],
    ] as const) {
      const overlap = polynomialOverlapMatrix(rCut, nMax);
      const rule = gaussLegendreOnInterval(40, 0, rCut); // exact up to degree 79
      for (let k = 1; k <= nMax; k++) {
        for (let kp = 1; kp <= nMax; kp++) {
          let integral = 0;
          for (let i = 0; i < 40; i++) {
            const r = rule.nodes[i]!;
            integral += rule.weights[i]! * r * r * (rCut - r) ** (k + 2) * (rCut - r) ** (kp + 2);
          }
          expect(Math.abs(integral / overlap[(k - 1) * nMax + (kp - 1)]! - 1)).toBeLessThan(1e-13);
        }
      }
    }
  });

  describe.each(polynomialSets.map((s) => [setName(s), s] as const))('%s', (_name, set) => {
    const { r_cut: rCut, n_max: nMax } = set;
    const basis = polynomialRadialBasis(rCut, nMax);
    const overlap = polynomialOverlapMatrix(rCut, nMax);
    const nodes = polynomialNodes(set);
    const referenceValues = polynomialValuesAtNodes(set).flat();

    it('β_{nk} matches DScribe (same sign convention) to max(1e-12, ε κ(H)) relative', () => {
      expect(basis.beta).toHaveLength(nMax * nMax);
      expect(relativeMaxError(basis.beta, polynomialBetas(set).flat())).toBeLessThan(conditioningTolerance(overlap, nMax));
    });

    it('the 100 Gauss–Legendre nodes on [0, r_cut] match DScribe’s to 2 ε relative', () => {
      const rule = polynomialQuadrature(rCut);
      expect(rule.nodes).toHaveLength(100);
      for (let i = 0; i < 100; i++) expect(Math.abs(rule.nodes[i]! / nodes[i]! - 1), `node ${i}`).toBeLessThanOrEqual(2 * EPS);
    });

    it('g_n(r) = Σ_k β_nk (r_cut − r)^{k+3}: with DScribe’s β it reproduces DScribe’s g_n(nodes) to round-off', () => {
      const fileBasis: PolynomialRadialBasis = { rCut, nMax, beta: Float64Array.from(polynomialBetas(set).flat()) };
      const values = polynomialRadialValues(fileBasis, nodes);
      for (let n = 0; n < nMax; n++) {
        for (let i = 0; i < nodes.length; i++) {
          // Forward-error bound of the sum: a few ε times Σ_k |β_nk| (r_cut − r)^{k+3}.
          const u = rCut - nodes[i]!;
          let magnitude = 0;
          for (let k = 0; k < nMax; k++) magnitude += Math.abs(fileBasis.beta[n * nMax + k]!) * u ** (k + 3);
          expect(Math.abs(values[n * 100 + i]! - referenceValues[n * 100 + i]!)).toBeLessThanOrEqual(4 * EPS * magnitude);
        }
      }
    });

    it('g_n(nodes) from our β match DScribe’s to max(1e-12, ε κ(H)) relative to max |g|', () => {
      expect(relativeMaxError(polynomialRadialValues(basis, nodes), referenceValues)).toBeLessThan(conditioningTolerance(overlap, nMax));
    });

    it('g_n are orthonormal on [0, r_cut]: ∫ r² g_n g_n′ dr = δ (100-point rule, exact for these degrees)', () => {
      const rule = polynomialQuadrature(rCut);
      const gram = quadratureGram(polynomialRadialValues(basis, rule.nodes), 100, nMax, rule);
      expect(distanceFromIdentity(gram, nMax)).toBeLessThan(conditioningTolerance(overlap, nMax));
      expect(distanceFromIdentity(gramDoubleDouble(basis.beta, overlap, nMax), nMax)).toBeLessThan(conditioningTolerance(overlap, nMax));
    });
  });

  it('g_n vanishes at and beyond r_cut, and polynomialRadial agrees with polynomialRadialValues', () => {
    const basis = polynomialRadialBasis(4, 5);
    const radii = [0, 0.5, 2, 3.9, 4, 4.5];
    const values = polynomialRadialValues(basis, radii);
    for (let n = 0; n < 5; n++) {
      for (let i = 0; i < radii.length; i++) {
        const scalar = polynomialRadial(basis, radii[i]!, n);
        expect(scalar).toBe(values[n * radii.length + i]);
        if (radii[i]! >= 4) expect(scalar).toBe(0);
        else expect(scalar).not.toBe(0);
      }
    }
  });

  it('validates r_cut > 0 and n_max ≥ 1, and reports an ill-conditioned n_max', () => {
    expectInvalidParameter(() => polynomialRadialBasis(0, 3), 'rCut');
    expectInvalidParameter(() => polynomialRadialBasis(Infinity, 3), 'rCut');
    expectInvalidParameter(() => polynomialRadialBasis(3, 0), 'nMax');
    expectInvalidParameter(() => polynomialRadial(polynomialRadialBasis(3, 2), 1, 2), 'n must be in 0..1');
    // DScribe 2.1.1's β is complex (or noise) here.
    expectInvalidParameter(() => polynomialRadialBasis(3, 12), 'r_cut = 3 Å, n_max = 12', 'not positive definite', 'lower n_max');
  });
});

describe('Gauss–Legendre quadrature', () => {
  it('reproduces the closed-form 1-, 2-, 3- and 5-point rules', () => {
    const close = (a: ArrayLike<number>, b: number[]) => b.forEach((x, i) => expect(Math.abs(a[i]! - x)).toBeLessThanOrEqual(4 * EPS));
    let rule = gaussLegendre(1);
    close(rule.nodes, [0]);
    close(rule.weights, [2]);
    rule = gaussLegendre(2);
    close(rule.nodes, [-1 / Math.sqrt(3), 1 / Math.sqrt(3)]);
    close(rule.weights, [1, 1]);
    rule = gaussLegendre(3);
    close(rule.nodes, [-Math.sqrt(0.6), 0, Math.sqrt(0.6)]);
    close(rule.weights, [5 / 9, 8 / 9, 5 / 9]);
    rule = gaussLegendre(5);
    const inner = Math.sqrt(5 - 2 * Math.sqrt(10 / 7)) / 3;
    const outer = Math.sqrt(5 + 2 * Math.sqrt(10 / 7)) / 3;
    close(rule.nodes, [-outer, -inner, 0, inner, outer]);
    const wInner = (322 + 13 * Math.sqrt(70)) / 900;
    const wOuter = (322 - 13 * Math.sqrt(70)) / 900;
    close(rule.weights, [wOuter, wInner, 128 / 225, wInner, wOuter]);
  });

  it.each([4, 10, 37, 100, 256])('the %i-point rule integrates x^k exactly for k ≤ 2n − 1 and is symmetric', (n) => {
    const { nodes, weights } = gaussLegendre(n);
    for (let i = 0; i < n; i++) {
      expect(nodes[i]! + nodes[n - 1 - i]!).toBe(0);
      expect(weights[i]).toBe(weights[n - 1 - i]);
      expect(weights[i]!).toBeGreaterThan(0);
      if (i > 0) expect(nodes[i]!).toBeGreaterThan(nodes[i - 1]!);
    }
    for (let k = 0; k <= 2 * n - 1; k++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += weights[i]! * nodes[i]! ** k;
      const exact = k % 2 === 0 ? 2 / (k + 1) : 0;
      // Each node is good to ~1 ulp, so x^k carries ~k ulp.
      expect(Math.abs(sum - exact), `k = ${k}`).toBeLessThanOrEqual((k + 4) * 2 * EPS * (k % 2 === 0 ? exact : 1));
    }
  });

  it('maps to [a, b] as DScribe does: r = (b − a) · ½ (x + 1) + a, w scaled by (b − a)/2', () => {
    const { nodes: x, weights: w } = gaussLegendre(100);
    const rule = gaussLegendreOnInterval(100, 0, 4.2);
    for (let i = 0; i < 100; i++) {
      expect(rule.nodes[i]).toBe(4.2 * 0.5 * (x[i]! + 1));
      expect(rule.weights[i]).toBe(0.5 * 4.2 * w[i]!);
    }
    expect(Array.from(polynomialQuadrature(4.2).nodes)).toEqual(Array.from(rule.nodes));
    const shifted = gaussLegendreOnInterval(7, 1, 3);
    let integral = 0;
    for (let i = 0; i < 7; i++) integral += shifted.weights[i]! * shifted.nodes[i]! ** 5; // ∫_1^3 r⁵ dr = (3⁶ − 1)/6
    expect(Math.abs(integral / (728 / 6) - 1)).toBeLessThan(1e-14);
  });

  it('rejects a bad number of points or interval', () => {
    expectInvalidParameter(() => gaussLegendre(0), 'integer ≥ 1');
    expectInvalidParameter(() => gaussLegendre(2.5), 'integer ≥ 1');
    expectInvalidParameter(() => gaussLegendreOnInterval(10, 1, 1), 'a < b');
  });
});
