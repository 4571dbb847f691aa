import { beforeAll, describe, expect, test } from 'vitest';
import { ACSF, init } from '../../src/index.js';
import { maxAbs, maxAbsDiff } from '../helpers/shared.js';
import { randomRotation, rng, rotate } from '../helpers/geometry.js';

beforeAll(async () => {
  await init();
});

// A lattice vector shorter than r_cut / 2 puts images of an atom at ±b, ±2b, … on one line
// through it: cos θ = ±1 up to rounding, so 1 + λ cos θ can come out as −1e-16. With a
// non-integer ζ, Math.pow of that was NaN (found by a differential fuzzer on a skewed cell).
describe('G4/G5 with non-integer ζ on collinear periodic images', () => {
  // Cells with one short vector (2.3 Å) in several orientations, one or two atoms.
  const random = rng(3);
  const cases = Array.from({ length: 12 }, () => {
    const R = randomRotation(random);
    const cell = rotate([7.9, 0.3, -0.4, 0.085, 1.879, 1.367, -0.6, 0.2, 8.3], R);
    const two = random() < 0.5;
    const frac = two ? [[0.1, 0.2, 0.3], [0.6, 0.1, 0.7]] : [[0.25, 0.5, 0.4]];
    const positions = frac.map((f) => [0, 1, 2].map((x) => f[0]! * cell[x]! + f[1]! * cell[3 + x]! + f[2]! * cell[6 + x]!));
    return { numbers: two ? [8, 1] : [8], positions, cell: [cell.slice(0, 3), cell.slice(3, 6), cell.slice(6, 9)], pbc: true };
  });
  const acsf = new ACSF({
    species: ['H', 'O'], rCut: 5.4, periodic: true,
    g4Params: [[0.01, 1.5, -1], [0.02, 2.5, 1], [0.01, 4, -1]],
    g5Params: [[0.01, 1.5, -1], [0.03, 3.7, 1]],
  });

  test('values and derivatives are finite, and the edge and per-centre paths agree', () => {
    for (const s of cases) {
      const edge = acsf.derivatives(s, { attach: true });
      const perCentre = acsf.derivatives(s, { attach: true, centers: s.numbers.map((_, i) => i) });
      for (const out of [edge, perCentre]) {
        expect(out.values.every(Number.isFinite)).toBe(true);
        expect(out.derivatives.values.every(Number.isFinite)).toBe(true);
      }
      expect(maxAbsDiff(edge.values, perCentre.values)).toBeLessThanOrEqual(1e-12 * maxAbs(perCentre.values));
      expect(maxAbsDiff(edge.derivatives.values, perCentre.derivatives.values)).toBeLessThanOrEqual(1e-12 * maxAbs(perCentre.derivatives.values));
      expect(maxAbsDiff(acsf.create(s).values, edge.values)).toBeLessThanOrEqual(1e-12 * maxAbs(edge.values));
    }
  });
});
