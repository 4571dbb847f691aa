// CACE layer-0 features of every atom (spec sections 2–7), and energies with ∂E/∂v of every
// edge through the Atomwise readout (section 9). Per atom: the edges from the neighbour list
// (assembly/neighbors/cellList.ts, displacements r_j + T − r_i), their radial functions times
// envelope and Cartesian monomials, grouped by sender element; the per-element densities D, the
// sender contraction X, the radial mixing Ã and the invariants B, in [k, s, c, t] order.
import { exp2x, fmadd } from '../math/simdMath';
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

/**
 * X (wX) of atom i: its edges' R_n f rows (scaled by h[j] of the sender when h ≠ 0, the Bchi
 * messages) and L_m rows grouped by sender element, their densities D and the sender contraction.
 */
function densityAtom(i: i32, h: usize): void {
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
function forwardAtom(i: i32): void {
  densityAtom(i, 0);
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
  const f64s = 2 * perAtom * nAtoms * (T + 1) + (T + 1) * nAtoms + nEdges + dens * nAtoms * T + dens
    + 4 * (ldi(ints, CI_MAX_L) + 1) * l + 2 * F + 2 * readoutFloats + nAngI * l + ldi(ints, CI_D) * nr * nap + nr * nap;
  return caceWorkSize(ints, kMax) + (f64s << 3) + 24 * 16;
}

let gNAtoms = 0;

/** Block of atom i in layer t of a per-atom-per-layer array of `bytes` per block. */
@inline function at(base: usize, bytes: usize, t: i32, i: i32): usize {
  return base + bytes * <usize>(t * gNAtoms + i);
}

/**
 * p^(l) e^(−r κ^(l)) f(r) norm into ex[l] and its r-derivative p e^(−r κ) (f' − κ f) norm into
 * dex[l] (when dex ≠ 0), every l, lanes layout.
 */
function arCoefficients(r: f64, f: f64, df: f64, norm: f64, pre: usize, kappa: usize, ex: usize, dex: usize): void {
  const lBytes = <usize>lanes << 3;
  const nr = f64x2.splat(-r), fv = f64x2.splat(f * norm), dfv = f64x2.splat(df * norm);
  for (let o: usize = 0; o < <usize>(maxL + 1) * lBytes; o += 16) {
    const kap = v128.load(kappa + o);
    const pe = f64x2.mul(v128.load(pre + o), exp2x(f64x2.mul(nr, kap)));
    v128.store(ex + o, f64x2.mul(pe, fv));
    if (dex != 0) v128.store(dex + o, f64x2.mul(pe, f64x2.sub(dfv, f64x2.mul(kap, fv))));
  }
}

/** dst[q] += src[q] for n doubles (n even). */
function addInto(dst: usize, src: usize, n: i32): void {
  for (let o: usize = 0; o < <usize>n << 3; o += 16) v128.store(dst + o, f64x2.add(v128.load(dst + o), v128.load(src + o)));
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
  gNAtoms = nAtoms;

  // Forward: Ã^(t), B^(t) of every atom (as caceComputeLayers), h^(t) of the Bchi layers.
  memory.fill(wAt, 0, atBytes);
  for (let i = 0; i < nAtoms; i++) {
    forwardAtom(i);
    memory.copy(at(AtAll, atBytes, 0, i), wAt, atBytes);
    memory.copy(at(BAll, bBytes, 0, i), wB, bBytes);
  }
  for (let t = 0; t < T; t++) {
    const fl = ldi(flags, t);
    const muT = mu + layerL * <usize>t, preT = pre + layerL * <usize>t, kapT = kappa + layerL * <usize>t;
    const h = hAll + (<usize>(t * nAtoms) << 3);
    if (fl & 4) {
      const w = hW + bBytes * <usize>t;
      for (let j = 0; j < nAtoms; j++) {
        let acc = f64x2.splat(0.0);
        const bj = at(BAll, bBytes, t, j);
        for (let o: usize = 0; o < bBytes; o += 16) acc = fmadd(v128.load(w + o), v128.load(bj + o), acc);
        stf(h, j, ldf(hB, t) + f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1));
      }
    }
    const nv = f64x2.splat(norm);
    for (let i = 0; i < nAtoms; i++) {
      const next = at(AtAll, atBytes, t + 1, i), prev = at(AtAll, atBytes, t, i);
      memory.fill(next, 0, atBytes);
      if (fl & 1) {
        for (let m = 0; m < nAng; m++) {
          const row = <usize>m * lBytes, mr = muT + <usize>ldi(lOf, m) * lBytes;
          for (let o: usize = 0; o < lBytes; o += 16) v128.store(next + row + o, f64x2.mul(v128.load(prev + row + o), v128.load(mr + o)));
        }
      }
      if (fl & 2) {
        const q1 = ldi(gOffsets, i + 1);
        for (let q = ldi(gOffsets, i); q < q1; q++) {
          const vx = ldf(gDisp, 3 * q), vy = ldf(gDisp, 3 * q + 1), vz = ldf(gDisp, 3 * q + 2);
          const r = Math.sqrt(vx * vx + vy * vy + vz * vz);
          arCoefficients(r, envelope(r, cutoffType, rc, cutA, cutB), 0.0, norm, preT, kapT, ex, 0);
          const aj = at(AtAll, atBytes, t, ldi(gIndex, q));
          for (let m = 0; m < nAng; m++) {
            const row = <usize>m * lBytes, er = ex + <usize>ldi(lOf, m) * lBytes;
            for (let o: usize = 0; o < lBytes; o += 16) {
              v128.store(next + row + o, fmadd(v128.load(aj + row + o), v128.load(er + o), v128.load(next + row + o)));
            }
          }
        }
      }
      if (fl & 4) {
        densityAtom(i, h);
        radialMixing(wX, gWq + (<usize>(ldi(gElem, i) * wqBlock) << 3), gLOf, wAt, d, nR, K, nAng, nAngP, lanes);
        for (let o: usize = 0; o < atBytes; o += 16) v128.store(next + o, fmadd(nv, v128.load(wAt + o), v128.load(next + o)));
      }
      symmetrize(next, at(BAll, bBytes, t + 1, i), lanes, nSym, nTerms, gArity, gFactors, gCoef, gFeature);
    }
  }

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

  // Backward through the layers, last first.
  memory.fill(gAtAll, 0, atBytes * layers);
  memory.fill(gR, 0, <usize>nEdges << 3);
  for (let t = T; t >= 1; t--) {
    for (let i = 0; i < nAtoms; i++) {
      symmetrizeBackward(at(AtAll, atBytes, t, i), at(gBAll, bBytes, t, i), wG, lanes, nAng, nTerms, gArity, gFactors, gCoef, gFeature);
      addInto(at(gAtAll, atBytes, t, i), wG, nAng * lanes);
    }
    const u = t - 1;
    const fl = ldi(flags, u);
    const muU = mu + layerL * <usize>u, preU = pre + layerL * <usize>u, kapU = kappa + layerL * <usize>u;
    const h = hAll + (<usize>(u * nAtoms) << 3);
    if (fl & 4) memory.fill(gh, 0, <usize>nAtoms << 3);
    for (let i = 0; i < nAtoms; i++) {
      const gNext = at(gAtAll, atBytes, t, i);
      if (fl & 1) {
        const gPrev = at(gAtAll, atBytes, u, i);
        for (let m = 0; m < nAng; m++) {
          const row = <usize>m * lBytes, mr = muU + <usize>ldi(lOf, m) * lBytes;
          for (let o: usize = 0; o < lBytes; o += 16) {
            v128.store(gPrev + row + o, fmadd(v128.load(gNext + row + o), v128.load(mr + o), v128.load(gPrev + row + o)));
          }
        }
      }
      if (fl & 2) {
        const q1 = ldi(gOffsets, i + 1);
        for (let q = ldi(gOffsets, i); q < q1; q++) {
          const vx = ldf(gDisp, 3 * q), vy = ldf(gDisp, 3 * q + 1), vz = ldf(gDisp, 3 * q + 2);
          const r = Math.sqrt(vx * vx + vy * vy + vz * vz);
          const f = envelope(r, cutoffType, rc, cutA, cutB), df = envelopeDerivative(r, cutoffType, rc, cutA, cutB);
          arCoefficients(r, f, df, norm, preU, kapU, ex, dex);
          const j = ldi(gIndex, q);
          const aj = at(AtAll, atBytes, u, j), gj = at(gAtAll, atBytes, u, j);
          let acc = f64x2.splat(0.0);
          for (let m = 0; m < nAng; m++) {
            const row = <usize>m * lBytes, lo = <usize>ldi(lOf, m) * lBytes;
            for (let o: usize = 0; o < lBytes; o += 16) {
              const g = v128.load(gNext + row + o);
              v128.store(gj + row + o, fmadd(g, v128.load(ex + lo + o), v128.load(gj + row + o)));
              acc = fmadd(f64x2.mul(g, v128.load(aj + row + o)), v128.load(dex + lo + o), acc);
            }
          }
          stf(gR, q, ldf(gR, q) + f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1));
        }
      }
      if (fl & 4) {
        // ∂E/∂(raw Bχ_i) = norm · mixᵀ(∂E/∂Ã^(t)_i), per sender element; then ∂E/∂h_j per edge.
        mixingBackward(gNext, gWq + (<usize>(ldi(gElem, i) * wqBlock) << 3), gLOf, gX, d, nR, K, nAng, nAngP, lanes);
        const gDi = gDh + densBytes * <usize>(u * nAtoms + i);
        senderBackward(gX, gDi, gSender, nz, d, nR, nAngP);
        const nv = f64x2.splat(norm);
        for (let o: usize = 0; o < densBytes; o += 16) v128.store(gDi + o, f64x2.mul(nv, v128.load(gDi + o)));
        const q1 = ldi(gOffsets, i + 1);
        for (let q = ldi(gOffsets, i); q < q1; q++) {
          const vx = -ldf(gDisp, 3 * q), vy = -ldf(gDisp, 3 * q + 1), vz = -ldf(gDisp, 3 * q + 2);
          const r = Math.sqrt(vx * vx + vy * vy + vz * vz);
          radialTimesEnvelope(r, envelope(r, cutoffType, rc, cutA, cutB), radialType, nR, nRP, gRadParams, radialScalar, wRf);
          const inv = 1.0 / (r + UNIT_EPS);
          angularMonomials(vx * inv, vy * inv, vz * inv, maxL, nAng, nAngP, wL1);
          const j = ldi(gIndex, q);
          const G = gDi + (<usize>(ldi(gElem, j) * nR * nAngP) << 3);
          let acc: f64 = 0.0;
          for (let n = 0; n < nR; n++) {
            let dv = f64x2.splat(0.0);
            const row = G + (<usize>(n * nAngP) << 3);
            for (let o: usize = 0; o < <usize>nAngP << 3; o += 16) dv = fmadd(v128.load(row + o), v128.load(wL1 + o), dv);
            acc += ldf(wRf, n) * (f64x2.extract_lane(dv, 0) + f64x2.extract_lane(dv, 1));
          }
          stf(gh, j, ldf(gh, j) + acc);
        }
      }
    }
    if (fl & 4) {
      // ∂E/∂B^(u)_j += ∂E/∂h_j w.
      const w = hW + bBytes * <usize>u;
      for (let j = 0; j < nAtoms; j++) {
        const gv = f64x2.splat(ldf(gh, j));
        const gb = at(gBAll, bBytes, u, j);
        for (let o: usize = 0; o < bBytes; o += 16) v128.store(gb + o, fmadd(gv, v128.load(w + o), v128.load(gb + o)));
      }
    }
  }

  // Layer 0 and every edge: P = ∂E/∂D0_i[z_j] + Σ_u h^(u)_j ∂E/∂Dh^(u)_i[z_j], then R_n f, L_m, û.
  for (let i = 0; i < nAtoms; i++) {
    symmetrizeBackward(at(AtAll, atBytes, 0, i), at(gBAll, bBytes, 0, i), wG, lanes, nAng, nTerms, gArity, gFactors, gCoef, gFeature);
    addInto(wG, at(gAtAll, atBytes, 0, i), nAng * lanes);
    mixingBackward(wG, gWq + (<usize>(ldi(gElem, i) * wqBlock) << 3), gLOf, gX, d, nR, K, nAng, nAngP, lanes);
    senderBackward(gX, gD0, gSender, nz, d, nR, nAngP);
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
      const gr = ldf(gR, q) / r;
      stf(o3, 0, ldf(o3, 0) + gr * vx);
      stf(o3, 1, ldf(o3, 1) + gr * vy);
      stf(o3, 2, ldf(o3, 2) + gr * vz);
    }
  }
}

