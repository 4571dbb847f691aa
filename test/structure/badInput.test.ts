import { beforeAll, describe, expect, test } from 'vitest';
import { ACSF, CACE, SOAP, SymmetryFunctions, init, normalizeStructure, type Structure } from '../../src/index.js';
import { expectAtomenvError } from '../helpers/errors.js';
import { syntheticModel } from '../cace/helpers/syntheticModel.js';

beforeAll(async () => {
  await init();
});

const positions = [[0, 0, 0.12], [0, 0.76, -0.47], [0, -0.76, -0.47]];
const water: Structure = { symbols: ['O', 'H', 'H'], positions };
const box = [[6, 0, 0], [0, 6, 0], [0, 0, 6]];
const as = (x: unknown): Structure => x as Structure;

describe('normalizeStructure refuses wrong types instead of coercing them', () => {
  test('a null position row names the atom (was a TypeError)', () => {
    expectAtomenvError(() => normalizeStructure(as({ symbols: ['O', 'H', 'H'], positions: [[0, 0, 0], null, [1, 1, 1]] })), 'INVALID_STRUCTURE', 'atom 1: a position must be an [x, y, z] row, got null');
  });

  test("string and null coordinates are not read as numbers ('1' → 1, null → 0)", () => {
    expectAtomenvError(() => normalizeStructure(as({ symbols: ['O', 'H', 'H'], positions: [['0', 0, 0], [1, 1, 1], [2, 2, 2]] })), 'INVALID_STRUCTURE', 'atom 0: coordinate x must be a number, got "0"');
    expectAtomenvError(() => normalizeStructure(as({ symbols: ['O', 'H', 'H'], positions: [0, 0, 0, 1, null, 1, 2, 2, 2] })), 'INVALID_STRUCTURE', 'atom 1: coordinate y must be a number, got null');
    expectAtomenvError(() => normalizeStructure(as({ symbols: ['O', 'H', 'H'], positions: '0 0 0 1 1 1 2 2 2' })), 'INVALID_STRUCTURE', 'positions must be an array');
    expectAtomenvError(() => normalizeStructure(as({ ...water, cell: [[6, 0, 0], [0, '6', 0], [0, 0, 6]] })), 'INVALID_STRUCTURE', 'cell vector 1: component y must be a number, got "6"');
    expectAtomenvError(() => normalizeStructure(as({ ...water, cell: '6 0 0 0 6 0 0 0 6' })), 'INVALID_STRUCTURE', 'cell must be 3 rows');
  });

  test('periodic structures refuse coordinates beyond 1e8 Å (1e16 lost the wrapped geometry, 1e300 gave a misleading OVERLAPPING_ATOMS)', () => {
    const far = (x: number): number[][] => [[0, 0, x], [0, 0.76, -0.47], [0, -0.76, -0.47]];
    expectAtomenvError(() => normalizeStructure({ ...water, cell: box, positions: far(1e16) }), 'INVALID_STRUCTURE', 'atom 0: coordinate z is 10000000000000000 Å, beyond ±100000000 Å in a periodic structure');
    expectAtomenvError(() => new SOAP({ species: ['H', 'O'], rCut: 4, nMax: 2, lMax: 1, periodic: true }).create({ ...water, cell: box, pbc: [false, false, true], positions: far(-1e300) }), 'INVALID_STRUCTURE', 'atom 0: coordinate z is -1e+300 Å');
    expect(normalizeStructure({ ...water, cell: box, positions: far(1e8) }).nAtoms).toBe(3);
    // Without periodicity nothing is wrapped: the coordinates are used as given.
    expect(normalizeStructure({ ...water, positions: far(1e16) }).nAtoms).toBe(3);
  });

  test("pbc must be booleans: the string 'false' is not true", () => {
    expectAtomenvError(() => normalizeStructure(as({ ...water, cell: box, pbc: 'false' })), 'INVALID_STRUCTURE', 'pbc must be a boolean or 3 booleans, got "false"');
    expectAtomenvError(() => normalizeStructure(as({ ...water, cell: box, pbc: [true, 'F', true] })), 'INVALID_STRUCTURE', 'pbc[1] must be true or false, got "F"');
    expect(normalizeStructure({ ...water, cell: box, pbc: [true, false, true] }).pbc).toEqual([true, false, true]);
  });

  test('symbols and numbers must be arrays; given both, they must agree', () => {
    expectAtomenvError(() => normalizeStructure(as({ symbols: 'OHH', positions })), 'INVALID_STRUCTURE', 'symbols must be an array of element symbols, got "OHH"');
    expectAtomenvError(() => normalizeStructure(as({ numbers: 3, positions })), 'INVALID_STRUCTURE', 'numbers must be an array of atomic numbers, got 3');
    expectAtomenvError(() => normalizeStructure(as({ numbers: [8, 1, '1'], positions })), 'UNKNOWN_ELEMENT', 'atom 2: atomic number "1" is not a number');
    expectAtomenvError(() => normalizeStructure({ numbers: [8, 1, 8], symbols: ['O', 'H', 'H'], positions }), 'INVALID_STRUCTURE', "atom 2: numbers says 8 (O) but symbols says 'H'");
    expectAtomenvError(() => normalizeStructure({ numbers: [8, 1], symbols: ['O', 'H', 'H'], positions }), 'INVALID_STRUCTURE', 'numbers has 2 atoms but symbols is 3 symbols');
    expect(Array.from(normalizeStructure({ numbers: [8, 1, 1], symbols: ['O', 'H', 'H'], positions }).numbers)).toEqual([8, 1, 1]);
  });

  test('typed arrays still pass', () => {
    const s = normalizeStructure({ numbers: new Int32Array([8, 1, 1]), positions: new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]) });
    expect(Array.from(s.positions)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0]);
  });
});

