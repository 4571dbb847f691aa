import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/index.js';
import { SymmetryFunctions } from '../../src/n2p2/symmetryFunctions.js';
import { getRuntime } from '../../src/wasm/loader.js';
import { rng } from '../helpers/geometry.js';

// n2p2SortEdgesByElement (assembly/n2p2/angularEdges.ts) groups each atom's edges by neighbour
// element and splits each group at the atom's own index (the edge path walks only the part above
// j's atom for classes of one neighbour element). Checked against the neighbour list directly.

beforeAll(async () => {
  await init();
});

describe('n2p2 edge runs by element, split at the atom index', () => {
  test('each run holds the element\'s neighbours, those of lower index first, each part in list order', () => {
    const rand = rng(17);
    const n = 60, length = 12;
    const positions = Array.from({ length: 3 * n }, () => rand() * length);
    const symbols = Array.from({ length: n }, (_, a) => (a % 3 === 0 ? 'O' : 'H'));
    const sf = new SymmetryFunctions({ elements: ['H', 'O'], functions: ['H 3 O H 0.07 1.0 1.0 5.0', 'O 3 H H 0.07 1.0 1.0 5.0'], cutoffType: 2 });
    const rt = getRuntime();
    rt.arena.reset();
    const prep = sf.prepare(rt, { symbols, positions, cell: [length, 0, 0, 0, length, 0, 0, 0, length], pbc: true });
    const { nl } = prep;
    const nE = 2, count = nl.count;
    const runStart = rt.arena.allocI32(n * (2 * nE + 1));
    const sortedEdge = rt.arena.allocI32(count), sortedAtom = rt.arena.allocI32(count);
    rt.kernels.n2p2SortEdgesByElement(n, nE, nl.offsets, nl.index, prep.ptrs.atomElement, sortedEdge, sortedAtom, runStart);
    const offsets = rt.arena.i32(nl.offsets, n + 1), index = rt.arena.i32(nl.index, count);
    const element = rt.arena.i32(prep.ptrs.atomElement, n);
    const runs = rt.arena.i32(runStart, n * (2 * nE + 1));
    const edgeAt = rt.arena.i32(sortedEdge, count), atomAt = rt.arena.i32(sortedAtom, count);
    let split = 0;
    for (let a = 0; a < n; a++) {
      expect(runs[a * (nE + 1)]).toBe(offsets[a]);
      expect(runs[a * (nE + 1) + nE]).toBe(offsets[a + 1]);
      for (let el = 0; el < nE; el++) {
        const lo = runs[a * (nE + 1) + el]!, hi = runs[a * (nE + 1) + el + 1]!, mid = runs[n * (nE + 1) + a * nE + el]!;
        const list = Array.from({ length: offsets[a + 1]! - offsets[a]! }, (_, i) => offsets[a]! + i).filter((e) => element[index[e]!] === el);
        const below = list.filter((e) => index[e]! < a), above = list.filter((e) => index[e]! > a);
        expect(below.length + above.length).toBe(list.length);
        expect(mid - lo).toBe(below.length);
        expect(Array.from(edgeAt.subarray(lo, hi))).toEqual([...below, ...above]);
        expect(Array.from(atomAt.subarray(lo, hi))).toEqual([...below, ...above].map((e) => index[e]!));
        if (below.length > 0 && above.length > 0) split++;
      }
    }
    // The structure exercises runs with both parts.
    expect(split).toBeGreaterThan(n);
  });
});
