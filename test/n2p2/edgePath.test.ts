import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/index.js';
import { SymmetryFunctions } from '../../src/n2p2/symmetryFunctions.js';
import { getRuntime } from '../../src/wasm/loader.js';
import { rng } from '../helpers/geometry.js';

// The edge path (assembly/n2p2/angularEdges.ts: per-edge r_jk factors, (1 + λ cos θ)^ζ expanded
// in powers of cos θ, packed triplet lists recorded by the values pass) must give the values and
// the backward contraction of the general kernel. Both run on the same prepared structure.

/** A periodic cubic box of H and O at random positions at least `minDistance` apart. */
function randomBox(n: number, length: number, minDistance: number, seed: number) {
  const rand = rng(seed);
  const positions: number[] = [];
  const symbols: string[] = [];
  while (symbols.length < n) {
    const p = [rand() * length, rand() * length, rand() * length];
    let ok = true;
    for (let a = 0; a < symbols.length && ok; a++) {
      let d2 = 0;
      for (let x = 0; x < 3; x++) {
        let d = p[x]! - positions[3 * a + x]!;
        d -= length * Math.round(d / length);
        d2 += d * d;
      }
      ok = d2 >= minDistance * minDistance;
    }
    if (!ok) continue;
    positions.push(...p);
    symbols.push(symbols.length % 3 === 0 ? 'O' : 'H');
  }
  return { symbols, positions, cell: [length, 0, 0, 0, length, 0, 0, 0, length], pbc: true };
}

const FUNCTIONS = [
  'H 2 O 0.05 0.0 6.0', 'O 2 H 0.3 1.0 6.0',
  // Edge classes: ζ 1–8 (Horner with registers up to degree 4, the loop above), λ ±1 and 0.5, r_s ≠ 0, two r_c.
  'H 3 O H 0.2 1.0 1.0 6.0', 'H 3 O H 0.07 -1.0 2.0 6.0', 'H 3 O H 0.03 1.0 3.0 6.0', 'H 3 O H 0.01 -1.0 4.0 6.0',
  'H 3 O H 0.01 1.0 5.0 6.0', 'H 3 O H 0.05 -1.0 8.0 5.0', 'H 3 O H 0.02 0.5 2.0 6.0 0.7',
  'O 3 H H 0.07 1.0 1.0 6.0', 'O 3 H H 0.07 -1.0 1.0 6.0', 'O 3 H H 0.01 1.0 4.0 5.5', 'O 3 H H 0.01 -1.0 6.0 5.5',
  'O 3 O O 0.03 1.0 1.0 6.0', 'O 3 O O 0.001 -1.0 4.0 6.0',
  // Weighted narrow (type 13): all pairs, its own class.
  'H 13 0.05 0.0 1.0 2.0 6.0', 'H 13 0.02 0.5 -1.0 7.0 6.0',
  // Not edge path: ζ 16 (class O H of O) and a wide type 9 next to a narrow one (class O O of H).
  'O 3 O H 0.03 1.0 16.0 6.0', 'O 3 O H 0.03 -1.0 1.0 6.0', 'H 9 O O 0.03 1.0 1.0 6.0', 'H 3 O O 0.03 -1.0 2.0 6.0',
];

beforeAll(async () => {
  await init();
});

