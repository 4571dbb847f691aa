import { cellGeometry } from '../../src/structure/cell.js';
import { normalizeStructure, type Structure } from '../../src/structure/structure.js';

/** One neighbour: atom index and displacement, as the brute-force search finds it. */
export interface Pair {
  j: number;
  d: [number, number, number];
}

/**
 * All (atom, image) pairs within cutoff of each atom by trying every image in a box of shifts
 * larger than needed, from the unwrapped positions.
 */
export function bruteForceNeighbors(structure: Structure, cutoff: number, periodic = true, centers?: number[]): Pair[][] {
  const s = normalizeStructure(structure);
  const pbc = periodic ? s.pbc : ([false, false, false] as const);
  const g = cellGeometry(s.cell, pbc);
  // Positions may lie several cells apart: widen the range by their fractional spread.
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let a = 0; a < s.nAtoms; a++) {
    for (let i = 0; i < 3; i++) {
      const f = s.positions[3 * a]! * g.inverse[i]! + s.positions[3 * a + 1]! * g.inverse[3 + i]! + s.positions[3 * a + 2]! * g.inverse[6 + i]!;
      lo[i] = Math.min(lo[i]!, f);
      hi[i] = Math.max(hi[i]!, f);
    }
  }
  const range = [0, 1, 2].map((i) => (g.periodic[i] ? Math.ceil(cutoff / g.heights[i]!) + Math.ceil(hi[i]! - lo[i]!) : 0));
  const out: Pair[][] = [];
  const H = g.basis;
  for (const c of centers ?? [...Array(s.nAtoms).keys()]) {
    const list: Pair[] = [];
    for (let n0 = -range[0]!; n0 <= range[0]!; n0++)
      for (let n1 = -range[1]!; n1 <= range[1]!; n1++)
        for (let n2 = -range[2]!; n2 <= range[2]!; n2++) {
          const T = [0, 1, 2].map((x) => n0 * H[x]! + n1 * H[3 + x]! + n2 * H[6 + x]!);
          for (let j = 0; j < s.nAtoms; j++) {
            if (j === c && n0 === 0 && n1 === 0 && n2 === 0) continue;
            const d: [number, number, number] = [0, 1, 2].map(
              (x) => s.positions[3 * j + x]! + T[x]! - s.positions[3 * c + x]!,
            ) as [number, number, number];
            if (d[0] * d[0] + d[1] * d[1] + d[2] * d[2] <= cutoff * cutoff) list.push({ j, d });
          }
        }
    out.push(list);
  }
  return out;
}
