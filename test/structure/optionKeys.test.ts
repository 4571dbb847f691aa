import { beforeAll, describe, expect, it } from 'vitest';
import { ACSF, AtomenvError, CACE, SOAP, SymmetryFunctions, init } from '../../src/index.js';

beforeAll(async () => {
  await init();
});

/** The AtomenvError `fn` throws (fails the test when it throws nothing or something else). */
function errorOf(fn: () => unknown): AtomenvError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AtomenvError) return error;
    throw error;
  }
  throw new Error('expected an AtomenvError');
}

describe('descriptor constructors refuse option keys they do not take', () => {
  const soap = { species: ['H', 'O'], rCut: 4, nMax: 2, lMax: 2 };
  const acsf = { species: ['H', 'O'], rCut: 4, g2Params: [[0.1, 0]] as [number, number][] };
  const sf = { elements: ['H', 'O'], functions: ['H 2 O 0.01 0.0 8.0'] };

  it('accepts every documented key', () => {
    expect(new SOAP({ ...soap, sigma: 0.5, rbf: 'gto', periodic: false, average: 'off', compression: null, weighting: null, dtype: 'float64', cutoff: null }).numFeatures).toBeGreaterThan(0);
    expect(new ACSF({ ...acsf, g3Params: null, g4Params: null, g5Params: null, periodic: false }).numFeatures).toBeGreaterThan(0);
    expect(new SymmetryFunctions({ ...sf, cutoffType: 1, cutoffAlpha: 0 }).numFeatures).toBeGreaterThan(0);
  });

  it("names DScribe's snake_case name and the camelCase one meant", () => {
    const e = errorOf(() => new SOAP({ species: ['H'], r_cut: 4, nMax: 2, lMax: 2 } as never));
    expect(e.code).toBe('INVALID_PARAMETER');
    expect(e.message).toContain("SOAP: unknown option 'r_cut' (did you mean 'rCut'?)");
    const f = errorOf(() => new SymmetryFunctions({ ...sf, cutoff_type: 2 } as never));
    expect(f.message).toContain("SymmetryFunctions: unknown option 'cutoff_type' (did you mean 'cutoffType'?)");
  });

  it('refuses a typo that would otherwise leave a default in place', () => {
    const e = errorOf(() => new SOAP({ ...soap, Sigma: 0.3 } as never));
    expect(e.code).toBe('INVALID_PARAMETER');
    expect(e.message).toMatch(/unknown option 'Sigma'; its options: species, rCut, nMax, lMax, sigma/);
    const c = errorOf(() => new CACE({ zs: [1, 8], max_l: 3 } as never));
    expect(c.message).toContain("CACE: unknown option 'max_l' (did you mean 'maxL'?)");
    const a = errorOf(() => new ACSF({ ...acsf, g2_params: [[1, 0]] } as never));
    expect(a.message).toContain("ACSF: unknown option 'g2_params' (did you mean 'g2Params'?)");
  });
});
