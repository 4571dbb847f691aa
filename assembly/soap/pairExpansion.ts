// SOAP spherical expansion of every atom at once from the pairs of the neighbour list (the values
// path when every atom is a centre). A pair (i, j, image) at r = r_j + T − r_i contributes
//   to c_i (density of j):  w_j w(r) Y_lm(r̂) I_nl(r)
//   to c_j (density of i):  w_i w(r) Y_lm(−r̂) I_nl(r) = (−1)^l w_i w(r) Y_lm(r̂) I_nl(r)
// so I_nl(r) and w(r) Y_lm(r̂) are evaluated once per pair and added to both centres. The list is
// either a half list (buildNeighborList's half mode: every entry is its pair's only one, what
// SOAP.create uses) or a full, symmetric one, of which the "upward" entries are taken (j > i, or
// j = i with the image's displacement lexicographically positive; pairPathCheck checks the
// symmetry by counts).
//
// The atoms are cut into tiles A of one species each (the atoms of a species in index order, cut
// every `tile`; soap.ts); the pairs of i ∈ A are evaluated into records (the radial integrals in
// order of table interval, so records sharing an interval share its rows), then summed into both
// atoms' coefficients as small register-blocked products over the records of one (centre,
// species) group, as in sphericalExpansion.ts: C[lm][n] += s_l Σ_records Yw[lm] R[l][n], with s_l
// the species weight of the other atom (and (−1)^l on the reversed side, grouped by target atom:
// one group per (tile, target), the tile being of one species). For the values of a structure
// whose coefficients exceed 2 MiB, an atom's coefficient block is a slot taken when a tile first
// names it and given back once no later tile adds to it and its spectrum is written (soap.ts
// allAtomsPass), so only the blocks of the atoms in flight (6.3 KB each for W1's basis) are
// touched (soapComputeAllAtomsStart/Steps place only as many slots as atoms are ever in flight at
// once, and hand the spectra out a block of rows at a time, for structures whose rows would not
// fit in wasm memory); otherwise, and in the backward pass, every atom keeps its block to the end. On W1 the
// reversed groups are small (~5 pairs), and the records, the radial table (0.9 MB) and the
// coefficients do not fit in L2 together, so per pair the sums cost more than the per-centre
// kernel's (~10 µs per W1 environment against ~6 µs for the same products on L1-resident data);
// the saving is in the radial integrals and harmonics, evaluated once instead of twice. In boxes
// wider than twice the neighbour cutoff (r_cut + padding) the groups are smaller (a small box's
// periodic images of an atom fall into one group): with tiles of 16 ~17 reversed groups per atom
// of ~3.9 pairs on the 1 536-atom water box against ~9 of ~7 pairs on the 192-atom one, a main
// reason why its kernel costs ~10 % more per environment.
import { ldf, ldi, stf, sti } from '../memory';
import { fmadd } from '../math/simdMath';
import { countingSort } from '../math/countingSort';
import { radialInterval, radialPowerEvaluateAt, radialPowerEvaluatePair, radialPowerEvaluateTriple, radialTableBytes } from './radialTable';
import { shValuesAt, shWeightedValuesPairAt } from './sphericalHarmonics';
import { radialWeight } from './weighting';

/** Y_00 = 1/√(4π). */
const Y00: f64 = 0.28209479177387814;

// Sizes and table (set by setPairShape; module globals: the kernels never allocate).
let nMaxP: i32 = 0;
let lMax: i32 = 0;
let nLM: i32 = 0;
/** nLM rounded up to a multiple of 8: the radial part of a record starts on a cache line. */
let nLME: i32 = 0;
let channels: i32 = 0;
let recBytes: usize = 0;
let power: usize = 0;
let intervals: i32 = 0;
let invH: f64 = 0;
let rMax: f64 = 0;
let shCoef: usize = 0;

