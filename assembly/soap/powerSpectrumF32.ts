// Float32 SOAP power spectrum (assembly/soap/powerSpectrum.ts is the float64 version; same
// definition, block list and feature order):
//   p^{d1 d2}_{n n' l} = π √(8/(2l+1)) Σ_m c^{d1}_{nlm} c^{d2}_{n'lm}
// For one (block, l), G = A1ᵀ A2 with A_d the (2l+1) × n_maxP matrix c^d_{·l·} (f32, n_maxP a
// multiple of 4). Register-blocked: four rows n..n+3 of G × up to 8 columns n' (two f32x4
// accumulators per row) are summed over m, so each m costs ≤ 2 vector loads + 4 splats for ≤ 8
// multiply-adds. For each (block, row group, column group) every l runs in one pass (the rows of
// consecutive l follow each other, so the pointers just run on); in a symmetric block only the
// column groups at or right of the diagonal are summed, and every sum goes straight to its
// feature, scaled by the prefactor (f32, from a table). Rows n ≥ n_max read the zero padding of
// c1 and are never written out.
import { ldi } from '../memory';
import { fmaddF32 } from '../math/simdMathF32';

/** π √(8/(2l+1)) rounded to f32 for l ≤ L_MAX_PREFACTOR (filled on the first call). */
const L_MAX_PREFACTOR = 63;
const PREFACTOR = memory.data(4 * (L_MAX_PREFACTOR + 1));
let prefactorsReady = false;

function fillPrefactors(): void {
  for (let l = 0; l <= L_MAX_PREFACTOR; l++) store<f32>(PREFACTOR + (<usize>l << 2), <f32>(Math.PI * Math.sqrt(8.0 / <f64>(2 * l + 1))));
  prefactorsReady = true;
}

/**
 * Stores columns c..c+3 of one row of the scaled G (vector v) to the block's features from
 * `rowAt` (the feature of the row's first held column `first`): lanes whose column the row does
 * not hold (column < first, or column ≥ nMax) are not written. Nothing when the row is ≥ nMax.
 */
@inline function storeColumns(v: v128, row: i32, c: i32, first: i32, nMax: i32, rowAt: usize): void {
  if (row >= nMax) return;
  // Column c + j sits at rowAt + (c + j − first)·4.
  const at = rowAt + (<usize>(c - first) << 2);
  if (c >= first && c + 4 <= nMax) {
    v128.store(at, v);
    return;
  }
  if (c >= first && c < nMax) v128.store32_lane(at, v, 0);
  if (c + 1 >= first && c + 1 < nMax) v128.store32_lane(at, v, 1, 4);
  if (c + 2 >= first && c + 2 < nMax) v128.store32_lane(at, v, 2, 8);
  if (c + 3 >= first && c + 3 < nMax) v128.store32_lane(at, v, 3, 12);
}

/**
 * Rows n..n+3 × columns c..c+4·nv−1 (nv 1 or 2) of G_l for every l, each summed over its 2l+1
 * values of m, scaled by the prefactor and stored with storeColumns. c1n points at c1[0][n], c2c
 * at c2[0][c]; rows[r], first[r]: address of the feature (n+r, first[r]) in the l = 0 part of the
 * block and the first column row n+r holds; lBytes: bytes of one l part.
 */
