// The power-spectrum kernel (assembly/soap/powerSpectrum.ts) for basis sizes the other tests do
// not reach: n_max above 8 (more than one register block of columns per row pair), odd n_max
// (a last row without partner and a half-filled last column pair), n_max 1, with symmetric
// (d1 = d2) and cross-species blocks, against the plain float64 TypeScript reference.
import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/wasm/loader.js';
import { SOAP } from '../../src/soap/soap.js';
import { soapReferenceSpectrum } from '../../src/soap/referenceSpectrum.js';
import type { SOAPOptions } from '../../src/soap/params.js';
import { maxAbs, maxAbsDiff, readShared } from '../helpers/shared.js';

beforeAll(async () => {
  await init();
});

/** As in soap.test.ts: only the radial table's interpolation error (≤ 1e-10 of a channel's scale) and rounding differ. */
const TABLE_TOLERANCE = 1e-10;

const relative = (a: ArrayLike<number>, ref: ArrayLike<number>): number => maxAbsDiff(a, ref) / maxAbs(ref);

describe('SOAP power spectrum, n_max beyond one register block and odd', () => {
  const ethanol = readShared('data/structures/mol_CH3CH2OH.extxyz')[0]!;

  // Bases the float64 tables accept (larger n_max make the primitives numerically dependent).
  const cases = [
    { nMax: 1, rbf: 'gto', sigma: 0.5 }, { nMax: 1, rbf: 'polynomial', sigma: 0.5 },
    { nMax: 9, rbf: 'gto', sigma: 0.5 }, { nMax: 9, rbf: 'polynomial', sigma: 0.5 },
    { nMax: 10, rbf: 'gto', sigma: 0.5 },
  ] as const;
  for (const { nMax, rbf, sigma } of cases) {
    it(`n_max ${nMax}, ${rbf}: equals the reference (off, crossover and an average)`, () => {
      const base: SOAPOptions = { species: ['H', 'C', 'O'], rCut: 4, nMax, lMax: 3, sigma, rbf };
      for (const options of [base, { ...base, compression: { mode: 'crossover' } }, { ...base, average: 'outer' }] as SOAPOptions[]) {
        const out = new SOAP(options).create(ethanol).values;
        const ref = soapReferenceSpectrum(options, ethanol).values;
        expect(out.length).toBe(ref.length);
        expect(relative(out, ref)).toBeLessThan(TABLE_TOLERANCE);
      }
    });
  }
});
