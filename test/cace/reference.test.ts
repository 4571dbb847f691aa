import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/index.js';
import { CACE } from '../../src/cace/cace.js';
import { maxAbs, maxAbsDiff } from '../helpers/shared.js';
import { caceReference, flat, referenceStructure } from './referenceCases.js';

const { model, structures } = caceReference();

describe('CACE against the reference code (A and B features, float64)', () => {
  let cace: CACE;
  beforeAll(async () => {
    await init();
    cace = CACE.fromModel(model);
  });

  it('has the reference feature count', () => {
    expect(cace.numFeatures).toBe(model.derived.node_feats_shape_per_atom.reduce((a: number, b: number) => a * b, 1));
  });

  for (const s of structures) {
    it(`${s.name}: node_feats (B) to 1e-12 relative`, () => {
      const { values, shape } = cace.create(referenceStructure(s));
      const expected = flat(s.node_feats);
      expect(shape).toEqual([s.atomic_numbers.length, cace.numFeatures]);
      expect(maxAbsDiff(values, expected)).toBeLessThan(1e-12 * maxAbs(expected));
    });
    it(`${s.name}: atomic basis A (raw and mixed) to 1e-12 relative`, () => {
      const basis = cace.atomicBasis(referenceStructure(s));
      const mixed = flat(s.A_transformed_layer0);
      expect(maxAbsDiff(basis.mixed.values, mixed)).toBeLessThan(1e-12 * maxAbs(mixed));
      if (s.A_raw_layer0 !== undefined) {
        const raw = flat(s.A_raw_layer0);
        expect(maxAbsDiff(basis.raw.values, raw)).toBeLessThan(1e-12 * maxAbs(raw));
      }
    });
  }
});
