// CACE features of every atom (spec sections 2–8) in [k, s, c, t] order: layer 0 alone
// (caceCompute) or with message passing (caceComputeLayers). The per-atom pipeline is in
// atom.ts, the layers in messagePassing.ts, energies and forces in energy.ts.
import { ldf, ldi, stf } from '../memory';
import { forwardAtom } from './atom';
import { CI_MAX_L, CI_NANG, CI_NSYM, align16 } from './config';
import { forwardLayers } from './messagePassing';
import { C, K, baseWorkSize, bindModel, laneCount, lanes, nAng, nSym, planWork, setAtomCount, setup, wAt, wB } from './state';

/** Bytes of scratch caceCompute needs for at most kMax neighbours per atom. */
export function caceWorkSize(ints: usize, kMax: i32): i32 {
  return baseWorkSize(ints, kMax);
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

/** Bytes of scratch caceComputeLayers needs beyond caceWorkSize: Ã and B of every atom and layer. */
export function caceLayersWorkSize(ints: usize, kMax: i32, nAtoms: i32, T: i32): i32 {
  const l = laneCount(ints);
  const perAtom = (ldi(ints, CI_NANG) + ldi(ints, CI_NSYM)) * l;
  return baseWorkSize(ints, kMax) + ((perAtom * nAtoms * (T + 1) + nAtoms * (T + 1) + (ldi(ints, CI_MAX_L) + 1) * l) << 3) + 8 * 16;
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
  const hAll = p; p = align16(p + (<usize>(nAtoms * (T + 1)) << 3));
  const ex = p;
  setAtomCount(nAtoms);
  forwardLayers(nAtoms, T, flags, mu, pre, kappa, hW, hB, norm, AtAll, BAll, hAll, ex);
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
