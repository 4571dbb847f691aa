import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePoscar } from '../../src/io/poscar.js';
import { readStructures } from '../../src/io/readStructures.node.js';
import { catchAtomenvError } from '../helpers/errors.js';
import { FIXTURES } from './testPaths.js';

const POSCARS = path.join(FIXTURES, 'poscar');
const fixture = (name: string): string => readFileSync(path.join(POSCARS, name), 'utf8');

function expectPositions(actual: Float64Array, expected: number[][]): void {
  expect(actual.length).toBe(3 * expected.length);
  expected.flat().forEach((v, k) => expect(actual[k]).toBeCloseTo(v, 12));
}

describe('parsePoscar', () => {
  // scaled cell rows: (4 0 0), (2 4 0), (0 2 6); by hand, Direct (0.5 0.5 0.5) → (3 3 3) and
  // (0.25 0.5 0.75) → (1 0 0) + (1 2 0) + (0 1.5 4.5) = (2 3.5 4.5)
  const TOY_CELL = [
    [4, 0, 0],
    [2, 4, 0],
    [0, 2, 6],
  ];
  const TOY_POSITIONS = [
    [0, 0, 0],
    [3, 3, 3],
    [2, 3.5, 4.5],
  ];

  it('reads Direct coordinates with a scale factor', () => {
    const [s] = parsePoscar(fixture('SiO2_toy_direct.vasp'));
    expect(s!.numbers).toEqual([14, 8, 8]);
    expect(s!.cell).toEqual(TOY_CELL);
    expect(s!.pbc).toEqual([true, true, true]);
    expectPositions(s!.positions, TOY_POSITIONS);
    expect(s!.info['comment']).toBe('toy Si O cell, Direct coordinates, scale 2');
  });

  it('reads Cartesian coordinates, multiplied by the scale, to the same structure', () => {
    const [cartesian] = parsePoscar(fixture('SiO2_toy_cartesian.vasp'));
    const [direct] = parsePoscar(fixture('SiO2_toy_direct.vasp'));
    expect(cartesian!.cell).toEqual(TOY_CELL);
    expectPositions(cartesian!.positions, TOY_POSITIONS);
    expectPositions(cartesian!.positions, [...chunks(direct!.positions)]);
  });

  it('reads a negative scale factor as the cell volume', () => {
    // lattice volume 2, target 16 → every vector × 2
    const [s] = parsePoscar(fixture('POSCAR_volume'));
    expect(s!.cell).toEqual([
      [4, 0, 0],
      [0, 2, 0],
      [0, 0, 2],
    ]);
    expect(s!.numbers).toEqual([29, 29]);
    expectPositions(s!.positions, [
      [0, 0, 0],
      [2, 1, 1],
    ]);
  });

  it('reads Cartesian coordinates with a negative scale, written Kartesian', () => {
    const text = 'volume 8 from a unit cube\n-8\n1 0 0\n0 1 0\n0 0 1\nC\n1\nKartesian\n0.5 0.25 0.125\n';
    const [s] = parsePoscar(text);
    expectPositions(s!.positions, [[1, 0.5, 0.25]]);
  });

  it('reads selective dynamics, ignores the flags, element names and velocities after the atoms', () => {
    // cell rows (3 0 0), (1 3 0), (0 1 4): (0.5 0.5 0.5) → (2 2 2); (0.25 0 0.5) → (0.75 0.5 2)
    const [s] = parsePoscar(fixture('CONTCAR_selective'));
    expect(s!.numbers).toEqual([11, 17]);
    expectPositions(s!.positions, [
      [2, 2, 2],
      [0.75, 0.5, 2],
    ]);
  });

  it('places the 8 atoms of conventional diamond Si', async () => {
    const [s] = await readStructures(path.join(POSCARS, 'Si_diamond_conventional.poscar'));
    expect(s!.cell![0]![0]).toBe(5.431);
    expect(s!.numbers).toEqual(Array(8).fill(14));
    expectPositions(s!.positions.subarray(12, 15), [[1.35775, 1.35775, 1.35775]]);
    expectPositions(s!.positions.subarray(21, 24), [[4.07325, 4.07325, 1.35775]]);
  });

  it('reads VASP 6 POTCAR labels and Windows line endings', () => {
    const text = 'x\r\n1\r\n2 0 0\r\n0 2 0\r\n0 0 2\r\nSi_pv/1a2b3c O/4d5e\r\n1 1\r\nD\r\n0 0 0\r\n0.5 0.5 0.5\r\n';
    const [s] = parsePoscar(text);
    expect(s!.numbers).toEqual([14, 8]);
    expectPositions(s!.positions, [
      [0, 0, 0],
      [1, 1, 1],
    ]);
  });

  it('asks for the element names of a VASP 4 POSCAR', () => {
    const text = 'no names\n1.0\n3 0 0\n0 3 0\n0 0 3\n2\nDirect\n0 0 0\n0.5 0.5 0.5\n';
    const error = catchAtomenvError(() => parsePoscar(text, { file: 'POSCAR' }));
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.location).toMatchObject({ file: 'POSCAR', line: 6 });
    expect(error.message).toMatch(/VASP 4 .*element names/);
  });

  it('names the line of a short coordinate list, a bad count and an unknown element', () => {
    const head = 'c\n1.0\n3 0 0\n0 3 0\n0 0 3\n';
    expect(catchAtomenvError(() => parsePoscar(`${head}Si\n2\nDirect\n0 0 0\n`)).message).toMatch(/line 10, frame 0: unexpected end of input: expected coordinates of atom 1/);
    expect(catchAtomenvError(() => parsePoscar(`${head}Si O\n2\nDirect\n0 0 0\n`)).message).toMatch(/line 7, frame 0: expected 2 atom counts/);
    const unknown = catchAtomenvError(() => parsePoscar(`${head}Si Zz\n1 1\nDirect\n0 0 0\n0 0 0\n`));
    expect(unknown.code).toBe('UNKNOWN_ELEMENT');
    expect(unknown.location.line).toBe(6);
    expect(catchAtomenvError(() => parsePoscar('c\none\n')).message).toMatch(/line 2, frame 0: scale factor is not a number/);
  });
});

function* chunks(values: Float64Array): Generator<number[]> {
  for (let k = 0; k < values.length; k += 3) yield Array.from(values.subarray(k, k + 3));
}
