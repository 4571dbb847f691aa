import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { loadPotential as loadPotentialNode } from '../../src/index.node.js';
import { AtomenvError } from '../../src/errors.js';
import type { N2p2Potential } from '../../src/n2p2/potential.js';
import { trianglePathLimit } from '../../src/n2p2/symmetryFunctions.js';
import { normalizeStructure, type Structure } from '../../src/structure/structure.js';
import { getRuntime } from '../../src/wasm/loader.js';
import { expectSameEnergyResult } from '../helpers/potentialResults.js';
import { maxAbs, maxAbsDiff, readShared, sharedPath } from '../helpers/shared.js';

// The triangle path's memory grows with what it records (its candidate record is reserved block
// by block), and where its tables would pass trianglePathLimit the potential takes the per-centre
// passes: the same results, less memory. Own file: the wasm memory measured is this file's alone.

let potential: N2p2Potential;
let liquid: Structure;
const defaultLimit = trianglePathLimit.bytes;

beforeAll(async () => {
  potential = await loadPotentialNode(sharedPath('data/n2p2/H2O_RPBE-D3'));
  liquid = readShared('data/n2p2/H2O_RPBE-D3/input.data.H2O_1080_liquid')[0]!;
});

afterEach(() => {
  trianglePathLimit.bytes = defaultLimit;
  vi.restoreAllMocks();
});

/** The structure repeated r times along each lattice vector (image k of atom i is atom k n + i). */
function supercell(structure: Structure, r: number): Structure {
  const s = normalizeStructure(structure);
  const n = s.nAtoms, cell = s.cell!;
  const positions = new Float64Array(3 * n * r ** 3), numbers = new Int32Array(n * r ** 3);
  let k = 0;
  for (let a = 0; a < r; a++) {
    for (let b = 0; b < r; b++) {
      for (let c = 0; c < r; c++, k++) {
        for (let i = 0; i < n; i++) {
          for (let x = 0; x < 3; x++) positions[3 * (k * n + i) + x] = s.positions[3 * i + x]! + a * cell[x]! + b * cell[3 + x]! + c * cell[6 + x]!;
          numbers[k * n + i] = s.numbers[i]!;
        }
      }
    }
  }
  return { numbers, positions, cell: Array.from(cell, (v) => v * r), pbc: true };
}

/** Spies that tell which path compute took: the plan (null: declined before) and the triangle passes' answer. */
function spyPaths(pot: N2p2Potential): { planned: () => boolean[]; finished: () => boolean[] } {
  const plan = vi.spyOn(pot.descriptor, 'planTriangles');
  const passes = vi.spyOn(pot.descriptor, 'trianglePasses');
  return {
    planned: () => plan.mock.results.map((r) => r.value !== null),
    finished: () => passes.mock.results.map((r) => r.value as boolean),
  };
}

describe('n2p2 potential memory', () => {
  test('W6 liquid (1 080 atoms): the wasm memory after compute stays below 30 MiB (the candidate record reserved at its bound took 37 MiB)', () => {
    const paths = spyPaths(potential);
    potential.compute(liquid);
    expect(paths.planned()).toEqual([true]);
    expect(paths.finished()).toEqual([true]);
    // Measured 18.1 MiB (the module's own memory, the neighbour list, the tables, the record as used).
    expect(getRuntime().kernels.memory.buffer.byteLength).toBeLessThan(30 * 2 ** 20);
  });

  test('W6 with the triangle path declined before its tables (lowered limit): the per-centre passes give its results', () => {
    const triangles = potential.compute(liquid);
    trianglePathLimit.bytes = 1;
    const paths = spyPaths(potential);
    const perCentre = potential.compute(liquid);
    expect(paths.planned()).toEqual([false]);
    expect(paths.finished()).toEqual([]);
    expectSameEnergyResult(perCentre, triangles, 1e-12);
  });

  test('W6 with the triangle path declined mid-way (its record outgrows the limit): rerun by the per-centre passes, the same results', () => {
    const triangles = potential.compute(liquid);
    const sf = potential.descriptor;
    const plan = sf.planTriangles.bind(sf);
    const paths = spyPaths(potential);
    // The plan made under the default limit, then the limit lowered: the record's first block does not fit.
    vi.mocked(sf.planTriangles).mockImplementation((rt, prep) => {
      const planned = plan(rt, prep);
      trianglePathLimit.bytes = 1;
      return planned;
    });
    const perCentre = potential.compute(liquid);
    // Planned once: the rerun goes straight to the per-centre passes.
    expect(paths.planned()).toEqual([true]);
    expect(paths.finished()).toEqual([false]);
    expectSameEnergyResult(perCentre, triangles, 1e-12);
  });

  test('2×2×2 supercell (8 640 atoms): every image has the cell\'s energies, forces and stress; the per-centre passes (no edge path) agree', () => {
    const n = normalizeStructure(liquid).nAtoms;
    const cell = potential.compute(liquid);
    const big = supercell(liquid, 2);
    const triangles = potential.compute(big);
    expect(Math.abs(triangles.energy / 8 - cell.energy)).toBeLessThanOrEqual(1e-9 * Math.abs(cell.energy));
    for (let k = 0; k < 8; k++) {
      expect(maxAbsDiff(triangles.atomicEnergies.subarray(k * n, (k + 1) * n), cell.atomicEnergies)).toBeLessThanOrEqual(1e-9 * maxAbs(cell.atomicEnergies));
      expect(maxAbsDiff(triangles.forces.subarray(3 * k * n, 3 * (k + 1) * n), cell.forces)).toBeLessThanOrEqual(1e-9 * maxAbs(cell.forces));
    }
    expect(maxAbsDiff(triangles.stress!, cell.stress!)).toBeLessThanOrEqual(1e-9 * maxAbs(cell.stress!));
    trianglePathLimit.bytes = 1;
    const perCentre = potential.compute(big);
    expectSameEnergyResult(perCentre, triangles, 1e-12);
  });

  test('running out of wasm memory: the error names the potential, the atom count and what to do (not another descriptor\'s advice)', () => {
    vi.spyOn(potential.descriptor, 'prepareNormalized').mockImplementation(() => {
      throw new AtomenvError('OUT_OF_MEMORY', 'a computation needs 4.8 GiB of wasm memory (the limit is 4 GiB)');
    });
    let error: unknown;
    try {
      potential.compute(liquid);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AtomenvError);
    expect((error as AtomenvError).code).toBe('OUT_OF_MEMORY');
    expect((error as AtomenvError).message).toMatch(/n2p2 potential on 1080 atoms: a computation needs 4\.8 GiB.*neighbour.*spatial pieces/s);
  });
});
