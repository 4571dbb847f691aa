// The exp-type angular functions (types 3, 9, 13 with integer ζ) of one class and one centre,
// two neighbours k at a time (f64x2): values, and for the backward pass the contraction with
// ∂E/∂G. Same formulas as the scalar loop in symmetryFunctions.ts:
//   T = pref w (P/2)^ζ R(r_ij) R(r_ik) [R(r_jk)],  R(r) = exp(−η (r − r_s)²) f_c(r),  P = 1 + λ cos θ,
// pref = 2 (2^(1−ζ) P^ζ = 2 (P/2)^ζ: every factor after 2 w is ≤ 1, nothing goes subnormal).
// Lanes beyond a run, or beyond r_c, contribute zero through the mask and the zero factors.
import { ldf, ldi } from '../memory';
import { fmadd, hsum } from '../math/simdMath';
import { cutoff2x, gaussianFactor2x, splat } from './radialFactor2x';

/**
 * One class of one centre; returns the advanced cache cursor. Arrays are the neighbour rows of symmetryFunctions.ts (K entries,
 * row8 bytes per group row); jk/ang give the absolute group and angle indices of the class's
 * slots; scratch needs 16·(2 jkCount + 2 angCount + sfCount + 1) bytes. rowW ≠ 0: backward.
 */
