// SOAP spherical expansion of one centre's neighbour density:
//   c^d_{nlm} = Σ_{j ∈ d} w_j Y_lm(r̂_j) I_nl(r_j)
// (r_j: neighbour relative to the centre, I_nl: radial integral of its Gaussian, w_j: its weight;
// see src/soap/referenceSpectrum.ts for the plain version this kernel must reproduce).
//
// Two steps: `expansionSlots` evaluates, for every neighbour with w ≠ 0, the weighted harmonics
// w Y_lm and the radial integrals I_nl into per-neighbour rows grouped by density ("slots");
// `expansionAccumulate` then sums slot rows into the coefficients, laid out
// coef[(d·(l_max+1)² + lm)·n_maxP + n] with lm = l² + l + m and n_maxP = n_max rounded up to even
// (the padding entries stay 0 because the table's padded channels are 0).
import { ldf, ldi, stf, sti } from '../memory';
import { fmadd } from '../math/simdMath';
import { radialPowerEvaluate, radialTableBytes, radialTableEvaluate } from './radialTable';
import { shValuesAndGradientsAt, shValuesAndGradientsPairAt, shValuesAt, shValuesPairAt } from './sphericalHarmonics';
import { radialWeight, radialWeightDerivative } from './weighting';

/** Y_00 = 1/√(4π): the only harmonic a neighbour on the centre (r = 0) contributes to. */
const Y00: f64 = 0.28209479177387814;

// Geometry of the radial table and the basis sizes, set once per call by setExpansionShape.
// (Module globals, not an object: the kernels run with the stub runtime and never allocate.)
let nMaxP: i32 = 0;
let lMax: i32 = 0;
let nLM: i32 = 0;
/** Channels M = (l_max+1)·n_maxP of a radial row. */
let channels: i32 = 0;
/** Densities neighbours are sorted into (species, or 1 for 'mu2'); mu1nu1's sum is extra. */
let nDensities: i32 = 0;
let table: usize = 0;
/** The power-basis copy of the table (values only), right after it. */
let power: usize = 0;
let intervals: i32 = 0;
let h: f64 = 0;
let invH: f64 = 0;
let rMax: f64 = 0;
/** Spherical-harmonic recurrence constants (assembly/soap/sphericalHarmonics.ts). */
let shCoef: usize = 0;

/** Sets the sizes and the radial table used by the functions below. */
export function setExpansionShape(
  nMaxPadded: i32, lMaxValue: i32, slotDensities: i32, tablePtr: usize, tableIntervals: i32,
  spacing: f64, invSpacing: f64, tableEnd: f64, shCoefPtr: usize,
): void {
  nMaxP = nMaxPadded;
  lMax = lMaxValue;
  nLM = (lMax + 1) * (lMax + 1);
  channels = (lMax + 1) * nMaxP;
  nDensities = slotDensities;
  table = tablePtr;
  power = tablePtr + radialTableBytes(channels, tableIntervals);
  intervals = tableIntervals;
  h = spacing;
  invH = invSpacing;
  rMax = tableEnd;
  shCoef = shCoefPtr;
}

/**
 * Pass 1 of the slot filling (shared by the f64 and f32 kernels): the weight w = atomWeight[j]·w(r)
 * of every neighbour k0..k1−1 and of the centre atom (entry k1 − k0, r = 0; weight 0 for a point
 * centre) into kw, the slot range of each density into slotStart[0..nD], and cursor[d] =
 * slotStart[d] for pass 2. Neighbours of weight 0 get no slot.
 */
export function countSlotsByDensity(
  k0: i32, k1: i32, selfAtom: i32, index: usize, disp: usize, density: usize, atomWeight: usize,
  wp: usize, trivialWeights: bool, nD: i32, kw: usize, cursor: usize, slotStart: usize,
): void {
  const nK = k1 - k0;
  for (let d = 0; d <= nD; d++) sti(slotStart, d, 0);
  for (let k = 0; k <= nK; k++) {
    let j: i32, r: f64;
    if (k < nK) {
      j = ldi(index, k0 + k);
      const x = ldf(disp, 3 * (k0 + k)), y = ldf(disp, 3 * (k0 + k) + 1), z = ldf(disp, 3 * (k0 + k) + 2);
      r = Math.sqrt(x * x + y * y + z * z);
    } else {
      if (selfAtom < 0) { stf(kw, k, 0.0); continue; }
      j = selfAtom;
      r = 0.0;
    }
    const w = trivialWeights ? ldf(atomWeight, j) : ldf(atomWeight, j) * radialWeight(wp, r);
    stf(kw, k, w);
    if (w != 0.0) {
      const d = ldi(density, j);
      sti(slotStart, d + 1, ldi(slotStart, d + 1) + 1);
    }
  }
  for (let d = 0; d < nD; d++) sti(slotStart, d + 1, ldi(slotStart, d + 1) + ldi(slotStart, d));
  for (let d = 0; d < nD; d++) sti(cursor, d, ldi(slotStart, d));
}

