import { AtomenvError } from '../errors.js';
import { cellGeometry, type CellGeometry } from '../structure/cell.js';
import type { NormalizedStructure } from '../structure/structure.js';
import type { Runtime } from '../wasm/loader.js';
import { planGrid } from './grid.js';

/** Centres of a neighbour search: points, and the atom each one sits on (−1 for a free point). */
export interface Centers {
  readonly positions: Float64Array;
  readonly atoms: Int32Array;
}

/** A neighbour list left in wasm memory for the kernels: byte offsets of its arrays. */
export interface NeighborListPtrs {
  readonly nCenters: number;
  readonly count: number;
  /** i32[nCenters + 1]: pairs of centre c are offsets[c] .. offsets[c+1]. */
  readonly offsets: number;
  /** i32[count]: atom index of each pair. */
  readonly index: number;
  /** f64[3 count]: displacement r_j + T − r_c of each pair. */
  readonly disp: number;
  /** i32[nCenters]: the atom each centre sits on, or −1. */
  readonly centerAtom: number;
  /** The largest neighbour count of a centre (what the kernels' scratch is sized by). */
  readonly maxNeighbors: number;
}

/**
 * Builds the neighbour list of `centers` in the arena of `rt` (cell-list search in wasm).
 * `periodic` false ignores the cell. Every image within `cutoff` is listed, images of the
 * centre atom included; the centre atom itself (zero shift) is not. `half` (the centres must be
 * the atoms in order): each pair (i, j, T) once, in the list of one of its two atoms
 * (SOAP's pair path).
 */
export function buildNeighborList(
  rt: Runtime,
  structure: NormalizedStructure,
  centers: Centers,
  cutoff: number,
  periodic = true,
  half = false,
): NeighborListPtrs {
  const { arena, kernels } = rt;
  const pbc = periodic ? structure.pbc : ([false, false, false] as const);
  const geometry = cellGeometry(structure.cell, pbc);
  const nAtoms = structure.nAtoms;
  const nCenters = centers.atoms.length;
  checkPeriodicImages(geometry, cutoff, centers);

  // Fractional coordinates of atoms and centres, for the range of the non-periodic axes.
  const allPeriodic = geometry.periodic[0] && geometry.periodic[1] && geometry.periodic[2];
  const all = new Float64Array(allPeriodic ? 0 : 3 * (nAtoms + nCenters));
  const inv = geometry.inverse;
  const toFrac = (src: Float64Array, n: number, at: number): void => {
    for (let a = 0; a < n; a++) {
      const x = src[3 * a]!, y = src[3 * a + 1]!, z = src[3 * a + 2]!;
      for (let i = 0; i < 3; i++) all[3 * (at + a) + i] = x * inv[i]! + y * inv[3 + i]! + z * inv[6 + i]!;
    }
  };
  // planGrid reads only the non-periodic axes: a cell periodic along all three needs none.
  if (!allPeriodic) {
    toFrac(structure.positions, nAtoms, 0);
    toFrac(centers.positions, nCenters, nAtoms);
  }
  const grid = planGrid(geometry, all, nAtoms + nCenters, cutoff);

  const pPos = arena.allocF64(3 * nAtoms);
  const pCenters = arena.allocF64(3 * nCenters);
  const pCenterAtom = arena.allocI32(nCenters);
  const pCell = arena.allocF64(9);
  const pInv = arena.allocF64(9);
  const pGrid = arena.allocI32(6);
  const pGridF = arena.allocF64(6);
  const pWork = arena.alloc(8 * (6 * nAtoms + 6 * nCenters) + 4 * (grid.nBins + 1 + 2 * nAtoms));
  const pOffsets = arena.allocI32(nCenters + 1);
  arena.f64(pPos, 3 * nAtoms).set(structure.positions);
  arena.f64(pCenters, 3 * nCenters).set(centers.positions);
  arena.i32(pCenterAtom, nCenters).set(centers.atoms);
  arena.f64(pCell, 9).set(geometry.basis);
  arena.f64(pInv, 9).set(geometry.inverse);
  arena.i32(pGrid, 6).set(grid.ints);
  arena.f64(pGridF, 6).set(grid.floats);
  const pbcMask = (geometry.periodic[0] ? 1 : 0) | (geometry.periodic[1] ? 2 : 0) | (geometry.periodic[2] ? 4 : 0) | (half ? 8 : 0);

  const mark = arena.mark();
  let capacity = estimatePairs(structure, geometry.periodic, nCenters, cutoff, half);
  for (;;) {
    const pIndex = arena.allocI32(capacity);
    const pDisp = arena.allocF64(3 * capacity);
    const count = kernels.buildNeighborList(
      nAtoms, pPos, nCenters, pCenters, pCenterAtom, pCell, pInv, pbcMask, pGrid, pGridF, cutoff,
      pWork, pOffsets, pIndex, pDisp, capacity,
    );
    if (count > MAX_PAIRS || count < 0) throw tooManyPairs(count < 0 ? 2 ** 31 : count, cutoff);
    if (count <= capacity) {
      const offsets = arena.i32(pOffsets, nCenters + 1);
      let maxNeighbors = 0;
      for (let c = 0; c < nCenters; c++) maxNeighbors = Math.max(maxNeighbors, offsets[c + 1]! - offsets[c]!);
      return { nCenters, count, offsets: pOffsets, index: pIndex, disp: pDisp, centerAtom: pCenterAtom, maxNeighbors };
    }
    arena.release(mark);
    capacity = count;
  }
}

