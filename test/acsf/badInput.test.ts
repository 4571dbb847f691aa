import { beforeAll, describe, expect, test } from 'vitest';
import { ACSF, AtomenvError, init, type AtomenvErrorCode, type Structure } from '../../src/index.js';

beforeAll(async () => {
  await init();
});

function expectError(fn: () => unknown, code: AtomenvErrorCode, message: RegExp): void {
  let caught: unknown = null;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(AtomenvError);
  expect((caught as AtomenvError).code).toBe(code);
  expect((caught as AtomenvError).message).toMatch(message);
}

const water: Structure = { symbols: ['O', 'H', 'H'], positions: [[0, 0, 0.12], [0, 0.76, -0.47], [0, -0.76, -0.47]] };
const acsf = new ACSF({ species: ['H', 'O'], rCut: 5, g2Params: [[1, 0]], g4Params: [[0.01, 1, 1]] });

describe('ACSF rejects bad input with AtomenvError', () => {
  test('unknown element symbol names the atom', () => {
    expectError(() => acsf.create({ ...water, symbols: ['O', 'H', 'Xx'] }), 'UNKNOWN_ELEMENT', /atom 2.*'Xx'/);
    expectError(() => acsf.create({ numbers: [8, 1, 200], positions: water.positions }), 'UNKNOWN_ELEMENT', /atom 2/);
  });

  test('an element that is not among the species', () => {
    expectError(() => acsf.create({ ...water, symbols: ['O', 'H', 'C'] }), 'SPECIES_NOT_IN_DESCRIPTOR', /atom 2 is C.*H, O/);
  });

  test('NaN or infinite coordinates name the atom and axis', () => {
    expectError(() => acsf.create({ ...water, positions: [[0, 0, 0], [0, NaN, 0], [1, 1, 1]] }), 'NON_FINITE_POSITION', /atom 1: coordinate y is NaN/);
    expectError(() => acsf.create({ ...water, positions: [0, 0, 0, 1, 1, 1, 2, 2, Infinity] }), 'NON_FINITE_POSITION', /atom 2: coordinate z/);
  });

  test('two atoms on top of each other, and an atom on its own periodic image', () => {
    expectError(() => acsf.create({ ...water, positions: [[0, 0, 0], [1, 1, 1], [1, 1, 1]] }), 'OVERLAPPING_ATOMS', /atoms 1 and 2/);
    const periodic = new ACSF({ species: ['Cu'], rCut: 4, periodic: true });
    expectError(
      () => periodic.create({ symbols: ['Cu', 'Cu'], positions: [[0, 0, 0], [3, 0, 0]], cell: [[3, 0, 0], [0, 3, 0], [0, 0, 3]], pbc: true }),
      'OVERLAPPING_ATOMS',
      /atoms 0 and 1/,
    );
  });

  test('a singular cell', () => {
    const periodic = new ACSF({ species: ['Cu'], rCut: 4, periodic: true });
    expectError(
      () => periodic.create({ symbols: ['Cu'], positions: [[0, 0, 0]], cell: [[3, 0, 0], [6, 0, 0], [0, 0, 3]], pbc: true }),
      'SINGULAR_CELL',
      /singular/,
    );
    expectError(
      () => periodic.create({ symbols: ['Cu'], positions: [[0, 0, 0]], cell: [[3, 0, 0], [0, 0, 0], [0, 0, 3]], pbc: true }),
      'SINGULAR_CELL',
      /lattice vector 1 is zero/,
    );
  });

  test('rCut ≤ 0, missing and malformed parameters', () => {
    expectError(() => new ACSF({ species: ['H'], rCut: 0 }), 'INVALID_PARAMETER', /rCut must be a positive/);
    expectError(() => new ACSF({ species: ['H'], rCut: -2 }), 'INVALID_PARAMETER', /rCut/);
    expectError(() => new ACSF({ species: ['H'] } as never), 'MISSING_PARAMETER', /rCut/);
    expectError(() => new ACSF({ rCut: 5 } as never), 'MISSING_PARAMETER', /species/);
    expectError(() => new ACSF({ species: ['Qq'], rCut: 5 }), 'UNKNOWN_ELEMENT', /Qq/);
    expectError(() => new ACSF({ species: ['H'], rCut: 5, g2Params: [[1]] as never }), 'INVALID_PARAMETER', /g2Params\[0\]/);
    expectError(() => new ACSF({ species: ['H'], rCut: 5, g4Params: [[0.1, 0.5, 1]] }), 'INVALID_PARAMETER', /ζ must be ≥ 1/);
    expectError(() => new ACSF({ species: ['H'], rCut: 5, g5Params: [[0.1, 1, 2]] }), 'INVALID_PARAMETER', /λ/);
    expectError(() => new ACSF({ species: ['H'], rCut: 5, g3Params: [NaN] }), 'INVALID_PARAMETER', /g3Params\[0\]/);
  });

  test('centres that are not atom indices', () => {
    expectError(() => acsf.create(water, { centers: [0, 3] }), 'INVALID_CENTERS', /centers\[1\] = 3/);
    expectError(() => acsf.create(water, { centers: [1.5] }), 'INVALID_CENTERS', /centers\[0\]/);
  });

  test('malformed structures', () => {
    expectError(() => acsf.create({ symbols: ['O', 'H'], positions: [0, 0, 0] }), 'INVALID_STRUCTURE', /positions has 3 numbers but 2 atoms/);
    expectError(() => acsf.create({ positions: [0, 0, 0] } as never), 'INVALID_STRUCTURE', /numbers/);
    expectError(() => acsf.create({ symbols: ['H'], positions: [[0, 0, 0]], pbc: true }), 'INVALID_STRUCTURE', /no cell/);
  });

  test('a centre without neighbours gives a zero row, not NaN', () => {
    const out = acsf.create({ symbols: ['H', 'H'], positions: [[0, 0, 0], [10, 0, 0]] });
    expect(Array.from(out.values).every((v) => v === 0)).toBe(true);
  });
});

test('a cutoff far larger than the cell is refused when the neighbour count explodes', () => {
  const acsf = new ACSF({ species: ['Cu'], rCut: 60, periodic: true, g4Params: [[0.01, 1, 1]] });
  const cu = { symbols: ['Cu'], positions: [[0, 0, 0]], cell: [[0, 1.8, 1.8], [1.8, 0, 1.8], [1.8, 1.8, 0]], pbc: true };
  expect(() => acsf.create(cu)).toThrow(/neighbours within rCut = 60/);
});
