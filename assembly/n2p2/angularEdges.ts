// The edge path of the narrow exp-type angular functions (types 3 and 13 with integer ζ), used
// when every atom is a centre and a centre sees each atom at most once:
//   T = pref w (P/2)^ζ R(r_ij) R(r_ik) R(r_jk),  R(r) = exp(−η (r − r_s)²) f_c(r),  P = 1 + λ cos θ,
// pref = 2 (2^(1−ζ) P^ζ = 2 (P/2)^ζ, as the per-centre paths).
// R(r_jk) is a factor of the edge j → k of the full neighbour list, so it is evaluated once per
// edge and group (n2p2EdgeFactors) and read per triplet: the k of a j are found by walking j's own
// neighbour list (its edges in order, so the factor rows are read sequentially) and looking each
// neighbour up in the centre's atom → slot map; no r_jk test, no exponential per triplet.
// Values and the backward pass (contraction with ∂E/∂G) are separate calls over the same
// triplets; the values pass records each j's packed list of k (16 bytes per triplet) for the
// backward pass to replay.
import { ldf, ldi, stf, sti } from '../memory';
import { powInteger } from '../math/powers';
import { exp2x, fmadd, hsum } from '../math/simdMath';
import { cutoff2x, gaussianFactor2x, power2x, splat } from './radialFactor2x';

/**
 * Each atom's edges grouped by neighbour element (counting sort), each group split by atom
 * index: position q of the sorted order holds edge sortedEdge[q] to atom sortedAtom[q]; atom a's
 * neighbours of element el are at runStart[a (nElements + 1) + el] up to the next entry (entry
 * nElements: the list's end), those of index below a first (in list order), then from
 * runStart[nAtoms (nElements + 1) + a nElements + el] those above a (in list order). runStart
 * holds nAtoms (2 nElements + 1) entries.
 */
export function n2p2SortEdgesByElement(
  nAtoms: i32, nElements: i32, offsets: usize, index: usize, atomElement: usize, sortedEdge: usize, sortedAtom: usize, runStart: usize,
): void {
  const stride = nElements + 1;
  for (let a = 0; a < nAtoms; a++) {
    const runs = runStart + (<usize>(a * stride) << 2);
    const splits = runStart + (<usize>(nAtoms * stride + a * nElements) << 2);
    // Counts: runs[el + 1] of element el, splits[el] of those below a.
    for (let el = 0; el <= nElements; el++) sti(runs, el, 0);
    for (let el = 0; el < nElements; el++) sti(splits, el, 0);
    const start = ldi(offsets, a), end = ldi(offsets, a + 1);
    for (let e = start; e < end; e++) {
      const b = ldi(index, e);
      const el = ldi(atomElement, b);
      sti(runs, el + 1, ldi(runs, el + 1) + 1);
      sti(splits, el, ldi(splits, el) + <i32>(b < a));
    }
    sti(runs, 0, start);
    for (let el = 0; el < nElements; el++) {
      sti(runs, el + 1, ldi(runs, el + 1) + ldi(runs, el));
      sti(splits, el, ldi(splits, el) + ldi(runs, el));
    }
    // runs[el] (below a) and splits[el] (above a) advance while filling, then are moved back.
    for (let e = start; e < end; e++) {
      const b = ldi(index, e);
      const el = ldi(atomElement, b);
      const cursor = b < a ? runs : splits;
      const q = ldi(cursor, el);
      sti(sortedEdge, q, e);
      sti(sortedAtom, q, b);
      sti(cursor, el, q + 1);
    }
    // Now runs[el] is run el's split and splits[el] its end (the start of run el + 1).
    for (let el = nElements - 1; el >= 0; el--) {
      const split = ldi(runs, el);
      sti(runs, el + 1, ldi(splits, el));
      sti(splits, el, split);
    }
    sti(runs, 0, start);
  }
}

/**
 * Edge factors: the row of position q of atom a's run of element b, at out + runRowBase[a (E + 1)
 * + b] + q · pairStride[a' E + b] (a' the element of a; the first zeroBytes are zeros, "no edge"),
 * holds for the edge e = sortedEdge[q], per column c (η, r_s, r_c, power code at columns + 32 c)
 * R_c(r_e) and R_c'(r_e)/r_e, interleaved, at the byte offset pairColumnOffset[(a' E + b) nColumns
 * + c] (−1: the pair does not need the column; the edge path reads no other), zero for r_e ≥ r_c.
 * runStart: n2p2SortEdgesByElement's runs. tmp: 16 (nColumns + 1) bytes of scratch. A column with a
 * power code (kernelTables.ts powerCodes) takes its exponential as a power of its source column's
 * when that one was evaluated for the edge. The edges of atoms aStart..aEnd
 * are done (row 0 with aStart = 0): the caller splits the atoms into blocks so that a first call
 * runs the later blocks in the optimised tier (V8 replaces a wasm function's code between calls only).
 */
