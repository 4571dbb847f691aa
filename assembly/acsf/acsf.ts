// Behler–Parrinello atom-centred symmetry functions as DScribe defines them
// (../shared/specs/dscribe-conventions.md), with analytic gradients.
//
// For centre i and neighbour displacements d_j (r_ij = |d_j|), f_c the cosine cutoff:
//   G1 = Σ_j f_c(r_ij)
//   G2 = Σ_j exp(−η (r_ij − R_s)²) f_c(r_ij)
//   G3 = Σ_j cos(κ r_ij) f_c(r_ij)
//   G4 = Σ_{j<k} 2^{1−ζ} (1 + λ cos θ_jik)^ζ exp(−η (r_ij² + r_ik² + r_jk²)) f_c(r_ij) f_c(r_ik) f_c(r_jk)
//   G5 = Σ_{j<k} 2^{1−ζ} (1 + λ cos θ_jik)^ζ exp(−η (r_ij² + r_ik²)) f_c(r_ij) f_c(r_ik)
// The exponential factorises over the three distances: a_η(r) = exp(−η r²) f_c(r) is computed
// once per neighbour and distinct η, so a triplet only needs exp(−η r_jk²) f_c(r_jk) (G4).
//
// Feature layout: for each species s (ascending Z): [G1, G2…, G3…] at s·(1 + n2 + n3); then one
// block [G4…, G5…] per species pair p ≤ q at S(1 + n2 + n3) + (q(q+1)/2 + p)(n4 + n5).
//
// Gradients (optional, grad ≠ 0) are with respect to each neighbour-list entry's displacement
// d_e, written as [3][F] blocks; assembly/gradients/scatter.ts turns them into atom gradients.
import { ldf, stf, ldi, sti } from '../memory';
import { cosineCutoff, cosineCutoffDerivative } from '../math/cutoff';
import { powZeta } from '../math/powers';

// Parameter views for one call (set by acsfCompute).
let n2 = 0, n3 = 0, n4 = 0, n5 = 0, nu4 = 0, nu5 = 0;
let pG2: usize = 0, pG3: usize = 0, pG4: usize = 0, pG5: usize = 0, pEta4: usize = 0, pEta5: usize = 0;
let pMap4: usize = 0, pMap5: usize = 0;

/**
 * Computes ACSF values (and, when grad ≠ 0, gradients per neighbour entry) for every centre.
 * params (f64): g2 [η, R_s]·n2 | g3 κ·n3 | g4 [η, ζ, λ]·n4 | g5 [η, ζ, λ]·n5 | distinct G4 η·nu4 |
 *   distinct G5 η·nu5. counts (i32): n2 n3 n4 n5 nu4 nu5 | G4 η index·n4 | G5 η index·n5.
 * work must hold (6 + 2 nu4 + 2 nu5)·K f64, 2 K + S + 1 i32 and 3 (n4 + n5) numbers, K being
 * the largest neighbour count of a centre. Returns 0.
 */
