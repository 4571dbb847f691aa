import { AtomenvError } from '../errors.js';

/** A 3×3 lattice completed to a basis, with what the neighbour search needs. */
export interface CellGeometry {
  /** Row-major basis H (rows a_0, a_1, a_2); the identity for a non-periodic structure. */
  readonly basis: Float64Array;
  /** H⁻¹, so that fractional coordinates are s = r · H⁻¹. */
  readonly inverse: Float64Array;
  /** Perpendicular heights h_i = V / |a_j × a_k|. */
  readonly heights: [number, number, number];
  readonly periodic: [boolean, boolean, boolean];
}

/** A cell whose volume is below this fraction of |a_0||a_1||a_2| is treated as singular. */
const SINGULAR_RATIO = 1e-8;

function cross(a: ArrayLike<number>, b: ArrayLike<number>): [number, number, number] {
  return [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
}
function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
}
function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}
function row(m: Float64Array, i: number): Float64Array {
  return m.subarray(3 * i, 3 * i + 3);
}

/** Inverse of a row-major 3×3 matrix (assumed non-singular). */
export function inverse3(m: Float64Array): Float64Array {
  const [a, b, c] = [row(m, 0), row(m, 1), row(m, 2)];
  const bc = cross(b, c), ca = cross(c, a), ab = cross(a, b);
  const det = dot(a, bc);
  // (H⁻¹)_{ij}: columns of the inverse are the reciprocal vectors / det.
  const inv = new Float64Array(9);
  for (let i = 0; i < 3; i++) {
    inv[3 * i] = bc[i]! / det;
    inv[3 * i + 1] = ca[i]! / det;
    inv[3 * i + 2] = ab[i]! / det;
  }
  return inv;
}

/**
 * Checks the cell of a structure and completes it to a basis for the neighbour search. Along a
 * non-periodic axis a missing or degenerate lattice vector is replaced by the unit normal of
 * the other two. Throws SINGULAR_CELL when the periodic vectors do not span a volume.
 */
export function cellGeometry(cell: Float64Array | null, pbc: readonly [boolean, boolean, boolean]): CellGeometry {
  const periodic: [boolean, boolean, boolean] = [pbc[0], pbc[1], pbc[2]];
  if (cell === null || !(periodic[0] || periodic[1] || periodic[2])) {
    const id = new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    return { basis: id, inverse: id.slice(), heights: [1, 1, 1], periodic: [false, false, false] };
  }
  const basis = cell.slice();
  for (let i = 0; i < 3; i++) {
    if (periodic[i] && !(norm(row(basis, i)) > 0)) {
      throw new AtomenvError('SINGULAR_CELL', `lattice vector ${i} is zero but the structure is periodic along it`);
    }
  }
  const volumeRatio = (m: Float64Array): number => {
    const n = norm(row(m, 0)) * norm(row(m, 1)) * norm(row(m, 2));
    return n > 0 ? Math.abs(dot(row(m, 0), cross(row(m, 1), row(m, 2)))) / n : 0;
  };
  if (!(volumeRatio(basis) > SINGULAR_RATIO)) {
    for (let i = 0; i < 3; i++) {
      if (periodic[i]) continue;
      const n = cross(row(basis, (i + 1) % 3), row(basis, (i + 2) % 3));
      const len = norm(n);
      if (len > 0) basis.set([n[0] / len, n[1] / len, n[2] / len], 3 * i);
    }
    if (!(volumeRatio(basis) > SINGULAR_RATIO)) {
      const rows = [0, 1, 2].map((i) => `[${Array.from(row(cell, i)).join(', ')}]`).join(', ');
      throw new AtomenvError('SINGULAR_CELL', `the cell is singular (its lattice vectors ${rows} span no volume)`);
    }
  }
  const volume = Math.abs(dot(row(basis, 0), cross(row(basis, 1), row(basis, 2))));
  const heights: [number, number, number] = [0, 1, 2].map(
    (i) => volume / norm(cross(row(basis, (i + 1) % 3), row(basis, (i + 2) % 3))),
  ) as [number, number, number];
  return { basis, inverse: inverse3(basis), heights, periodic };
}
