import { beforeAll, describe, expect, test } from 'vitest';
import { SOAP, init } from '../../src/index.js';
import { expectAtomenvError } from '../helpers/errors.js';

// Found by fuzzing SOAP's options: 'pow' weighting c / (d + (r/r0)^m) with d = 0 is c/0 for the
// centre atom itself (r = 0), so every value and derivative came out NaN. Such a weighting now
// needs w0 (the weight on the centre) or d > 0.

beforeAll(async () => {
  await init();
});

const molecule = { numbers: [8, 1, 1], positions: [[0, 0, 0], [0.96, 0, 0], [-0.24, 0.93, 0]] };
const pow = { function: 'pow', r0: 1, c: 1, d: 0, m: 2 } as const;

describe("SOAP 'pow' weighting with d = 0", () => {
  test('without w0 it is refused, naming the fix', () => {
    expectAtomenvError(() => new SOAP({ species: ['H', 'O'], rCut: 4, nMax: 3, lMax: 2, weighting: pow }), 'INVALID_PARAMETER', /d = 0/, /w0/);
    // Also when rCut is inferred from it.
    expectAtomenvError(() => new SOAP({ species: ['H', 'O'], nMax: 3, lMax: 2, weighting: pow }), 'INVALID_PARAMETER', /d = 0/);
  });

  test('with w0 the values and derivatives are finite; m = 0 (weight c) needs nothing', () => {
    for (const weighting of [{ ...pow, w0: 1 }, { ...pow, w0: 0 }, { ...pow, m: 0 }]) {
      const soap = new SOAP({ species: ['H', 'O'], rCut: 4, nMax: 3, lMax: 2, weighting });
      const out = soap.derivatives(molecule, { attach: true });
      expect(out.values.every(Number.isFinite) && out.derivatives.values.every(Number.isFinite)).toBe(true);
      expect(Math.max(...Array.from(out.values, Math.abs))).toBeGreaterThan(0);
    }
  });
});

describe('SOAP rCut bound', () => {
  test('refuses an rCut inferred from a slowly decaying weighting (it was ~1.3e5 Å: the constructor ran for hours)', () => {
    expect(() => new SOAP({ species: ['H'], nMax: 2, lMax: 1, rbf: 'polynomial', weighting: { function: 'pow', r0: 2.9, c: 2.1, d: 1, m: 0.5 } })).toThrow(
      /rCut must be ≤ 100 Å .*got \d+.* inferred from weighting\.function 'pow'/,
    );
  });
  test('refuses a given rCut above 100 Å and accepts 100 Å', () => {
    expect(() => new SOAP({ species: ['H'], rCut: 100.5, nMax: 2, lMax: 1 })).toThrow(/rCut must be ≤ 100 Å/);
    expect(new SOAP({ species: ['H'], rCut: 100, nMax: 2, lMax: 1 }).numFeatures).toBe(6);
  });
});
