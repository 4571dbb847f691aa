// Cell-list (binning) neighbour search for molecules and triclinic cells with per-axis
// periodicity, O(N) at fixed density.
//
// Points are expressed in fractional coordinates s = r · H⁻¹ (H: lattice vectors as rows; for a
// non-periodic axis the TypeScript side completes H to a basis). Along periodic axes positions
// are wrapped into [0, 1). The grid has nb_i bins along axis i whose perpendicular thickness is
// t_i; neighbours within r_cut lie at most D_i = ceil(r_cut / t_i) bins away. Along a periodic
// axis a bin offset b + d maps to bin (b + d) mod nb_i and lattice shift floor((b + d) / nb_i),
// so a cell thinner than r_cut simply has D_i > nb_i and every image inside r_cut is visited
// exactly once (images of the centre itself included). Per centre, bins provably out of reach
// are skipped (buildNeighborList), and along the last axis the bins in reach are scanned as
// runs of consecutive bins, which lie consecutively in the bin-sorted atoms. See
// src/neighbors/neighborList.ts.
import { ldf, stf, ldi, sti } from '../memory';
import { countingSort } from '../math/countingSort';

/** floor(q / nb): the common cases, one grid length either side of [0, nb), without a division. */
@inline function wrapShift(q: i32, nb: i32): i32 {
  if (q >= 0) return q < nb ? 0 : q < 2 * nb ? 1 : q / nb;
  return q >= -nb ? -1 : -((nb - 1 - q) / nb);
}

/**
 * Wraps n points into the cell along the periodic axes (bit i of pbcMask):
 * r' = r − Σ_i floor(s_i) a_i. Writes r' to outPos and s' (fractional) to outFrac.
 */
export function wrapPoints(n: i32, pos: usize, cell: usize, inv: usize, pbcMask: i32, outPos: usize, outFrac: usize): void {
  for (let a = 0; a < n; a++) {
    const x = ldf(pos, 3 * a), y = ldf(pos, 3 * a + 1), z = ldf(pos, 3 * a + 2);
    let rx = x, ry = y, rz = z;
    for (let i = 0; i < 3; i++) {
      let s = x * ldf(inv, i) + y * ldf(inv, 3 + i) + z * ldf(inv, 6 + i);
      if ((pbcMask >> i) & 1) {
        const k = Math.floor(s);
        if (k != 0) {
          s -= k;
          rx -= k * ldf(cell, 3 * i);
          ry -= k * ldf(cell, 3 * i + 1);
          rz -= k * ldf(cell, 3 * i + 2);
        }
      }
      stf(outFrac, 3 * a + i, s);
    }
    stf(outPos, 3 * a, rx);
    stf(outPos, 3 * a + 1, ry);
    stf(outPos, 3 * a + 2, rz);
  }
}

@inline function binCoord(s: f64, origin: f64, width: f64, nb: i32): i32 {
  let b = <i32>Math.floor((s - origin) / width);
  if (b < 0) b = 0;
  if (b >= nb) b = nb - 1;
  return b;
}

/** n_i·n_j up to the factor h_i h_j: the dot product of columns i and j of H⁻¹. */
@inline function normalDot(inv: usize, i: i32, j: i32): f64 {
  return ldf(inv, i) * ldf(inv, j) + ldf(inv, 3 + i) * ldf(inv, 3 + j) + ldf(inv, 6 + i) * ldf(inv, 6 + j);
}

/**
 * Fractional distance from s to bin q (unwrapped: [o + q w, o + (q+1) w)), minus the slack e,
 * at least 0 (NaN stays NaN).
 */
@inline function binGap(s: f64, o: f64, w: f64, q: i32, e: f64): f64 {
  const lo = o + <f64>q * w;
  return Math.max(0.0, Math.max(lo - s, s - (lo + w)) - e);
}

/**
 * The atoms binAtoms[k0..k1) (wrapped positions binPos) shifted by t = T − r_c: those within the
 * cutoff (rc2 = r_cut²), other than `notSelfImage` and with index > lowest, are appended at
 * `count` (written while count < capacity). Returns the new count.
 */
