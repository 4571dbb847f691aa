// n2p2's symmetry functions (../shared/specs/n2p2.md, sections 2–3) of every centre, with either
// per-entry gradients or their contraction with ∂E/∂G (the backward pass of a potential).
//
// Every function is a product of one-variable factors. A "radial group" g is one radial factor
//   exp-type:  R_g(r) = exp(−η (r − r_s)²) f_c(r)               (0 for r ≥ r_c)
//   compact:   R_g(r) = c(y),  y = |r − (r_l + r_c)/2| / ((r_c − r_l)/2)  (0 outside r_l < r < r_c;
//              asymmetric subtypes use (2 − y) y)
// and an "angular group" a one angular factor
//   exp-type:  A_a = (P/2)^ζ with P = 1 + λ cos θ (0 when P ≤ 0)
//   compact:   A_a = c(|θ − θ_c| / θ_w) for θ_l ≤ θ ≤ θ_r (0 when |cos θ| ≥ 1 − COLLINEAR_SLACK).
// Then radial G = Σ_j w_j R_g(r_ij) and angular
//   G = pref Σ_{j<k} w_jk A_a R_g(r_ij) R_g(r_ik) [R_g(r_jk) if narrow],
// with w = Z_j (Z_j Z_k) for the weighted types and 1 otherwise, pref = 2 (exp-type) or 1:
// 2^{1−ζ} P^ζ as 2 (P/2)^ζ, whose factors are all ≤ 1 after 2 w, so a value that is a normal
// double keeps its relative precision (2^{1−ζ} R R R went subnormal for ζ in the hundreds).
// Zero factors outside the supports reproduce n2p2's distance and angle conditions.
//
// Centres cStart..cEnd are computed. cacheMode 1 records the f64x2 path's per-triplet factors at
// `cache`; cacheMode 2 (backward) replays them for the same centres instead of recomputing;
// cacheMode 3 (backward) recomputes them and leaves the values alone.
//
// edgeFactors ≠ 0 (centre c is atom c and sees every atom at most once): classes with field 9
// set take the edge path (angularEdges.ts) with the factors of n2p2EdgeFactors (rows in the
// element-sorted edge order of n2p2SortEdgesByElement: runStart, sortedAtom; row layout per
// element pair: pairStride, runRowBase, listColumn) and the atom → slot map slotOfAtom
// (n2p2SlotMapInit; set for each centre's neighbours, reset after it);
// imageCut2 > 0 (a cell less than three cutoffs high) makes it test r_jk of each triplet;
// with cacheMode 1 or 2 each centre's radial rows then also go to the cache (recorded, replayed).
//
// Displacements d_e = r_j + T − r_i come from the neighbour list; cos θ = d_j·d_k/(r_ij r_ik) and
// r_jk = |d_k − d_j|, so with u = d/r, u_jk = (d_k − d_j)/r_jk:
//   ∂/∂d_j = ∂_rij u_j − ∂_rjk u_jk + ∂_cos (u_k − cos u_j)/r_ij
//   ∂/∂d_k = ∂_rik u_k + ∂_rjk u_jk + ∂_cos (u_j − cos u_k)/r_ik.
//
// Tables (packed by src/n2p2/kernelTables.ts):
//   elements i32[8·E]: radialStart, radialCount, classStart, classCount, groupStart, groupCount,
//     allEdges (every class takes the edge path: group rows only on the runs of groupRuns), 0
//   elementRc f64[E]: largest r_c of the element's functions
//   classes i32[10·C]: e1, e2 (−1 −1: all pairs), sfStart, sfCount, allNarrow, listStart, jkCount,
//     angCount, vector (f64x2 path, angularVector.ts), edges (edge path, angularEdges.ts);  classRc f64[C]
//   lists i32: per class its r_jk groups then its angular groups
//   sfs f64[8·S]: column, e1 (−1 any), group, angular slot, pref, r_jk slot (−1: wide), weighted, 0
//   groups f64[8·G]: kind (0 exp, 1 compact), η, r_s, r_c, r_l, core, asymmetric, power code (exp
//     type: exp(−η (r − r_s)²) as a power of an earlier group's of the element; kernelTables.ts powerCodes)
//   angles f64[8·A]: kind (0 exp, 1 compact), λ, ζ, ζ as integer (−1 if not), θ_l, θ_r (rad), core, 0
//   listColumn i32 (parallel to lists): byte offset of an edge-path class's r_jk group in the factor
//     rows of its element pair; pairStride i32[E²]: bytes per row (kernelTables.ts); runRowBase
//     i32[nAtoms (E + 1)]: byte offset of position 0 of each run's rows (the row of q: + q · stride)
//   groupRuns i32[G·E]: 1 where group g's rows are read at neighbours of element b
import { addAtomGradient, addVirial } from '../gradients/atomGradient';
import { ldf, stf, ldi, sti } from '../memory';
import { powInteger } from '../math/powers';
import { exp2x } from '../math/simdMath';
import { cutoff2x, power2x } from './radialFactor2x';
import { angularClassVector } from './angularVector';
import { angularClassEdges, angularEdgesScratch, NOT_A_NEIGHBOR } from './angularEdges';
import { coreDerivative, coreFunction, cutoffDerivative, cutoffFunction } from './radialFunctions';

