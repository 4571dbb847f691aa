// Float32 twin of assembly/soap/pairExpansion.ts (dtype 'float32', every atom a centre): each
// upward pair's w(r)·Y_lm(r̂) (four pairs at a time in f32x4 lanes, shWeightedQuadF32) and I_nl(r)
// (float32 table) are evaluated once into an f32 record and added to both atoms' f32
// coefficients, c_j getting (−1)^l: C[lm][n] += s_l Σ_records Yw[lm] R[l][n] as in
// sphericalExpansionF32.ts (four lm rows × 8 n per register block). Tiles, groups and the checks
// are those of the float64 path.
import { ldf, ldi, stf, sti } from '../memory';
import { fmaddF32 } from '../math/simdMathF32';
import { radialTableEvaluateF32, radialTableEvaluatePairF32 } from './radialTableF32';
import { radialInterval } from './radialTable';
import { shWeightedQuadF32 } from './sphericalHarmonicsF32';
import { groupRecords, intervalOrder, isUpward, localTargets } from './pairExpansion';
import { radialWeight } from './weighting';

/** Y_00 = 1/√(4π). */
const Y00: f64 = 0.28209479177387814;

// Sizes and table (set by setPairShapeF32).
let nMaxP: i32 = 0;
let lMax: i32 = 0;
let nLM: i32 = 0;
/** f32 of the harmonic part of a record: ≥ nLM + 3 (a 4-row block reads 3 past), a multiple of 16. */
let nLMR: i32 = 0;
let channels: i32 = 0;
let recBytes: usize = 0;
let table: usize = 0;
let intervals: i32 = 0;
let h: f64 = 0;
let invH: f64 = 0;
let rMax: f64 = 0;
let shCoef32: usize = 0;

/** f32 of the harmonic part of a record for l_max. */
@inline function harmonicFloats(lMaxValue: i32): i32 {
  return ((lMaxValue + 1) * (lMaxValue + 1) + 3 + 15) & ~15;
}

/** Bytes of one f32 pair record: w(r)·Y_lm then I_nl (channels), whole 64-byte lines. */
export function pairRecordBytesF32(nMaxPadded: i32, lMaxValue: i32): usize {
  return ((<usize>(harmonicFloats(lMaxValue) + (lMaxValue + 1) * nMaxPadded) << 2) + 63) & ~(<usize>63);
}

/** Sets the sizes, the f32 radial table and the f32 harmonic constants used below. */
export function setPairShapeF32(
  nMaxPadded: i32, lMaxValue: i32, tablePtr: usize, tableIntervals: i32, spacing: f64, invSpacing: f64,
  tableEnd: f64, shCoef32Ptr: usize,
): void {
  nMaxP = nMaxPadded;
  lMax = lMaxValue;
  nLM = (lMax + 1) * (lMax + 1);
  nLMR = harmonicFloats(lMax);
  channels = (lMax + 1) * nMaxP;
  recBytes = pairRecordBytesF32(nMaxP, lMax);
  table = tablePtr;
  intervals = tableIntervals;
  h = spacing;
  invH = invSpacing;
  rMax = tableEnd;
  shCoef32 = shCoef32Ptr;
}

/** Zeroes the harmonic padding nLM..nLMR−1 of a record (read by the 4-row blocks). */
@inline function zeroPadding(row: usize): void {
  for (let lm = nLM; lm < nLMR; lm++) store<f32>(row + (<usize>lm << 2), 0.0);
}

/** Harmonics of up to four pending records (lanes of x, y, z, w; unused lanes repeat the first). */
@inline function harmonicsQuad(x: v128, y: v128, z: v128, w: v128, r0: usize, r1: usize, r2: usize, r3: usize): void {
  shWeightedQuadF32(lMax, shCoef32, x, y, z, w, r0, r1, r2, r3);
  zeroPadding(r0);
  zeroPadding(r1);
  zeroPadding(r2);
  zeroPadding(r3);
}

/**
 * Evaluates the upward pairs (with `half`, every entry) of the tile's atoms i = tileAtoms[t],
 * t < count, with w(r) ≠ 0 into f32 records, their atoms into recI/recJ and t into recIL.
 * Returns the record count. Scratch: recR f64 and order i32 per record,
 * buckets i32[intervals + 1].
 */
