import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseN2p2 } from '../../src/io/n2p2.js';
import { SHARED_DATA } from './testPaths.js';
import { catchAtomenvError } from '../helpers/errors.js';

const N2P2 = path.join(SHARED_DATA, 'n2p2');

/** Expected values per file: frames, atoms per frame, first lattice row, energies. */
const FILES = [
  { file: 'H2O_RPBE-D3/input.data', atoms: [192, 48, 48], lattice0: [24.623508, 0, 0], energies: [-4900.37328433, -1225.07199456, -1225.06985518] },
  { file: 'H2O_RPBE-D3/input.data.H2O_1080_liquid', atoms: [1080], lattice0: [42.888632301285426, 0, 0], energies: [0] },
  { file: 'Cu2S_PBE/input.data', atoms: [144, 144, 144], lattice0: [15.415349658, 0, 0], energies: [-567.404752, -565.024216, -564.447991] },
  { file: 'Ethylbenzene_SCAN/input.data', atoms: [288, 288], lattice0: [28.0069, 0, 0], energies: [-821.9815761757668, -822.115340293223] },
];

describe('n2p2 input.data files in shared/data/n2p2', () => {
  for (const { file, atoms, lattice0, energies } of FILES) {
    it(`parses ${file}`, () => {
      const text = readFileSync(path.join(N2P2, file), 'utf8');
      const frames = parseN2p2(text, { file });
      expect(frames.map((f) => f.numbers.length)).toEqual(atoms);
      expect(frames.map((f) => f.info['energy'])).toEqual(energies);
      expect(frames[0]!.cell![0]).toEqual(lattice0);
      for (const frame of frames) {
        expect(frame.pbc).toEqual([true, true, true]);
        expect(frame.info['charge']).toBe(0);
        expect((frame.info['forces'] as Float64Array).length).toBe(3 * frame.numbers.length);
        expect((frame.info['charges'] as Float64Array).length).toBe(frame.numbers.length);
      }
      // the total number of atom lines in the text
      const atomLines = text.split('\n').filter((l) => l.trim().startsWith('atom ')).length;
      expect(frames.reduce((n, f) => n + f.numbers.length, 0)).toBe(atomLines);
    });
  }

  it('keeps the first atom of H2O_RPBE-D3 exactly as written (Bohr), with its charge and force', () => {
    const [frame] = parseN2p2(readFileSync(path.join(N2P2, 'H2O_RPBE-D3/input.data'), 'utf8'));
    expect(frame!.numbers.slice(0, 3)).toEqual([8, 1, 1]);
    expect(Array.from(frame!.positions.subarray(0, 3))).toEqual([3.735290838, 2.327841157, 3.501304856]);
    expect((frame!.info['charges'] as Float64Array)[0]).toBe(-0.22638936);
    expect(Array.from((frame!.info['forces'] as Float64Array).subarray(0, 3))).toEqual([-0.006530137, -0.002852459, -0.027992554]);
    expect(frame!.info['comment']).toBe('written by RuNNerDecom');
  });

  it('reads the triclinic Cu2S cell rows', () => {
    const [frame] = parseN2p2(readFileSync(path.join(N2P2, 'Cu2S_PBE/input.data'), 'utf8'));
    expect(frame!.cell).toEqual([
      [15.415349658, 0, 0],
      [0, 12.016005204, 0],
      [-6.055885795, 0, 12.226281044],
    ]);
    expect(new Set(frame!.numbers)).toEqual(new Set([16, 29]));
  });
});

describe('parseN2p2', () => {
  it('reads a molecule without lattice lines and a begin line with a set', () => {
    const text = 'begin set=train\ncomment  a dimer\natom 0 0 0 H 0.1 0 1 2 3\natom 0 0 1.4 H -0.1 0 -1 -2 -3\nenergy -1.17\ncharge 0\nend\n';
    const [frame] = parseN2p2(text);
    expect(frame!.cell).toBeUndefined();
    expect(frame!.pbc).toEqual([false, false, false]);
    expect(frame!.info['set']).toBe('train');
    expect(frame!.info['comment']).toBe('a dimer');
    expect(Array.from(frame!.info['forces'] as Float64Array)).toEqual([1, 2, 3, -1, -2, -3]);
  });

  it('rejects 2 lattice lines, naming the end line', () => {
    const text = 'begin\nlattice 1 0 0\nlattice 0 1 0\natom 0 0 0 H 0 0 0 0 0\nend\n';
    const error = catchAtomenvError(() => parseN2p2(text, { file: 'input.data' }));
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toBe('input.data, line 5, frame 0: expected 0 or 3 lattice lines, got 2');
  });

  it('rejects a short atom line, an unknown element and a missing end', () => {
    expect(catchAtomenvError(() => parseN2p2('begin\natom 0 0 0 H\nend\n')).message).toMatch(/line 2, frame 0: expected 10 fields/);
    const unknown = catchAtomenvError(() => parseN2p2('begin\nend\nbegin\natom 0 0 0 Qq 0 0 0 0 0\nend\n'));
    expect(unknown.code).toBe('UNKNOWN_ELEMENT');
    expect(unknown.location).toMatchObject({ line: 4, frame: 1 });
    expect(catchAtomenvError(() => parseN2p2('begin\natom 0 0 0 H 0 0 0 0 0\n')).message).toMatch(/line 1, frame 0: .*has no 'end'/);
    expect(catchAtomenvError(() => parseN2p2('begin\nbegin\nend\n')).message).toMatch(/line 2, frame 0: 'begin' inside/);
    expect(catchAtomenvError(() => parseN2p2('atom 0 0 0 H 0 0 0 0 0\n')).message).toMatch(/line 1, frame 0: expected 'begin'/);
  });
});
