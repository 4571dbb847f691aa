// The edge path of the narrow exp-type angular functions (types 3 and 13 with integer ζ), used
// when every atom is a centre and a centre sees each atom at most once:
//   T = pref w P^ζ R(r_ij) R(r_ik) R(r_jk),  R(r) = exp(−η (r − r_s)²) f_c(r),  P = 1 + λ cos θ.
// R(r_jk) is a factor of the edge j → k of the full neighbour list, so it is evaluated once per
// edge and group (n2p2EdgeFactors) and looked up per triplet through a dense atom-pair table
// (n2p2PairEdges): no exponential per triplet. Values and the backward pass (contraction with
// ∂E/∂G) are separate calls over the same triplets; the lookups make recomputing cheaper than
// recording the per-triplet factors.
import { ldf, ldi, stf, sti } from '../memory';
import { exp2x, fmadd } from '../math/simdMath';
import { cutoff2x } from './angularVector';

@inline function splat(x: f64): v128 {
  return f64x2.splat(x);
}

@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/**
 * Edge factors: row e + 1 (row 0 is zeros, "no edge") holds per column c (η, r_s, r_c at
 * columns + 32 c) R_c(r_e) and R_c'(r_e)/r_e, interleaved (16 bytes per column), zero for r_e ≥ r_c.
 * tmp: 16 bytes of scratch.
 */
export function n2p2EdgeFactors(
  count: i32, disp: usize, columns: usize, nColumns: i32, cutoffType: i32, cutoffAlpha: f64, out: usize, tmp: usize,
): void {
  const rowBytes = <usize>nColumns << 4;
  memory.fill(out, 0, rowBytes);
  for (let e = 0; e < count; e += 2) {
    const e1 = e + 1 < count ? e + 1 : e;
    const x0 = ldf(disp, 3 * e), y0 = ldf(disp, 3 * e + 1), z0 = ldf(disp, 3 * e + 2);
    const x1 = ldf(disp, 3 * e1), y1 = ldf(disp, 3 * e1 + 1), z1 = ldf(disp, 3 * e1 + 2);
    const r = f64x2.replace_lane(splat(Math.sqrt(x0 * x0 + y0 * y0 + z0 * z0)), 1, Math.sqrt(x1 * x1 + y1 * y1 + z1 * z1));
    const invR = f64x2.div(splat(1.0), r);
    const row0 = out + <usize>(e + 1) * rowBytes, row1 = out + <usize>(e1 + 1) * rowBytes;
    let rcLast = -1.0;
    let fc = splat(0.0), dfc = splat(0.0);
    for (let c = 0; c < nColumns; c++) {
      const p = columns + (<usize>c << 5);
      const eta = load<f64>(p), rs = load<f64>(p, 8), rc = load<f64>(p, 16);
      if (rc != rcLast) {
        fc = cutoff2x(cutoffType, cutoffAlpha, rc, r, tmp);
        dfc = v128.load(tmp);
        rcLast = rc;
      }
      const inside = f64x2.lt(r, splat(rc));
      const d = f64x2.sub(r, splat(rs));
      const ex = exp2x(f64x2.mul(splat(-eta), f64x2.mul(d, d)));
      const v = v128.and(f64x2.mul(ex, fc), inside);
      const dv = v128.and(f64x2.mul(f64x2.mul(ex, f64x2.sub(dfc, f64x2.mul(splat(2.0 * eta), f64x2.mul(d, fc)))), invR), inside);
      const off = <usize>c << 4;
      // Lane 0 of (v, dv) to edge e, lane 1 to edge e1 (the same edge when count is odd: written last, lane 0 wins below).
      v128.store(row1 + off, v128.shuffle<f64>(v, dv, 1, 3));
      v128.store(row0 + off, v128.shuffle<f64>(v, dv, 0, 2));
    }
  }
}

/**
 * Dense edge index of atom pairs: out[a (nAtoms + 1) + b] = e + 1 for the edge e of centre a
 * (centre c is atom c) with neighbour b, 0 when b is not a neighbour; column nAtoms stays 0.
 */
export function n2p2PairEdges(nAtoms: i32, offsets: usize, index: usize, out: usize): void {
  const stride = nAtoms + 1;
  memory.fill(out, 0, (<usize>nAtoms * <usize>stride) << 2);
  for (let a = 0; a < nAtoms; a++) {
    const row = out + ((<usize>a * <usize>stride) << 2);
    const end = ldi(offsets, a + 1);
    for (let e = ldi(offsets, a); e < end; e++) sti(row, ldi(index, e), e + 1);
  }
}

