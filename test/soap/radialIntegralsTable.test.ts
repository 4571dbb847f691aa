import { describe, expect, it } from 'vitest';
import { gtoRadialBasis } from '../../src/soap/radial/gto.js';
import { polynomialRadialBasis } from '../../src/soap/radial/polynomial.js';
import { createGtoRadialIntegrals } from '../../src/soap/radialIntegrals/gtoIntegrals.js';
import { createPolynomialRadialIntegrals } from '../../src/soap/radialIntegrals/polynomialIntegrals.js';
import {
  buildRadialIntegralTable,
  evaluate,
  gtoRadialIntegralTable,
  polynomialRadialIntegralTable,
  type RadialIntegralTable,
} from '../../src/soap/radialIntegrals/table.js';
import { cutoffPadding, type RadialIntegralEvaluator } from '../../src/soap/radialIntegrals/types.js';
import { readSharedJson } from '../helpers/shared.js';
import { expectAtomenvError } from '../helpers/errors.js';

interface Params { r_cut: number; n_max: number; l_max: number; sigma: number }
function distinctParams(file: string): Params[] {
  const sets: Params[] = [];
  for (const c of readSharedJson<{ cases: Array<{ params: Params }> }>(file).cases) {
    const p = c.params;
    if (!sets.some((s) => s.r_cut === p.r_cut && s.n_max === p.n_max && s.l_max === p.l_max && s.sigma === p.sigma)) {
      sets.push({ r_cut: p.r_cut, n_max: p.n_max, l_max: p.l_max, sigma: p.sigma });
    }
  }
  return sets;
}
const gtoSets = distinctParams('reference/dscribe/soap_gto_molecules.json');
const polySets = distinctParams('reference/dscribe/soap_polynomial_molecules.json');

/** A fake evaluator: channel c is the polynomial p_c(r) = Σ_j a_{cj} r^j of degree `degree`. */
function polynomialEvaluator(degree: number): RadialIntegralEvaluator {
  const coefficients = [
    [0.3, -1.2, 0.7, 0.25, -0.11, 0.043].slice(0, degree + 1),
    [-2, 0.5, 0.9, -0.4, 0.07, -0.02].slice(0, degree + 1),
  ];
  return {
    nMax: 2,
    lMax: 0,
    sigma: 1,
    evaluate(r, value, d1, d2) {
      coefficients.forEach((a, c) => {
        value[c] = a.reduce((s, ak, j) => s + ak * r ** j, 0);
        if (d1) d1[c] = a.reduce((s, ak, j) => s + (j > 0 ? j * ak * r ** (j - 1) : 0), 0);
        if (d2) d2[c] = a.reduce((s, ak, j) => s + (j > 1 ? j * (j - 1) * ak * r ** (j - 2) : 0), 0);
      });
    },
  };
}

/**
 * Dense check: error of the table (value and dI/dr) against the exact evaluator at `count`
 * radii r_k = r_max (k + φ)/count (φ irrational: not on knots or check points) plus both ends,
 * relative per channel to max |I_nl| (max |dI_nl/dr|) over those radii.
 */
function denseError(table: RadialIntegralTable, exact: RadialIntegralEvaluator, count: number) {
  const m = table.channels;
  const radii = [0, table.rMax];
  for (let k = 0; k < count; k++) radii.push((table.rMax * (k + 0.6180339887)) / count);
  const e = new Float64Array(m);
  const de = new Float64Array(m);
  const t = new Float64Array(m);
  const dt = new Float64Array(m);
  const scale = new Float64Array(m);
  const dScale = new Float64Array(m);
  const error = new Float64Array(m);
  const dError = new Float64Array(m);
  for (const r of radii) {
    exact.evaluate(r, e, de);
    evaluate(table, r, t, dt);
    for (let c = 0; c < m; c++) {
      scale[c] = Math.max(scale[c]!, Math.abs(e[c]!));
      dScale[c] = Math.max(dScale[c]!, Math.abs(de[c]!));
      error[c] = Math.max(error[c]!, Math.abs(t[c]! - e[c]!));
      dError[c] = Math.max(dError[c]!, Math.abs(dt[c]! - de[c]!));
    }
  }
  let value = 0;
  let derivative = 0;
  for (let c = 0; c < m; c++) {
    value = Math.max(value, error[c]! / scale[c]!);
    derivative = Math.max(derivative, dError[c]! / dScale[c]!);
  }
  return { value, derivative };
}

