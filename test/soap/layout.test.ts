import { describe, expect, test } from 'vitest';
import { AtomenvError } from '../../src/errors.js';
import { atomicNumber } from '../../src/structure/elements.js';
import { soapFeatureTable, soapLocation, soapNumFeatures, type SOAPLayoutParams } from '../../src/soap/layout.js';
import { validateSOAPOptions, type SOAPCompressionMode } from '../../src/soap/params.js';
import { readSharedJson } from '../helpers/shared.js';
import { soapOptionsFromDscribe } from '../helpers/soapCases.js';

const layoutData = readSharedJson('reference/dscribe/soap_layout_and_basis.json');
const FILES = ['soap_average', 'soap_compression', 'soap_derivatives', 'soap_gto_molecules', 'soap_polynomial_molecules', 'soap_weighting'];

describe('soap_layout_and_basis.json layouts (H, C, N, O, Cl; nMax 3, lMax 2)', () => {
  for (const layout of layoutData.layouts) {
    const mode = layout.params.compression.mode as SOAPCompressionMode;
    const params = validateSOAPOptions(soapOptionsFromDscribe(layout.params));

    test(`${mode}: species and n_features`, () => {
      expect(params.species).toEqual(layout.sorted_atomic_numbers);
      expect(soapNumFeatures(params)).toBe(layout.n_features);
    });

    test(`${mode}: feature table`, () => {
      expect(layout.feature_table_columns).toEqual(['Z1', 'Z2', 'l', 'n1', 'n2']);
      const table = soapFeatureTable(params).map((f) => [f.z1, f.z2, f.l, f.n, f.n2]);
      expect(table).toEqual(layout.feature_table);
    });

    test(`${mode}: getLocation of every pair, both orders`, () => {
      for (const [key, expected] of Object.entries(layout.get_location)) {
        const [a, b] = key.split(',') as [string, string];
        for (const pair of [[a, b], [b, a]]) {
          if (typeof expected === 'string') {
            // DScribe: "ValueError: Compression has been selected. No cross-species output available"
            expect(expected).toMatch(/No cross-species output/);
            expect(() => soapLocation(params, pair)).toThrow(AtomenvError);
            expect(() => soapLocation(params, pair)).toThrow(new RegExp(`compression mode '${mode}' has no cross-species block`));
          } else {
            expect(soapLocation(params, pair)).toEqual(expected);
          }
        }
      }
    });

    test(`${mode}: each located block holds exactly the features of its pair`, () => {
      const table = soapFeatureTable(params);
      for (const [key, expected] of Object.entries(layout.get_location)) {
        if (typeof expected === 'string' || mode === 'mu2') continue;
        const [start, end] = expected as [number, number];
        const [za, zb] = key.split(',').map(atomicNumber);
        const inside = table.map((f, i) => ({ f, i })).filter(({ f }) =>
          mode === 'mu1nu1' ? f.z1 === za : (f.z1 === za && f.z2 === zb) || (f.z1 === zb && f.z2 === za),
        );
        expect(inside.map(({ i }) => i)).toEqual(Array.from({ length: end - start }, (_, k) => start + k));
      }
    });
  }
});

describe('soapLocation accepts symbols or atomic numbers and rejects bad pairs', () => {
  const p: SOAPLayoutParams = { species: [1, 8], nMax: 2, lMax: 1, compression: 'off' };
  test('atomic numbers and symbols give the same block', () => {
    expect(soapLocation(p, [8, 1])).toEqual(soapLocation(p, ['H', 'O']));
    expect(soapLocation(p, ['O', 'O'])).toEqual([soapNumFeatures(p) - 6, soapNumFeatures(p)]);
  });
  test('not a pair, unknown species', () => {
    expect(() => soapLocation(p, ['H'])).toThrow(/getLocation takes a pair of species/);
    expect(() => soapLocation(p, ['H', 'C'])).toThrow(/C is not among the descriptor's species/);
    expect(() => soapLocation(p, ['H', 'Xx'])).toThrow(/unknown element symbol 'Xx'/);
  });
});

describe('n_features of every reference case, from its params', () => {
  for (const file of FILES) {
    const data = readSharedJson(`reference/dscribe/${file}.json`);
    test(`${file}.json (${data.cases.length} cases)`, () => {
      for (const c of data.cases) {
        const params = validateSOAPOptions(soapOptionsFromDscribe(c.params));
        expect(soapNumFeatures(params), c.id).toBe(c.n_features);
        expect(c.output_shape.at(-1), c.id).toBe(c.n_features);
        expect(soapFeatureTable(params).length, c.id).toBe(c.n_features);
      }
    });
  }
});

describe('layout formulas for other sizes', () => {
  const modes: SOAPCompressionMode[] = ['off', 'crossover', 'mu1nu1', 'mu2'];
  test('block slices tile the vector in order (off) and the table matches n_features (all modes)', () => {
    for (const s of [1, 2, 3, 4, 7]) {
      for (const nMax of [1, 2, 5]) {
        for (const lMax of [0, 3]) {
          const species = [1, 6, 7, 8, 9, 16, 17].slice(0, s);
          for (const compression of modes) {
            const p: SOAPLayoutParams = { species, nMax, lMax, compression };
            expect(soapFeatureTable(p).length).toBe(soapNumFeatures(p));
          }
          const p: SOAPLayoutParams = { species, nMax, lMax, compression: 'off' };
          let next = 0;
          for (let i = 0; i < s; i++) {
            for (let j = i; j < s; j++) {
              const [start, end] = soapLocation(p, [species[j]!, species[i]!]);
              expect(start).toBe(next);
              next = end;
            }
          }
          expect(next).toBe(soapNumFeatures(p));
        }
      }
    }
  });
});
