import { AtomenvError } from '../errors.js';
import type { NormalizedStructure } from '../structure/structure.js';
import type { Runtime } from '../wasm/loader.js';
import { atomCenters } from '../descriptors/centers.js';
import { buildNeighborList } from './neighborList.js';

/** Atoms (or periodic images) closer than this, in Å, are "on top of each other". */
export const OVERLAP_DISTANCE = 1e-6;

/** Throws OVERLAPPING_ATOMS naming the first pair of atoms closer than {@link OVERLAP_DISTANCE}. */
export function checkOverlaps(rt: Runtime, structure: NormalizedStructure, periodic: boolean): void {
  const mark = rt.arena.mark();
  const nl = buildNeighborList(rt, structure, atomCenters(structure), OVERLAP_DISTANCE, periodic);
  if (nl.count > 0) {
    const offsets = rt.arena.i32(nl.offsets, nl.nCenters + 1);
    const index = rt.arena.i32(nl.index, nl.count);
    let c = 0;
    while (offsets[c + 1]! === 0) c++;
    const j = index[0]!;
    const what = j === c ? `atom ${c} and its own periodic image` : `atoms ${Math.min(c, j)} and ${Math.max(c, j)}`;
    rt.arena.release(mark);
    throw new AtomenvError('OVERLAPPING_ATOMS', `${what} are at the same position (closer than ${OVERLAP_DISTANCE} Å)`, { atom: c });
  }
  rt.arena.release(mark);
}
