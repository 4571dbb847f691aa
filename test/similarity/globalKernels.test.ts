import { beforeAll, describe, expect, test } from 'vitest';
import { ACSF, averageKernel, init, rematchKernel, type DescriptorValues } from '../../src/index.js';
import { readShared } from '../helpers/shared.js';
import {
  bestMatch, features, plainAverage, plainGlobal, plainLocal, plainRematch, random, randomRows, rowsOf, type PlainOptions, type Rows,
} from './plainKernels.js';

let molecules: DescriptorValues[];
const MOLECULES = ['mol_CH4', 'mol_H2O', 'mol_NH3', 'mol_CH3CH2OH', 'mol_C6H6', 'mol_CH3CONH2'];

beforeAll(async () => {
  await init();
  const acsf = new ACSF({
    species: ['H', 'C', 'N', 'O'],
    rCut: 5,
    g2Params: [[0.5, 0], [1, 1.5]],
    g3Params: [1],
    g4Params: [[0.01, 1, 1], [0.01, 2, -1]],
    g5Params: [[0.02, 1, 1]],
  });
  molecules = MOLECULES.map((m) => acsf.create(readShared(`data/structures/${m}.extxyz`)[0]!));
});

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return m;
}

function randomStructures(seed: number, sizes: number[], nF: number, lo = 0, hi = 1): Rows[] {
  const rand = random(seed);
  return sizes.map((n) => randomRows(rand, n, nF, lo, hi));
}

/** Rows with environment order permuted (a fixed derangement-ish shuffle). */
function permuted(rows: Rows, seed: number): Rows {
  const rand = random(seed);
  const order = rows.map((_, i) => [rand(), i] as const).sort((p, q) => p[0] - q[0]).map(([, i]) => i);
  return order.map((i) => rows[i]!);
}

const OPTIONS: PlainOptions[] = [{ metric: 'dot' }, { metric: 'dot', zeta: 2 }, { metric: 'rbf', gamma: 0.7 }, { metric: 'linear' }, { metric: 'polynomial', degree: 2 }];

describe('averageKernel matches the plain mean of the local kernel', () => {
  for (const o of OPTIONS) {
    for (const normalizeKernel of [true, false]) {
      test(`${JSON.stringify(o)}, normalizeKernel ${normalizeKernel}, random`, () => {
        const xs = randomStructures(1, [3, 5, 1, 4], 7), ys = randomStructures(2, [2, 6, 3], 7);
        const k = averageKernel(xs.map(features), ys.map(features), { ...o, normalizeKernel });
        expect(k.shape).toEqual([4, 3]);
        expect(maxRelDiff(k.values, plainGlobal(xs, ys, o, plainAverage, normalizeKernel).flat())).toBeLessThan(1e-13);
        const sym = averageKernel(xs.map(features), null, { ...o, normalizeKernel });
        expect(sym.shape).toEqual([4, 4]);
        expect(maxRelDiff(sym.values, plainGlobal(xs, xs, o, plainAverage, normalizeKernel).flat())).toBeLessThan(1e-13);
      });
    }
  }

  test('ACSF of six molecules, every metric', () => {
    const rows = molecules.map(rowsOf);
    for (const o of OPTIONS) {
      const k = averageKernel(molecules, null, o);
      expect(maxRelDiff(k.values, plainGlobal(rows, rows, o, plainAverage, true).flat())).toBeLessThan(1e-12);
    }
  });

  test('the linear average kernel is the dot product of the mean feature vectors', () => {
    const xs = randomStructures(3, [4, 2, 7], 5);
    const mean = (s: Rows) => s[0]!.map((_, f) => s.reduce((acc, r) => acc + r[f]!, 0) / s.length);
    const k = averageKernel(xs.map(features), null, { metric: 'linear', normalizeKernel: false });
    xs.forEach((a, i) => xs.forEach((b, j) => {
      const want = mean(a).reduce((s, v, f) => s + v * mean(b)[f]!, 0);
      expect(Math.abs(k.values[i * 3 + j]! - want) / want).toBeLessThan(1e-13);
    }));
  });
});