export function acsfCompute(
  nCenters: i32, centerAtom: usize, offsets: usize, index: usize, disp: usize,
  atomSpecies: usize, nSpecies: i32, params: usize, counts: usize, rCut: f64,
  values: usize, nFeatures: i32, grad: usize, work: usize,
): i32 {
  n2 = ldi(counts, 0); n3 = ldi(counts, 1); n4 = ldi(counts, 2); n5 = ldi(counts, 3);
  nu4 = ldi(counts, 4); nu5 = ldi(counts, 5);
  pMap4 = counts + 24; pMap5 = pMap4 + (<usize>n4 << 2);
  pG2 = params; pG3 = pG2 + (<usize>(2 * n2) << 3); pG4 = pG3 + (<usize>n3 << 3);
  pG5 = pG4 + (<usize>(3 * n4) << 3); pEta4 = pG5 + (<usize>(3 * n5) << 3); pEta5 = pEta4 + (<usize>nu4 << 3);

  let kMax = 0;
  for (let c = 0; c < nCenters; c++) {
    const k = ldi(offsets, c + 1) - ldi(offsets, c);
    if (k > kMax) kMax = k;
  }
  // Scratch layout (structure of arrays, neighbours sorted by species).
  const K = <usize>kMax;
  const sx = work, sy = sx + (K << 3), sz = sy + (K << 3), sr = sz + (K << 3);
  const sfc = sr + (K << 3), sdfc = sfc + (K << 3);
  const a4 = sdfc + (K << 3), da4 = a4 + ((<usize>nu4 * K) << 3);
  const a5 = da4 + ((<usize>nu4 * K) << 3), da5 = a5 + ((<usize>nu5 * K) << 3);
  const ssp = da5 + ((<usize>nu5 * K) << 3), sentry = ssp + (K << 2), spStart = sentry + (K << 2);

  const nRadial = 1 + n2 + n3;
  const nAngular = n4 + n5;
  const withGrad = grad != 0;
  for (let c = 0; c < nCenters; c++) {
    const row = values + (<usize>c * <usize>nFeatures << 3);
    memory.fill(row, 0, <usize>nFeatures << 3);
    const start = ldi(offsets, c), end = ldi(offsets, c + 1), nn = end - start;
    if (withGrad) memory.fill(grad + ((<usize>start * <usize>(3 * nFeatures)) << 3), 0, (<usize>nn * <usize>(3 * nFeatures)) << 3);
    if (nn == 0) continue;

    // Counting sort of the neighbours by species.
    for (let s = 0; s <= nSpecies; s++) sti(spStart, s, 0);
    for (let e = start; e < end; e++) {
      const s = ldi(atomSpecies, ldi(index, e));
      sti(spStart, s + 1, ldi(spStart, s + 1) + 1);
    }
    for (let s = 0; s < nSpecies; s++) sti(spStart, s + 1, ldi(spStart, s + 1) + ldi(spStart, s));
    for (let e = start; e < end; e++) {
      const s = ldi(atomSpecies, ldi(index, e));
      const n = ldi(spStart, s);
      sti(spStart, s, n + 1);
      const dx = ldf(disp, 3 * e), dy = ldf(disp, 3 * e + 1), dz = ldf(disp, 3 * e + 2);
      const r = Math.sqrt(dx * dx + dy * dy + dz * dz);
      stf(sx, n, dx); stf(sy, n, dy); stf(sz, n, dz); stf(sr, n, r);
      stf(sfc, n, cosineCutoff(r, rCut));
      stf(sdfc, n, cosineCutoffDerivative(r, rCut));
      sti(ssp, n, s);
      sti(sentry, n, e);
    }

    radialTerms(nn, sr, sfc, sdfc, ssp, sentry, sx, sy, sz, row, nRadial, grad, nFeatures);
    if (nAngular == 0) continue;
    // a_η(r) = exp(−η r²) f_c(r) and its r-derivative, per distinct η and neighbour.
    neighbourFactors(nn, K, sr, sfc, sdfc, pEta4, nu4, a4, da4);
    neighbourFactors(nn, K, sr, sfc, sdfc, pEta5, nu5, a5, da5);
    const angularBase = nSpecies * nRadial;
    for (let j = 0; j < nn - 1; j++) {
      const sj = ldi(ssp, j);
      for (let k = j + 1; k < nn; k++) {
        const sk = ldi(ssp, k);
        const p = sj < sk ? sj : sk, q = sj < sk ? sk : sj;
        const block = angularBase + (((q * (q + 1)) >> 1) + p) * nAngular;
        tripletTerms(j, k, K, sx, sy, sz, sr, a4, da4, a5, da5, sentry, rCut, row, block, grad, nFeatures);
      }
    }
  }
  return 0;
}