describe('radial integral tables', () => {
  it('quintic Hermite reproduces degree-5 polynomials, cubic reproduces degree 3 (value and slope)', () => {
    for (const order of [5, 3] as const) {
      const exact = polynomialEvaluator(order);
      const table = buildRadialIntegralTable(exact, 2.5, { order, initialIntervals: 7 });
      expect(table.intervals).toBe(7); // exact at once: no refinement
      expect(table.data.length).toBe((7 + 1) * table.derivatives * table.channels);
      const { value, derivative } = denseError(table, exact, 500);
      expect(value).toBeLessThan(1e-14);
      expect(derivative).toBeLessThan(1e-13);
    }
    // ...but not degree 6 with the same knots (the check can fail).
    const sixth: RadialIntegralEvaluator = {
      nMax: 1, lMax: 0, sigma: 1,
      evaluate(r, v, d1, d2) {
        v[0] = r ** 6;
        if (d1) d1[0] = 6 * r ** 5;
        if (d2) d2[0] = 30 * r ** 4;
      },
    };
    const coarse = buildRadialIntegralTable(sixth, 2.5, { initialIntervals: 7, tolerance: 1, safety: 1 });
    expect(denseError(coarse, sixth, 500).value).toBeGreaterThan(1e-8); // h⁶ t³(1−t)³ f⁽⁶⁾/6! ≈ 1.3e-7
  });

  it('lays out data as [knot][I, I′, I″][l·n_max + n]', () => {
    const basis = gtoRadialBasis(4, 3, 2);
    const exact = createGtoRadialIntegrals(basis, 0.4);
    const table = gtoRadialIntegralTable(basis, 0.4);
    const m = 9;
    expect(table.channels).toBe(m);
    expect(table.rMax).toBeCloseTo(4 + 0.4 * Math.sqrt(-2 * Math.log(1e-3)), 14);
    const v = new Float64Array(m);
    const d1 = new Float64Array(m);
    const d2 = new Float64Array(m);
    const knot = 5;
    exact.evaluate(knot * table.spacing, v, d1, d2);
    for (let c = 0; c < m; c++) {
      expect(table.data[(knot * 3 + 0) * m + c]).toBe(v[c]);
      expect(table.data[(knot * 3 + 1) * m + c]).toBe(d1[c]);
      expect(table.data[(knot * 3 + 2) * m + c]).toBe(d2[c]);
    }
    // Clamping outside [0, r_max].
    const inside = new Float64Array(m);
    const outside = new Float64Array(m);
    evaluate(table, table.rMax, inside);
    evaluate(table, table.rMax + 1, outside);
    expect(Array.from(outside)).toEqual(Array.from(inside));
  });

  const cases: Array<{ name: string; make: (order: 3 | 5) => { table: RadialIntegralTable; exact: RadialIntegralEvaluator } }> = [
    ...gtoSets.map((s) => ({
      name: `gto r_cut ${s.r_cut} n_max ${s.n_max} l_max ${s.l_max} σ ${s.sigma}`,
      make: (order: 3 | 5) => {
        const basis = gtoRadialBasis(s.r_cut, s.n_max, s.l_max);
        return { table: gtoRadialIntegralTable(basis, s.sigma, { order }), exact: createGtoRadialIntegrals(basis, s.sigma) };
      },
    })),
    ...polySets.map((s) => ({
      name: `polynomial r_cut ${s.r_cut} n_max ${s.n_max} l_max ${s.l_max} σ ${s.sigma}`,
      make: (order: 3 | 5) => {
        const basis = polynomialRadialBasis(s.r_cut, s.n_max);
        return {
          table: polynomialRadialIntegralTable(basis, s.l_max, s.sigma, { order }),
          exact: createPolynomialRadialIntegrals(basis, s.l_max, s.sigma),
        };
      },
    })),
  ];

  for (const { name, make } of cases) {
    for (const order of [5, 3] as const) {
      it(`${order === 5 ? 'quintic' : 'cubic'} table error ≤ 1e-10 of max |I_nl| on 20000 radii (${name})`, () => {
        const start = performance.now();
        const { table, exact } = make(order);
        const buildMs = performance.now() - start;
        expect(table.maxRelativeError).toBeLessThanOrEqual(0.5e-10);
        const { value, derivative } = denseError(table, exact, 20000);
        expect(value).toBeLessThanOrEqual(1e-10);
        expect(derivative).toBeLessThan(1e-7);
        // Evaluation speed of the TS evaluate (the wasm kernel will be faster).
        const out = new Float64Array(table.channels);
        const dOut = new Float64Array(table.channels);
        const evalStart = performance.now();
        const repeats = 20000;
        for (let k = 0; k < repeats; k++) evaluate(table, (table.rMax * k) / repeats, out, dOut);
        const evalNs = ((performance.now() - evalStart) / repeats) * 1e6;
        console.info(
          `table ${order === 5 ? 'quintic' : 'cubic'} ${name}: ${table.intervals + 1} knots (h = ${table.spacing.toFixed(5)} Å, ` +
            `${table.iterations} builds, ${(table.data.byteLength / 1024).toFixed(1)} KiB), build ${buildMs.toFixed(1)} ms, ` +
            `check-point error ${table.maxRelativeError.toExponential(2)}, dense error ${value.toExponential(2)}, ` +
            `dI/dr error ${derivative.toExponential(2)}, evaluate ${evalNs.toFixed(0)} ns/radius (all ${table.channels} channels + dI/dr)`,
        );
      });
    }
  }

  it('rejects bad options', () => {
    const exact = polynomialEvaluator(3);
    expectAtomenvError(() => buildRadialIntegralTable(exact, 0), 'INVALID_PARAMETER');
    expectAtomenvError(() => buildRadialIntegralTable(exact, 1, { order: 4 as 5 }), 'INVALID_PARAMETER');
    expectAtomenvError(() => buildRadialIntegralTable(exact, 1, { tolerance: 0 }), 'INVALID_PARAMETER');
    // A tolerance below float64 rounding cannot be met within maxIntervals.
    const gto = createGtoRadialIntegrals(gtoRadialBasis(4, 3, 2), 0.4);
    expectAtomenvError(
      () => buildRadialIntegralTable(gto, 4 + cutoffPadding(0.4), { tolerance: 1e-20, maxIntervals: 64 }),
      'INVALID_PARAMETER',
      'still above',
    );
  });

  it('stops at once, naming the cause, when the integrals themselves are too noisy to tabulate to 1e-10', () => {
    // n_max 12 with wide Gaussians: β is so ill-conditioned that the exact integrals carry ~2e-10
    // of rounding, so refining the grid stops helping (this used to take minutes and then fail).
    const started = performance.now();
    expectAtomenvError(
      () => gtoRadialIntegralTable(gtoRadialBasis(9, 12, 4), 0.8),
      'INVALID_PARAMETER',
      'ill-conditioned',
      'smaller nMax',
    );
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
