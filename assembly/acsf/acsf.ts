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
// Values alone take the SIMD path (radial.ts, angularValues.ts; G4 from the triangles of the
// neighbour graph in triangles.ts when every atom is a centre and sees each atom once). With grad ≠ 0, gradients with
// respect to each neighbour-list entry's displacement d_e are written as [3][F] blocks
// (angularGradients.ts); assembly/gradients/scatter.ts turns them into atom gradients.
import { ldf, stf, ldi, sti } from '../memory';
import { cosineCutoffDerivative } from '../math/cutoff';
import { cutoffOfSquared2x, exp2x } from '../math/simdMath';
import { loadParams, n2, n3, n4, n5, nu4, nu5, pEta4, pEta5, pG4, pG5, zetaAsInteger } from './state';
import { radialValues, radialWithGradients } from './radial';
import { angularValues, setAngularScratch } from './angularValues';
import { angularWithGradients } from './angularGradients';
import { neighbourAtomsUnique, triangleG4, triangleWorkSize } from './triangles';
import { radialFromEdges } from './edgeRadial';

/** Neighbour arrays are padded to a multiple of 4 plus 4, for whole unrolled f64x2 steps. */
@inline function padded(kMax: i32): usize {
  return <usize>(((kMax + 3) & ~3) + 4);
}

/** Room for the packed pairs of one species pair: at most K(K−1)/2, padded. */
@inline function pairCapacity(kMax: i32): usize {
  return <usize>((((<i64>kMax * <i64>kMax) >> 1) + 7) & ~3);
}

/** Bytes of scratch acsfCompute needs for centres of at most kMax neighbours. */
export function acsfWorkSize(kMax: i32, nSpecies: i32, params: usize, counts: usize, nEdges: i32, nAtoms: i32): usize {
  const nf = ldi(counts, 2) + ldi(counts, 3);
  const u4 = ldi(counts, 4), u5 = ldi(counts, 5);
  const nuMax = u4 > u5 ? u4 : u5;
  const K2 = padded(kMax);
  const P = pairCapacity(kMax);
  const f64s = K2 * <usize>(10 + 2 * u4 + 2 * u5) + P * <usize>(3 + 2 * nuMax) + <usize>(nf + u4);
  const i32s: usize = 3 * K2 + <usize>nSpecies + 1 + <usize>nf;
  let bytes = (f64s << 3) + (i32s << 2) + 64;
  // Edge mode: the triangle pass (triangles.ts) has its own area after the common part.
  // (or the edge radial pass's, before it: 2 n2 + 4 f64).
  if (nEdges > 0) {
    const tri = triangleWorkSize(params, counts, nSpecies, nEdges, nAtoms, kMax);
    const rad = <usize>(2 * ldi(counts, 0) + 4) << 3;
    bytes += (tri > rad ? tri : rad) + 16;
  }
  return bytes;
}

/**
 * Computes ACSF values (and, when grad ≠ 0, gradients per neighbour entry) for every centre.
 * params/counts as in state.ts; work has acsfWorkSize(kMax, nSpecies, params, counts, nEdges, nAtoms)
 * bytes. edgeMode ≠ 0 promises that centre c is atom c for every atom (nEdges = the list's
 * length), which lets G4 values use triangles.ts.
 */
