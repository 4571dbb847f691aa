import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/index.js';
import { SymmetryFunctions } from '../../src/n2p2/symmetryFunctions.js';
import { bruteForceNeighbors } from '../helpers/bruteForce.js';

beforeAll(async () => {
  await init();
});

// A C atom sees its own images at ±T: exactly collinear triplets, which n2p2 drops from the
// compact angular windows (../shared/specs/n2p2.md, section 3). Their cos θ rounds a few ulps to
// either side of −1 depending on where the cell sits; a window centred on 180° weighs them ≈ 1,
// so keeping some of them made the value jump under a rigid translation (found by parameter fuzzing).
const structure = {
  symbols: ['C', 'H'],
  positions: [1.4553701786027926, 1.7093451977367666, 1.0395847572319177, 0.8192548630673729, 2.5645429105063666, 1.1153321184368379],
  cell: [[2.8518012674991042, 0, 0], [0.22591910536866633, 3.0673147591948426, 0], [-0.2921609461773187, 0.001445077732205391, 2.88511512139095]],
  pbc: true,
};

/** p1 core: (2x − 3)x² + 1. */
const p1 = (x: number): number => (2 * x - 3) * x * x + 1;

describe('compact angular windows drop collinear periodic-image triplets', () => {
  const f = { element: 'C', type: 25 as const, rl: 0.73, rc: 4.15, angleLeft: 103.3, angleRight: 256.7, subtype: 'p1' as const };
  const sf = new SymmetryFunctions({ elements: ['H', 'C'], functions: [f] });

  test('type 25 centred on 180°: the brute-force sum without collinear triplets, at every translation', () => {
    // Brute force from the spec: Σ_{j<k} Z_j Z_k C_r(r_ij) C_r(r_ik) C_θ(θ), collinear triplets excluded.
    const [list] = bruteForceNeighbors(structure, f.rc, true, [0]);
    const Z = [6, 1];
    const win = (x: number, lo: number, hi: number): number => p1(Math.abs(x - (lo + hi) / 2) / ((hi - lo) / 2));
    const tl = (f.angleLeft * Math.PI) / 180, tr = (f.angleRight * Math.PI) / 180;
    let expected = 0, collinear = 0;
    for (let a = 0; a < list!.length; a++) {
      for (let b = a + 1; b < list!.length; b++) {
        const A = list![a]!, B = list![b]!;
        const ra = Math.hypot(...A.d), rb = Math.hypot(...B.d);
        if (!(ra > f.rl && ra < f.rc && rb > f.rl && rb < f.rc)) continue;
        const cos = (A.d[0] * B.d[0] + A.d[1] * B.d[1] + A.d[2] * B.d[2]) / ra / rb;
        if (Math.abs(cos) > 1 - 1e-12) {
          collinear++;
          continue;
        }
        const th = Math.acos(cos);
        if (th < tl || th > tr) continue;
        expected += Z[A.j]! * Z[B.j]! * win(ra, f.rl, f.rc) * win(rb, f.rl, f.rc) * win(th, tl, tr);
      }
    }
    expect(collinear).toBeGreaterThan(2);
    for (const shift of [0, 0.1, 0.37, 1.3, -2.1, 5.5]) {
      const positions = structure.positions.map((x) => x + shift);
      const value = sf.create({ ...structure, positions }).values[0]!;
      expect(Math.abs(value - expected)).toBeLessThan(1e-12 * expected);
    }
  });
});