/** Derivative left by the last groupValue / angleValue call. */
let factorDerivative: f64 = 0.0;

// i32 per class (see src/n2p2/kernelTables.ts): e1, e2, sfStart, sfCount, allNarrow, listStart, jkCount, angCount, vector, edges.
const CLASS_STRIDE = 10;

let gLists: usize = 0;
let gGroups: usize = 0, gAngles: usize = 0, gCutoffType: i32 = 0, gAlpha: f64 = 0.0;

/** R_g(r) and (in factorDerivative) dR_g/dr. */
function groupValue(g: i32, r: f64): f64 {
  const p = gGroups + (<usize>(g << 3) << 3);
  const rc = load<f64>(p, 24);
  if (load<f64>(p) == 0.0) {
    if (r >= rc) {
      factorDerivative = 0.0;
      return 0.0;
    }
    const eta = load<f64>(p, 8), rs = load<f64>(p, 16);
    const d = r - rs;
    const e = Math.exp(-eta * d * d);
    const fc = cutoffFunction(gCutoffType, gAlpha, rc, r);
    factorDerivative = e * (cutoffDerivative - 2.0 * eta * d * fc);
    return e * fc;
  }
  const rl = load<f64>(p, 32);
  if (!(r > rl && r < rc)) {
    factorDerivative = 0.0;
    return 0.0;
  }
  const halfWidth = 0.5 * (rc - rl);
  const diff = r - 0.5 * (rl + rc);
  let y = Math.abs(diff) / halfWidth;
  let dydr = (diff >= 0.0 ? 1.0 : -1.0) / halfWidth;
  if (load<f64>(p, 48) != 0.0) {
    dydr *= 2.0 - 2.0 * y;
    y = (2.0 - y) * y;
  }
  const v = coreFunction(<i32>load<f64>(p, 40), y);
  factorDerivative = coreDerivative * dydr;
  return v;
}

/**
 * n2p2 drops collinear triplets (cos θ = ±1) from the compact windows. A collinear triplet of
 * periodic images (a centre's own images at ±T, or at T and 2T) gets cos θ a few ulps off ±1 in
 * floating point, to either side depending on where the cell sits: tested exactly, a window
 * centred on 0° or 180° kept or dropped it (weight ≈ 1) as the structure was translated. Rounding
 * of dot/r_ij/r_ik stays below ~8 ulps (displacement errors enter only at second order for
 * parallel vectors), so |cos θ| within 4e-15 of 1 (θ within 9e-8 rad of 0 or π) counts as collinear.
 */
const COLLINEAR_SLACK: f64 = 4e-15;

/** A_a(cos θ) and (in factorDerivative) dA_a/d cos θ. */
function angleValue(a: i32, cosT: f64): f64 {
  const p = gAngles + (<usize>(a << 3) << 3);
  if (load<f64>(p) == 0.0) {
    const lambda = load<f64>(p, 8), zeta = load<f64>(p, 16);
    // h = P/2 (exact); A = h^ζ, dA/d cos θ = ζ (λ/2) h^(ζ−1).
    const h = 0.5 * (1.0 + lambda * cosT);
    if (h <= 0.0) {
      factorDerivative = 0.0;
      return 0.0;
    }
    const zi = <i32>load<f64>(p, 24);
    const hm1 = zi >= 1 ? powInteger(h, zi - 1) : Math.pow(h, zeta - 1.0);
    factorDerivative = zeta * hm1 * (0.5 * lambda);
    return hm1 * h;
  }
  factorDerivative = 0.0;
  if (Math.abs(cosT) >= 1.0 - COLLINEAR_SLACK) return 0.0;
  const theta = Math.acos(cosT);
  const left = load<f64>(p, 32), right = load<f64>(p, 40);
  if (theta < left || theta > right) return 0.0;
  const halfWidth = 0.5 * (right - left);
  const diff = theta - 0.5 * (left + right);
  const v = coreFunction(<i32>load<f64>(p, 48), Math.abs(diff) / halfWidth);
  // dθ/dcos θ = −1/sin θ.
  factorDerivative = -coreDerivative * (diff >= 0.0 ? 1.0 : -1.0) / halfWidth / Math.sqrt(1.0 - cosT * cosT);
  return v;
}

/**
 * R_g(r_jk) and dR_g/dr_jk of a class's narrow groups into v[s], d[s]: the exponentials of all
 * exp-type groups two at a time (exp2x), the cutoff once per distinct r_c.
 */
