// The triangle path of the narrow exp-type angular functions (type 3, integer ζ): the radial
// factor of a triplet, X_g = R_g(r_ab) R_g(r_ac) R_g(r_bc), R_g(r) = exp(−η (r − r_s)²) f_c(r),
// is symmetric in the triangle {a, b, c}; only A = ((1 + λ cos θ_p)/2)^ζ depends on the corner p
// (with pref_s = 2: 2^(1−ζ) P^ζ = 2 (P/2)^ζ, as the per-centre paths).
// Each triangle of mutual neighbours is enumerated once (a < b < c: a's neighbour b above a,
// b's neighbours c above b that are neighbours of a too) and feeds all three corners:
//   values:   T[p][g][m] += X_g cos^m θ_p,  G_s = pref_s Σ_m 2^(−ζ_s) C(ζ_s, m) λ_s^m T[p][g(s)][m];
//   backward: with Q_{p,g}(c) = Σ_{s∈g} ∂E/∂G_{p,s} pref_s ((1 + λ_s c)/2)^ζ_s,
//     ∂E/∂r_e = Σ_g (Σ_p Q_{p,g}(cos θ_p)) ∂X_g/∂r_e + Σ_p (Σ_g X_g Q'_{p,g}(cos θ_p)) ∂cos θ_p/∂r_e
//   for the three sides e (cos θ_p by the law of cosines in the side lengths), accumulated per
//   side as s_e = (∂E/∂r_e)/r_e and turned into forces and the virial once per side.
// Tables (src/n2p2/triangleTables.ts): per element triple (A, B, C) of a < b < c at
// tri[(A E + B) E + C] an offset into `list`: nu, then per union column u (a distinct (η, r_s,
// r_c)) its column and per corner a, b, c its group's degree (−1: none) and moment offset in the
// corner atom's row of T (W f64 per atom).
import { addAtomGradient, addVirial } from '../gradients/atomGradient';
import { ldf, ldi, stf, sti } from '../memory';
import { powInteger } from '../math/powers';
import { exp2x, fmadd, hsum } from '../math/simdMath';
import { cutoff2x, power2x, splat } from './radialFactor2x';

/** Lanes p + o0 and p + o1. */
@inline function gather(p: usize, o0: usize, o1: usize): v128 {
  return v128.load64_lane(p + o1, v128.load64_splat(p + o0), 1);
}

/**
 * The half neighbour list (neighbours above each atom) by element, from n2p2SortEdgesByElement's
 * tables: atom a's neighbours of element el above a at hRun[a (E + 1) + el] up to the next entry,
 * their atom at hIdx, the list entry at hEdge (displacement d = r_b − r_a at disp + 24 hEdge) and
 * the length |d| at hR; hR[nh] = 1 and
 * hIdx[nh] = n (the padding side and atom; hIdx has nh + 1 entries). Returns nh.
 */
export function n2p2TriangleHalfList(
  n: i32, nE: i32, runStart: usize, sortedEdge: usize, sortedAtom: usize, disp: usize,
  hRun: usize, hIdx: usize, hEdge: usize, hR: usize,
): i32 {
  let h = 0;
  for (let a = 0; a < n; a++) {
    const runs = runStart + (<usize>(a * (nE + 1)) << 2);
    const splits = runStart + (<usize>(n * (nE + 1) + a * nE) << 2);
    for (let el = 0; el < nE; el++) {
      sti(hRun, a * (nE + 1) + el, h);
      for (let q = ldi(splits, el); q < ldi(runs, el + 1); q++) {
        const e = ldi(sortedEdge, q);
        const dx = ldf(disp, 3 * e), dy = ldf(disp, 3 * e + 1), dz = ldf(disp, 3 * e + 2);
        sti(hIdx, h, ldi(sortedAtom, q));
        sti(hEdge, h, e);
        stf(hR, h, Math.sqrt(dx * dx + dy * dy + dz * dz));
        h++;
      }
    }
    sti(hRun, a * (nE + 1) + nE, h);
  }
  stf(hR, h, 1.0);
  sti(hIdx, h, n);
  return h;
}

/**
 * Half edges of a full neighbour list whose centre c is atom c: the entries to atoms of index ≥ c
 * (n2p2SortEdgesByElement's split), the nh of n2p2TriangleHalfList, before its tables exist.
 */
export function n2p2TriangleHalfEdgeCount(n: i32, offsets: usize, index: usize): i32 {
  let h = 0;
  for (let a = 0; a < n; a++) {
    for (let e = ldi(offsets, a); e < ldi(offsets, a + 1); e++) h += <i32>(ldi(index, e) >= a);
  }
  return h;
}

