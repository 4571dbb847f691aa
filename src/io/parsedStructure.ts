import type { Cell, Structure } from '../structure/structure.js';

/** A structure as the file readers return it: dense positions, explicit pbc, file metadata in `info`. */
export interface ParsedStructure extends Structure {
  /** Atomic numbers, one per atom. */
  numbers: number[];
  /** Flat x0, y0, z0, x1, … in the file's length unit. */
  positions: Float64Array;
  /** Lattice vectors as rows; absent for a non-periodic structure. */
  cell?: Cell;
  pbc: [boolean, boolean, boolean];
  /** Extra keys from the file (comment, energy, forces, …). */
  info: Record<string, unknown>;
}
