// Values of the angular symmetry functions of one centre, two triplets per SIMD step.
//
// With a_η(r) = exp(−η r²) f_c(r) per neighbour (precomputed), a pair (j, k) of neighbours adds
//   G4: 2^{1−ζ} (1 + λ cos θ)^ζ · a_η(r_ij) a_η(r_ik) · exp(−η r_jk²) f_c(r_jk)   (if r_jk < r_c)
//   G5: 2^{1−ζ} (1 + λ cos θ)^ζ · a_η(r_ij) a_η(r_ik)
// For one species pair (one feature block) every pair that counts is first packed into
// contiguous lists (q+, q−, r_jk², a_η(r_ij) a_η(r_ik)) without branches, q± = 2 (1 ± cos θ) =
// |û_j ± û_k|² (unit vectors), and 1 + λ cos θ = (1 − |λ|) + |λ| q±/2 (the sign of λ), both terms
// ≥ 0 for |λ| ≤ 1: no difference of O(1) numbers, so a term keeps its relative precision where
// 1 + λ cos θ ≈ 0 (nearly collinear neighbours), which 1 + λ·(û_j·û_k) would not. A weight pass then
// needs one exp per distinct η and pair, and each function is one long multiply-add loop with
// its accumulators in registers.
import { ldf, stf, ldi } from '../memory';
import { cutoffOfSquared2x, exp2x, fmadd } from '../math/simdMath';
import { n4, n5, nu4, nu5, pG4, pG5, pEta4, pEta5, pMap4, pMap5, runStart, pairBlock } from './state';

// Scratch of the angular value pass, laid out by acsfCompute (setAngularScratch).
let plusL: usize = 0; // f64[P]: q+ = 2 (1 + cos θ) of the packed pairs
let minusL: usize = 0; // f64[P]: q− = 2 (1 − cos θ) of the packed pairs
let xL: usize = 0; // f64[P]: r_jk² of the packed pairs
let aL: usize = 0; // f64[nuMax × P]: a_η(r_ij) a_η(r_ik) of the packed pairs
let wL: usize = 0; // f64[nuMax × P]: G4 pair weights a_η(r_ij) a_η(r_ik) exp(−η r_jk²) f_c(r_jk)
let prefS: usize = 0; // f64[n4 + n5]: 2^{1−ζ}
let zetaIntS: usize = 0; // i32[n4 + n5]: ζ as an integer or −1
let P: usize = 0; // capacity of the pair lists

export function setAngularScratch(plus: usize, minus: usize, x: usize, a: usize, w: usize, pref: usize, zetaInt: usize, capacity: usize): void {
  plusL = plus; minusL = minus; xL = x; aL = a; wL = w; prefS = pref; zetaIntS = zetaInt; P = capacity;
}

/** P = 1 + λ cos θ (times 2 for λ = ±1: the list itself) of the packed pairs at byte offset off. */
@inline function baseAt(off: usize, mixed: bool, list: usize, hl: v128, c0: v128): v128 {
  return mixed ? fmadd(hl, v128.load(list + off), c0) : v128.load(list + off);
}

