// Cell-list (binning) neighbour search for molecules and triclinic cells with per-axis
// periodicity, O(N) at fixed density.
//
// Points are expressed in fractional coordinates s = r · H⁻¹ (H: lattice vectors as rows; for a
// non-periodic axis the TypeScript side completes H to a basis). Along periodic axes positions
// are wrapped into [0, 1). The grid has nb_i bins along axis i whose perpendicular thickness is
// t_i; neighbours within r_cut lie at most D_i = ceil(r_cut / t_i) bins away. Along a periodic
// axis a bin offset b + d maps to bin (b + d) mod nb_i and lattice shift floor((b + d) / nb_i),
// so a cell thinner than r_cut simply has D_i > nb_i and every image inside r_cut is visited
// exactly once (images of the centre itself included). See src/neighbors/neighborList.ts.
import { ldf, stf, ldi, sti } from '../memory';

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

  // Counting sort of atoms by bin.
  for (let b = 0; b <= nBins; b++) sti(binStart, b, 0);
  for (let a = 0; a < nAtoms; a++) {
    const b = (binCoord(ldf(wFrac, 3 * a), o0, w0, nb0) * nb1 + binCoord(ldf(wFrac, 3 * a + 1), o1, w1, nb1)) * nb2 +
      binCoord(ldf(wFrac, 3 * a + 2), o2, w2, nb2);
    sti(atomBin, a, b);
    sti(binStart, b + 1, ldi(binStart, b + 1) + 1);
  }
  for (let b = 0; b < nBins; b++) sti(binStart, b + 1, ldi(binStart, b + 1) + ldi(binStart, b));
  // Fill using atomBin as a running cursor per bin (binStart shifted back afterwards).
  for (let a = 0; a < nAtoms; a++) {
    const b = ldi(atomBin, a);
    const slot = ldi(binStart, b);
    sti(binAtoms, slot, a);
    sti(binStart, b, slot + 1);
  }
  for (let b = nBins; b > 0; b--) sti(binStart, b, ldi(binStart, b - 1));
  sti(binStart, 0, 0);
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
  let count = 0;
  for (let c = 0; c < nCenters; c++) {
    sti(offsets, c, count);
    const self = ldi(centerAtom, c);
    const cx = ldf(cPos, 3 * c), cy = ldf(cPos, 3 * c + 1), cz = ldf(cPos, 3 * c + 2);
    const b0 = binCoord(ldf(cFrac, 3 * c), o0, w0, nb0);
    const b1 = binCoord(ldf(cFrac, 3 * c + 1), o1, w1, nb1);
    const b2 = binCoord(ldf(cFrac, 3 * c + 2), o2, w2, nb2);
    // A half list skips the offsets d that are lexicographically negative before any work.
    for (let d0 = half ? 0 : -D0; d0 <= D0; d0++) {
      let q0 = b0 + d0, s0 = 0;
      if (p0) { s0 = wrapShift(q0, nb0); q0 -= s0 * nb0; } else if (q0 < 0 || q0 >= nb0) continue;
      for (let d1 = half && d0 == 0 ? 0 : -D1; d1 <= D1; d1++) {
        let q1 = b1 + d1, s1 = 0;
        if (p1) { s1 = wrapShift(q1, nb1); q1 -= s1 * nb1; } else if (q1 < 0 || q1 >= nb1) continue;
        for (let d2 = half && d0 == 0 && d1 == 0 ? 0 : -D2; d2 <= D2; d2++) {
          let q2 = b2 + d2, s2 = 0;
          if (p2) { s2 = wrapShift(q2, nb2); q2 -= s2 * nb2; } else if (q2 < 0 || q2 >= nb2) continue;
          const f0 = <f64>s0, f1 = <f64>s1, f2 = <f64>s2;
          // Shift of this image relative to the centre: T − r_c.
          const tx = f0 * a0x + f1 * a1x + f2 * a2x - cx;
          const ty = f0 * a0y + f1 * a1y + f2 * a2y - cy;
          const tz = f0 * a0z + f1 * a1z + f2 * a2z - cz;
          const zeroShift = s0 == 0 && s1 == 0 && s2 == 0;
          const sameBin = d0 == 0 && d1 == 0 && d2 == 0;
          // In the centre's own bin a half list keeps j > self only.
          const lowest = half && sameBin ? self : -1;
          const bin = (q0 * nb1 + q1) * nb2 + q2;
          const end = ldi(binStart, bin + 1);
          // Branch-free append: every candidate is written at `count`, which advances only for
          // a pair within the cutoff (the next candidate overwrites a rejected one).
          const notSelfImage = zeroShift ? self : -1;
          for (let k = ldi(binStart, bin); k < end; k++) {
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
        }
      }
    }
  }
  sti(offsets, nCenters, count);
  return count;
}