/**
 * Per half edge (and the zero padding row nh) and column c (η, r_s, r_c, base, power at
 * columns + 64 c): R_c(r) and R_c'(r) at fac + 16 (e nCol + c) (with hL: R_c(r) only, at
 * fac + 8 (e nCol + c)), zero for r ≥ r_c; exp(−η (r − r_s)²)
 * is the base column's to the power where base ≥ 0. tmp: 16 bytes, gauss: 16 nCol bytes of scratch.
 * hL ≠ 0 (every column of one r_c): f_c'(r)/f_c(r) per half edge (0 where f_c = 0 or r ≥ r_c),
 * and (f_c, f_c') per half edge at hFc (16 bytes each).
 * Half edges [e0, eEnd) only (e0 even; the padding row with e0 = 0), so that a first run can go
 * in blocks and V8 tiers the kernel up between them; any split gives the same values.
 */
export function n2p2TriangleEdgeFactors(
  e0: i32, eEnd: i32, nh: i32, hR: usize, columns: usize, nCol: i32, cutoffType: i32, cutoffAlpha: f64, fac: usize, tmp: usize, gauss: usize, hL: usize, hFc: usize,
): void {
  // Rows of (R, R') per column, or of R only with hL.
  const rowF = <usize>(nCol << (hL != 0 ? 3 : 4));
  if (e0 == 0) {
    memory.fill(fac + <usize>nh * rowF, 0, rowF);
    if (hL != 0) store<f64>(hL + (<usize>nh << 3), 0.0);
  }
  for (let e = e0; e < eEnd; e += 2) {
    const e1 = e + 1 < eEnd ? e + 1 : e;
    const r = v128.load64_lane(hR + (<usize>e1 << 3), v128.load64_splat(hR + (<usize>e << 3)), 1);
    const row0 = fac + <usize>e * rowF, row1 = fac + <usize>e1 * rowF;
    let rcLast = -1.0;
    let fc = splat(0.0), dfc = splat(0.0);
    for (let c = 0; c < nCol; c++) {
      const p = columns + (<usize>c << 6);
      const eta = load<f64>(p), rs = load<f64>(p, 8), rc = load<f64>(p, 16), base = <i32>load<f64>(p, 24);
      if (rc != rcLast) {
        fc = cutoff2x(cutoffType, cutoffAlpha, rc, r, tmp);
        dfc = v128.load(tmp);
        rcLast = rc;
        if (hL != 0) {
          // f_c'/f_c inside where f_c ≠ 0 (near r_c a polynomial f_c may round below 0: R L = g f_c'
          // still holds), else 0 (R = 0 there).
          const l = v128.and(f64x2.div(dfc, fc), v128.and(f64x2.lt(r, splat(rc)), f64x2.ne(fc, splat(0.0))));
          store<f64>(hL + (<usize>e1 << 3), f64x2.extract_lane(l, 1));
          store<f64>(hL + (<usize>e << 3), f64x2.extract_lane(l, 0));
          // (f_c, f_c') per half edge for the radial pairs of this r_c.
          v128.store(hFc + (<usize>e1 << 4), v128.shuffle<f64>(fc, dfc, 1, 3));
          v128.store(hFc + (<usize>e << 4), v128.shuffle<f64>(fc, dfc, 0, 2));
        }
      }
      const d = f64x2.sub(r, splat(rs));
      const g = base >= 0 ? power2x(v128.load(gauss + (<usize>base << 4)), <i32>load<f64>(p, 32)) : exp2x(f64x2.mul(splat(-eta), f64x2.mul(d, d)));
      v128.store(gauss + (<usize>c << 4), g);
      const inside = f64x2.lt(r, splat(rc));
      const v = v128.and(f64x2.mul(g, fc), inside);
      const dv = v128.and(f64x2.mul(g, f64x2.sub(dfc, f64x2.mul(splat(2.0 * eta), f64x2.mul(d, fc)))), inside);
      // Lane 1 first: an odd last edge (e1 = e) keeps lane 0.
      if (hL != 0) {
        store<f64>(row1 + (<usize>c << 3), f64x2.extract_lane(v, 1));
        store<f64>(row0 + (<usize>c << 3), f64x2.extract_lane(v, 0));
        continue;
      }
      v128.store(row1 + (<usize>c << 4), v128.shuffle<f64>(v, dv, 1, 3));
      v128.store(row0 + (<usize>c << 4), v128.shuffle<f64>(v, dv, 0, 2));
    }
  }
}

/** Bytes of scratch the triangle passes need for atoms of at most maxK half neighbours. */
export function n2p2TriangleScratch(maxK: i32): usize {
  return <usize>(maxK + 4) * 80 + 64;
}

/** Bytes per candidate in the cosine block (per pair of candidates: 7 v128). */
const COS_STRIDE: usize = 56;

/**
 * Bytes of the candidate record of the values pass (read again by the backward pass) of the
 * atoms a0..a1−1: per side a → b and element C of a triple with functions, a count and at most
 * (run of b's C neighbours above b, padded to even) candidates of 2 i32. An upper bound, from
 * the run lengths (the caller reserves the record block by block, as the values pass goes).
 */