/** Bytes of scratch caceComputeLayers needs beyond caceWorkSize: Ã and B of every atom and layer. */
export function caceLayersWorkSize(ints: usize, kMax: i32, nAtoms: i32, T: i32): i32 {
  const l = laneCount(ints);
  const perAtom = (ldi(ints, CI_NANG) + ldi(ints, CI_NSYM)) * l;
  return caceWorkSize(ints, kMax) + ((perAtom * nAtoms * (T + 1) + nAtoms + (ldi(ints, CI_MAX_L) + 1) * l) << 3) + 8 * 16;
}

/**
 * Features of every atom with T message-passing layers (spec section 8), in
 * out[i · rowStride + ((k N_sym + s) C + c) · (T + 1) + t]. Per layer t (lanes layout c K + k,
 * see src/cace/kernelPlan.ts): flags[t] bit 0 M, bit 1 Ar, bit 2 Bchi; mu/pre/kappa
 * [T][maxL+1][lanes] the M and Ar coefficients; hW [T][N_sym][lanes] and hB[T] the Bchi weight.
 *   Ã^(t+1) = Ã^(t) μ + norm (Σ_{j→i} Ã^(t)_j p e^(−r κ) f + mix(Σ_{j→i} φ_e h_j)),  B^(t+1) = sym(Ã^(t+1)).
 */
