import { beforeAll, describe, expect, test } from 'vitest';
import { loadPotential as loadPotentialNode } from '../../src/index.node.js';
import { AtomenvError } from '../../src/errors.js';
import { spatialOrder } from '../../src/structure/spatialOrder.js';
import type { N2p2Potential } from '../../src/n2p2/potential.js';
import { normalizeStructure } from '../../src/structure/structure.js';
import { readSharedJson, sharedPath } from '../helpers/shared.js';

// The potential renumbers atoms in spatial order internally (src/n2p2/atomOrder.ts); results and
// errors must still be in the caller's order.
const ref = readSharedJson('reference/n2p2/H2O_RPBE-D3.json');
let potential: N2p2Potential;

beforeAll(async () => {
  potential = await loadPotentialNode(sharedPath('data/n2p2/H2O_RPBE-D3'));
});

const box = ref.structures[0];
const structure = { symbols: box.symbols as string[], positions: box.positions as number[][], cell: box.lattice as number[][], pbc: true };

describe('n2p2 potential: internal atom order', () => {
  test('the spatial order is a permutation that differs from the file order', () => {
    const order = spatialOrder(normalizeStructure(structure), potential.cutoff / 4);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: box.num_atoms }, (_, k) => k));
    expect([...order]).not.toEqual(Array.from({ length: box.num_atoms }, (_, k) => k));
  });

  test('reversing the input atoms reverses energies and forces', () => {
    const n = box.num_atoms as number;
    const reversed = { ...structure, symbols: [...structure.symbols].reverse(), positions: [...structure.positions].reverse() };
    const a = potential.compute(structure), b = potential.compute(reversed);
    expect(Math.abs(a.energy - b.energy) / n).toBeLessThan(1e-12);
    for (let i = 0; i < n; i++) {
      const k = n - 1 - i;
      expect(Math.abs(a.atomicEnergies[i]! - b.atomicEnergies[k]!)).toBeLessThan(1e-12);
      for (let d = 0; d < 3; d++) expect(Math.abs(a.forces[3 * i + d]! - b.forces[3 * k + d]!)).toBeLessThan(1e-12);
    }
  });

  test('overlapping atoms are named by their input indices', () => {
    const positions = structure.positions.map((p) => [...p]);
    positions[37] = [...positions[5]!];
    let error: unknown;
    try {
      potential.compute({ ...structure, positions });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AtomenvError);
    expect((error as AtomenvError).code).toBe('OVERLAPPING_ATOMS');
    expect((error as AtomenvError).message).toContain('atoms 5 and 37');
  });
});
