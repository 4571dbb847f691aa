import { beforeAll, describe, expect, it } from 'vitest';
import { init, type Runtime } from '../../src/wasm/loader.js';
import { checkOverlaps, checkOverlapsByCellList, OVERLAP_DISTANCE } from '../../src/neighbors/overlap.js';
import { normalizeStructure, type Structure } from '../../src/structure/structure.js';
import { rng } from '../helpers/geometry.js';

// checkOverlaps decides small non-periodic structures pair by pair in JavaScript; it must throw
// exactly when (and what) the cell-list search throws.

let rt: Runtime;
beforeAll(async () => {
  rt = await init();
});

/** The error of fn as { code, message, location }, or null when it returns. */
function outcome(fn: () => void): unknown {
  try {
    fn();
    return null;
  } catch (error) {
    const e = error as { code: string; message: string; location?: unknown };
    return { code: e.code, message: e.message, location: e.location };
  }
}


describe('checkOverlaps', () => {
  it('agrees with the cell-list search on molecules with pairs near the overlap distance', () => {
    const next = rng(3);
    let thrown = 0;
    let cases = 0;
    for (const n of [2, 3, 7, 20, 64, 65]) {
      for (const gap of [0, 0.3, 0.999999, 1, 1.000001, 1.5, 2, 2.000001, 5]) {
        for (const periodic of [false, true]) {
          // Random atoms ≥ ~1 Å apart, then atom b moved to within gap · OVERLAP_DISTANCE of atom a.
          const positions: number[][] = [];
          for (let i = 0; i < n; i++) positions.push([(i % 4) * 1.5 + next() * 0.1, Math.floor(i / 4) % 4 * 1.5, Math.floor(i / 16) * 1.5]);
          const a = Math.floor(next() * n);
          const b = (a + 1 + Math.floor(next() * (n - 1))) % n;
          const dir = [next() - 0.5, next() - 0.5, next() - 0.5];
          const len = Math.hypot(...dir);
          positions[b] = positions[a]!.map((x, k) => x + (gap * OVERLAP_DISTANCE * dir[k]!) / len);
          const input: Structure = { numbers: Array(n).fill(1), positions, ...(periodic ? { cell: [[12, 0, 0], [0, 12, 0], [0, 0, 12]], pbc: true } : {}) };
          const s = normalizeStructure(input);
          for (const p of [false, true]) {
            const expected = outcome(() => checkOverlapsByCellList(rt, s, p));
            expect(outcome(() => checkOverlaps(rt, s, p))).toEqual(expected);
            if (expected !== null) thrown++;
            cases++;
          }
        }
      }
    }
    expect(cases).toBe(6 * 9 * 4);
    expect(thrown).toBeGreaterThan(6 * 3 * 4 - 1); // gaps 0, 0.3, 0.999999 always overlap
    expect(thrown).toBeLessThan(cases / 2);
  });
});
