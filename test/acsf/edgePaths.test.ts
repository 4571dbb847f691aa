import { beforeAll, describe, expect, test } from 'vitest';
import { ACSF, init } from '../../src/index.js';
import { maxAbs, maxAbsDiff, readShared } from '../helpers/shared.js';

beforeAll(async () => {
  await init();
});

// All atoms as centres (no atom seen twice) take the edge paths: G1–G3 from each pair once
// (assembly/acsf/edgeRadial.ts) and G4 from each triangle once with power sums of 2 (1 ± cos θ) for
// λ = ±1 and integer ζ ≤ 4 and direct sums otherwise (assembly/acsf/triangles.ts). An explicit list of centres takes
// the per-centre paths, which share none of that code.
describe('edge paths agree with the per-centre paths', () => {
  const cases: { name: string; file: string; species: string[]; rCut: number; options: object }[] = [
    {
      // ζ = 3 (power pairs 1..3), ζ = 4 (1..4), ζ = 5 and a non-integer ζ (direct sums), an
      // odd number of G2 with R_s ≠ 0, two G3; the water box also has triangles whose third
      // vertex is seen as different images from i and from j.
      name: 'water box, mixed ζ',
      file: 'data/structures/water_64mol_192atoms.extxyz',
      species: ['H', 'O'],
      rCut: 5.5,
      options: {
        g2Params: [[0.3, 0], [0.05, 1.5], [1.2, 2.5]],
        g3Params: [0.7, 1.9],
        g4Params: [[0.01, 3, -1], [0.01, 1, 1], [0.04, 4, 1], [0.04, 2, -1], [0.02, 5, -1], [0.02, 1.5, 1]],
      },
    },
    {
      name: 'molecule, G4 and G5 (edge G4 with per-centre G5)',
      file: 'data/structures/mol_CH3CONH2.extxyz',
      species: ['H', 'C', 'N', 'O'],
      rCut: 5,
      options: {
        g2Params: [[0.5, 0]],
        g4Params: [[0.005, 3, 1], [0.05, 1, -1]],
        g5Params: [[0.01, 2, -1]],
      },
    },
    {
      // The W3 benchmark settings (bench/workloads.mjs): η with ζ ≤ 2 only (one or two power
      // pairs), λ = ±1.
      name: 'water box, W3 settings',
      file: 'data/structures/water_64mol_192atoms.extxyz',
      species: ['H', 'O'],
      rCut: 6,
      options: {
        g2Params: [0.003214, 0.035711, 0.071421, 0.124987, 0.214264, 0.357106, 0.714213, 1.428426].map((eta) => [eta, 0]),
        g4Params: [
          [0.000357, 1, -1], [0.028569, 1, -1], [0.089277, 1, -1], [0.000357, 2, -1],
          [0.000357, 1, 1], [0.028569, 1, 1], [0.089277, 1, 1], [0.000357, 2, 1],
        ],
      },
    },
    {
      name: 'radial functions only (no triangle pass)',
      file: 'data/structures/water_64mol_192atoms.extxyz',
      species: ['H', 'O'],
      rCut: 6,
      options: { g2Params: [[0.1, 0], [0.2, 1], [0.4, 0], [0.8, 2], [1.6, 0]], g3Params: [1.1] },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const s = readShared(c.file)[0]!;
      const acsf = new ACSF({ species: c.species, rCut: c.rCut, periodic: true, ...c.options });
      const n = s.positions.length / 3;
      const all = acsf.create(s).values;
      const explicit = acsf.create(s, { centers: [...Array(n).keys()] }).values;
      expect(maxAbs(all)).toBeGreaterThan(0);
      expect(maxAbsDiff(all, explicit)).toBeLessThan(1e-12 * maxAbs(all));
      // Every G4/G5 block that the atoms allow is exercised (not all zero).
      const Z: Record<string, number> = { H: 1, C: 6, N: 7, O: 8 };
      const count = (sym: string): number => Array.from(s.numbers ?? []).filter((x) => x === Z[sym]).length;
      for (let k = 0; k < c.species.length; k++) {
        for (let l = k; l < c.species.length; l++) {
          const [start, end] = acsf.getLocation([c.species[k]!, c.species[l]!]);
          if (end === start || count(c.species[k]!) < (k === l ? 2 : 1) || count(c.species[l]!) < 1) continue;
          let m = 0;
          for (let a = 0; a < n; a++) for (let f = start; f < end; f++) m = Math.max(m, Math.abs(all[a * acsf.numFeatures + f]!));
          expect(m).toBeGreaterThan(0);
        }
      }
    });
  }
});