export function angularClassVector(
  groups: usize, angles: usize, lists: usize, listStart: i32, jkCount: i32, angCount: i32,
  sfs: usize, sfStart: i32, sfCount: i32, groupStart: i32, weighted: bool, allNarrow: bool,
  jLo: i32, jHi: i32, kLo0: i32, kHi: i32, sameRun: bool, rcC: f64,
  sx: usize, sy: usize, sz: usize, sr: usize, ux: usize, uy: usize, uz: usize, sw: usize,
  F: usize, dF: usize, row8: usize, gx: usize, gy: usize, gz: usize,
  cutoffType: i32, cutoffAlpha: f64, rowV: usize, rowW: usize, scratch: usize, cacheMode: i32, cursor: usize,
): usize {
  const backward = rowW != 0;
  // Factor slots of a block: in scratch, or (cacheMode 1 record, 2 replay) at the cache cursor.
  const blockBytes = <usize>(2 * jkCount + 2 * angCount) << 4;
  let jkV = (scratch + 15) & ~(<usize>15);
  let jkD = jkV + (<usize>jkCount << 4);
  let angV = jkD + (<usize>jkCount << 4), angD = angV + (<usize>angCount << 4);
  const acc = angD + (<usize>angCount << 4);
  const replay = cacheMode == 2;
  // Values alone (create) need no factor derivatives.
  const needDerivatives = backward || cacheMode == 1;
  // Replay skips the factors (read from the cache) and the values.
  const jkLoop = replay ? 0 : jkCount, angLoop = replay ? 0 : angCount, sumLoop = replay ? 0 : sfCount;
  const tmp = acc + (<usize>sfCount << 4);
  const zero = splat(0.0), one = splat(1.0), half = splat(0.5);
  const rcC2 = splat(rcC * rcC);
  for (let j = jLo; j < jHi; j++) {
    const rj = ldf(sr, j);
    if (rj >= rcC) continue;
    const ax = splat(ldf(sx, j)), ay = splat(ldf(sy, j)), az = splat(ldf(sz, j));
    const ujx = splat(ldf(ux, j)), ujy = splat(ldf(uy, j)), ujz = splat(ldf(uz, j));
    const rjv = splat(rj);
    const wj = splat(weighted ? ldf(sw, j) : 1.0);
    for (let s = 0; s < sfCount; s++) v128.store(acc + (<usize>s << 4), zero);
    let gjx = zero, gjy = zero, gjz = zero;
    const kLo = sameRun ? j + 1 : kLo0;
    for (let k = kLo; k < kHi; k += 2) {
      const ko = <usize>k << 3;
      const mask = k + 1 < kHi ? one : f64x2.replace_lane(one, 1, 0.0);
      const w = f64x2.mul(mask, weighted ? f64x2.mul(wj, v128.load(sw + ko)) : one);
      const ukx = v128.load(ux + ko), uky = v128.load(uy + ko), ukz = v128.load(uz + ko);
      const cosT = fmadd(ujz, ukz, fmadd(ujy, uky, f64x2.mul(ujx, ukx)));
      const cx = f64x2.sub(v128.load(sx + ko), ax), cy = f64x2.sub(v128.load(sy + ko), ay), cz = f64x2.sub(v128.load(sz + ko), az);
      const rjk2 = fmadd(cz, cz, fmadd(cy, cy, f64x2.mul(cx, cx)));
      if (allNarrow && !v128.any_true(f64x2.lt(rjk2, rcC2))) continue;
      const rjk = f64x2.sqrt(rjk2);
      if (cacheMode != 0) {
        jkV = cursor;
        jkD = jkV + (<usize>jkCount << 4);
        angV = jkD + (<usize>jkCount << 4);
        angD = angV + (<usize>angCount << 4);
        cursor += blockBytes;
      }
      // r_jk factors of the narrow groups; one cutoff evaluation per distinct r_c.
      let rcLast = -1.0;
      let fc = zero, dfc = zero;
      for (let s = 0; s < jkLoop; s++) {
        const p = groups + (<usize>(ldi(lists, listStart + s) << 3) << 3);
        const eta = load<f64>(p, 8), rs = load<f64>(p, 16), rc = load<f64>(p, 24);
        if (rc != rcLast) {
          fc = cutoff2x(cutoffType, cutoffAlpha, rc, rjk, tmp);
          dfc = v128.load(tmp);
          rcLast = rc;
        }
        v128.store(jkV + (<usize>s << 4), gaussianFactor2x(eta, rs, rc, rjk, fc, dfc, needDerivatives, jkD + (<usize>s << 4)));
      }
      // h^ζ and ζ (λ/2) h^(ζ−1) with h = P/2 = 1/2 + (λ/2) cos θ (exactly P/2), zero where h ≤ 0.
      for (let s = 0; s < angLoop; s++) {
        const p = angles + (<usize>(ldi(lists, listStart + jkCount + s) << 3) << 3);
        const lambda = load<f64>(p, 8), zeta = load<f64>(p, 16);
        const h = fmadd(splat(0.5 * lambda), cosT, half);
        let n = <i32>load<f64>(p, 24) - 1;
        let hm1 = one, base = h;
        while (n > 0) {
          if (n & 1) hm1 = f64x2.mul(hm1, base);
          base = f64x2.mul(base, base);
          n >>= 1;
        }
        const positive = f64x2.gt(h, zero);
        v128.store(angV + (<usize>s << 4), v128.and(f64x2.mul(hm1, h), positive));
        if (needDerivatives) v128.store(angD + (<usize>s << 4), v128.and(f64x2.mul(hm1, splat(zeta * (0.5 * lambda))), positive));
      }
      let pij = zero, pik = zero, pjk = zero, pcos = zero;
      for (let s = 0; s < sfCount; s++) {
        const p = sfs + (<usize>((sfStart + s) << 3) << 3);
        const g = <usize>(<i32>load<f64>(p, 16) - groupStart);
        const Fg = F + g * row8;
        const Fj = splat(load<f64>(Fg + (<usize>j << 3))), Fk = v128.load(Fg + ko);
        const jkSlot = <i32>load<f64>(p, 40);
        const Fjk = jkSlot >= 0 ? v128.load(jkV + (<usize>jkSlot << 4)) : one;
        const angSlot = <usize>(<i32>load<f64>(p, 24));
        const A = v128.load(angV + (angSlot << 4));
        const pw = f64x2.mul(splat(load<f64>(p, 32)), w);
        const FF = f64x2.mul(Fj, Fk);
        const t = f64x2.mul(pw, f64x2.mul(FF, Fjk));
        if (!replay) {
          const ap = acc + (<usize>s << 4);
          v128.store(ap, fmadd(t, A, v128.load(ap)));
        }
        if (backward) {
          const wf = splat(ldf(rowW, <i32>load<f64>(p)));
          const dFg = dF + g * row8;
          const dFj = splat(load<f64>(dFg + (<usize>j << 3))), dFk = v128.load(dFg + ko);
          const pa = f64x2.mul(wf, f64x2.mul(pw, A));
          pij = fmadd(pa, f64x2.mul(dFj, f64x2.mul(Fk, Fjk)), pij);
          pik = fmadd(pa, f64x2.mul(Fj, f64x2.mul(dFk, Fjk)), pik);
          if (jkSlot >= 0) pjk = fmadd(pa, f64x2.mul(FF, v128.load(jkD + (<usize>jkSlot << 4))), pjk);
          pcos = fmadd(f64x2.mul(wf, t), v128.load(angD + (angSlot << 4)), pcos);
        }
      }
      if (backward) {
        const rk = v128.load(sr + ko);
        const ijk = f64x2.div(pjk, rjk);
        const cj = f64x2.div(pcos, rjv), ck = f64x2.div(pcos, rk);
        // ∂/∂d_j = p_ij u_j − (p_jk/r_jk)(d_k − d_j) + (p_cos/r_ij)(u_k − cos u_j), and for d_k likewise.
        gjx = f64x2.add(gjx, fmadd(cj, f64x2.sub(ukx, f64x2.mul(cosT, ujx)), f64x2.sub(f64x2.mul(pij, ujx), f64x2.mul(ijk, cx))));
        gjy = f64x2.add(gjy, fmadd(cj, f64x2.sub(uky, f64x2.mul(cosT, ujy)), f64x2.sub(f64x2.mul(pij, ujy), f64x2.mul(ijk, cy))));
        gjz = f64x2.add(gjz, fmadd(cj, f64x2.sub(ukz, f64x2.mul(cosT, ujz)), f64x2.sub(f64x2.mul(pij, ujz), f64x2.mul(ijk, cz))));
        const gkx = fmadd(ck, f64x2.sub(ujx, f64x2.mul(cosT, ukx)), fmadd(ijk, cx, f64x2.mul(pik, ukx)));
        const gky = fmadd(ck, f64x2.sub(ujy, f64x2.mul(cosT, uky)), fmadd(ijk, cy, f64x2.mul(pik, uky)));
        const gkz = fmadd(ck, f64x2.sub(ujz, f64x2.mul(cosT, ukz)), fmadd(ijk, cz, f64x2.mul(pik, ukz)));
        v128.store(gx + ko, f64x2.add(v128.load(gx + ko), gkx));
        v128.store(gy + ko, f64x2.add(v128.load(gy + ko), gky));
        v128.store(gz + ko, f64x2.add(v128.load(gz + ko), gkz));
      }
    }
    for (let s = 0; s < sumLoop; s++) {
      const col = <i32>load<f64>(sfs + (<usize>((sfStart + s) << 3) << 3));
      const cp = rowV + (<usize>col << 3);
      store<f64>(cp, load<f64>(cp) + hsum(v128.load(acc + (<usize>s << 4))));
    }
    if (backward) {
      const jo = <usize>j << 3;
      store<f64>(gx + jo, load<f64>(gx + jo) + hsum(gjx));
      store<f64>(gy + jo, load<f64>(gy + jo) + hsum(gjy));
      store<f64>(gz + jo, load<f64>(gz + jo) + hsum(gjz));
    }
  }
  return cursor;
}
