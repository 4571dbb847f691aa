import { normalizeStructure, type Structure } from '../../src/structure/structure.js';

/**
 * The periodic structure repeated na × nb × nc times: copy (i, j, k) of every atom shifted by
 * i a + j b + k c, copies in that loop order, the cell rows scaled by na, nb, nc.
 */
export function supercell(structure: Structure, na: number, nb: number, nc: number): Structure {
  const s = normalizeStructure(structure);
  const a = Array.from(s.cell!);
  const positions: number[] = [];
  const numbers: number[] = [];
  for (let i = 0; i < na; i++) {
    for (let j = 0; j < nb; j++) {
      for (let k = 0; k < nc; k++) {
        for (let atom = 0; atom < s.nAtoms; atom++) {
          for (let x = 0; x < 3; x++) positions.push(s.positions[3 * atom + x]! + i * a[x]! + j * a[3 + x]! + k * a[6 + x]!);
          numbers.push(s.numbers[atom]!);
        }
      }
    }
  }
  const cell = [0, 1, 2].map((r) => a.slice(3 * r, 3 * r + 3).map((v) => v * [na, nb, nc][r]!));
  return { numbers, positions, cell, pbc: s.pbc };
}
