// The power-basis radial evaluation for two or three distances in one table interval
// (radialPowerEvaluatePair / radialPowerEvaluateTriple, which the SOAP pair path uses for
// records sorted by interval) must give bit for bit what one radialPowerEvaluate per distance gives.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, type Runtime } from '../../src/wasm/loader.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await init();
});

/** A random power-basis table of `intervals` intervals × 6 rows × m channels in wasm memory. */
function randomTable(m: number, intervals: number, seed: number): number {
  let s = seed;
  const rnd = (): number => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const ptr = rt.arena.allocF64(intervals * 6 * m);
  const t = rt.arena.f64(ptr, intervals * 6 * m);
  for (let k = 0; k < t.length; k++) t[k] = rnd() * 10 ** (3 * rnd());
  return ptr;
}

describe('radial power-basis evaluation of several distances at once', () => {
  for (const m of [2, 8, 56, 62]) {
    it(`pair and triple equal single evaluations bit for bit (${m} channels)`, () => {
      rt.arena.reset();
      const intervals = 7, h = 0.37, invH = 1 / h, rMax = intervals * h;
      const table = randomTable(m, intervals, 17 + m);
      const single = [0, 1, 2].map(() => rt.arena.allocF64(m));
      const grouped = [0, 1, 2].map(() => rt.arena.allocF64(m));
      let cases = 0;
      for (let i = 0; i < intervals; i++) {
        for (const ts of [[1e-6, 0.5, 0.999], [0.25, 0.25, 1e-3], [0.731, 0.12, 0.5]]) {
          const rs = ts.map((t) => (i + t) * h);
          // The t each kernel takes: as radialPowerEvaluate forms it from r.
          const tOf = rs.map((r) => Math.min(Math.max(r, 0), rMax) * invH - i);
          // Every distance lies in interval i (the grouped kernels' precondition).
          for (const t of tOf) expect(t >= 0 && t < 1).toBe(true);
          rs.forEach((r, k) => rt.kernels.radialPowerEvaluate(table, m, intervals, invH, rMax, r, single[k]!));
          rt.kernels.radialPowerEvaluateTriple(table, m, i, tOf[0]!, tOf[1]!, tOf[2]!, grouped[0]!, grouped[1]!, grouped[2]!);
          for (let k = 0; k < 3; k++) expect(Array.from(rt.arena.f64(grouped[k]!, m))).toEqual(Array.from(rt.arena.f64(single[k]!, m)));
          rt.kernels.radialPowerEvaluatePair(table, m, i, tOf[2]!, tOf[0]!, grouped[0]!, grouped[1]!);
          expect(Array.from(rt.arena.f64(grouped[0]!, m))).toEqual(Array.from(rt.arena.f64(single[2]!, m)));
          expect(Array.from(rt.arena.f64(grouped[1]!, m))).toEqual(Array.from(rt.arena.f64(single[0]!, m)));
          cases++;
        }
      }
      expect(cases).toBe(3 * intervals);
    });
  }
});
