import { beforeAll, describe, expect, test } from 'vitest';
import { init, localKernel, type LocalKernelOptions } from '../../src/index.js';
import { features, plainLocal, random, randomRows, rowsOf, type PlainOptions } from './plainKernels.js';

beforeAll(async () => {
  await init();
});

/** Max |a − b| / max(1, |b|) over two matrices of rows. */
function relativeDiff(a: number[][], b: number[][]): number {
  let m = 0;
  a.forEach((row, i) => row.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[i]![j]!) / Math.max(1, Math.abs(b[i]![j]!))))));
  return m;
}

const METRICS: (PlainOptions & LocalKernelOptions)[] = [
  { metric: 'linear' },
  { metric: 'polynomial' },
  { metric: 'polynomial', gamma: 0.3, degree: 2, coef0: 0.5 },
  { metric: 'rbf' },
  { metric: 'rbf', gamma: 2.5 },
  { metric: 'dot' },
  { metric: 'dot', zeta: 2 },
  { metric: 'dot', zeta: 3.5 },
];

describe('localKernel matches a plain double loop', () => {
  // Feature counts around the SIMD widths (2 lanes, 2 accumulators): every tail path.
  for (const nF of [1, 2, 3, 4, 5, 7, 8, 17, 64]) {
    for (const o of METRICS) {
      test(`${JSON.stringify(o)}, ${nF} features`, () => {
        const rand = random(1000 * nF + METRICS.indexOf(o));
        const a = randomRows(rand, 5, nF), b = randomRows(rand, 3, nF);
        const c = localKernel(features(a), features(b), o);
        expect(c.shape).toEqual([5, 3]);
        expect(relativeDiff(rowsOf(c), plainLocal(a, b, o))).toBeLessThan(1e-13);
      });
    }
  }

  test('y null compares x with itself; rbf and dot are 1 on the diagonal', () => {
    const rand = random(7);
    const a = randomRows(rand, 6, 9, -1, 1);
    // A non-integer ζ of a negative cosine is NaN (checked in badInput.test.ts).
    for (const o of METRICS.filter((m) => m.zeta !== 3.5)) {
      const c = localKernel(features(a), null, o);
      expect(c.shape).toEqual([6, 6]);
      expect(relativeDiff(rowsOf(c), plainLocal(a, a, o))).toBeLessThan(1e-13);
      if (o.metric === 'rbf') for (let i = 0; i < 6; i++) expect(c.values[7 * i]).toBe(1);
      if (o.metric === 'dot') for (let i = 0; i < 6; i++) expect(c.values[7 * i]).toBeCloseTo(1, 14);
    }
  });

  test('default metric is dot with ζ = 1: the cosine, in [−1, 1], scale-free', () => {
    const a = [[1, 0, 0], [1, 1, 0]], b = [[3, 0, 0], [0, -2, 0]];
    const c = localKernel(features(a), features(b));
    expect(Array.from(c.values)).toEqual([1, 0, Math.SQRT1_2, -Math.SQRT1_2].map((v) => expect.closeTo(v, 15)));
  });

  test('negative features with an integer ζ work', () => {
    const rand = random(11);
    const a = randomRows(rand, 4, 6, -1, 1), b = randomRows(rand, 4, 6, -1, 1);
    const o = { metric: 'dot' as const, zeta: 3 };
    expect(relativeDiff(rowsOf(localKernel(features(a), features(b), o)), plainLocal(a, b, o))).toBeLessThan(1e-13);
  });
});
