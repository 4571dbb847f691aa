import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/index.js';
import { CACE } from '../../src/cace/cace.js';
import { maxAbs, maxAbsDiff } from '../helpers/shared.js';
import { randomRotation, rng, rotate } from '../helpers/geometry.js';
import { caceReference, referenceStructure } from './referenceCases.js';

const { model, structures } = caceReference();

describe('CACE symmetries', () => {
  let cace: CACE;
  beforeAll(async () => {
    await init();
    cace = CACE.fromModel(model);
  });

  for (const s of structures) {
    const st = referenceStructure(s);
    const flatPos = (st.positions as number[][]).flat();

    it(`${s.name}: B is invariant under rotation + translation (cell rotated too)`, () => {
      const R = randomRotation(rng(11));
      const pos = Array.from(rotate(flatPos, R)).map((x, q) => x + [0.37, -1.21, 2.05][q % 3]!);
      const cell = st.cell === null ? null : Array.from(rotate((st.cell as number[][]).flat(), R));
      const a = cace.create(st).values;
      const b = cace.create({ ...st, positions: pos, cell }).values;
      expect(maxAbsDiff(a, b)).toBeLessThan(1e-13 * maxAbs(a));
    });

    it(`${s.name}: B is permutation equivariant`, () => {
      const n = s.atomic_numbers.length;
      const perm = Array.from({ length: n }, (_, i) => (i * 5 + 2) % n);
      if (new Set(perm).size !== n) perm.reverse();
      const p = [...new Set([...perm, ...Array.from({ length: n }, (_, i) => i)])];
      const a = cace.create(st).values;
      const b = cace.create({ ...st, numbers: p.map((i) => s.atomic_numbers[i]!), positions: p.map((i) => s.positions[i]!) }).values;
      const F = cace.numFeatures;
      let worst = 0;
      p.forEach((src, dst) => {
        for (let f = 0; f < F; f++) worst = Math.max(worst, Math.abs(b[dst * F + f]! - a[src * F + f]!));
      });
      expect(worst).toBeLessThan(1e-13 * maxAbs(a));
    });

    it(`${s.name}: the l = 1 part of Ã is a vector and the l = 2 part a rank-2 tensor`, () => {
      const R = randomRotation(rng(5));
      const pos = Array.from(rotate(flatPos, R));
      const cell = st.cell === null ? null : Array.from(rotate((st.cell as number[][]).flat(), R));
      const A = cace.atomicBasis(st).mixed;
      const B = cace.atomicBasis({ ...st, positions: pos, cell }).mixed;
      const [nAtoms, K, nA, C] = A.shape;
      const at = (X: Float64Array, i: number, k: number, m: number, c: number): number => X[((i * K + k) * nA + m) * C + c]!;
      let worst = 0;
      for (let i = 0; i < nAtoms; i++) for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) {
        // l = 1: m = 1, 2, 3 are x, y, z.
        const v = [1, 2, 3].map((m) => at(A.values, i, k, m, c));
        const rv = [0, 1, 2].map((r) => R[3 * r]! * v[0]! + R[3 * r + 1]! * v[1]! + R[3 * r + 2]! * v[2]!);
        for (let r = 0; r < 3; r++) worst = Math.max(worst, Math.abs(rv[r]! - at(B.values, i, k, 1 + r, c)));
        // l = 2: m = 4..9 are xx, xy, xz, yy, yz, zz of Σ û⊗û.
        const idx = [[4, 5, 6], [5, 7, 8], [6, 8, 9]];
        const Tm = idx.map((row) => row.map((m) => at(A.values, i, k, m, c)));
        for (let a = 0; a < 3; a++) for (let b = a; b < 3; b++) {
          let rt = 0;
          for (let p = 0; p < 3; p++) for (let q = 0; q < 3; q++) rt += R[3 * a + p]! * Tm[p]![q]! * R[3 * b + q]!;
          worst = Math.max(worst, Math.abs(rt - at(B.values, i, k, idx[a]![b]!, c)));
        }
      }
      expect(worst).toBeLessThan(1e-13 * maxAbs(A.values));
    });
  }

  it('a 2×1×1 supercell repeats every atom\'s features', () => {
    const s = structures.find((x) => x.name === 'water_box_8')!;
    const st = referenceStructure(s);
    const cell = s.cell;
    const n = s.atomic_numbers.length;
    const big = {
      numbers: [...s.atomic_numbers, ...s.atomic_numbers],
      positions: [...s.positions, ...s.positions.map((p) => p.map((x, q) => x + cell[0]![q]!))],
      cell: [cell[0]!.map((x) => 2 * x), cell[1]!, cell[2]!],
      pbc: [true, true, true],
    };
    const a = cace.create(st).values;
    const b = cace.create(big).values;
    const F = cace.numFeatures;
    expect(maxAbsDiff(b.subarray(0, n * F), a)).toBeLessThan(1e-13 * maxAbs(a));
    expect(maxAbsDiff(b.subarray(n * F), a)).toBeLessThan(1e-13 * maxAbs(a));
  });

  it('the edge vector points from the neighbour to the centre (odd-l A flips under inversion, B does not)', () => {
    const s = referenceStructure(structures[0]!);
    const inv = (s.positions as number[][]).map((p) => p.map((x) => -x));
    const A = cace.atomicBasis(s).mixed;
    const B = cace.atomicBasis({ ...s, positions: inv }).mixed;
    const [, K, nA, C] = A.shape;
    // l = 1 indices 1..3 flip sign, l = 2 indices 4..9 do not.
    for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) {
      expect(B.values[(k * nA + 1) * C + c]).toBeCloseTo(-A.values[(k * nA + 1) * C + c]!, 14);
      expect(B.values[(k * nA + 4) * C + c]).toBeCloseTo(A.values[(k * nA + 4) * C + c]!, 14);
    }
  });
});