export function n2p2EdgeFactors(
  aStart: i32, aEnd: i32, nElements: i32, atomElement: usize, runStart: usize, sortedEdge: usize, disp: usize,
  columns: usize, nColumns: i32, pairColumnOffset: usize, pairStride: usize, runRowBase: usize, zeroBytes: i32,
  cutoffType: i32, cutoffAlpha: f64, out: usize, tmp: usize,
): void {
  if (aStart == 0) memory.fill(out, 0, <usize>zeroBytes);
  for (let a = aStart; a < aEnd; a++) {
    const runs = runStart + (<usize>(a * (nElements + 1)) << 2);
    for (let eb = 0; eb < nElements; eb++) {
      const pair = ldi(atomElement, a) * nElements + eb;
      const need = pairColumnOffset + (<usize>(pair * nColumns) << 2);
      const rowBytes = <usize>ldi(pairStride, pair);
      const base = out + <usize>ldi(runRowBase, a * (nElements + 1) + eb);
      let any = false;
      for (let c = 0; c < nColumns; c++) any = any || ldi(need, c) >= 0;
      if (!any) continue;
      const end = ldi(runs, eb + 1);
      for (let q = ldi(runs, eb); q < end; q += 2) {
        const q1 = q + 1 < end ? q + 1 : q;
        const e = ldi(sortedEdge, q), e1 = ldi(sortedEdge, q1);
        const x0 = ldf(disp, 3 * e), y0 = ldf(disp, 3 * e + 1), z0 = ldf(disp, 3 * e + 2);
        const x1 = ldf(disp, 3 * e1), y1 = ldf(disp, 3 * e1 + 1), z1 = ldf(disp, 3 * e1 + 2);
        const r = f64x2.replace_lane(splat(Math.sqrt(x0 * x0 + y0 * y0 + z0 * z0)), 1, Math.sqrt(x1 * x1 + y1 * y1 + z1 * z1));
        const invR = f64x2.div(splat(1.0), r);
        const row0 = base + <usize>q * rowBytes, row1 = base + <usize>q1 * rowBytes;
        let rcLast = -1.0;
        let fc = splat(0.0), dfc = splat(0.0);
        // Columns whose exponential is at tmp + 16 (c + 1) for this pair of edges (c < 64).
        let done: u64 = 0;
        for (let c = 0; c < nColumns; c++) {
          if (ldi(need, c) < 0) continue;
          const p = columns + (<usize>c << 5);
          const eta = load<f64>(p), rs = load<f64>(p, 8), rc = load<f64>(p, 16);
          if (rc != rcLast) {
            fc = cutoff2x(cutoffType, cutoffAlpha, rc, r, tmp);
            dfc = v128.load(tmp);
            rcLast = rc;
          }
          // R and R'/r (the derivative per unit displacement).
          const code = <i32>load<f64>(p, 24), src = code >> 7;
          const d = f64x2.sub(r, splat(rs));
          const e = code != 0 && src < 64 && ((done >> <u64>src) & 1) != 0
            ? power2x(v128.load(tmp + (<usize>(src + 1) << 4)), code & 127)
            : exp2x(f64x2.mul(splat(-eta), f64x2.mul(d, d)));
          if (c < 64) {
            v128.store(tmp + (<usize>(c + 1) << 4), e);
            done |= (<u64>1) << <u64>c;
          }
          const inside = f64x2.lt(r, splat(rc));
          const v = v128.and(f64x2.mul(e, fc), inside);
          const dv = f64x2.mul(v128.and(f64x2.mul(e, f64x2.sub(dfc, f64x2.mul(splat(2.0 * eta), f64x2.mul(d, fc)))), inside), invR);
          const off = <usize>ldi(need, c);
          // Lane 1 to row q1, lane 0 to row q (the same row for an odd last one: written last, lane 0 wins).
          v128.store(row1 + off, v128.shuffle<f64>(v, dv, 1, 3));
          v128.store(row0 + off, v128.shuffle<f64>(v, dv, 0, 2));
        }
      }
    }
  }
}

/** Fills the atom → slot map of the edge path with "not a neighbour" (nAtoms + 1 entries). */
export function n2p2SlotMapInit(nAtoms: i32, slotOfAtom: usize): void {
  for (let a = 0; a <= nAtoms; a++) sti(slotOfAtom, a, NOT_A_NEIGHBOR);
}

/** Slot map value of an atom that is not a neighbour of the centre (fails every unsigned range test). */
export const NOT_A_NEIGHBOR: i32 = 0x7fffffff;

