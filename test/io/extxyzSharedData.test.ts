import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { atomicNumber } from '../../src/structure/elements.js';
import { parseExtxyz } from '../../src/io/extxyz.js';
import { SHARED_DATA } from './testPaths.js';

const STRUCTURES = path.join(SHARED_DATA, 'structures');
const FILES = readdirSync(STRUCTURES).filter((f) => f.endsWith('.extxyz'));

/** What the file text says about one frame, read with plain string operations. */
interface FrameText {
  count: number;
  lattice?: number[];
  pbc?: boolean[];
  atomLines: string[][];
}

function framesOfText(text: string): FrameText[] {
  const lines = text.split('\n');
  const frames: FrameText[] = [];
  let i = 0;
  while (i < lines.length && lines[i]!.trim() !== '') {
    const count = Number(lines[i]);
    const comment = lines[i + 1]!;
    const lattice = /Lattice="([^"]*)"/.exec(comment)?.[1]?.split(' ').map(Number);
    const pbc = /pbc="([^"]*)"/.exec(comment)?.[1]?.split(' ').map((f) => f === 'T');
    const atomLines = lines.slice(i + 2, i + 2 + count).map((l) => l.trim().split(/\s+/));
    frames.push({ count, ...(lattice ? { lattice } : {}), ...(pbc ? { pbc } : {}), atomLines });
    i += 2 + count;
  }
  return frames;
}

describe('extxyz files in shared/data/structures', () => {
  it('finds the files the data README lists', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(20);
    expect(FILES).toContain('batch_g2_CHNO_972.extxyz');
  });

  for (const file of FILES) {
    it(`parses ${file} like its text says`, () => {
      const text = readFileSync(path.join(STRUCTURES, file), 'utf8');
      const frames = parseExtxyz(text, { file });
      const expected = framesOfText(text);
      expect(frames.length).toBe(expected.length);
      frames.forEach((frame, f) => {
        const want = expected[f]!;
        expect(frame.numbers.length).toBe(want.count);
        expect(frame.positions.length).toBe(3 * want.count);
        if (want.lattice) {
          expect(frame.cell?.flat()).toEqual(want.lattice);
        } else {
          expect(frame.cell).toBeUndefined();
        }
        expect(frame.pbc).toEqual(want.pbc ?? [false, false, false]);
        // every atom: element and the three coordinates as written
        want.atomLines.forEach((cols, a) => {
          expect(frame.numbers[a]).toBe(atomicNumber(cols[0]!));
          expect(Array.from(frame.positions.subarray(3 * a, 3 * a + 3))).toEqual(cols.slice(1, 4).map(Number));
        });
      });
    });
  }

  it('reads the 972-frame batch file: 6648 atoms, frame info, extra columns ignored', () => {
    const text = readFileSync(path.join(STRUCTURES, 'batch_g2_CHNO_972.extxyz'), 'utf8');
    const frames = parseExtxyz(text);
    expect(frames.length).toBe(972);
    expect(frames.reduce((n, f) => n + f.numbers.length, 0)).toBe(6648);
    expect(frames[0]!.info).toEqual({ name: 'CH3CHO', copy: 0, seed: -1 });
    // frame 1 has Properties=species:S:1:pos:R:3:initial_magmoms:R:1 (a 5th column)
    expect(frames[1]!.info['name']).toBe('H2COH');
    expect(frames[1]!.numbers).toEqual([6, 8, 1, 1, 1]);
    expect(Array.from(frames[1]!.positions.subarray(0, 3))).toEqual([0.687448, 0.029626, -0.082014]);
    expect(frames.every((f) => f.cell === undefined && f.pbc.every((p) => !p))).toBe(true);
    const elements = new Set(frames.flatMap((f) => f.numbers));
    expect([...elements].sort((a, b) => a - b)).toEqual([1, 6, 7, 8]);
  });

  it('reads a triclinic cell and string info values', () => {
    const text = readFileSync(path.join(STRUCTURES, 'xtal_triclinic_Si2O2_small.extxyz'), 'utf8');
    const [frame] = parseExtxyz(text);
    expect(frame!.cell).toEqual([
      [3.2, 0.0, 0.0],
      [1.4791639160924481, 3.1720772546282743, 0.0],
      [0.6772278929010287, 1.1559755957692033, 3.662660618056616],
    ]);
    expect(frame!.pbc).toEqual([true, true, true]);
    expect(frame!.numbers).toEqual([14, 14, 8, 8]);
    expect(frame!.info['source']).toBe('hand-made triclinic cell (3.2,3.5,3.9 A; 70,80,65 deg), 2 Si + 2 O');
    expect(Array.from(frame!.positions.subarray(9, 12))).toEqual([4.30579903, 3.99013566, 2.89350189]);
  });
});