/** Sets the sizes, the radial table and the harmonic constants used below. */
export function setPairShape(
  nMaxPadded: i32, lMaxValue: i32, tablePtr: usize, tableIntervals: i32, spacing: f64, invSpacing: f64,
  tableEnd: f64, shCoefPtr: usize,
): void {
  nMaxP = nMaxPadded;
  lMax = lMaxValue;
  nLM = (lMax + 1) * (lMax + 1);
  nLME = (nLM + 7) & ~7;
  channels = (lMax + 1) * nMaxP;
  recBytes = pairRecordBytes(nMaxP, lMax);
  power = tablePtr + radialTableBytes(channels, tableIntervals);
  intervals = tableIntervals;
  invH = invSpacing;
  rMax = tableEnd;
  shCoef = shCoefPtr;
}

/**
 * Bytes of one pair record: w(r)·Y_lm (nLM rounded up to a multiple of 8) then I_nl (channels),
 * a whole number of 64-byte cache lines (records start on one), so the 8 n of an l sit on one line.
 */
export function pairRecordBytes(nMaxPadded: i32, lMaxValue: i32): usize {
  const n = (lMaxValue + 1) * (lMaxValue + 1);
  return ((<usize>(((n + 7) & ~7) + (lMaxValue + 1) * nMaxPadded) << 3) + 63) & ~(<usize>63);
}

/** Entry e of atom i (neighbour j) is the one of its pair evaluated: j > i, or j = i and d > 0 lexicographically. */
@inline export function isUpward(i: i32, j: i32, disp: usize, e: i32): bool {
  if (j != i) return j > i;
  const x = ldf(disp, 3 * e), y = ldf(disp, 3 * e + 1), z = ldf(disp, 3 * e + 2);
  return x > 0.0 || (x == 0.0 && (y > 0.0 || (y == 0.0 && z > 0.0)));
}

/**
 * Whether the pair path suits this list, in one pass over it. Returns −1 when the list is not
 * symmetric as far as counts tell (an atom's list must hold exactly the entries the upward pairs
 * give it: one per pair with another atom, two per image pair of itself; a pair kept on one side
 * only, a distance on the cutoff rounded differently, fails this). Otherwise returns the mean
 * number of upward pairs a tile of `tile` atoms gives one atom (pairs per distinct (tile, atom)
 * target): the size of the reversed groups. Atoms in an order without spatial locality give
 * ~1, and then the pair path's small products cost more than evaluating every pair twice.
 * With `half` (a half list: every entry is its pair's one) only the second. tally, stamp:
 * i32[nAtoms] scratch; atomOrder: i32[nAtoms], the atoms in the order the tiles take them (0: index order).
 */
export function pairPathCheck(
  nAtoms: i32, tile: i32, offsets: usize, index: usize, disp: usize, tally: usize, stamp: usize, half: bool,
  atomOrder: usize = 0,
): f64 {
  for (let a = 0; a < nAtoms; a++) {
    sti(tally, a, 0);
    sti(stamp, a, -1);
  }
  let pairs = 0, targets = 0;
  for (let q = 0; q < nAtoms; q++) {
    const i = atomOrder != 0 ? ldi(atomOrder, q) : q;
    const t = q / tile;
    const end = ldi(offsets, i + 1);
    let up = 0;
    for (let e = ldi(offsets, i); e < end; e++) {
      const j = ldi(index, e);
      if (!half && (j < i || (j == i && !isUpward(i, j, disp, e)))) continue;
      up++;
      sti(tally, j, ldi(tally, j) + 1);
      if (ldi(stamp, j) != t) {
        sti(stamp, j, t);
        targets++;
      }
    }
    sti(tally, i, ldi(tally, i) + up);
    pairs += up;
  }
  if (!half) for (let a = 0; a < nAtoms; a++) if (ldi(tally, a) != ldi(offsets, a + 1) - ldi(offsets, a)) return -1.0;
  return targets == 0 ? 0.0 : <f64>pairs / <f64>targets;
}

/** record[k] row of w·Y: w·Y_lm in place (skipped for w = 1). */
@inline function scaleHarmonics(row: usize, w: f64): void {
  if (w == 1.0) return;
  for (let lm = 0; lm < nLM; lm++) stf(row, lm, w * ldf(row, lm));
}

