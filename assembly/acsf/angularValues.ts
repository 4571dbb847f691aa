// Values of the angular symmetry functions of one centre, two triplets per SIMD step.
//
// With a_η(r) = exp(−η r²) f_c(r) per neighbour (precomputed), a pair (j, k) of neighbours adds
//   G4: 2^{1−ζ} (1 + λ cos θ)^ζ · a_η(r_ij) a_η(r_ik) · exp(−η r_jk²) f_c(r_jk)   (if r_jk < r_c)
//   G5: 2^{1−ζ} (1 + λ cos θ)^ζ · a_η(r_ij) a_η(r_ik)
// For a fixed j and a run of k of one species (one feature block), the pairs that count are
// first packed into contiguous lists (cos θ, r_jk², a_η(r_ik)) without branches. A weight pass
// then needs one exp per distinct η and pair, and each function is one tight multiply-add loop
// with its accumulators in registers; a_η(r_ij) 2^{1−ζ} is applied once per run.
import { ldf, stf, ldi } from '../memory';
import { cutoffOfSquared2x, exp2x, fmadd } from '../math/simdMath';
import { n4, n5, nu4, nu5, pG4, pG5, pEta4, pEta5, pMap4, pMap5 } from './state';

// Scratch of the angular value pass, laid out by acsfCompute (setAngularScratch).
let cosL: usize = 0; // f64[K2]: cos θ of the packed pairs
let xL: usize = 0; // f64[K2]: r_jk² of the packed pairs
let aL: usize = 0; // f64[nuMax × K2]: a_η(r_ik) of the packed pairs
let wL: usize = 0; // f64[nuMax × K2]: G4 pair weights a_η(r_ik) exp(−η r_jk²) f_c(r_jk)
let prefS: usize = 0; // f64[n4 + n5]: 2^{1−ζ}
let zetaIntS: usize = 0; // i32[n4 + n5]: ζ as an integer or −1
let K2: usize = 0;

export function setAngularScratch(cos: usize, x: usize, a: usize, w: usize, pref: usize, zetaInt: usize, k2: usize): void {
  cosL = cos; xL = x; aL = a; wL = w; prefS = pref; zetaIntS = zetaInt; K2 = k2;
}

