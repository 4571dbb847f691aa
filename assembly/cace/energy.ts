// Energies and forces (spec section 9): the representation with message passing, the Atomwise
// readout of every atom, then the backward pass through the layers and every edge to ∂E/∂v.
import { fmadd } from '../math/simdMath';
import { ldf, ldi, stf } from '../memory';
import { angularMonomials } from './angular';
import { edgeBackward, mixingBackward, senderBackward, symmetrizeBackward } from './backward';
import { CI_D, CI_K, CI_MAX_L, CI_NANG, CI_NANG_P, CI_NR, CI_NSYM, CI_NZ, align16 } from './config';
import { addInto, backwardLayers, forwardLayers } from './messagePassing';
import { envelope, envelopeDerivative, radialWithDerivative } from './radial';
import { atomwise } from './readout';
import { forwardAtom } from './atom';
import {
  C, K, UNIT_EPS, at, baseWorkSize, bindModel, cutA, cutB, cutoffType, d, gArity, gCoef, gDisp, gElem, gFactors,
  gFeature, gIndex, gLOf, gOffsets, gRadParams, gSender, gWq, laneCount, lanes, maxL, nAng, nAngP, nR, nRP, nSym,
  nTerms, nz, planWork, radialScalar, radialType, rc, setAtomCount, setup, wAt, wB, wDrf, wGL, wL1, wRf, wqBlock, gNAtoms,
} from './state';

/**
 * Bytes of scratch caceEnergy needs for nAtoms atoms, nEdges edges, T layers, a readout with
 * `readoutFloats` = Σ widths + largest width.
 */
export function caceEnergyWorkSize(ints: usize, kMax: i32, nAtoms: i32, nEdges: i32, T: i32, readoutFloats: i32): i32 {
  const l = laneCount(ints);
  const nAngI = ldi(ints, CI_NANG), nSymI = ldi(ints, CI_NSYM), nap = ldi(ints, CI_NANG_P), nr = ldi(ints, CI_NR);
  const perAtom = (nAngI + nSymI) * l;
  const dens = ldi(ints, CI_NZ) * nr * nap;
  const F = ldi(ints, CI_K) * nSymI * ldi(ints, CI_D) * ldi(ints, CI_D) * (T + 1);
  if (T == 0) {
    const small = 2 * F + 2 * readoutFloats + nSymI * l + nAngI * l + ldi(ints, CI_D) * nr * nap + dens + nr * nap;
    return baseWorkSize(ints, kMax) + (small << 3) + 16 * 16;
  }
  const f64s = 2 * perAtom * nAtoms * (T + 1) + (T + 1) * nAtoms + nEdges + dens * nAtoms * T + dens
    + 4 * (ldi(ints, CI_MAX_L) + 1) * l + 2 * F + 2 * readoutFloats + nAngI * l + ldi(ints, CI_D) * nr * nap + nr * nap;
  return baseWorkSize(ints, kMax) + (f64s << 3) + 24 * 16;
}

/**
 * Atomic energies y_i (energies[i]) and ∂E/∂v of every edge (dEdv[3q], E = Σ y_i), with T ≥ 0
 * message-passing layers (parameters as caceComputeLayers) and the Atomwise readout: nLayers
 * Dense layers of sizes[0..nLayers], weights W and biases (see readout.ts), linW/linB the linear
 * term (linW = 0 when absent), maxWidth the widest layer, hidden Σ sizes[1..]. dIdx/dFac: the
 * monomials' derivative tables (see backward.ts). The forward pass keeps Ã^(t), B^(t) and h^(t)
 * of every atom; the backward pass runs the layers in reverse, then every edge once.
 */
