import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/index.js';
import { SymmetryFunctions } from '../../src/n2p2/symmetryFunctions.js';

beforeAll(async () => {
  await init();
});

// A narrow angle (P = 1 + cos θ ≈ 2): 2^(1−ζ) P^ζ ≈ 2 (P/2)^ζ is finite for any ζ, but computed as
// the product its factors overflow float64 from ζ ≈ 1023 (values ∞ or NaN, derivatives NaN).
// Found by parameter fuzzing; ACSF already refuses ζ > 1000.
const structure = { symbols: ['O', 'H', 'H'], positions: [0, 0, 0, 1, 0, 0, 2.5, 0.02, 0] };
const angular = (type: 3 | 9 | 13, zeta: number) => (type === 13
  ? { element: 'O', type, eta: 0, rs: 0, lambda: 1, zeta, rc: 6 }
  : { element: 'O', type, neighbors: ['H', 'H'], eta: 0, rs: 0, lambda: 1, zeta, rc: 6 });

describe('angular ζ bound', () => {
  for (const type of [3, 9, 13] as const) {
    test(`type ${type}: ζ = 1000 is finite with finite derivatives and matches 2 ((1 + cos θ)/2)^ζ (Z_H Z_H = 1 for type 13)`, () => {
      const sf = new SymmetryFunctions({ elements: ['H', 'O'], functions: [angular(type, 1000)], cutoffType: 0 });
      const d = sf.derivatives(structure);
      const cos = 2.5 / Math.hypot(2.5, 0.02);
      const expected = 2 * ((1 + cos) / 2) ** 1000;
      expect(Math.abs(d.values[0]! - expected)).toBeLessThan(1e-12 * expected);
      expect(d.derivatives.values.every(Number.isFinite)).toBe(true);
    });
    test(`type ${type}: ζ > 1000 is refused, naming the function`, () => {
      for (const zeta of [1023, 1100, 1e5]) {
        expect(() => new SymmetryFunctions({ elements: ['H', 'O'], functions: [angular(type, zeta)] })).toThrow(/functions\[0\].*zeta must be ≤ 1000/);
      }
    });
  }
});
