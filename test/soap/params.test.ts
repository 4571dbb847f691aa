import { describe, expect, test } from 'vitest';
import { validateSOAPOptions, type SOAPOptions } from '../../src/soap/params.js';
import { readSharedJson } from '../helpers/shared.js';
import { expectAtomenvError } from '../helpers/errors.js';
import { soapOptionsFromDscribe } from '../helpers/soapCases.js';

const base: SOAPOptions = { species: ['O', 'H'], rCut: 5, nMax: 8, lMax: 6 };
const FILES = ['soap_average', 'soap_compression', 'soap_derivatives', 'soap_gto_molecules', 'soap_polynomial_molecules', 'soap_weighting'];

describe('validateSOAPOptions: defaults', () => {
  test('DScribe defaults are filled in', () => {
    const p = validateSOAPOptions(base);
    expect(p.species).toEqual([1, 8]);
    expect(p).toMatchObject({
      rCut: 5, rCutInferred: false, nMax: 8, lMax: 6, sigma: 1, rbf: 'gto', average: 'off', compression: 'off',
      speciesWeights: null, weighting: null, periodic: false, dtype: 'float64', cutoff: null,
    });
    expect(p.eta).toBe(0.5);
    // δ = σ·sqrt(−2 ln 10⁻³) ≈ 3.7169 σ
    expect(p.cutoffPadding).toBeCloseTo(3.7169, 4);
    expect(p.neighbourCutoff).toBe(5 + p.cutoffPadding);
  });

  test('species by symbol or atomic number, duplicates allowed, sorted', () => {
    expect(validateSOAPOptions({ ...base, species: ['Cl', 8, 'H', 'O', 6] }).species).toEqual([1, 6, 8, 17]);
  });

  test('speciesWeighting becomes one weight per sorted species; keys may be atomic numbers', () => {
    const p = validateSOAPOptions({
      ...base, species: ['H', 'C', 'N', 'O', 'Cl'], compression: { mode: 'mu2', speciesWeighting: { O: 2, 1: 0.5, Cl: 3, '6': 1, N: 1.5 } },
    });
    expect(p.compression).toBe('mu2');
    expect(p.speciesWeights).toEqual([0.5, 1, 1.5, 2, 3]);
    expect(validateSOAPOptions({ ...base, compression: { speciesWeighting: { H: 1, O: 1 } } }).compression).toBe('off');
  });

  test('weighting: threshold defaults to 0.01; parameters a function does not use are 0', () => {
    expect(validateSOAPOptions({ ...base, weighting: { function: 'poly', r0: 4, c: 1, m: 2 } }).weighting).toEqual({
      function: 'poly', r0: 4, c: 1, d: 0, m: 2, threshold: 0.01, w0: null,
    });
    expect(validateSOAPOptions({ ...base, weighting: { function: 'exp', r0: 1, c: 1, d: 0.5, w0: 0.3 } }).weighting).toEqual({
      function: 'exp', r0: 1, c: 1, d: 0.5, m: 0, threshold: 0.01, w0: 0.3,
    });
    expect(validateSOAPOptions({ ...base, weighting: { w0: 0 } }).weighting).toEqual({
      function: null, r0: 0, c: 0, d: 0, m: 0, threshold: 0.01, w0: 0,
    });
    expect(validateSOAPOptions({ ...base, weighting: {} }).weighting).toBeNull();
  });

  test('a smooth cosine cutoff is accepted and off by default', () => {
    expect(validateSOAPOptions({ ...base, cutoff: { function: 'cosine', width: 1 } }).cutoff).toEqual({ function: 'cosine', width: 1 });
    expect(validateSOAPOptions({ ...base, cutoff: { width: 5 } }).cutoff).toEqual({ function: 'cosine', width: 5 });
  });

  test('polynomial basis allows rCut ≤ 1', () => {
    expect(validateSOAPOptions({ ...base, rbf: 'polynomial', rCut: 0.8 }).rCut).toBe(0.8);
  });
});

