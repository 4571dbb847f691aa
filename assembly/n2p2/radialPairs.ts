// The radial functions (type 2) by pairs, on the triangle path's half list: per half edge a → b
// and distinct (η, r_s, r_c) of a's functions towards b's element and b's towards a's,
// R(r) = exp(−η (r − r_s)²) f_c(r) is evaluated once and serves both atoms:
//   values:   G_{a,s} += R(r_ab),  G_{b,s'} += R(r_ab);
//   backward: s_ab += (∂E/∂G_{a,s} + ∂E/∂G_{b,s'}) R'(r_ab) / r_ab
// (s_e = (∂E/∂r_e)/r_e per half edge, turned into forces by n2p2TriangleEdgeForces).
// Rows (src/n2p2/triangleTables.ts packRadialPairs): f64 (η, r_s, r_c, column of a or −1,
// column of b or −1, base row or −1, power, 0) by r_c, r_s, η (a row with a base reuses its
// exp(−η_b d²)^power = exp(−η d²)); runs: i32 per ordered element pair (A, B) first row and count.
import { ldi } from '../memory';
import { exp2x, fmadd, hsum } from '../math/simdMath';
import { cutoff2x, power2x, splat } from './radialFactor2x';

/**
 * Radial values added to `values` (nFeatures per atom; dEdG = 0), or (dEdG ≠ 0) the backward
 * pass: s_e added at hS. Edges in pairs of one atom's run of one neighbour element (an odd last
 * edge as lane 0 with lane 1 weighted 0). hRun, hIdx, hR: n2p2TriangleHalfList's. tmp: 16 bytes;
 * gauss: n2p2TrianglePairRadialScratch bytes. hFc ≠ 0: (f_c, f_c') per half edge at r_c = rcFc
 * (n2p2TriangleEdgeFactors), used by the rows of that r_c. dR: R' per pair of
 * edges and row (v128), written by the values pass and read by the backward pass
 * (n2p2TrianglePairRadialBytes), from atom a0's records on; the half edges of atoms a0..a1−1 are
 * done (the caller runs blocks of atoms, see n2p2TriangleValues) and the records' end is returned.
 */
export function n2p2TrianglePairRadial(
  a0: i32, a1: i32, n: i32, nE: i32, elem: usize, hRun: usize, hIdx: usize, hR: usize, rows: usize, runs: usize,
  cutoffType: i32, cutoffAlpha: f64, values: usize, nFeatures: i32, dEdG: usize, hS: usize, tmp: usize, gauss: usize, dR: usize,
  hFc: usize, rcFc: f64,
): usize {
  let record = dR;
  const rowBytes = <usize>nFeatures << 3;
  const backward = dEdG != 0;
  for (let a = a0; a < a1; a++) {
    const A = ldi(elem, a);
    const rowA = (backward ? dEdG : values) + <usize>a * rowBytes;
    for (let B = 0; B < nE; B++) {
      const count = ldi(runs, 2 * (A * nE + B) + 1);
      if (count == 0) continue;
      const first = rows + (<usize>ldi(runs, 2 * (A * nE + B)) << 6);
      const q0 = ldi(hRun, a * (nE + 1) + B), q1 = ldi(hRun, a * (nE + 1) + B + 1);
      if (!backward) {
        record = radialValues(q0, q1, count, first, hIdx, hR, cutoffType, cutoffAlpha, rowA, values, rowBytes, tmp, gauss, record, hFc, rcFc);
        continue;
      }
      record = radialBackward(q0, q1, count, first, hIdx, hR, rowA, dEdG, rowBytes, hS, gauss, record);
    }
  }
  return record;
}

/**
 * The values of one run of half edges q0..q1−1 (atom a's neighbours of one element) for its
 * `count` rows at `first`, row by row over the run's pairs of edges (so that a's sum stays in
 * a register and each row's constants are read once): R' recorded per pair and row at record
 * (pair-major, as the backward pass reads it); returns the record's end. gauss: 16 bytes per
 * row and pair, then 48 per pair (r, f_c, f_c').
 */
