// Float32 SOAP spherical expansion of one centre's neighbour density (the values path of
// dtype 'float32'; assembly/soap/sphericalExpansion.ts is the float64 version it follows):
//   c^d_{nlm} = Σ_{j ∈ d} w_j Y_lm(r̂_j) I_nl(r_j)
// `expansionSlotsF32` fills per-neighbour f32 rows grouped by density ("slots"): w·Y_lm, four
// neighbours at a time in f32x4 lanes (shWeightedQuadF32), and I_nl(r) from the f32 table; `expansionAccumulateF32` sums them into coef[(d·(l_max+1)² + lm)·n_maxP + n] (f32,
// n_maxP = n_max rounded up to a multiple of 4; the padding stays 0).
import { ldf, ldi, stf, sti } from '../memory';
import { fmaddF32 } from '../math/simdMathF32';
import { radialTableEvaluateF32 } from './radialTableF32';
import { shWeightedQuadF32 } from './sphericalHarmonicsF32';
import { countSlotsByDensity } from './sphericalExpansion';

/** Y_00 = 1/√(4π): the only harmonic a neighbour on the centre (r = 0) contributes to. */
const Y00: f64 = 0.28209479177387814;

// Sizes and table, set once per call by setExpansionShapeF32 (module globals: no allocation).
let nMaxP: i32 = 0;
let lMax: i32 = 0;
let nLM: i32 = 0;
/** f32 per harmonic row: ≥ nLM + 3 (a block of 4 lm rows may read 3 past the last), multiple of 4. */
let nLMP: i32 = 0;
/** Channels M = (l_max+1)·n_maxP of a radial row. */
let channels: i32 = 0;
let nDensities: i32 = 0;
let table: usize = 0;
let intervals: i32 = 0;
let h: f64 = 0;
let invH: f64 = 0;
let rMax: f64 = 0;
/** f32 harmonic constants (shCoefficientsF32). */
let shCoef32: usize = 0;

/** Row length (f32) of the harmonic slots for l_max: (l_max+1)² + 3 rounded up to a multiple of 4. */
export function harmonicRowF32(lMaxValue: i32): i32 {
  return ((lMaxValue + 1) * (lMaxValue + 1) + 6) & ~3;
}

/** Sets the sizes and the f32 radial table used by the functions below. */
export function setExpansionShapeF32(
  nMaxPadded: i32, lMaxValue: i32, slotDensities: i32, tablePtr: usize, tableIntervals: i32,
  spacing: f64, invSpacing: f64, tableEnd: f64, shCoef32Ptr: usize,
): void {
  nMaxP = nMaxPadded;
  lMax = lMaxValue;
  nLM = (lMax + 1) * (lMax + 1);
  nLMP = harmonicRowF32(lMax);
  channels = (lMax + 1) * nMaxP;
  nDensities = slotDensities;
  table = tablePtr;
  intervals = tableIntervals;
  h = spacing;
  invH = invSpacing;
  rMax = tableEnd;
  shCoef32 = shCoef32Ptr;
}

/** Zeroes the padding nLM..nLMP−1 of an f32 harmonic row (read by the 4-row blocks). */
@inline function zeroPadding(row: usize): void {
  for (let lm = nLM; lm < nLMP; lm++) store<f32>(row + (<usize>lm << 2), 0.0);
}

/** Harmonics of up to four pending slots (lanes of x, y, z, w; unused lanes repeat slot s0). */
@inline function harmonicsQuad(x: v128, y: v128, z: v128, w: v128, wY: usize, s0: i32, s1: i32, s2: i32, s3: i32): void {
  const r0 = wY + (<usize>(s0 * nLMP) << 2), r1 = wY + (<usize>(s1 * nLMP) << 2);
  const r2 = wY + (<usize>(s2 * nLMP) << 2), r3 = wY + (<usize>(s3 * nLMP) << 2);
  shWeightedQuadF32(lMax, shCoef32, x, y, z, w, r0, r1, r2, r3);
  zeroPadding(r0);
  zeroPadding(r1);
  zeroPadding(r2);
  zeroPadding(r3);
}

/**
 * Fills the slots of one centre (as expansionSlots, values only): for every neighbour (and the
 * centre atom itself when `selfAtom` ≥ 0, at r = 0) with w = atomWeight[j]·w(r) ≠ 0, the f32 rows
 * wY[slot][lm] = w·Y_lm and R[slot][l·n_maxP + n] = I_nl(r), slots ordered by density;
 * slotStart[d]..slotStart[d+1] are density d's. Scratch: kw f64[k+1], cursor i32[nDensities].
 * Directions are computed in f64 and rounded to f32 for the harmonics. Returns the number of slots.
 */
