import { beforeAll, describe, expect, test } from 'vitest';
import { ACSF, init } from '../../src/index.js';
import { acsfOptionsFromDscribe, flat } from '../helpers/acsfCases.js';
import { maxAbs, maxAbsDiff, readShared, readSharedJson } from '../helpers/shared.js';

beforeAll(async () => {
  await init();
});

for (const file of ['acsf_molecules', 'acsf_derivatives']) {
  const data = readSharedJson(`reference/dscribe/${file}.json`);
  describe(`DScribe ${file}.json`, () => {
    for (const c of data.cases) {
      test(c.id, () => {
        const structure = readShared(c.structure_file)[c.frame ?? 0]!;
        const acsf = new ACSF(acsfOptionsFromDscribe(c.params));
        expect(acsf.numFeatures).toBe(c.n_features);
        const out = acsf.create(structure, { centers: c.create_kwargs.centers });
        expect(out.shape).toEqual(c.output_shape);
        const ref = flat(c.output);
        // Values: 1e-10 relative to the case's largest |value|.
        expect(maxAbsDiff(out.values, ref) / maxAbs(ref)).toBeLessThan(1e-10);

        if (c.feature_layout) {
          for (const entry of c.feature_layout) {
            const species = entry.neighbour_Z ?? entry.neighbour_Z_pair;
            const [start, end] = acsf.getLocation(species);
            expect(entry.index).toBeGreaterThanOrEqual(start);
            expect(entry.index).toBeLessThan(end);
          }
        }

        if (c.derivatives_fd4) {
          const d = acsf.derivatives(structure, { centers: c.create_kwargs.centers, attach: true });
          expect(d.derivatives.shape).toEqual(c.derivatives_fd4.shape);
          expect(maxAbsDiff(d.derivatives.values, flat(c.derivatives_fd4.values))).toBeLessThan(1e-7);
          expect(maxAbsDiff(d.values, ref) / maxAbs(ref)).toBeLessThan(1e-10);
          // DScribe's own 2-point numerical derivatives are only good to ~1e-8.
          expect(maxAbsDiff(d.derivatives.values, flat(c.derivatives.values))).toBeLessThan(1e-6);
        }
      });
    }
  });
}