/** a_η(r) = exp(−η r²) f_c(r) and da/dr for each distinct η (rows of length K). */
function neighbourFactors(nn: i32, K: usize, sr: usize, sfc: usize, sdfc: usize, pEta: usize, nu: i32, a: usize, da: usize): void {
  for (let u = 0; u < nu; u++) {
    const eta = ldf(pEta, u);
    const au = a + ((<usize>u * K) << 3), dau = da + ((<usize>u * K) << 3);
    for (let n = 0; n < nn; n++) {
      const r = ldf(sr, n);
      const g = Math.exp(-eta * r * r);
      const fc = ldf(sfc, n);
      stf(au, n, g * fc);
      stf(dau, n, g * (ldf(sdfc, n) - 2.0 * eta * r * fc));
    }
  }
}

@inline function addGradient(grad: usize, entry: i32, nFeatures: i32, f: i32, gx: f64, gy: f64, gz: f64): void {
  const base = grad + ((<usize>entry * <usize>(3 * nFeatures) + <usize>f) << 3);
  const stride = <usize>nFeatures << 3;
  store<f64>(base, load<f64>(base) + gx);
  store<f64>(base + stride, load<f64>(base + stride) + gy);
  store<f64>(base + 2 * stride, load<f64>(base + 2 * stride) + gz);
}

/** G1, G2, G3 of one centre; gradient dv/dr · d/r per entry. */
function radialTerms(
  nn: i32, sr: usize, sfc: usize, sdfc: usize, ssp: usize, sentry: usize, sx: usize, sy: usize, sz: usize,
  row: usize, nRadial: i32, grad: usize, nFeatures: i32,
): void {
  const withGrad = grad != 0;
  for (let n = 0; n < nn; n++) {
    const r = ldf(sr, n), fc = ldf(sfc, n), dfc = ldf(sdfc, n);
    const base = ldi(ssp, n) * nRadial;
    const ux = ldf(sx, n) / r, uy = ldf(sy, n) / r, uz = ldf(sz, n) / r;
    const entry = ldi(sentry, n);
    stf(row, base, ldf(row, base) + fc);
    if (withGrad) addGradient(grad, entry, nFeatures, base, dfc * ux, dfc * uy, dfc * uz);
    for (let f = 0; f < n2; f++) {
      const eta = ldf(pG2, 2 * f), rs = ldf(pG2, 2 * f + 1);
      const g = Math.exp(-eta * (r - rs) * (r - rs));
      stf(row, base + 1 + f, ldf(row, base + 1 + f) + g * fc);
      if (withGrad) {
        const dv = g * (dfc - 2.0 * eta * (r - rs) * fc);
        addGradient(grad, entry, nFeatures, base + 1 + f, dv * ux, dv * uy, dv * uz);
      }
    }
    for (let f = 0; f < n3; f++) {
      const kappa = ldf(pG3, f);
      const cs = Math.cos(kappa * r);
      stf(row, base + 1 + n2 + f, ldf(row, base + 1 + n2 + f) + cs * fc);
      if (withGrad) {
        const dv = cs * dfc - kappa * Math.sin(kappa * r) * fc;
        addGradient(grad, entry, nFeatures, base + 1 + n2 + f, dv * ux, dv * uy, dv * uz);
      }
    }
  }
}

@inline function zetaAsInteger(zeta: f64): i32 {
  return zeta >= 0 && zeta <= 1024 && Math.floor(zeta) == zeta ? <i32>zeta : -1;
}

/**
 * G4 and G5 contributions of the neighbour pair (j, k). With the pair term
 * T = 2^{1−ζ} P^ζ · a_j a_k · b, P = 1 + λ cos θ, b = exp(−η r_jk²) f_c(r_jk) (G4) or 1 (G5),
 * the gradient follows from ∂T/∂cos θ, ∂T/∂r_ij, ∂T/∂r_ik, ∂T/∂r_jk by the chain rule through
 * cos θ = d_j·d_k / (r_ij r_ik) and r_jk = |d_k − d_j|.
 */