/**
 * Evaluates the upward pairs (with `half`, every entry) of the tile's atoms i = tileAtoms[t],
 * t < count, with w(r) ≠ 0 into records (rec: w(r)·Y_lm(r̂), I_nl(r)), their atoms into
 * recI/recJ and t into recIL. Returns the record count.
 * Scratch: recX f64, bins and order i32 per record, buckets i32[intervals + 1].
 */
function pairRecords(
  tileAtoms: usize, count: i32, half: bool, offsets: usize, index: usize, disp: usize, wp: usize, trivial: bool,
  rec: usize, recI: usize, recIL: usize, recJ: usize, recX: usize, bins: usize, order: usize, buckets: usize,
): i32 {
  let n = 0;
  let pending = -1;
  let pX = 0.0, pY = 0.0, pZ = 0.0, pW = 0.0;
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
      // Table coordinate x = r/h (r clamped to [0, r_max]) and its interval, as radialPowerEvaluate.
      const tableX = Math.min(Math.max(r, 0.0), rMax) * invH;
      let bin = <i32>tableX;
      if (bin > intervals - 1) bin = intervals - 1;
      stf(recX, k, tableX);
      sti(bins, k, bin);
      if (r2 > 0.0) {
        const inv = 1.0 / r;
        const ux = x * inv, uy = y * inv, uz = z * inv;
        // Harmonics two pairs at a time (f64x2 lanes).
        if (pending < 0) {
          pending = k;
          pX = ux; pY = uy; pZ = uz; pW = w;
        } else {
          const pRow = rec + <usize>pending * recBytes;
          shWeightedValuesPairAt(lMax, shCoef, pX, pY, pZ, ux, uy, uz, pW, w, pRow, row);
          pending = -1;
        }
      } else {
        // Two atoms on one point: the direction is undefined, only l = 0 survives.
        stf(row, 0, w * Y00);
        for (let lm = 1; lm < nLM; lm++) stf(row, lm, 0.0);
      }
    }
  }
  if (pending >= 0) {
    const pRow = rec + <usize>pending * recBytes;
    shValuesAt(lMax, shCoef, pX, pY, pZ, pRow);
    scaleHarmonics(pRow, pW);
  }
  radialInOrder(n, rec, recX, bins, order, buckets);
  return n;
}

/**
 * I_nl(r) of records 0..n−1 (table coordinates recX = r/h, intervals bins) into their radial
 * parts, in the order of their table interval (counting sort): records sharing an interval reuse
 * its rows from L1, two at a time.
 */
function radialInOrder(n: i32, rec: usize, recX: usize, bins: usize, order: usize, buckets: usize): void {
  countingSort(n, bins, intervals, order, buckets);
  const rOff = <usize>nLME << 3;
  let s = 0;
  while (s < n) {
    const k = ldi(order, s);
    const i = ldi(bins, k);
    const tA = ldf(recX, k) - <f64>i;
    if (s + 1 < n) {
      const k2 = ldi(order, s + 1);
      // A run of three in one interval (an odd run's last three): one pass for the three.
      if (s + 2 < n && ldi(bins, ldi(order, s + 2)) == i && (s + 3 >= n || ldi(bins, ldi(order, s + 3)) != i)) {
        const k3 = ldi(order, s + 2);
        radialPowerEvaluateTriple(
          power, channels, i, tA, ldf(recX, k2) - <f64>i, ldf(recX, k3) - <f64>i,
          rec + <usize>k * recBytes + rOff, rec + <usize>k2 * recBytes + rOff, rec + <usize>k3 * recBytes + rOff,
        );
        s += 3;
        continue;
      }
      if (ldi(bins, k2) == i) {
        radialPowerEvaluatePair(power, channels, i, tA, ldf(recX, k2) - <f64>i, rec + <usize>k * recBytes + rOff, rec + <usize>k2 * recBytes + rOff);
        s += 2;
        continue;
      }
    }
    radialPowerEvaluateAt(power, channels, i, tA, rec + <usize>k * recBytes + rOff);
    s++;
  }
}