/**
 * Fills the slots of one centre: for every neighbour k (and the centre atom itself when
 * `selfAtom` ≥ 0, at r = 0) with weight w = atomWeight[j]·w(r) ≠ 0, a row wY[slot][lm] = w·Y_lm
 * and a row R[slot][l·n_maxP + n] = I_nl(r), slots ordered by density. `slotStart[d]..slotStart[d+1]`
 * are the slots of density d on return. Scratch: `kw` f64[k+1] weights, `cursor` i32[nDensities].
 * With `grad` also, per slot: Y_lm (yPlain), ∂Y_lm/∂r (dY[slot][3][lm]), dI_nl/dr (dRadial),
 * geom[slot] = (r̂x, r̂y, r̂z, w, dw/dr, 1 if r = 0 else 0) and slotEntry[slot] = neighbour-list
 * entry (−1 for the centre atom itself). At r = 0 (the centre atom, or an atom on a point centre)
 * dY holds the r → 0 limit described below and r̂ = 0.
 * Returns the number of slots.
 */
export function expansionSlots(
  k0: i32, k1: i32, selfAtom: i32, index: usize, disp: usize,
  density: usize, atomWeight: usize, wp: usize, trivialWeights: bool,
  kw: usize, cursor: usize, slotStart: usize, wY: usize, radial: usize,
  grad: bool, yPlain: usize, dY: usize, dRadial: usize, geom: usize, slotEntry: usize,
): i32 {
  const nK = k1 - k0;
  countSlotsByDensity(k0, k1, selfAtom, index, disp, density, atomWeight, wp, trivialWeights, nDensities, kw, cursor, slotStart);
  // Pass 2: slot of each neighbour (stable within a density).
  let pending = -1; // slot waiting for its harmonics
  let pUx = 0.0, pUy = 0.0, pUz = 0.0, pInv = 0.0, pW = 0.0;
  for (let k = 0; k <= nK; k++) {
    const w = ldf(kw, k);
    if (w == 0.0) continue;
    const j = k < nK ? ldi(index, k0 + k) : selfAtom;
    const d = ldi(density, j);
    const slot = ldi(cursor, d);
    sti(cursor, d, slot + 1);
    const yRow = wY + (<usize>(slot * nLM) << 3);
    const rRow = radial + (<usize>(slot * channels) << 3);
    let r = 0.0, ux = 0.0, uy = 0.0, uz = 0.0;
    if (k < nK) {
      const x = ldf(disp, 3 * (k0 + k)), y = ldf(disp, 3 * (k0 + k) + 1), z = ldf(disp, 3 * (k0 + k) + 2);
      const r2 = x * x + y * y + z * z;
      if (r2 > 0.0) {
        r = Math.sqrt(r2);
        const inv = 1.0 / r;
        ux = x * inv;
        uy = y * inv;
        uz = z * inv;
        // Harmonics two neighbours at a time (f64x2 lanes): hold this one until a partner comes.
        if (pending < 0) {
          pending = slot;
          pUx = ux; pUy = uy; pUz = uz; pInv = inv; pW = w;
        } else {
          if (grad) {
            shValuesAndGradientsPairAt(
              lMax, shCoef, pUx, pUy, pUz, pInv, ux, uy, uz, inv,
              yPlain + (<usize>(pending * nLM) << 3), dY + (<usize>(3 * pending * nLM) << 3),
              yPlain + (<usize>(slot * nLM) << 3), dY + (<usize>(3 * slot * nLM) << 3),
            );
          } else {
            shValuesPairAt(lMax, shCoef, pUx, pUy, pUz, ux, uy, uz, wY + (<usize>(pending * nLM) << 3), yRow);
          }
          weightHarmonics(pending, pW, grad, wY, yPlain);
          weightHarmonics(slot, w, grad, wY, yPlain);
          pending = -1;
        }
      }
    }
    if (r == 0.0) {
      // On the centre the direction is undefined; only l = 0 survives (I_nl(0) = 0 for l > 0).
      stf(yRow, 0, w * Y00);
      for (let lm = 1; lm < nLM; lm++) stf(yRow, lm, 0.0);
    }
    if (grad) {
      radialTableEvaluate(table, channels, intervals, h, invH, rMax, r, rRow, dRadial + (<usize>(slot * channels) << 3));
      const g = geom + (<usize>(6 * slot) << 3);
      stf(g, 0, ux);
      stf(g, 1, uy);
      stf(g, 2, uz);
      stf(g, 3, w);
      stf(g, 4, trivialWeights || r == 0.0 ? 0.0 : ldf(atomWeight, j) * radialWeightDerivative(wp, r));
      stf(g, 5, r == 0.0 ? 1.0 : 0.0);
      sti(slotEntry, slot, k < nK ? k0 + k : -1);
      if (r == 0.0) {
        // Limit r → 0: w Y_lm I_nl ≈ w √(3/4π) r_α I'_n1(0) for l = 1 (m = 1, −1, 0 ↔ x, y, z),
        // higher l vanish faster, l = 0 is even in r. The kernel multiplies dY by w I'.
        const yp = yPlain + (<usize>(slot * nLM) << 3);
        const dy = dY + (<usize>(3 * slot * nLM) << 3);
        memory.fill(yp, 0, <usize>nLM << 3);
        stf(yp, 0, Y00);
        memory.fill(dy, 0, <usize>(3 * nLM) << 3);
        if (lMax >= 1) {
          const c1 = 0.4886025119029199; // √(3/(4π))
          stf(dy, 3, c1); // ∂/∂x of Y_11 ∝ x
          stf(dy, nLM + 1, c1); // ∂/∂y of Y_1−1 ∝ y
          stf(dy, 2 * nLM + 2, c1); // ∂/∂z of Y_10 ∝ z
        }
      }
    } else {
      radialPowerEvaluate(power, channels, intervals, invH, rMax, r, rRow);
    }
  }
  if (pending >= 0) {
    if (grad) {
      shValuesAndGradientsAt(lMax, shCoef, pUx, pUy, pUz, pInv, yPlain + (<usize>(pending * nLM) << 3), dY + (<usize>(3 * pending * nLM) << 3));
    } else {
      shValuesAt(lMax, shCoef, pUx, pUy, pUz, wY + (<usize>(pending * nLM) << 3));
    }
    weightHarmonics(pending, pW, grad, wY, yPlain);
  }
  return ldi(slotStart, nDensities);
}

