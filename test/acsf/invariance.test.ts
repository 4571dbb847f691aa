import { beforeAll, describe, expect, test } from 'vitest';
import { ACSF, init, type Structure } from '../../src/index.js';
import { flatCell, randomRotation, rng, rotate, rows3 } from '../helpers/geometry.js';
import { maxAbs, maxAbsDiff, readShared } from '../helpers/shared.js';

beforeAll(async () => {
  await init();
});

const params = {
  rCut: 5,
  g2Params: [[0.5, 0], [1.5, 1.2]] as [number, number][],
  g3Params: [1.1],
  g4Params: [[0.01, 1, 1], [0.03, 2, -1], [0.005, 4, 1]] as [number, number, number][],
  g5Params: [[0.01, 1, -1], [0.02, 3, 1]] as [number, number, number][],
};

function relDiff(a: Float64Array, b: Float64Array): number {
  return maxAbsDiff(a, b) / maxAbs(a);
}

describe('ACSF invariances', () => {
  const molecule = readShared('data/structures/mol_ClCH2CONH2.extxyz')[0]!;
  const acsfMol = new ACSF({ species: ['H', 'C', 'N', 'O', 'Cl'], ...params });
  const crystal = readShared('data/structures/xtal_triclinic_Si2O2_small_rattled.extxyz')[0]!;
  const acsfXtal = new ACSF({ species: ['O', 'Si'], periodic: true, ...params });

  test('rotation and reflection (molecule and periodic cell)', () => {
    const random = rng(7);
    for (let trial = 0; trial < 3; trial++) {
      const R = randomRotation(random);
      const ref = acsfMol.create(molecule).values;
      const rotated = acsfMol.create({ ...molecule, positions: rotate(molecule.positions as Float64Array, R) }).values;
      expect(relDiff(ref, rotated)).toBeLessThan(1e-12);
      const mirrored = Float64Array.from(molecule.positions as Float64Array, (x, k) => (k % 3 === 1 ? -x : x));
      expect(relDiff(ref, acsfMol.create({ ...molecule, positions: mirrored }).values)).toBeLessThan(1e-12);

      const refX = acsfXtal.create(crystal).values;
      const cell = rotate(flatCell(crystal.cell as number[][]), R);
      const rotX = acsfXtal.create({ ...crystal, positions: rotate(crystal.positions as Float64Array, R), cell: rows3(cell) }).values;
      expect(relDiff(refX, rotX)).toBeLessThan(1e-12);
    }
  });

  test('translation (molecule, and a periodic cell whose atoms then leave the cell)', () => {
    const shift = (p: ArrayLike<number>, t: number[]): Float64Array => Float64Array.from(p, (x, k) => x + t[k % 3]!);
    const ref = acsfMol.create(molecule).values;
    expect(relDiff(ref, acsfMol.create({ ...molecule, positions: shift(molecule.positions as Float64Array, [3.1, -7.2, 100.5]) }).values)).toBeLessThan(1e-12);
    const refX = acsfXtal.create(crystal).values;
    const moved = acsfXtal.create({ ...crystal, positions: shift(crystal.positions as Float64Array, [1.7, -2.9, 11.3]) }).values;
    expect(relDiff(refX, moved)).toBeLessThan(1e-12);
  });

  test('permutation of atoms permutes the rows', () => {
    const n = molecule.positions.length / 3;
    const perm = [...Array(n).keys()].reverse();
    perm.push(perm.shift()!);
    const p = molecule.positions as Float64Array;
    const permuted: Structure = {
      numbers: perm.map((a) => (molecule.numbers as number[])[a]!),
      positions: perm.flatMap((a) => [p[3 * a]!, p[3 * a + 1]!, p[3 * a + 2]!]),
    };
    const ref = acsfMol.create(molecule);
    const out = acsfMol.create(permuted);
    const F = acsfMol.numFeatures;
    for (let i = 0; i < n; i++) {
      const a = perm[i]!;
      expect(maxAbsDiff(out.values.subarray(i * F, (i + 1) * F), ref.values.subarray(a * F, (a + 1) * F))).toBeLessThan(1e-12 * maxAbs(ref.values));
    }
  });

  for (const file of ['xtal_triclinic_Si2O2_small_rattled', 'xtal_NaCl_rocksalt_cubic_rattled', 'xtal_Cu_fcc_prim']) {
    test(`a 2×2×2 supercell gives the same per-atom vectors: ${file}`, () => {
      const s = readShared(`data/structures/${file}.extxyz`)[0]!;
      const species = [...new Set(s.numbers as number[])];
      const acsf = new ACSF({ species, periodic: true, ...params, rCut: 6 });
      const cell = s.cell as number[][];
      const n = s.positions.length / 3;
      const pos: number[] = [];
      const numbers: number[] = [];
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 2; j++)
          for (let k = 0; k < 2; k++)
            for (let a = 0; a < n; a++) {
              for (let x = 0; x < 3; x++) pos.push((s.positions as Float64Array)[3 * a + x]! + i * cell[0]![x]! + j * cell[1]![x]! + k * cell[2]![x]!);
              numbers.push((s.numbers as number[])[a]!);
            }
      const big: Structure = { numbers, positions: pos, cell: cell.map((r) => r.map((v) => 2 * v)), pbc: true };
      const small = acsf.create(s).values;
      const large = acsf.create(big).values;
      for (let rep = 0; rep < 8; rep++) {
        expect(maxAbsDiff(large.subarray(rep * small.length, (rep + 1) * small.length), small)).toBeLessThan(1e-10 * maxAbs(small));
      }
    });
  }
});

describe('the two G4 value paths agree', () => {
  // All atoms as centres use the edge-weight path when no atom is seen twice from a centre;
  // an explicit list of centres uses the per-triplet path.
  const cases: [string, string[], number][] = [
    ['data/structures/water_64mol_192atoms.extxyz', ['H', 'O'], 6],
    ['data/structures/mol_ClCH2CONH2.extxyz', ['H', 'C', 'N', 'O', 'Cl'], 5],
    ['data/structures/xtal_Si_diamond_2x2x2_rattled.extxyz', ['Si'], 5],
  ];
  for (const [file, species, rCut] of cases) {
    test(file, () => {
      const s = readShared(file)[0]!;
      const acsf = new ACSF({ species, periodic: true, ...params, rCut, g4Params: [...params.g4Params, [0.2, 16, -1]] });
      const n = s.positions.length / 3;
      const all = acsf.create(s).values;
      const explicit = acsf.create(s, { centers: [...Array(n).keys()] }).values;
      expect(maxAbs(all)).toBeGreaterThan(0);
      expect(maxAbsDiff(all, explicit)).toBeLessThan(1e-12 * maxAbs(all));
    });
  }
});
