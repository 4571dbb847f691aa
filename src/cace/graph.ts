import { atomCenters } from '../descriptors/centers.js';
import { AtomenvError } from '../errors.js';
import { buildNeighborList, type NeighborListPtrs } from '../neighbors/neighborList.js';
import { checkOverlaps } from '../neighbors/overlap.js';
import { elementSymbol } from '../structure/elements.js';
import { normalizeStructure, type NormalizedStructure, type Structure } from '../structure/structure.js';
import { getRuntime, type Runtime } from '../wasm/loader.js';
import type { CACEGraph } from './model.js';
import type { CACEParams } from './options.js';

/** A validated structure with its element indices and its neighbour list in wasm memory. */
export interface PreparedStructure {
  readonly rt: Runtime;
  readonly s: NormalizedStructure;
  /** Index of each atom's element in zs. */
  readonly elem: Int32Array;
  readonly nl: NeighborListPtrs;
}

/**
 * Element indices, the overlap check and the neighbour list of every atom within the cutoff
 * (periodic images along periodic axes, an atom's own images included; resets the arena).
 */
export function prepareStructure(p: CACEParams, structure: Structure): PreparedStructure {
  const rt = getRuntime();
  rt.arena.reset();
  const s = normalizeStructure(structure);
  const zIndex = new Map(p.zs.map((z, i) => [z, i]));
  const elem = new Int32Array(s.nAtoms);
  for (let a = 0; a < s.nAtoms; a++) {
    const e = zIndex.get(s.numbers[a]!);
    if (e === undefined) {
      throw new AtomenvError(
        'SPECIES_NOT_IN_DESCRIPTOR',
        `atom ${a} is ${elementSymbol(s.numbers[a]!)}, which is not among the model's elements (${p.zs.map(elementSymbol).join(', ')})`,
        { atom: a },
      );
    }
    elem[a] = e;
  }
  checkOverlaps(rt, s, true);
  const nl = buildNeighborList(rt, s, atomCenters(s), p.cutoff, true);
  return { rt, s, elem, nl };
}

/** The directed edges j → i as plain arrays (for the TypeScript engine) and the cell volume. */
export function structureGraph(p: CACEParams, structure: Structure): { s: NormalizedStructure; graph: CACEGraph; volume: number | null } {
  return graphOf(prepareStructure(p, structure));
}

/** {@link structureGraph} of an already prepared structure (its neighbour list stays in wasm memory). */
export function graphOf(prepared: PreparedStructure): { s: NormalizedStructure; graph: CACEGraph; volume: number | null } {
  const { rt, s, elem, nl } = prepared;
  const { arena } = rt;
  const offsets = arena.i32(nl.offsets, s.nAtoms + 1);
  const index = arena.i32(nl.index, nl.count);
  const disp = arena.f64(nl.disp, 3 * nl.count);
  const receiver = new Int32Array(nl.count), sender = new Int32Array(nl.count), vectors = new Float64Array(3 * nl.count);
  for (let c = 0; c < s.nAtoms; c++) {
    for (let q = offsets[c]!; q < offsets[c + 1]!; q++) {
      receiver[q] = c;
      sender[q] = index[q]!;
      // The list holds r_j + T − r_i; CACE's edge vector points from the neighbour to the centre.
      vectors[3 * q] = -disp[3 * q]!;
      vectors[3 * q + 1] = -disp[3 * q + 1]!;
      vectors[3 * q + 2] = -disp[3 * q + 2]!;
    }
  }
  let volume: number | null = null;
  if (s.cell !== null && (s.pbc[0] || s.pbc[1] || s.pbc[2])) {
    const c = s.cell;
    volume = Math.abs(c[0]! * (c[4]! * c[8]! - c[5]! * c[7]!) - c[1]! * (c[3]! * c[8]! - c[5]! * c[6]!) + c[2]! * (c[3]! * c[7]! - c[4]! * c[6]!));
    // A slab whose cell has no vector along its non-periodic axis spans no volume: no stress (not ε/0).
    if (!(volume > 0)) volume = null;
  }
  return { s, graph: { nAtoms: s.nAtoms, elem, receiver, sender, vectors }, volume };
}