@inline function gramRows(
  lMax: i32, rowBytes: usize, c1n: usize, c2c: usize, nv: i32, n: i32, c: i32, nMax: i32, symmetric: bool,
  row0: usize, row1: usize, row2: usize, row3: usize, lBytes: usize,
): void {
  let p1 = c1n, p2 = c2c;
  const f0 = symmetric ? n : 0, f1 = symmetric ? n + 1 : 0, f2 = symmetric ? n + 2 : 0, f3 = symmetric ? n + 3 : 0;
  for (let l = 0; l <= lMax; l++) {
    let a0 = f32x4.splat(0.0), a1 = a0, b0 = a0, b1 = a0, e0 = a0, e1 = a0, q0 = a0, q1 = a0;
    for (let m = 0; m <= 2 * l; m++) {
      const r0 = v128.load(p2);
      const r1 = nv > 1 ? v128.load(p2, 16) : r0;
      const xa = v128.load32_splat(p1);
      a0 = fmaddF32(xa, r0, a0);
      if (nv > 1) a1 = fmaddF32(xa, r1, a1);
      const xb = v128.load32_splat(p1, 4);
      b0 = fmaddF32(xb, r0, b0);
      if (nv > 1) b1 = fmaddF32(xb, r1, b1);
      const xe = v128.load32_splat(p1, 8);
      e0 = fmaddF32(xe, r0, e0);
      if (nv > 1) e1 = fmaddF32(xe, r1, e1);
      const xq = v128.load32_splat(p1, 12);
      q0 = fmaddF32(xq, r0, q0);
      if (nv > 1) q1 = fmaddF32(xq, r1, q1);
      p1 += rowBytes;
      p2 += rowBytes;
    }
    const f = v128.load32_splat(PREFACTOR + (<usize>l << 2));
    const at = <usize>l * lBytes;
    storeColumns(f32x4.mul(f, a0), n, c, f0, nMax, row0 + at);
    storeColumns(f32x4.mul(f, b0), n + 1, c, f1, nMax, row1 + at);
    storeColumns(f32x4.mul(f, e0), n + 2, c, f2, nMax, row2 + at);
    storeColumns(f32x4.mul(f, q0), n + 3, c, f3, nMax, row3 + at);
    if (nv > 1) {
      storeColumns(f32x4.mul(f, a1), n, c + 4, f0, nMax, row0 + at);
      storeColumns(f32x4.mul(f, b1), n + 1, c + 4, f1, nMax, row1 + at);
      storeColumns(f32x4.mul(f, e1), n + 2, c + 4, f2, nMax, row2 + at);
      storeColumns(f32x4.mul(f, q1), n + 3, c + 4, f3, nMax, row3 + at);
    }
  }
}

/** Offset (in features) of row r's first held feature inside one l part of a block. */
@inline function rowOffset(r: i32, nMax: i32, symmetric: bool): i32 {
  return symmetric ? r * nMax - ((r * (r - 1)) >> 1) : r * nMax;
}

/**
 * Writes the power spectrum of the f32 coefficients `coef` (layout of
 * assembly/soap/sphericalExpansionF32.ts) to out[0..nFeatures) as f32. blocks: i32[3·nBlocks] =
 * (d1, d2, symmetric); empty: i32 per density, non-zero when it has no neighbour (its blocks are
 * zeros). Returns the number of features written.
 */
export function powerSpectrumF32(
  nMax: i32, nMaxP: i32, lMax: i32, nBlocks: i32, blocks: usize, empty: usize, coef: usize, out: usize,
): i32 {
  if (!prefactorsReady) fillPrefactors();
  const nLM = (lMax + 1) * (lMax + 1);
  const rowBytes = <usize>nMaxP << 2;
  const nVec = nMaxP >> 2;
  let f = 0;
  for (let b = 0; b < nBlocks; b++) {
    const d1 = ldi(blocks, 3 * b), d2 = ldi(blocks, 3 * b + 1);
    const symmetric = ldi(blocks, 3 * b + 2) != 0;
    const c1 = coef + <usize>(d1 * nLM) * rowBytes;
    const c2 = coef + <usize>(d2 * nLM) * rowBytes;
    const size = symmetric ? (nMax * (nMax + 1)) >> 1 : nMax * nMax;
    const total = (lMax + 1) * size;
    if (ldi(empty, d1) != 0 || ldi(empty, d2) != 0) {
      memory.fill(out + (<usize>f << 2), 0, <usize>total << 2);
      f += total;
      continue;
    }
    const block = out + (<usize>f << 2);
    const lBytes = <usize>size << 2;
    for (let n = 0; n < nMax; n += 4) {
      // Rows ≥ nMax are never stored, so their (meaningless) addresses are never used.
      const row0 = block + (<usize>rowOffset(n, nMax, symmetric) << 2);
      const row1 = block + (<usize>rowOffset(n + 1, nMax, symmetric) << 2);
      const row2 = block + (<usize>rowOffset(n + 2, nMax, symmetric) << 2);
      const row3 = block + (<usize>rowOffset(n + 3, nMax, symmetric) << 2);
      const c1n = c1 + (<usize>n << 2);
      for (let v = symmetric ? n >> 2 : 0; v < nVec; v += 2) {
        const c2c = c2 + (<usize>v << 4);
        if (v + 1 < nVec) gramRows(lMax, rowBytes, c1n, c2c, 2, n, 4 * v, nMax, symmetric, row0, row1, row2, row3, lBytes);
        else gramRows(lMax, rowBytes, c1n, c2c, 1, n, 4 * v, nMax, symmetric, row0, row1, row2, row3, lBytes);
      }
    }
    f += total;
  }
  return f;
}
