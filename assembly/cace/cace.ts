// CACE layer-0 features of every atom (spec sections 2–7): per atom, the edges from the
// neighbour list (assembly/neighbors/cellList.ts, displacements r_j + T − r_i), their radial
// functions times envelope and Cartesian monomials, the per-element density D, the sender
// contraction X, the radial mixing Ã and the invariants B, written in [k, s, c, t] order.
import { ldf, ldi, stf, sti } from '../memory';
import { angularMonomials } from './angular';
import { densityOfEdges, radialMixing, senderContraction } from './atomicBasis';
import {
  CF_CUT_A, CF_CUT_B, CF_RADIAL, CF_RC, CI_CUTOFF, CI_D, CI_K, CI_NANG, CI_NANG_P, CI_NR, CI_NR_P, CI_NSYM,
  CI_MAX_L, CI_NTERMS, CI_NZ, CI_RADIAL, align16,
} from './config';
import { envelope, radialTimesEnvelope } from './radial';
import { symmetrize } from './symmetrize';

/** In û = v / (r + ε), as the reference code writes it. */
const UNIT_EPS: f64 = 1e-9;

/** Lanes of one Ã or B row: C·K rounded up to even. */
@inline function laneCount(ints: usize): i32 {
  const d = ldi(ints, CI_D);
  return (d * d * ldi(ints, CI_K) + 1) & ~1;
}

/** Bytes of scratch caceCompute needs for at most kMax neighbours per atom. */
export function caceWorkSize(ints: usize, kMax: i32): i32 {
  const nz = ldi(ints, CI_NZ), d = ldi(ints, CI_D), nR = ldi(ints, CI_NR), nRP = ldi(ints, CI_NR_P);
  const nAng = ldi(ints, CI_NANG), nAngP = ldi(ints, CI_NANG_P), nSym = ldi(ints, CI_NSYM);
  const lanes = laneCount(ints);
  const f64s = (kMax + 1) * (nRP + nAngP + 2) + nz * nR * nAngP + d * nR * nAngP + nAng * lanes + nSym * lanes;
  return (f64s << 3) + 2 * nz * 4 + 8 * 16;
}

/**
 * Features of atoms 0..nAtoms−1 into out[i · rowStride + ((k N_sym + s) C + c) · tStride]
 * (tStride = T + 1 leaves room for the message-passing layers).
 *
 * - offsets/index/disp: the neighbour list of every atom (centres = atoms in order).
 * - elem[i]: index of atom i's element in zs.
 * - radParams: per-radial-function parameters (see radial.ts), padded to nRP.
 * - sender: W_s [nz, d]; Wq: per receiver element, [nz][maxL+1][C][n_rbf][K] (see atomicBasis.ts).
 * - lOf: l of every angular index m.
 * - arity/factors/coef/feature: the symmetriser's monomials.
 */
export function caceCompute(
  nAtoms: i32, offsets: usize, index: usize, disp: usize, elem: usize, ints: usize, floats: usize,
  radParams: usize, sender: usize, Wq: usize, lOf: usize,
  arity: usize, factors: usize, coef: usize, feature: usize, out: usize, rowStride: i32, tStride: i32, kMax: i32, work: usize,
): void {
  const nz = ldi(ints, CI_NZ), d = ldi(ints, CI_D), nR = ldi(ints, CI_NR), nRP = ldi(ints, CI_NR_P);
  const K = ldi(ints, CI_K), nAng = ldi(ints, CI_NANG), nAngP = ldi(ints, CI_NANG_P), nSym = ldi(ints, CI_NSYM);
  const nTerms = ldi(ints, CI_NTERMS), radialType = ldi(ints, CI_RADIAL), cutoffType = ldi(ints, CI_CUTOFF);
  const rc = ldf(floats, CF_RC), radialScalar = ldf(floats, CF_RADIAL);
  const cutA = ldf(floats, CF_CUT_A), cutB = ldf(floats, CF_CUT_B);
  const C = d * d;
  const lanes = laneCount(ints);
  const maxL = ldi(ints, CI_MAX_L);
  const wqBlock = (maxL + 1) * C * nR * K;

  let p = align16(work);
  // Per atom, the edges' R_n f rows and L_m rows, grouped by sender element (start[z], cursor[z]).
  const rf = p; p = align16(p + (<usize>((kMax + 1) * nRP) << 3));
  const L = p; p = align16(p + (<usize>((kMax + 1) * (nAngP + 2)) << 3));
  const D = p; p = align16(p + (<usize>(nz * nR * nAngP) << 3));
  const X = p; p = align16(p + (<usize>(d * nR * nAngP) << 3));
  const At = p; p = align16(p + (<usize>(nAng * lanes) << 3));
  const B = p; p = align16(p + (<usize>(nSym * lanes) << 3));
  const start = p; p = align16(p + (<usize>nz << 2));
  const cursor = p;
  const rfStride = <usize>nRP << 3, lStride = <usize>nAngP << 3;
  // Padding lanes of Ã stay zero.
  memory.fill(At, 0, <usize>(nAng * lanes) << 3);

  for (let i = 0; i < nAtoms; i++) {
    const q0 = ldi(offsets, i), q1 = ldi(offsets, i + 1);
    for (let z = 0; z < nz; z++) sti(start, z, 0);
    for (let q = q0; q < q1; q++) {
      const z = ldi(elem, ldi(index, q));
      sti(start, z, ldi(start, z) + 1);
    }
    let acc = 0;
    for (let z = 0; z < nz; z++) {
      const cnt = ldi(start, z);
      sti(start, z, acc);
      sti(cursor, z, acc);
      acc += cnt;
    }
    for (let q = q0; q < q1; q++) {
      // v = r_i − (r_j + T): from the neighbour to the centre.
      const vx = -ldf(disp, 3 * q), vy = -ldf(disp, 3 * q + 1), vz = -ldf(disp, 3 * q + 2);
      const r = Math.sqrt(vx * vx + vy * vy + vz * vz);
      const f = envelope(r, cutoffType, rc, cutA, cutB);
      const z = ldi(elem, ldi(index, q));
      const slot = ldi(cursor, z);
      sti(cursor, z, slot + 1);
      radialTimesEnvelope(r, f, radialType, nR, nRP, radParams, radialScalar, rf + <usize>slot * rfStride);
      const inv = 1.0 / (r + UNIT_EPS);
      angularMonomials(vx * inv, vy * inv, vz * inv, maxL, nAng, nAngP, L + <usize>slot * lStride);
    }
    for (let z = 0; z < nz; z++) {
      const s0 = ldi(start, z);
      densityOfEdges(
        rf + <usize>s0 * rfStride, L + <usize>s0 * lStride, ldi(cursor, z) - s0,
        D + (<usize>(z * nR * nAngP) << 3), nR, nRP, nAngP,
      );
    }
    senderContraction(D, X, sender, nz, d, nR, nAngP);
    radialMixing(X, Wq + (<usize>(ldi(elem, i) * wqBlock) << 3), lOf, At, d, nR, K, nAng, nAngP, lanes);
    symmetrize(At, B, lanes, nSym, nTerms, arity, factors, coef, feature);
    // B[s, c, k] → out[i, k, s, c, t = 0].
    const row = out + (<usize>i * <usize>rowStride << 3);
    for (let k = 0; k < K; k++) {
      for (let s = 0; s < nSym; s++) {
        for (let c = 0; c < C; c++) stf(row, ((k * nSym + s) * C + c) * tStride, ldf(B, s * lanes + c * K + k));
      }
    }
  }
}