export function acsfCompute(
  nCenters: i32, centerAtom: usize, offsets: usize, index: usize, disp: usize,
  atomSpecies: usize, nSpecies: i32, params: usize, counts: usize, rCut: f64,
  values: usize, nFeatures: i32, grad: usize, work: usize, edgeMode: i32, nAtoms: i32,
): i32 {
  loadParams(params, counts);
  let kMax = 0;
  for (let c = 0; c < nCenters; c++) {
    const k = ldi(offsets, c + 1) - ldi(offsets, c);
    if (k > kMax) kMax = k;
  }
  // Scratch: neighbours sorted by species, as structures of arrays of K2 entries.
  const K2 = padded(kMax);
  const row8 = K2 << 3;
  const sx = (work + 15) & ~(<usize>15);
  const sy = sx + row8, sz = sy + row8, sr = sz + row8, sr2 = sr + row8;
  const sfc = sr2 + row8, sdfc = sfc + row8, ux = sdfc + row8, uy = ux + row8, uz = uy + row8;
  const a4 = uz + row8, da4 = a4 + <usize>nu4 * row8;
  const a5 = da4 + <usize>nu4 * row8, da5 = a5 + <usize>nu5 * row8;
  const nuMax = nu4 > nu5 ? nu4 : nu5;
  const P = pairCapacity(kMax), prow8 = P << 3;
  const plusL = da5 + <usize>nu5 * row8, minusL = plusL + prow8, xL = minusL + prow8, aL = xL + prow8;
  const wL = aL + <usize>nuMax * prow8;
  const nf = n4 + n5;
  const prefS = wL + <usize>nuMax * prow8, zetaIntS = prefS + (<usize>nf << 3);
  const ejkS = (zetaIntS + (<usize>nf << 2) + 7) & ~(<usize>7);
  const ssp = ejkS + (<usize>nu4 << 3), sentry = ssp + (K2 << 2), satom = sentry + (K2 << 2);
  const spStart = satom + (K2 << 2);
  setAngularScratch(plusL, minusL, xL, aL, wL, prefS, zetaIntS, P);
  const withGrad = grad != 0;
  // Edge mode scratch (after the common part).
  const triWork = spStart + (<usize>(nSpecies + 1) << 2);
  const useEdgeMode = edgeMode != 0 && !withGrad && neighbourAtomsUnique(nCenters, offsets, index, nAtoms, triWork);
  for (let f = 0; f < nf; f++) {
    const zeta = f < n4 ? ldf(pG4, 3 * f + 1) : ldf(pG5, 3 * (f - n4) + 1);
    stf(prefS, f, Math.pow(2.0, 1.0 - zeta));
    sti(zetaIntS, f, zetaAsInteger(zeta));
  }

  const nRadial = 1 + n2 + n3;
  const angularBase = nSpecies * nRadial;
  for (let c = 0; c < nCenters; c++) {
    const row = values + (<usize>c * <usize>nFeatures << 3);
    memory.fill(row, 0, <usize>nFeatures << 3);
    const start = ldi(offsets, c), end = ldi(offsets, c + 1), nn = end - start;
    if (withGrad) memory.fill(grad + ((<usize>start * <usize>(3 * nFeatures)) << 3), 0, (<usize>nn * <usize>(3 * nFeatures)) << 3);
    // Edge mode: radial terms and G4 come from the edges after this loop; only G5 is left here.
    if (nn == 0 || (useEdgeMode && n5 == 0)) continue;

    // Counting sort of the neighbours by species; afterwards spStart[s] is the end of run s.
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
      const r2 = dx * dx + dy * dy + dz * dz;
      const r = Math.sqrt(r2);
      stf(sx, n, dx); stf(sy, n, dy); stf(sz, n, dz); stf(sr, n, r); stf(sr2, n, r2);
      const inv = 1.0 / r;
      stf(ux, n, dx * inv); stf(uy, n, dy * inv); stf(uz, n, dz * inv);
      sti(ssp, n, s);
      sti(sentry, n, e);
      sti(satom, n, ldi(index, e));
    }

    // f_c from r², two neighbours per step; padding lanes get r = 0 (finite, never summed).
    for (let n = nn; n < <i32>K2; n++) stf(sr2, n, 0.0);
    const piOverRc2 = f64x2.splat(Math.PI * Math.PI / (rCut * rCut));
    for (let n = 0; n < nn; n += 2) {
      const off = <usize>n << 3;
      v128.store(sfc + off, cutoffOfSquared2x(v128.load(sr2 + off), piOverRc2));
    }
    if (!withGrad) {
      if (!useEdgeMode) radialValues(nSpecies, spStart, sr, sfc, row, nRadial);
      if (nf == 0) continue;
      for (let n = nn; n < <i32>K2; n++) stf(sfc, n, 0.0);
      if (!useEdgeMode) neighbourFactors(nn, K2, sr2, sfc, pEta4, nu4, a4);
      if (n5 > 0) neighbourFactors(nn, K2, sr2, sfc, pEta5, nu5, a5);
      if (n5 > 0 || !useEdgeMode) {
        angularValues(nSpecies, spStart, K2, sx, sy, sz, ux, uy, uz, a4, a5, rCut, row, angularBase, nf, !useEdgeMode);
      }
    } else {
      for (let n = 0; n < nn; n++) stf(sdfc, n, cosineCutoffDerivative(ldf(sr, n), rCut));
      radialWithGradients(nn, sr, sfc, sdfc, ssp, sentry, ux, uy, uz, row, nRadial, grad, nFeatures);
      if (nf == 0) continue;
      neighbourFactorsWithDerivatives(nn, K2, sr, sfc, sdfc, pEta4, nu4, a4, da4);
      neighbourFactorsWithDerivatives(nn, K2, sr, sfc, sdfc, pEta5, nu5, a5, da5);
      angularWithGradients(nn, ssp, sentry, sx, sy, sz, sr, ux, uy, uz, a4, da4, a5, da5, K2, rCut, prefS, zetaIntS, ejkS, row, angularBase, nf, grad, nFeatures);
    }
  }
  // Edge mode: radial terms from each pair once, G4 from the triangles of the neighbour graph.
  // (With G4, the radial terms come from triangleG4's edge pass, sharing f_c.)
  if (useEdgeMode && n4 == 0) radialFromEdges(nAtoms, offsets, index, disp, atomSpecies, rCut, values, nFeatures, nRadial, (triWork + 15) & ~(<usize>15));
  if (useEdgeMode && n4 > 0) {
    triangleG4(
      nAtoms, offsets, index, disp, atomSpecies, nSpecies, params, counts, rCut,
      values, nFeatures, angularBase, nf, kMax, triWork, true, nRadial,
    );
  }
  return 0;
}

/** a_η(r) = exp(−η r²) f_c(r) for each distinct η (rows of K2), two neighbours per step. */
function neighbourFactors(nn: i32, K2: usize, sr2: usize, sfc: usize, pEta: usize, nu: i32, a: usize): void {
  for (let u = 0; u < nu; u++) {
    const eta = f64x2.splat(-ldf(pEta, u));
    const au = a + ((<usize>u * K2) << 3);
    for (let n = 0; n < nn; n += 2) {
      const off = <usize>n << 3;
      v128.store(au + off, f64x2.mul(exp2x(f64x2.mul(eta, v128.load(sr2 + off))), v128.load(sfc + off)));
    }
  }
}

/** a_η(r) and da_η/dr = exp(−η r²) (f_c'(r) − 2 η r f_c(r)) for each distinct η. */
function neighbourFactorsWithDerivatives(
  nn: i32, K2: usize, sr: usize, sfc: usize, sdfc: usize, pEta: usize, nu: i32, a: usize, da: usize,
): void {
  for (let u = 0; u < nu; u++) {
    const eta = ldf(pEta, u);
    const au = a + ((<usize>u * K2) << 3), dau = da + ((<usize>u * K2) << 3);
    for (let n = 0; n < nn; n++) {
      const r = ldf(sr, n);
      const g = Math.exp(-eta * r * r);
      const fc = ldf(sfc, n);
      stf(au, n, g * fc);
      stf(dau, n, g * (ldf(sdfc, n) - 2.0 * eta * r * fc));
    }
  }
}