/** Bytes of scratch angularClassEdges needs for a class of at most these counts (ζ ≤ MAX_DEGREE). */
export function angularEdgesScratch(jkCount: i32, angCount: i32, sfCount: i32): usize {
  const D = <usize>(MAX_DEGREE + 1);
  return ((<usize>jkCount * D * 2 + D + <usize>(2 * jkCount) + 2) << 4) + ((<usize>sfCount * D + <usize>jkCount * D) << 3) + (<usize>(3 * jkCount + 2 * sfCount + 4) << 2);
}

/** Largest ζ of the edge path: (1 + λ cos θ)^ζ is expanded in powers of cos θ, with binomial coefficients up to C(8, 4) = 70. */
export const MAX_DEGREE = 8;

/**
 * One class of one centre by the edge path (all functions of the class narrow exp-type with
 * integer 1 ≤ ζ ≤ MAX_DEGREE and |λ| ≤ 1, so P = 1 + λ cos θ ≥ 0 and P^ζ is a polynomial in cos θ):
 *   A_s(cos θ) = Σ_m C(ζ_s, m) λ_s^m cos^m θ.
 * With X_g = R_g(r_ik) R_g(r_jk) w_k and φ_g = w_j R_g(r_ij), the values are
 *   G_s += pref_s Σ_m C(ζ_s, m) λ_s^m T_gm,   T_gm = Σ_{j<k} φ_g X_g cos^m θ
 * (moments per r_jk group g), and the backward pass contracts with ∂E/∂G through one polynomial
 * per group, Q_g(c) = Σ_{s∈g} ∂E/∂G_s pref_s A_s(c), evaluated with its derivative per triplet.
 * Rows as in symmetryFunctions.ts (K entries, row8 bytes per group row); invR: 1/r_ij; atom:
 * each slot's atom (nAtoms for the padding slot). rowW = 0: values into rowV; rowW ≠ 0: ∂E/∂d
 * of the triplets into gx, gy, gz (values untouched).
 */