/** Σ_p (1 + λ cos θ_p)^ζ w_p over m (a multiple of 4) packed pairs, two accumulators. */
function sumPowers(m: i32, w: usize, lambda: f64, zeta: f64, zi: i32): f64 {
  // P = (1 − |λ|) + (|λ|/2) q±; for λ = ±1 the sums take q± = 2P and are scaled by 2^{−ζ} after.
  const list = lambda >= 0 ? plusL : minusL;
  const l = Math.abs(lambda), c0 = 1.0 - l, hl = 0.5 * l;
  const mixed = c0 != 0;
  const hlv = f64x2.splat(hl), c0v = f64x2.splat(c0);
  let acc0 = f64x2.splat(0), acc1 = f64x2.splat(0);
  if (zi == 1) {
    for (let p = 0; p < m; p += 4) {
      const off = <usize>p << 3;
      acc0 = fmadd(baseAt(off, mixed, list, hlv, c0v), v128.load(w + off), acc0);
      acc1 = fmadd(baseAt(off + 16, mixed, list, hlv, c0v), v128.load(w + off, 16), acc1);
    }
  } else if (zi == 2) {
    for (let p = 0; p < m; p += 4) {
      const off = <usize>p << 3;
      const P0 = baseAt(off, mixed, list, hlv, c0v), P1 = baseAt(off + 16, mixed, list, hlv, c0v);
      acc0 = fmadd(f64x2.mul(P0, P0), v128.load(w + off), acc0);
      acc1 = fmadd(f64x2.mul(P1, P1), v128.load(w + off, 16), acc1);
    }
  } else {
    let sum = 0.0;
    for (let p = 0; p < m; p++) {
      const P = c0 + hl * ldf(list, p);
      let pw = 1.0;
      if (zi >= 0) {
        let base = P, n = zi;
        while (n > 0) {
          if (n & 1) pw *= base;
          base *= base;
          n >>= 1;
        }
      } else {
        pw = Math.pow(P, zeta);
      }
      sum += pw * ldf(w, p);
    }
    return sum;
  }
  const acc = f64x2.add(acc0, acc1);
  const sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  return mixed ? sum : sum * (zi == 1 ? 0.5 : 0.25);
}

/**
 * Adds the G4 (isG4) or G5 terms of the m packed pairs of one species pair to row[block…].
 * withJkFactor: G4 weights still lack exp(−η r_jk²) f_c(r_jk), computed here from the r_jk² list.
 */
function accumulatePackedPairs(m: i32, isG4: bool, withJkFactor: bool, row: usize, block: i32, piOverRc2: v128): void {
  const nf = isG4 ? n4 : n5;
  const nu = isG4 ? nu4 : nu5;
  const pPrm = isG4 ? pG4 : pG5, pEta = isG4 ? pEta4 : pEta5, pMap = isG4 ? pMap4 : pMap5;
  const fOff = isG4 ? 0 : n4;
  // Pad to a multiple of 4 with pairs of weight zero.
  const m4 = (m + 3) & ~3;
  for (let p = m; p < m4; p++) {
    stf(plusL, p, 0.0);
    stf(minusL, p, 0.0);
    stf(xL, p, 0.0);
    for (let u = 0; u < nu; u++) stf(aL + ((<usize>u * P) << 3), p, 0.0);
  }
  let weights = aL;
  if (isG4 && withJkFactor) {
    weights = wL;
    for (let p = 0; p < m4; p += 2) {
      const off = <usize>p << 3;
      const x = v128.load(xL + off);
      const fc = cutoffOfSquared2x(x, piOverRc2);
      for (let u = 0; u < nu; u++) {
        const rowOff = ((<usize>u * P) << 3) + off;
        const e = exp2x(f64x2.mul(f64x2.splat(-ldf(pEta, u)), x));
        v128.store(wL + rowOff, f64x2.mul(f64x2.mul(e, fc), v128.load(aL + rowOff)));
      }
    }
  }
  for (let f = 0; f < nf; f++) {
    const prm = pPrm + (<usize>(3 * f) << 3);
    const u = ldi(pMap, f);
    const s = sumPowers(m4, weights + ((<usize>u * P) << 3), load<f64>(prm, 16), load<f64>(prm, 8), ldi(zetaIntS, fOff + f));
    stf(row, block + f + fOff, ldf(row, block + f + fOff) + ldf(prefS, fOff + f) * s);
  }
}

/**
 * All angular values of one centre. Neighbours are sorted by species (run s ends at spStart[s]);
 * sx/sy/sz are displacements, ux/uy/uz unit vectors, a4/a5 the a_η tables (rows of K2).
 */
