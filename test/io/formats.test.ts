import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, formatFromFileName } from '../../src/io/formats.js';
import { parseStructures } from '../../src/io/parseStructures.js';
import { catchAtomenvError } from '../helpers/errors.js';
import { FIXTURES, SHARED_DATA } from './testPaths.js';

const PLAIN_XYZ = '3\nwater\nO 0 0 0\nH 0 0.76 -0.48\nH 0 -0.76 -0.48\n';
const EXT_XYZ = '1\nLattice="3 0 0 0 3 0 0 0 3" Properties=species:S:1:pos:R:3\nCu 0 0 0\n';
const POSCAR = 'Cu\n3.6\n1 0 0\n0 1 0\n0 0 1\nCu\n1\nDirect\n0 0 0\n';
const N2P2 = 'begin\natom 0 0 0 H 0 0 0 0 0\nend\n';

describe('detectFormat by file name', () => {
  it.each([
    ['run/traj.extxyz', 'extxyz'],
    ['C:\\data\\TRAJ.EXTXYZ', 'extxyz'],
    ['POSCAR', 'poscar'],
    ['relax/CONTCAR', 'poscar'],
    ['POSCAR_relaxed', 'poscar'],
    ['si.vasp', 'poscar'],
    ['si.poscar', 'poscar'],
    ['input.data', 'n2p2'],
    ['input.data.H2O_1080_liquid', 'n2p2'],
    ['train.data', 'n2p2'],
  ] as const)('%s → %s', (name, format) => {
    // the content would say otherwise: the name wins
    expect(detectFormat(PLAIN_XYZ, name)).toBe(format);
  });

  it('looks at the comment line of a .xyz file', () => {
    expect(detectFormat(PLAIN_XYZ, 'water.xyz')).toBe('xyz');
    expect(detectFormat(EXT_XYZ, 'cu.xyz')).toBe('extxyz');
    expect(detectFormat('1\nProperties=species:S:1:pos:R:3\nH 0 0 0\n', 'h.xyz')).toBe('extxyz');
    expect(detectFormat('1\nenergy=-1.0\nH 0 0 0\n', 'h.xyz')).toBe('xyz');
  });

  it('falls back to the content for other names', () => {
    expect(detectFormat(N2P2, 'structures.txt')).toBe('n2p2');
    expect(formatFromFileName('structures.txt')).toBeUndefined();
  });
});

describe('detectFormat by content', () => {
  it('tells the four formats apart', () => {
    expect(detectFormat(PLAIN_XYZ)).toBe('xyz');
    expect(detectFormat(EXT_XYZ)).toBe('extxyz');
    expect(detectFormat('1\nenergy=-1.0 name=h\nH 0 0 0\n')).toBe('extxyz');
    expect(detectFormat(POSCAR)).toBe('poscar');
    expect(detectFormat(N2P2)).toBe('n2p2');
    expect(detectFormat('\n\n  begin set=test\r\nend\r\n')).toBe('n2p2');
  });

  it('recognises the shared data files and fixtures without their names', () => {
    const read = (file: string): string => readFileSync(file, 'utf8');
    expect(detectFormat(read(path.join(SHARED_DATA, 'structures/mol_H2O.extxyz')))).toBe('extxyz');
    expect(detectFormat(read(path.join(SHARED_DATA, 'n2p2/H2O_RPBE-D3/input.data')))).toBe('n2p2');
    expect(detectFormat(read(path.join(FIXTURES, 'poscar/CONTCAR_selective')))).toBe('poscar');
  });

  it('throws UNKNOWN_FORMAT for anything else and for empty input', () => {
    const error = catchAtomenvError(() => detectFormat('hello\nworld\n', 'notes.txt'));
    expect(error.code).toBe('UNKNOWN_FORMAT');
    expect(error.message).toMatch(/^notes\.txt: /);
    expect(catchAtomenvError(() => detectFormat(' \n\n')).code).toBe('UNKNOWN_FORMAT');
  });
});

describe('parseStructures', () => {
  it('dispatches on the given or detected format', () => {
    expect(parseStructures(PLAIN_XYZ)[0]!.info).toEqual({ comment: 'water' });
    expect(parseStructures(EXT_XYZ)[0]!.pbc).toEqual([true, true, true]);
    expect(parseStructures(POSCAR)[0]!.cell![0]).toEqual([3.6, 0, 0]);
    expect(parseStructures(N2P2)[0]!.numbers).toEqual([1]);
    // an explicit format overrides detection: the comment line of this xyz is read as key=value pairs
    expect(parseStructures('1\nname=x\nH 0 0 0\n', 'xyz')[0]!.info).toEqual({ comment: 'name=x' });
    expect(parseStructures('1\nname=x\nH 0 0 0\n', 'extxyz')[0]!.info).toEqual({ name: 'x' });
  });

  it('puts the file name into errors', () => {
    expect(() => parseStructures('3\nwater\nO 0 0\n', undefined, { file: 'water.xyz' })).toThrow(
      'water.xyz, line 3, frame 0: expected 4 columns (species x y z), got 3',
    );
  });
});