function jkFactors(listStart: i32, count: i32, rjk: f64, v: usize, d: usize, arg: usize): void {
  for (let s = 0; s < count; s++) {
    const p = gGroups + (<usize>(ldi(gLists, listStart + s) << 3) << 3);
    const dr = rjk - load<f64>(p, 16);
    stf(arg, s, load<f64>(p) == 0.0 && rjk < load<f64>(p, 24) ? -load<f64>(p, 8) * dr * dr : 0.0);
  }
  for (let s = 0; s < count; s += 2) {
    const off = <usize>s << 3;
    v128.store(arg + off, exp2x(v128.load(arg + off)));
  }
  let rcLast = -1.0, fc = 0.0, dfc = 0.0;
  for (let s = 0; s < count; s++) {
    const g = ldi(gLists, listStart + s);
    const p = gGroups + (<usize>(g << 3) << 3);
    if (load<f64>(p) != 0.0) {
      stf(v, s, groupValue(g, rjk));
      stf(d, s, factorDerivative);
      continue;
    }
    const rc = load<f64>(p, 24);
    if (rjk >= rc) {
      stf(v, s, 0.0);
      stf(d, s, 0.0);
      continue;
    }
    if (rc != rcLast) {
      fc = cutoffFunction(gCutoffType, gAlpha, rc, rjk);
      dfc = cutoffDerivative;
      rcLast = rc;
    }
    const e = ldf(arg, s);
    const eta = load<f64>(p, 8);
    stf(v, s, e * fc);
    stf(d, s, e * (dfc - 2.0 * eta * (rjk - load<f64>(p, 16)) * fc));
  }
}

@inline function addGrad(grad: usize, entry: i32, nFeatures: i32, f: i32, gx: f64, gy: f64, gz: f64): void {
  const base = grad + ((<usize>entry * <usize>(3 * nFeatures) + <usize>f) << 3);
  const stride = <usize>nFeatures << 3;
  store<f64>(base, load<f64>(base) + gx);
  store<f64>(base + stride, load<f64>(base + stride) + gy);
  store<f64>(base + 2 * stride, load<f64>(base + 2 * stride) + gz);
}

/**
 * One class of one centre by the general scalar loop (any function types; per-entry gradients
 * with `withGrad`, the backward contraction with `backward`): the reference the fast paths are
 * tested against. A function of its own, so that n2p2Compute stays small (faster to optimise).
 */
