// G4 values of a centre from edge weights, used when the centres are all atoms and a centre
// sees every atom at most once (no two images of one atom within r_c).
//
// The triplet weight a_η(r_ij) a_η(r_ik) · a_η(r_jk), a_η(r) = exp(−η r²) f_c(r), is a product of
// three edge factors of the full neighbour list. a_η is computed once per edge and distinct η;
// for a centre i and its neighbours j, k with r_jk < r_c, the factor of j → k is looked up
// through edgeOf[k] (filled from j's own list), so no exponential is evaluated per triplet.
import { ldf, stf, ldi, sti } from '../memory';
import { cutoffOfSquared2x, exp2x, fmadd } from '../math/simdMath';
import { nu4, pEta4, runStart, pairBlock } from './state';
import { accumulatePackedPairs, useLists } from './angularValues';

/**
 * a_η(r_e) for every edge e of the neighbour list and every distinct G4 η: rows of `stride`
 * (≥ count rounded up to even) at out. r2 (f64[stride]) is scratch.
 */
export function edgeWeights(count: i32, disp: usize, rCut: f64, r2: usize, stride: usize, out: usize): void {
  for (let e = 0; e < count; e++) {
    const dx = ldf(disp, 3 * e), dy = ldf(disp, 3 * e + 1), dz = ldf(disp, 3 * e + 2);
    stf(r2, e, dx * dx + dy * dy + dz * dz);
  }
  if (count & 1) stf(r2, count, 0.0);
  const piOverRc2 = f64x2.splat(Math.PI * Math.PI / (rCut * rCut));
  for (let e = 0; e < count; e += 2) {
    const off = <usize>e << 3;
    const x = v128.load(r2 + off);
    const fc = cutoffOfSquared2x(x, piOverRc2);
    for (let u = 0; u < nu4; u++) {
      const w = f64x2.mul(exp2x(f64x2.mul(f64x2.splat(-ldf(pEta4, u)), x)), fc);
      v128.store(out + ((<usize>u * stride) << 3) + off, w);
    }
  }
}

/**
 * True when no centre sees an atom twice (no two images of one atom within r_c): then an edge
 * j → k of the list is determined by the two atoms. stamp: i32[nAtoms] scratch.
 */
export function neighbourAtomsUnique(nCenters: i32, offsets: usize, index: usize, nAtoms: i32, stamp: usize): bool {
  for (let a = 0; a < nAtoms; a++) sti(stamp, a, -1);
  for (let c = 0; c < nCenters; c++) {
    const end = ldi(offsets, c + 1);
    for (let e = ldi(offsets, c); e < end; e++) {
      const k = ldi(index, e);
      if (ldi(stamp, k) == c) return false;
      sti(stamp, k, c);
    }
  }
  return true;
}

/**
 * G4 of one centre from edge weights (requires neighbourAtomsUnique). Neighbours are sorted by
 * species (run s ends at spStart[s]); satom is the atom of each sorted neighbour.
 * edgeOf: i32[nAtoms], −1 on entry (the edge j → k of the current j, by k); found: i32[S × 2 P]
 * and jStart: i32[S × (K2 + 1)] scratch; lists: cos θ and nu4 weight rows of capacity P.
 */