export function angularClassEdges(
  angles: usize, lists: usize, listStart: i32, jkCount: i32, angCount: i32,
  sfs: usize, sfStart: i32, sfCount: i32, groupStart: i32, groupEdgeColumn: usize, weighted: bool,
  jLo: i32, jHi: i32, kLo0: i32, kHi: i32, sameRun: bool, rcC: f64, cut2: f64,
  sx: usize, sy: usize, sz: usize, sr: usize, ux: usize, uy: usize, uz: usize, sw: usize, invR: usize, atom: usize,
  F: usize, dF: usize, row8: usize, gx: usize, gy: usize, gz: usize,
  rowV: usize, rowW: usize, edgeFactors: usize, edgeRowBytes: usize, pairEdges: usize, pairRowBytes: usize, scratch: usize,
): void {
  const backward = rowW != 0;
  const D = MAX_DEGREE + 1;
  // Scratch (v128): moments T[g][m], powers cos^m, φα and φβ per group; (f64) coefficients
  // per function C(ζ, m) λ^m and per group Q_g; (i32) per group edge column, row, degree; per
  // function its group and ζ.
  const moments = (scratch + 15) & ~(<usize>15);
  const powers = moments + (<usize>(jkCount * D) << 4);
  const phiA = powers + (<usize>D << 4), phiB = phiA + (<usize>jkCount << 4);
  const coef = phiB + (<usize>jkCount << 4), poly = coef + (<usize>(sfCount * D) << 3);
  const jkCol = poly + (<usize>(jkCount * D) << 3), jkRow = jkCol + (<usize>jkCount << 2), jkDeg = jkRow + (<usize>jkCount << 2);
  const sfJk = jkDeg + (<usize>jkCount << 2), sfZeta = sfJk + (<usize>sfCount << 2);
  for (let s = 0; s < jkCount; s++) {
    const g = ldi(lists, listStart + s);
    sti(jkCol, s, ldi(groupEdgeColumn, g) << 4);
    sti(jkRow, s, <i32>(<usize>(g - groupStart) * row8));
    sti(jkDeg, s, 0);
  }
  memory.fill(poly, 0, <usize>(jkCount * D) << 3);
  let maxDeg = 0;
  for (let s = 0; s < sfCount; s++) {
    const p = sfs + (<usize>((sfStart + s) << 3) << 3);
    const slot = <i32>load<f64>(p, 40);
    const a = angles + (<usize>(ldi(lists, listStart + jkCount + <i32>load<f64>(p, 24)) << 3) << 3);
    const lambda = load<f64>(a, 8);
    const zeta = <i32>load<f64>(a, 24);
    sti(sfJk, s, slot);
    sti(sfZeta, s, zeta);
    if (zeta > ldi(jkDeg, slot)) sti(jkDeg, slot, zeta);
    if (zeta > maxDeg) maxDeg = zeta;
    // C(ζ, m) λ^m, m = 0..ζ.
    const wf = backward ? load<f64>(p, 32) * ldf(rowW, <i32>load<f64>(p)) : 0.0;
    let c = 1.0;
    for (let m = 0; m <= zeta; m++) {
      stf(coef, s * D + m, c);
      if (backward) stf(poly, slot * D + m, ldf(poly, slot * D + m) + wf * c);
      c *= lambda * <f64>(zeta - m) / <f64>(m + 1);
    }
  }
  const zero = splat(0.0), one = splat(1.0);
  if (!backward) memory.fill(moments, 0, <usize>(jkCount * D) << 4);
  v128.store(powers, one);
  for (let j = jLo; j < jHi; j++) {
    const rj = ldf(sr, j);
    if (rj >= rcC) continue;
    const jo = <usize>j << 3;
    const wj = weighted ? load<f64>(sw + jo) : 1.0;
    let anyJ = false;
    for (let s = 0; s < jkCount; s++) {
      const row = <usize>ldi(jkRow, s);
      const a = wj * load<f64>(F + row + jo);
      v128.store(phiA + (<usize>s << 4), splat(a));
      let b = 0.0;
      if (backward) {
        b = wj * load<f64>(dF + row + jo);
        v128.store(phiB + (<usize>s << 4), splat(b));
      }
      if (a != 0.0 || b != 0.0) anyJ = true;
    }
    if (!anyJ) continue;
    const ax = splat(load<f64>(sx + jo)), ay = splat(load<f64>(sy + jo)), az = splat(load<f64>(sz + jo));
    const ujx = splat(load<f64>(ux + jo)), ujy = splat(load<f64>(uy + jo)), ujz = splat(load<f64>(uz + jo));
    const pairRow = pairEdges + <usize>ldi(atom, j) * pairRowBytes;
    const invRj = splat(1.0 / rj);
    let gjx = zero, gjy = zero, gjz = zero;
    const kLo = sameRun ? j + 1 : kLo0;
    for (let k = kLo; k < kHi; k += 2) {
      const ko = <usize>k << 3;
      const cx = f64x2.sub(v128.load(sx + ko), ax), cy = f64x2.sub(v128.load(sy + ko), ay), cz = f64x2.sub(v128.load(sz + ko), az);
      const rjk2 = fmadd(cz, cz, fmadd(cy, cy, f64x2.mul(cx, cx)));
      // Lanes inside the list's cutoff in r_jk (an edge found beyond it would be another image) and inside the run.
      let inside = f64x2.lt(rjk2, splat(cut2));
      if (k + 1 >= kHi) inside = f64x2.replace_lane(inside, 1, 0.0);
      if (!v128.any_true(inside)) continue;
      const edge0 = edgeFactors + <usize>load<i32>(pairRow + (<usize>ldi(atom, k) << 2)) * edgeRowBytes;
      const edge1 = edgeFactors + <usize>load<i32>(pairRow + (<usize>ldi(atom, k + 1) << 2)) * edgeRowBytes;
      const wk = weighted ? v128.load(sw + ko) : one;
      const ukx = v128.load(ux + ko), uky = v128.load(uy + ko), ukz = v128.load(uz + ko);
      const cosT = fmadd(ujz, ukz, fmadd(ujy, uky, f64x2.mul(ujx, ukx)));
      if (!backward) {
        let pw = one;
        for (let m = 1; m <= maxDeg; m++) {
          pw = f64x2.mul(pw, cosT);
          v128.store(powers + (<usize>m << 4), pw);
        }
        for (let s = 0; s < jkCount; s++) {
          const col = <usize>ldi(jkCol, s);
          const E = v128.and(v128.load64_lane(edge1 + col, v128.load64_splat(edge0 + col), 1), inside);
          const X = f64x2.mul(f64x2.mul(v128.load(phiA + (<usize>s << 4)), f64x2.mul(v128.load(F + <usize>ldi(jkRow, s) + ko), wk)), E);
          const T = moments + (<usize>(s * D) << 4);
          const deg = ldi(jkDeg, s);
          for (let m = 0; m <= deg; m++) {
            const tp = T + (<usize>m << 4);
            v128.store(tp, fmadd(X, v128.load(powers + (<usize>m << 4)), v128.load(tp)));
          }
        }
        continue;
      }
      let pij = zero, pik = zero, pjk = zero, pcos = zero;
      for (let s = 0; s < jkCount; s++) {
        const col = <usize>ldi(jkCol, s);
        const row = <usize>ldi(jkRow, s);
        const v0 = v128.load(edge0 + col), v1 = v128.load(edge1 + col);
        const E = v128.and(f64x2.mul(v128.shuffle<f64>(v0, v1, 0, 2), wk), inside);
        const Dr = v128.and(f64x2.mul(v128.shuffle<f64>(v0, v1, 1, 3), wk), inside);
        // Q_g(cos θ) and Q_g'(cos θ) by Horner's scheme.
        const Q = poly + (<usize>(s * D) << 3);
        let m = ldi(jkDeg, s);
        let q = v128.load64_splat(Q + (<usize>m << 3)), dq = zero;
        while (m > 0) {
          m--;
          dq = fmadd(dq, cosT, q);
          q = fmadd(q, cosT, v128.load64_splat(Q + (<usize>m << 3)));
        }
        const Fk = v128.load(F + row + ko);
        const FE = f64x2.mul(Fk, E);
        const a = v128.load(phiA + (<usize>s << 4));
        const t = f64x2.mul(a, q);
        pij = fmadd(f64x2.mul(v128.load(phiB + (<usize>s << 4)), q), FE, pij);
        pik = fmadd(t, f64x2.mul(v128.load(dF + row + ko), E), pik);
        pjk = fmadd(t, f64x2.mul(Fk, Dr), pjk);
        pcos = fmadd(f64x2.mul(a, dq), FE, pcos);
      }
      // ∂/∂d_j = p_ij u_j − (p_jk/r_jk)(d_k − d_j) + (p_cos/r_ij)(u_k − cos u_j), and for d_k likewise;
      // pjk already carries the 1/r_jk of the edge factor.
      const cj = f64x2.mul(pcos, invRj), ck = f64x2.mul(pcos, v128.load(invR + ko));
      gjx = f64x2.add(gjx, fmadd(cj, f64x2.sub(ukx, f64x2.mul(cosT, ujx)), f64x2.sub(f64x2.mul(pij, ujx), f64x2.mul(pjk, cx))));
      gjy = f64x2.add(gjy, fmadd(cj, f64x2.sub(uky, f64x2.mul(cosT, ujy)), f64x2.sub(f64x2.mul(pij, ujy), f64x2.mul(pjk, cy))));
      gjz = f64x2.add(gjz, fmadd(cj, f64x2.sub(ukz, f64x2.mul(cosT, ujz)), f64x2.sub(f64x2.mul(pij, ujz), f64x2.mul(pjk, cz))));
      const gkx = fmadd(ck, f64x2.sub(ujx, f64x2.mul(cosT, ukx)), fmadd(pjk, cx, f64x2.mul(pik, ukx)));
      const gky = fmadd(ck, f64x2.sub(ujy, f64x2.mul(cosT, uky)), fmadd(pjk, cy, f64x2.mul(pik, uky)));
      const gkz = fmadd(ck, f64x2.sub(ujz, f64x2.mul(cosT, ukz)), fmadd(pjk, cz, f64x2.mul(pik, ukz)));
      v128.store(gx + ko, f64x2.add(v128.load(gx + ko), gkx));
      v128.store(gy + ko, f64x2.add(v128.load(gy + ko), gky));
      v128.store(gz + ko, f64x2.add(v128.load(gz + ko), gkz));
    }
    if (backward) {
      store<f64>(gx + jo, load<f64>(gx + jo) + hsum(gjx));
      store<f64>(gy + jo, load<f64>(gy + jo) + hsum(gjy));
      store<f64>(gz + jo, load<f64>(gz + jo) + hsum(gjz));
    }
  }
  if (backward) return;
  // G_s += pref_s Σ_m C(ζ, m) λ^m T_gm.
  for (let s = 0; s < sfCount; s++) {
    const p = sfs + (<usize>((sfStart + s) << 3) << 3);
    const T = moments + (<usize>(ldi(sfJk, s) * D) << 4);
    let sum = 0.0;
    const zeta = ldi(sfZeta, s);
    for (let m = 0; m <= zeta; m++) sum += ldf(coef, s * D + m) * hsum(v128.load(T + (<usize>m << 4)));
    const cp = rowV + (<usize>(<i32>load<f64>(p)) << 3);
    store<f64>(cp, load<f64>(cp) + load<f64>(p, 32) * sum);
  }
}
