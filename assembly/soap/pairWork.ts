// Scratch layout of the SOAP pair path (soapComputeAllAtoms, soapBackwardAllAtoms and the float32
// soapComputeAllAtomsF32) inside their `pairWork` block: a coefficient block per atom (the float64
// values pass uses them as recycled slots, pSlotOf / pFreeSlots), then the pair records of one
// tile and their group lists, and the tile schedule (pTileOrder, completionSteps). Byte offsets,
// set by planPairWork.
import { CI_COEF_DENSITIES, CI_INTERVALS, CI_L_MAX, CI_N_MAX_P, CI_SLOT_DENSITIES, align16 } from './config';
import { ldf, ldi, stf, sti } from '../memory';
import { pairPathCheck } from './pairExpansion';
import { countingSort } from '../math/countingSort';

export let pCoefAll: usize = 0;
export let pUsed: usize = 0;
export let pRec: usize = 0;
export let pRecI: usize = 0;
export let pRecJ: usize = 0;
export let pListF: usize = 0;
export let pListR: usize = 0;
export let pStartF: usize = 0;
export let pStartR: usize = 0;
export let pTally: usize = 0;
export let pStamp: usize = 0;
export let pLocalOf: usize = 0;
export let pTargets: usize = 0;
export let pRecJL: usize = 0;
export let pRecR: usize = 0;
export let pOrder: usize = 0;
export let pBuckets: usize = 0;
export let pSpDensity: usize = 0;
export let pSpWeight: usize = 0;
export let pSelf: usize = 0;
export let pRecIL: usize = 0;
export let pTileAtoms: usize = 0;
export let pTileOrder: usize = 0;
export let pLastTile: usize = 0;
export let pDoneStart: usize = 0;
export let pDoneAtoms: usize = 0;
export let pSlotOf: usize = 0;
export let pFreeSlots: usize = 0;
export let pEnd: usize = 0;

/**
 * Lays out the pair path's scratch from `work` (0: only measure, pEnd is then the size).
 * valueShift: log2 of a coefficient's bytes (3 float64, 2 float32); recordBytes: one pair record;
 * coefBlocks: coefficient blocks at pCoefAll (−1: one per atom; 0 for the streamed values pass,
 * whose slots the caller places elsewhere once slotsInFlight has counted them).
 */
export function planPairWork(
  work: usize, nAtoms: i32, kMax: i32, ints: usize, nSpecies: i32, tile: i32, valueShift: i32, recordBytes: usize,
  coefBlocks: i32 = -1,
): void {
  const nMaxP = ldi(ints, CI_N_MAX_P), lMax = ldi(ints, CI_L_MAX);
  const nLM = <usize>((lMax + 1) * (lMax + 1));
  const coefBytes = (<usize>ldi(ints, CI_COEF_DENSITIES) * nLM * <usize>nMaxP) << <usize>valueShift;
  const records = <usize>tile * <usize>kMax;
  const keys = max(<usize>tile, records) * <usize>nSpecies + 1;
  let p = align16(work);
  pCoefAll = p; p = align16(p + <usize>(coefBlocks < 0 ? nAtoms : coefBlocks) * coefBytes);
  pUsed = p; p = align16(p + (<usize>(nAtoms * ldi(ints, CI_SLOT_DENSITIES)) << 2));
  pRec = (p + 63) & ~(<usize>63); p = align16(pRec + records * recordBytes);
  pRecI = p; p = align16(p + (records << 2));
  pRecJ = p; p = align16(p + (records << 2));
  pListF = p; p = align16(p + (records << 2));
  pListR = p; p = align16(p + (records << 2));
  pStartF = p; p = align16(p + (keys << 2));
  pStartR = p; p = align16(p + (keys << 2));
  pTally = p; p = align16(p + (<usize>nAtoms << 2));
  pStamp = p; p = align16(p + (<usize>nAtoms << 2));
  pLocalOf = p; p = align16(p + (<usize>nAtoms << 2));
  pTargets = p; p = align16(p + (records << 2));
  pRecJL = p; p = align16(p + (records << 2));
  pRecR = p; p = align16(p + (records << 3));
  pOrder = p; p = align16(p + (records << 2));
  pBuckets = p; p = align16(p + (<usize>(ldi(ints, CI_INTERVALS) + 1) << 2));
  pSpDensity = p; p = align16(p + (<usize>nSpecies << 2));
  pSpWeight = p; p = align16(p + (<usize>nSpecies << 3));
  pSelf = p; p = align16(p + (<usize>((lMax + 1) * nMaxP) << <usize>valueShift));
  pRecIL = p; p = align16(p + (records << 2));
  pTileAtoms = p; p = align16(p + (<usize>nAtoms << 2));
  pTileOrder = p; p = align16(p + (<usize>nAtoms << 2));
  pLastTile = p; p = align16(p + (<usize>nAtoms << 2));
  pDoneStart = p; p = align16(p + (<usize>(nAtoms + 2) << 2));
  pDoneAtoms = p; p = align16(p + (<usize>nAtoms << 2));
  pSlotOf = p; p = align16(p + (<usize>nAtoms << 2));
  pFreeSlots = p; p = align16(p + (<usize>nAtoms << 2));
  pEnd = p;
}