export function angularValues(
  nSpecies: i32, spStart: usize, K2: usize,
  sx: usize, sy: usize, sz: usize, ux: usize, uy: usize, uz: usize, a4: usize, a5: usize,
  rCut: f64, row: usize, angularBase: i32, nAngular: i32, doG4: bool,
): void {
  const rc2 = rCut * rCut;
  const piOverRc2 = f64x2.splat(Math.PI * Math.PI / rc2);
  for (let q = 0; q < nSpecies; q++) {
    const qLo = runStart(spStart, q), qHi = ldi(spStart, q);
    if (qHi == qLo) continue;
    for (let p = 0; p <= q; p++) {
      const pLo = runStart(spStart, p), pHi = ldi(spStart, p);
      if (pHi == pLo) continue;
      const block = pairBlock(angularBase, p, q, nAngular);
      if (n4 > 0 && doG4) {
        let m = 0;
        for (let j = pLo; j < pHi; j++) m = packPairs(m, j, p == q ? j + 1 : qLo, qHi, true, K2, sx, sy, sz, ux, uy, uz, a4, rc2);
        if (m > 0) accumulatePackedPairs(m, true, true, row, block, piOverRc2);
      }
      if (n5 > 0) {
        let m = 0;
        for (let j = pLo; j < pHi; j++) m = packPairs(m, j, p == q ? j + 1 : qLo, qHi, false, K2, sx, sy, sz, ux, uy, uz, a5, rc2);
        if (m > 0) accumulatePackedPairs(m, false, false, row, block, piOverRc2);
      }
    }
  }
}

/**
 * Appends the pairs (j, k), lo ≤ k < hi, to the lists from position m, two k per step without
 * branches; for G4 (cutoffPairs) only those with r_jk < r_c. Returns the new length.
 */
@inline function packPairs(
  m: i32, j: i32, lo: i32, hi: i32, cutoffPairs: bool, K2: usize,
  sx: usize, sy: usize, sz: usize, ux: usize, uy: usize, uz: usize, a: usize, rc2: f64,
): i32 {
  const nu = cutoffPairs ? nu4 : nu5;
  const xjv = f64x2.splat(ldf(sx, j)), yjv = f64x2.splat(ldf(sy, j)), zjv = f64x2.splat(ldf(sz, j));
  const uxv = f64x2.splat(ldf(ux, j)), uyv = f64x2.splat(ldf(uy, j)), uzv = f64x2.splat(ldf(uz, j));
  for (let k = lo; k < hi; k += 2) {
    const off = <usize>k << 3;
    // q± = 2 (1 ± cos θ) = |û_j ± û_k|².
    const kx = v128.load(ux + off), ky = v128.load(uy + off), kz = v128.load(uz + off);
    const px = f64x2.add(uxv, kx), py = f64x2.add(uyv, ky), pz = f64x2.add(uzv, kz);
    const mx = f64x2.sub(uxv, kx), my = f64x2.sub(uyv, ky), mz = f64x2.sub(uzv, kz);
    const sp = fmadd(pz, pz, fmadd(py, py, f64x2.mul(px, px)));
    const sm = fmadd(mz, mz, fmadd(my, my, f64x2.mul(mx, mx)));
    let keep0 = 1, keep1 = <i32>(k + 1 < hi);
    let x = f64x2.splat(0);
    if (cutoffPairs) {
      const dx = f64x2.sub(v128.load(sx + off), xjv);
      const dy = f64x2.sub(v128.load(sy + off), yjv);
      const dz = f64x2.sub(v128.load(sz + off), zjv);
      x = fmadd(dz, dz, fmadd(dy, dy, f64x2.mul(dx, dx)));
      keep0 = <i32>(f64x2.extract_lane(x, 0) < rc2);
      keep1 &= <i32>(f64x2.extract_lane(x, 1) < rc2);
    }
    stf(plusL, m, f64x2.extract_lane(sp, 0));
    stf(minusL, m, f64x2.extract_lane(sm, 0));
    stf(xL, m, f64x2.extract_lane(x, 0));
    for (let u = 0; u < nu; u++) {
      const au = a + ((<usize>u * K2) << 3);
      stf(aL + ((<usize>u * P) << 3), m, ldf(au, j) * ldf(au, k));
    }
    m += keep0;
    stf(plusL, m, f64x2.extract_lane(sp, 1));
    stf(minusL, m, f64x2.extract_lane(sm, 1));
    stf(xL, m, f64x2.extract_lane(x, 1));
    for (let u = 0; u < nu; u++) {
      const au = a + ((<usize>u * K2) << 3);
      stf(aL + ((<usize>u * P) << 3), m, ldf(au, j) * ldf(au, k + 1));
    }
    m += keep1;
  }
  return m;
}
