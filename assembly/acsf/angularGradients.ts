// G4 and G5 of one centre with gradients. For a pair (j, k) and one function,
//   T = 2^{1−ζ} P^ζ · a_j a_k · b,  P = 1 + λ cos θ,  a = a_η(r) = exp(−η r²) f_c(r),
//   b = exp(−η r_jk²) f_c(r_jk) for G4 and 1 for G5.
// With ∂T/∂cos θ, ∂T/∂r_ij, ∂T/∂r_ik, ∂T/∂r_jk and cos θ = d_j·d_k / (r_ij r_ik),
// r_jk = |d_k − d_j|, the chain rule gives
//   ∂T/∂d_j = α_j d_j + β d_k,  ∂T/∂d_k = β d_j + α_k d_k  with
//   α_j = −∂T/∂cos · cos/r_ij² + ∂T/∂r_ij / r_ij + ∂T/∂r_jk / r_jk,
//   α_k = −∂T/∂cos · cos/r_ik² + ∂T/∂r_ik / r_ik + ∂T/∂r_jk / r_jk,
//   β   =  ∂T/∂cos / (r_ij r_ik) − ∂T/∂r_jk / r_jk.
// P is formed as (1 − |λ|) + |λ| (1 ± cos θ) (the sign of λ) with 1 ± cos θ = |û_j ± û_k|² / 2, both
// terms ≥ 0 for |λ| ≤ 1: it keeps its relative precision where 1 + λ cos θ ≈ 0 (nearly collinear
// neighbours), so do T and P^{ζ−1} in ∂T/∂cos.
import { ldf, stf, ldi } from '../memory';
import { cosineCutoff, cosineCutoffDerivative } from '../math/cutoff';
import { powZeta } from '../math/powers';
import { n4, n5, nu4, pG4, pG5, pEta4, pMap4, pMap5, pairBlock } from './state';

@inline function addGradient(grad: usize, entry: i32, nFeatures: i32, f: i32, gx: f64, gy: f64, gz: f64): void {
  const base = grad + ((<usize>entry * <usize>(3 * nFeatures) + <usize>f) << 3);
  const stride = <usize>nFeatures << 3;
  store<f64>(base, load<f64>(base) + gx);
  store<f64>(base + stride, load<f64>(base + stride) + gy);
  store<f64>(base + 2 * stride, load<f64>(base + 2 * stride) + gz);
}

export function angularWithGradients(
  nn: i32, ssp: usize, sentry: usize, sx: usize, sy: usize, sz: usize, sr: usize, ux: usize, uy: usize, uz: usize,
  a4: usize, da4: usize, a5: usize, da5: usize, K2: usize, rCut: f64, prefS: usize, zetaIntS: usize, ejkS: usize,
  row: usize, angularBase: i32, nAngular: i32, grad: usize, nFeatures: i32,
): void {
  const rc2 = rCut * rCut;
  for (let j = 0; j < nn - 1; j++) {
    const sj = ldi(ssp, j), ej = ldi(sentry, j);
    const ax = ldf(sx, j), ay = ldf(sy, j), az = ldf(sz, j), rj = ldf(sr, j);
    const ujx = ldf(ux, j), ujy = ldf(uy, j), ujz = ldf(uz, j);
    for (let k = j + 1; k < nn; k++) {
      const sk = ldi(ssp, k), ek = ldi(sentry, k);
      const q = sk, p = sj; // neighbours are sorted by species, so sj ≤ sk
      const block = pairBlock(angularBase, p, q, nAngular);
      const bx = ldf(sx, k), by = ldf(sy, k), bz = ldf(sz, k), rk = ldf(sr, k);
      const cosT = (ax * bx + ay * by + az * bz) / (rj * rk);
      // 1 ± cos θ = |û_j ± û_k|² / 2.
      const ukx = ldf(ux, k), uky = ldf(uy, k), ukz = ldf(uz, k);
      const px = ujx + ukx, py = ujy + uky, pz = ujz + ukz;
      const mx = ujx - ukx, my = ujy - uky, mz = ujz - ukz;
      const onePlusCos = 0.5 * (px * px + py * py + pz * pz), oneMinusCos = 0.5 * (mx * mx + my * my + mz * mz);
      const cx = bx - ax, cy = by - ay, cz = bz - az;
      const rjk2 = cx * cx + cy * cy + cz * cz;
      const nG4 = rjk2 < rc2 ? n4 : 0;
      const rjk = Math.sqrt(rjk2);
      const fcjk = nG4 > 0 ? cosineCutoff(rjk, rCut) : 0.0;
      const dfcjk = nG4 > 0 ? cosineCutoffDerivative(rjk, rCut) : 0.0;
      const invjk = 1.0 / (rj * rk);
      // exp(−η r_jk²) once per distinct G4 η.
      for (let u = 0; u < (nG4 > 0 ? nu4 : 0); u++) stf(ejkS, u, Math.exp(-ldf(pEta4, u) * rjk2));
      for (let f = 0; f < n4 + n5; f++) {
        const isG4 = f < n4;
        if (isG4 && f >= nG4) continue;
        const prm = isG4 ? pG4 + (<usize>(3 * f) << 3) : pG5 + (<usize>(3 * (f - n4)) << 3);
        const eta = load<f64>(prm), zeta = load<f64>(prm, 8), lambda = load<f64>(prm, 16);
        const u = isG4 ? ldi(pMap4, f) : ldi(pMap5, f - n4);
        const off = (<usize>u * K2) << 3;
        const a = isG4 ? a4 : a5, da = isG4 ? da4 : da5;
        const aj = load<f64>(a + off + (<usize>j << 3)), ak = load<f64>(a + off + (<usize>k << 3));
        const daj = load<f64>(da + off + (<usize>j << 3)), dak = load<f64>(da + off + (<usize>k << 3));
        const ejk = isG4 ? ldf(ejkS, u) : 1.0;
        const b = isG4 ? ejk * fcjk : 1.0;
        const zi = ldi(zetaIntS, f);
        const pref = ldf(prefS, f);
        // 1 + λ cos θ = (1 − |λ|) + |λ| (1 ± cos θ), the sign of λ: both terms ≥ 0.
        const P = lambda >= 0 ? (1.0 - lambda) + lambda * onePlusCos : (1.0 + lambda) - lambda * oneMinusCos;
        const Pz1 = powZeta(P, zeta - 1.0, zi >= 1 ? zi - 1 : -1);
        const Pz = Pz1 * P;
        const T = pref * Pz * aj * ak * b;
        stf(row, block + f, ldf(row, block + f) + T);
        const dT_dcos = pref * zeta * lambda * Pz1 * aj * ak * b;
        const dT_drj = pref * Pz * daj * ak * b;
        const dT_drk = pref * Pz * aj * dak * b;
        const sjk = isG4 && rjk > 0 ? pref * Pz * aj * ak * ejk * (dfcjk - 2.0 * eta * rjk * fcjk) / rjk : 0.0;
        const alphaJ = -dT_dcos * cosT / (rj * rj) + dT_drj / rj + sjk;
        const alphaK = -dT_dcos * cosT / (rk * rk) + dT_drk / rk + sjk;
        const beta = dT_dcos * invjk - sjk;
        addGradient(grad, ej, nFeatures, block + f, alphaJ * ax + beta * bx, alphaJ * ay + beta * by, alphaJ * az + beta * bz);
        addGradient(grad, ek, nFeatures, block + f, beta * ax + alphaK * bx, beta * ay + alphaK * by, beta * az + alphaK * bz);
      }
    }
  }
}