describe('rematchKernel matches a textbook Sinkhorn', () => {
  // With DScribe's stopping rule the iterates are the same, so the results agree to rounding
  // at any threshold; near-diagonal E (small α, self-similarities) converges very slowly, so
  // the threshold matters there (DScribe's results depend on it the same way).
  const dscribe = (alpha: number, threshold: number) => (c: Rows) => plainRematch(c, alpha, threshold, true);
  for (const o of OPTIONS.slice(0, 3)) {
    for (const alpha of [0.05, 0.1, 1]) {
      for (const threshold of [1e-6, 1e-10]) {
        test(`${JSON.stringify(o)}, α ${alpha}, threshold ${threshold}, random, x × y and x × x`, () => {
          const xs = randomStructures(4, [3, 5, 1, 4], 6), ys = randomStructures(5, [2, 6, 3], 6);
          const k = rematchKernel(xs.map(features), ys.map(features), { ...o, alpha, threshold });
          expect(k.shape).toEqual([4, 3]);
          expect(maxRelDiff(k.values, plainGlobal(xs, ys, o, dscribe(alpha, threshold), true).flat())).toBeLessThan(1e-12);
          const sym = rematchKernel(xs.map(features), null, { ...o, alpha, threshold, normalizeKernel: false });
          expect(maxRelDiff(sym.values, plainGlobal(xs, null, o, dscribe(alpha, threshold), false).flat())).toBeLessThan(1e-12);
        });
      }
    }
  }

  test('ACSF of six molecules, dot ζ = 2, α 0.1 and 0.5, default threshold', () => {
    const rows = molecules.map(rowsOf);
    const o: PlainOptions = { metric: 'dot', zeta: 2 };
    for (const alpha of [0.1, 0.5]) {
      const k = rematchKernel(molecules, null, { ...o, alpha });
      expect(maxRelDiff(k.values, plainGlobal(rows, null, o, dscribe(alpha, 1e-6), true).flat())).toBeLessThan(1e-12);
    }
  });

  test('well-conditioned E (α ≥ 1) converged to 1e-24: the textbook stopping rule gives the same fixed point', () => {
    const xs = randomStructures(12, [3, 5, 4], 6), ys = randomStructures(13, [2, 6], 6);
    for (const alpha of [1, 3]) {
      const k = rematchKernel(xs.map(features), ys.map(features), { metric: 'rbf', alpha, threshold: 1e-24 });
      const want = plainGlobal(xs, ys, { metric: 'rbf' }, (c) => plainRematch(c, alpha, 1e-24), true);
      expect(maxRelDiff(k.values, want.flat())).toBeLessThan(1e-12);
    }
  });

  test('linear metric with C above 1 (E is computed shifted by max C; P is unchanged)', () => {
    const o: PlainOptions = { metric: 'linear' };
    const raw = molecules.slice(0, 4).map(rowsOf);
    // Scaled so that max C = 4: the unshifted textbook exp stays finite and well above 0.
    const scale = 2 / Math.sqrt(Math.max(...raw.flatMap((a) => plainLocal(a, a, o).flat())));
    const rows = raw.map((a) => a.map((r) => r.map((v) => v * scale)));
    const k = rematchKernel(rows.map(features), null, { ...o, alpha: 1 });
    expect(maxRelDiff(k.values, plainGlobal(rows, null, o, dscribe(1, 1e-6), true).flat())).toBeLessThan(1e-12);
  });
});