for (const file of FILES) {
  const data = readSharedJson(`reference/dscribe/${file}.json`);
  describe(`derived parameters of ${file}.json`, () => {
    for (const c of data.cases) {
      test(c.id, () => {
        const p = validateSOAPOptions(soapOptionsFromDscribe(c.params));
        expect(p.rCut).toBeCloseTo(c.derived.r_cut_used, 13);
        expect(p.rCutInferred).toBe(c.params.r_cut === null);
        expect(p.cutoffPadding).toBeCloseTo(c.derived.cutoff_padding, 14);
        expect(p.neighbourCutoff).toBeCloseTo(c.derived.neighbour_cutoff, 13);
        expect(p.eta).toBeCloseTo(c.derived['eta=1/(2 sigma^2)'], 13);
      });
    }
  });
}

describe('validateSOAPOptions rejects bad options, naming the option', () => {
  const bad = (patch: Record<string, unknown>) => () => validateSOAPOptions({ ...base, ...patch } as SOAPOptions);

  test('no options object', () => {
    expectAtomenvError(() => validateSOAPOptions(undefined as unknown as SOAPOptions), 'MISSING_PARAMETER', /options object/);
  });

  test('species', () => {
    expectAtomenvError(bad({ species: [] }), 'MISSING_PARAMETER', /species/);
    expectAtomenvError(bad({ species: undefined }), 'MISSING_PARAMETER', /species/);
    expectAtomenvError(bad({ species: ['H', 'Xx'] }), 'UNKNOWN_ELEMENT', /species.*Xx/);
  });

  test('rCut ≤ 0, non-finite, or missing without a weighting function', () => {
    expectAtomenvError(bad({ rCut: 0 }), 'INVALID_PARAMETER', /rCut must be > 0/);
    expectAtomenvError(bad({ rCut: -2, rbf: 'polynomial' }), 'INVALID_PARAMETER', /rCut must be > 0/);
    expectAtomenvError(bad({ rCut: NaN }), 'INVALID_PARAMETER', /rCut must be a finite number, got NaN/);
    expectAtomenvError(bad({ rCut: Infinity }), 'INVALID_PARAMETER', /rCut must be a finite number, got Infinity/);
    expectAtomenvError(bad({ rCut: '5' }), 'INVALID_PARAMETER', /rCut must be a finite number/);
    expectAtomenvError(bad({ rCut: undefined }), 'MISSING_PARAMETER', /rCut.*weighting\.function/);
    expectAtomenvError(bad({ rCut: null, weighting: { w0: 0 } }), 'MISSING_PARAMETER', /rCut.*weighting\.function/);
  });

  test('rCut ≤ 1 with the GTO basis, given or inferred', () => {
    expectAtomenvError(bad({ rCut: 1 }), 'INVALID_PARAMETER', /rCut must be > 1 Å with rbf 'gto'.*got 1$/);
    expectAtomenvError(
      bad({ rCut: null, weighting: { function: 'poly', r0: 0.9, c: 1, m: 2 } }),
      'INVALID_PARAMETER',
      /rCut must be > 1 Å with rbf 'gto'.*0\.9 \(inferred from weighting\)/,
    );
  });

  test('rCut that cannot be inferred from the weighting', () => {
    // pow: c/t − d ≤ 0 has no real root; exp: c/t − d ≤ 1 gives ln ≤ 0.
    expectAtomenvError(bad({ rCut: null, weighting: { function: 'pow', r0: 1, c: 0.01, d: 2, m: 3 } }), 'INVALID_PARAMETER', /rCut cannot be inferred from weighting\.function 'pow'/);
    expectAtomenvError(bad({ rCut: null, weighting: { function: 'exp', r0: 1, c: 0.01, d: 0 } }), 'INVALID_PARAMETER', /rCut cannot be inferred from weighting\.function 'exp'/);
  });

  test('nMax', () => {
    expectAtomenvError(bad({ nMax: 0 }), 'INVALID_PARAMETER', /nMax must be an integer ≥ 1, got 0/);
    expectAtomenvError(bad({ nMax: 2.5 }), 'INVALID_PARAMETER', /nMax must be an integer/);
    expectAtomenvError(bad({ nMax: NaN }), 'INVALID_PARAMETER', /nMax must be a finite number/);
    expectAtomenvError(bad({ nMax: undefined }), 'MISSING_PARAMETER', /nMax/);
  });

  test('lMax', () => {
    expectAtomenvError(bad({ lMax: -1 }), 'INVALID_PARAMETER', /lMax must be an integer between 0 and 20, got -1/);
    expectAtomenvError(bad({ lMax: 21 }), 'INVALID_PARAMETER', /lMax must be an integer between 0 and 20, got 21/);
    expectAtomenvError(bad({ lMax: 21, rbf: 'polynomial' }), 'INVALID_PARAMETER', /lMax/);
    expectAtomenvError(bad({ lMax: Infinity }), 'INVALID_PARAMETER', /lMax must be a finite number/);
    expectAtomenvError(bad({ lMax: null }), 'MISSING_PARAMETER', /lMax/);
    expect(validateSOAPOptions({ ...base, lMax: 20 }).lMax).toBe(20);
    expect(validateSOAPOptions({ ...base, lMax: 0 }).lMax).toBe(0);
  });

  test('sigma', () => {
    expectAtomenvError(bad({ sigma: 0 }), 'INVALID_PARAMETER', /sigma must be > 0/);
    expectAtomenvError(bad({ sigma: -0.5 }), 'INVALID_PARAMETER', /sigma must be > 0/);
    expectAtomenvError(bad({ sigma: NaN }), 'INVALID_PARAMETER', /sigma must be a finite number/);
  });

  test('rbf, average, dtype, periodic', () => {
    expectAtomenvError(bad({ rbf: 'gaussian' }), 'INVALID_PARAMETER', /rbf must be one of 'gto', 'polynomial', got "gaussian"/);
    expectAtomenvError(bad({ average: 'mean' }), 'INVALID_PARAMETER', /average must be one of 'off', 'inner', 'outer'/);
    expectAtomenvError(bad({ average: true }), 'INVALID_PARAMETER', /average must be one of/);
    expectAtomenvError(bad({ dtype: 'float16' }), 'INVALID_PARAMETER', /dtype must be one of 'float64', 'float32'/);
    expectAtomenvError(bad({ periodic: 'yes' }), 'INVALID_PARAMETER', /periodic must be true or false/);
  });

  test('compression mode and object', () => {
    expectAtomenvError(bad({ compression: { mode: 'mu3' } }), 'INVALID_PARAMETER', /compression\.mode must be one of 'off', 'crossover', 'mu1nu1', 'mu2', got "mu3"/);
    expectAtomenvError(bad({ compression: 'mu2' }), 'INVALID_PARAMETER', /compression must be an object/);
    expectAtomenvError(bad({ compression: { mode: 'off', species_weighting: null } }), 'INVALID_PARAMETER', /compression: unknown key 'species_weighting'/);
  });

  test('speciesWeighting missing a species, naming an unknown one, or not a number', () => {
    expectAtomenvError(bad({ compression: { mode: 'off', speciesWeighting: { H: 1 } } }), 'INVALID_PARAMETER', /compression\.speciesWeighting needs a weight for every species; missing: O/);
    expectAtomenvError(bad({ compression: { speciesWeighting: { H: 1, O: 1, C: 2 } } }), 'INVALID_PARAMETER', /compression\.speciesWeighting names C, which is not among the species \(H, O\)/);
    expectAtomenvError(bad({ compression: { speciesWeighting: { H: 1, O: 1, Qq: 2 } } }), 'UNKNOWN_ELEMENT', /compression\.speciesWeighting: unknown element "Qq"/);
    expectAtomenvError(bad({ compression: { speciesWeighting: { H: 1, 1: 2, O: 1 } } }), 'INVALID_PARAMETER', /compression\.speciesWeighting gives H twice/);
    expectAtomenvError(bad({ compression: { speciesWeighting: { H: NaN, O: 1 } } }), 'INVALID_PARAMETER', /compression\.speciesWeighting\.H must be a finite number/);
    expectAtomenvError(bad({ compression: { speciesWeighting: [1, 2] } }), 'INVALID_PARAMETER', /compression\.speciesWeighting must be an object/);
  });

  test('weighting function and keys', () => {
    expectAtomenvError(bad({ weighting: { function: 'gauss', r0: 1, c: 1 } }), 'INVALID_PARAMETER', /weighting\.function must be one of 'poly', 'pow', 'exp', got "gauss"/);
    expectAtomenvError(bad({ weighting: { function: 'poly', r0: 1, c: 1, m: 2, rcut: 3 } }), 'INVALID_PARAMETER', /weighting: unknown key 'rcut'/);
    expectAtomenvError(bad({ weighting: { r0: 2, c: 1 } }), 'INVALID_PARAMETER', /weighting\.function is missing: r0, c only apply/);
    expectAtomenvError(bad({ weighting: 'poly' }), 'INVALID_PARAMETER', /weighting must be an object/);
  });

  test('weighting parameters: required, ranges, finite', () => {
    expectAtomenvError(bad({ weighting: { function: 'poly', c: 1, m: 2 } }), 'MISSING_PARAMETER', /weighting\.r0 is required with weighting\.function 'poly'/);
    expectAtomenvError(bad({ weighting: { function: 'pow', r0: 1, c: 1, m: 2 } }), 'MISSING_PARAMETER', /weighting\.d is required with weighting\.function 'pow'/);
    expectAtomenvError(bad({ weighting: { function: 'exp', r0: 1, d: 1 } }), 'MISSING_PARAMETER', /weighting\.c is required/);
    expectAtomenvError(bad({ weighting: { function: 'poly', r0: 1, c: 1 } }), 'MISSING_PARAMETER', /weighting\.m is required/);
    expectAtomenvError(bad({ weighting: { function: 'poly', r0: 0, c: 1, m: 2 } }), 'INVALID_PARAMETER', /weighting\.r0 must be > 0, got 0/);
    expectAtomenvError(bad({ weighting: { function: 'pow', r0: 1, c: -1, d: 1, m: 2 } }), 'INVALID_PARAMETER', /weighting\.c must be ≥ 0/);
    expectAtomenvError(bad({ weighting: { function: 'pow', r0: 1, c: 1, d: -1, m: 2 } }), 'INVALID_PARAMETER', /weighting\.d must be ≥ 0/);
    expectAtomenvError(bad({ weighting: { function: 'pow', r0: 1, c: 1, d: 1, m: -2 } }), 'INVALID_PARAMETER', /weighting\.m must be ≥ 0/);
    expectAtomenvError(bad({ weighting: { function: 'pow', r0: 1, c: 1, d: 1, m: 2, threshold: 0 } }), 'INVALID_PARAMETER', /weighting\.threshold must be > 0/);
    expectAtomenvError(bad({ weighting: { function: 'pow', r0: Infinity, c: 1, d: 1, m: 2 } }), 'INVALID_PARAMETER', /weighting\.r0 must be a finite number, got Infinity/);
    expectAtomenvError(bad({ weighting: { function: 'poly', r0: 1, c: 1, m: 2, d: NaN } }), 'INVALID_PARAMETER', /weighting\.d must be a finite number/);
    expectAtomenvError(bad({ weighting: { w0: -1 } }), 'INVALID_PARAMETER', /weighting\.w0 must be ≥ 0/);
  });

  test('cutoff', () => {
    expectAtomenvError(bad({ cutoff: { function: 'tanh', width: 1 } }), 'INVALID_PARAMETER', /cutoff\.function must be one of 'cosine'/);
    expectAtomenvError(bad({ cutoff: { function: 'cosine' } }), 'MISSING_PARAMETER', /cutoff\.width is required/);
    expectAtomenvError(bad({ cutoff: { width: 0 } }), 'INVALID_PARAMETER', /cutoff\.width must be > 0 and ≤ rCut/);
    expectAtomenvError(bad({ cutoff: { width: 6 } }), 'INVALID_PARAMETER', /cutoff\.width must be > 0 and ≤ rCut \(5 Å\), got 6/);
    expectAtomenvError(bad({ cutoff: { width: NaN } }), 'INVALID_PARAMETER', /cutoff\.width must be a finite number/);
    expectAtomenvError(bad({ cutoff: { width: 1, r: 2 } }), 'INVALID_PARAMETER', /cutoff: unknown key 'r'/);
    expectAtomenvError(bad({ cutoff: true }), 'INVALID_PARAMETER', /cutoff must be an object/);
  });
});
