// G4 values of a centre from edge weights, used when the centres are all atoms and a centre
// sees every atom at most once (no two images of one atom within r_c).
//
// The triplet weight a_η(r_ij) a_η(r_ik) · a_η(r_jk), a_η(r) = exp(−η r²) f_c(r), is a product of
// three edge factors of the full neighbour list. a_η is computed once per edge and distinct η;
// for a centre i, the pairs (j, k) with r_jk < r_c are exactly the edges j → k of j's own list
// whose end k is also within r_c of i, found through slotOf[k] (k's place among i's sorted
// neighbours). So no exponential is evaluated per triplet.
import { ldf, stf, ldi, sti } from '../memory';
import { cutoffOfSquared2x, exp2x, fmadd } from '../math/simdMath';
import { nu4, pEta4 } from './state';
import { accumulatePackedPairs, useLists } from './angularValues';

/**
 * a_η(r_e) for every edge e of the neighbour list and every distinct G4 η: rows of `stride`
 * (≥ count rounded up to even) at out. Also writes the displacements as three rows (x, y, z)
 * at soa for the triplet search; r2 (f64[stride]) is scratch.
 */
export function edgeWeights(count: i32, disp: usize, rCut: f64, r2: usize, soa: usize, stride: usize, out: usize): void {
  const ys = soa + (stride << 3), zs = ys + (stride << 3);
  for (let e = 0; e < count; e++) {
    const dx = ldf(disp, 3 * e), dy = ldf(disp, 3 * e + 1), dz = ldf(disp, 3 * e + 2);
    stf(soa, e, dx); stf(ys, e, dy); stf(zs, e, dz);
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
 * G4 of one centre from edge weights. Neighbours are sorted by species (run s ends at
 * spStart[s]); sentry maps a sorted neighbour to its list entry; slotOf[atom] is the sorted
 * place of each neighbour atom (−1 for others). found: i32[2 P], dest: i32[P] and jStart: i32[K2] scratch. Lists: one region per
 * species q, each with cos θ and nu4 weight rows of capacity P, at lists + q·regionBytes.
 */
export function g4FromEdges(
  nSpecies: i32, spStart: usize, ssp: usize, sentry: usize, index: usize, offsets: usize, disp: usize,
  sx: usize, sy: usize, sz: usize, ux: usize, uy: usize, uz: usize, a4: usize, K2: usize,
  edgeW: usize, edgeSoa: usize, edgeStride: usize, slotOf: usize, cursor: usize, found: usize, dest: usize, jStart: usize,
  lists: usize, P: usize,
  rCut: f64, row: usize, angularBase: i32, nAngular: i32,
): void {
  const rc2 = rCut * rCut;
  const ex = edgeSoa, ey = ex + (edgeStride << 3), ez = ey + (edgeStride << 3);
  const regionBytes = (<usize>(1 + nu4) * P) << 3;
  const piOverRc2 = f64x2.splat(Math.PI * Math.PI / rc2);
  for (let p = 0; p < nSpecies; p++) {
    const pLo = p == 0 ? 0 : ldi(spStart, p - 1), pHi = ldi(spStart, p);
    if (pHi == pLo) continue;
    // Pass 1: find the triplets (j, k) of this species run: for each j (its kept pairs start at
    // jStart[j − pLo]), the place of k and the edge j → k. Two edges per step.
    let m = 0;
    for (let nj = pLo; nj < pHi; nj++) {
      sti(jStart, nj - pLo, m);
      const j = ldi(index, ldi(sentry, nj));
      const xj = f64x2.splat(ldf(sx, nj)), yj = f64x2.splat(ldf(sy, nj)), zj = f64x2.splat(ldf(sz, nj));
      const end = ldi(offsets, j + 1);
      for (let e = ldi(offsets, j); e < end; e += 2) {
        // k at d_ij + d_jk from the centre: a triplet if within r_c and after j in sorted order.
        const off = <usize>e << 3;
        const dx = f64x2.add(xj, v128.load(ex + off));
        const dy = f64x2.add(yj, v128.load(ey + off));
        const dz = f64x2.add(zj, v128.load(ez + off));
        const x = fmadd(dz, dz, fmadd(dy, dy, f64x2.mul(dx, dx)));
        const e1 = e + 1 < end ? e + 1 : e; // a valid edge to read for the second lane
        const s0 = ldi(slotOf, ldi(index, e)), s1 = ldi(slotOf, ldi(index, e1));
        sti(found, 2 * m, s0);
        sti(found, 2 * m + 1, e);
        m += <i32>(f64x2.extract_lane(x, 0) < rc2) & <i32>(s0 > nj);
        sti(found, 2 * m, s1);
        sti(found, 2 * m + 1, e1);
        m += <i32>(f64x2.extract_lane(x, 1) < rc2) & <i32>(s1 > nj) & <i32>(e + 1 < end);
      }
    }
    sti(jStart, pHi - pLo, m);
    // Pass 2: each triplet's place in the list of k's species (row 0 of region q: cos θ), then
    // the weights a_η(r_ij) a_η(r_ik) a_η(r_jk), one η at a time.
    for (let q = p; q < nSpecies; q++) sti(cursor, q, 0);
    for (let nj = pLo; nj < pHi; nj++) {
      const tEnd = ldi(jStart, nj - pLo + 1);
      const uxj = ldf(ux, nj), uyj = ldf(uy, nj), uzj = ldf(uz, nj);
      for (let t = ldi(jStart, nj - pLo); t < tEnd; t++) {
        const sk = ldi(found, 2 * t);
        const q = ldi(ssp, sk);
        const c = ldi(cursor, q);
        sti(cursor, q, c + 1);
        const at = <i32>(<usize>q * <usize>(1 + nu4) * P) + c;
        sti(dest, t, at);
        stf(lists, at, uxj * ldf(ux, sk) + uyj * ldf(uy, sk) + uzj * ldf(uz, sk));
      }
    }
    for (let u = 0; u < nu4; u++) {
      const au = a4 + ((<usize>u * K2) << 3);
      const eu = edgeW + ((<usize>u * edgeStride) << 3);
      const rowU = lists + ((<usize>(1 + u) * P) << 3);
      for (let nj = pLo; nj < pHi; nj++) {
        const aj = ldf(au, nj);
        const tEnd = ldi(jStart, nj - pLo + 1);
        for (let t = ldi(jStart, nj - pLo); t < tEnd; t++) {
          stf(rowU, ldi(dest, t), aj * ldf(au, ldi(found, 2 * t)) * ldf(eu, ldi(found, 2 * t + 1)));
        }
      }
    }
    for (let q = p; q < nSpecies; q++) {
      const m = ldi(cursor, q);
      if (m == 0) continue;
      const region = lists + <usize>q * regionBytes;
      useLists(region, region + (P << 3));
      accumulatePackedPairs(m, true, false, row, angularBase + (((q * (q + 1)) >> 1) + p) * nAngular, piOverRc2);
    }
  }
}