function pairRecordsF32(
  tileAtoms: usize, count: i32, half: bool, offsets: usize, index: usize, disp: usize, wp: usize, trivial: bool,
  rec: usize, recI: usize, recIL: usize, recJ: usize, recR: usize, order: usize, buckets: usize,
): i32 {
  let n = 0;
  let pending = 0;
  let qx = f32x4.splat(0.0), qy = qx, qz = qx, qw = qx;
  let p0: usize = 0, p1: usize = 0, p2: usize = 0, p3: usize = 0;
  const rOff = <usize>nLMR << 2;
  for (let t = 0; t < count; t++) {
    const i = ldi(tileAtoms, t);
    const end = ldi(offsets, i + 1);
    for (let e = ldi(offsets, i); e < end; e++) {
      const j = ldi(index, e);
      if (!half && !isUpward(i, j, disp, e)) continue;
      const x = ldf(disp, 3 * e), y = ldf(disp, 3 * e + 1), z = ldf(disp, 3 * e + 2);
      const r2 = x * x + y * y + z * z;
      const r = Math.sqrt(r2);
      const w = trivial ? 1.0 : radialWeight(wp, r);
      if (w == 0.0) continue;
      const k = n++;
      sti(recI, k, i);
      sti(recIL, k, t);
      sti(recJ, k, j);
      const row = rec + <usize>k * recBytes;
      stf(recR, k, r);
      if (r2 > 0.0) {
        const inv = 1.0 / r;
        const ux = <f32>(x * inv), uy = <f32>(y * inv), uz = <f32>(z * inv), wf = <f32>w;
        if (pending == 0) {
          qx = f32x4.splat(ux); qy = f32x4.splat(uy); qz = f32x4.splat(uz); qw = f32x4.splat(wf);
          p0 = row; p1 = row; p2 = row; p3 = row;
        } else if (pending == 1) {
          qx = f32x4.replace_lane(qx, 1, ux); qy = f32x4.replace_lane(qy, 1, uy);
          qz = f32x4.replace_lane(qz, 1, uz); qw = f32x4.replace_lane(qw, 1, wf);
          p1 = row;
        } else if (pending == 2) {
          qx = f32x4.replace_lane(qx, 2, ux); qy = f32x4.replace_lane(qy, 2, uy);
          qz = f32x4.replace_lane(qz, 2, uz); qw = f32x4.replace_lane(qw, 2, wf);
          p2 = row;
        } else {
          qx = f32x4.replace_lane(qx, 3, ux); qy = f32x4.replace_lane(qy, 3, uy);
          qz = f32x4.replace_lane(qz, 3, uz); qw = f32x4.replace_lane(qw, 3, wf);
          p3 = row;
        }
        if (++pending == 4) {
          harmonicsQuad(qx, qy, qz, qw, p0, p1, p2, p3);
          pending = 0;
        }
      } else {
        // Two atoms on one point: only l = 0 survives.
        store<f32>(row, <f32>(w * Y00));
        for (let lm = 1; lm < nLMR; lm++) store<f32>(row + (<usize>lm << 2), 0.0);
      }
    }
  }
  if (pending > 0) harmonicsQuad(qx, qy, qz, qw, p0, p1, p2, p3);
  radialInOrderF32(n, rec, recR, order, buckets);
  return n;
}

/** t = r/h − i of r in interval i, as radialTableEvaluateF32 computes it (in f64). */
@inline function tOf(r: f64, i: i32): f64 {
  return Math.min(Math.max(r, 0.0), rMax) * invH - <f64>i;
}

/**
 * I_nl(r) of records 0..n−1 (distances recR) into their radial parts in the order of their table
 * interval (counting sort), two records of one interval per pass over its rows.
 */
function radialInOrderF32(n: i32, rec: usize, recR: usize, order: usize, buckets: usize): void {
  intervalOrder(n, recR, intervals, invH, rMax, order, buckets);
  const rOff = <usize>nLMR << 2;
  let s = 0;
  while (s < n) {
    const k = ldi(order, s);
    const r = ldf(recR, k);
    const i = radialInterval(intervals, invH, rMax, r);
    if (s + 1 < n) {
      const k2 = ldi(order, s + 1);
      const r2 = ldf(recR, k2);
      if (radialInterval(intervals, invH, rMax, r2) == i) {
        radialTableEvaluatePairF32(table, channels, i, tOf(r, i), tOf(r2, i), rec + <usize>k * recBytes + rOff, rec + <usize>k2 * recBytes + rOff);
        s += 2;
        continue;
      }
    }
    radialTableEvaluateF32(table, channels, intervals, h, invH, rMax, r, rec + <usize>k * recBytes + rOff);
    s++;
  }
}

