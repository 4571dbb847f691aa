// SOAP power spectrum from the expansion coefficients (DScribe's definition and order):
//   p^{d1 d2}_{n n' l} = π √(8/(2l+1)) Σ_m c^{d1}_{nlm} c^{d2}_{n'lm}
// The feature vector is a list of blocks (d1, d2, symmetric); inside a block the order is l, then
// n, then n' (n' ≥ n when the block is symmetric, i.e. d1 = d2). The TypeScript side
// (src/soap/layout.ts) turns every compression mode into such a block list.
//
// For one (block, l) the sums form G = A1ᵀ A2 with A_d the (2l+1) × n_maxP matrix c^d_{·l·}.
// It is register-blocked: two rows n, n+1 of G × up to 8 columns n' (≤ 8 f64x2 accumulators)
// are summed over m, so each m costs ≤ 4 vector loads and 2 splats for ≤ 8 fma. In a symmetric
// block only the column pairs at or right of the diagonal are summed, and every sum goes
// straight to its feature, scaled by the prefactor.
import { ldi } from '../memory';
import { fmadd } from '../math/simdMath';

/** π √(8/(2l+1)) for l ≤ L_MAX_PREFACTOR (filled on the first call; loaded, not recomputed, in the loops). */
const L_MAX_PREFACTOR = 63;
const PREFACTOR = memory.data(8 * (L_MAX_PREFACTOR + 1));
let prefactorsReady = false;

function fillPrefactors(): void {
  for (let l = 0; l <= L_MAX_PREFACTOR; l++) store<f64>(PREFACTOR + (<usize>l << 3), Math.PI * Math.sqrt(8.0 / <f64>(2 * l + 1)));
  prefactorsReady = true;
}

/**
 * Stores columns (c, c+1) of row n of π√(8/(2l+1)) G (scaled vector v) to the block's features
 * from `row` (the feature of (n, c) for the first column the row holds, `first`): lanes whose
 * column the row does not hold (c < first, or c + 1 ≥ nMax) are not written.
 */
@inline function storeColumns(v: v128, c: i32, first: i32, nMax: i32, rowAt: usize): void {
  // rowAt: address of the feature (n, first); column c sits at rowAt + (c − first)·8.
  if (c + 1 < first) return;
  if (c + 1 == first) {
    v128.store64_lane(rowAt, v, 1);
  } else if (c + 1 >= nMax) {
    if (c < nMax) v128.store64_lane(rowAt + (<usize>(c - first) << 3), v, 0);
  } else {
    v128.store(rowAt + (<usize>(c - first) << 3), v);
  }
}

/**
 * Rows n (and n+1 when `pair`) × column pairs v0 .. v0+nv−1 (nv ≤ 4) of G_l for every l, each
 * summed over its 2l+1 values of m (the rows of consecutive l follow each other, so the pointers
 * just run on), scaled by π√(8/(2l+1)) and stored with storeColumns. c1n points at c1[0][n], c2v
 * at c2[0][2·v0]; rowA/rowB: addresses of the features (n, firstA) and (n+1, firstB) in the
 * l = 0 part of the block; lBytes: bytes of one l part.
 */
@inline function gramRows(
  lMax: i32, rowBytes: usize, c1n: usize, c2v: usize, pair: bool, nv: i32, v0: i32,
  nMax: i32, firstA: i32, rowA: usize, firstB: i32, rowB: usize, lBytes: usize,
): void {
  let p1 = c1n, p2 = c2v;
  const c = 2 * v0;
  for (let l = 0; l <= lMax; l++) {
    let a0 = f64x2.splat(0.0), a1 = a0, a2 = a0, a3 = a0;
    let b0 = a0, b1 = a0, b2 = a0, b3 = a0;
    for (let m = 0; m <= 2 * l; m++) {
      const x = v128.load64_splat(p1);
      const r0 = v128.load(p2);
      const r1 = nv > 1 ? v128.load(p2, 16) : r0;
      const r2 = nv > 2 ? v128.load(p2, 32) : r0;
      const r3 = nv > 3 ? v128.load(p2, 48) : r0;
      a0 = fmadd(x, r0, a0);
      if (nv > 1) a1 = fmadd(x, r1, a1);
      if (nv > 2) a2 = fmadd(x, r2, a2);
      if (nv > 3) a3 = fmadd(x, r3, a3);
      if (pair) {
        const y = v128.load64_splat(p1, 8);
        b0 = fmadd(y, r0, b0);
        if (nv > 1) b1 = fmadd(y, r1, b1);
        if (nv > 2) b2 = fmadd(y, r2, b2);
        if (nv > 3) b3 = fmadd(y, r3, b3);
      }
      p1 += rowBytes;
      p2 += rowBytes;
    }
    const f = v128.load64_splat(PREFACTOR + (<usize>l << 3));
    const at = <usize>l * lBytes;
    storeColumns(f64x2.mul(f, a0), c, firstA, nMax, rowA + at);
    if (nv > 1) storeColumns(f64x2.mul(f, a1), c + 2, firstA, nMax, rowA + at);
    if (nv > 2) storeColumns(f64x2.mul(f, a2), c + 4, firstA, nMax, rowA + at);
    if (nv > 3) storeColumns(f64x2.mul(f, a3), c + 6, firstA, nMax, rowA + at);
    if (pair) {
      storeColumns(f64x2.mul(f, b0), c, firstB, nMax, rowB + at);
      if (nv > 1) storeColumns(f64x2.mul(f, b1), c + 2, firstB, nMax, rowB + at);
      if (nv > 2) storeColumns(f64x2.mul(f, b2), c + 4, firstB, nMax, rowB + at);
      if (nv > 3) storeColumns(f64x2.mul(f, b3), c + 6, firstB, nMax, rowB + at);
    }
  }
}

