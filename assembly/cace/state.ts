// State of one CACE kernel call: the configuration (assembly/cace/config.ts), the model and
// neighbour-list arrays, and the per-atom scratch, shared by the forward, message-passing and
// energy kernels.
import { ldf, ldi } from '../memory';
import {
  CF_CUT_A, CF_CUT_B, CF_RADIAL, CF_RC, CI_CUTOFF, CI_D, CI_K, CI_MAX_L, CI_NANG, CI_NANG_P, CI_NR, CI_NR_P,
  CI_NSYM, CI_NTERMS, CI_NZ, CI_RADIAL, align16,
} from './config';

/** In û = v / (r + ε), as the reference code writes it. */
export const UNIT_EPS: f64 = 1e-9;

// Configuration of the current call (set by setup).
export let nz = 0, d = 0, nR = 0, nRP = 0, K = 0, nAng = 0, nAngP = 0, nSym = 0, nTerms = 0;
export let radialType = 0, cutoffType = 0, maxL = 0, C = 0, lanes = 0, wqBlock = 0;
export let rc: f64 = 0, radialScalar: f64 = 0, cutA: f64 = 0, cutB: f64 = 0;
export let gOffsets: usize = 0, gIndex: usize = 0, gDisp: usize = 0, gElem: usize = 0, gRadParams: usize = 0;
export let gSender: usize = 0, gWq: usize = 0, gLOf: usize = 0, gArity: usize = 0, gFactors: usize = 0, gCoef: usize = 0, gFeature: usize = 0;
// Scratch (set by planWork).
export let wRf: usize = 0, wL: usize = 0, wD: usize = 0, wX: usize = 0, wAt: usize = 0, wB: usize = 0, wStart: usize = 0, wCursor: usize = 0;
export let wDrf: usize = 0, wL1: usize = 0, wGL: usize = 0;

/** Lanes of one Ã or B row: C·K rounded up to even. */
@inline export function laneCount(ints: usize): i32 {
  const dd = ldi(ints, CI_D);
  return (dd * dd * ldi(ints, CI_K) + 1) & ~1;
}

export function setup(ints: usize, floats: usize): void {
  nz = ldi(ints, CI_NZ); d = ldi(ints, CI_D); nR = ldi(ints, CI_NR); nRP = ldi(ints, CI_NR_P);
  K = ldi(ints, CI_K); nAng = ldi(ints, CI_NANG); nAngP = ldi(ints, CI_NANG_P); nSym = ldi(ints, CI_NSYM);
  nTerms = ldi(ints, CI_NTERMS); radialType = ldi(ints, CI_RADIAL); cutoffType = ldi(ints, CI_CUTOFF);
  maxL = ldi(ints, CI_MAX_L);
  rc = ldf(floats, CF_RC); radialScalar = ldf(floats, CF_RADIAL); cutA = ldf(floats, CF_CUT_A); cutB = ldf(floats, CF_CUT_B);
  C = d * d;
  lanes = laneCount(ints);
  wqBlock = (maxL + 1) * C * nR * K;
}

/** Lays out the scratch; returns its end. */
export function planWork(work: usize, kMax: i32): usize {
  let p = align16(work);
  // Per atom, the edges' R_n f rows and L_m rows, grouped by sender element (start[z], cursor[z]).
  wRf = p; p = align16(p + (<usize>((kMax + 1) * nRP) << 3));
  wL = p; p = align16(p + (<usize>((kMax + 1) * nAngP) << 3));
  wD = p; p = align16(p + (<usize>(nz * nR * nAngP) << 3));
  wX = p; p = align16(p + (<usize>(d * nR * nAngP) << 3));
  wAt = p; p = align16(p + (<usize>(nAng * lanes) << 3));
  wB = p; p = align16(p + (<usize>(nSym * lanes) << 3));
  wStart = p; p = align16(p + (<usize>nz << 2));
  wCursor = p; p = align16(p + (<usize>nz << 2));
  // Backward pass of one edge.
  wDrf = p; p = align16(p + (<usize>nRP << 3));
  wL1 = p; p = align16(p + (<usize>nAngP << 3));
  wGL = p; p = align16(p + (<usize>nAngP << 3));
  return p;
}

/** Bytes of the per-atom scratch of planWork for at most kMax neighbours per atom. */
export function baseWorkSize(ints: usize, kMax: i32): i32 {
  const f64s = (kMax + 1) * (ldi(ints, CI_NR_P) + ldi(ints, CI_NANG_P));
  const nzz = ldi(ints, CI_NZ), dd = ldi(ints, CI_D), nr = ldi(ints, CI_NR), nap = ldi(ints, CI_NANG_P);
  const l = laneCount(ints);
  const rest = nzz * nr * nap + dd * nr * nap + ldi(ints, CI_NANG) * l + ldi(ints, CI_NSYM) * l + ldi(ints, CI_NR_P) + 2 * nap;
  return ((f64s + rest) << 3) + 2 * nzz * 4 + 16 * 16;
}

/** The model and neighbour-list arrays of the current call. */
export function bindModel(
  offsets: usize, index: usize, disp: usize, elem: usize, radParams: usize, sender: usize, Wq: usize, lOf: usize,
  arity: usize, factors: usize, coef: usize, feature: usize,
): void {
  gOffsets = offsets; gIndex = index; gDisp = disp; gElem = elem; gRadParams = radParams; gSender = sender;
  gWq = Wq; gLOf = lOf; gArity = arity; gFactors = factors; gCoef = coef; gFeature = feature;
}

export let gNAtoms = 0;

export function setAtomCount(n: i32): void {
  gNAtoms = n;
}

/** Block of atom i in layer t of a per-atom-per-layer array of `bytes` per block. */
@inline export function at(base: usize, bytes: usize, t: i32, i: i32): usize {
  return base + bytes * <usize>(t * gNAtoms + i);
}