/** Places the coefficient blocks at `ptr` (the streamed values pass keeps its slots outside pairWork). */
export function setCoefAll(ptr: usize): void {
  pCoefAll = ptr;
}

/**
 * Below this many pairs per (tile, target atom) the pair path declines. Calibrated with the upward
 * pairs of full lists on the 1 536-atom water box: 5.0 in file order (pair path ~10 % faster than
 * the per-centre path), 1.8 with the atoms shuffled (~10 % slower). SOAP.create then retries the
 * float64 values on the same half list with atomOrder a spatial-grid order (src/structure/
 * spatialOrder.ts), else (float32, backward) with the atoms reordered.
 *
 * Measured on the water boxes (half list, tiles of 16): the file order is already about as good
 * as any: reversed groups per atom 9.35 (192 atoms), 16.9 (1 536) against 9.6 and 16.6 in
 * spatial-grid (row-major bin) order; compact tiles do worse (Morton order 11.2 and 16.6, cubic
 * blocks up to 19, greedy nearest-neighbour clusters 12 and 18.6), because a half list gives each
 * atom the neighbours in its forward half-space, whose union over a strip of atoms across the
 * leading axis is smaller than over a cube. Larger tiles give fewer groups (tiles of 32: 5.4 and
 * 11.7; 64: 3.0 and 8.3) but their records (896 B each for W1's basis, ~66 per atom) outgrow L2,
 * and measured 2–4 % slower.
 */
const MIN_PAIRS_PER_TARGET: f64 = 3.0;

/**
 * Lays out the scratch (planPairWork) and decides whether the pair path runs: only when the
 * centres are the atoms in order and the list is symmetric, and, for a structure of several
 * tiles, when its atoms have spatial locality in the order the tiles take them (atomOrder, i32:
 * the atoms' indices in that order; 0: index order) (in one or two tiles every group is as
 * small in the per-centre path). False: the caller declines.
 */
export function planPairPath(
  work: usize, nCenters: i32, centerAtom: usize, kMax: i32, ints: usize, nSpecies: i32, tile: i32,
  valueShift: i32, recordBytes: usize, offsets: usize, index: usize, disp: usize, half: bool, atomOrder: usize = 0,
  coefBlocks: i32 = -1,
): bool {
  for (let c = 0; c < nCenters; c++) if (ldi(centerAtom, c) != c) return false;
  planPairWork(work, nCenters, kMax, ints, nSpecies, tile, valueShift, recordBytes, coefBlocks);
  const perTarget = pairPathCheck(nCenters, tile, offsets, index, disp, pTally, pStamp, half, atomOrder);
  return perTarget >= 0.0 && (nCenters <= 2 * tile || perTarget >= MIN_PAIRS_PER_TARGET);
}

