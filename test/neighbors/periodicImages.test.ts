import { beforeAll, describe, expect, test } from 'vitest';
import { init, neighborList, SymmetryFunctions } from '../../src/index.js';
import { expectAtomenvError } from '../helpers/errors.js';

beforeAll(async () => {
  await init();
});

const water = { symbols: ['O', 'H', 'H'], positions: [[0, 0, 0.12], [0, 0.76, -0.47], [0, -0.76, -0.47]] };

describe('cutoffs that reach too many periodic images are refused before the search', () => {
  test('neighborList checks its cutoff (NaN, ≤ 0, Infinity were accepted)', () => {
    for (const cutoff of [0, -1, NaN, Infinity]) expectAtomenvError(() => neighborList(water, cutoff), 'INVALID_PARAMETER', 'cutoff must be a finite number of Å > 0');
    expectAtomenvError(() => neighborList(water, '3' as never), 'INVALID_PARAMETER', 'cutoff must be');
  });

  test('a cutoff of 1e6 Å in a 6 Å cell (was a wasm out-of-bounds trap)', () => {
    const periodic = { ...water, cell: [[6, 0, 0], [0, 6, 0], [0, 0, 6]], pbc: true };
    expectAtomenvError(() => neighborList(periodic, 1e6), 'OUT_OF_MEMORY', /within 1000000 Å would hold at least .* pairs/);
  });

  test('a cell 1e-14 Å thick (was silently all-zero symmetry functions)', () => {
    const thin = { ...water, cell: [[3, 0, 0], [0, 3, 0], [0, 0, 1e-14]], pbc: true };
    const sf = new SymmetryFunctions({ elements: ['H', 'O'], cutoffType: 2, functions: ['H 2 O 0.01 0 4', 'O 3 H H 0.01 1 4 4'] });
    expectAtomenvError(() => sf.create(thin), 'SINGULAR_CELL', /1\.00e-14 Å high across lattice vector 2: every atom lies on its own periodic images/);
  });

  test('a skewed cell whose height is far below the cutoff: SINGULAR_CELL', () => {
    // |a_2| = 1000 Å keeps the pair bound small, but V = 0.036 Å³ over |a_1 × a_2| = 6000 Å²
    // leaves a height of 6e-6 Å across lattice vector 0.
    const skewed = { ...water, cell: [[6, 0, 0], [0, 6, 0], [1000, 0, 1e-3]], pbc: true };
    expectAtomenvError(() => neighborList(skewed, 20), 'SINGULAR_CELL', /0\.00000600 Å high across lattice vector 0: a cutoff of 20 Å reaches 3\.33e\+6/);
  });

  test('an ordinary large cutoff in a small cell still works', () => {
    const cu = { symbols: ['Cu'], positions: [[0, 0, 0]], cell: [[0, 1.8, 1.8], [1.8, 0, 1.8], [1.8, 1.8, 0]], pbc: true };
    const nl = neighborList(cu, 30);
    // ≈ (4π/3) r³ / V = 9 698 images of the one atom.
    expect(Math.abs(nl.index.length - 9698)).toBeLessThan(100);
  });
});