describe('kernel properties', () => {
  test('REMatch → the average kernel as α → ∞', () => {
    const xs = randomStructures(8, [3, 6, 2, 5], 4);
    const avg = averageKernel(xs.map(features), null, { metric: 'rbf' });
    let previous = Infinity;
    for (const alpha of [1, 10, 100, 1e4]) {
      const re = rematchKernel(xs.map(features), null, { metric: 'rbf', alpha, threshold: 1e-20 });
      const gap = maxRelDiff(re.values, avg.values);
      expect(gap).toBeLessThan(previous);
      previous = gap;
    }
    expect(previous).toBeLessThan(1e-5);
  });

  test('REMatch → the best-match assignment as α → 0 (enumerated over all permutations)', () => {
    for (const seed of [9, 10, 11]) {
      const [a, b] = randomStructures(seed, [5, 5], 6);
      const best = bestMatch(plainLocal(a!, b!, { metric: 'dot' }));
      const raw = (alpha: number) =>
        rematchKernel([features(a!)], [features(b!)], { alpha, threshold: 1e-12, normalizeKernel: false }).values[0]!;
      // ⟨P_α, C⟩ + α H(P_α) ≥ best + α ln 5 and ln 5 ≤ H ≤ 2 ln 5 for couplings with uniform
      // marginals, so best − α ln 5 ≤ K_α ≤ best (Birkhoff: the best coupling is a permutation).
      let previous = -Infinity;
      for (const alpha of [0.1, 0.03, 0.01]) {
        const k = raw(alpha);
        expect(k).toBeLessThanOrEqual(best + 1e-9);
        expect(k).toBeGreaterThanOrEqual(best - alpha * Math.log(5));
        expect(k).toBeGreaterThan(previous);
        previous = k;
      }
      // The average of C is far from the best match, and α = 0.01 closes > 90 % of that gap.
      const average = plainAverage(plainLocal(a!, b!, { metric: 'dot' }));
      expect(best - average).toBeGreaterThan(0.01);
      expect(best - previous).toBeLessThan(0.1 * (best - average));
    }
  });

  test('identical structures give 1 after normalisation (x and a copy as y)', () => {
    const copy = molecules.map((m) => ({ values: m.values.slice(), shape: [...m.shape] as [number, number] }));
    const cases = [
      ...(['dot', 'rbf', 'linear', 'polynomial'] as const).map((metric) => [averageKernel, metric] as const),
      // linear and polynomial C of raw ACSF reach hundreds: exp(−(1 − C)/α) would underflow.
      ...(['dot', 'rbf'] as const).map((metric) => [rematchKernel, metric] as const),
    ];
    {
      for (const [kernel, metric] of cases) {
        const k = kernel(molecules, copy, { metric });
        for (let i = 0; i < molecules.length; i++) expect(k.values[i * molecules.length + i]).toBeCloseTo(1, 13);
        const self = kernel(molecules, null, { metric });
        for (let i = 0; i < molecules.length; i++) expect(self.values[i * molecules.length + i]).toBeCloseTo(1, 13);
      }
    }
  });

  test('symmetry: K(A, B) = K(B, A); y = null gives the x × x matrix', () => {
    const xs = molecules.slice(0, 5);
    const avg = averageKernel(xs, null, { metric: 'dot', zeta: 2 });
    const avgFull = averageKernel(xs, xs, { metric: 'dot', zeta: 2 });
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 5; j++) {
        expect(avg.values[i * 5 + j]).toBe(avg.values[j * 5 + i]);
        expect(Math.abs(avgFull.values[i * 5 + j]! - avgFull.values[j * 5 + i]!)).toBeLessThan(1e-15);
        expect(Math.abs(avgFull.values[i * 5 + j]! - avg.values[i * 5 + j]!)).toBeLessThan(1e-15);
      }
    }
    // REMatch(A, B) and REMatch(B, A) are equal at the fixed point: converged tightly (α = 1,
    // fast), they agree to rounding.
    const o = { metric: 'dot' as const, zeta: 2, alpha: 1, threshold: 1e-24 };
    const re = rematchKernel(xs, null, o);
    const reFull = rematchKernel(xs, xs, o);
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 5; j++) {
        expect(re.values[i * 5 + j]).toBe(re.values[j * 5 + i]);
        expect(Math.abs(reFull.values[i * 5 + j]! - reFull.values[j * 5 + i]!)).toBeLessThan(1e-13);
        expect(Math.abs(reFull.values[i * 5 + j]! - re.values[i * 5 + j]!)).toBeLessThan(1e-13);
      }
    }
  });

  test('permuting the environments of a structure changes neither kernel', () => {
    const rows = molecules.map(rowsOf);
    const shuffled = rows.map((r, k) => permuted(r, 100 + k));
    expect(shuffled[3]).not.toEqual(rows[3]);
    for (const kernel of [averageKernel, rematchKernel]) {
      const k0 = kernel(rows.map(features), null, { alpha: 1, threshold: 1e-24 });
      const k1 = kernel(shuffled.map(features), null, { alpha: 1, threshold: 1e-24 });
      expect(maxRelDiff(k1.values, k0.values)).toBeLessThan(1e-12);
    }
  });

  test('similarities are in (0, 1] for dot on non-negative ACSF, and distinguish molecules', () => {
    const k = rematchKernel(molecules, null);
    const n = molecules.length;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        expect(k.values[i * n + j]).toBeGreaterThan(0);
        expect(k.values[i * n + j]).toBeLessThanOrEqual(1 + 1e-15);
        if (i !== j) expect(k.values[i * n + j]).toBeLessThan(0.9999);
      }
    }
  });

  test('periodic crystals: primitive cell and supercell of Cu fcc are the same structure; rattling lowers the similarity', () => {
    const acsf = new ACSF({ species: ['Cu'], rCut: 5, g2Params: [[0.5, 2.5], [1, 3.5]], g4Params: [[0.05, 1, 1], [0.05, 2, -1]], periodic: true });
    const [prim, cubic, rattled] = ['xtal_Cu_fcc_prim', 'xtal_Cu_fcc_cubic_2x2x2', 'xtal_Cu_fcc_cubic_2x2x2_rattled'].map(
      (f) => acsf.create(readShared(`data/structures/${f}.extxyz`)[0]!),
    );
    expect(prim!.shape[0]).toBeLessThan(cubic!.shape[0]);
    for (const kernel of [averageKernel, rematchKernel]) {
      for (const metric of ['dot', 'rbf'] as const) {
        const k = kernel([prim!, cubic!, rattled!], null, { metric, zeta: 2 }).values;
        expect(Math.abs(k[1]! - 1)).toBeLessThan(1e-12); // prim vs cubic
        expect(k[2]!).toBeLessThan(1 - 1e-6); // prim vs rattled
        expect(k[2]!).toBeGreaterThan(0.5);
        expect(Math.abs(k[5]! - k[2]!)).toBeLessThan(1e-12); // cubic vs rattled = prim vs rattled
      }
    }
  });
});