/** wY[slot] = w·Y: from yPlain[slot] (gradient mode), else in place (skipped for w = 1). */
@inline function weightHarmonics(slot: i32, w: f64, grad: bool, wY: usize, yPlain: usize): void {
  const yRow = wY + (<usize>(slot * nLM) << 3);
  if (grad) {
    const yp = yPlain + (<usize>(slot * nLM) << 3);
    for (let lm = 0; lm < nLM; lm++) stf(yRow, lm, w * ldf(yp, lm));
  } else if (w != 1.0) {
    for (let lm = 0; lm < nLM; lm++) stf(yRow, lm, w * ldf(yRow, lm));
  }
}

// The accumulation is a small matrix product per (density, l): C[m][n] = Σ_s wY[s][lm] R[s][l][n].
// It is register-blocked: two lm rows × 8 n (4 f64x2 accumulators each) stay in registers while
// the loop runs over the slots, so each slot costs 4 vector loads + 2 splats for 8 fma.

/** Two lm rows (lmA, lmB = lmA + 1; `pair` false: lmA only) × 8 n starting at byte offset `o` of the row. */
@inline function accumulate8(
  s0: i32, s1: i32, wY: usize, radial: usize, lmA: i32, pair: bool, rOffset: usize, cA: usize, cB: usize,
): void {
  let a0 = f64x2.splat(0.0), a1 = a0, a2 = a0, a3 = a0;
  let b0 = a0, b1 = a0, b2 = a0, b3 = a0;
  const yStride = <usize>nLM << 3, rStride = <usize>channels << 3;
  let y = wY + <usize>s0 * yStride + (<usize>lmA << 3);
  let r = radial + <usize>s0 * rStride + rOffset;
  for (let slot = s0; slot < s1; slot++) {
    const r0 = v128.load(r), r1 = v128.load(r, 16), r2 = v128.load(r, 32), r3 = v128.load(r, 48);
    const ya = v128.load64_splat(y);
    a0 = fmadd(ya, r0, a0);
    a1 = fmadd(ya, r1, a1);
    a2 = fmadd(ya, r2, a2);
    a3 = fmadd(ya, r3, a3);
    if (pair) {
      const yb = v128.load64_splat(y, 8);
      b0 = fmadd(yb, r0, b0);
      b1 = fmadd(yb, r1, b1);
      b2 = fmadd(yb, r2, b2);
      b3 = fmadd(yb, r3, b3);
    }
    y += yStride;
    r += rStride;
  }
  v128.store(cA, a0);
  v128.store(cA, a1, 16);
  v128.store(cA, a2, 32);
  v128.store(cA, a3, 48);
  if (pair) {
    v128.store(cB, b0);
    v128.store(cB, b1, 16);
    v128.store(cB, b2, 32);
    v128.store(cB, b3, 48);
  }
}