/** Largest ζ of the edge path: (1 + λ cos θ)^ζ is expanded in powers of cos θ, with binomial coefficients up to C(8, 4) = 70. */
export const MAX_DEGREE = 8;

/** Bytes of scratch angularClassEdges needs for a class of at most these counts and centres of at most K (even) slots. */
export function angularEdgesScratch(jkCount: i32, sfCount: i32, K: i32): usize {
  const D = <usize>(MAX_DEGREE + 1);
  return ((<usize>jkCount * D + 2 * <usize>jkCount + 2) << 4) + ((<usize>sfCount * D + <usize>jkCount * D) << 3) + (<usize>(3 * jkCount + 2 * sfCount + 4) << 2)
    + (<usize>(K + 2) << 3) * 5 + 192;
}

/** T[m] += v (a group's moment accumulators T, v128 each). */
@inline function momentsAdd(T: usize, m: i32, v: v128): void {
  const p = T + (<usize>m << 4);
  v128.store(p, f64x2.add(v128.load(p), v));
}

/**
 * One group's part of the backward pass over the packed triplets (two at a time): with
 * E = R_g(r_jk), D = R_g'(r_jk)/r_jk (the edge row at col), F = R_g(r_ik), F' = R_g'(r_ik)/r_ik (rows
 * Frow, dFrow), Q and Q' at cos θ (coefficients Q_0..Q_deg at Q, Horner's scheme; deg a constant
 * at the common call sites), adds φα Q F' E, φα Q F D, φα Q' F E (times w_k when weighted) to
 * the pair's p_ik, p_jk, p_cos at pSum and returns sumIJ + Σ φβ Q F E.
 */
@inline function groupBackward(
  deg: i32, np: i32, slotK: usize, edgeK: usize, cosK: usize, col: usize, Frow: usize, dFrow: usize, sw: usize, weighted: bool,
  Q: usize, av: v128, bv: v128, pSum: usize, sumIJ: v128,
): v128 {
  const q0 = v128.load64_splat(Q), q1 = v128.load64_splat(Q, 8), q2 = v128.load64_splat(Q, 16);
  const q3 = v128.load64_splat(Q, 24), q4 = v128.load64_splat(Q, 32);
  let sumQX = splat(0.0);
  for (let p = 0; p < np; p += 2) {
    const k0 = <usize>ldi(slotK, p) << 3, k1 = <usize>ldi(slotK, p + 1) << 3;
    const v0 = v128.load(col + <usize>ldi(edgeK, p)), v1 = v128.load(col + <usize>ldi(edgeK, p + 1));
    let E = v128.shuffle<f64>(v0, v1, 0, 2), Dr = v128.shuffle<f64>(v0, v1, 1, 3);
    if (weighted) {
      const wk = v128.load64_lane(sw + k1, v128.load64_splat(sw + k0), 1);
      E = f64x2.mul(E, wk);
      Dr = f64x2.mul(Dr, wk);
    }
    const c = v128.load(cosK + (<usize>p << 3));
    // Q and Q' by Horner's scheme (together: Q' ← Q' c + Q, Q ← Q c + Q_m).
    let q: v128, dq: v128;
    if (deg <= 1) {
      dq = q1;
      q = fmadd(q1, c, q0);
    } else if (deg <= 4) {
      q = fmadd(q4, c, q3);
      dq = fmadd(q4, c, q);
      q = fmadd(q, c, q2);
      dq = fmadd(dq, c, q);
      q = fmadd(q, c, q1);
      dq = fmadd(dq, c, q);
      q = fmadd(q, c, q0);
    } else {
      let m = deg;
      q = v128.load64_splat(Q + (<usize>m << 3));
      dq = splat(0.0);
      while (m > 0) {
        m--;
        dq = fmadd(dq, c, q);
        q = fmadd(q, c, v128.load64_splat(Q + (<usize>m << 3)));
      }
    }
    const Fk = v128.load64_lane(Frow + k1, v128.load64_splat(Frow + k0), 1);
    const dFk = v128.load64_lane(dFrow + k1, v128.load64_splat(dFrow + k0), 1);
    const FE = f64x2.mul(Fk, E);
    const aq = f64x2.mul(av, q);
    sumQX = fmadd(q, FE, sumQX);
    const ps = pSum + <usize>p * 24;
    v128.store(ps, fmadd(aq, f64x2.mul(dFk, E), v128.load(ps)));
    v128.store(ps, fmadd(aq, f64x2.mul(Fk, Dr), v128.load(ps, 16)), 16);
    v128.store(ps, fmadd(f64x2.mul(av, dq), FE, v128.load(ps, 32)), 32);
  }
  return fmadd(bv, sumQX, sumIJ);
}