export function caceEnergy(
  nAtoms: i32, offsets: usize, index: usize, disp: usize, elem: usize, ints: usize, floats: usize,
  radParams: usize, sender: usize, Wq: usize, lOf: usize,
  arity: usize, factors: usize, coef: usize, feature: usize, kMax: i32,
  T: i32, flags: usize, mu: usize, pre: usize, kappa: usize, hW: usize, hB: usize, norm: f64,
  nLayers: i32, sizes: usize, W: usize, bias: usize, linW: usize, linB: f64, maxWidth: i32, hidden: i32,
  dIdx: usize, dFac: usize, energies: usize, dEdv: usize, work: usize,
): void {
  setup(ints, floats);
  bindModel(offsets, index, disp, elem, radParams, sender, Wq, lOf, arity, factors, coef, feature);
  let p = planWork(work, kMax);
  setAtomCount(nAtoms);
  if (T == 0) {
    streamingEnergy(nAtoms, nLayers, sizes, W, bias, linW, linB, maxWidth, hidden, dIdx, dFac, energies, dEdv, p);
    return;
  }
  const nEdges = ldi(offsets, nAtoms);
  const atBytes = <usize>(nAng * lanes) << 3, bBytes = <usize>(nSym * lanes) << 3, lBytes = <usize>lanes << 3;
  const densN = nz * nR * nAngP, densBytes = <usize>densN << 3;
  const layers = <usize>(T + 1) * <usize>nAtoms;
  const AtAll = p; p = align16(p + atBytes * layers);
  const BAll = p; p = align16(p + bBytes * layers);
  const gAtAll = p; p = align16(p + atBytes * layers);
  const gBAll = p; p = align16(p + bBytes * layers);
  const hAll = p; p = align16(p + (<usize>((T + 1) * nAtoms) << 3));
  const gR = p; p = align16(p + (<usize>nEdges << 3));
  const gDh = p; p = align16(p + densBytes * <usize>(nAtoms * T));
  const gD0 = p; p = align16(p + densBytes);
  const layerL = <usize>(maxL + 1) * lBytes;
  const ex = p; p = align16(p + layerL);
  const dex = p; p = align16(p + layerL);
  const F = K * nSym * C, FT = F * (T + 1);
  const x = p; p = align16(p + (<usize>FT << 3));
  const gx = p; p = align16(p + (<usize>FT << 3));
  const z = p; p = align16(p + (<usize>hidden << 3));
  const act = p; p = align16(p + (<usize>hidden << 3));
  const g0 = p; p = align16(p + (<usize>maxWidth << 3));
  const g1 = p; p = align16(p + (<usize>maxWidth << 3));
  const wG = p; p = align16(p + atBytes);
  const gX = p; p = align16(p + (<usize>(d * nR * nAngP) << 3));
  const P = p;
  const gh = hAll + (<usize>(T * nAtoms) << 3);

  // Forward: Ã^(t), B^(t) of every atom (as caceComputeLayers), h^(t) of the Bchi layers.
  forwardLayers(nAtoms, T, flags, mu, pre, kappa, hW, hB, norm, AtAll, BAll, hAll, ex);

  // Readout: y_i and ∂y_i/∂B^(t)_i ([k, s, c, t] ↔ lanes).
  memory.fill(gBAll, 0, bBytes * layers);
  for (let i = 0; i < nAtoms; i++) {
    for (let t = 0; t <= T; t++) {
      const b = at(BAll, bBytes, t, i);
      for (let k = 0; k < K; k++) for (let s = 0; s < nSym; s++) for (let c = 0; c < C; c++) {
        stf(x, ((k * nSym + s) * C + c) * (T + 1) + t, ldf(b, s * lanes + c * K + k));
      }
    }
    stf(energies, i, atomwise(x, nLayers, sizes, W, bias, linW, linB, z, act, g0, g1, gx));
    for (let t = 0; t <= T; t++) {
      const gb = at(gBAll, bBytes, t, i);
      for (let k = 0; k < K; k++) for (let s = 0; s < nSym; s++) for (let c = 0; c < C; c++) {
        stf(gb, s * lanes + c * K + k, ldf(gx, ((k * nSym + s) * C + c) * (T + 1) + t));
      }
    }
  }

  backwardLayers(nAtoms, T, flags, mu, pre, kappa, hW, norm, AtAll, gAtAll, gBAll, hAll, gh, gR, gDh, ex, dex, wG, gX);

  // Layer 0 and every edge: P = ∂E/∂D0_i[z_j] + Σ_u h^(u)_j ∂E/∂Dh^(u)_i[z_j], then R_n f, L_m, û.
  for (let i = 0; i < nAtoms; i++) {
    symmetrizeBackward(at(AtAll, atBytes, 0, i), at(gBAll, bBytes, 0, i), wG, lanes, nAng, nTerms, gArity, gFactors, gCoef, gFeature);
    addInto(wG, at(gAtAll, atBytes, 0, i), nAng * lanes);
    mixingBackward(wG, gWq + (<usize>(ldi(gElem, i) * wqBlock) << 3), gLOf, gX, d, nR, K, nAng, nAngP, lanes);
    senderBackward(gX, gD0, gSender, nz, d, nR, nAngP);
    edgesOfAtom(i, gD0, P, T, flags, hAll, gDh, gR, dIdx, dFac, dEdv);
  }
}

/**
 * Without message passing every atom is independent: forward, readout and backward one atom at a
 * time, with O(1) scratch besides the outputs.
 */
