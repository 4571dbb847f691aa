import { describe, expect, it } from 'vitest';
import { formatExtxyzFrame, parseStructures } from '../../src/index.js';

describe('formatExtxyzFrame', () => {
  it('round-trips positions, cell, pbc, info and per-atom columns through the reader', () => {
    const structure = {
      symbols: ['O', 'H', 'H'],
      positions: [[0.1, 0.2, 0.30000000000000004], [1 / 3, 0, 0], [0, 2 / 3, 1e-17]],
      cell: [[5, 0, 0], [0.5, 6, 0], [0, 0, 7]],
      pbc: [true, true, false] as [boolean, boolean, boolean],
    };
    const forces = [0.1, -0.2, 1 / 7, 0, 0, 0, -0.1, 0.2, -1 / 7];
    const text = formatExtxyzFrame(structure, { energy: -12.345678901234567, converged: true, note: 'two words' }, { forces, energies: [-1, -2, -3] });
    const [frame] = parseStructures(text, 'extxyz');
    expect(frame!.numbers).toEqual([8, 1, 1]);
    expect(Array.from(frame!.positions)).toEqual(structure.positions.flat());
    expect(frame!.cell).toEqual(structure.cell);
    expect(frame!.pbc).toEqual([true, true, false]);
    expect(frame!.info.energy).toBe(-12.345678901234567);
    expect(frame!.info.converged).toBe(true);
    expect(frame!.info.note).toBe('two words');
    expect(text.split('\n')[1]).toMatch(/Properties=species:S:1:pos:R:3:forces:R:3:energies:R:1/);
    expect(text.split('\n')[2]!.split(' ').slice(4).map(Number)).toEqual([0.1, -0.2, 1 / 7, -1]);
  });

  it('writes a molecule without Lattice or pbc', () => {
    const text = formatExtxyzFrame({ numbers: [1, 1], positions: [0, 0, 0, 0.74, 0, 0] });
    expect(text).toBe('2\nProperties=species:S:1:pos:R:3\nH 0 0 0\nH 0.74 0 0\n');
  });

  it('rejects a column that does not have a whole number of values per atom', () => {
    expect(() => formatExtxyzFrame({ numbers: [1, 1], positions: [0, 0, 0, 1, 0, 0] }, {}, { forces: [1, 2, 3, 4, 5] })).toThrow(/forces has 5 values/);
  });
});
