import { beforeAll, describe, expect, test } from 'vitest';
import { init, neighborList, type Structure } from '../../src/index.js';
import { bruteForceNeighbors, type Pair } from '../helpers/bruteForce.js';
import { readShared, sharedStructureFiles } from '../helpers/shared.js';

beforeAll(async () => {
  await init();
});

/**
 * Matches every pair of `a` to a distinct pair of `b` with the same atom and a displacement
 * within 1e-8 Å; pairs within 1e-9 Å of the cutoff sphere are left out of both sides.
 * Returns a description of the first unmatched pair, or null.
 */
function unmatched(a: Pair[], b: Pair[], cutoff: number): string | null {
  const keep = (p: Pair): boolean => Math.abs(Math.hypot(...p.d) - cutoff) > 1e-9;
  const left = a.filter(keep);
  const right = b.filter(keep);
  if (left.length !== right.length) return `${left.length} pairs vs ${right.length}`;
  const used = new Uint8Array(right.length);
  for (const p of left) {
    const k = right.findIndex(
      (q, i) => !used[i] && q.j === p.j && Math.abs(q.d[0] - p.d[0]) < 1e-8 && Math.abs(q.d[1] - p.d[1]) < 1e-8 && Math.abs(q.d[2] - p.d[2]) < 1e-8,
    );
    if (k < 0) return `no match for atom ${p.j} at ${p.d.join(', ')}`;
    used[k] = 1;
  }
  return null;
}

function expectSameAsBruteForce(structure: Structure, cutoff: number, periodic = true, centers?: number[]): number {
  const fast = neighborList(structure, cutoff, { periodic, centers });
  const slow = bruteForceNeighbors(structure, cutoff, periodic, centers);
  let total = 0;
  for (let c = 0; c < slow.length; c++) {
    const mine: Pair[] = [];
    for (let e = fast.offsets[c]!; e < fast.offsets[c + 1]!; e++) {
      const d = fast.displacements;
      mine.push({ j: fast.index[e]!, d: [d[3 * e]!, d[3 * e + 1]!, d[3 * e + 2]!] });
    }
    expect(unmatched(mine, slow[c]!, cutoff), `centre ${c}`).toBeNull();
    total += mine.length;
  }
  return total;
}

describe('cell-list neighbour search equals brute force', () => {
  const files = sharedStructureFiles().filter((f) => !f.includes('batch_g2'));
  for (const file of files) {
    test(file, () => {
      const [s] = readShared(file);
      const n = s!.positions.length / 3;
      // In large boxes every 37th atom is a centre, which keeps the brute force quick.
      const centers = n > 500 ? [...Array(n).keys()].filter((a) => a % 37 === 0) : undefined;
      let pairs = 0;
      for (const cutoff of [2.5, 4, 6.5]) pairs += expectSameAsBruteForce(s!, cutoff, true, centers);
      expect(pairs).toBeGreaterThan(0);
    });
  }

  test('first frames of the molecule batch', () => {
    const frames = readShared('data/structures/batch_g2_CHNO_972.extxyz').slice(0, 24);
    for (const s of frames) expectSameAsBruteForce(s, 3);
  });

  test('a cell thinner than the cutoff along one axis only', () => {
    const s: Structure = {
      symbols: ['Si', 'Si', 'O'],
      positions: [[0.1, 0.2, 0.3], [3.0, 4.1, 0.9], [6.2, 1.7, 1.4]],
      cell: [[8, 0, 0], [0, 7.5, 0], [0.3, 0.2, 1.7]],
      pbc: true,
    };
    expectSameAsBruteForce(s, 5);
  });

  test('a strongly skewed cell', () => {
    const s: Structure = {
      symbols: ['Cu', 'Cu'],
      positions: [[0, 0, 0], [2.9, 1.1, 0.7]],
      cell: [[4, 0, 0], [3.7, 1.2, 0], [3.5, 0.9, 1.3]],
      pbc: true,
    };
    expectSameAsBruteForce(s, 5.5);
  });

  test('a 1-atom cell with a cutoff many times its size', () => {
    const [cu] = readShared('data/structures/xtal_Cu_fcc_prim.extxyz');
    const n = expectSameAsBruteForce(cu!, 12);
    expect(n).toBeGreaterThan(500);
  });

  test('atoms given far outside the cell are wrapped, keeping every image', () => {
    const [nacl] = readShared('data/structures/xtal_NaCl_rocksalt_cubic.extxyz');
    const moved = Float64Array.from(nacl!.positions as Float64Array);
    const cell = nacl!.cell as number[][];
    // Move atom 3 by two cell vectors and atom 5 by −3 along another.
    for (let x = 0; x < 3; x++) {
      moved[9 + x] += 2 * cell[0]![x]!;
      moved[15 + x] -= 3 * cell[2]![x]!;
    }
    const shifted = { ...nacl!, positions: moved };
    expectSameAsBruteForce(shifted, 6);
    const a = neighborList(nacl!, 6);
    const b = neighborList(shifted, 6);
    expect(b.index.length).toBe(a.index.length);
  });

  test('mixed periodicity (slab periodic in x and y only)', () => {
    const s: Structure = {
      symbols: ['Cu', 'Cu', 'Cu'],
      positions: [[0.2, 0.1, 0], [1.5, 1.4, 1.9], [0.4, 2.2, 4.0]],
      cell: [[2.6, 0, 0], [1.3, 2.25, 0], [0, 0, 0]],
      pbc: [true, true, false],
    };
    expectSameAsBruteForce(s, 6);
  });

  test('periodic: false ignores the cell', () => {
    const [si] = readShared('data/structures/xtal_Si_diamond_2x2x2.extxyz');
    expectSameAsBruteForce(si!, 4, false);
  });
});

test('atoms spread over an enormous range still get a correct (coarse) grid', async () => {
  const s: Structure = { symbols: ['H', 'H', 'H', 'H'], positions: [[0, 0, 0], [0.7, 0, 0], [1.7e308, 0, 0], [-1.7e308, 0, 0]] };
  const nl = neighborList(s, 1.0);
  expect(Array.from(nl.offsets)).toEqual([0, 1, 2, 2, 2]);
  expect(Array.from(nl.index)).toEqual([1, 0]);
});