/**
 * order[0..n) = the records 0..n−1 sorted by the table interval of their distance recR (counting
 * sort, stable), for the float64 and float32 radial passes. buckets: i32[intervals + 1] scratch.
 */
export function intervalOrder(n: i32, recR: usize, intervals: i32, invH: f64, rMax: f64, order: usize, buckets: usize): void {
  for (let i = 0; i <= intervals; i++) sti(buckets, i, 0);
  for (let k = 0; k < n; k++) {
    const i = radialInterval(intervals, invH, rMax, ldf(recR, k));
    sti(buckets, i + 1, ldi(buckets, i + 1) + 1);
  }
  for (let i = 0; i < intervals; i++) sti(buckets, i + 1, ldi(buckets, i + 1) + ldi(buckets, i));
  for (let k = 0; k < n; k++) {
    const i = radialInterval(intervals, invH, rMax, ldf(recR, k));
    const at = ldi(buckets, i);
    sti(order, at, k);
    sti(buckets, i, at + 1);
  }
}

/**
 * The distinct atoms j of records 0..n−1 (recJ), in order of first appearance, into targets;
 * recJL[k] = the index in targets of record k's j. Returns their count. localOf: i32[nAtoms], −1
 * everywhere on entry and again on return (so the reversed groups cost O(records), not O(atoms)).
 */
export function localTargets(n: i32, recJ: usize, localOf: usize, targets: usize, recJL: usize): i32 {
  let count = 0;
  for (let k = 0; k < n; k++) {
    const j = ldi(recJ, k);
    let local = ldi(localOf, j);
    if (local < 0) {
      local = count++;
      sti(localOf, j, local);
      sti(targets, local, j);
    }
    sti(recJL, k, local);
  }
  for (let t = 0; t < count; t++) sti(localOf, ldi(targets, t), -1);
  return count;
}

/**
 * Orders the records by key (centre − base)·nSpecies + species of the other atom (counting
 * sort): list[start[k] .. start[k+1]) are the addresses of the records of key k (records of
 * recBytes from rec). start: i32[nKeys + 1].
 */
export function groupRecords(
  n: i32, centre: usize, other: usize, base: i32, atomSpecies: usize, nSpecies: i32, nKeys: i32,
  start: usize, list: usize, rec: usize, recBytes: usize,
): void {
  for (let k = 0; k <= nKeys; k++) sti(start, k, 0);
  for (let r = 0; r < n; r++) {
    const key = (ldi(centre, r) - base) * nSpecies + ldi(atomSpecies, ldi(other, r));
    sti(start, key + 1, ldi(start, key + 1) + 1);
  }
  for (let k = 0; k < nKeys; k++) sti(start, k + 1, ldi(start, k + 1) + ldi(start, k));
  // Place with start[k] as a running cursor, then shift back.
  for (let r = 0; r < n; r++) {
    const key = (ldi(centre, r) - base) * nSpecies + ldi(atomSpecies, ldi(other, r));
    const at = ldi(start, key);
    sti(list, at, <i32>(rec + <usize>r * recBytes));
    sti(start, key, at + 1);
  }
  for (let k = nKeys; k > 0; k--) sti(start, k, ldi(start, k - 1));
  sti(start, 0, 0);
}

/**
 * groupRecords (base 0, records of recBytes) with each record's key computed once into keys
 * (i32 per record, scratch): the same lists.
 */
function groupRecordsByKey(
  n: i32, centre: usize, other: usize, atomSpecies: usize, nSpecies: i32, nKeys: i32, keys: usize,
  start: usize, list: usize, rec: usize,
): void {
  for (let k = 0; k <= nKeys; k++) sti(start, k, 0);
  for (let r = 0; r < n; r++) {
    const key = ldi(centre, r) * nSpecies + ldi(atomSpecies, ldi(other, r));
    sti(keys, r, key);
    sti(start, key + 1, ldi(start, key + 1) + 1);
  }
  for (let k = 0; k < nKeys; k++) sti(start, k + 1, ldi(start, k + 1) + ldi(start, k));
  // Place with start[k] as a running cursor, then shift back.
  for (let r = 0; r < n; r++) {
    const key = ldi(keys, r);
    const at = ldi(start, key);
    sti(list, at, <i32>(rec + <usize>r * recBytes));
    sti(start, key, at + 1);
  }
  for (let k = nKeys; k > 0; k--) sti(start, k, ldi(start, k - 1));
  sti(start, 0, 0);
}

