// The SOAP power spectrum of assembly/soap/powerSpectrum.ts (same definition, feature order and
// sums, so the same doubles):
//   p^{d1 d2}_{n n' l} = π √(8/(2l+1)) Σ_m c^{d1}_{nlm} c^{d2}_{n'lm}
// with two savings that matter for many species (10 blocks of 8 × 8 for H C N O):
//   - the register-blocked rows n, n+1 are scaled and stored straight into the feature row (no
//     Gram scratch and no scalar copy loop after it);
//   - a symmetric block (d1 = d2) sums only the columns n' ≥ n it keeps (from the even column at
//     or below n), 20 of the 32 column pairs for n_max 8.
// Each output is the same fmadd chain over m from zero as in powerSpectrum, times the same
// prefactor: the two kernels agree bit for bit (test/soap/powerSpectrumDirect.test.ts).
import { ldi } from '../memory';
import { fmadd } from '../math/simdMath';

/**
 * Stores the two columns o, o+1 of `v` to a feature row: column j goes to base + 8 j when
 * lo ≤ j < hi (the columns the row keeps).
 */
@inline function put(base: usize, o: i32, v: v128, lo: i32, hi: i32): void {
  if (o >= lo && o + 1 < hi) {
    v128.store(base + (<usize>o << 3), v);
  } else {
    if (o >= lo && o < hi) store<f64>(base + (<usize>o << 3), f64x2.extract_lane(v, 0));
    if (o + 1 >= lo && o + 1 < hi) store<f64>(base + (<usize>(o + 1) << 3), f64x2.extract_lane(v, 1));
  }
}

/**
 * Rows n (and n+1 when `pair`) × columns o .. o + 2·vecs − 1 (vecs = 1..4, a constant at each
 * call site) of Σ_m c1[m][n] c2[m][o..], times `pref`, stored with {@link put}: row n to base0
 * (columns lo0 ≤ j < hi), row n+1 to base1 (lo1 ≤ j < hi). c1n points at c1[l²][n], c2o at
 * c2[l²][o]; rows of both are rowBytes apart.
 */
@inline function rowsTimesColumns(
  vecs: i32, count: i32, rowBytes: usize, c1n: usize, c2o: usize, pair: bool, pref: v128,
  o: i32, base0: usize, lo0: i32, base1: usize, lo1: i32, hi: i32,
): void {
  let a0 = f64x2.splat(0.0), a1 = a0, a2 = a0, a3 = a0;
  let b0 = a0, b1 = a0, b2 = a0, b3 = a0;
  let p1 = c1n, p2 = c2o;
  for (let m = 0; m < count; m++) {
    const x = v128.load64_splat(p1);
    const r0 = v128.load(p2);
    a0 = fmadd(x, r0, a0);
    let r1 = r0, r2 = r0, r3 = r0;
    if (vecs > 1) {
      r1 = v128.load(p2, 16);
      a1 = fmadd(x, r1, a1);
    }
    if (vecs > 2) {
      r2 = v128.load(p2, 32);
      a2 = fmadd(x, r2, a2);
    }
    if (vecs > 3) {
      r3 = v128.load(p2, 48);
      a3 = fmadd(x, r3, a3);
    }
    if (pair) {
      const y = v128.load64_splat(p1, 8);
      b0 = fmadd(y, r0, b0);
      if (vecs > 1) b1 = fmadd(y, r1, b1);
      if (vecs > 2) b2 = fmadd(y, r2, b2);
      if (vecs > 3) b3 = fmadd(y, r3, b3);
    }
    p1 += rowBytes;
    p2 += rowBytes;
  }
  put(base0, o, f64x2.mul(pref, a0), lo0, hi);
  if (vecs > 1) put(base0, o + 2, f64x2.mul(pref, a1), lo0, hi);
  if (vecs > 2) put(base0, o + 4, f64x2.mul(pref, a2), lo0, hi);
  if (vecs > 3) put(base0, o + 6, f64x2.mul(pref, a3), lo0, hi);
  if (pair) {
    put(base1, o, f64x2.mul(pref, b0), lo1, hi);
    if (vecs > 1) put(base1, o + 2, f64x2.mul(pref, b1), lo1, hi);
    if (vecs > 2) put(base1, o + 4, f64x2.mul(pref, b2), lo1, hi);
    if (vecs > 3) put(base1, o + 6, f64x2.mul(pref, b3), lo1, hi);
  }
}

