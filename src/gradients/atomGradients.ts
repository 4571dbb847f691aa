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
  const pRowOfEntry = arena.allocI32(nl.count);
  const pRowOfCenter = arena.allocI32(m);
  const offsets = arena.i32(nl.offsets, m + 1).slice();
  const index = arena.i32(nl.index, nl.count).slice();
  const centerAtom = arena.i32(nl.centerAtom, m).slice();
  const rowOfEntry = new Int32Array(nl.count);
  const rowOfCenter = new Int32Array(m).fill(-1);

  let nRows: number;
  let sparseOffsets: Int32Array | null = null;
  let sparseAtoms: Int32Array | null = null;
  if (layout === 'dense') {
    nRows = m * nAtoms;
    for (let c = 0; c < m; c++) {
      for (let e = offsets[c]!; e < offsets[c + 1]!; e++) rowOfEntry[e] = c * nAtoms + index[e]!;
      if (attach && centerAtom[c]! >= 0) rowOfCenter[c] = c * nAtoms + centerAtom[c]!;
    }
  } else {
    // Row of each atom within the current centre's block; −1 when not yet seen.
    const slot = new Int32Array(nAtoms).fill(-1);
    const rowsOf: number[][] = [];
    sparseOffsets = new Int32Array(m + 1);
    let total = 0;
    for (let c = 0; c < m; c++) {
      const self = centerAtom[c]!;
      const seen: number[] = [];
      for (let e = offsets[c]!; e < offsets[c + 1]!; e++) {
        const j = index[e]!;
        if (j !== self && slot[j] === -1) {
          slot[j] = 0;
          seen.push(j);
        }
      }
      seen.sort((a, b) => a - b);
      const atomsOfCenter = self >= 0 ? [self, ...seen] : seen;
      atomsOfCenter.forEach((a, k) => (slot[a] = total + k));
      for (let e = offsets[c]!; e < offsets[c + 1]!; e++) rowOfEntry[e] = slot[index[e]!]!;
      if (attach && self >= 0) rowOfCenter[c] = slot[self]!;
      for (const a of atomsOfCenter) slot[a] = -1;
      rowsOf.push(atomsOfCenter);
      total += atomsOfCenter.length;
      sparseOffsets[c + 1] = total;
    }
    nRows = total;
    sparseAtoms = new Int32Array(total);
    let r = 0;
    for (const rows of rowsOf) for (const a of rows) sparseAtoms[r++] = a;
  }
  const pOut = arena.allocF64(nRows * 3 * nFeatures);
  arena.i32(pRowOfEntry, nl.count).set(rowOfEntry);
  arena.i32(pRowOfCenter, m).set(rowOfCenter);
  kernels.scatterPairGradients(m, nl.offsets, pRowOfEntry, pRowOfCenter, nFeatures, gradPtr, nRows, pOut);
  const values = arena.f64(pOut, nRows * 3 * nFeatures).slice();
  if (layout === 'dense') return { layout: 'dense', shape: [m, nAtoms, 3, nFeatures], values };
  return { layout: 'sparse', shape: [nRows, 3, nFeatures], offsets: sparseOffsets!, atoms: sparseAtoms!, values };
}