function streamingEnergy(
  nAtoms: i32, nLayers: i32, sizes: usize, W: usize, bias: usize, linW: usize, linB: f64, maxWidth: i32, hidden: i32,
  dIdx: usize, dFac: usize, energies: usize, dEdv: usize, work: usize,
): void {
  let p = work;
  const F = K * nSym * C;
  const x = p; p = align16(p + (<usize>F << 3));
  const gx = p; p = align16(p + (<usize>F << 3));
  const z = p; p = align16(p + (<usize>hidden << 3));
  const act = p; p = align16(p + (<usize>hidden << 3));
  const g0 = p; p = align16(p + (<usize>maxWidth << 3));
  const g1 = p; p = align16(p + (<usize>maxWidth << 3));
  const gB = p; p = align16(p + (<usize>(nSym * lanes) << 3));
  const wG = p; p = align16(p + (<usize>(nAng * lanes) << 3));
  const gX = p; p = align16(p + (<usize>(d * nR * nAngP) << 3));
  const gD0 = p; p = align16(p + (<usize>(nz * nR * nAngP) << 3));
  const P = p;
  memory.fill(wAt, 0, <usize>(nAng * lanes) << 3);
  memory.fill(gB, 0, <usize>(nSym * lanes) << 3);
  for (let i = 0; i < nAtoms; i++) {
    forwardAtom(i);
    for (let k = 0; k < K; k++) for (let s = 0; s < nSym; s++) for (let c = 0; c < C; c++) {
      stf(x, (k * nSym + s) * C + c, ldf(wB, s * lanes + c * K + k));
    }
    stf(energies, i, atomwise(x, nLayers, sizes, W, bias, linW, linB, z, act, g0, g1, gx));
    for (let k = 0; k < K; k++) for (let s = 0; s < nSym; s++) for (let c = 0; c < C; c++) {
      stf(gB, s * lanes + c * K + k, ldf(gx, (k * nSym + s) * C + c));
    }
    symmetrizeBackward(wAt, gB, wG, lanes, nAng, nTerms, gArity, gFactors, gCoef, gFeature);
    mixingBackward(wG, gWq + (<usize>(ldi(gElem, i) * wqBlock) << 3), gLOf, gX, d, nR, K, nAng, nAngP, lanes);
    senderBackward(gX, gD0, gSender, nz, d, nR, nAngP);
    edgesOfAtom(i, gD0, P, 0, 0, 0, 0, 0, dIdx, dFac, dEdv);
  }
}

/**
 * ∂E/∂v of the edges j → i of atom i: P = ∂E/∂D0_i[z_j] + Σ_u h^(u)_j ∂E/∂Dh^(u)_i[z_j] (gDh
 * [T][atom] blocks of every sender element), then through R_n f, L_m and û; plus the Ar
 * messages' ∂E/∂r (gR, 0 when there are none) along v/r.
 */
function edgesOfAtom(
  i: i32, gD0: usize, P: usize, T: i32, flags: usize, hAll: usize, gDh: usize, gR: usize, dIdx: usize, dFac: usize, dEdv: usize,
): void {
  const densBytes = <usize>(nz * nR * nAngP) << 3;
  const nAtoms = gNAtoms;
  const q1 = ldi(gOffsets, i + 1);
  for (let q = ldi(gOffsets, i); q < q1; q++) {
    const vx = -ldf(gDisp, 3 * q), vy = -ldf(gDisp, 3 * q + 1), vz = -ldf(gDisp, 3 * q + 2);
    const r = Math.sqrt(vx * vx + vy * vy + vz * vz);
    const f = envelope(r, cutoffType, rc, cutA, cutB);
    const df = envelopeDerivative(r, cutoffType, rc, cutA, cutB);
    radialWithDerivative(r, f, df, radialType, nR, nRP, gRadParams, radialScalar, wRf, wDrf);
    const inv = 1.0 / (r + UNIT_EPS);
    angularMonomials(vx * inv, vy * inv, vz * inv, maxL, nAng, nAngP, wL1);
    const j = ldi(gIndex, q);
    const zOff = <usize>(ldi(gElem, j) * nR * nAngP) << 3;
    const rowBytes = <usize>(nR * nAngP) << 3;
    memory.copy(P, gD0 + zOff, rowBytes);
    for (let u = 0; u < T; u++) {
      if ((ldi(flags, u) & 4) == 0) continue;
      const hv = f64x2.splat(ldf(hAll, u * nAtoms + j));
      const G = gDh + densBytes * <usize>(u * nAtoms + i) + zOff;
      for (let o: usize = 0; o < rowBytes; o += 16) v128.store(P + o, fmadd(hv, v128.load(G + o), v128.load(P + o)));
    }
    const o3 = dEdv + (<usize>(3 * q) << 3);
    edgeBackward(P, wRf, wDrf, wL1, wGL, nR, nAng, nAngP, dIdx, dFac, vx, vy, vz, r, UNIT_EPS, o3);
    // The Ar messages' ∂E/∂r: + gR v / r.
    if (gR != 0) {
      const gr = ldf(gR, q) / r;
      stf(o3, 0, ldf(o3, 0) + gr * vx);
      stf(o3, 1, ldf(o3, 1) + gr * vy);
      stf(o3, 2, ldf(o3, 2) + gr * vz);
    }
  }
}