/** Most pairs a list can hold: each takes 28 bytes (index and displacement) of at most 4 GiB of wasm memory. */
const MAX_PAIRS = Math.floor(2 ** 32 / 28);

/**
 * Most periodic images along one lattice vector that a cutoff may reach (r_cut / h_i, h_i the
 * cell's height across it): beyond, the cell is degenerate (a lattice vector of 1e-14 Å) and
 * the search would not end, or its image offsets would overflow 32-bit integers.
 */
const MAX_IMAGES_PER_AXIS = 1e4;

/** A cell thinner than this (Å, the overlap check's distance) puts every atom on its own images. */
const OVERLAP_HEIGHT = 1e-6;

function tooManyPairs(pairs: number, cutoff: number, detail = ''): AtomenvError {
  return new AtomenvError(
    'OUT_OF_MEMORY',
    `the neighbour list within ${cutoff} Å would hold at least ${pairs.toExponential(2)} pairs${detail} (at most ${MAX_PAIRS.toExponential(2)} fit in 4 GiB of wasm memory): use a smaller cutoff or a larger cell`,
  );
}

/**
 * Refuses, before any search, a cutoff that reaches more periodic images than can be listed: a
 * lower bound on the pairs above {@link MAX_PAIRS}, or a cell too thin along a periodic axis.
 * The bound: with k periodic axes, every translation T = Σ n_i a_i with |n_i| ≤ ⌊r_cut/(k |a_i|)⌋
 * has |T| ≤ r_cut, so each centre on an atom sees at least Π (2 n_i + 1) − 1 images of it.
 */
function checkPeriodicImages(geometry: CellGeometry, cutoff: number, centers: Centers): void {
  const periodicAxes = [0, 1, 2].filter((i) => geometry.periodic[i]);
  if (periodicAxes.length === 0) return;
  const b = geometry.basis;
  let ownImages = 1;
  let thinnest = periodicAxes[0]!;
  for (const i of periodicAxes) {
    const length = Math.hypot(b[3 * i]!, b[3 * i + 1]!, b[3 * i + 2]!);
    ownImages *= 2 * Math.floor(cutoff / (periodicAxes.length * length)) + 1;
    if (geometry.heights[i]! < geometry.heights[thinnest]!) thinnest = i;
  }
  const h = geometry.heights[thinnest]!;
  if (h < OVERLAP_HEIGHT) {
    throw new AtomenvError('SINGULAR_CELL', `the cell is only ${h.toPrecision(3)} Å high across lattice vector ${thinnest}: every atom lies on its own periodic images`);
  }
  let atomCenters = 0;
  for (let c = 0; c < centers.atoms.length; c++) if (centers.atoms[c]! >= 0) atomCenters++;
  const pairs = atomCenters * (ownImages - 1);
  if (pairs > MAX_PAIRS) throw tooManyPairs(pairs, cutoff, ` (the periodic images of a cell ${h.toPrecision(3)} Å high across lattice vector ${thinnest})`);
  if (cutoff / h > MAX_IMAGES_PER_AXIS) {
    throw new AtomenvError(
      'SINGULAR_CELL',
      `the cell is only ${h.toPrecision(3)} Å high across lattice vector ${thinnest}: a cutoff of ${cutoff} Å reaches ${(cutoff / h).toExponential(2)} of its periodic images along it (at most ${MAX_IMAGES_PER_AXIS} are searched)`,
    );
  }
}

/** A generous guess of the pair count from the density, so that one pass usually suffices (a half list holds half the pairs). */
function estimatePairs(s: NormalizedStructure, periodic: readonly boolean[], nCenters: number, cutoff: number, half = false): number {
  const sphere = (4 / 3) * Math.PI * cutoff ** 3;
  let perCenter = Math.min(s.nAtoms, 128);
  if (s.cell !== null && (periodic[0] || periodic[1] || periodic[2])) {
    const c = s.cell;
    const volume = Math.abs(
      c[0]! * (c[4]! * c[8]! - c[5]! * c[7]!) - c[1]! * (c[3]! * c[8]! - c[5]! * c[6]!) + c[2]! * (c[3]! * c[7]! - c[4]! * c[6]!),
    );
    perCenter = volume > 0 ? ((half ? 0.625 : 1.25) * s.nAtoms * sphere) / volume + 16 : s.nAtoms;
  }
  return Math.max(16, Math.ceil(nCenters * Math.min(perCenter, 1e6)));
}

/** A neighbour list as plain arrays (a copy out of wasm memory). */
export interface NeighborList {
  /** Pairs of centre c are offsets[c] .. offsets[c+1]. */
  readonly offsets: Int32Array;
  /** Atom index of each pair. */
  readonly index: Int32Array;
  /** Displacement r_j + T − r_c of each pair (3 per pair), T the lattice shift of the image. */
  readonly displacements: Float64Array;
}

/** Copies a neighbour list out of wasm memory. */
export function copyNeighborList(rt: Runtime, nl: NeighborListPtrs): NeighborList {
  return {
    offsets: rt.arena.i32(nl.offsets, nl.nCenters + 1).slice(),
    index: rt.arena.i32(nl.index, nl.count).slice(),
    displacements: rt.arena.f64(nl.disp, 3 * nl.count).slice(),
  };
}