export function n2p2TriangleRecordBytes(a0: i32, a1: i32, nE: i32, elem: usize, hRun: usize, hIdx: usize, tri: usize, list: usize): f64 {
  let bytes = 0.0;
  for (let a = a0; a < a1; a++) {
    const A = ldi(elem, a);
    for (let eab = ldi(hRun, a * (nE + 1)); eab < ldi(hRun, a * (nE + 1) + nE); eab++) {
      const b = ldi(hIdx, eab);
      const B = ldi(elem, b);
      for (let C = 0; C < nE; C++) {
        if (load<i32>(list + (<usize>ldi(tri, (A * nE + B) * nE + C) << 2)) == 0) continue;
        const len = ldi(hRun, b * (nE + 1) + C + 1) - ldi(hRun, b * (nE + 1) + C);
        bytes += 4.0 + 8.0 * <f64>(len + 1);
      }
    }
  }
  return bytes;
}

/**
 * Records the candidates c of the side a → b (b's neighbours of element C above b that are
 * neighbours of a: slot[c] ≥ 0 their half edge from a), branch-free, as i32 pairs at rec: half
 * edges a → c and b → c (c is hIdx of the second); an odd count is padded with the zero row nh
 * (hIdx[nh] = n, a padding atom).
 * Returns the count (padded).
 */
@inline function scanCandidates(b: i32, C: i32, nE: i32, hRun: usize, hIdx: usize, slot: usize, nh: i32, rec: usize): i32 {
  const run = hRun + (<usize>(b * (nE + 1) + C) << 2);
  const q0 = load<i32>(run), q1 = load<i32>(run, 4);
  let np = 0;
  for (let q = q0; q < q1; q++) {
    const c = ldi(hIdx, q);
    const eac = ldi(slot, c);
    const t = rec + <usize>np * 8;
    store<i32>(t, eac);
    store<i32>(t, q, 4);
    np += <i32>(eac >= 0);
  }
  if (np & 1) {
    const t = rec + <usize>np * 8;
    store<i32>(t, nh);
    store<i32>(t, nh, 4);
    np++;
  }
  return np;
}

/**
 * Per pair of recorded candidates (7 v128, COS_STRIDE bytes per candidate at cos): cos θ_a,
 * cos θ_b, cos θ_c, 1/r_ac, 1/r_bc, r_ac, r_bc.
 */
@inline function candidateCosines(np: i32, rec: usize, hR: usize, x: f64, cos: usize): void {
  // cos θ_a = (x² + y² − z²)/(2xy), cos θ_b = (x² + z² − y²)/(2xz), cos θ_c = (y² + z² − x²)/(2yz)
  // (x = r_ab, y = r_ac, z = r_bc).
  const half = splat(0.5 / x), x2 = splat(x * x);
  for (let p = 0; p < np; p += 2) {
    const t = rec + <usize>p * 8;
    const y = gather(hR, <usize>load<i32>(t) << 3, <usize>load<i32>(t, 8) << 3);
    const z = gather(hR, <usize>load<i32>(t, 4) << 3, <usize>load<i32>(t, 12) << 3);
    const iy = f64x2.div(splat(1.0), y), iz = f64x2.div(splat(1.0), z);
    const y2 = f64x2.mul(y, y), z2 = f64x2.mul(z, z);
    const o = cos + <usize>p * COS_STRIDE;
    v128.store(o, f64x2.mul(f64x2.mul(f64x2.sub(f64x2.add(x2, y2), z2), half), iy));
    v128.store(o, f64x2.mul(f64x2.mul(f64x2.sub(f64x2.add(x2, z2), y2), half), iz), 16);
    v128.store(o, f64x2.mul(f64x2.mul(f64x2.sub(f64x2.add(y2, z2), x2), splat(0.5)), f64x2.mul(iy, iz)), 32);
    v128.store(o, iy, 48);
    v128.store(o, iz, 64);
    v128.store(o, y, 80);
    v128.store(o, z, 96);
  }
}

/** [hsum(a), hsum(b)]. */
@inline function hsum2(a: v128, b: v128): v128 {
  return f64x2.add(v128.shuffle<f64>(a, b, 0, 2), v128.shuffle<f64>(a, b, 1, 3));
}

/** T[m] += hsum(M_m), m ≤ deg ≤ 4 (two moments per v128 add). */
@inline function addMoments(t: usize, deg: i32, m0: v128, m1: v128, m2: v128, m3: v128, m4: v128): void {
  if (deg == 0) {
    store<f64>(t, load<f64>(t) + hsum(m0));
    return;
  }
  v128.store(t, f64x2.add(v128.load(t), hsum2(m0, m1)));
  if (deg == 2) store<f64>(t, load<f64>(t, 16) + hsum(m2), 16);
  if (deg >= 3) v128.store(t, f64x2.add(v128.load(t, 16), hsum2(m2, m3)), 16);
  if (deg >= 4) store<f64>(t, load<f64>(t, 32) + hsum(m4), 32);
}

