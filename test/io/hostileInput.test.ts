import { describe, expect, test } from 'vitest';
import { decodeNpy, encodeNpy, localKernel, parseStructures } from '../../src/index.js';
import { catchAtomenvError, expectAtomenvError } from '../helpers/errors.js';

const PROPS = 'Properties=species:S:1:pos:R:3';
const POSCAR_HEAD = 'Si\n1.0\n5.43 0 0\n0 5.43 0\n0 0 5.43\nSi\n';

describe('malformed input that crashed or misread the readers', () => {
  test('a POSCAR count of 1e11 atoms is an end-of-input error (it aborted Node allocating the atoms)', () => {
    const error = catchAtomenvError(() => parseStructures(`${POSCAR_HEAD}100000000000\nDirect\n0 0 0\n`, 'poscar', { file: 'POSCAR' }));
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toBe('POSCAR, line 10, frame 0: unexpected end of input: expected coordinates of atom 1 (100000000000 atoms in total)');
  });

  test('POSCAR with several elements still reads every atom in order', () => {
    const text = 'SiO\n1.0\n5 0 0\n0 5 0\n0 0 5\nSi O\n1 2\nCartesian\n0 0 0\n1 0 0\n0 1 0\n';
    const [s] = parseStructures(text, 'poscar');
    expect(s!.numbers).toEqual([14, 8, 8]);
    expect(Array.from(s!.positions)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0]);
  });

  test('frames beyond the readers\' first room (4 096 atoms) are read whole, every atom in place', () => {
    const n = 9001;
    const rows = Array.from({ length: n }, (_, i) => `${i} ${-i} ${0.5 * i}`);
    const [x] = parseStructures(`${n}\n${PROPS}\n${rows.map((r) => `H ${r}`).join('\n')}\n`, 'extxyz');
    const [p] = parseStructures(`H\n1.0\n5 0 0\n0 5 0\n0 0 5\nH\n${n}\nCartesian\n${rows.join('\n')}\n`, 'poscar');
    for (const s of [x!, p!]) {
      expect(s.positions.length).toBe(3 * n);
      expect(Array.from(s.positions.slice(3 * 4095, 3 * 4097))).toEqual([4095, -4095, 2047.5, 4096, -4096, 2048]);
      expect(Array.from(s.positions.slice(-3))).toEqual([n - 1, 1 - n, 0.5 * (n - 1)]);
    }
  });

  test('an extxyz count of 1e12 atoms is an end-of-input error (was a RangeError)', () => {
    const error = catchAtomenvError(() => parseStructures(`1000000000000\n${PROPS}\nO 0 0 0\n`, 'extxyz'));
    expect(error.message).toMatch(/^line 4, frame 0: unexpected end of input: the atom count on line 1 says 1000000000000 atoms but only 1 atom lines follow/);
  });

  test('a coordinate that overflows float64 is refused, not read as Infinity', () => {
    expectAtomenvError(() => parseStructures(`1\n${PROPS}\nO 1e400 0 0\n`, 'extxyz'), 'PARSE_ERROR', "line 3, frame 0: x coordinate of atom 0 overflows float64: '1e400'");
    expectAtomenvError(() => parseStructures(`${POSCAR_HEAD}1\nDirect\n0 -1e999 0\n`, 'poscar'), 'PARSE_ERROR', 'overflows float64');
  });

  test('a Properties spec naming a column twice', () => {
    expectAtomenvError(() => parseStructures('1\nProperties=species:S:1:pos:R:3:pos:R:3\nH 0 0 0 1 1 1\n', 'extxyz'), 'PARSE_ERROR', "names the column 'pos' twice");
  });

  test('an unknown format name, or text that is not a string (were TypeErrors)', () => {
    expectAtomenvError(() => parseStructures('1\n\nH 0 0 0\n', 'json' as never), 'UNKNOWN_FORMAT', 'unknown structure format "json" (the formats: extxyz, xyz, poscar, n2p2)');
    expectAtomenvError(() => parseStructures(null as never), 'INVALID_PARAMETER', 'text must be a string');
    expectAtomenvError(() => parseStructures(new TextEncoder().encode('1\n\nH 0 0 0\n') as never), 'INVALID_PARAMETER', 'text must be a string (decode bytes first), got object');
  });

  test('decodeNpy of a non-Uint8Array, encodeNpy with an unknown dtype (were TypeError / RangeError)', () => {
    expectAtomenvError(() => decodeNpy(null as never), 'INVALID_PARAMETER', 'bytes must be a Uint8Array, got null');
    expectAtomenvError(() => decodeNpy([0x93, 78] as never), 'INVALID_PARAMETER', 'got an array');
    expectAtomenvError(() => encodeNpy(new Float64Array(1), [1], 'float16' as never), 'INVALID_PARAMETER', 'dtype must be one of float64, float32, int32, got "float16"');
  });

  test('kernel options null (was a TypeError)', () => {
    const x = { values: new Float64Array([1, 2, 3]), shape: [1, 3] as [number, number] };
    expectAtomenvError(() => localKernel(x, null, null as never), 'INVALID_PARAMETER', 'kernel options must be an object');
  });
});