/**
 * C[lmA] and C[lmA+1] (pair) at n range [o/8, o/8 + 8) += s Σ_k Yw_k[lm] R_k[l][n] over the
 * records whose addresses list[0..count) holds. rOffset: byte offset of the n range in the radial part.
 */
@inline function sum8(
  list: usize, count: i32, rec: usize, lmA: i32, pair: bool, rOffset: usize, scale: f64, cA: usize, cB: usize,
): void {
  let a0 = f64x2.splat(0.0), a1 = a0, a2 = a0, a3 = a0;
  let b0 = a0, b1 = a0, b2 = a0, b3 = a0;
  const yOff = <usize>lmA << 3;
  const rOff = (<usize>nLME << 3) + rOffset;
  for (let k = 0; k < count; k++) {
    const p = <usize>ldi(list, k);
    const r = p + rOff;
    const r0 = v128.load(r), r1 = v128.load(r, 16), r2 = v128.load(r, 32), r3 = v128.load(r, 48);
    const ya = v128.load64_splat(p + yOff);
    a0 = fmadd(ya, r0, a0);
    a1 = fmadd(ya, r1, a1);
    a2 = fmadd(ya, r2, a2);
    a3 = fmadd(ya, r3, a3);
    if (pair) {
      const yb = v128.load64_splat(p + yOff, 8);
      b0 = fmadd(yb, r0, b0);
      b1 = fmadd(yb, r1, b1);
      b2 = fmadd(yb, r2, b2);
      b3 = fmadd(yb, r3, b3);
    }
  }
  const s = f64x2.splat(scale);
  v128.store(cA, fmadd(s, a0, v128.load(cA)));
  v128.store(cA, fmadd(s, a1, v128.load(cA, 16)), 16);
  v128.store(cA, fmadd(s, a2, v128.load(cA, 32)), 32);
  v128.store(cA, fmadd(s, a3, v128.load(cA, 48)), 48);
  if (pair) {
    v128.store(cB, fmadd(s, b0, v128.load(cB)));
    v128.store(cB, fmadd(s, b1, v128.load(cB, 16)), 16);
    v128.store(cB, fmadd(s, b2, v128.load(cB, 32)), 32);
    v128.store(cB, fmadd(s, b3, v128.load(cB, 48)), 48);
  }
}

/** As sum8 for 2 n (the tail of n_maxP). */
@inline function sum2(
  list: usize, count: i32, rec: usize, lmA: i32, pair: bool, rOffset: usize, scale: f64, cA: usize, cB: usize,
): void {
  let a = f64x2.splat(0.0), b = a;
  const yOff = <usize>lmA << 3;
  const rOff = (<usize>nLME << 3) + rOffset;
  for (let k = 0; k < count; k++) {
    const p = <usize>ldi(list, k);
    const rv = v128.load(p + rOff);
    a = fmadd(v128.load64_splat(p + yOff), rv, a);
    if (pair) b = fmadd(v128.load64_splat(p + yOff, 8), rv, b);
  }
  const s = f64x2.splat(scale);
  v128.store(cA, fmadd(s, a, v128.load(cA)));
  if (pair) v128.store(cB, fmadd(s, b, v128.load(cB)));
}