/** T[m] += X c^m, m ≤ deg. */
@inline function scatterMoments(t: usize, deg: i32, X: f64, c: f64): void {
  if (deg == 1) {
    store<f64>(t, load<f64>(t) + X);
    store<f64>(t, load<f64>(t, 8) + X * c, 8);
    return;
  }
  if (deg == 4) {
    const c2 = c * c, Xc = X * c;
    store<f64>(t, load<f64>(t) + X);
    store<f64>(t, load<f64>(t, 8) + Xc, 8);
    store<f64>(t, load<f64>(t, 16) + X * c2, 16);
    store<f64>(t, load<f64>(t, 24) + Xc * c2, 24);
    store<f64>(t, load<f64>(t, 32) + X * (c2 * c2), 32);
    return;
  }
  let v = X;
  store<f64>(t, load<f64>(t) + v);
  for (let m = 1; m <= deg; m++) {
    v *= c;
    store<f64>(t + (<usize>m << 3), load<f64>(t + (<usize>m << 3)) + v);
  }
}

/**
 * T0[m] += X₀ c₀^m and T1[m] += X₁ c₁^m (lanes 0 and 1 of X and c), m ≤ deg: two moments of a
 * lane per v128 add, a last odd one per lane.
 */
@inline function scatterMoments2(t0: usize, t1: usize, deg: i32, X: v128, c: v128): void {
  const c2 = f64x2.mul(c, c);
  let e = X;
  let m = 0;
  while (m < deg) {
    const f = f64x2.mul(e, c);
    const o = <usize>m << 3;
    v128.store(t0 + o, f64x2.add(v128.load(t0 + o), v128.shuffle<f64>(e, f, 0, 2)));
    v128.store(t1 + o, f64x2.add(v128.load(t1 + o), v128.shuffle<f64>(e, f, 1, 3)));
    e = f64x2.mul(e, c2);
    m += 2;
  }
  if (m == deg) {
    const o = <usize>m << 3;
    store<f64>(t0 + o, load<f64>(t0 + o) + f64x2.extract_lane(e, 0));
    store<f64>(t1 + o, load<f64>(t1 + o) + f64x2.extract_lane(e, 1));
  }
}

/**
 * Moments T (W f64 per atom and one padding row, zeroed by the caller) of the triangles whose
 * first atom (the one whose half list holds the other two) is in a0..a1−1: the caller runs the
 * atoms in blocks, so that a first call runs the later blocks in V8's optimised tier (V8 swaps a
 * wasm function's code between calls only). slot: n + 1 i32, all −1 (left so). hRun, hIdx, hR: n2p2TriangleHalfList's; fac:
 * n2p2TriangleEdgeFactors'. scratch: n2p2TriangleScratch(maxK) bytes. The candidates of each side
 * and element C are recorded from `record` on (n2p2TriangleRecordBytes of a0..a1−1; the backward pass reads
 * them in the same order instead of searching again); returns the record's end.
 */
