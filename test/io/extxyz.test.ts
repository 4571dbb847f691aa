import { describe, expect, it } from 'vitest';
import { parseExtxyz } from '../../src/io/extxyz.js';
import { parseCommentPairs } from '../../src/io/extxyzComment.js';
import { parseProperties } from '../../src/io/extxyzProperties.js';
import { parseXyz } from '../../src/io/xyz.js';

describe('extxyz comment line', () => {
  it('splits quoted, bare and value-less keys', () => {
    const pairs = parseCommentPairs('Lattice="10 0 0 0 10 0 0 0 10" name=H2O flag  energy = -1.5 note="say \\"hi\\""');
    expect([...pairs]).toEqual([
      ['Lattice', '10 0 0 0 10 0 0 0 10'],
      ['name', 'H2O'],
      ['flag', true],
      ['energy', '-1.5'],
      ['note', 'say "hi"'],
    ]);
  });

  it('rejects an unclosed quote', () => {
    expect(() => parseCommentPairs('Lattice="1 0 0')).toThrow(/unclosed quote/);
  });

  it('locates species and pos among other columns', () => {
    expect(parseProperties('forces:R:3:species:S:1:pos:R:3')).toMatchObject({ count: 7, speciesColumn: 3, positionColumn: 4 });
    expect(parseProperties('Z:I:1:pos:R:3')).toMatchObject({ speciesColumn: 0, speciesType: 'I', positionColumn: 1 });
  });
});

describe('parseExtxyz', () => {
  it('uses Properties to find columns, converts info, and defaults pbc to T with a Lattice', () => {
    const text = [
      '2',
      'Lattice="5 0 0 0 6 0 0 0 7" Properties=forces:R:3:species:S:1:pos:R:3 energy=-3.25 step=4 done=T tags="1 2 3"',
      '0.1 0.2 0.3 O 1.0 2.0 3.0',
      '0.4 0.5 0.6 H 1.5 2.5 3.5 extra',
    ].join('\n');
    const [frame] = parseExtxyz(text);
    expect(frame!.numbers).toEqual([8, 1]);
    expect(Array.from(frame!.positions)).toEqual([1, 2, 3, 1.5, 2.5, 3.5]);
    expect(frame!.cell).toEqual([
      [5, 0, 0],
      [0, 6, 0],
      [0, 0, 7],
    ]);
    expect(frame!.pbc).toEqual([true, true, true]);
    expect(frame!.info).toEqual({ energy: -3.25, step: 4, done: true, tags: [1, 2, 3] });
  });

  it('reads a partial pbc and atomic numbers in a species:I column', () => {
    const text = '1\nLattice="5 0 0 0 5 0 0 0 20" pbc="T T F" Properties=species:I:1:pos:R:3\n26 0 0 1\n';
    const [frame] = parseExtxyz(text);
    expect(frame!.pbc).toEqual([true, true, false]);
    expect(frame!.numbers).toEqual([26]);
  });

  it('reads several frames with Windows line endings and trailing blank lines', () => {
    const text = '1\r\nProperties=species:S:1:pos:R:3\r\nH 0 0 0\r\n2\r\nProperties=species:S:1:pos:R:3\r\nH 0 0 0\r\nH 0 0 0.74\r\n\r\n\r\n';
    const frames = parseExtxyz(text);
    expect(frames.map((f) => f.numbers.length)).toEqual([1, 2]);
    expect(frames[1]!.positions[5]).toBe(0.74);
  });

  it('treats a frame without Lattice as a molecule and reads a blank comment line', () => {
    const [frame] = parseExtxyz('1\n\nHe 0 0 0\n');
    expect(frame!.cell).toBeUndefined();
    expect(frame!.pbc).toEqual([false, false, false]);
    expect(frame!.info).toEqual({});
  });

  it('numbers frames from firstFrame and lines from firstLine in errors', () => {
    expect(() => parseExtxyz('1\n\nHe 0 0 zz\n', { file: 'a.extxyz', firstLine: 100, firstFrame: 7 })).toThrow(
      "a.extxyz, line 102, frame 7: z coordinate of atom 0 is not a number: 'zz'",
    );
  });
});

describe('parseXyz', () => {
  it('keeps the comment as text and ignores extra columns', () => {
    const text = '3\nwater molecule, energy=-76.4\nO 0.0 0.0 0.119 0.5\nH 0.0 0.763 -0.477\nH 0.0 -0.763 -0.477\n';
    const [frame] = parseXyz(text);
    expect(frame!.info).toEqual({ comment: 'water molecule, energy=-76.4' });
    expect(frame!.numbers).toEqual([8, 1, 1]);
    expect(Array.from(frame!.positions)).toEqual([0, 0, 0.119, 0, 0.763, -0.477, 0, -0.763, -0.477]);
    expect(frame!.cell).toBeUndefined();
    expect(frame!.pbc).toEqual([false, false, false]);
  });

  it('reads Fortran D exponents', () => {
    const [frame] = parseXyz('1\n\nC 1.5D+00 -2.0d-01 3\n');
    expect(Array.from(frame!.positions)).toEqual([1.5, -0.2, 3]);
  });
});
