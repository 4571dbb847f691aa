import { beforeAll, describe, expect, test } from 'vitest';
import { ACSF, init, type SparseDerivatives, type Structure } from '../../src/index.js';
import { rng } from '../helpers/geometry.js';
import { maxAbs, maxAbsDiff } from '../helpers/shared.js';

beforeAll(async () => {
  await init();
});

const params = {
  rCut: 4.5,
  g2Params: [[0.5, 0], [1.5, 1.2]] as [number, number][],
  g3Params: [1.1, 2.3],
  g4Params: [[0.01, 1, 1], [0.03, 2, -1], [0.005, 4, 1], [0.02, 1.5, 1]] as [number, number, number][],
  g5Params: [[0.01, 1, -1], [0.02, 3, 1]] as [number, number, number][],
};

/** A random structure with atoms at least 0.9 Å apart. */
function randomStructure(seed: number, n: number, box: number, periodic: boolean): Structure {
  const random = rng(seed);
  const pos: number[] = [];
  while (pos.length < 3 * n) {
    const p = [random() * box, random() * box, random() * box];
    let ok = true;
    for (let a = 0; a < pos.length; a += 3) if (Math.hypot(p[0]! - pos[a]!, p[1]! - pos[a + 1]!, p[2]! - pos[a + 2]!) < 0.9) ok = false;
    if (ok) pos.push(...p);
  }
  const numbers = Array.from({ length: n }, (_, i) => [1, 8, 6][i % 3]!);
  return periodic
    ? { numbers, positions: pos, cell: [[box, 0, 0], [0.4, box * 0.95, 0], [-0.3, 0.5, box * 1.05]], pbc: true }
    : { numbers, positions: pos };
}

/** 4th-order central difference of f at 0. */
function fd4(f: (delta: number) => Float64Array, h: number): Float64Array {
  const p1 = f(h), m1 = f(-h), p2 = f(2 * h), m2 = f(-2 * h);
  return p1.map((_, k) => (8 * (p1[k]! - m1[k]!) - (p2[k]! - m2[k]!)) / (12 * h));
}

/**
 * Finite differences of create() with respect to every atom coordinate, dense layout.
 * attach=true moves the centre with its atom. attach=false freezes each centre at its starting
 * place: moving atom a ≠ c is an ordinary move; for the block (c, c) only the periodic images
 * of c move, which a large supercell expresses with ordinary moves (see selfImageBlock).
 */
function finiteDifferences(acsf: ACSF, s: Structure, attach: boolean, h = 1e-3): Float64Array {
  const pos = Float64Array.from(s.positions as number[]);
  const n = pos.length / 3;
  const F = acsf.numFeatures;
  const out = new Float64Array(n * n * 3 * F);
  for (let a = 0; a < n; a++)
    for (let x = 0; x < 3; x++) {
      const d = fd4((delta) => {
        const p = pos.slice();
        p[3 * a + x] += delta;
        return acsf.create({ ...s, positions: p }).values;
      }, h);
      for (let c = 0; c < n; c++) {
        const block = !attach && c === a ? selfImageBlock(acsf, s, c, x, h) : d.subarray(c * F, (c + 1) * F);
        out.set(block, ((c * n + a) * 3 + x) * F);
      }
    }
  return out;
}

/**
 * ∂G_c/∂r_c (coordinate x) with the centre frozen: only c's periodic images move. In a 3×3×3
 * supercell (more than 2 r_cut across) the images of c near the central copy are other atoms,
 * so moving every copy of c but the central one is an ordinary move. Zero for a molecule.
 */
function selfImageBlock(acsf: ACSF, s: Structure, c: number, x: number, h: number): Float64Array {
  if (!s.cell) return new Float64Array(acsf.numFeatures);
  const cell = s.cell as number[][];
  const p = s.positions as number[];
  const n = p.length / 3;
  const numbers: number[] = [];
  const positions: number[] = [];
  const copiesOfC: number[] = [];
  let central = -1;
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++)
      for (let k = 0; k < 3; k++)
        for (let a = 0; a < n; a++) {
          if (a === c) (i === 1 && j === 1 && k === 1 ? (central = numbers.length) : copiesOfC.push(numbers.length));
          numbers.push((s.numbers as number[])[a]!);
          for (let y = 0; y < 3; y++) positions.push(p[3 * a + y]! + i * cell[0]![y]! + j * cell[1]![y]! + k * cell[2]![y]!);
        }
  const big = { numbers, cell: cell.map((r) => r.map((v) => 3 * v)), pbc: true };
  return fd4((delta) => {
    const q = positions.slice();
    for (const b of copiesOfC) q[3 * b + x] += delta;
    return acsf.create({ ...big, positions: q }, { centers: [central] }).values;
  }, h);
}

describe('ACSF analytic gradients', () => {
  for (const periodic of [false, true]) {
    for (const attach of [true, false]) {
      test(`match finite differences (${periodic ? 'periodic, cell smaller than r_cut' : 'molecule'}, attach=${attach})`, () => {
        const s = randomStructure(periodic ? 11 : 12, periodic ? 5 : 9, periodic ? 3.6 : 4.5, periodic);
        const acsf = new ACSF({ species: ['H', 'C', 'O'], periodic, ...params });
        const d = acsf.derivatives(s, { attach });
        const fd = finiteDifferences(acsf, s, attach);
        expect(maxAbs(d.derivatives.values)).toBeGreaterThan(0.01);
        expect(maxAbsDiff(d.derivatives.values, fd)).toBeLessThan(1e-7 * Math.max(1, maxAbs(fd)));
      });
    }
  }

  test('the sparse layout holds the same numbers as the dense one', () => {
    const s = randomStructure(5, 8, 5.0, true);
    const acsf = new ACSF({ species: ['H', 'C', 'O'], periodic: true, ...params });
    for (const attach of [false, true]) {
      const dense = acsf.derivatives(s, { attach });
      const sparse = acsf.derivatives(s, { attach, layout: 'sparse' }).derivatives as SparseDerivatives;
      const n = 8;
      const F = acsf.numFeatures;
      const rebuilt = new Float64Array(dense.derivatives.values.length);
      for (let c = 0; c < n; c++) {
        expect(sparse.atoms[sparse.offsets[c]!]).toBe(c);
        for (let r = sparse.offsets[c]!; r < sparse.offsets[c + 1]!; r++) {
          rebuilt.set(sparse.values.subarray(r * 3 * F, (r + 1) * 3 * F), (c * n + sparse.atoms[r]!) * 3 * F);
        }
      }
      expect(maxAbsDiff(rebuilt, dense.derivatives.values)).toBe(0);
    }
  });

  test('with attach, the gradients of each centre sum to zero over all atoms (translation invariance)', () => {
    const s = randomStructure(3, 7, 4.2, false);
    const acsf = new ACSF({ species: ['H', 'C', 'O'], ...params });
    const d = acsf.derivatives(s, { attach: true });
    const n = 7;
    const F = acsf.numFeatures;
    for (let c = 0; c < n; c++)
      for (let x = 0; x < 3; x++)
        for (let f = 0; f < F; f++) {
          let sum = 0;
          for (let a = 0; a < n; a++) sum += d.derivatives.values[((c * n + a) * 3 + x) * F + f]!;
          expect(Math.abs(sum)).toBeLessThan(1e-12);
        }
  });
});
