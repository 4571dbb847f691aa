import { expect, test } from 'vitest';
import { ACSF, AtomenvError } from '../src/index.js';

test('computing before init() is a clear NOT_INITIALIZED error', () => {
  const acsf = new ACSF({ species: ['H'], rCut: 3 });
  expect(() => acsf.create({ symbols: ['H'], positions: [[0, 0, 0]] })).toThrow(AtomenvError);
  expect(() => acsf.create({ symbols: ['H'], positions: [[0, 0, 0]] })).toThrow(/await init\(\)/);
});
