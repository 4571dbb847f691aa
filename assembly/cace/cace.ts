// CACE layer-0 features of every atom (spec sections 2–7), and energies with ∂E/∂v of every
// edge through the Atomwise readout (section 9). Per atom: the edges from the neighbour list
// (assembly/neighbors/cellList.ts, displacements r_j + T − r_i), their radial functions times
// envelope and Cartesian monomials, grouped by sender element; the per-element densities D, the
// sender contraction X, the radial mixing Ã and the invariants B, in [k, s, c, t] order.
import { ldf, ldi, stf, sti } from '../memory';
import { angularMonomials } from './angular';
import { densityOfEdges, radialMixing, senderContraction } from './atomicBasis';
import { edgeBackward, mixingBackward, senderBackward, symmetrizeBackward } from './backward';
import {
  CF_CUT_A, CF_CUT_B, CF_RADIAL, CF_RC, CI_CUTOFF, CI_D, CI_K, CI_MAX_L, CI_NANG, CI_NANG_P, CI_NR, CI_NR_P,
  CI_NSYM, CI_NTERMS, CI_NZ, CI_RADIAL, align16,
} from './config';
import { envelope, envelopeDerivative, radialTimesEnvelope, radialWithDerivative } from './radial';
import { atomwise } from './readout';
import { symmetrize } from './symmetrize';

/** In û = v / (r + ε), as the reference code writes it. */
const UNIT_EPS: f64 = 1e-9;

// Configuration of the current call (set by setup).
let nz = 0, d = 0, nR = 0, nRP = 0, K = 0, nAng = 0, nAngP = 0, nSym = 0, nTerms = 0;
let radialType = 0, cutoffType = 0, maxL = 0, C = 0, lanes = 0, wqBlock = 0;
let rc: f64 = 0, radialScalar: f64 = 0, cutA: f64 = 0, cutB: f64 = 0;
let gOffsets: usize = 0, gIndex: usize = 0, gDisp: usize = 0, gElem: usize = 0, gRadParams: usize = 0;
let gSender: usize = 0, gWq: usize = 0, gLOf: usize = 0, gArity: usize = 0, gFactors: usize = 0, gCoef: usize = 0, gFeature: usize = 0;
// Scratch (set by planWork).
let wRf: usize = 0, wL: usize = 0, wD: usize = 0, wX: usize = 0, wAt: usize = 0, wB: usize = 0, wStart: usize = 0, wCursor: usize = 0;
let wDrf: usize = 0, wL1: usize = 0, wGL: usize = 0, wEnd: usize = 0;

/** Lanes of one Ã or B row: C·K rounded up to even. */
@inline function laneCount(ints: usize): i32 {
  const dd = ldi(ints, CI_D);
  return (dd * dd * ldi(ints, CI_K) + 1) & ~1;
}

