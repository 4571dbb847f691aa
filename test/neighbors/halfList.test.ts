// The half neighbour list (each pair once, for SOAP's pair path) against the full list: every
// entry (i, j, d) of the full list is an entry of the half list of i, or the reverse (j, i, −d)
// of one in the list of j, exactly once.
import { beforeAll, describe, expect, it } from 'vitest';
import { getRuntime, init } from '../../src/wasm/loader.js';
import { buildNeighborList, copyNeighborList, type NeighborList } from '../../src/neighbors/neighborList.js';
import { normalizeStructure, type Structure } from '../../src/structure/structure.js';
import { atomOrPointCenters } from '../../src/descriptors/centers.js';
import { readShared } from '../helpers/shared.js';

beforeAll(async () => {
  await init();
});

function lists(structure: Structure, cutoff: number, periodic: boolean): { full: NeighborList; half: NeighborList } {
  const rt = getRuntime();
  const s = normalizeStructure(structure);
  const centers = atomOrPointCenters(s, undefined);
  rt.arena.reset();
  const full = copyNeighborList(rt, buildNeighborList(rt, s, centers, cutoff, periodic));
  rt.arena.reset();
  const half = copyNeighborList(rt, buildNeighborList(rt, s, centers, cutoff, periodic, true));
  return { full, half };
}

/** Key of an entry: its two atoms and displacement rounded to 1e-9 Å. */
const key = (i: number, j: number, x: number, y: number, z: number): string =>
  `${i} ${j} ${Math.round(x * 1e9)} ${Math.round(y * 1e9)} ${Math.round(z * 1e9)}`;

function expectHalfOfFull(structure: Structure, cutoff: number, periodic = true): number {
  const { full, half } = lists(structure, cutoff, periodic);
  const onCutoff = (x: number, y: number, z: number): boolean => Math.abs(Math.hypot(x, y, z) - cutoff) < 1e-9;
  const counts = new Map<string, number>();
  const nAtoms = full.offsets.length - 1;
  let fullCount = 0;
  for (let i = 0; i < nAtoms; i++) {
    for (let e = full.offsets[i]!; e < full.offsets[i + 1]!; e++) {
      const d = full.displacements;
      if (onCutoff(d[3 * e]!, d[3 * e + 1]!, d[3 * e + 2]!)) continue;
      const k = key(i, full.index[e]!, d[3 * e]!, d[3 * e + 1]!, d[3 * e + 2]!);
      counts.set(k, (counts.get(k) ?? 0) + 1);
      fullCount++;
    }
  }
  let halfCount = 0;
  for (let i = 0; i < nAtoms; i++) {
    for (let e = half.offsets[i]!; e < half.offsets[i + 1]!; e++) {
      const j = half.index[e]!;
      const x = half.displacements[3 * e]!, y = half.displacements[3 * e + 1]!, z = half.displacements[3 * e + 2]!;
      if (onCutoff(x, y, z)) continue;
      halfCount++;
      for (const k of [key(i, j, x, y, z), key(j, i, -x, -y, -z)]) {
        const c = counts.get(k);
        if (c === undefined || c === 0) expect.fail(`half entry ${k} has no unused match in the full list`);
        counts.set(k, c - 1);
      }
    }
  }
  expect(2 * halfCount).toBe(fullCount);
  return halfCount;
}

/** A few atoms in a small triclinic cell (edges below the cutoff: images of every atom, of itself too). */
function smallTriclinic(pbc: [boolean, boolean, boolean]): Structure {
  const cell = [[3.1, 0, 0], [0.9, 2.8, 0], [-0.6, 0.7, 3.3]];
  const frac = [[0.1, 0.2, 0.15], [0.55, 0.35, 0.6], [0.8, 0.75, 0.3], [0.3, 0.9, 0.85], [0.97, 0.05, 0.99]];
  const positions = frac.map((f) => [0, 1, 2].map((x) => f[0]! * cell[0]![x]! + f[1]! * cell[1]![x]! + f[2]! * cell[2]![x]!));
  return { numbers: [8, 1, 1, 8, 1], positions, cell, pbc };
}

describe('half neighbour list = the full list with each pair once', () => {
  it('periodic water box', () => {
    const water = readShared('data/structures/water_64mol_192atoms.extxyz')[0]!;
    expect(expectHalfOfFull(water, 6.86)).toBeGreaterThan(10000);
    expect(expectHalfOfFull(water, 2.5)).toBeGreaterThan(100);
  });

  it('small triclinic cell, fully and partly periodic', () => {
    expect(expectHalfOfFull(smallTriclinic([true, true, true]), 5)).toBeGreaterThan(100);
    expect(expectHalfOfFull(smallTriclinic([true, false, true]), 5)).toBeGreaterThan(20);
    expect(expectHalfOfFull(smallTriclinic([false, false, true]), 7.5)).toBeGreaterThan(20);
  });

  it('molecule (no cell) and a periodic structure searched without periodicity', () => {
    const ethanol = readShared('data/structures/mol_CH3CH2OH.extxyz')[0]!;
    expect(expectHalfOfFull(ethanol, 5, false)).toBe(36);
    expect(expectHalfOfFull(smallTriclinic([true, true, true]), 3, false)).toBeGreaterThan(0);
  });
});