export function g4FromEdges(
  nSpecies: i32, spStart: usize, satom: usize, index: usize, offsets: usize,
  sx: usize, sy: usize, sz: usize, ux: usize, uy: usize, uz: usize, a4: usize, K2: usize,
  edgeW: usize, edgeStride: usize, edgeOf: usize, found: usize, jStart: usize, lists: usize, P: usize,
  rCut: f64, row: usize, angularBase: i32, nAngular: i32,
): void {
  const rc2 = rCut * rCut;
  const piOverRc2 = f64x2.splat(Math.PI * Math.PI / rc2);
  const foundStride = <usize>(2 * P) << 2, startStride = (K2 + 1) << 2;
  useLists(lists, lists + (P << 3));
  for (let p = 0; p < nSpecies; p++) {
    const pLo = runStart(spStart, p), pHi = ldi(spStart, p);
    if (pHi == pLo) continue;
    // Pass 1: for each j of species p and each species q ≥ p, the neighbours k of species q
    // (after j) within r_c of j, as (place of k, edge j → k) in found[q]; j's pairs start at
    // jStart[q][j − pLo]. Each j's edge map is filled once for all q.
    for (let nj = pLo; nj < pHi; nj++) {
      const j = ldi(satom, nj);
      const eBegin = ldi(offsets, j), eEnd = ldi(offsets, j + 1);
      for (let e = eBegin; e < eEnd; e++) sti(edgeOf, ldi(index, e), e);
      const xj = f64x2.splat(ldf(sx, nj)), yj = f64x2.splat(ldf(sy, nj)), zj = f64x2.splat(ldf(sz, nj));
      for (let q = p; q < nSpecies; q++) {
        const fq = found + <usize>q * foundStride, sq = jStart + <usize>q * startStride;
        let m = nj == pLo ? 0 : ldi(sq, nj - pLo);
        sti(sq, nj - pLo, m);
        const qHi = ldi(spStart, q);
        const lo = p == q ? nj + 1 : runStart(spStart, q);
        for (let k = lo; k < qHi; k += 2) {
          const off = <usize>k << 3;
          const dx = f64x2.sub(v128.load(sx + off), xj);
          const dy = f64x2.sub(v128.load(sy + off), yj);
          const dz = f64x2.sub(v128.load(sz + off), zj);
          const x = fmadd(dz, dz, fmadd(dy, dy, f64x2.mul(dx, dx)));
          const keep0 = <i32>(f64x2.extract_lane(x, 0) < rc2);
          const keep1 = <i32>(f64x2.extract_lane(x, 1) < rc2) & <i32>(k + 1 < qHi);
          // edgeOf holds j's edge to k when k is within r_c of j; a pair within rounding of r_c
          // that the list left out finds an edge of another j (outside eBegin..eEnd) and is dropped.
          const e0 = ldi(edgeOf, ldi(satom, k));
          sti(fq, 2 * m, k);
          sti(fq, 2 * m + 1, e0);
          m += keep0 & <i32>(e0 >= eBegin) & <i32>(e0 < eEnd);
          const k1 = k + 1 < qHi ? k + 1 : k;
          const e1 = ldi(edgeOf, ldi(satom, k1));
          sti(fq, 2 * m, k1);
          sti(fq, 2 * m + 1, e1);
          m += keep1 & <i32>(e1 >= eBegin) & <i32>(e1 < eEnd);
        }
        sti(sq, nj - pLo + 1, m);
      }
    }
    for (let q = p; q < nSpecies; q++) {
      const fq = found + <usize>q * foundStride, sq = jStart + <usize>q * startStride;
      const m = ldi(sq, pHi - pLo);
      if (m == 0) continue;
      // Pass 2: cos θ and the weights a_η(r_ij) a_η(r_ik) a_η(r_jk) of every triplet.
      const aRow = K2 << 3, eRow = edgeStride << 3, lRow = P << 3;
      for (let nj = pLo; nj < pHi; nj++) {
        const uxj = ldf(ux, nj), uyj = ldf(uy, nj), uzj = ldf(uz, nj);
        const tEnd = ldi(sq, nj - pLo + 1);
        for (let t = ldi(sq, nj - pLo); t < tEnd; t++) {
          const nk = ldi(fq, 2 * t), e = ldi(fq, 2 * t + 1);
          stf(lists, t, uxj * ldf(ux, nk) + uyj * ldf(uy, nk) + uzj * ldf(uz, nk));
          // Running pointers over the η rows (no index arithmetic per η).
          let aj = a4 + (<usize>nj << 3), ak = a4 + (<usize>nk << 3);
          let ew = edgeW + (<usize>e << 3), out = lists + (P << 3) + (<usize>t << 3);
          for (let u = 0; u < nu4; u++) {
            store<f64>(out, load<f64>(aj) * load<f64>(ak) * load<f64>(ew));
            aj += aRow; ak += aRow; ew += eRow; out += lRow;
          }
        }
      }
      accumulatePackedPairs(m, true, false, row, pairBlock(angularBase, p, q, nAngular), piOverRc2);
    }
  }
}
