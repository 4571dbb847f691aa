// SOAP power spectrum from the expansion coefficients (DScribe's definition and order):
//   p^{d1 d2}_{n n' l} = π √(8/(2l+1)) Σ_m c^{d1}_{nlm} c^{d2}_{n'lm}
// The feature vector is a list of blocks (d1, d2, symmetric); inside a block the order is l, then
// n, then n' (n' ≥ n when the block is symmetric, i.e. d1 = d2). The TypeScript side
// (src/soap/layout.ts) turns every compression mode into such a block list.
//
// For one (block, l) the sums form G = A1ᵀ A2 with A_d the (2l+1) × n_maxP matrix c^d_{·l·}.
// It is register-blocked: two rows n, n+1 of G × 8 columns n' (8 f64x2 accumulators) are
// summed over m, so each m costs 4 vector loads and 2 splats for 8 fma.
import { ldf, ldi, stf } from '../memory';
import { fmadd } from '../math/simdMath';

/** G[n][o..o+8) and G[n+1][o..o+8) (n+1 only when `pair`); c1n points at c1[l²][n], c2o at c2[l²][o]. */
@inline function gramRows8(count: i32, rowBytes: usize, c1n: usize, c2o: usize, pair: bool, g: usize, gRow: usize): void {
  let a0 = f64x2.splat(0.0), a1 = a0, a2 = a0, a3 = a0;
  let b0 = a0, b1 = a0, b2 = a0, b3 = a0;
  let p1 = c1n, p2 = c2o;
  for (let m = 0; m < count; m++) {
    const r0 = v128.load(p2), r1 = v128.load(p2, 16), r2 = v128.load(p2, 32), r3 = v128.load(p2, 48);
    const x = v128.load64_splat(p1);
    a0 = fmadd(x, r0, a0);
    a1 = fmadd(x, r1, a1);
    a2 = fmadd(x, r2, a2);
    a3 = fmadd(x, r3, a3);
    if (pair) {
      const y = v128.load64_splat(p1, 8);
      b0 = fmadd(y, r0, b0);
      b1 = fmadd(y, r1, b1);
      b2 = fmadd(y, r2, b2);
      b3 = fmadd(y, r3, b3);
    }
    p1 += rowBytes;
    p2 += rowBytes;
  }
  v128.store(g, a0);
  v128.store(g, a1, 16);
  v128.store(g, a2, 32);
  v128.store(g, a3, 48);
  if (pair) {
    v128.store(g + gRow, b0);
    v128.store(g + gRow, b1, 16);
    v128.store(g + gRow, b2, 32);
    v128.store(g + gRow, b3, 48);
  }
}

/** As gramRows8 for 2 columns (the tail of n_maxP). */
@inline function gramRows2(count: i32, rowBytes: usize, c1n: usize, c2o: usize, pair: bool, g: usize, gRow: usize): void {
  let a = f64x2.splat(0.0), b = a;
  let p1 = c1n, p2 = c2o;
  for (let m = 0; m < count; m++) {
    const r = v128.load(p2);
    a = fmadd(v128.load64_splat(p1), r, a);
    if (pair) b = fmadd(v128.load64_splat(p1, 8), r, b);
    p1 += rowBytes;
    p2 += rowBytes;
  }
  v128.store(g, a);
  if (pair) v128.store(g + gRow, b);
}

/**
 * Writes the power spectrum of `coef` (layout of assembly/soap/sphericalExpansion.ts) to
 * out[0..nFeatures). blocks: i32[3·nBlocks] = (d1, d2, symmetric) per block. empty: i32 per
 * density, non-zero when the density has no neighbour (its blocks are written as zeros).
 * gram: scratch f64[n_maxP²]. Returns the number of features written.
 */
export function powerSpectrum(
  nMax: i32, nMaxP: i32, lMax: i32, nBlocks: i32, blocks: usize, empty: usize, coef: usize, gram: usize, out: usize,
): i32 {
  const nLM = (lMax + 1) * (lMax + 1);
  const rowBytes = <usize>nMaxP << 3;
  const full = rowBytes & ~(<usize>63);
  let f = 0;
  for (let b = 0; b < nBlocks; b++) {
    const d1 = ldi(blocks, 3 * b), d2 = ldi(blocks, 3 * b + 1);
    const symmetric = ldi(blocks, 3 * b + 2) != 0;
    const c1 = coef + <usize>(d1 * nLM) * rowBytes;
    const c2 = coef + <usize>(d2 * nLM) * rowBytes;
    if (ldi(empty, d1) != 0 || ldi(empty, d2) != 0) {
      const size = (lMax + 1) * (symmetric ? (nMax * (nMax + 1)) >> 1 : nMax * nMax);
      memory.fill(out + (<usize>f << 3), 0, <usize>size << 3);
      f += size;
      continue;
    }
    for (let l = 0; l <= lMax; l++) {
      const first = <usize>(l * l) * rowBytes;
      const count = 2 * l + 1;
      for (let n = 0; n < nMax; n += 2) {
        const pair = n + 1 < nMax;
        const c1n = c1 + first + (<usize>n << 3);
        const g = gram + <usize>n * rowBytes;
        for (let o: usize = 0; o < full; o += 64) {
          if (pair) gramRows8(count, rowBytes, c1n, c2 + first + o, true, g + o, rowBytes);
          else gramRows8(count, rowBytes, c1n, c2 + first + o, false, g + o, rowBytes);
        }
        for (let o = full; o < rowBytes; o += 16) {
          if (pair) gramRows2(count, rowBytes, c1n, c2 + first + o, true, g + o, rowBytes);
          else gramRows2(count, rowBytes, c1n, c2 + first + o, false, g + o, rowBytes);
        }
      }
      const prefactor = Math.PI * Math.sqrt(8.0 / <f64>(2 * l + 1));
      for (let n = 0; n < nMax; n++) {
        const g = gram + <usize>n * rowBytes;
        for (let n2 = symmetric ? n : 0; n2 < nMax; n2++) stf(out, f++, prefactor * ldf(g, n2));
      }
    }
  }
  return f;
}
