import { AtomenvError } from '../errors.js';
import type { NeighborListPtrs } from '../neighbors/neighborList.js';
import type { Runtime } from '../wasm/loader.js';

/** How derivatives are laid out: DScribe's dense array, or per-centre blocks of nearby atoms. */
export type DerivativesLayout = 'dense' | 'sparse';

/** ∂descriptor/∂positions as DScribe lays it out: shape [nCenters, nAtoms, 3, nFeatures], C order. */
export interface DenseDerivatives {
  readonly layout: 'dense';
  readonly shape: [number, number, number, number];
  readonly values: Float64Array;
}

/**
 * ∂descriptor/∂positions keeping only the atoms that can be non-zero: for centre c the rows
 * offsets[c] .. offsets[c+1] hold, for atom `atoms[row]`, a [3, nFeatures] block of
 * `values` (the centre atom first, then its neighbours in ascending index). Memory grows with
 * the number of neighbours, not with nCenters × nAtoms.
 */
export interface SparseDerivatives {
  readonly layout: 'sparse';
  /** [nRows, 3, nFeatures]. */
  readonly shape: [number, number, number];
  readonly offsets: Int32Array;
  readonly atoms: Int32Array;
  readonly values: Float64Array;
}

/** Output rows of a derivative computation (see {@link planDerivativeRows}). */
export interface DerivativeRows {
  /** Rows in the output, each a [3, nFeatures] block. */
  readonly nRows: number;
  /** Row of each neighbour-list entry (its atom). */
  readonly rowOfEntry: Int32Array;
  /** Row of each centre's own atom when it moves with the centre (attach), else −1. */
  readonly rowOfCenter: Int32Array;
  /** Row of each centre's own atom whatever `attach` is; −1 for a point centre. */
  readonly rowOfSelf: Int32Array;
  /** Sparse layout: rows of group g are offsets[g] .. offsets[g+1]; null when dense. */
  readonly sparseOffsets: Int32Array | null;
  /** Sparse layout: the atom of each row; null when dense. */
  readonly sparseAtoms: Int32Array | null;
  /** Number of row groups: the centres, or 1 when they are averaged into one. */
  readonly groups: number;
}

/**
 * Chooses the output row of every neighbour-list entry and centre. Dense: group g owns rows
 * g·nAtoms + atom. Sparse: group g owns its centre atoms (in centre order) then the other atoms
 * it sees, ascending. `averaged`: all centres form one group (an averaged descriptor).
 */