/**
 * Zeroes every atom's coefficients (coefBytes each; only with zeroBlocks) and use counts, resets
 * the local-target map, and notes each species' density and weight (from any of its atoms).
 */
export function startPairPath(
  nAtoms: i32, nSpecies: i32, atomSpecies: usize, density: usize, atomWeight: usize, coefBytes: usize, slotDensities: i32,
  zeroBlocks: bool = true,
): void {
  for (let s = 0; s < nSpecies; s++) {
    sti(pSpDensity, s, 0);
    stf(pSpWeight, s, 0.0);
  }
  for (let a = 0; a < nAtoms; a++) {
    const s = ldi(atomSpecies, a);
    sti(pSpDensity, s, ldi(density, a));
    stf(pSpWeight, s, ldf(atomWeight, a));
  }
  if (zeroBlocks) memory.fill(pCoefAll, 0, <usize>nAtoms * coefBytes);
  memory.fill(pUsed, 0, <usize>(nAtoms * slotDensities) << 2);
  for (let a = 0; a < nAtoms; a++) sti(pLocalOf, a, -1);
}

/**
 * The atoms of each species in index order (or in atomOrder's, when not 0), species after
 * species, to tileAtoms (i32[nAtoms]): the pair path's tiles are cut from it (tileEnd), so a
 * tile's reversed sums into an atom form one group (one density) instead of one per species.
 * Returns the number of atoms listed.
 */
export function speciesOrder(nAtoms: i32, nSpecies: i32, atomSpecies: usize, tileAtoms: usize, atomOrder: usize = 0): i32 {
  let filled = 0;
  for (let s = 0; s < nSpecies; s++) {
    for (let q = 0; q < nAtoms; q++) {
      const a = atomOrder != 0 ? ldi(atomOrder, q) : q;
      if (ldi(atomSpecies, a) == s) sti(tileAtoms, filled++, a);
    }
  }
  return filled;
}

/** End of the tile that starts at a0 in speciesOrder's list of nAtoms: at most `tile` atoms, all of one species. */
export function tileEnd(a0: i32, nAtoms: i32, tileAtoms: usize, atomSpecies: usize, tile: i32): i32 {
  const s = ldi(atomSpecies, ldi(tileAtoms, a0));
  const last = min(a0 + tile, nAtoms);
  let end = a0 + 1;
  while (end < last && ldi(atomSpecies, ldi(tileAtoms, end)) == s) end++;
  return end;
}

/**
 * The tiles cut from speciesOrder's list (tileEnd) in the order of their first atom's index (its
 * place in atomOrder, when not 0), their starts in that list to tileOrder (i32, one per tile):
 * the tiles of all species then advance through the atoms together, so a tile's partners were
 * touched by recent tiles (their coefficients still in cache) instead of by a pass over another
 * species long before. Returns the tile count. firstOf: i32[nAtoms] scratch.
 */
export function tilesInAtomOrder(
  nAtoms: i32, listed: i32, tileAtoms: usize, atomSpecies: usize, tile: i32, firstOf: usize, tileOrder: usize,
  atomOrder: usize = 0,
): i32 {
  for (let a = 0; a < nAtoms; a++) sti(firstOf, a, -1);
  for (let a0 = 0; a0 < listed;) {
    sti(firstOf, ldi(tileAtoms, a0), a0);
    a0 = tileEnd(a0, listed, tileAtoms, atomSpecies, tile);
  }
  let count = 0;
  for (let q = 0; q < nAtoms; q++) {
    const a0 = ldi(firstOf, atomOrder != 0 ? ldi(atomOrder, q) : q);
    if (a0 >= 0) sti(tileOrder, count++, a0);
  }
  return count;
}

