import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/index.js';
import type { KernelTables } from '../../src/n2p2/kernelTables.js';
import { SymmetryFunctions } from '../../src/n2p2/symmetryFunctions.js';
import { getRuntime } from '../../src/wasm/loader.js';
import { rng } from '../helpers/geometry.js';

// Without an all-pairs (weighted) class on the edge path, the edge factor rows of each element
// pair hold only the columns that pair needs (kernelTables.ts pairStride, pairColumnOffset,
// listColumn). The edge path on such a layout must give the general kernel's values and backward
// contraction. The functions are those of the H2O_RPBE-D3 potential's classes, cutoff 6.

const FUNCTIONS = [
  'H 2 H 0.001 0.0 6.0', 'H 2 O 0.01 0.0 6.0', 'O 2 H 0.03 0.0 6.0', 'O 2 O 0.06 0.0 6.0',
  'H 3 O H 0.2 1.0 1.0 6.0', 'H 3 O H 0.07 1.0 1.0 6.0', 'H 3 O H 0.07 -1.0 1.0 6.0', 'H 3 O H 0.03 1.0 1.0 6.0', 'H 3 O H 0.01 -1.0 4.0 6.0',
  'O 3 H H 0.07 1.0 1.0 6.0', 'O 3 H H 0.03 -1.0 1.0 6.0', 'O 3 H H 0.01 1.0 4.0 6.0',
  'O 3 O H 0.03 1.0 1.0 6.0', 'O 3 O H 0.001 -1.0 4.0 6.0',
  'H 3 O O 0.03 1.0 1.0 6.0', 'H 3 O O 0.001 -1.0 4.0 6.0',
  'O 3 O O 0.03 1.0 1.0 6.0', 'O 3 O O 0.001 -1.0 4.0 6.0',
];

/** A periodic cubic box of O, H, H, … at random positions at least `minDistance` apart. */
function randomBox(n: number, length: number, minDistance: number, seed: number) {
  const rand = rng(seed);
  const positions: number[] = [];
  while (positions.length < 3 * n) {
    const p = [rand() * length, rand() * length, rand() * length];
    let ok = true;
    for (let a = 0; a < positions.length / 3 && ok; a++) {
      let d2 = 0;
      for (let x = 0; x < 3; x++) {
        const d = p[x]! - positions[3 * a + x]!;
        const w = d - length * Math.round(d / length);
        d2 += w * w;
      }
      ok = d2 >= minDistance * minDistance;
    }
    if (ok) positions.push(...p);
  }
  const symbols = Array.from({ length: n }, (_, a) => (a % 3 === 0 ? 'O' : 'H'));
  return { symbols, positions, cell: [length, 0, 0, 0, length, 0, 0, 0, length], pbc: true };
}

beforeAll(async () => {
  await init();
});

describe('n2p2 edge factor rows per element pair', () => {
  test('rows hold only their pair\'s columns', () => {
    const sf = new SymmetryFunctions({ elements: ['H', 'O'], functions: FUNCTIONS, cutoffType: 2 });
    const t = (sf as unknown as { tables: KernelTables }).tables;
    const nColumns = t.edgeColumns.length / 4;
    // Pairs (j element, k element) in atomic-number order: H → H (O's class H H), H → O (the
    // classes O H of both elements, five groups), O → O; no class has j = O and k = H.
    expect(Array.from(t.pairStride)).toEqual([16 * 3, 16 * 5, 0, 16 * 2]);
    expect(nColumns).toBe(5);
  });

  for (const [length, n, seed] of [[13.5, 72, 7], [18.5, 240, 5]] as const) {
    test(`edge path against the general kernel, ${n} atoms in a ${length} box: values and backward contraction`, () => {
      const sf = new SymmetryFunctions({ elements: ['H', 'O'], functions: FUNCTIONS, cutoffType: 2 });
      const rt = getRuntime();
      rt.arena.reset();
      const prep = sf.prepare(rt, randomBox(n, length, 1.6, seed));
      const m = prep.structure.nAtoms, F = sf.numFeatures, count = prep.nl.count;
      const edges = sf.prepareEdges(rt, prep);
      expect(edges).not.toBeNull();
      sf.computeValues(rt, prep, 0);
      const reference = rt.arena.f64(prep.ptrs.values, m * F).slice();
      // Values recorded in two chunks, then the backward pass replaying them.
      const rand = rng(3);
      const pW = rt.arena.allocF64(m * F);
      rt.arena.f64(pW, m * F).set(Array.from({ length: m * F }, () => rand() - 0.5));
      const pEntry = rt.arena.allocF64(3 * count);
      const pReference = rt.arena.allocF64(3 * count);
      sf.computeValues(rt, prep, 0, pW, pReference);
      const bounds = sf.cacheBounds(rt, prep, true);
      for (const [c0, c1] of [[0, m >> 1], [m >> 1, m]] as const) {
        let bytes = 0;
        for (let c = c0; c < c1; c++) bytes += bounds[c]!;
        const pCache = rt.arena.alloc(bytes);
        sf.computeValues(rt, prep, 0, 0, 0, [c0, c1], 1, pCache, edges);
        sf.computeValues(rt, prep, 0, pW, pEntry, [c0, c1], 2, pCache, edges);
      }
      const values = rt.arena.f64(prep.ptrs.values, m * F);
      for (let f = 0; f < F; f++) {
        let scale = 0, worst = 0;
        for (let c = 0; c < m; c++) scale = Math.max(scale, Math.abs(reference[c * F + f]!));
        for (let c = 0; c < m; c++) worst = Math.max(worst, Math.abs(values[c * F + f]! - reference[c * F + f]!));
        expect(worst).toBeLessThanOrEqual(1e-12 * Math.max(scale, 1e-3));
      }
      const grad = rt.arena.f64(pEntry, 3 * count), gradReference = rt.arena.f64(pReference, 3 * count);
      let gradScale = 0, worst = 0;
      for (let e = 0; e < 3 * count; e++) {
        gradScale = Math.max(gradScale, Math.abs(gradReference[e]!));
        worst = Math.max(worst, Math.abs(grad[e]! - gradReference[e]!));
      }
      expect(gradScale).toBeGreaterThan(0);
      expect(worst).toBeLessThanOrEqual(1e-11 * gradScale);
    });
  }
});