describe('descriptor options that were silently ignored or misread', () => {
  const acsf = new ACSF({ species: ['H', 'O'], rCut: 5, g2Params: [[1, 0]], g4Params: [[0.01, 1, 1]] });
  const sf = new SymmetryFunctions({ elements: ['H', 'O'], cutoffType: 2, functions: ['H 2 O 0.01 0 4', 'O 3 H H 0.01 1 4 4'] });

  test('centers that are not an array (a number or an object gave zero rows)', () => {
    expectAtomenvError(() => acsf.create(water, { centers: 0 as never }), 'INVALID_CENTERS', 'centers must be an array of atom indices, got 0');
    expectAtomenvError(() => sf.derivatives(water, { centers: {} as never }), 'INVALID_CENTERS', 'centers must be an array');
    const soap = new SOAP({ species: ['H', 'O'], rCut: 4, nMax: 2, lMax: 1 });
    expectAtomenvError(() => soap.create(water, { centers: {} as never }), 'INVALID_CENTERS', 'centers must be an array');
  });

  test('an unknown derivatives layout (read as sparse) or a non-boolean attach', () => {
    expectAtomenvError(() => acsf.derivatives(water, { layout: 'Dense' as never }), 'INVALID_PARAMETER', "layout must be 'dense' or 'sparse', got \"Dense\"");
    expectAtomenvError(() => sf.derivatives(water, { attach: 'yes' as never }), 'INVALID_PARAMETER', 'attach must be true or false');
    const soap = new SOAP({ species: ['H', 'O'], rCut: 4, nMax: 2, lMax: 1 });
    expectAtomenvError(() => soap.derivatives(water, { layout: 'csr' as never }), 'INVALID_PARAMETER', 'layout must be');
  });

  test('SymmetryFunctions.backward checks dLdFeatures (NaN gave NaN forces, null a TypeError)', () => {
    const n = 3 * sf.numFeatures;
    expectAtomenvError(() => sf.backward(water, new Float64Array(n).fill(NaN)), 'INVALID_PARAMETER', 'dLdFeatures[0] is NaN, not a finite number');
    expectAtomenvError(() => sf.backward(water, null as never), 'INVALID_PARAMETER', 'dLdFeatures has null numbers');
    expectAtomenvError(() => sf.backward(water, Array(n).fill('1')), 'INVALID_PARAMETER', 'dLdFeatures[0] is "1"');
  });

  test('ACSF ζ so large that 2^ζ overflows (gave NaN values)', () => {
    expectAtomenvError(() => new ACSF({ species: ['H'], rCut: 5, g4Params: [[0.01, 2000, 1]] }), 'INVALID_PARAMETER', 'g4Params[0]: ζ must be ≤ 1000');
    const ok = new ACSF({ species: ['H', 'O'], rCut: 5, g4Params: [[0.01, 1000, 1]], g5Params: [[0.01, 1000, -1]] }).derivatives(water);
    expect(ok.values.every(Number.isFinite) && ok.derivatives.values.every(Number.isFinite)).toBe(true);
  });

  test('SOAP nMax far beyond any usable basis (was a RangeError allocating it)', () => {
    expectAtomenvError(() => new SOAP({ species: ['H'], rCut: 4, nMax: 1e9, lMax: 0 }), 'INVALID_PARAMETER', 'nMax must be ≤ 200');
  });

  test('CACE stress of a slab whose cell spans no volume is null, not NaN', () => {
    const cace = CACE.fromModel(syntheticModel({ zs: [1, 8], T: 1, cutoff: 4.0 }));
    const slab = { ...water, cell: [[6, 0, 0], [0, 6, 0], [0, 0, 0]], pbc: [true, true, false] as [boolean, boolean, boolean] };
    const result = cace.energy(slab);
    expect(result.stress).toBeNull();
    expect(Number.isFinite(result.energy)).toBe(true);
  });
});