/** The tiles cut from speciesOrder's list (tileEnd) in list order, species after species, their starts to tileOrder. Returns the tile count. */
export function tilesInListOrder(listed: i32, tileAtoms: usize, atomSpecies: usize, tile: i32, tileOrder: usize): i32 {
  let count = 0;
  for (let a0 = 0; a0 < listed;) {
    sti(tileOrder, count++, a0);
    a0 = tileEnd(a0, listed, tileAtoms, atomSpecies, tile);
  }
  return count;
}

/**
 * When each atom's coefficients are complete: step k (the k-th tile of tileOrder) adds to the
 * tile's atoms and to their list entries' atoms, so an atom is done after the last step that
 * names it (atoms no step names, after step 0). doneAtoms[doneStart[k] .. doneStart[k+1]) are the
 * atoms done after step k, in index order. lastTile: i32[nAtoms]; doneStart: i32[nTiles + 1].
 */
export function completionSteps(
  nAtoms: i32, nTiles: i32, listed: i32, tileOrder: usize, tileAtoms: usize, atomSpecies: usize, tile: i32,
  offsets: usize, index: usize, lastTile: usize, doneStart: usize, doneAtoms: usize,
): void {
  for (let a = 0; a < nAtoms; a++) sti(lastTile, a, 0);
  for (let k = 0; k < nTiles; k++) {
    const a0 = ldi(tileOrder, k);
    const a1 = tileEnd(a0, listed, tileAtoms, atomSpecies, tile);
    for (let t = a0; t < a1; t++) {
      const i = ldi(tileAtoms, t);
      sti(lastTile, i, k);
      const end = ldi(offsets, i + 1);
      for (let e = ldi(offsets, i); e < end; e++) sti(lastTile, ldi(index, e), k);
    }
  }
  // The atoms by their last step (one step when there are no tiles).
  countingSort(nAtoms, lastTile, max(nTiles, 1), doneAtoms, doneStart);
}

/**
 * The most coefficient slots in use at once when the steps of completionSteps' schedule run in
 * order: step k claims a slot for each atom it names that has none (the tile's atoms and their
 * list entries' atoms), then the atoms done after it give theirs back (the free slots form a
 * stack, so slots 0 .. result − 1 are the only ones used). claimed: i32[nAtoms] scratch.
 */
export function slotsInFlight(
  nAtoms: i32, nTiles: i32, listed: i32, tileOrder: usize, tileAtoms: usize, atomSpecies: usize, tile: i32,
  offsets: usize, index: usize, doneStart: usize, claimed: usize,
): i32 {
  for (let a = 0; a < nAtoms; a++) sti(claimed, a, 0);
  let inUse = 0, most = 0;
  for (let k = 0; k < nTiles; k++) {
    const a0 = ldi(tileOrder, k);
    const a1 = tileEnd(a0, listed, tileAtoms, atomSpecies, tile);
    for (let t = a0; t < a1; t++) {
      const i = ldi(tileAtoms, t);
      if (ldi(claimed, i) == 0) { sti(claimed, i, 1); inUse++; }
      const end = ldi(offsets, i + 1);
      for (let e = ldi(offsets, i); e < end; e++) {
        const j = ldi(index, e);
        if (ldi(claimed, j) == 0) { sti(claimed, j, 1); inUse++; }
      }
    }
    if (inUse > most) most = inUse;
    inUse -= ldi(doneStart, k + 1) - ldi(doneStart, k);
  }
  // An atom no step names (none when every atom is in a tile) takes a slot while it is emitted.
  return max(1, min(most + 1, nAtoms));
}

/** The most atoms done after one step of completionSteps' schedule (nSteps steps). */
export function mostDoneInOneStep(nSteps: i32, doneStart: usize): i32 {
  let most = 0;
  for (let k = 0; k < nSteps; k++) most = max(most, ldi(doneStart, k + 1) - ldi(doneStart, k));
  return most;
}