function radialValues(
  q0: i32, q1: i32, count: i32, first: usize, hIdx: usize, hR: usize, cutoffType: i32, cutoffAlpha: f64,
  rowA: usize, values: usize, rowBytes: usize, tmp: usize, gauss: usize, record: usize, hFc: usize, rcFc: f64,
): usize {
  const nPairs = (q1 - q0 + 1) >> 1;
  const pairBytes = <usize>nPairs << 4;
  const rS = gauss + <usize>count * pairBytes, fcS = rS + pairBytes, dfcS = fcS + pairBytes;
  const rowStride = <usize>count << 4;
  for (let p = 0; p < nPairs; p++) {
    const e = q0 + 2 * p, e1 = e + 1 < q1 ? e + 1 : e;
    v128.store(rS + (<usize>p << 4), v128.load64_lane(hR + (<usize>e1 << 3), v128.load64_splat(hR + (<usize>e << 3)), 1));
  }
  let rcLast = -1.0;
  for (let k = 0; k < count; k++) {
    const row = first + (<usize>k << 6);
    const eta = load<f64>(row), rs = load<f64>(row, 8), rc = load<f64>(row, 16);
    const ca = <i32>load<f64>(row, 24), cb = <i32>load<f64>(row, 32), base = <i32>load<f64>(row, 40), power = <i32>load<f64>(row, 48);
    if (rc != rcLast) {
      for (let p = 0; p < nPairs; p++) {
        const o = <usize>p << 4;
        if (hFc != 0 && rc == rcFc) {
          // The triangle path's edge factors have them (the same cutoff2x lane by lane).
          const e = q0 + 2 * p, e1 = e + 1 < q1 ? e + 1 : e;
          const f0 = v128.load(hFc + (<usize>e << 4)), f1 = v128.load(hFc + (<usize>e1 << 4));
          v128.store(fcS + o, v128.shuffle<f64>(f0, f1, 0, 2));
          v128.store(dfcS + o, v128.shuffle<f64>(f0, f1, 1, 3));
          continue;
        }
        v128.store(fcS + o, cutoff2x(cutoffType, cutoffAlpha, rc, v128.load(rS + o), tmp));
        v128.store(dfcS + o, v128.load(tmp));
      }
      rcLast = rc;
    }
    const gk = gauss + <usize>k * pairBytes, gb = gauss + <usize>base * pairBytes;
    const rsv = splat(rs), etav = splat(-eta), eta2 = splat(2.0 * eta), rcv = splat(rc);
    let sumA = splat(0.0);
    for (let p = 0; p < nPairs; p++) {
      const o = <usize>p << 4;
      const r = v128.load(rS + o), fc = v128.load(fcS + o);
      // exp(−η d²), d = r − r_s: a power of an earlier row's, or exp; kept for later rows.
      const d = f64x2.sub(r, rsv);
      const g = base >= 0 ? power2x(v128.load(gb + o), power) : exp2x(f64x2.mul(etav, f64x2.mul(d, d)));
      v128.store(gk + o, g);
      const inside = f64x2.lt(r, rcv);
      // R' = exp(−η d²) (f_c' − 2η d f_c), recorded for the backward pass.
      v128.store(record + <usize>p * rowStride + (<usize>k << 4), v128.and(f64x2.mul(g, f64x2.sub(v128.load(dfcS + o), f64x2.mul(eta2, f64x2.mul(d, fc)))), inside));
      // Lane 1 of an odd last pair (e1 = e) counts nothing.
      const e = q0 + 2 * p;
      const odd = e + 1 >= q1;
      const v = v128.and(v128.and(f64x2.mul(g, fc), inside), odd ? i64x2(-1, 0) : i64x2(-1, -1));
      sumA = f64x2.add(sumA, v);
      if (cb >= 0) {
        const t0 = values + <usize>ldi(hIdx, e) * rowBytes + (<usize>cb << 3);
        store<f64>(t0, load<f64>(t0) + f64x2.extract_lane(v, 0));
        if (!odd) {
          const t1 = values + <usize>ldi(hIdx, e + 1) * rowBytes + (<usize>cb << 3);
          store<f64>(t1, load<f64>(t1) + f64x2.extract_lane(v, 1));
        }
      }
    }
    if (ca >= 0) {
      const t = rowA + (<usize>ca << 3);
      store<f64>(t, load<f64>(t) + hsum(sumA));
    }
  }
  return record + <usize>nPairs * rowStride;
}