/**
 * One class of one centre by the edge path (all functions of the class narrow exp-type with
 * integer 1 ≤ ζ ≤ MAX_DEGREE and |λ| ≤ 1, so P = 1 + λ cos θ ≥ 0 and (P/2)^ζ is a polynomial in cos θ):
 *   A_s(cos θ) = Σ_m 2^(−ζ_s) C(ζ_s, m) λ_s^m cos^m θ
 * (the factor 2^(−ζ) is exact: the same rounding as C(ζ, m) λ^m with pref 2^(1−ζ)).
 * With X_g = R_g(r_ik) R_g(r_jk) w_k and φ_g = w_j R_g(r_ij), the values are
 *   G_s += pref_s Σ_m 2^(−ζ_s) C(ζ_s, m) λ_s^m T_gm,   T_gm = Σ_{j,k} φ_g X_g cos^m θ
 *   (each pair once: a same-element class takes k of higher atom index than j, the
 *   all-pairs class (kElement −1) the slots after j),
 * (moments per r_jk group g), and the backward pass contracts with ∂E/∂G through one polynomial
 * per group, Q_g(c) = Σ_{s∈g} ∂E/∂G_s pref_s A_s(c), evaluated with its derivative per triplet.
 * Per j, a first sweep over j's neighbours of the k element keeps those whose slot (slotOfAtom:
 * the centre's atom → slot map) lies in the class's k range, with cos θ and the factor row, then
 * each group sweeps them with its factors in registers.
 * Rows as in symmetryFunctions.ts (K entries, row8 bytes per group row); invR: 1/r_ij; atom:
 * each slot's atom (nAtoms for the padding slot); kElement: the class's k element (−1: all);
 * runStart, runStride, runSplit, sortedAtom: n2p2SortEdgesByElement's tables (runSplit: its split
 * positions). rowW = 0: values into rowV; rowW ≠ 0: ∂E/∂d
 * of the triplets into gx, gy, gz (values untouched). cacheMode 1 records each j's packed list
 * at the cursor, 2 replays it instead of sweep 1 (same centres and classes); returns the cursor.
 */