/** Σ_p (1 + λ cos θ_p)^ζ w_p over m (a multiple of 4) packed pairs, two accumulators. */
function sumPowers(m: i32, w: usize, lambda: f64, zeta: f64, zi: i32): f64 {
  const one = f64x2.splat(1.0), lv = f64x2.splat(lambda);
  let acc0 = f64x2.splat(0), acc1 = f64x2.splat(0);
  if (zi == 1) {
    for (let p = 0; p < m; p += 4) {
      const off = <usize>p << 3;
      acc0 = fmadd(fmadd(lv, v128.load(cosL + off), one), v128.load(w + off), acc0);
      acc1 = fmadd(fmadd(lv, v128.load(cosL + off, 16), one), v128.load(w + off, 16), acc1);
    }
  } else if (zi == 2) {
    for (let p = 0; p < m; p += 4) {
      const off = <usize>p << 3;
      const P0 = fmadd(lv, v128.load(cosL + off), one), P1 = fmadd(lv, v128.load(cosL + off, 16), one);
      acc0 = fmadd(f64x2.mul(P0, P0), v128.load(w + off), acc0);
      acc1 = fmadd(f64x2.mul(P1, P1), v128.load(w + off, 16), acc1);
    }
  } else {
    let sum = 0.0;
    for (let p = 0; p < m; p++) {
      const P = 1.0 + lambda * ldf(cosL, p);
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
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}

/** Adds the G4 (isG4) or G5 terms of the m packed pairs of centre-neighbour j to row[block…]. */
function accumulatePackedPairs(m: i32, j: i32, isG4: bool, a: usize, row: usize, block: i32, piOverRc2: v128): void {
  const nf = isG4 ? n4 : n5;
  const nu = isG4 ? nu4 : nu5;
  const pPrm = isG4 ? pG4 : pG5, pEta = isG4 ? pEta4 : pEta5, pMap = isG4 ? pMap4 : pMap5;
  const fOff = isG4 ? 0 : n4;
  // Pad to a multiple of 4 with pairs of weight zero.
  const m4 = (m + 3) & ~3;
  for (let p = m; p < m4; p++) {
    stf(cosL, p, 0.0);
    stf(xL, p, 0.0);
    for (let u = 0; u < nu; u++) stf(aL + ((<usize>u * K2) << 3), p, 0.0);
  }
  let weights = aL;
  if (isG4) {
    weights = wL;
    for (let p = 0; p < m4; p += 2) {
      const off = <usize>p << 3;
      const x = v128.load(xL + off);
      const fc = cutoffOfSquared2x(x, piOverRc2);
      for (let u = 0; u < nu; u++) {
        const rowOff = ((<usize>u * K2) << 3) + off;
        const e = exp2x(f64x2.mul(f64x2.splat(-ldf(pEta, u)), x));
        v128.store(wL + rowOff, f64x2.mul(f64x2.mul(e, fc), v128.load(aL + rowOff)));
      }
    }
  }
  for (let f = 0; f < nf; f++) {
    const prm = pPrm + (<usize>(3 * f) << 3);
    const u = ldi(pMap, f);
    const s = sumPowers(m4, weights + ((<usize>u * K2) << 3), load<f64>(prm, 16), load<f64>(prm, 8), ldi(zetaIntS, fOff + f));
    const aj = ldf(a + ((<usize>u * K2) << 3), j);
    stf(row, block + f + fOff, ldf(row, block + f + fOff) + ldf(prefS, fOff + f) * aj * s);
  }
}

/**
 * All angular values of one centre. Neighbours are sorted by species (run s ends at spStart[s]);
 * sx/sy/sz are displacements, ux/uy/uz unit vectors, a4/a5 the a_η tables (rows of K2).
 */
export function angularValues(
  nn: i32, nSpecies: i32, spStart: usize, ssp: usize,
  sx: usize, sy: usize, sz: usize, ux: usize, uy: usize, uz: usize, a4: usize, a5: usize,
  rCut: f64, row: usize, angularBase: i32, nAngular: i32,
): void {
  const rc2 = rCut * rCut;
  const piOverRc2 = f64x2.splat(Math.PI * Math.PI / rc2);
  for (let j = 0; j < nn - 1; j++) {
    const sj = ldi(ssp, j);
    const xjv = f64x2.splat(ldf(sx, j)), yjv = f64x2.splat(ldf(sy, j)), zjv = f64x2.splat(ldf(sz, j));
    const uxv = f64x2.splat(ldf(ux, j)), uyv = f64x2.splat(ldf(uy, j)), uzv = f64x2.splat(ldf(uz, j));
    for (let s = sj; s < nSpecies; s++) {
      const lo = s == sj ? j + 1 : ldi(spStart, s - 1), hi = ldi(spStart, s);
      if (hi <= lo) continue;
      const block = angularBase + (((s * (s + 1)) >> 1) + sj) * nAngular;
      if (n4 > 0) {
        // Pack the pairs with r_jk < r_c, two candidates k per step, without branches.
        let m = 0;
        for (let k = lo; k < hi; k += 2) {
          const off = <usize>k << 3;
          const dx = f64x2.sub(v128.load(sx + off), xjv);
          const dy = f64x2.sub(v128.load(sy + off), yjv);
          const dz = f64x2.sub(v128.load(sz + off), zjv);
          const x = fmadd(dz, dz, fmadd(dy, dy, f64x2.mul(dx, dx)));
          const c = fmadd(uzv, v128.load(uz + off), fmadd(uyv, v128.load(uy + off), f64x2.mul(uxv, v128.load(ux + off))));
          const keep0 = <i32>(f64x2.extract_lane(x, 0) < rc2);
          const keep1 = <i32>(f64x2.extract_lane(x, 1) < rc2) & <i32>(k + 1 < hi);
          stf(cosL, m, f64x2.extract_lane(c, 0));
          stf(xL, m, f64x2.extract_lane(x, 0));
          for (let u = 0; u < nu4; u++) {
            const rowOff = (<usize>u * K2) << 3;
            stf(aL + rowOff, m, ldf(a4 + rowOff, k));
          }
          m += keep0;
          stf(cosL, m, f64x2.extract_lane(c, 1));
          stf(xL, m, f64x2.extract_lane(x, 1));
          for (let u = 0; u < nu4; u++) {
            const rowOff = (<usize>u * K2) << 3;
            stf(aL + rowOff, m, ldf(a4 + rowOff, k + 1));
          }
          m += keep1;
        }
        if (m > 0) accumulatePackedPairs(m, j, true, a4, row, block, piOverRc2);
      }
      if (n5 > 0) {
        let m = 0;
        for (let k = lo; k < hi; k++) {
          stf(cosL, m, ldf(ux, j) * ldf(ux, k) + ldf(uy, j) * ldf(uy, k) + ldf(uz, j) * ldf(uz, k));
          for (let u = 0; u < nu5; u++) {
            const rowOff = (<usize>u * K2) << 3;
            stf(aL + rowOff, m, ldf(a5 + rowOff, k));
          }
          m++;
        }
        accumulatePackedPairs(m, j, false, a5, row, block, piOverRc2);
      }
    }
  }
}