@inline function scanAtoms(
  k0: i32, k1: i32, binAtoms: usize, binPos: usize, tx: f64, ty: f64, tz: f64, rc2: f64,
  notSelfImage: i32, lowest: i32, index: usize, disp: usize, count: i32, capacity: i32,
): i32 {
  // Branch-free append: every candidate is written at `count`, which advances only for a pair
  // within the cutoff (the next candidate overwrites a rejected one).
  if (notSelfImage < 0 && lowest < 0 && count + (k1 - k0) <= capacity) {
    // The common run: no atom excluded and room for every candidate.
    for (let k = k0; k < k1; k++) {
      const dx = ldf(binPos, 3 * k) + tx;
      const dy = ldf(binPos, 3 * k + 1) + ty;
      const dz = ldf(binPos, 3 * k + 2) + tz;
      sti(index, count, ldi(binAtoms, k));
      stf(disp, 3 * count, dx);
      stf(disp, 3 * count + 1, dy);
      stf(disp, 3 * count + 2, dz);
      count += <i32>(dx * dx + dy * dy + dz * dz <= rc2);
    }
    return count;
  }
  for (let k = k0; k < k1; k++) {
    const j = ldi(binAtoms, k);
    const dx = ldf(binPos, 3 * k) + tx;
    const dy = ldf(binPos, 3 * k + 1) + ty;
    const dz = ldf(binPos, 3 * k + 2) + tz;
    const r2 = dx * dx + dy * dy + dz * dz;
    if (count < capacity) {
      sti(index, count, j);
      stf(disp, 3 * count, dx);
      stf(disp, 3 * count + 1, dy);
      stf(disp, 3 * count + 2, dz);
    }
    count += <i32>(r2 <= rc2) & <i32>(j != notSelfImage) & <i32>(j > lowest);
  }
  return count;
}

/**
 * Finds, for each centre c, every atom j and lattice shift T with |r_j + T − r_c| ≤ cutoff,
 * except the centre atom itself at T = 0 (centerAtom[c] = −1 for a point centre).
 *
 * pbcMask: bits 0–2 periodic axes; bit 3 a half list (every pair once; centres must be the atoms
 * in order, centerAtom[c] = c).
 * grid (i32): nb0 nb1 nb2 D0 D1 D2; gridF (f64): origin0..2, width0..2 (fractional units).
 * work: f64[3n] wrapped atoms | f64[3n] fractional atoms | f64[3m] wrapped centres |
 *       f64[3m] fractional centres | i32[nbins + 1] bin starts | i32[n] atoms sorted by bin |
 *       i32[n] bin of each atom.
 * Output: offsets[m + 1] (i32), and for each pair its atom index (i32) and displacement
 * r_j + T − r_c (3 f64). Returns the number of pairs; when it exceeds capacity, pairs past
 * capacity are counted but not written and the caller retries with more room.
 */