function angularClassScalar(
  sr: usize, sx: usize, sy: usize, sz: usize, ux: usize, uy: usize, uz: usize, sw: usize, F: usize, dF: usize, row8: usize,
  gx: usize, gy: usize, gz: usize, sentry: usize, jLo: i32, jHi: i32, kLo0: i32, kHi: i32, sameRun: bool, allNarrow: bool, rcC: f64, rcC2: f64,
  lists: usize, listStart: i32, jkCount: i32, angCount: i32, sfs: usize, sfStart: i32, sfCount: i32, groupStart: i32,
  jkV: usize, jkD: usize, jkArg: usize, angV: usize, angD: usize,
  rowV: usize, rowW: usize, withGrad: bool, backward: bool, grad: usize, nFeatures: i32,
): void {
  for (let j = jLo; j < jHi; j++) {
    const rj = ldf(sr, j);
    if (rj >= rcC) continue;
    const ax = ldf(sx, j), ay = ldf(sy, j), az = ldf(sz, j);
    const kLo = sameRun ? j + 1 : kLo0;
    let gjx = 0.0, gjy = 0.0, gjz = 0.0;
    for (let k = kLo; k < kHi; k++) {
      const rk = ldf(sr, k);
      if (rk >= rcC) continue;
      const bx = ldf(sx, k), by = ldf(sy, k), bz = ldf(sz, k);
      const cx = bx - ax, cy = by - ay, cz = bz - az;
      const rjk2 = cx * cx + cy * cy + cz * cz;
      if (allNarrow && rjk2 >= rcC2) continue;
      const rjk = Math.sqrt(rjk2);
      const cosT = (ax * bx + ay * by + az * bz) / rj / rk;
      jkFactors(listStart, jkCount, rjk, jkV, jkD, jkArg);
      for (let s = 0; s < angCount; s++) {
        stf(angV, s, angleValue(ldi(lists, listStart + jkCount + s), cosT));
        stf(angD, s, factorDerivative);
      }
      const wjk = ldf(sw, j) * ldf(sw, k);
      let pij = 0.0, pik = 0.0, pjk = 0.0, pcos = 0.0;
      for (let s = sfStart; s < sfStart + sfCount; s++) {
        const p = sfs + (<usize>(s << 3) << 3);
        const g = <i32>load<f64>(p, 16) - groupStart;
        const Fj = ldf(F + <usize>g * row8, j), Fk = ldf(F + <usize>g * row8, k);
        if (Fj == 0.0 || Fk == 0.0) continue;
        const jkSlot = <i32>load<f64>(p, 40);
        let Fjk = 1.0, dFjk = 0.0;
        if (jkSlot >= 0) {
          Fjk = ldf(jkV, jkSlot);
          if (Fjk == 0.0) continue;
          dFjk = ldf(jkD, jkSlot);
        }
        const angSlot = <i32>load<f64>(p, 24);
        const A = ldf(angV, angSlot), dA = ldf(angD, angSlot);
        if (A == 0.0 && dA == 0.0) continue;
        const pref = load<f64>(p, 32) * (load<f64>(p, 48) != 0.0 ? wjk : 1.0);
        const col = <i32>load<f64>(p);
        const FF = Fj * Fk;
        const t = pref * FF * Fjk;
        stf(rowV, col, ldf(rowV, col) + t * A);
        if (!withGrad && !backward) continue;
        const dFj = ldf(dF + <usize>g * row8, j), dFk = ldf(dF + <usize>g * row8, k);
        const pa = pref * A;
        const qij = pa * dFj * Fk * Fjk;
        const qik = pa * Fj * dFk * Fjk;
        const qjk = pa * FF * dFjk;
        const qcos = t * dA;
        if (withGrad) {
          const uxj = ldf(ux, j), uyj = ldf(uy, j), uzj = ldf(uz, j);
          const uxk = ldf(ux, k), uyk = ldf(uy, k), uzk = ldf(uz, k);
          const ijk = rjk > 0.0 ? qjk / rjk : 0.0;
          const cj = qcos / rj, ck = qcos / rk;
          addGrad(grad, ldi(sentry, j), nFeatures, col,
            qij * uxj - ijk * cx + cj * (uxk - cosT * uxj),
            qij * uyj - ijk * cy + cj * (uyk - cosT * uyj),
            qij * uzj - ijk * cz + cj * (uzk - cosT * uzj));
          addGrad(grad, ldi(sentry, k), nFeatures, col,
            qik * uxk + ijk * cx + ck * (uxj - cosT * uxk),
            qik * uyk + ijk * cy + ck * (uyj - cosT * uyk),
            qik * uzk + ijk * cz + ck * (uzj - cosT * uzk));
        } else {
          const wf = ldf(rowW, col);
          pij += wf * qij; pik += wf * qik; pjk += wf * qjk; pcos += wf * qcos;
        }
      }
      if (backward) {
        const uxj = ldf(ux, j), uyj = ldf(uy, j), uzj = ldf(uz, j);
        const uxk = ldf(ux, k), uyk = ldf(uy, k), uzk = ldf(uz, k);
        const ijk = rjk > 0.0 ? pjk / rjk : 0.0;
        const cj = pcos / rj, ck = pcos / rk;
        gjx += pij * uxj - ijk * cx + cj * (uxk - cosT * uxj);
        gjy += pij * uyj - ijk * cy + cj * (uyk - cosT * uyj);
        gjz += pij * uzj - ijk * cz + cj * (uzk - cosT * uzj);
        stf(gx, k, ldf(gx, k) + pik * uxk + ijk * cx + ck * (uxj - cosT * uxk));
        stf(gy, k, ldf(gy, k) + pik * uyk + ijk * cy + ck * (uyj - cosT * uyk));
        stf(gz, k, ldf(gz, k) + pik * uzk + ijk * cz + ck * (uzj - cosT * uzk));
      }
    }
    if (backward) {
      stf(gx, j, ldf(gx, j) + gjx);
      stf(gy, j, ldf(gy, j) + gjy);
      stf(gz, j, ldf(gz, j) + gjz);
    }
  }
}

/** Bytes of scratch for centres of at most kMax neighbours, maxGroups radial groups per element, nGroups and nAngles in all. */
export function n2p2WorkSize(kMax: i32, maxGroups: i32, nGroups: i32, nAngles: i32, nElements: i32, nSfs: i32, nFeatures: i32): usize {
  const K = <usize>(kMax + 2);
  const f64s = K * <usize>(14 + 2 * maxGroups) + <usize>(3 * (nGroups + 2) + 2 * nAngles) + <usize>(2 * (2 * nGroups + 2 * nAngles + nSfs + 4)) + <usize>(nFeatures + 4);
  const i32s = K * 3 + <usize>(nElements + 1);
  // Edge path: rows 1/r and atom per slot, and its class scratch.
  const edgePath = K * 12 + angularEdgesScratch(nGroups, nSfs, kMax + 2) + 32;
  // Exponential rows of the radial groups (power codes).
  const expRows = K * 8 * <usize>maxGroups + 16 + K * 24 + 16;
  return (f64s << 3) + (i32s << 2) + 64 + edgePath + expRows;
}

/**
 * Symmetry functions of every centre into values [nCenters][nFeatures] (columns from the tables).
 * grad ≠ 0: ∂G/∂d_e as [entry][3][nFeatures] blocks. dEdG ≠ 0 (with grad = 0): entryGrad[entry][3]
 * = Σ_f ∂E/∂G_cf ∂G_cf/∂d_e for the centre c of each entry.
 */
