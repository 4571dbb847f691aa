// Message passing (spec section 8) over every atom: the forward layers
//   Ã^(t+1) = Ã^(t) μ + norm (Σ_{j→i} Ã^(t)_j p e^(−r κ) f + mix(Σ_{j→i} φ_e h_j)),  B^(t+1) = sym(Ã^(t+1)),
// h_j = w · flatten(B^(t)_j) + b, and their backward pass. Per layer t (lanes layout c K + k, see
// src/cace/kernelPlan.ts): flags[t] bit 0 M, bit 1 Ar, bit 2 Bchi; mu/pre/kappa
// [T][maxL+1][lanes]; hW [T][N_sym][lanes] and hB[T] the Bchi weight. Ã, B and h of every atom
// and layer are kept in AtAll, BAll, hAll ([t][atom] blocks, see state.ts `at`).
import { exp2x, fmadd } from '../math/simdMath';
import { ldf, ldi, stf } from '../memory';
import { angularMonomials } from './angular';
import { radialMixing } from './atomicBasis';
import { densityAtom, forwardAtom } from './atom';
import { mixingBackward, senderBackward, symmetrizeBackward } from './backward';
import { envelope, envelopeDerivative, radialTimesEnvelope } from './radial';
import {
  UNIT_EPS, at, cutA, cutB, cutoffType, d, gArity, gCoef, gDisp, gElem, gFactors, gFeature, gIndex, gLOf, gOffsets,
  gRadParams, gSender, gWq, K, lanes, maxL, nAng, nAngP, nR, nRP, nSym, nTerms, nz, radialScalar, radialType, rc,
  wAt, wB, wL1, wRf, wX, wqBlock,
} from './state';
import { symmetrize } from './symmetrize';

/**
 * p^(l) e^(−r κ^(l)) f(r) norm into ex[l] and its r-derivative p e^(−r κ) (f' − κ f) norm into
 * dex[l] (when dex ≠ 0), every l, lanes layout.
 */
export function arCoefficients(r: f64, f: f64, df: f64, norm: f64, pre: usize, kappa: usize, ex: usize, dex: usize): void {
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
export function addInto(dst: usize, src: usize, n: i32): void {
  for (let o: usize = 0; o < <usize>n << 3; o += 16) v128.store(dst + o, f64x2.add(v128.load(dst + o), v128.load(src + o)));
}

/** Ã^(t), B^(t) of every atom for t = 0..T and h^(t) of the Bchi layers; ex: (maxL+1) lanes of scratch. */
export function forwardLayers(
  nAtoms: i32, T: i32, flags: usize, mu: usize, pre: usize, kappa: usize, hW: usize, hB: usize, norm: f64,
  AtAll: usize, BAll: usize, hAll: usize, ex: usize,
): void {
  const atBytes = <usize>(nAng * lanes) << 3, bBytes = <usize>(nSym * lanes) << 3, lBytes = <usize>lanes << 3;
  const layerL = <usize>(maxL + 1) * lBytes;
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
          const row = <usize>m * lBytes, mr = muT + <usize>ldi(gLOf, m) * lBytes;
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
            const row = <usize>m * lBytes, er = ex + <usize>ldi(gLOf, m) * lBytes;
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

}

/**
 * From ∂E/∂B^(t) of every atom and layer (gBAll), adds ∂E/∂Ã^(t) for t ≥ 1 into gAtAll (zeroed
 * here; gAtAll[0] receives the M and Ar terms of layer 0), the Ar messages' ∂E/∂r of every edge
 * into gR (zeroed here), ∂E/∂(raw Bχ) per atom and sender element into gDh [T][atom][nz·n_rbf·nAngP],
 * and the h terms into gBAll. gh: nAtoms, dex: like ex, wG: one Ã block, gX: d·n_rbf·nAngP.
 */
export function backwardLayers(
  nAtoms: i32, T: i32, flags: usize, mu: usize, pre: usize, kappa: usize, hW: usize, norm: f64,
  AtAll: usize, gAtAll: usize, gBAll: usize, hAll: usize, gh: usize, gR: usize, gDh: usize,
  ex: usize, dex: usize, wG: usize, gX: usize,
): void {
  const atBytes = <usize>(nAng * lanes) << 3, bBytes = <usize>(nSym * lanes) << 3, lBytes = <usize>lanes << 3;
  const layerL = <usize>(maxL + 1) * lBytes;
  const densBytes = <usize>(nz * nR * nAngP) << 3;
  const layers = <usize>(T + 1) * <usize>nAtoms;
  const nEdges = ldi(gOffsets, nAtoms);
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
          const row = <usize>m * lBytes, mr = muU + <usize>ldi(gLOf, m) * lBytes;
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
            const row = <usize>m * lBytes, lo = <usize>ldi(gLOf, m) * lBytes;
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
}