export function buildNeighborList(
  nAtoms: i32, pos: usize, nCenters: i32, centers: usize, centerAtom: usize,
  cell: usize, inv: usize, pbcMask: i32, grid: usize, gridF: usize, cutoff: f64,
  work: usize, offsets: usize, index: usize, disp: usize, capacity: i32,
): i32 {
  const nb0 = ldi(grid, 0), nb1 = ldi(grid, 1), nb2 = ldi(grid, 2);
  const D0 = ldi(grid, 3), D1 = ldi(grid, 4), D2 = ldi(grid, 5);
  const o0 = ldf(gridF, 0), o1 = ldf(gridF, 1), o2 = ldf(gridF, 2);
  const w0 = ldf(gridF, 3), w1 = ldf(gridF, 4), w2 = ldf(gridF, 5);
  const p0 = (pbcMask & 1) != 0, p1 = (pbcMask & 2) != 0, p2 = (pbcMask & 4) != 0;
  // Bit 3: half list (centres = the atoms in order): each pair once, from the atom whose bin
  // offset d to the other's image is lexicographically positive, or in one bin (d = 0) from the
  // lower index; the pair (j, i, −T) has offset −d.
  const half = (pbcMask & 8) != 0;
  const nBins = nb0 * nb1 * nb2;

  const wPos = work;
  const wFrac = wPos + (<usize>(3 * nAtoms) << 3);
  const cPos = wFrac + (<usize>(3 * nAtoms) << 3);
  const cFrac = cPos + (<usize>(3 * nCenters) << 3);
  const binStart = cFrac + (<usize>(3 * nCenters) << 3);
  const binAtoms = binStart + (<usize>(nBins + 1) << 2);
  const atomBin = binAtoms + (<usize>nAtoms << 2);

  wrapPoints(nAtoms, pos, cell, inv, pbcMask, wPos, wFrac);
  wrapPoints(nCenters, centers, cell, inv, pbcMask, cPos, cFrac);

  // Atoms sorted by bin (counting sort).
  for (let a = 0; a < nAtoms; a++) {
    const b = (binCoord(ldf(wFrac, 3 * a), o0, w0, nb0) * nb1 + binCoord(ldf(wFrac, 3 * a + 1), o1, w1, nb1)) * nb2 +
      binCoord(ldf(wFrac, 3 * a + 2), o2, w2, nb2);
    sti(atomBin, a, b);
  }
  countingSort(nAtoms, atomBin, nBins, binAtoms, binStart);
  // The wrapped positions in bin order (over wFrac, no longer needed): the search below reads
  // each bin's atoms contiguously.
  const binPos = wFrac;
  for (let k = 0; k < nAtoms; k++) {
    const a = ldi(binAtoms, k);
    stf(binPos, 3 * k, ldf(wPos, 3 * a));
    stf(binPos, 3 * k + 1, ldf(wPos, 3 * a + 1));
    stf(binPos, 3 * k + 2, ldf(wPos, 3 * a + 2));
  }

  const a0x = ldf(cell, 0), a0y = ldf(cell, 1), a0z = ldf(cell, 2);
  const a1x = ldf(cell, 3), a1y = ldf(cell, 4), a1z = ldf(cell, 5);
  const a2x = ldf(cell, 6), a2y = ldf(cell, 7), a2z = ldf(cell, 8);
  const rc2 = cutoff * cutoff;
  // Pruning by the centre's distance to a bin. Along axis i, fractional coordinates run along
  // b_i (column i of H⁻¹): a fractional gap g_i between the centre and a bin is a distance
  // ≥ g_i h_i (h_i = 1/|b_i|) along the unit normal n_i = b_i h_i. For a displacement v with
  // projections p_i = v·n_i, |v|² = pᵀ (N Nᵀ)⁻¹ p ≥ |p|² / λ_max(N Nᵀ) ≥ κ |p|², κ = 1 / max_i Σ_j
  // |n_i·n_j| (Gershgorin; 1 for orthogonal axes). Bins with κ Σ (g_i h_i)² > r_cut² hold no
  // neighbour and are skipped; the rest are visited in the same order as without pruning, so
  // the list is the same. NaN (overflowing grids) never prunes.
  const h0 = 1.0 / Math.sqrt(ldf(inv, 0) * ldf(inv, 0) + ldf(inv, 3) * ldf(inv, 3) + ldf(inv, 6) * ldf(inv, 6));
  const h1 = 1.0 / Math.sqrt(ldf(inv, 1) * ldf(inv, 1) + ldf(inv, 4) * ldf(inv, 4) + ldf(inv, 7) * ldf(inv, 7));
  const h2 = 1.0 / Math.sqrt(ldf(inv, 2) * ldf(inv, 2) + ldf(inv, 5) * ldf(inv, 5) + ldf(inv, 8) * ldf(inv, 8));
  const c01 = Math.abs(normalDot(inv, 0, 1)) * h0 * h1;
  const c02 = Math.abs(normalDot(inv, 0, 2)) * h0 * h2;
  const c12 = Math.abs(normalDot(inv, 1, 2)) * h1 * h2;
  const kappa = 1.0 / Math.max(1.0 + c01 + c02, Math.max(1.0 + c01 + c12, 1.0 + c02 + c12));
  // Bins and the centre's fractional coordinate are compared with a slack of 1e-7 bin widths
  // (far above the rounding of either), so a bin is skipped only when clearly out of reach.
  const e0 = 1e-7 * w0, e1 = 1e-7 * w1, e2 = 1e-7 * w2;
  const invKappa = 1.0 / kappa, invH2 = 1.0 / h2, invW2 = 1.0 / w2;
  let count = 0;
  for (let c = 0; c < nCenters; c++) {
    sti(offsets, c, count);
    const self = ldi(centerAtom, c);
    const cx = ldf(cPos, 3 * c), cy = ldf(cPos, 3 * c + 1), cz = ldf(cPos, 3 * c + 2);
    const f0c = ldf(cFrac, 3 * c), f1c = ldf(cFrac, 3 * c + 1), f2c = ldf(cFrac, 3 * c + 2);
    const b0 = binCoord(f0c, o0, w0, nb0);
    const b1 = binCoord(f1c, o1, w1, nb1);
    const b2 = binCoord(f2c, o2, w2, nb2);
    const f2lo = f2c - o2 - e2, f2hi = f2c - o2 + e2;
    // A half list skips the offsets d that are lexicographically negative before any work.
    for (let d0 = half ? 0 : -D0; d0 <= D0; d0++) {
      let q0 = b0 + d0, s0 = 0;
      const g0 = binGap(f0c, o0, w0, q0, e0) * h0;
      const reach0 = kappa * g0 * g0;
      if (reach0 > rc2) continue;
      if (p0) { s0 = wrapShift(q0, nb0); q0 -= s0 * nb0; } else if (q0 < 0 || q0 >= nb0) continue;
      for (let d1 = half && d0 == 0 ? 0 : -D1; d1 <= D1; d1++) {
        let q1 = b1 + d1, s1 = 0;
        const g1 = binGap(f1c, o1, w1, q1, e1) * h1;
        const reach01 = reach0 + kappa * g1 * g1;
        if (reach01 > rc2) continue;
        if (p1) { s1 = wrapShift(q1, nb1); q1 -= s1 * nb1; } else if (q1 < 0 || q1 >= nb1) continue;
        // Offsets d2 whose bins the remaining radius reaches: |g_2| h_2 ≤ √((r_cut² − reach)/κ).
        const first2 = half && d0 == 0 && d1 == 0 ? 0 : -D2;
        let lo2 = first2, hi2 = D2;
        const rest = Math.sqrt((rc2 - reach01) * invKappa) * invH2;
        const xLo = Math.floor((f2lo - rest) * invW2) - <f64>b2;
        const xHi = Math.floor((f2hi + rest) * invW2) - <f64>b2;
        if (xLo > <f64>lo2) lo2 = xLo > <f64>D2 ? D2 + 1 : <i32>xLo;
        if (xHi < <f64>hi2) hi2 = xHi < <f64>first2 ? first2 - 1 : <i32>xHi;
        const row = (q0 * nb1 + q1) * nb2;
        // Shift of an image relative to the centre, T − r_c, summed in this order.
        const t0x = <f64>s0 * a0x + <f64>s1 * a1x;
        const t0y = <f64>s0 * a0y + <f64>s1 * a1y;
        const t0z = <f64>s0 * a0z + <f64>s1 * a1z;
        const rowZeroShift = s0 == 0 && s1 == 0;
        let d2 = lo2;
        if (half && d2 == 0 && d0 == 0 && d1 == 0 && d2 <= hi2) {
          // The centre's own bin: a half list keeps j > self only (the image at zero shift).
          let q2 = b2, s2 = 0;
          if (p2) { s2 = wrapShift(q2, nb2); q2 -= s2 * nb2; }
          const f2 = <f64>s2;
          count = scanAtoms(
            ldi(binStart, row + q2), ldi(binStart, row + q2 + 1), binAtoms, binPos,
            t0x + f2 * a2x - cx, t0y + f2 * a2y - cy, t0z + f2 * a2z - cz, rc2, rowZeroShift && s2 == 0 ? self : -1, self,
            index, disp, count, capacity,
          );
          d2 = 1;
        }
        // Runs of consecutive bins of one image are consecutive in binAtoms: one scan each.
        while (d2 <= hi2) {
          let q2 = b2 + d2, s2 = 0;
          if (p2) {
            s2 = wrapShift(q2, nb2);
            q2 -= s2 * nb2;
          } else if (q2 < 0) {
            d2 = -b2;
            continue;
          } else if (q2 >= nb2) {
            break;
          }
          const last = min(q2 + hi2 - d2, nb2 - 1);
          const f2 = <f64>s2;
          count = scanAtoms(
            ldi(binStart, row + q2), ldi(binStart, row + last + 1), binAtoms, binPos,
            t0x + f2 * a2x - cx, t0y + f2 * a2y - cy, t0z + f2 * a2z - cz, rc2, rowZeroShift && s2 == 0 ? self : -1, -1,
            index, disp, count, capacity,
          );
          d2 += last - q2 + 1;
        }
      }
    }
  }
  sti(offsets, nCenters, count);
  return count;
}