export function n2p2Compute(
  nCenters: i32, centerAtom: usize, offsets: usize, index: usize, disp: usize,
  atomElement: usize, atomZ: usize, nElements: i32,
  elements: usize, elementRc: usize, classes: usize, lists: usize, classRc: usize, sfs: usize, groups: usize, angles: usize,
  cutoffType: i32, cutoffAlpha: f64,
  values: usize, nFeatures: i32, grad: usize, dEdG: usize, entryGrad: usize, work: usize, kMax: i32, maxGroups: i32,
  nGroups: i32, nAngles: i32, cStart: i32, cEnd: i32, cacheMode: i32, cache: usize,
  edgeFactors: usize, pairStride: usize, slotOfAtom: usize, nAtoms: i32, imageCut2: f64, listColumn: usize,
  runStart: usize, sortedAtom: usize, groupRuns: usize, runRowBase: usize, atomGrad: usize, virial: usize,
): void {
  gGroups = groups; gAngles = angles; gCutoffType = cutoffType; gAlpha = cutoffAlpha;
  const withGrad = grad != 0;
  const backward = !withGrad && dEdG != 0;
  const K = <usize>(kMax + 2);
  const row8 = K << 3;
  const sx = (work + 15) & ~(<usize>15);
  const sy = sx + row8, sz = sy + row8, sr = sz + row8, sw = sr + row8;
  const ux = sw + row8, uy = ux + row8, uz = uy + row8;
  const accR = uz + row8, gx = accR + row8, gy = gx + row8, gz = gy + row8, fcRow = gz + row8, dfcRow = fcRow + row8;
  const Fscratch = dfcRow + row8, dFscratch = Fscratch + <usize>maxGroups * row8;
  const slots8 = <usize>(nGroups + 2) << 3;
  const jkV = dFscratch + <usize>maxGroups * row8, jkD = jkV + slots8, jkArg = jkD + slots8;
  const angV = jkArg + slots8, angD = angV + (<usize>nAngles << 3);
  const sentry = angD + (<usize>nAngles << 3), sorder = sentry + (K << 2);
  const runEnd = sorder + (K << 2);
  // Replay (cacheMode 2, the backward pass after a recording values pass over the same centres)
  // leaves the values alone: they go to this scratch row.
  const dummyRow = (runEnd + (<usize>(nElements + 1) << 2) + 15) & ~(<usize>15);
  const vectorScratch = dummyRow + (<usize>(nFeatures + 2) << 3);
  const invR = (vectorScratch + (<usize>(2 * (2 * nGroups + 2 * nAngles + nFeatures + 4)) << 4) + 15) & ~(<usize>15);
  const sAtom = invR + row8;
  // Per group of the centre's element its exponentials exp(−η (r − r_s)²) at the neighbours.
  // Backward with atomGrad ≠ 0: each centre's entry gradients (scratch), scattered at its end.
  const centreGrad = (sAtom + (K << 2) + 15) & ~(<usize>15);
  const direct = backward && atomGrad != 0;
  const expRow = (centreGrad + K * 24 + 15) & ~(<usize>15);
  const edgeScratch = expRow + <usize>maxGroups * row8;
  // Mode 3: factors recomputed, no cache.
  const cacheVector = cacheMode == 3 ? 0 : cacheMode;
  gLists = lists;

  let cursor = cache;
  for (let c = cStart; c < cEnd; c++) {
    const rowV = cacheMode >= 2 ? dummyRow : values + (<usize>c * <usize>nFeatures << 3);
    memory.fill(rowV, 0, <usize>nFeatures << 3);
    const start = ldi(offsets, c), end = ldi(offsets, c + 1);
    if (withGrad) memory.fill(grad + ((<usize>start * <usize>(3 * nFeatures)) << 3), 0, (<usize>(end - start) * <usize>(3 * nFeatures)) << 3);
    // Entry e's gradient at eg + 24 e: the global entryGrad, or (direct) the centre's scratch.
    const eg = direct ? centreGrad - ((<usize>start * 3) << 3) : entryGrad;
    if (backward) memory.fill(eg + ((<usize>start * 3) << 3), 0, (<usize>(end - start) * 3) << 3);
    const ce = ldi(atomElement, ldi(centerAtom, c));
    const eb = elements + (<usize>(ce << 3) << 2);
    const rcMax = ldf(elementRc, ce);
    const rowW = backward ? dEdG + (<usize>c * <usize>nFeatures << 3) : 0;

    // Neighbours within the element's largest r_c, sorted by element (counting sort).
    for (let e = 0; e <= nElements; e++) sti(runEnd, e, 0);
    let nn = 0;
    for (let e = start; e < end; e++) {
      const dx = ldf(disp, 3 * e), dy = ldf(disp, 3 * e + 1), dz = ldf(disp, 3 * e + 2);
      if (dx * dx + dy * dy + dz * dz >= rcMax * rcMax) continue;
      const el = ldi(atomElement, ldi(index, e));
      sti(sorder, nn++, e);
      sti(runEnd, el + 1, ldi(runEnd, el + 1) + 1);
    }
    if (nn == 0) continue;
    for (let e = 0; e < nElements; e++) sti(runEnd, e + 1, ldi(runEnd, e + 1) + ldi(runEnd, e));
    // runEnd[e] is now the start of run e; filling advances it to the run's end.
    for (let q = 0; q < nn; q++) {
      const e = ldi(sorder, q);
      const el = ldi(atomElement, ldi(index, e));
      const n = ldi(runEnd, el);
      sti(runEnd, el, n + 1);
      const dx = ldf(disp, 3 * e), dy = ldf(disp, 3 * e + 1), dz = ldf(disp, 3 * e + 2);
      const r = Math.sqrt(dx * dx + dy * dy + dz * dz);
      stf(sx, n, dx); stf(sy, n, dy); stf(sz, n, dz); stf(sr, n, r);
      stf(ux, n, dx / r); stf(uy, n, dy / r); stf(uz, n, dz / r);
      stf(sw, n, <f64>ldi(atomZ, ldi(index, e)));
      stf(invR, n, 1.0 / r);
      sti(sAtom, n, ldi(index, e));
      sti(sentry, n, e);
      stf(accR, n, 0.0); stf(gx, n, 0.0); stf(gy, n, 0.0); stf(gz, n, 0.0);
    }

    // One padding entry after the last neighbour, finite and with zero factors, for the f64x2 lanes.
    stf(sx, nn, 0.0); stf(sy, nn, 0.0); stf(sz, nn, 0.0); stf(sr, nn, 1.0); stf(sw, nn, 0.0);
    stf(ux, nn, 0.0); stf(uy, nn, 0.0); stf(uz, nn, 0.0);
    stf(gx, nn, 0.0); stf(gy, nn, 0.0); stf(gz, nn, 0.0);
    stf(invR, nn, 1.0); sti(sAtom, nn, nAtoms);
    if (edgeFactors != 0) for (let n = 0; n < nn; n++) sti(slotOfAtom, ldi(sAtom, n), n);

    // Radial factors of every group of this element at every neighbour. With a cache (modes 1
    // and 2, the edge path's passes), the rows live there: recorded, then replayed as they are.
    const groupStart = ldi(eb, 4), groupCount = ldi(eb, 5);
    let F = Fscratch, dF = dFscratch;
    if (edgeFactors != 0 && (cacheMode == 1 || cacheMode == 2)) {
      F = cursor;
      dF = cursor + <usize>groupCount * row8;
      cursor += (<usize>(2 * groupCount) * row8 + 15) & ~(<usize>15);
    }
    // Exp-type groups: f_c once per distinct r_c (rows fcRow, dfcRow), exponentials two at a time.
    let rcRow = -1.0;
    const maskRuns = edgeFactors != 0 && ldi(eb, 6) != 0;
    for (let g = 0; g < (cacheMode == 2 && edgeFactors != 0 ? 0 : groupCount); g++) {
      const Fg = F + <usize>g * row8, dFg = dF + <usize>g * row8;
      const gp = groups + (<usize>((groupStart + g) << 3) << 3);
      if (load<f64>(gp) != 0.0) {
        for (let n = 0; n < nn; n++) {
          stf(Fg, n, groupValue(groupStart + g, ldf(sr, n)));
          stf(dFg, n, factorDerivative);
        }
      } else {
        const eta = load<f64>(gp, 8), rs = load<f64>(gp, 16), rc = load<f64>(gp, 24);
        if (rc != rcRow) {
          if (cutoffType == 1) {
            for (let n = 0; n < nn; n++) {
              const r = ldf(sr, n);
              const inside = r < rc;
              stf(fcRow, n, inside ? cutoffFunction(cutoffType, cutoffAlpha, rc, r) : 0.0);
              stf(dfcRow, n, inside ? cutoffDerivative : 0.0);
            }
          } else {
            // The cutoffs with a vector form, two neighbours at a time (f_c' via jkArg).
            const rcv = f64x2.splat(rc);
            for (let n = 0; n < nn; n += 2) {
              const off = <usize>n << 3;
              const r = v128.load(sr + off);
              const inside = f64x2.lt(r, rcv);
              v128.store(fcRow + off, v128.and(cutoff2x(cutoffType, cutoffAlpha, rc, r, jkArg), inside));
              v128.store(dfcRow + off, v128.and(v128.load(jkArg), inside));
            }
          }
          rcRow = rc;
        }
        const nEta = f64x2.splat(-eta), rsv = f64x2.splat(rs), twoEta = f64x2.splat(2.0 * eta);
        // exp(−η (r − r_s)²) as the power p of an earlier group's (code: source · 128 + p), on the
        // runs where that one was evaluated; else exp.
        const code = <i32>load<f64>(gp, 56);
        const src = code >> 7, pw = code & 127;
        const Eg = expRow + <usize>g * row8, Esrc = expRow + <usize>src * row8;
        const srcRuns = groupRuns + (<usize>((groupStart + src) * nElements) << 2);
        // With maskRuns only the neighbour runs whose elements read the group (pairs from the
        // even slot at or below a run's start).
        const runs = groupRuns + (<usize>((groupStart + g) * nElements) << 2);
        const nRuns = maskRuns ? nElements : 1;
        for (let el = 0; el < nRuns; el++) {
          if (maskRuns && ldi(runs, el) == 0) continue;
          const lo = maskRuns ? (el == 0 ? 0 : ldi(runEnd, el - 1) & ~1) : 0;
          const hi = maskRuns ? ldi(runEnd, el) : nn;
          const fromPower = code != 0 && (!maskRuns || ldi(srcRuns, el) != 0);
          for (let n = lo; n < hi; n += 2) {
            const off = <usize>n << 3;
            const d = f64x2.sub(v128.load(sr + off), rsv);
            const e = fromPower ? power2x(v128.load(Esrc + off), pw) : exp2x(f64x2.mul(nEta, f64x2.mul(d, d)));
            v128.store(Eg + off, e);
            const fc = v128.load(fcRow + off);
            v128.store(Fg + off, f64x2.mul(e, fc));
            v128.store(dFg + off, f64x2.mul(e, f64x2.sub(v128.load(dfcRow + off), f64x2.mul(twoEta, f64x2.mul(d, fc)))));
          }
        }
      }
      stf(Fg, nn, 0.0);
      stf(dFg, nn, 0.0);
    }

    // Radial functions (types 2, 12, 20, 23).
    const radialStart = ldi(eb, 0), radialCount = ldi(eb, 1);
    for (let s = radialStart; s < radialStart + radialCount; s++) {
      const p = sfs + (<usize>(s << 3) << 3);
      const col = <i32>load<f64>(p);
      const e1 = <i32>load<f64>(p, 8);
      const g = <i32>load<f64>(p, 16) - groupStart;
      const weighted = load<f64>(p, 48) != 0.0;
      const lo = e1 < 0 ? 0 : (e1 == 0 ? 0 : ldi(runEnd, e1 - 1));
      const hi = e1 < 0 ? nn : ldi(runEnd, e1);
      const Fg = F + <usize>g * row8, dFg = dF + <usize>g * row8;
      const wf = backward ? ldf(rowW, col) : 0.0;
      let sum = 0.0;
      if (withGrad) {
        for (let n = lo; n < hi; n++) {
          const w = weighted ? ldf(sw, n) : 1.0;
          sum += w * ldf(Fg, n);
          const d = w * ldf(dFg, n);
          addGrad(grad, ldi(sentry, n), nFeatures, col, d * ldf(ux, n), d * ldf(uy, n), d * ldf(uz, n));
        }
      } else {
        // Σ_n w F and (backward) accR_n += ∂E/∂G w F'_n, two neighbours at a time from an even slot.
        let acc = f64x2.splat(0.0);
        const wfv = f64x2.splat(wf);
        let n = lo;
        if ((n & 1) != 0 && n < hi) {
          const w = weighted ? ldf(sw, n) : 1.0;
          sum += w * ldf(Fg, n);
          if (backward) stf(accR, n, ldf(accR, n) + wf * w * ldf(dFg, n));
          n++;
        }
        for (; n + 1 < hi; n += 2) {
          const off = <usize>n << 3;
          const w = weighted ? v128.load(sw + off) : f64x2.splat(1.0);
          acc = f64x2.add(acc, f64x2.mul(w, v128.load(Fg + off)));
          if (backward) v128.store(accR + off, f64x2.add(v128.load(accR + off), f64x2.mul(f64x2.mul(wfv, w), v128.load(dFg + off))));
        }
        if (n < hi) {
          const w = weighted ? ldf(sw, n) : 1.0;
          sum += w * ldf(Fg, n);
          if (backward) stf(accR, n, ldf(accR, n) + wf * w * ldf(dFg, n));
        }
        sum += f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
      }
      stf(rowV, col, ldf(rowV, col) + sum);
    }

    // Angular functions, one class (pair of neighbour elements, or all pairs) at a time.
    const classStart = ldi(eb, 2), classCount = ldi(eb, 3);
    for (let cl = classStart; cl < classStart + classCount; cl++) {
      const cp = classes + (<usize>(cl * CLASS_STRIDE) << 2);
      const e1 = ldi(cp, 0), e2 = ldi(cp, 1), sfStart = ldi(cp, 2), sfCount = ldi(cp, 3);
      const allNarrow = ldi(cp, 4) != 0;
      const listStart = ldi(cp, 5), jkCount = ldi(cp, 6), angCount = ldi(cp, 7);
      const rcC = ldf(classRc, cl);
      const rcC2 = rcC * rcC;
      const jLo = e1 < 0 ? 0 : (e1 == 0 ? 0 : ldi(runEnd, e1 - 1));
      const jHi = e1 < 0 ? nn : ldi(runEnd, e1);
      const kLo0 = e2 < 0 ? 0 : (e2 == 0 ? 0 : ldi(runEnd, e2 - 1));
      const kHi = e2 < 0 ? nn : ldi(runEnd, e2);
      const sameRun = e1 == e2;
      if (edgeFactors != 0 && ldi(cp, 9) != 0 && !withGrad) {
        cursor = angularClassEdges(
          angles, lists, listStart, jkCount, sfs, sfStart, sfCount, groupStart, listColumn, e1 < 0,
          jLo, jHi, kLo0, kHi, sameRun, rcC, imageCut2, sx, sy, sz, sr, ux, uy, uz, sw, invR, sAtom, F, dF, row8, gx, gy, gz,
          rowV, rowW, edgeFactors, ldi(pairStride, e1 < 0 ? 0 : e1 * nElements + e2), runRowBase, e2, runStart, nElements + 1,
          runStart + (<usize>(nAtoms * (nElements + 1)) << 2), sortedAtom, slotOfAtom,
          nn, edgeScratch, cacheVector, cursor,
        );
        continue;
      }
      if (ldi(cp, 8) != 0 && !withGrad) {
        cursor = angularClassVector(
          groups, angles, lists, listStart, jkCount, angCount, sfs, sfStart, sfCount, groupStart, e1 < 0, allNarrow,
          jLo, jHi, kLo0, kHi, sameRun, rcC, sx, sy, sz, sr, ux, uy, uz, sw, F, dF, row8, gx, gy, gz,
          cutoffType, cutoffAlpha, rowV, rowW, vectorScratch, cacheVector, cursor,
        );
        continue;
      }
      angularClassScalar(
        sr, sx, sy, sz, ux, uy, uz, sw, F, dF, row8, gx, gy, gz, sentry, jLo, jHi, kLo0, kHi, sameRun, allNarrow, rcC, rcC2,
        lists, listStart, jkCount, angCount, sfs, sfStart, sfCount, groupStart, jkV, jkD, jkArg, angV, angD,
        rowV, rowW, withGrad, backward, grad, nFeatures,
      );
    }

    if (edgeFactors != 0) for (let n = 0; n < nn; n++) sti(slotOfAtom, ldi(sAtom, n), NOT_A_NEIGHBOR);

    if (backward) {
      for (let n = 0; n < nn; n++) {
        const e = ldi(sentry, n);
        const rr = ldf(accR, n);
        stf(eg, 3 * e, rr * ldf(ux, n) + ldf(gx, n));
        stf(eg, 3 * e + 1, rr * ldf(uy, n) + ldf(gy, n));
        stf(eg, 3 * e + 2, rr * ldf(uz, n) + ldf(gz, n));
      }
      if (direct) scatterCentre(ldi(centerAtom, c), start, end, index, disp, eg, atomGrad, virial);
    }
  }
}

