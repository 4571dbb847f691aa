import { describe, expect, it } from 'vitest';
import { parseExtxyz } from '../../src/io/extxyz.js';
import { parseStructures } from '../../src/io/parseStructures.js';
import { parseXyz } from '../../src/io/xyz.js';
import { catchAtomenvError } from '../helpers/errors.js';

const PROPS = 'Properties=species:S:1:pos:R:3';

describe('bad structure input', () => {
  it('truncated extxyz: names the missing line and the count line', () => {
    const text = `1\n${PROPS}\nH 0 0 0\n3\n${PROPS}\nO 0 0 0\nH 1 0 0\n`;
    const error = catchAtomenvError(() => parseExtxyz(text, { file: 'cut.extxyz' }));
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.location).toEqual({ file: 'cut.extxyz', line: 8, frame: 1 });
    expect(error.message).toBe(
      'cut.extxyz, line 8, frame 1: unexpected end of input: the atom count on line 4 says 3 atoms but only 2 atom lines follow',
    );
  });

  it('a frame cut after its count line', () => {
    expect(catchAtomenvError(() => parseExtxyz('2\n')).message).toMatch(/^line 2, frame 0: .*comment line/);
  });

  it('too few atom lines before the next frame: the next count line is not an atom line', () => {
    const text = `3\n${PROPS}\nO 0 0 0\nH 1 0 0\n1\n${PROPS}\nH 0 0 0\n`;
    expect(catchAtomenvError(() => parseExtxyz(text)).message).toMatch(/^line 5, frame 0: expected 4 columns/);
  });

  it('non-numeric coordinate', () => {
    const error = catchAtomenvError(() => parseXyz('2\n\nO 0 0 0\nH 1 abc 0\n', { file: 'w.xyz' }));
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toBe("w.xyz, line 4, frame 0: y coordinate of atom 1 is not a number: 'abc'");
    expect(catchAtomenvError(() => parseXyz('1\n\nO 0 0 NaN\n')).message).toMatch(/line 3.*'NaN'/);
  });

  it('unknown element symbol: UNKNOWN_ELEMENT with the line', () => {
    const error = catchAtomenvError(() => parseExtxyz(`2\n${PROPS}\nO 0 0 0\nXx 1 0 0\n`, { file: 'x.extxyz' }));
    expect(error.code).toBe('UNKNOWN_ELEMENT');
    expect(error.location).toEqual({ file: 'x.extxyz', line: 4, frame: 0 });
    expect(error.message).toBe("x.extxyz, line 4, frame 0: unknown element 'Xx'");
    expect(catchAtomenvError(() => parseXyz('1\n\n200 0 0 0\n')).code).toBe('UNKNOWN_ELEMENT');
  });

  it('bad atom count line, also in a later frame', () => {
    expect(catchAtomenvError(() => parseXyz('three\n\n')).message).toBe("line 1, frame 0: expected the number of atoms, got 'three'");
    expect(catchAtomenvError(() => parseXyz('-1\n\n')).message).toMatch(/^line 1, frame 0: expected the number of atoms/);
    const error = catchAtomenvError(() => parseXyz('1\n\nH 0 0 0\n\n2 atoms\n\n'));
    expect(error.location).toEqual({ line: 5, frame: 1 });
  });

  it('empty input', () => {
    for (const text of ['', '\n', '  \r\n\t\n']) {
      const error = catchAtomenvError(() => parseStructures(text, undefined, { file: 'e.extxyz' }));
      expect(error.code).toBe('PARSE_ERROR');
      expect(error.message).toMatch(/^e\.extxyz: .*empty/);
    }
    expect(catchAtomenvError(() => parseExtxyz('')).message).toMatch(/no structure/);
    expect(catchAtomenvError(() => parseStructures('\n', 'n2p2')).code).toBe('PARSE_ERROR');
  });

  it('malformed Lattice: not 9 numbers', () => {
    for (const lattice of ['1 0 0 0 1 0 0 0', '1 0 0 0 1 0 0 0 1 0', '1 0 0 0 one 0 0 0 1']) {
      const error = catchAtomenvError(() => parseExtxyz(`1\nLattice="${lattice}" ${PROPS}\nH 0 0 0\n`));
      expect(error.code).toBe('PARSE_ERROR');
      expect(error.location.line).toBe(2);
      expect(error.message).toContain('Lattice must be 9 numbers');
    }
  });

  it('Properties without species or pos, and malformed Properties', () => {
    expect(catchAtomenvError(() => parseExtxyz('1\nProperties=pos:R:3\n0 0 0\n')).message).toMatch(/line 2, frame 0: .*no species column/);
    expect(catchAtomenvError(() => parseExtxyz('1\nProperties=species:S:1\nH\n')).message).toMatch(/line 2, frame 0: .*no pos column/);
    expect(catchAtomenvError(() => parseExtxyz('1\nProperties=species:S:1:pos:R\nH 0 0 0\n')).message).toMatch(/triples/);
    expect(catchAtomenvError(() => parseExtxyz('1\nProperties=species:S:1:pos:R:2\nH 0 0\n')).message).toMatch(/pos must be R:3/);
  });

  it('too few columns for the Properties spec', () => {
    const text = '1\nProperties=species:S:1:pos:R:3:forces:R:3\nH 0 0 0 1 1\n';
    expect(catchAtomenvError(() => parseExtxyz(text)).message).toBe(
      'line 3, frame 0: expected 7 columns (Properties=species:S:1:pos:R:3:forces:R:3), got 6',
    );
  });

  it('bad pbc, pbc without Lattice, unclosed quotes', () => {
    expect(catchAtomenvError(() => parseExtxyz(`1\n${PROPS} pbc="T T"\nH 0 0 0\n`)).message).toMatch(/line 2.*pbc must be 3/);
    expect(catchAtomenvError(() => parseExtxyz(`1\n${PROPS} pbc="T T T"\nH 0 0 0\n`)).message).toMatch(/line 2.*no Lattice/);
    expect(catchAtomenvError(() => parseExtxyz(`1\n${PROPS} name="abc\nH 0 0 0\n`)).message).toMatch(/line 2.*unclosed quote/);
  });
});