/**
 * C[lm..lm+3] (the first `rows` stored) at 8 n from byte offset rOffset of the radial part
 * += s Σ_k Yw_k[lm..] R_k[l][n] over the records whose addresses list[0..count) holds.
 */
@inline function sum4x8(
  list: usize, count: i32, lm: i32, rows: i32, rOffset: usize, s: f32, c: usize, rowBytes: usize,
): void {
  let a0 = f32x4.splat(0.0), a1 = a0, b0 = a0, b1 = a0, e0 = a0, e1 = a0, g0 = a0, g1 = a0;
  const yOff = <usize>lm << 2;
  const rOff = (<usize>nLMR << 2) + rOffset;
  for (let k = 0; k < count; k++) {
    const p = <usize>ldi(list, k);
    const r0 = v128.load(p + rOff), r1 = v128.load(p + rOff, 16);
    const y = p + yOff;
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
  }
  const sv = f32x4.splat(s);
  v128.store(c, fmaddF32(sv, a0, v128.load(c)));
  v128.store(c, fmaddF32(sv, a1, v128.load(c, 16)), 16);
  if (rows > 1) {
    const cb = c + rowBytes;
    v128.store(cb, fmaddF32(sv, b0, v128.load(cb)));
    v128.store(cb, fmaddF32(sv, b1, v128.load(cb, 16)), 16);
  }
  if (rows > 2) {
    const ce = c + 2 * rowBytes;
    v128.store(ce, fmaddF32(sv, e0, v128.load(ce)));
    v128.store(ce, fmaddF32(sv, e1, v128.load(ce, 16)), 16);
  }
  if (rows > 3) {
    const cg = c + 3 * rowBytes;
    v128.store(cg, fmaddF32(sv, g0, v128.load(cg)));
    v128.store(cg, fmaddF32(sv, g1, v128.load(cg, 16)), 16);
  }
}

/** As sum4x8 for 4 n (one f32x4): the tail when n_maxP is not a multiple of 8. */
@inline function sum4x4(
  list: usize, count: i32, lm: i32, rows: i32, rOffset: usize, s: f32, c: usize, rowBytes: usize,
): void {
  let a = f32x4.splat(0.0), b = a, e = a, g = a;
  const yOff = <usize>lm << 2;
  const rOff = (<usize>nLMR << 2) + rOffset;
  for (let k = 0; k < count; k++) {
    const p = <usize>ldi(list, k);
    const rv = v128.load(p + rOff);
    const y = p + yOff;
    a = fmaddF32(v128.load32_splat(y), rv, a);
    b = fmaddF32(v128.load32_splat(y, 4), rv, b);
    e = fmaddF32(v128.load32_splat(y, 8), rv, e);
    g = fmaddF32(v128.load32_splat(y, 12), rv, g);
  }
  const sv = f32x4.splat(s);
  v128.store(c, fmaddF32(sv, a, v128.load(c)));
  if (rows > 1) v128.store(c + rowBytes, fmaddF32(sv, b, v128.load(c + rowBytes)));
  if (rows > 2) v128.store(c + 2 * rowBytes, fmaddF32(sv, e, v128.load(c + 2 * rowBytes)));
  if (rows > 3) v128.store(c + 3 * rowBytes, fmaddF32(sv, g, v128.load(c + 3 * rowBytes)));
}