export function angularClassEdges(
  angles: usize, lists: usize, listStart: i32, jkCount: i32,
  sfs: usize, sfStart: i32, sfCount: i32, groupStart: i32, listColumn: usize, weighted: bool,
  jLo: i32, jHi: i32, kLo0: i32, kHi: i32, sameRun: bool, rcC: f64, imageCut2: f64,
  sx: usize, sy: usize, sz: usize, sr: usize, ux: usize, uy: usize, uz: usize, sw: usize, invR: usize, atom: usize,
  F: usize, dF: usize, row8: usize, gx: usize, gy: usize, gz: usize,
  rowV: usize, rowW: usize, edgeFactors: usize, rowStride: i32, runRowBase: usize, kElement: i32, runStart: usize, runStride: i32, runSplit: usize, sortedAtom: usize, slotOfAtom: usize,
  padSlot: i32, scratch: usize,
  cacheMode: i32, cursor: usize,
): usize {
  const backward = rowW != 0;
  const D = MAX_DEGREE + 1;
  // Scratch (v128): moments T[g][m], φα and φβ per group; (f64) per packed k cos θ; (v128)
  // per pair of packed k the backward sums p_ik, p_jk, p_cos; (f64) coefficients per function
  // C(ζ, m) λ^m and per group Q_g; (i32) per group edge column, row, degree; per function its
  // group and ζ; per packed k the factor row offset and the slot.
  const moments = (scratch + 15) & ~(<usize>15);
  const phiA = moments + (<usize>(jkCount * D) << 4), phiB = phiA + (<usize>jkCount << 4);
  let cosK = phiB + (<usize>jkCount << 4);
  const pSum = (cosK + row8 + 15) & ~(<usize>15);
  const coef = pSum + 3 * row8 + 48, poly = coef + (<usize>(sfCount * D) << 3);
  const jkCol = poly + (<usize>(jkCount * D) << 3), jkRow = jkCol + (<usize>jkCount << 2), jkDeg = jkRow + (<usize>jkCount << 2);
  const sfJk = jkDeg + (<usize>jkCount << 2), sfZeta = sfJk + (<usize>sfCount << 2);
  let edgeK = sfZeta + (<usize>sfCount << 2), slotK = edgeK + (<usize>(row8 >> 1));
  for (let s = 0; s < jkCount; s++) {
    const g = ldi(lists, listStart + s);
    sti(jkCol, s, ldi(listColumn, listStart + s));
    sti(jkRow, s, <i32>(<usize>(g - groupStart) * row8));
    sti(jkDeg, s, 0);
  }
  memory.fill(poly, 0, <usize>(jkCount * D) << 3);
  for (let s = 0; s < sfCount; s++) {
    const p = sfs + (<usize>((sfStart + s) << 3) << 3);
    const slot = <i32>load<f64>(p, 40);
    const a = angles + (<usize>(ldi(lists, listStart + jkCount + <i32>load<f64>(p, 24)) << 3) << 3);
    const lambda = load<f64>(a, 8);
    const zeta = <i32>load<f64>(a, 24);
    sti(sfJk, s, slot);
    sti(sfZeta, s, zeta);
    if (zeta > ldi(jkDeg, slot)) sti(jkDeg, slot, zeta);
    // 2^(−ζ) C(ζ, m) λ^m, m = 0..ζ.
    const wf = backward ? load<f64>(p, 32) * ldf(rowW, <i32>load<f64>(p)) : 0.0;
    let c = powInteger(0.5, zeta);
    for (let m = 0; m <= zeta; m++) {
      stf(coef, s * D + m, c);
      if (backward) stf(poly, slot * D + m, ldf(poly, slot * D + m) + wf * c);
      c *= lambda * <f64>(zeta - m) / <f64>(m + 1);
    }
  }
  const zero = splat(0.0);
  if (!backward) memory.fill(moments, 0, <usize>(jkCount * D) << 4);
  for (let j = jLo; j < jHi; j++) {
    const rj = ldf(sr, j);
    if (rj >= rcC) continue;
    const jo = <usize>j << 3;
    const wj = weighted ? load<f64>(sw + jo) : 1.0;
    let anyJ = false;
    for (let s = 0; s < jkCount; s++) {
      const row = <usize>ldi(jkRow, s);
      const a = wj * load<f64>(F + row + jo);
      // (b in both passes: the recorded and replayed j must be the same.)
      const b = wj * load<f64>(dF + row + jo);
      stf(phiA, s, a);
      stf(phiB, s, b);
      if (a != 0.0 || b != 0.0) anyJ = true;
    }
    if (!anyJ) continue;
    const ax = splat(load<f64>(sx + jo)), ay = splat(load<f64>(sy + jo)), az = splat(load<f64>(sz + jo));
    const ujx = splat(load<f64>(ux + jo)), ujy = splat(load<f64>(uy + jo)), ujz = splat(load<f64>(uz + jo));
    const jAtom = ldi(atom, j);
    const bySplit = sameRun && kElement >= 0;
    const kLo = sameRun && !bySplit ? j + 1 : kLo0;
    const span = <u32>(kHi - kLo);
    // Sweep 1: the edges j → k of j's list whose k is a neighbour of the centre in the class's
    // run (the edge exists: r_jk inside the list's cutoff), packed: slot, cos θ, factor row
    // offset. An odd count is padded with the padding slot (zero factors) and row 0 (zeros).
    let np = 0;
    // j's neighbours of the class's k element: its run in the element-sorted edge order (with
    // bySplit the part above j's atom).
    const runs = runStart + (<usize>(jAtom * runStride) << 2);
    const qLo = kElement < 0 ? ldi(runs, 0) : bySplit ? ldi(runSplit, jAtom * (runStride - 1) + kElement) : ldi(runs, kElement);
    const qHi = kElement < 0 ? ldi(runs, runStride - 1) : ldi(runs, kElement + 1);
    // Recorded lists (cacheMode 1, replayed by 2) keep room for every k that can be kept: i32 np
    // (16 bytes), then cos θ, slot and factor row offset at fixed offsets (no compaction copies).
    const cap = <usize>((min(kHi - kLo, qHi - qLo) + 3) & ~1);
    if (cacheMode == 2) {
      np = load<i32>(cursor);
      cosK = cursor + 16;
      slotK = cosK + (cap << 3);
      edgeK = slotK + (cap << 2);
      cursor += 16 + (cap << 4);
    } else {
      if (cacheMode == 1) {
        cosK = cursor + 16;
        slotK = cosK + (cap << 3);
        edgeK = slotK + (cap << 2);
      }
      // Kept when their slot lies in [kLo, kHi): slot and the byte offset of the factor row
      // (position q of j's run: rowBase + q · rowStride from edgeFactors), written unconditionally.
      let row = ldi(runRowBase, jAtom * runStride + (kElement < 0 ? 0 : kElement)) + qLo * rowStride;
      for (let q = qLo; q < qHi; q++) {
        const k = load<i32>(slotOfAtom + (<usize>ldi(sortedAtom, q) << 2));
        sti(slotK, np, k);
        sti(edgeK, np, row);
        np += <i32>(<u32>(k - kLo) < span);
        row += rowStride;
      }
      // cos θ of the kept k; with imageCut2 only those whose centre's
      // d_k − d_j is inside the list's cutoff too (the edge may join another image of k when a
      // cell is less than three cutoffs high).
      const ujxs = load<f64>(ux + jo), ujys = load<f64>(uy + jo), ujzs = load<f64>(uz + jo);
      if (imageCut2 > 0.0) {
        const axs = load<f64>(sx + jo), ays = load<f64>(sy + jo), azs = load<f64>(sz + jo);
        let kept = 0;
        for (let p = 0; p < np; p++) {
          const k = ldi(slotK, p);
          const ko = <usize>k << 3;
          const cx = load<f64>(sx + ko) - axs, cy = load<f64>(sy + ko) - ays, cz = load<f64>(sz + ko) - azs;
          stf(cosK, kept, ujxs * load<f64>(ux + ko) + ujys * load<f64>(uy + ko) + ujzs * load<f64>(uz + ko));
          sti(slotK, kept, k);
          sti(edgeK, kept, ldi(edgeK, p));
          kept += <i32>(cx * cx + cy * cy + cz * cz < imageCut2);
        }
        np = kept;
      }
      // An odd count is padded with the padding slot (u = 0: cos θ = 0) and row 0 (zeros).
      if (np & 1) {
        sti(slotK, np, padSlot);
        sti(edgeK, np, 0);
      }
      if (imageCut2 > 0.0) {
        if (np & 1) stf(cosK, np, 0.0);
      } else {
        // Two at a time.
        for (let p = 0; p < np; p += 2) {
          const k0 = <usize>ldi(slotK, p) << 3, k1 = <usize>ldi(slotK, p + 1) << 3;
          const ukx = v128.load64_lane(ux + k1, v128.load64_splat(ux + k0), 1);
          const uky = v128.load64_lane(uy + k1, v128.load64_splat(uy + k0), 1);
          const ukz = v128.load64_lane(uz + k1, v128.load64_splat(uz + k0), 1);
          v128.store(cosK + (<usize>p << 3), fmadd(ujz, ukz, fmadd(ujy, uky, f64x2.mul(ujx, ukx))));
        }
      }
      if (cacheMode == 1) {
        store<i32>(cursor, np);
        cursor += 16 + (cap << 4);
      }
    }
    if (np == 0) continue;
    if (backward) {
      // Per packed triplet, summed over the groups g (Q = Q_g(cos θ), X = w_k R_g(r_ik) R_g(r_jk)):
      //   p_ij = Σ φβ Q X,  p_ik = Σ φα Q w_k R_g'(r_ik)/r_ik R_g(r_jk),
      //   p_jk = Σ φα Q w_k R_g(r_ik) R_g'(r_jk)/r_jk,  p_cos = Σ φα Q' X,
      // group by group (its coefficients in registers): p_ik, p_jk, p_cos per pair of packed
      // triplets at pSum, Σ_k p_ij (all the j side needs of it) in a register.
      for (let p = 0; p < np; p += 2) {
        const ps = pSum + <usize>p * 24;
        v128.store(ps, zero);
        v128.store(ps, zero, 16);
        v128.store(ps, zero, 32);
      }
      let sumIJ = zero;
      for (let s = 0; s < jkCount; s++) {
        const a = ldf(phiA, s), b = ldf(phiB, s);
        if (a == 0.0 && b == 0.0) continue;
        const col = edgeFactors + <usize>ldi(jkCol, s);
        const Frow = F + <usize>ldi(jkRow, s), dFrow = dF + <usize>ldi(jkRow, s);
        const deg = ldi(jkDeg, s);
        const Q = poly + (<usize>(s * D) << 3);
        const av = splat(a), bv = splat(b);
        if (deg <= 1 && !weighted) sumIJ = groupBackward(1, np, slotK, edgeK, cosK, col, Frow, dFrow, sw, false, Q, av, bv, pSum, sumIJ);
        else if (deg <= 4 && !weighted) sumIJ = groupBackward(4, np, slotK, edgeK, cosK, col, Frow, dFrow, sw, false, Q, av, bv, pSum, sumIJ);
        else sumIJ = groupBackward(deg, np, slotK, edgeK, cosK, col, Frow, dFrow, sw, weighted, Q, av, bv, pSum, sumIJ);
      }
      // Per pair of packed triplets, with p_jk already carrying the 1/r_jk of the edge factor:
      //   ∂/∂d_j = p_ij u_j − (p_jk/r_jk)(d_k − d_j) + (p_cos/r_ij)(u_k − cos u_j) = α_j d_j + β d_k,
      //   ∂/∂d_k = p_ik u_k + (p_jk/r_jk)(d_k − d_j) + (p_cos/r_ik)(u_j − cos u_k) = α_k d_k + β d_j,
      //   α_j = p_ij/r_ij + p_jk − p_cos cos θ/r_ij²,  α_k likewise,  β = p_cos/(r_ij r_ik) − p_jk;
      // Σ_k (α_j − p_ij/r_ij) and Σ_k β d_k stay in registers.
      const invRj = v128.load64_splat(invR + jo), invRj2 = f64x2.mul(invRj, invRj);
      let sumA = zero, bx = zero, by = zero, bz = zero;
      for (let p = 0; p < np; p += 2) {
        const po = <usize>p << 3, ps = pSum + <usize>p * 24;
        const k0 = <usize>ldi(slotK, p) << 3, k1 = <usize>ldi(slotK, p + 1) << 3;
        const pik = v128.load(ps), pjk = v128.load(ps, 16), pcos = v128.load(ps, 32);
        const c = v128.load(cosK + po);
        const dkx = v128.load64_lane(sx + k1, v128.load64_splat(sx + k0), 1);
        const dky = v128.load64_lane(sy + k1, v128.load64_splat(sy + k0), 1);
        const dkz = v128.load64_lane(sz + k1, v128.load64_splat(sz + k0), 1);
        const invRk = v128.load64_lane(invR + k1, v128.load64_splat(invR + k0), 1);
        const pc = f64x2.mul(pcos, c);
        const beta = f64x2.sub(f64x2.mul(f64x2.mul(pcos, invRj), invRk), pjk);
        sumA = f64x2.add(sumA, f64x2.sub(pjk, f64x2.mul(pc, invRj2)));
        const alphaK = f64x2.add(f64x2.mul(f64x2.sub(pik, f64x2.mul(pc, invRk)), invRk), pjk);
        bx = fmadd(beta, dkx, bx);
        by = fmadd(beta, dky, by);
        bz = fmadd(beta, dkz, bz);
        const gkx = fmadd(alphaK, dkx, f64x2.mul(beta, ax));
        const gky = fmadd(alphaK, dky, f64x2.mul(beta, ay));
        const gkz = fmadd(alphaK, dkz, f64x2.mul(beta, az));
        // Lane 1 of an odd tail is the padding slot: zero factors, nothing added.
        store<f64>(gx + k0, load<f64>(gx + k0) + f64x2.extract_lane(gkx, 0));
        store<f64>(gy + k0, load<f64>(gy + k0) + f64x2.extract_lane(gky, 0));
        store<f64>(gz + k0, load<f64>(gz + k0) + f64x2.extract_lane(gkz, 0));
        store<f64>(gx + k1, load<f64>(gx + k1) + f64x2.extract_lane(gkx, 1));
        store<f64>(gy + k1, load<f64>(gy + k1) + f64x2.extract_lane(gky, 1));
        store<f64>(gz + k1, load<f64>(gz + k1) + f64x2.extract_lane(gkz, 1));
      }
      const aj = hsum(sumA) + hsum(sumIJ) / rj;
      store<f64>(gx + jo, load<f64>(gx + jo) + (aj * load<f64>(sx + jo) + hsum(bx)));
      store<f64>(gy + jo, load<f64>(gy + jo) + (aj * load<f64>(sy + jo) + hsum(by)));
      store<f64>(gz + jo, load<f64>(gz + jo) + (aj * load<f64>(sz + jo) + hsum(bz)));
      continue;
    }
    // Sweep 2, per group, two packed triplets at a time.
    for (let s = 0; s < jkCount; s++) {
      const a = ldf(phiA, s), b = ldf(phiB, s);
      if (a == 0.0 && b == 0.0) continue;
      const col = edgeFactors + <usize>ldi(jkCol, s);
      const Frow = F + <usize>ldi(jkRow, s), dFrow = dF + <usize>ldi(jkRow, s);
      const deg = ldi(jkDeg, s);
      const T = moments + (<usize>(s * D) << 4);
      if (deg <= 1 && !weighted) {
        // The common ζ = 1 group (M_0, M_1), without the degree tests of the general loop below.
        let m0 = zero, m1 = zero;
        for (let q = 0; q < np; q += 2) {
          const k0 = <usize>ldi(slotK, q) << 3, k1 = <usize>ldi(slotK, q + 1) << 3;
          const E = v128.load64_lane(col + <usize>ldi(edgeK, q + 1), v128.load64_splat(col + <usize>ldi(edgeK, q)), 1);
          const X = f64x2.mul(v128.load64_lane(Frow + k1, v128.load64_splat(Frow + k0), 1), E);
          m0 = f64x2.add(m0, X);
          m1 = fmadd(X, v128.load(cosK + (<usize>q << 3)), m1);
        }
        const av = splat(a);
        momentsAdd(T, 0, f64x2.mul(av, m0));
        momentsAdd(T, 1, f64x2.mul(av, m1));
        continue;
      }
      if (deg <= 4 && !weighted) {
        // ζ ≤ 4: M_0..M_4 without degree tests (the unused higher ones are dropped).
        let m0 = zero, m1 = zero, m2 = zero, m3 = zero, m4 = zero;
        for (let q = 0; q < np; q += 2) {
          const k0 = <usize>ldi(slotK, q) << 3, k1 = <usize>ldi(slotK, q + 1) << 3;
          const E = v128.load64_lane(col + <usize>ldi(edgeK, q + 1), v128.load64_splat(col + <usize>ldi(edgeK, q)), 1);
          const X = f64x2.mul(v128.load64_lane(Frow + k1, v128.load64_splat(Frow + k0), 1), E);
          const c = v128.load(cosK + (<usize>q << 3));
          const c2 = f64x2.mul(c, c);
          const Xc = f64x2.mul(X, c);
          m0 = f64x2.add(m0, X);
          m1 = f64x2.add(m1, Xc);
          m2 = fmadd(X, c2, m2);
          m3 = fmadd(Xc, c2, m3);
          m4 = fmadd(X, f64x2.mul(c2, c2), m4);
        }
        const av = splat(a);
        momentsAdd(T, 0, f64x2.mul(av, m0));
        momentsAdd(T, 1, f64x2.mul(av, m1));
        if (deg >= 2) momentsAdd(T, 2, f64x2.mul(av, m2));
        if (deg >= 3) momentsAdd(T, 3, f64x2.mul(av, m3));
        if (deg >= 4) momentsAdd(T, 4, f64x2.mul(av, m4));
        continue;
      }
      {
        // M_m = Σ_k X cos^m; T_gm += φ_g M_m.
        let m0 = zero, m1 = zero, m2 = zero, m3 = zero, m4 = zero;
        for (let q = 0; q < np; q += 2) {
          const qo = <usize>q << 3;
          const k0 = <usize>ldi(slotK, q) << 3, k1 = <usize>ldi(slotK, q + 1) << 3;
          const E = v128.load64_lane(col + <usize>ldi(edgeK, q + 1), v128.load64_splat(col + <usize>ldi(edgeK, q)), 1);
          let Fk = v128.load64_lane(Frow + k1, v128.load64_splat(Frow + k0), 1);
          if (weighted) Fk = f64x2.mul(Fk, v128.load64_lane(sw + k1, v128.load64_splat(sw + k0), 1));
          const X = f64x2.mul(Fk, E);
          const c = v128.load(cosK + qo);
          m0 = f64x2.add(m0, X);
          if (deg >= 1) {
            let cm = c;
            m1 = fmadd(X, cm, m1);
            if (deg >= 2) {
              cm = f64x2.mul(cm, c);
              m2 = fmadd(X, cm, m2);
              if (deg >= 3) {
                cm = f64x2.mul(cm, c);
                m3 = fmadd(X, cm, m3);
                if (deg >= 4) {
                  cm = f64x2.mul(cm, c);
                  m4 = fmadd(X, cm, m4);
                  for (let m = 5; m <= deg; m++) {
                    cm = f64x2.mul(cm, c);
                    momentsAdd(T, m, f64x2.mul(splat(a), f64x2.mul(X, cm)));
                  }
                }
              }
            }
          }
        }
        const av = splat(a);
        momentsAdd(T, 0, f64x2.mul(av, m0));
        if (deg >= 1) momentsAdd(T, 1, f64x2.mul(av, m1));
        if (deg >= 2) momentsAdd(T, 2, f64x2.mul(av, m2));
        if (deg >= 3) momentsAdd(T, 3, f64x2.mul(av, m3));
        if (deg >= 4) momentsAdd(T, 4, f64x2.mul(av, m4));
      }
    }
  }
  if (backward) return cursor;
  // G_s += pref_s Σ_m 2^(−ζ) C(ζ, m) λ^m T_gm.
  for (let s = 0; s < sfCount; s++) {
    const p = sfs + (<usize>((sfStart + s) << 3) << 3);
    const T = moments + (<usize>(ldi(sfJk, s) * D) << 4);
    let sum = 0.0;
    const zeta = ldi(sfZeta, s);
    for (let m = 0; m <= zeta; m++) sum += ldf(coef, s * D + m) * hsum(v128.load(T + (<usize>m << 4)));
    const cp = rowV + (<usize>(<i32>load<f64>(p)) << 3);
    store<f64>(cp, load<f64>(cp) + load<f64>(p, 32) * sum);
  }
  return cursor;
}
