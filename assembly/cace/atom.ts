// The layer-0 pipeline of one atom (spec sections 2–7): its edges from the neighbour list
// (displacements r_j + T − r_i), R_n f and L_m rows grouped by sender element, the per-element
// densities D, the sender contraction X, the radial mixing Ã and the invariants B.
import { ldf, ldi, sti } from '../memory';
import { angularMonomials } from './angular';
import { densityOfEdges, radialMixing, senderContraction } from './atomicBasis';
import { envelope, radialTimesEnvelope } from './radial';
import {
  K, UNIT_EPS, cutA, cutB, cutoffType, d, gArity, gCoef, gDisp, gElem, gFactors, gFeature, gIndex, gLOf, gOffsets,
  gRadParams, gSender, gWq, lanes, maxL, nAng, nAngP, nR, nRP, nSym, nTerms, nz, radialScalar, radialType, rc,
  wAt, wB, wCursor, wD, wL, wRf, wStart, wX, wqBlock,
} from './state';
import { symmetrize } from './symmetrize';

/**
 * X (wX) of atom i: its edges' R_n f rows (scaled by h[j] of the sender when h ≠ 0, the Bchi
 * messages) and L_m rows grouped by sender element, their densities D and the sender contraction.
 */
export function densityAtom(i: i32, h: usize): void {
  const q0 = ldi(gOffsets, i), q1 = ldi(gOffsets, i + 1);
  const rfStride = <usize>nRP << 3, lStride = <usize>nAngP << 3;
  for (let z = 0; z < nz; z++) sti(wStart, z, 0);
  for (let q = q0; q < q1; q++) {
    const z = ldi(gElem, ldi(gIndex, q));
    sti(wStart, z, ldi(wStart, z) + 1);
  }
  let acc = 0;
  for (let z = 0; z < nz; z++) {
    const cnt = ldi(wStart, z);
    sti(wStart, z, acc);
    sti(wCursor, z, acc);
    acc += cnt;
  }
  for (let q = q0; q < q1; q++) {
    // v = r_i − (r_j + T): from the neighbour to the centre.
    const vx = -ldf(gDisp, 3 * q), vy = -ldf(gDisp, 3 * q + 1), vz = -ldf(gDisp, 3 * q + 2);
    const r = Math.sqrt(vx * vx + vy * vy + vz * vz);
    const j = ldi(gIndex, q);
    const f = envelope(r, cutoffType, rc, cutA, cutB) * (h == 0 ? 1.0 : ldf(h, j));
    const z = ldi(gElem, j);
    const slot = ldi(wCursor, z);
    sti(wCursor, z, slot + 1);
    radialTimesEnvelope(r, f, radialType, nR, nRP, gRadParams, radialScalar, wRf + <usize>slot * rfStride);
    const inv = 1.0 / (r + UNIT_EPS);
    angularMonomials(vx * inv, vy * inv, vz * inv, maxL, nAng, nAngP, wL + <usize>slot * lStride);
  }
  for (let z = 0; z < nz; z++) {
    const s0 = ldi(wStart, z);
    densityOfEdges(
      wRf + <usize>s0 * rfStride, wL + <usize>s0 * lStride, ldi(wCursor, z) - s0,
      wD + (<usize>(z * nR * nAngP) << 3), nR, nRP, nAngP,
    );
  }
  senderContraction(wD, wX, gSender, nz, d, nR, nAngP);
}

/** Ã (wAt) and B (wB) of atom i. */
export function forwardAtom(i: i32): void {
  densityAtom(i, 0);
  radialMixing(wX, gWq + (<usize>(ldi(gElem, i) * wqBlock) << 3), gLOf, wAt, d, nR, K, nAng, nAngP, lanes);
  symmetrize(wAt, wB, lanes, nSym, nTerms, gArity, gFactors, gCoef, gFeature);
}

