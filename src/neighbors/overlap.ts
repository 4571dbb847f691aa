import { AtomenvError } from '../errors.js';
import type { NormalizedStructure } from '../structure/structure.js';
import type { Runtime } from '../wasm/loader.js';
import { atomCenters } from '../descriptors/centers.js';
import { buildNeighborList, type NeighborListPtrs } from './neighborList.js';

/** Atoms (or periodic images) closer than this, in Å, are "on top of each other". */
export const OVERLAP_DISTANCE = 1e-6;

/**
 * Largest atom count of a non-periodic structure checked pair by pair in JavaScript (n²/2
 * distances cost less than setting up a cell-list search for a small molecule).
 */
const DIRECT_CHECK_ATOMS = 64;

/**
 * True when no two atoms of a small non-periodic structure are within twice
 * {@link OVERLAP_DISTANCE} (then the cell-list search below would find no pair either); false
 * when the structure is not such a case or a pair is that close (the search then decides).
 */
function clearlyApart(structure: NormalizedStructure, periodic: boolean): boolean {
  const { nAtoms, positions: r, cell, pbc } = structure;
  if (nAtoms > DIRECT_CHECK_ATOMS || (periodic && cell !== null && (pbc[0] || pbc[1] || pbc[2]))) return false;
  const limit = (2 * OVERLAP_DISTANCE) ** 2;
  for (let i = 0; i < nAtoms; i++) {
    const x = r[3 * i]!, y = r[3 * i + 1]!, z = r[3 * i + 2]!;
    for (let j = i + 1; j < nAtoms; j++) {
      const dx = r[3 * j]! - x, dy = r[3 * j + 1]! - y, dz = r[3 * j + 2]! - z;
      if (dx * dx + dy * dy + dz * dz <= limit) return false;
    }
  }
  return true;
}

/** Throws OVERLAPPING_ATOMS naming the first pair of atoms closer than {@link OVERLAP_DISTANCE}. */
export function checkOverlaps(rt: Runtime, structure: NormalizedStructure, periodic: boolean): void {
  if (!clearlyApart(structure, periodic)) checkOverlapsByCellList(rt, structure, periodic);
}

/** {@link checkOverlaps} by a cell-list search (periodic images included); what decides the error. */
export function checkOverlapsByCellList(rt: Runtime, structure: NormalizedStructure, periodic: boolean): void {
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

/**
 * {@link checkOverlaps} from a neighbour list already built with every atom a centre, in order,
 * and a cutoff of at least {@link OVERLAP_DISTANCE} (the list then holds every pair the check
 * looks for): a scan of its displacements in wasm. Only when some pair is within twice the
 * distance does the cell-list search run, which decides and names the pair as before.
 */
export function checkOverlapsInList(rt: Runtime, structure: NormalizedStructure, periodic: boolean, nl: NeighborListPtrs): void {
  if (clearlyApart(structure, periodic)) return;
  if (rt.kernels.hasPairWithin(nl.count, nl.disp, (2 * OVERLAP_DISTANCE) ** 2) !== 0) checkOverlapsByCellList(rt, structure, periodic);
}