/** coef[lm][n] += s_l Σ_{listed records} Yw[lm] R[l][n], s_l = scale (times (−1)^l when `reversed`). */
function addRecords(list: usize, count: i32, rec: usize, scale: f64, reversed: bool, coef: usize): void {
  const rowBytes = <usize>nMaxP << 3;
  const full = rowBytes & ~(<usize>63);
  for (let l = 0; l <= lMax; l++) {
    const s = reversed && (l & 1) != 0 ? -scale : scale;
    const lmEnd = l * l + 2 * l;
    const rl = <usize>l * rowBytes;
    for (let lm = l * l; lm <= lmEnd; lm += 2) {
      const pair = lm < lmEnd;
      const cA = coef + <usize>lm * rowBytes;
      const cB = cA + rowBytes;
      for (let o: usize = 0; o < full; o += 64) {
        if (pair) sum8(list, count, rec, lm, true, rl + o, s, cA + o, cB + o);
        else sum8(list, count, rec, lm, false, rl + o, s, cA + o, cB + o);
      }
      for (let o = full; o < rowBytes; o += 16) {
        if (pair) sum2(list, count, rec, lm, true, rl + o, s, cA + o, cB + o);
        else sum2(list, count, rec, lm, false, rl + o, s, cA + o, cB + o);
      }
    }
  }
}

/**
 * Adds the groups of one side of a tile pair to their centres: group k = t·nSpecies + s, t the
 * centre's local index (centre = centres[t], or base + t when centres is 0), goes to density spDensity[s] of the centre with scale spWeight[s]; used[centre][d] counts
 * the contributions (for the empty-density flags).
 */
function addGroups(
  nKeys: i32, base: i32, centres: usize, nSpecies: i32, start: usize, list: usize, rec: usize, reversed: bool,
  spDensity: usize, spWeight: usize, coefAll: usize, coefBytes: usize, densityBytes: usize,
  used: usize, nDensities: i32, slotOf: usize,
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
    const block = slotOf != 0 ? ldi(slotOf, centre) : centre;
    addRecords(list + (<usize>s0 << 2), count, rec, scale, reversed, coefAll + <usize>block * coefBytes + <usize>d * densityBytes);
  }
}

/**
 * Adds every upward pair (with `half`, a half list: every entry) of the tile's atoms
 * tileAtoms[0..count) to both of its atoms' coefficients. Scratch: rec (records), recI, recIL,
 * recJ, listF, listR, order (i32, one per record), recR (f64, one per record), recJL, targets
 * (i32, one per record), startF (i32[tile·nSpecies + 1]), startR (i32[records·nSpecies + 1]),
 * buckets (i32[intervals + 1]), localOf (i32[nAtoms], all −1, left so). slotOf: i32[nAtoms], the
 * block of coefAll that holds each atom's coefficients (0: block a for atom a).
 */
export function addTilePair(
  tileAtoms: usize, count: i32, half: bool, offsets: usize, index: usize, disp: usize, atomSpecies: usize,
  nSpecies: i32, wp: usize, trivial: bool, spDensity: usize, spWeight: usize,
  coefAll: usize, coefBytes: usize, used: usize, nDensities: i32,
  rec: usize, recI: usize, recIL: usize, recJ: usize, listF: usize, listR: usize, startF: usize, startR: usize,
  recR: usize, order: usize, buckets: usize, localOf: usize, targets: usize, recJL: usize, slotOf: usize,
): void {
  // recJL holds the records' table intervals until localTargets fills it.
  const n = pairRecords(tileAtoms, count, half, offsets, index, disp, wp, trivial, rec, recI, recIL, recJ, recR, recJL, order, buckets);
  if (n == 0) return;
  const densityBytes = <usize>(nLM * nMaxP) << 3;
  const keysA = count * nSpecies, keysB = localTargets(n, recJ, localOf, targets, recJL) * nSpecies;
  // order (free once the radial parts are done) holds each record's key while grouping.
  groupRecordsByKey(n, recIL, recJ, atomSpecies, nSpecies, keysA, order, startF, listF, rec);
  groupRecordsByKey(n, recJL, recI, atomSpecies, nSpecies, keysB, order, startR, listR, rec);
  addGroups(keysA, 0, tileAtoms, nSpecies, startF, listF, rec, false, spDensity, spWeight, coefAll, coefBytes, densityBytes, used, nDensities, slotOf);
  addGroups(keysB, 0, targets, nSpecies, startR, listR, rec, true, spDensity, spWeight, coefAll, coefBytes, densityBytes, used, nDensities, slotOf);
}