/** {@link rowsTimesColumns} with `pair` a constant at each call. */
@inline function rowBlock(
  vecs: i32, count: i32, rowBytes: usize, c1n: usize, c2o: usize, pair: bool, pref: v128,
  o: i32, base0: usize, lo0: i32, base1: usize, lo1: i32, hi: i32,
): void {
  if (pair) rowsTimesColumns(vecs, count, rowBytes, c1n, c2o, true, pref, o, base0, lo0, base1, lo1, hi);
  else rowsTimesColumns(vecs, count, rowBytes, c1n, c2o, false, pref, o, base0, lo0, base1, lo1, hi);
}

/**
 * Writes the power spectrum of `coef` (layout of assembly/soap/sphericalExpansion.ts) to
 * out[0..nFeatures): the arguments and result of powerSpectrum without its Gram scratch.
 * blocks: i32[3·nBlocks] = (d1, d2, symmetric); empty: i32 per density, non-zero when the
 * density has no neighbour (its blocks are zeros). Returns the number of features written.
 */
export function powerSpectrumDirect(
  nMax: i32, nMaxP: i32, lMax: i32, nBlocks: i32, blocks: usize, empty: usize, coef: usize, out: usize,
): i32 {
  const nLM = (lMax + 1) * (lMax + 1);
  const rowBytes = <usize>nMaxP << 3;
  let f = 0;
  for (let b = 0; b < nBlocks; b++) {
    const d1 = ldi(blocks, 3 * b), d2 = ldi(blocks, 3 * b + 1);
    const symmetric = ldi(blocks, 3 * b + 2) != 0;
    const perL = symmetric ? (nMax * (nMax + 1)) >> 1 : nMax * nMax;
    if (ldi(empty, d1) != 0 || ldi(empty, d2) != 0) {
      memory.fill(out + (<usize>f << 3), 0, <usize>((lMax + 1) * perL) << 3);
      f += (lMax + 1) * perL;
      continue;
    }
    const c1 = coef + <usize>(d1 * nLM) * rowBytes;
    const c2 = coef + <usize>(d2 * nLM) * rowBytes;
    for (let l = 0; l <= lMax; l++) {
      const first = <usize>(l * l) * rowBytes;
      const count = 2 * l + 1;
      const pref = f64x2.splat(Math.PI * Math.sqrt(8.0 / <f64>(2 * l + 1)));
      for (let n = 0; n < nMax; n += 2) {
        const pair = n + 1 < nMax;
        // Feature index of column j of row r: f + r·n_max + j, or in a symmetric block
        // f + (start of row r) + j − r with row r holding columns r..n_max−1.
        let base0: usize, base1: usize, lo0 = 0, lo1 = 0;
        if (symmetric) {
          const start0 = n * nMax - ((n * (n - 1)) >> 1);
          const start1 = start0 + nMax - n;
          base0 = out + (<usize>(f + start0 - n) << 3);
          base1 = out + (<usize>(f + start1 - n - 1) << 3);
          lo0 = n;
          lo1 = n + 1;
        } else {
          base0 = out + (<usize>(f + n * nMax) << 3);
          base1 = base0 + (<usize>nMax << 3);
        }
        const c1n = c1 + first + (<usize>n << 3);
        let o = symmetric ? n : 0;
        for (; o + 8 <= nMaxP; o += 8) {
          rowBlock(4, count, rowBytes, c1n, c2 + first + (<usize>o << 3), pair, pref, o, base0, lo0, base1, lo1, nMax);
        }
        const left = nMaxP - o;
        const c2o = c2 + first + (<usize>o << 3);
        if (left == 6) rowBlock(3, count, rowBytes, c1n, c2o, pair, pref, o, base0, lo0, base1, lo1, nMax);
        else if (left == 4) rowBlock(2, count, rowBytes, c1n, c2o, pair, pref, o, base0, lo0, base1, lo1, nMax);
        else if (left == 2) rowBlock(1, count, rowBytes, c1n, c2o, pair, pref, o, base0, lo0, base1, lo1, nMax);
      }
      f += perL;
    }
  }
  return f;
}