export function caceComputeLayers(
  nAtoms: i32, offsets: usize, index: usize, disp: usize, elem: usize, ints: usize, floats: usize,
  radParams: usize, sender: usize, Wq: usize, lOf: usize,
  arity: usize, factors: usize, coef: usize, feature: usize, out: usize, rowStride: i32, kMax: i32,
  T: i32, flags: usize, mu: usize, pre: usize, kappa: usize, hW: usize, hB: usize, norm: f64, work: usize,
): void {
  setup(ints, floats);
  bindModel(offsets, index, disp, elem, radParams, sender, Wq, lOf, arity, factors, coef, feature);
  let p = planWork(work, kMax);
  const atBytes = <usize>(nAng * lanes) << 3, bBytes = <usize>(nSym * lanes) << 3;
  const AtAll = p; p = align16(p + atBytes * <usize>(nAtoms * (T + 1)));
  const BAll = p; p = align16(p + bBytes * <usize>(nAtoms * (T + 1)));
  const h = p; p = align16(p + (<usize>nAtoms << 3));
  const ex = p;
  const lBytes = <usize>lanes << 3;
  memory.fill(wAt, 0, atBytes);
  for (let i = 0; i < nAtoms; i++) {
    forwardAtom(i);
    memory.copy(AtAll + atBytes * <usize>i, wAt, atBytes);
    memory.copy(BAll + bBytes * <usize>i, wB, bBytes);
  }
  const layerL = <usize>(maxL + 1) * lBytes;
  for (let t = 0; t < T; t++) {
    const fl = ldi(flags, t);
    const AtT = AtAll + atBytes * <usize>(nAtoms * t), AtN = AtAll + atBytes * <usize>(nAtoms * (t + 1));
    const BT = BAll + bBytes * <usize>(nAtoms * t), BN = BAll + bBytes * <usize>(nAtoms * (t + 1));
    const muT = mu + layerL * <usize>t, preT = pre + layerL * <usize>t, kapT = kappa + layerL * <usize>t;
    if (fl & 4) {
      // h_j = w · flatten(B^(t)_j) + b (w laid out like B's lanes; padding weights are zero).
      const w = hW + bBytes * <usize>t;
      for (let j = 0; j < nAtoms; j++) {
        let acc = f64x2.splat(0.0);
        const bj = BT + bBytes * <usize>j;
        for (let o: usize = 0; o < bBytes; o += 16) acc = fmadd(v128.load(w + o), v128.load(bj + o), acc);
        stf(h, j, ldf(hB, t) + f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1));
      }
    }
    const nv = f64x2.splat(norm);
    for (let i = 0; i < nAtoms; i++) {
      const next = AtN + atBytes * <usize>i, prev = AtT + atBytes * <usize>i;
      memory.fill(next, 0, atBytes);
      if (fl & 1) {
        // M: Ã^(t)_i μ^(l).
        for (let m = 0; m < nAng; m++) {
          const row = <usize>m * lBytes, mr = muT + <usize>ldi(lOf, m) * lBytes;
          for (let o: usize = 0; o < lBytes; o += 16) v128.store(next + row + o, f64x2.mul(v128.load(prev + row + o), v128.load(mr + o)));
        }
      }
      if (fl & 2) {
        // Ar: Σ_{j→i} Ã^(t)_j p^(l) e^(−r κ^(l)) f(r) norm.
        const q1 = ldi(gOffsets, i + 1);
        for (let q = ldi(gOffsets, i); q < q1; q++) {
          const vx = ldf(gDisp, 3 * q), vy = ldf(gDisp, 3 * q + 1), vz = ldf(gDisp, 3 * q + 2);
          const r = Math.sqrt(vx * vx + vy * vy + vz * vz);
          const fr = f64x2.splat(envelope(r, cutoffType, rc, cutA, cutB) * norm);
          const nr = f64x2.splat(-r);
          for (let l = 0; l <= maxL; l++) {
            const o0 = <usize>l * lBytes;
            for (let o: usize = 0; o < lBytes; o += 16) {
              const e = exp2x(f64x2.mul(nr, v128.load(kapT + o0 + o)));
              v128.store(ex + o0 + o, f64x2.mul(f64x2.mul(v128.load(preT + o0 + o), e), fr));
            }
          }
          const aj = AtT + atBytes * <usize>ldi(gIndex, q);
          for (let m = 0; m < nAng; m++) {
            const row = <usize>m * lBytes, er = ex + <usize>ldi(lOf, m) * lBytes;
            for (let o: usize = 0; o < lBytes; o += 16) {
              v128.store(next + row + o, fmadd(v128.load(aj + row + o), v128.load(er + o), v128.load(next + row + o)));
            }
          }
        }
      }
      if (fl & 4) {
        // Bchi: mix(Σ_{j→i} φ_e h_j) norm, with the layer-0 radial mixing.
        densityAtom(i, h);
        radialMixing(wX, gWq + (<usize>(ldi(gElem, i) * wqBlock) << 3), gLOf, wAt, d, nR, K, nAng, nAngP, lanes);
        for (let o: usize = 0; o < atBytes; o += 16) v128.store(next + o, fmadd(nv, v128.load(wAt + o), v128.load(next + o)));
      }
      symmetrize(next, BN + bBytes * <usize>i, lanes, nSym, nTerms, gArity, gFactors, gCoef, gFeature);
    }
  }
  // B^(t)[s, c, k] → out[i, k, s, c, t].
  for (let t = 0; t <= T; t++) {
    for (let i = 0; i < nAtoms; i++) {
      const b = BAll + bBytes * <usize>(nAtoms * t + i);
      const row = out + (<usize>i * <usize>rowStride << 3);
      for (let k = 0; k < K; k++) for (let s = 0; s < nSym; s++) for (let c = 0; c < C; c++) {
        stf(row, ((k * nSym + s) * C + c) * (T + 1) + t, ldf(b, s * lanes + c * K + k));
      }
    }
  }
}