export function n2p2TriangleValues(
  a0: i32, a1: i32, n: i32, nE: i32, elem: usize, hRun: usize, hIdx: usize, hR: usize, fac: usize, nCol: i32, nh: i32,
  tri: usize, list: usize, W: i32, T: usize, slot: usize, scratch: usize, maxK: i32, record: usize, rOnly: bool,
): usize {
  // fac rows: (R, R') per column, or R only (n2p2TriangleEdgeFactors with hL).
  const colShift: usize = rOnly ? 3 : 4;
  const rowF = <usize>nCol << colShift;
  const cos = (scratch + 15) & ~(<usize>15);
  const cC = cos + <usize>(maxK + 2) * COS_STRIDE, cAC = cC + (<usize>(maxK + 2) << 2), cBC = cAC + (<usize>(maxK + 2) << 2);
  const zero = splat(0.0);
  for (let a = a0; a < a1; a++) {
    const aS = ldi(hRun, a * (nE + 1)), aE = ldi(hRun, a * (nE + 1) + nE);
    for (let e = aS; e < aE; e++) sti(slot, ldi(hIdx, e), e);
    const A = ldi(elem, a);
    const rowA = T + (<usize>(a * W) << 3);
    for (let eab = aS; eab < aE; eab++) {
      const b = ldi(hIdx, eab);
      const B = ldi(elem, b);
      const x = ldf(hR, eab);
      const rowB = T + (<usize>(b * W) << 3);
      const fab = fac + <usize>eab * rowF;
      for (let C = 0; C < nE; C++) {
        let p = list + (<usize>ldi(tri, (A * nE + B) * nE + C) << 2);
        const nu = load<i32>(p);
        if (nu == 0) continue;
        const rec = record + 4;
        const np = scanCandidates(b, C, nE, hRun, hIdx, slot, nh, rec);
        store<i32>(record, np);
        record = rec + <usize>np * 8;
        if (np == 0) continue;
        candidateCosines(np, rec, hR, x, cos);
        // Byte offsets: the factor rows of a → c and b → c, the moment row of c.
        for (let q = 0; q < np; q++) {
          const t = rec + <usize>q * 8;
          sti(cC, q, ldi(hIdx, load<i32>(t, 4)) * W << 3);
          sti(cAC, q, load<i32>(t) * <i32>rowF);
          sti(cBC, q, load<i32>(t, 4) * <i32>rowF);
        }
        p += 4;
        for (let u = 0; u < nu; u++) {
          const col = <usize>load<i32>(p) << colShift;
          const degA = load<i32>(p, 4), tA = rowA + (<usize>load<i32>(p, 8) << 3);
          const degB = load<i32>(p, 12), tB = rowB + (<usize>load<i32>(p, 16) << 3);
          const degC = load<i32>(p, 20), tC = <usize>load<i32>(p, 24) << 3;
          p += 28;
          const rab = v128.load64_splat(fab + col);
          const fc = fac + col;
          let a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero;
          let b0 = zero, b1 = zero, b2 = zero, b3 = zero, b4 = zero;
          for (let q = 0; q < np; q += 2) {
            const X = f64x2.mul(f64x2.mul(rab, gather(fc, <usize>ldi(cAC, q), <usize>ldi(cAC, q + 1))),
              gather(fc, <usize>ldi(cBC, q), <usize>ldi(cBC, q + 1)));
            const o = cos + <usize>q * COS_STRIDE;
            // Corners a and b: moments in registers (degree ≤ 4), else per lane into the row.
            if (degA > 4) {
              const c = v128.load(o);
              scatterMoments(tA, degA, f64x2.extract_lane(X, 0), f64x2.extract_lane(c, 0));
              scatterMoments(tA, degA, f64x2.extract_lane(X, 1), f64x2.extract_lane(c, 1));
            } else if (degA >= 0) {
              const c = v128.load(o);
              a0 = f64x2.add(a0, X);
              const Xc = f64x2.mul(X, c);
              a1 = f64x2.add(a1, Xc);
              if (degA >= 2) {
                const c2 = f64x2.mul(c, c);
                a2 = fmadd(X, c2, a2);
                a3 = fmadd(Xc, c2, a3);
                a4 = fmadd(X, f64x2.mul(c2, c2), a4);
              }
            }
            if (degB > 4) {
              const c = v128.load(o, 16);
              scatterMoments(tB, degB, f64x2.extract_lane(X, 0), f64x2.extract_lane(c, 0));
              scatterMoments(tB, degB, f64x2.extract_lane(X, 1), f64x2.extract_lane(c, 1));
            } else if (degB >= 0) {
              const c = v128.load(o, 16);
              b0 = f64x2.add(b0, X);
              const Xc = f64x2.mul(X, c);
              b1 = f64x2.add(b1, Xc);
              if (degB >= 2) {
                const c2 = f64x2.mul(c, c);
                b2 = fmadd(X, c2, b2);
                b3 = fmadd(Xc, c2, b3);
                b4 = fmadd(X, f64x2.mul(c2, c2), b4);
              }
            }
            if (degC >= 0) scatterMoments2(T + <usize>ldi(cC, q) + tC, T + <usize>ldi(cC, q + 1) + tC, degC, X, v128.load(o, 32));
          }
          if (degA >= 0 && degA <= 4) addMoments(tA, degA, a0, a1, a2, a3, a4);
          if (degB >= 0 && degB <= 4) addMoments(tB, degB, b0, b1, b2, b3, b4);
        }
      }
    }
    for (let e = aS; e < aE; e++) sti(slot, ldi(hIdx, e), -1);
  }
  return record;
}

/**
 * G_s += pref_s Σ_m 2^(−ζ_s) C(ζ_s, m) λ_s^m T[atom][tOff_s + m] for each atom's angular functions, or
 * (dEdG ≠ 0) the coefficients of Q: Qc[atom][tOff_s + m] += ∂E/∂G_s pref_s 2^(−ζ_s) C(ζ_s, m) λ_s^m
 * (the rows of atoms a0..a1 zeroed first: Q replaces their moments). Atoms a0..a1. sfRows: f64 rows (column, tOff, ζ, pref, λ);
 * elementSf: i32 per element its first row and count.
 */
export function n2p2TriangleMoments(
  a0: i32, a1: i32, elem: usize, sfRows: usize, elementSf: usize, W: i32, T: usize, values: usize, nFeatures: i32, dEdG: usize,
): void {
  if (dEdG != 0) memory.fill(T + (<usize>(a0 * W) << 3), 0, <usize>((a1 - a0) * W) << 3);
  for (let a = a0; a < a1; a++) {
    const el = ldi(elem, a);
    const row = T + (<usize>(a * W) << 3);
    const first = ldi(elementSf, 2 * el), count = ldi(elementSf, 2 * el + 1);
    for (let s = first; s < first + count; s++) {
      const p = sfRows + <usize>s * 40;
      const column = <i32>load<f64>(p), t = row + (<usize>(<i32>load<f64>(p, 8)) << 3);
      const zeta = <i32>load<f64>(p, 16), pref = load<f64>(p, 24), lambda = load<f64>(p, 32);
      const at = <usize>(a * nFeatures + column) << 3;
      const w = dEdG != 0 ? load<f64>(dEdG + at) * pref : 0.0;
      // 2^(−ζ) is exact: the rounding of C(ζ, m) λ^m scaled.
      let c = powInteger(0.5, zeta), sum = 0.0;
      for (let m = 0; m <= zeta; m++) {
        const tm = t + (<usize>m << 3);
        if (dEdG != 0) store<f64>(tm, load<f64>(tm) + w * c);
        else sum += c * load<f64>(tm);
        c *= lambda * <f64>(zeta - m) / <f64>(m + 1);
      }
      if (dEdG == 0) store<f64>(values + at, load<f64>(values + at) + pref * sum);
    }
  }
}