/**
 * The backward pass of one run (as radialValues): s_e += Σ_rows (∂E/∂G_{a,s} + ∂E/∂G_{b,s'}) R'/r,
 * row by row over the run's pairs (each row's columns read once; every pair's sum taken over the
 * rows in order, as pair by pair). gauss: per pair 16 bytes of sum and 8 of the b rows' offsets.
 */
function radialBackward(
  q0: i32, q1: i32, count: i32, first: usize, hIdx: usize, hR: usize, rowA: usize, dEdG: usize, rowBytes: usize,
  hS: usize, gauss: usize, record: usize,
): usize {
  const nPairs = (q1 - q0 + 1) >> 1;
  const sums = gauss, rows = gauss + (<usize>nPairs << 4);
  const rowStride = <usize>count << 4;
  const zero = splat(0.0);
  for (let p = 0; p < nPairs; p++) {
    const e = q0 + 2 * p, e1 = e + 1 < q1 ? e + 1 : e;
    v128.store(sums + (<usize>p << 4), zero);
    store<u32>(rows + (<usize>p << 3), <u32>(<usize>ldi(hIdx, e) * rowBytes));
    store<u32>(rows + (<usize>p << 3), <u32>(<usize>ldi(hIdx, e1) * rowBytes), 4);
  }
  for (let k = 0; k < count; k++) {
    const row = first + (<usize>k << 6);
    const ca = <i32>load<f64>(row, 24), cb = <i32>load<f64>(row, 32);
    const wA = ca >= 0 ? v128.load64_splat(rowA + (<usize>ca << 3)) : zero;
    const rec = record + (<usize>k << 4);
    if (cb >= 0) {
      const col = dEdG + (<usize>cb << 3);
      for (let p = 0; p < nPairs; p++) {
        const t = sums + (<usize>p << 4), b = rows + (<usize>p << 3);
        const w = f64x2.add(wA, v128.load64_lane(col + <usize>load<u32>(b, 4), v128.load64_splat(col + <usize>load<u32>(b)), 1));
        v128.store(t, fmadd(w, v128.load(rec + <usize>p * rowStride), v128.load(t)));
      }
    } else {
      for (let p = 0; p < nPairs; p++) {
        const t = sums + (<usize>p << 4);
        v128.store(t, fmadd(wA, v128.load(rec + <usize>p * rowStride), v128.load(t)));
      }
    }
  }
  for (let p = 0; p < nPairs; p++) {
    const e = q0 + 2 * p, e1 = e + 1 < q1 ? e + 1 : e;
    const r = v128.load64_lane(hR + (<usize>e1 << 3), v128.load64_splat(hR + (<usize>e << 3)), 1);
    // Lane 1 counts only when it is another edge.
    const keep = f64x2.replace_lane(splat(1.0), 1, e1 != e ? 1.0 : 0.0);
    const s = f64x2.mul(f64x2.div(v128.load(sums + (<usize>p << 4)), r), keep);
    const h0 = hS + (<usize>e << 3), h1 = hS + (<usize>e1 << 3);
    store<f64>(h0, load<f64>(h0) + f64x2.extract_lane(s, 0));
    store<f64>(h1, load<f64>(h1) + f64x2.extract_lane(s, 1));
  }
  return record + <usize>nPairs * rowStride;
}

/** Bytes of the values pass's scratch: per pair of edges of a run (≤ maxEdges edges), 16 per row and 48. */
export function n2p2TrianglePairRadialScratch(maxRows: i32, maxEdges: i32): f64 {
  return <f64>((maxEdges + 2) >> 1) * <f64>(16 * maxRows + 48) + 16.0;
}

/** Bytes of dR: per atom and neighbour element, its pairs of half edges × the element pair's rows × 16. */
export function n2p2TrianglePairRadialBytes(n: i32, nE: i32, elem: usize, hRun: usize, runs: usize): f64 {
  let bytes = 16.0;
  for (let a = 0; a < n; a++) {
    const A = ldi(elem, a);
    for (let B = 0; B < nE; B++) {
      const edges = ldi(hRun, a * (nE + 1) + B + 1) - ldi(hRun, a * (nE + 1) + B);
      bytes += <f64>((edges + 1) >> 1) * <f64>ldi(runs, 2 * (A * nE + B) + 1) * 16.0;
    }
  }
  return bytes;
}