/** The edge path's values and backward contraction against the general kernel's on one structure. */
function checkAgainstGeneralKernel(structure: ReturnType<typeof randomBox>, cutoffType: number, cutoffAlpha: number, imageTest: boolean): void {
  const sf = new SymmetryFunctions({ elements: ['H', 'O'], functions: FUNCTIONS, cutoffType, cutoffAlpha });
  const rt = getRuntime();
  rt.arena.reset();
  const prep = sf.prepare(rt, structure);
  const n = prep.structure.nAtoms, F = sf.numFeatures, count = prep.nl.count;
  const edges = sf.prepareEdges(rt, prep);
  expect(edges).not.toBeNull();
  // A cell less than three cutoffs high: each triplet's r_jk is tested (an edge may join another image).
  expect(edges!.imageCut2 > 0).toBe(imageTest);
  const range: [number, number] = [0, n];

  sf.computeValues(rt, prep, 0);
  const reference = rt.arena.f64(prep.ptrs.values, n * F).slice();
  sf.computeValues(rt, prep, 0, 0, 0, range, 0, 0, edges);
  const values = rt.arena.f64(prep.ptrs.values, n * F).slice();
  for (let f = 0; f < F; f++) {
    let scale = 0, worst = 0;
    for (let c = 0; c < n; c++) scale = Math.max(scale, Math.abs(reference[c * F + f]!));
    for (let c = 0; c < n; c++) worst = Math.max(worst, Math.abs(values[c * F + f]! - reference[c * F + f]!));
    expect(worst).toBeLessThanOrEqual(1e-12 * Math.max(scale, 1e-3));
  }

  const rand = rng(11);
  const pW = rt.arena.allocF64(n * F);
  rt.arena.f64(pW, n * F).set(Array.from({ length: n * F }, () => rand() - 0.5));
  const pEntry = rt.arena.allocF64(3 * count);
  sf.computeValues(rt, prep, 0, pW, pEntry);
  const gradReference = rt.arena.f64(pEntry, 3 * count).slice();
  const gradScale = gradReference.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  expect(gradScale).toBeGreaterThan(0);
  const compare = (): void => {
    const grad = rt.arena.f64(pEntry, 3 * count);
    let worst = 0;
    for (let e = 0; e < 3 * count; e++) worst = Math.max(worst, Math.abs(grad[e]! - gradReference[e]!));
    expect(worst).toBeLessThanOrEqual(1e-11 * gradScale);
  };
  // Recomputed (cacheMode 3), then recorded by a values pass and replayed (1, 2) over two chunks.
  sf.computeValues(rt, prep, 0, pW, pEntry, range, 3, 0, edges);
  compare();
  rt.arena.f64(pEntry, 3 * count).fill(NaN);
  const bounds = sf.cacheBounds(rt, prep, true);
  const half = n >> 1;
  for (const [c0, c1] of [[0, half], [half, n]] as const) {
    let bytes = 0;
    for (let c = c0; c < c1; c++) bytes += bounds[c]!;
    const pCache = rt.arena.alloc(bytes);
    sf.computeValues(rt, prep, 0, 0, 0, [c0, c1], 1, pCache, edges);
    sf.computeValues(rt, prep, 0, pW, pEntry, [c0, c1], 2, pCache, edges);
  }
  compare();
  expect(rt.arena.f64(prep.ptrs.values, n * F).slice()).toEqual(values);
}

describe('n2p2 edge path against the general kernel', () => {
  const structure = randomBox(72, 13.5, 1.6, 7);
  for (const [cutoffType, cutoffAlpha] of [[2, 0], [6, 0.2], [4, 0.1]] as const) {
    test(`cutoff type ${cutoffType}, α ${cutoffAlpha}: values and backward contraction`, () => {
      checkAgainstGeneralKernel(structure, cutoffType, cutoffAlpha, true);
    });
  }

  test('a cell more than three cutoffs high (no r_jk test per triplet): values and backward contraction', () => {
    checkAgainstGeneralKernel(randomBox(240, 18.5, 1.6, 5), 2, 0, false);
  });

  test('not taken when the cell is less than twice the cutoff high', () => {
    const sf = new SymmetryFunctions({ elements: ['H', 'O'], functions: FUNCTIONS, cutoffType: 2 });
    const rt = getRuntime();
    rt.arena.reset();
    const prep = sf.prepare(rt, randomBox(30, 11.5, 1.6, 3));
    expect(sf.prepareEdges(rt, prep)).toBeNull();
    rt.arena.reset();
    const some = sf.prepare(rt, randomBox(72, 13.5, 1.6, 7), [0, 1, 2]);
    expect(sf.prepareEdges(rt, some)).toBeNull();
  });
});