/** The coefficient at p for both lanes (`shared`), or lane 1's o1 bytes after lane 0's. */
@inline function coefficient(p: usize, o1: usize, shared: bool): v128 {
  return shared ? v128.load64_splat(p) : gather(p, 0, o1);
}

/**
 * Q(c) and Q'(c) (coefficients at t + 8m, Q' to dq) by Horner's scheme; degrees 1 and 4
 * unrolled. Lane 1's coefficients are o1 bytes after lane 0's, or the same (`shared`, a constant
 * at each call site).
 */
@inline function horner(t: usize, o1: usize, shared: bool, deg: i32, c: v128, dq: usize): v128 {
  if (deg == 1) {
    const q1 = coefficient(t + 8, o1, shared);
    v128.store(dq, q1);
    return fmadd(q1, c, coefficient(t, o1, shared));
  }
  if (deg == 4) {
    const q4 = coefficient(t + 32, o1, shared);
    let q = fmadd(q4, c, coefficient(t + 24, o1, shared));
    let d = fmadd(q4, c, q);
    q = fmadd(q, c, coefficient(t + 16, o1, shared));
    d = fmadd(d, c, q);
    q = fmadd(q, c, coefficient(t + 8, o1, shared));
    d = fmadd(d, c, q);
    v128.store(dq, d);
    return fmadd(q, c, coefficient(t, o1, shared));
  }
  let m = deg;
  let q = coefficient(t + (<usize>m << 3), o1, shared), d = splat(0.0);
  while (m > 0) {
    m--;
    d = fmadd(d, c, q);
    q = fmadd(q, c, coefficient(t + (<usize>m << 3), o1, shared));
  }
  v128.store(dq, d);
  return q;
}

/**
 * Backward: per half edge e, s_e = (∂E/∂r_e)/r_e added at hS (nh + 1 f64, zeroed by the
 * caller) from the triangles of first atom a0..a1−1; Qc: n2p2TriangleMoments' coefficients;
 * the candidates from n2p2TriangleValues' record, read from `record` on (returns its end).
 * hL ≠ 0 (all columns of one cutoff): f_c'/f_c per half edge and fac of R only
 * (n2p2TriangleEdgeFactors), and `columns` their 2η and 2η r_s. Other arguments as n2p2TriangleValues'.
 */