/** gramRows with nv (1..4) and `pair` as constants. */
@inline function gramRowsAny(
  lMax: i32, rowBytes: usize, c1n: usize, c2v: usize, pair: bool, nv: i32, v0: i32,
  nMax: i32, firstA: i32, rowA: usize, firstB: i32, rowB: usize, lBytes: usize,
): void {
  if (pair) {
    if (nv == 4) gramRows(lMax, rowBytes, c1n, c2v, true, 4, v0, nMax, firstA, rowA, firstB, rowB, lBytes);
    else if (nv == 3) gramRows(lMax, rowBytes, c1n, c2v, true, 3, v0, nMax, firstA, rowA, firstB, rowB, lBytes);
    else if (nv == 2) gramRows(lMax, rowBytes, c1n, c2v, true, 2, v0, nMax, firstA, rowA, firstB, rowB, lBytes);
    else gramRows(lMax, rowBytes, c1n, c2v, true, 1, v0, nMax, firstA, rowA, firstB, rowB, lBytes);
  } else {
    if (nv == 4) gramRows(lMax, rowBytes, c1n, c2v, false, 4, v0, nMax, firstA, rowA, firstB, rowB, lBytes);
    else if (nv == 3) gramRows(lMax, rowBytes, c1n, c2v, false, 3, v0, nMax, firstA, rowA, firstB, rowB, lBytes);
    else if (nv == 2) gramRows(lMax, rowBytes, c1n, c2v, false, 2, v0, nMax, firstA, rowA, firstB, rowB, lBytes);
    else gramRows(lMax, rowBytes, c1n, c2v, false, 1, v0, nMax, firstA, rowA, firstB, rowB, lBytes);
  }
}

/**
 * Writes the power spectrum of `coef` (layout of assembly/soap/sphericalExpansion.ts) to
 * out[0..nFeatures). blocks: i32[3·nBlocks] = (d1, d2, symmetric) per block. empty: i32 per
 * density, non-zero when the density has no neighbour (its blocks are written as zeros).
 * Returns the number of features written.
 */
export function powerSpectrum(
  nMax: i32, nMaxP: i32, lMax: i32, nBlocks: i32, blocks: usize, empty: usize, coef: usize, out: usize,
): i32 {
  if (!prefactorsReady) fillPrefactors();
  const nLM = (lMax + 1) * (lMax + 1);
  const rowBytes = <usize>nMaxP << 3;
  const nVec = nMaxP >> 1;
  let f = 0;
  for (let b = 0; b < nBlocks; b++) {
    const d1 = ldi(blocks, 3 * b), d2 = ldi(blocks, 3 * b + 1);
    const symmetric = ldi(blocks, 3 * b + 2) != 0;
    const c1 = coef + <usize>(d1 * nLM) * rowBytes;
    const c2 = coef + <usize>(d2 * nLM) * rowBytes;
    const size = symmetric ? (nMax * (nMax + 1)) >> 1 : nMax * nMax;
    const total = (lMax + 1) * size;
    if (ldi(empty, d1) != 0 || ldi(empty, d2) != 0) {
      memory.fill(out + (<usize>f << 3), 0, <usize>total << 3);
      f += total;
      continue;
    }
    const block = out + (<usize>f << 3);
    for (let n = 0; n < nMax; n += 2) {
      const pair = n + 1 < nMax;
      // Row n holds columns firstA.. at rowA; row n+1 columns firstB.. at rowB (l = 0 part).
      const firstA = symmetric ? n : 0, firstB = symmetric ? n + 1 : 0;
      const rowA = block + (<usize>(symmetric ? n * nMax - ((n * (n - 1)) >> 1) : n * nMax) << 3);
      const rowB = block + (<usize>(symmetric ? (n + 1) * nMax - (((n + 1) * n) >> 1) : (n + 1) * nMax) << 3);
      for (let v = symmetric ? n >> 1 : 0; v < nVec; v += 4) {
        const nv = min(4, nVec - v);
        gramRowsAny(lMax, rowBytes, c1 + (<usize>n << 3), c2 + (<usize>v << 4), pair, nv, v, nMax, firstA, rowA, firstB, rowB, <usize>size << 3);
      }
    }
    f += total;
  }
  return f;
}
