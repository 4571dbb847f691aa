import { expect, it } from 'vitest';
import { SOAP, init } from '../../src/index.js';

// This file never calls init() before constructing: the radial table is then built at first use.
it('a SOAP constructed before init() builds its table at first use and gives the same values', async () => {
  const early = new SOAP({ species: ['H', 'O'], rCut: 3.5, nMax: 4, lMax: 3, sigma: 0.4 });
  expect(() => early.create({ symbols: ['O', 'H', 'H'], positions: [[0, 0, 0], [0.96, 0, 0], [-0.24, 0.93, 0]] })).toThrow(/await init\(\)/);
  await init();
  const late = new SOAP({ species: ['H', 'O'], rCut: 3.5, nMax: 4, lMax: 3, sigma: 0.4 });
  const water = { symbols: ['O', 'H', 'H'], positions: [[0, 0, 0], [0.96, 0, 0], [-0.24, 0.93, 0]] };
  const a = early.create(water);
  const b = late.create(water);
  expect(Array.from(a.values)).toEqual(Array.from(b.values));
  expect(a.values.some((v) => v !== 0)).toBe(true);
});