export function n2p2TriangleBackward(
  a0: i32, a1: i32, n: i32, nE: i32, elem: usize, hRun: usize, hIdx: usize, hR: usize, fac: usize, nCol: i32, nh: i32,
  tri: usize, list: usize, W: i32, Qc: usize, scratch: usize, maxK: i32, hS: usize, record: usize, columns: usize, hL: usize,
): usize {
  const rowF = <usize>(nCol << (hL != 0 ? 3 : 4));
  const cos = (scratch + 15) & ~(<usize>15);
  const dqp = cos + <usize>(maxK + 2) * COS_STRIDE;
  const zero = splat(0.0);
  for (let a = a0; a < a1; a++) {
    const aS = ldi(hRun, a * (nE + 1)), aE = ldi(hRun, a * (nE + 1) + nE);
    const A = ldi(elem, a);
    const rowA = Qc + (<usize>(a * W) << 3);
    for (let eab = aS; eab < aE; eab++) {
      const b = ldi(hIdx, eab);
      const B = ldi(elem, b);
      const x = ldf(hR, eab);
      const ix = 1.0 / x;
      const ixv = splat(ix), xv = splat(x);
      const rowB = Qc + (<usize>(b * W) << 3);
      const fab = fac + <usize>eab * rowF;
      const lab = hL != 0 ? v128.load64_splat(hL + (<usize>eab << 3)) : zero;
      let sAB = zero;
      for (let C = 0; C < nE; C++) {
        const p0 = list + (<usize>ldi(tri, (A * nE + B) * nE + C) << 2);
        const nu = load<i32>(p0);
        if (nu == 0) continue;
        const rec = record + 4;
        const np = load<i32>(record);
        record = rec + <usize>np * 8;
        candidateCosines(np, rec, hR, x, cos);
        for (let q = 0; q < np; q += 2) {
          const o = cos + <usize>q * COS_STRIDE;
          const cA = v128.load(o), cB = v128.load(o, 16), cCv = v128.load(o, 32), iy = v128.load(o, 48), iz = v128.load(o, 64);
          const t = rec + <usize>q * 8;
          const eac0 = load<i32>(t), eac1 = load<i32>(t, 8), ebc0 = load<i32>(t, 4), ebc1 = load<i32>(t, 12);
          // Lane 1 at a byte distance from lane 0 (wrapping when below it).
          const fac0 = fac + <usize>eac0 * rowF, fac1 = <usize>(eac1 - eac0) * rowF;
          const fbc0 = fac + <usize>ebc0 * rowF, fbc1 = <usize>(ebc1 - ebc0) * rowF;
          const c0 = ldi(hIdx, ebc0);
          const rowC0 = Qc + (<usize>(c0 * W) << 3), rowC1 = <usize>((ldi(hIdx, ebc1) - c0) * W) << 3;
          // gX, gY, gZ: ∂E/∂r_ab, r_ac, r_bc; pA, pB, pC: Σ_g X_g Q'_{p,g}(cos θ_p).
          let gX = zero, gY = zero, gZ = zero, pA = zero, pB = zero, pC = zero;
          let p = p0 + 4;
          // One cutoff for all columns: R'/R = L(r) − 2η (r − r_s) with L = f_c'/f_c per side, so
          // Σ_g w_g ∂X_g/∂r = L(r) S0 − r S1 + S2 with S0 = Σ w_g X_g, S1 = Σ 2η_g w_g X_g,
          // S2 = Σ 2η_g r_s,g w_g X_g (only R of each side is read).
          if (hL != 0) {
            let s0 = zero, s1 = zero, s2 = zero;
            for (let u = 0; u < nu; u++) {
              const column = <usize>load<i32>(p);
              const col = column << 3;
              const degA = load<i32>(p, 4), tA = rowA + (<usize>load<i32>(p, 8) << 3);
              const degB = load<i32>(p, 12), tB = rowB + (<usize>load<i32>(p, 16) << 3);
              const degC = load<i32>(p, 20), tC = rowC0 + (<usize>load<i32>(p, 24) << 3);
              p += 28;
              const X = f64x2.mul(f64x2.mul(v128.load64_splat(fab + col), gather(fac0 + col, 0, fac1)), gather(fbc0 + col, 0, fbc1));
              let w = zero;
              if (degA >= 0) {
                w = horner(tA, 0, true, degA, cA, dqp);
                pA = fmadd(X, v128.load(dqp), pA);
              }
              if (degB >= 0) {
                w = f64x2.add(w, horner(tB, 0, true, degB, cB, dqp));
                pB = fmadd(X, v128.load(dqp), pB);
              }
              if (degC >= 0) {
                w = f64x2.add(w, horner(tC, rowC1, false, degC, cCv, dqp));
                pC = fmadd(X, v128.load(dqp), pC);
              }
              const wX = f64x2.mul(w, X);
              const eta = columns + (column << 6);
              s0 = f64x2.add(s0, wX);
              s1 = fmadd(v128.load64_splat(eta, 40), wX, s1);
              s2 = fmadd(v128.load64_splat(eta, 48), wX, s2);
            }
            const y = v128.load(o, 80), z = v128.load(o, 96);
            gX = f64x2.add(f64x2.sub(f64x2.mul(lab, s0), f64x2.mul(xv, s1)), s2);
            gY = f64x2.add(f64x2.sub(f64x2.mul(gather(hL, <usize>eac0 << 3, <usize>eac1 << 3), s0), f64x2.mul(y, s1)), s2);
            gZ = f64x2.add(f64x2.sub(f64x2.mul(gather(hL, <usize>ebc0 << 3, <usize>ebc1 << 3), s0), f64x2.mul(z, s1)), s2);
          } else for (let u = 0; u < nu; u++) {
            const col = <usize>load<i32>(p) << 4;
            const degA = load<i32>(p, 4), tA = rowA + (<usize>load<i32>(p, 8) << 3);
            const degB = load<i32>(p, 12), tB = rowB + (<usize>load<i32>(p, 16) << 3);
            const degC = load<i32>(p, 20), tC = rowC0 + (<usize>load<i32>(p, 24) << 3);
            p += 28;
            const rab = v128.load64_splat(fab + col), drab = v128.load64_splat(fab + col, 8);
            // (R, R') of each lane's side, transposed to R and R' per lane pair.
            const ac0 = v128.load(fac0 + col), ac1 = v128.load(fac0 + col + fac1);
            const bc0 = v128.load(fbc0 + col), bc1 = v128.load(fbc0 + col + fbc1);
            const rac = v128.shuffle<f64>(ac0, ac1, 0, 2), drac = v128.shuffle<f64>(ac0, ac1, 1, 3);
            const rbc = v128.shuffle<f64>(bc0, bc1, 0, 2), drbc = v128.shuffle<f64>(bc0, bc1, 1, 3);
            const racbc = f64x2.mul(rac, rbc);
            const X = f64x2.mul(rab, racbc);
            // w = Σ_p Q_{p,g}(cos θ_p).
            let w = zero;
            if (degA >= 0) {
              w = horner(tA, 0, true, degA, cA, dqp);
              pA = fmadd(X, v128.load(dqp), pA);
            }
            if (degB >= 0) {
              w = f64x2.add(w, horner(tB, 0, true, degB, cB, dqp));
              pB = fmadd(X, v128.load(dqp), pB);
            }
            if (degC >= 0) {
              w = f64x2.add(w, horner(tC, rowC1, false, degC, cCv, dqp));
              pC = fmadd(X, v128.load(dqp), pC);
            }
            gX = fmadd(f64x2.mul(w, drab), racbc, gX);
            const wab = f64x2.mul(w, rab);
            gY = fmadd(f64x2.mul(wab, drac), rbc, gY);
            gZ = fmadd(f64x2.mul(wab, rac), drbc, gZ);
          }
          // ∂cos θ_a/∂(x, y, z) = (1/y − cos θ_a/x, 1/x − cos θ_a/y, −z/(xy)), θ_b and θ_c likewise.
          const y = v128.load(o, 80), z = v128.load(o, 96);
          gX = f64x2.add(gX, f64x2.sub(
            f64x2.add(f64x2.mul(pA, f64x2.sub(iy, f64x2.mul(cA, ixv))), f64x2.mul(pB, f64x2.sub(iz, f64x2.mul(cB, ixv)))),
            f64x2.mul(f64x2.mul(pC, xv), f64x2.mul(iy, iz))));
          gY = f64x2.add(gY, f64x2.add(
            f64x2.sub(f64x2.mul(pA, f64x2.sub(ixv, f64x2.mul(cA, iy))), f64x2.mul(f64x2.mul(pB, y), f64x2.mul(ixv, iz))),
            f64x2.mul(pC, f64x2.sub(iz, f64x2.mul(cCv, iy)))));
          gZ = f64x2.add(gZ, f64x2.add(
            f64x2.sub(f64x2.mul(pB, f64x2.sub(ixv, f64x2.mul(cB, iz))), f64x2.mul(f64x2.mul(pA, z), f64x2.mul(ixv, iy))),
            f64x2.mul(pC, f64x2.sub(iy, f64x2.mul(cCv, iz)))));
          sAB = f64x2.add(sAB, gX);
          const sY = f64x2.mul(gY, iy), sZ = f64x2.mul(gZ, iz);
          // The padding lane adds 0 to row nh.
          const h0 = hS + (<usize>eac0 << 3), h1 = hS + (<usize>eac1 << 3);
          store<f64>(h0, load<f64>(h0) + f64x2.extract_lane(sY, 0));
          store<f64>(h1, load<f64>(h1) + f64x2.extract_lane(sY, 1));
          const k0 = hS + (<usize>ebc0 << 3), k1 = hS + (<usize>ebc1 << 3);
          store<f64>(k0, load<f64>(k0) + f64x2.extract_lane(sZ, 0));
          store<f64>(k1, load<f64>(k1) + f64x2.extract_lane(sZ, 1));
        }
      }
      const hab = hS + (<usize>eab << 3);
      store<f64>(hab, load<f64>(hab) + hsum(sAB) * ix);
    }
  }
  return record;
}