export function expansionSlotsF32(
  k0: i32, k1: i32, selfAtom: i32, index: usize, disp: usize,
  density: usize, atomWeight: usize, wp: usize, trivialWeights: bool,
  kw: usize, cursor: usize, slotStart: usize, wY: usize, radial: usize,
): i32 {
  const nK = k1 - k0;
  const nD = nDensities;
  countSlotsByDensity(k0, k1, selfAtom, index, disp, density, atomWeight, wp, trivialWeights, nD, kw, cursor, slotStart);
  // Pass 2: slot of each neighbour (stable within a density).
  // Neighbours waiting for their harmonics: lanes of x, y, z, w and their slots s0..s3.
  let pending = 0;
  let qx = f32x4.splat(0.0), qy = qx, qz = qx, qw = qx;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let k = 0; k <= nK; k++) {
    const w = ldf(kw, k);
    if (w == 0.0) continue;
    const j = k < nK ? ldi(index, k0 + k) : selfAtom;
    const d = ldi(density, j);
    const slot = ldi(cursor, d);
    sti(cursor, d, slot + 1);
    let r = 0.0;
    if (k < nK) {
      const x = ldf(disp, 3 * (k0 + k)), y = ldf(disp, 3 * (k0 + k) + 1), z = ldf(disp, 3 * (k0 + k) + 2);
      const r2 = x * x + y * y + z * z;
      if (r2 > 0.0) {
        r = Math.sqrt(r2);
        const inv = 1.0 / r;
        const ux = <f32>(x * inv), uy = <f32>(y * inv), uz = <f32>(z * inv), wf = <f32>w;
        if (pending == 0) {
          qx = f32x4.splat(ux); qy = f32x4.splat(uy); qz = f32x4.splat(uz); qw = f32x4.splat(wf);
          s0 = slot; s1 = slot; s2 = slot; s3 = slot;
        } else if (pending == 1) {
          qx = f32x4.replace_lane(qx, 1, ux); qy = f32x4.replace_lane(qy, 1, uy);
          qz = f32x4.replace_lane(qz, 1, uz); qw = f32x4.replace_lane(qw, 1, wf);
          s1 = slot;
        } else if (pending == 2) {
          qx = f32x4.replace_lane(qx, 2, ux); qy = f32x4.replace_lane(qy, 2, uy);
          qz = f32x4.replace_lane(qz, 2, uz); qw = f32x4.replace_lane(qw, 2, wf);
          s2 = slot;
        } else {
          qx = f32x4.replace_lane(qx, 3, ux); qy = f32x4.replace_lane(qy, 3, uy);
          qz = f32x4.replace_lane(qz, 3, uz); qw = f32x4.replace_lane(qw, 3, wf);
          s3 = slot;
        }
        if (++pending == 4) {
          harmonicsQuad(qx, qy, qz, qw, wY, s0, s1, s2, s3);
          pending = 0;
        }
      }
    }
    if (r == 0.0) {
      // On the centre only l = 0 survives (I_nl(0) = 0 for l > 0).
      const yRow = wY + (<usize>(slot * nLMP) << 2);
      store<f32>(yRow, <f32>(w * Y00));
      for (let lm = 1; lm < nLMP; lm++) store<f32>(yRow + (<usize>lm << 2), 0.0);
    }
    radialTableEvaluateF32(table, channels, intervals, h, invH, rMax, r, radial + (<usize>(slot * channels) << 2));
  }
  if (pending > 0) harmonicsQuad(qx, qy, qz, qw, wY, s0, s1, s2, s3);
  return ldi(slotStart, nD);
}

// Accumulation C[lm][n] = Σ_s wY[s][lm] R[s][l][n] per (density, l), register-blocked: four lm
// rows × 8 n (two f32x4 accumulators each) stay in registers over the slots, so each slot costs
// 2 vector loads + 4 splats for 8 multiply-adds. Blocks run past the last lm of an l (reading the
// next l's harmonics or the zero padding); those rows are computed but not stored.