function setup(ints: usize, floats: usize): void {
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
function planWork(work: usize, kMax: i32): usize {
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
  wEnd = p;
  return p;
}

/** Bytes of scratch caceCompute needs for at most kMax neighbours per atom. */
export function caceWorkSize(ints: usize, kMax: i32): i32 {
  const f64s = (kMax + 1) * (ldi(ints, CI_NR_P) + ldi(ints, CI_NANG_P));
  const nzz = ldi(ints, CI_NZ), dd = ldi(ints, CI_D), nr = ldi(ints, CI_NR), nap = ldi(ints, CI_NANG_P);
  const l = laneCount(ints);
  const rest = nzz * nr * nap + dd * nr * nap + ldi(ints, CI_NANG) * l + ldi(ints, CI_NSYM) * l + ldi(ints, CI_NR_P) + 2 * nap;
  return ((f64s + rest) << 3) + 2 * nzz * 4 + 16 * 16;
}

function bindModel(
  offsets: usize, index: usize, disp: usize, elem: usize, radParams: usize, sender: usize, Wq: usize, lOf: usize,
  arity: usize, factors: usize, coef: usize, feature: usize,
): void {
  gOffsets = offsets; gIndex = index; gDisp = disp; gElem = elem; gRadParams = radParams; gSender = sender;
  gWq = Wq; gLOf = lOf; gArity = arity; gFactors = factors; gCoef = coef; gFeature = feature;
}

/** Ã (wAt) and B (wB) of atom i. */
function forwardAtom(i: i32): void {
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
    const f = envelope(r, cutoffType, rc, cutA, cutB);
    const z = ldi(gElem, ldi(gIndex, q));
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
  radialMixing(wX, gWq + (<usize>(ldi(gElem, i) * wqBlock) << 3), gLOf, wAt, d, nR, K, nAng, nAngP, lanes);
  symmetrize(wAt, wB, lanes, nSym, nTerms, gArity, gFactors, gCoef, gFeature);
}

/**
 * Features of atoms 0..nAtoms−1 into out[i · rowStride + ((k N_sym + s) C + c) · tStride]
 * (tStride = T + 1 leaves room for the message-passing layers).
 *
 * - offsets/index/disp: the neighbour list of every atom (centres = atoms in order); kMax its
 *   largest neighbour count.
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
  setup(ints, floats);
  bindModel(offsets, index, disp, elem, radParams, sender, Wq, lOf, arity, factors, coef, feature);
  planWork(work, kMax);
  // Padding lanes of Ã stay zero.
  memory.fill(wAt, 0, <usize>(nAng * lanes) << 3);
  for (let i = 0; i < nAtoms; i++) {
    forwardAtom(i);
    // B[s, c, k] → out[i, k, s, c, t = 0].
    const row = out + (<usize>i * <usize>rowStride << 3);
    for (let k = 0; k < K; k++) {
      for (let s = 0; s < nSym; s++) {
        for (let c = 0; c < C; c++) stf(row, ((k * nSym + s) * C + c) * tStride, ldf(wB, s * lanes + c * K + k));
      }
    }
  }
}

/** Bytes of scratch caceEnergy needs: caceWorkSize plus the readout's and the gradients'. */
export function caceEnergyWorkSize(ints: usize, kMax: i32, nFeatures: i32, readoutFloats: i32): i32 {
  const l = laneCount(ints);
  const grads = ldi(ints, CI_NANG) * l + ldi(ints, CI_NSYM) * l + ldi(ints, CI_D) * ldi(ints, CI_NR) * ldi(ints, CI_NANG_P)
    + ldi(ints, CI_NZ) * ldi(ints, CI_NR) * ldi(ints, CI_NANG_P);
  return caceWorkSize(ints, kMax) + ((2 * nFeatures + 2 * readoutFloats + grads) << 3) + 16 * 16;
}

/**
 * Atomic energies y_i (out energies[i]) and ∂E/∂v of every edge (dEdv[3q], E = Σ y_i) for a
 * model without message passing. The readout: nLayers Dense layers of sizes[0..nLayers], weights
 * W and biases (see readout.ts), linW/linB the linear term (linW = 0 when absent), maxWidth the
 * widest layer. dIdx/dFac: the monomials' derivative tables (see backward.ts).
 */
export function caceEnergy(
  nAtoms: i32, offsets: usize, index: usize, disp: usize, elem: usize, ints: usize, floats: usize,
  radParams: usize, sender: usize, Wq: usize, lOf: usize,
  arity: usize, factors: usize, coef: usize, feature: usize, kMax: i32,
  nLayers: i32, sizes: usize, W: usize, bias: usize, linW: usize, linB: f64, maxWidth: i32, hidden: i32,
  dIdx: usize, dFac: usize, energies: usize, dEdv: usize, work: usize,
): void {
  setup(ints, floats);
  bindModel(offsets, index, disp, elem, radParams, sender, Wq, lOf, arity, factors, coef, feature);
  let p = planWork(work, kMax);
  const F = K * nSym * C;
  const x = p; p = align16(p + (<usize>F << 3));
  const gx = p; p = align16(p + (<usize>F << 3));
  const z = p; p = align16(p + (<usize>hidden << 3));
  const act = p; p = align16(p + (<usize>hidden << 3));
  const g0 = p; p = align16(p + (<usize>maxWidth << 3));
  const g1 = p; p = align16(p + (<usize>maxWidth << 3));
  const gB = p; p = align16(p + (<usize>(nSym * lanes) << 3));
  const gAt = p; p = align16(p + (<usize>(nAng * lanes) << 3));
  const gX = p; p = align16(p + (<usize>(d * nR * nAngP) << 3));
  const gD = p;
  memory.fill(wAt, 0, <usize>(nAng * lanes) << 3);
  memory.fill(gB, 0, <usize>(nSym * lanes) << 3);
  for (let i = 0; i < nAtoms; i++) {
    forwardAtom(i);
    // x_i in [k, s, c] order, then y_i and ∂y_i/∂x_i.
    for (let k = 0; k < K; k++) for (let s = 0; s < nSym; s++) for (let c = 0; c < C; c++) {
      stf(x, (k * nSym + s) * C + c, ldf(wB, s * lanes + c * K + k));
    }
    stf(energies, i, atomwise(x, nLayers, sizes, W, bias, linW, linB, z, act, g0, g1, gx));
    for (let k = 0; k < K; k++) for (let s = 0; s < nSym; s++) for (let c = 0; c < C; c++) {
      stf(gB, s * lanes + c * K + k, ldf(gx, (k * nSym + s) * C + c));
    }
    symmetrizeBackward(wAt, gB, gAt, lanes, nAng, nTerms, gArity, gFactors, gCoef, gFeature);
    mixingBackward(gAt, gWq + (<usize>(ldi(gElem, i) * wqBlock) << 3), gLOf, gX, d, nR, K, nAng, nAngP, lanes);
    senderBackward(gX, gD, gSender, nz, d, nR, nAngP);
    // Every edge j → i, recomputed with derivatives.
    const q1 = ldi(gOffsets, i + 1);
    for (let q = ldi(gOffsets, i); q < q1; q++) {
      const vx = -ldf(gDisp, 3 * q), vy = -ldf(gDisp, 3 * q + 1), vz = -ldf(gDisp, 3 * q + 2);
      const r = Math.sqrt(vx * vx + vy * vy + vz * vz);
      const f = envelope(r, cutoffType, rc, cutA, cutB);
      const df = envelopeDerivative(r, cutoffType, rc, cutA, cutB);
      radialWithDerivative(r, f, df, radialType, nR, nRP, gRadParams, radialScalar, wRf, wDrf);
      const inv = 1.0 / (r + UNIT_EPS);
      angularMonomials(vx * inv, vy * inv, vz * inv, maxL, nAng, nAngP, wL1);
      const zj = ldi(gElem, ldi(gIndex, q));
      edgeBackward(
        gD + (<usize>(zj * nR * nAngP) << 3), wRf, wDrf, wL1, wGL, nR, nAng, nAngP, dIdx, dFac,
        vx, vy, vz, r, UNIT_EPS, dEdv + (<usize>(3 * q) << 3),
      );
    }
  }
}