/**
 * ∂E/∂r added to grad (3 per atom) and Σ_e s_e d_e ⊗ d_e to virial (9) from the half edges' s_e
 * (d_e: the list's displacement of entry hEdge[e]).
 */
export function n2p2TriangleEdgeForces(n: i32, nE: i32, hRun: usize, hIdx: usize, hEdge: usize, disp: usize, hS: usize, grad: usize, virial: usize): void {
  let xx = 0.0, xy = 0.0, xz = 0.0, yy = 0.0, yz = 0.0, zz = 0.0;
  for (let a = 0; a < n; a++) {
    let ax = 0.0, ay = 0.0, az = 0.0;
    for (let e = ldi(hRun, a * (nE + 1)); e < ldi(hRun, a * (nE + 1) + nE); e++) {
      const s = ldf(hS, e);
      const d = ldi(hEdge, e);
      const dx = ldf(disp, 3 * d), dy = ldf(disp, 3 * d + 1), dz = ldf(disp, 3 * d + 2);
      const gx = s * dx, gy = s * dy, gz = s * dz;
      ax += gx; ay += gy; az += gz;
      addAtomGradient(grad, ldi(hIdx, e), gx, gy, gz);
      xx += dx * gx; xy += dx * gy; xz += dx * gz; yy += dy * gy; yz += dy * gz; zz += dz * gz;
    }
    addAtomGradient(grad, a, -ax, -ay, -az);
  }
  addVirial(virial, xx, xy, xz, xy, yy, yz, xz, yz, zz);
}
