// Radial symmetry functions of every atom from the upward edges i → j (j > i) of the neighbour
// list, used when the centres are all atoms and a centre sees every atom at most once: the term
// of a pair is the same for both atoms, so each is evaluated once and added to both rows:
//   G1 += f_c(r),  G2 += exp(−η (r − R_s)²) f_c(r),  G3 += cos(κ r) f_c(r)
// (row of atom i in the block of j's species, and row of j in the block of i's species).
import { ldf, stf, ldi } from '../memory';
import { cutoffOfSquared2x, exp2x } from '../math/simdMath';
import { n2, n3, pG2, pG3 } from './state';

/**
 * Adds G1–G3 of every atom to its (zeroed) row. scratch: f64[2 n2 + 4], 16-byte aligned.
 * Two G2 functions per f64x2 step; their (η, R_s) are regrouped into lane pairs in scratch. r and
 * f_c of two upward edges come from one f64x2 step.
 */
export function radialFromEdges(
  nAtoms: i32, offsets: usize, index: usize, disp: usize, atomSpecies: usize, rCut: f64,
  values: usize, nFeatures: i32, nRadial: i32, scratch: usize,
): void {
  const nPairs = n2 >> 1;
  const etaV = scratch, rsV = radialScratch(scratch);
  const piOverRc2 = f64x2.splat(Math.PI * Math.PI / (rCut * rCut));
  const rowBytes = <usize>nFeatures << 3;
  for (let i = 0; i < nAtoms; i++) {
    const end = ldi(offsets, i + 1);
    // Upward edges of i two at a time: r and f_c of both from one f64x2 step.
    let e0 = -1;
    for (let e = ldi(offsets, i); e < end; e++) {
      if (ldi(index, e) <= i) continue;
      if (e0 < 0) {
        e0 = e;
        continue;
      }
      addEdgePair(i, e0, e, true, disp, index, atomSpecies, piOverRc2, values, rowBytes, nRadial, etaV, rsV, nPairs);
      e0 = -1;
    }
    if (e0 >= 0) addEdgePair(i, e0, e0, false, disp, index, atomSpecies, piOverRc2, values, rowBytes, nRadial, etaV, rsV, nPairs);
  }
}

/**
 * Fills scratch (f64[2 n2 + 4], 16-byte aligned) with −η of the G2 functions at scratch and their R_s
 * at the address returned (two functions per f64x2 step).
 */
export function radialScratch(scratch: usize): usize {
  const rsV = scratch + (<usize>(n2 + 2) << 3);
  for (let f = 0; f < n2; f++) {
    stf(scratch, f, -ldf(pG2, 2 * f));
    stf(rsV, f, ldf(pG2, 2 * f + 1));
  }
  return rsV;
}

/** r² of edge e (as the triangle records have it). */
@inline function edgeR2(disp: usize, e: i32): f64 {
  const dx = ldf(disp, 3 * e), dy = ldf(disp, 3 * e + 1), dz = ldf(disp, 3 * e + 2);
  return dx * dx + dy * dy + dz * dz;
}

/** Adds the terms of upward edges e0 and (when both) e1 of atom i to both atoms' rows. */
@inline function addEdgePair(
  i: i32, e0: i32, e1: i32, both: bool, disp: usize, index: usize, atomSpecies: usize, piOverRc2: v128,
  values: usize, rowBytes: usize, nRadial: i32, etaV: usize, rsV: usize, nPairs: i32,
): void {
  const r2 = f64x2.replace_lane(f64x2.splat(edgeR2(disp, e0)), 1, edgeR2(disp, e1));
  const rr = f64x2.sqrt(r2);
  const fcs = cutoffOfSquared2x(r2, piOverRc2);
  addEdge(i, ldi(index, e0), f64x2.extract_lane(rr, 0), f64x2.extract_lane(fcs, 0), atomSpecies, values, rowBytes, nRadial, etaV, rsV, nPairs);
  if (both) addEdge(i, ldi(index, e1), f64x2.extract_lane(rr, 1), f64x2.extract_lane(fcs, 1), atomSpecies, values, rowBytes, nRadial, etaV, rsV, nPairs);
}

/** Adds the terms of the edge i → j (distance r, f_c) to both atoms' rows (etaV, rsV from radialScratch). */
@inline export function addEdge(
  i: i32, j: i32, r: f64, fc: f64, atomSpecies: usize, values: usize, rowBytes: usize, nRadial: i32,
  etaV: usize, rsV: usize, nPairs: i32,
): void {
  const fcv = f64x2.splat(fc);
  const rowI = values + <usize>i * rowBytes + (<usize>(ldi(atomSpecies, j) * nRadial) << 3);
  const rowJ = values + <usize>j * rowBytes + (<usize>(ldi(atomSpecies, i) * nRadial) << 3);
  store<f64>(rowI, load<f64>(rowI) + fc);
  store<f64>(rowJ, load<f64>(rowJ) + fc);
  const rv = f64x2.splat(r);
  let o: usize = 8;
  for (let f = 0; f < nPairs; f++) {
    const off = <usize>f << 4;
    const d = f64x2.sub(rv, v128.load(rsV + off));
    const v = f64x2.mul(exp2x(f64x2.mul(v128.load(etaV + off), f64x2.mul(d, d))), fcv);
    v128.store(rowI + o, f64x2.add(v128.load(rowI + o), v));
    v128.store(rowJ + o, f64x2.add(v128.load(rowJ + o), v));
    o += 16;
  }
  if (n2 & 1) {
    const d = r - ldf(rsV, n2 - 1);
    const v = Math.exp(ldf(etaV, n2 - 1) * d * d) * fc;
    store<f64>(rowI + o, load<f64>(rowI + o) + v);
    store<f64>(rowJ + o, load<f64>(rowJ + o) + v);
    o += 8;
  }
  for (let f = 0; f < n3; f++) {
    const v = Math.cos(ldf(pG3, f) * r) * fc;
    store<f64>(rowI + o, load<f64>(rowI + o) + v);
    store<f64>(rowJ + o, load<f64>(rowJ + o) + v);
    o += 8;
  }
}