/** As accumulate8 for 2 n (one f64x2), for the tail of n_maxP. */
@inline function accumulate2(
  s0: i32, s1: i32, wY: usize, radial: usize, lmA: i32, pair: bool, rOffset: usize, cA: usize, cB: usize,
): void {
  let a = f64x2.splat(0.0), b = a;
  const yStride = <usize>nLM << 3, rStride = <usize>channels << 3;
  let y = wY + <usize>s0 * yStride + (<usize>lmA << 3);
  let r = radial + <usize>s0 * rStride + rOffset;
  for (let slot = s0; slot < s1; slot++) {
    const rv = v128.load(r);
    a = fmadd(v128.load64_splat(y), rv, a);
    if (pair) b = fmadd(v128.load64_splat(y, 8), rv, b);
    y += yStride;
    r += rStride;
  }
  v128.store(cA, a);
  if (pair) v128.store(cB, b);
}

/**
 * coef[d][lm][n] = Σ_{slots of d} wY[slot][lm] · R[slot][l][n] for the species densities
 * d < nSpeciesDensities (overwrites them).
 */
export function expansionAccumulate(
  nSpeciesDensities: i32, slotStart: usize, wY: usize, radial: usize, coef: usize,
): void {
  const rowBytes = <usize>nMaxP << 3;
  const full = rowBytes & ~(<usize>63); // bytes of the n range done 8 at a time
  for (let d = 0; d < nSpeciesDensities; d++) {
    const base = coef + <usize>(d * nLM) * rowBytes;
    const s0 = ldi(slotStart, d), s1 = ldi(slotStart, d + 1);
    for (let l = 0; l <= lMax; l++) {
      const lmEnd = l * l + 2 * l;
      const rl = <usize>l * rowBytes;
      for (let lm = l * l; lm <= lmEnd; lm += 2) {
        const pair = lm < lmEnd;
        const cA = base + <usize>lm * rowBytes;
        const cB = cA + rowBytes;
        for (let o: usize = 0; o < full; o += 64) {
          if (pair) accumulate8(s0, s1, wY, radial, lm, true, rl + o, cA + o, cB + o);
          else accumulate8(s0, s1, wY, radial, lm, false, rl + o, cA + o, cB + o);
        }
        for (let o = full; o < rowBytes; o += 16) {
          if (pair) accumulate2(s0, s1, wY, radial, lm, true, rl + o, cA + o, cB + o);
          else accumulate2(s0, s1, wY, radial, lm, false, rl + o, cA + o, cB + o);
        }
      }
    }
  }
}

/** mu1nu1's summed density: coef[sumDensity] = Σ_{d < sumDensity} coef[d]. */
export function expansionSumDensities(sumDensity: i32, coef: usize): void {
  const block = <usize>(nLM * nMaxP) << 3;
  const out = coef + <usize>sumDensity * block;
  memory.fill(out, 0, block);
  for (let d = 0; d < sumDensity; d++) {
    const src = coef + <usize>d * block;
    for (let o: usize = 0; o < block; o += 16) v128.store(out + o, f64x2.add(v128.load(out + o), v128.load(src + o)));
  }
}