export function planDerivativeRows(
  offsets: Int32Array, index: Int32Array, centerAtom: Int32Array, nAtoms: number,
  attach: boolean, layout: DerivativesLayout, averaged = false,
): DerivativeRows {
  if (layout !== 'dense' && layout !== 'sparse') {
    throw new AtomenvError('INVALID_PARAMETER', `derivatives: layout must be 'dense' or 'sparse', got ${JSON.stringify(layout) ?? String(layout)}`);
  }
  if (typeof attach !== 'boolean') {
    throw new AtomenvError('INVALID_PARAMETER', `derivatives: attach must be true or false, got ${JSON.stringify(attach) ?? String(attach)}`);
  }
  const m = centerAtom.length;
  const groups = averaged ? 1 : m;
  const groupOf = (c: number): number => (averaged ? 0 : c);
  const rowOfEntry = new Int32Array(index.length);
  const rowOfCenter = new Int32Array(m).fill(-1);
  const rowOfSelf = new Int32Array(m).fill(-1);
  if (layout === 'dense') {
    for (let c = 0; c < m; c++) {
      const base = groupOf(c) * nAtoms;
      for (let e = offsets[c]!; e < offsets[c + 1]!; e++) rowOfEntry[e] = base + index[e]!;
      if (centerAtom[c]! >= 0) rowOfSelf[c] = base + centerAtom[c]!;
      if (attach) rowOfCenter[c] = rowOfSelf[c]!;
    }
    return { nRows: groups * nAtoms, rowOfEntry, rowOfCenter, rowOfSelf, sparseOffsets: null, sparseAtoms: null, groups };
  }
  // Row of each atom within the current group's block; −1 when not yet seen.
  const slot = new Int32Array(nAtoms).fill(-1);
  const sparseOffsets = new Int32Array(groups + 1);
  const atoms: number[] = [];
  for (let g = 0; g < groups; g++) {
    const first = averaged ? 0 : g;
    const last = averaged ? m : g + 1;
    const selves: number[] = [];
    const seen: number[] = [];
    for (let c = first; c < last; c++) {
      const self = centerAtom[c]!;
      if (self >= 0 && slot[self] === -1) {
        slot[self] = 0;
        selves.push(self);
      }
    }
    for (let c = first; c < last; c++) {
      for (let e = offsets[c]!; e < offsets[c + 1]!; e++) {
        const j = index[e]!;
        if (slot[j] === -1) {
          slot[j] = 0;
          seen.push(j);
        }
      }
    }
    seen.sort((a, b) => a - b);
    const rows = [...selves, ...seen];
    const base = atoms.length;
    rows.forEach((a, k) => (slot[a] = base + k));
    for (let c = first; c < last; c++) {
      for (let e = offsets[c]!; e < offsets[c + 1]!; e++) rowOfEntry[e] = slot[index[e]!]!;
      if (centerAtom[c]! >= 0) rowOfSelf[c] = slot[centerAtom[c]!]!;
      if (attach) rowOfCenter[c] = rowOfSelf[c]!;
    }
    for (const a of rows) slot[a] = -1;
    atoms.push(...rows);
    sparseOffsets[g + 1] = atoms.length;
  }
  return { nRows: atoms.length, rowOfEntry, rowOfCenter, rowOfSelf, sparseOffsets, sparseAtoms: Int32Array.from(atoms), groups };
}

/** Wraps computed rows as the public derivative object. */
export function derivativesResult(
  rows: DerivativeRows, nAtoms: number, nFeatures: number, values: Float64Array,
): DenseDerivatives | SparseDerivatives {
  if (rows.sparseOffsets === null) return { layout: 'dense', shape: [rows.groups, nAtoms, 3, nFeatures], values };
  return { layout: 'sparse', shape: [rows.nRows, 3, nFeatures], offsets: rows.sparseOffsets, atoms: rows.sparseAtoms!, values };
}

/**
 * Sums per-pair gradients (one [3, F] block per neighbour-list entry, at `gradPtr`) into
 * gradients with respect to atom positions. `attach`: a centre sitting on an atom moves with it
 * (DScribe's `attach=True`), adding −Σ_e ∂p/∂d_e to that atom.
 */
export function assembleDerivatives(
  rt: Runtime,
  nl: NeighborListPtrs,
  nAtoms: number,
  nFeatures: number,
  gradPtr: number,
  attach: boolean,
  layout: DerivativesLayout,
): DenseDerivatives | SparseDerivatives {
  const { arena, kernels } = rt;
  const m = nl.nCenters;
  const rows = planDerivativeRows(
    arena.i32(nl.offsets, m + 1).slice(), arena.i32(nl.index, nl.count).slice(), arena.i32(nl.centerAtom, m).slice(),
    nAtoms, attach, layout,
  );
  const pRowOfEntry = arena.allocI32(nl.count);
  const pRowOfCenter = arena.allocI32(m);
  const pOut = arena.allocF64(rows.nRows * 3 * nFeatures);
  arena.i32(pRowOfEntry, nl.count).set(rows.rowOfEntry);
  arena.i32(pRowOfCenter, m).set(rows.rowOfCenter);
  kernels.scatterPairGradients(m, nl.offsets, pRowOfEntry, pRowOfCenter, nFeatures, gradPtr, rows.nRows, pOut);
  return derivativesResult(rows, nAtoms, nFeatures, arena.f64(pOut, rows.nRows * 3 * nFeatures).slice());
}