/** coef[lm][n] += s_l Σ_{listed records} Yw[lm] R[l][n] (f32), s_l = scale (× (−1)^l when `reversed`). */
function addRecordsF32(list: usize, count: i32, scale: f32, reversed: bool, coef: usize): void {
  const rowBytes = <usize>nMaxP << 2;
  const full = rowBytes & ~(<usize>31);
  for (let l = 0; l <= lMax; l++) {
    const s: f32 = reversed && (l & 1) != 0 ? -scale : scale;
    const lmEnd = l * l + 2 * l;
    const rl = <usize>l * rowBytes;
    for (let lm = l * l; lm <= lmEnd; lm += 4) {
      const rows = lmEnd - lm + 1;
      const c = coef + <usize>lm * rowBytes;
      for (let o: usize = 0; o < full; o += 32) sum4x8(list, count, lm, rows, rl + o, s, c + o, rowBytes);
      if (full < rowBytes) sum4x4(list, count, lm, rows, rl + full, s, c + full, rowBytes);
    }
  }
}

/** The groups of one side of a tile's pairs into their centres (as addGroups of pairExpansion.ts). */
function addGroupsF32(
  nKeys: i32, base: i32, centres: usize, nSpecies: i32, start: usize, list: usize, reversed: bool,
  spDensity: usize, spWeight: usize, coefAll: usize, coefBytes: usize, densityBytes: usize,
  used: usize, nDensities: i32,
): void {
  for (let k = 0; k < nKeys; k++) {
    const s0 = ldi(start, k), count = ldi(start, k + 1) - s0;
    if (count == 0) continue;
    const s = k % nSpecies;
    const scale = ldf(spWeight, s);
    if (scale == 0.0) continue;
    const centre = centres != 0 ? ldi(centres, k / nSpecies) : base + k / nSpecies;
    const d = ldi(spDensity, s);
    const u = centre * nDensities + d;
    sti(used, u, ldi(used, u) + count);
    addRecordsF32(list + (<usize>s0 << 2), count, <f32>scale, reversed, coefAll + <usize>centre * coefBytes + <usize>d * densityBytes);
  }
}

/**
 * Adds every upward pair (with `half`, a half list: every entry) of the tile's atoms
 * tileAtoms[0..count) to the f32 coefficients of both of its atoms (scratch as addTilePair of
 * pairExpansion.ts, f32 records of pairRecordBytesF32).
 */
export function addTilePairF32(
  tileAtoms: usize, count: i32, half: bool, offsets: usize, index: usize, disp: usize, atomSpecies: usize,
  nSpecies: i32, wp: usize, trivial: bool, spDensity: usize, spWeight: usize,
  coefAll: usize, coefBytes: usize, used: usize, nDensities: i32,
  rec: usize, recI: usize, recIL: usize, recJ: usize, listF: usize, listR: usize, startF: usize, startR: usize,
  recR: usize, order: usize, buckets: usize, localOf: usize, targets: usize, recJL: usize,
): void {
  const n = pairRecordsF32(tileAtoms, count, half, offsets, index, disp, wp, trivial, rec, recI, recIL, recJ, recR, order, buckets);
  if (n == 0) return;
  const densityBytes = <usize>(nLM * nMaxP) << 2;
  const keysA = count * nSpecies, keysB = localTargets(n, recJ, localOf, targets, recJL) * nSpecies;
  groupRecords(n, recIL, recJ, 0, atomSpecies, nSpecies, keysA, startF, listF, rec, recBytes);
  groupRecords(n, recJL, recI, 0, atomSpecies, nSpecies, keysB, startR, listR, rec, recBytes);
  addGroupsF32(keysA, 0, tileAtoms, nSpecies, startF, listF, false, spDensity, spWeight, coefAll, coefBytes, densityBytes, used, nDensities);
  addGroupsF32(keysB, 0, targets, nSpecies, startR, listR, true, spDensity, spWeight, coefAll, coefBytes, densityBytes, used, nDensities);
}

/** The atom itself at r = 0 into its f32 coefficients: coef[0][n] += w Y_00 I_n0(0) (selfRow: I(0), f32). */
export function addSelfF32(coef: usize, w: f64, selfRow: usize): void {
  const wy = <f32>(w * Y00);
  for (let n = 0; n < nMaxP; n++) {
    const p = coef + (<usize>n << 2);
    store<f32>(p, load<f32>(p) + wy * load<f32>(selfRow + (<usize>n << 2)));
  }
}

/** I_nl(0) from the f32 table into row (f32[channels]). */
export function selfRadialF32(row: usize): void {
  radialTableEvaluateF32(table, channels, intervals, h, invH, rMax, 0.0, row);
}