/** Rows lm..lm+3 (the first `rows` stored) × 8 n at byte offset rOffset of the radial row. */
@inline function accumulate4x8(
  s0: i32, s1: i32, wY: usize, radial: usize, lm: i32, rows: i32, rOffset: usize, c: usize, rowBytes: usize,
): void {
  let a0 = f32x4.splat(0.0), a1 = a0, b0 = a0, b1 = a0, e0 = a0, e1 = a0, g0 = a0, g1 = a0;
  const yStride = <usize>nLMP << 2, rStride = <usize>channels << 2;
  let y = wY + <usize>s0 * yStride + (<usize>lm << 2);
  let r = radial + <usize>s0 * rStride + rOffset;
  for (let slot = s0; slot < s1; slot++) {
    const r0 = v128.load(r), r1 = v128.load(r, 16);
    const ya = v128.load32_splat(y);
    a0 = fmaddF32(ya, r0, a0);
    a1 = fmaddF32(ya, r1, a1);
    const yb = v128.load32_splat(y, 4);
    b0 = fmaddF32(yb, r0, b0);
    b1 = fmaddF32(yb, r1, b1);
    const ye = v128.load32_splat(y, 8);
    e0 = fmaddF32(ye, r0, e0);
    e1 = fmaddF32(ye, r1, e1);
    const yg = v128.load32_splat(y, 12);
    g0 = fmaddF32(yg, r0, g0);
    g1 = fmaddF32(yg, r1, g1);
    y += yStride;
    r += rStride;
  }
  v128.store(c, a0);
  v128.store(c, a1, 16);
  if (rows > 1) {
    v128.store(c + rowBytes, b0);
    v128.store(c + rowBytes, b1, 16);
  }
  if (rows > 2) {
    v128.store(c + 2 * rowBytes, e0);
    v128.store(c + 2 * rowBytes, e1, 16);
  }
  if (rows > 3) {
    v128.store(c + 3 * rowBytes, g0);
    v128.store(c + 3 * rowBytes, g1, 16);
  }
}

/** As accumulate4x8 for 4 n (one f32x4): the tail when n_maxP is not a multiple of 8. */
@inline function accumulate4x4(
  s0: i32, s1: i32, wY: usize, radial: usize, lm: i32, rows: i32, rOffset: usize, c: usize, rowBytes: usize,
): void {
  let a = f32x4.splat(0.0), b = a, e = a, g = a;
  const yStride = <usize>nLMP << 2, rStride = <usize>channels << 2;
  let y = wY + <usize>s0 * yStride + (<usize>lm << 2);
  let r = radial + <usize>s0 * rStride + rOffset;
  for (let slot = s0; slot < s1; slot++) {
    const rv = v128.load(r);
    a = fmaddF32(v128.load32_splat(y), rv, a);
    b = fmaddF32(v128.load32_splat(y, 4), rv, b);
    e = fmaddF32(v128.load32_splat(y, 8), rv, e);
    g = fmaddF32(v128.load32_splat(y, 12), rv, g);
    y += yStride;
    r += rStride;
  }
  v128.store(c, a);
  if (rows > 1) v128.store(c + rowBytes, b);
  if (rows > 2) v128.store(c + 2 * rowBytes, e);
  if (rows > 3) v128.store(c + 3 * rowBytes, g);
}

/** coef[d][lm][n] = Σ_{slots of d} wY[slot][lm] · R[slot][l][n] (f32) for d < nSpeciesDensities. */
export function expansionAccumulateF32(
  nSpeciesDensities: i32, slotStart: usize, wY: usize, radial: usize, coef: usize,
): void {
  const rowBytes = <usize>nMaxP << 2;
  const full = rowBytes & ~(<usize>31); // bytes of the n range done 8 at a time
  for (let d = 0; d < nSpeciesDensities; d++) {
    const base = coef + <usize>(d * nLM) * rowBytes;
    const s0 = ldi(slotStart, d), s1 = ldi(slotStart, d + 1);
    for (let l = 0; l <= lMax; l++) {
      const lmEnd = l * l + 2 * l;
      const rl = <usize>l * rowBytes;
      for (let lm = l * l; lm <= lmEnd; lm += 4) {
        const rows = lmEnd - lm + 1;
        const c = base + <usize>lm * rowBytes;
        for (let o: usize = 0; o < full; o += 32) accumulate4x8(s0, s1, wY, radial, lm, rows, rl + o, c + o, rowBytes);
        if (full < rowBytes) accumulate4x4(s0, s1, wY, radial, lm, rows, rl + full, c + full, rowBytes);
      }
    }
  }
}

/** mu1nu1's summed density: coef[sumDensity] = Σ_{d < sumDensity} coef[d] (f32). */
export function expansionSumDensitiesF32(sumDensity: i32, coef: usize): void {
  const block = <usize>(nLM * nMaxP) << 2;
  const out = coef + <usize>sumDensity * block;
  memory.fill(out, 0, block);
  for (let d = 0; d < sumDensity; d++) {
    const src = coef + <usize>d * block;
    for (let o: usize = 0; o < block; o += 16) v128.store(out + o, f32x4.add(v128.load(out + o), v128.load(src + o)));
  }
}