/**
 * One centre's part of n2p2ScatterForces, in the same order: ∂E/∂r_j += g_e, ∂E/∂r_i −= Σ_e g_e,
 * virial += Σ_e d_e ⊗ g_e (row-major, added to the 9 numbers at virial).
 */
function scatterCentre(i: i32, start: i32, end: i32, index: usize, disp: usize, entryGrad: usize, atomGrad: usize, virial: usize): void {
  let sx = 0.0, sy = 0.0, sz = 0.0;
  let v00 = 0.0, v01 = 0.0, v02 = 0.0, v10 = 0.0, v11 = 0.0, v12 = 0.0, v20 = 0.0, v21 = 0.0, v22 = 0.0;
  for (let e = start; e < end; e++) {
    const g0 = ldf(entryGrad, 3 * e), g1 = ldf(entryGrad, 3 * e + 1), g2 = ldf(entryGrad, 3 * e + 2);
    addAtomGradient(atomGrad, ldi(index, e), g0, g1, g2);
    sx += g0; sy += g1; sz += g2;
    const d0 = ldf(disp, 3 * e), d1 = ldf(disp, 3 * e + 1), d2 = ldf(disp, 3 * e + 2);
    v00 += d0 * g0; v01 += d0 * g1; v02 += d0 * g2;
    v10 += d1 * g0; v11 += d1 * g1; v12 += d1 * g2;
    v20 += d2 * g0; v21 += d2 * g1; v22 += d2 * g2;
  }
  addAtomGradient(atomGrad, i, -sx, -sy, -sz);
  addVirial(virial, v00, v01, v02, v10, v11, v12, v20, v21, v22);
}

/**
 * Atom gradients ∂E/∂r (3 per atom) and the virial Σ_e d_e ⊗ ∂E/∂d_e (9, row-major) from
 * per-entry gradients: ∂E/∂r_j += g_e, ∂E/∂r_i −= g_e for entry e = (centre atom i, neighbour j).
 */
export function n2p2ScatterForces(
  nCenters: i32, centerAtom: usize, offsets: usize, index: usize, disp: usize, entryGrad: usize,
  nAtoms: i32, atomGrad: usize, virial: usize,
): void {
  memory.fill(atomGrad, 0, <usize>(3 * nAtoms) << 3);
  memory.fill(virial, 0, 72);
  for (let c = 0; c < nCenters; c++) {
    scatterCentre(ldi(centerAtom, c), ldi(offsets, c), ldi(offsets, c + 1), index, disp, entryGrad, atomGrad, virial);
  }
}
