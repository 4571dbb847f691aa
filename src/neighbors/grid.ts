import type { CellGeometry } from '../structure/cell.js';

/** Bin layout for the cell-list search (see assembly/neighbors/cellList.ts). */
export interface Grid {
  /** nb0 nb1 nb2 D0 D1 D2. */
  readonly ints: Int32Array;
  /** Fractional origin (3) and bin width (3) per axis. */
  readonly floats: Float64Array;
  readonly nBins: number;
}

/**
 * Chooses bins about r_cut / 2 thick (fewer candidate pairs than r_cut-sized bins), no more
 * than max(64, 4 N) of them so that sparse or tiny-cutoff searches stay O(N) in memory.
 * Along periodic axes the bins tile [0, 1); along the others they cover the points' range.
 */
export function planGrid(geometry: CellGeometry, frac: Float64Array, nPoints: number, cutoff: number): Grid {
  const lo = [0, 0, 0];
  const span = [1, 1, 1];
  for (let i = 0; i < 3; i++) {
    if (geometry.periodic[i]) continue;
    let min = Infinity;
    let max = -Infinity;
    for (let p = 0; p < nPoints; p++) {
      const s = frac[3 * p + i]!;
      if (s < min) min = s;
      if (s > max) max = s;
    }
    if (!(max >= min)) {
      min = 0;
      max = 0;
    }
    lo[i] = min;
    span[i] = max - min;
  }
  // Perpendicular extent of the binned region along each axis, in Å.
  const extent = [0, 1, 2].map((i) => span[i]! * geometry.heights[i]!);
  const maxBins = Math.max(64, 4 * nPoints);
  let binSize = cutoff / 2;
  let nb = [1, 1, 1];
  // Coarsen until the grid is small enough; a single bin (a brute-force search) always is.
  for (let attempt = 0; attempt < 200; attempt++) {
    nb = extent.map((e) => Math.max(1, Math.min(1 << 20, Math.floor(e / binSize))));
    if (nb[0]! * nb[1]! * nb[2]! <= maxBins) break;
    binSize *= 1.5;
    nb = [1, 1, 1];
  }
  const ints = new Int32Array(6);
  const floats = new Float64Array(6);
  for (let i = 0; i < 3; i++) {
    const thickness = extent[i]! / nb[i]!;
    let reach = thickness > 0 ? Math.ceil(cutoff / thickness) : 0;
    if (!geometry.periodic[i]) reach = Math.min(reach, nb[i]! - 1);
    ints[i] = nb[i]!;
    ints[3 + i] = reach;
    floats[i] = lo[i]!;
    floats[3 + i] = span[i]! > 0 ? span[i]! / nb[i]! : 1;
  }
  return { ints, floats, nBins: nb[0]! * nb[1]! * nb[2]! };
}
