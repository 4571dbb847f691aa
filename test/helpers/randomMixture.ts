import type { Structure } from '../../src/structure/structure.js';
import { rng } from './geometry.js';

/** nAtoms atoms of H, C, O (mostly H) at least 1 Å apart in an edge³ box, in random index order. */
export function randomMixture(nAtoms: number, edge: number, periodic: boolean, seed: number): Structure {
  const random = rng(seed);
  const positions: number[][] = [];
  while (positions.length < nAtoms) {
    const p = [edge * random(), edge * random(), edge * random()];
    if (positions.every((q) => Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!) > 1.0)) positions.push(p);
  }
  const numbers = positions.map(() => {
    const u = random();
    return u < 0.6 ? 1 : u < 0.8 ? 6 : 8;
  });
  return { numbers, positions, cell: [[edge, 0, 0], [0, edge, 0], [0, 0, edge]], pbc: [periodic, periodic, periodic] };
}