function tripletTerms(
  j: i32, k: i32, K: usize, sx: usize, sy: usize, sz: usize, sr: usize,
  a4: usize, da4: usize, a5: usize, da5: usize, sentry: usize, rCut: f64,
  row: usize, block: i32, grad: usize, nFeatures: i32,
): void {
  const ax = ldf(sx, j), ay = ldf(sy, j), az = ldf(sz, j), rj = ldf(sr, j);
  const bx = ldf(sx, k), by = ldf(sy, k), bz = ldf(sz, k), rk = ldf(sr, k);
  const cosT = (ax * bx + ay * by + az * bz) / (rj * rk);
  const withGrad = grad != 0;
  const ej = ldi(sentry, j), ek = ldi(sentry, k);

  // G4 needs r_jk ≤ r_cut.
  const cx = bx - ax, cy = by - ay, cz = bz - az;
  const rjk2 = cx * cx + cy * cy + cz * cz;
  const nG4 = rjk2 < rCut * rCut ? n4 : 0;
  const rjk = nG4 > 0 ? Math.sqrt(rjk2) : 0.0;
  const fcjk = nG4 > 0 ? cosineCutoff(rjk, rCut) : 0.0;
  const dfcjk = nG4 > 0 ? cosineCutoffDerivative(rjk, rCut) : 0.0;
  for (let f = 0; f < n4 + n5; f++) {
    const isG4 = f < n4;
    if (isG4 && f >= nG4) continue;
    const prm = isG4 ? pG4 + (<usize>(3 * f) << 3) : pG5 + (<usize>(3 * (f - n4)) << 3);
    const eta = load<f64>(prm), zeta = load<f64>(prm, 8), lambda = load<f64>(prm, 16);
    const u = isG4 ? ldi(pMap4, f) : ldi(pMap5, f - n4);
    const a = isG4 ? a4 : a5, da = isG4 ? da4 : da5;
    const off = (<usize>u * K) << 3;
    const aj = load<f64>(a + off + (<usize>j << 3)), ak = load<f64>(a + off + (<usize>k << 3));
    const b = isG4 ? Math.exp(-eta * rjk2) * fcjk : 1.0;
    const zi = zetaAsInteger(zeta);
    const pref = Math.pow(2.0, 1.0 - zeta);
    const P = 1.0 + lambda * cosT;
    const Pz1 = powZeta(P, zeta - 1.0, zi >= 1 ? zi - 1 : -1);
    const Pz = zi >= 0 ? powZeta(P, zeta, zi) : Math.pow(P, zeta);
    const T = pref * Pz * aj * ak * b;
    stf(row, block + f, ldf(row, block + f) + T);
    if (!withGrad) continue;
    const dT_dcos = pref * zeta * lambda * Pz1 * aj * ak * b;
    const daj = load<f64>(da + off + (<usize>j << 3)), dak = load<f64>(da + off + (<usize>k << 3));
    const dT_drj = pref * Pz * daj * ak * b;
    const dT_drk = pref * Pz * aj * dak * b;
    const dT_drjk = isG4 ? pref * Pz * aj * ak * Math.exp(-eta * rjk2) * (dfcjk - 2.0 * eta * rjk * fcjk) : 0.0;
    const sjk = isG4 && rjk > 0 ? dT_drjk / rjk : 0.0;
    const invjk = 1.0 / (rj * rk);
    // ∂T/∂d_j = αj d_j + β d_k ; ∂T/∂d_k = β d_j + αk d_k
    const alphaJ = -dT_dcos * cosT / (rj * rj) + dT_drj / rj + sjk;
    const alphaK = -dT_dcos * cosT / (rk * rk) + dT_drk / rk + sjk;
    const beta = dT_dcos * invjk - sjk;
    addGradient(grad, ej, nFeatures, block + f, alphaJ * ax + beta * bx, alphaJ * ay + beta * by, alphaJ * az + beta * bz);
    addGradient(grad, ek, nFeatures, block + f, beta * ax + alphaK * bx, beta * ay + alphaK * by, beta * az + alphaK * bz);
  }
}
