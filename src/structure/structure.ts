import { AtomenvError } from '../errors.js';
import { atomicNumber, elementSymbol } from './elements.js';

/** Three lattice vectors as rows, in Å. */
export type Cell = [[number, number, number], [number, number, number], [number, number, number]];

/**
 * An atomic structure as users write it: a plain object.
 *
 * - `numbers` (atomic numbers) or `symbols` (element symbols): one per atom.
 * - `positions` in Å: a flat `Float64Array`/`number[]` (x0, y0, z0, x1, …) or an array of `[x, y, z]`.
 * - `cell`: lattice vectors as 3 rows (or 9 numbers, row-major); omit for a molecule.
 * - `pbc`: periodicity, one boolean for all axes or one per axis. Defaults to `true` on every
 *   axis when a cell is given and `false` otherwise.
 */
export interface Structure {
  numbers?: ArrayLike<number>;
  symbols?: readonly string[];
  positions: Float64Array | ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;
  cell?: ReadonlyArray<ArrayLike<number>> | ArrayLike<number> | null;
  pbc?: boolean | readonly [boolean, boolean, boolean] | readonly boolean[];
  /** Free-form per-frame metadata from a file (extxyz comment keys, n2p2 energy, …). */
  info?: Record<string, unknown>;
}

/** A validated structure with dense typed arrays; what the kernels consume. */
export interface NormalizedStructure {
  readonly numbers: Int32Array;
  readonly positions: Float64Array;
  /** Row-major 3×3 lattice (rows are lattice vectors), or null. */
  readonly cell: Float64Array | null;
  readonly pbc: readonly [boolean, boolean, boolean];
  readonly nAtoms: number;
}

/**
 * Validates a {@link Structure} and converts it to typed arrays. Throws {@link AtomenvError}
 * naming the atom for an unknown element or a non-finite coordinate.
 */
export function normalizeStructure(structure: Structure): NormalizedStructure {
  if (structure === null || typeof structure !== 'object') {
    throw new AtomenvError('INVALID_STRUCTURE', 'a structure must be an object { numbers, positions, cell?, pbc? }');
  }
  const numbers = readNumbers(structure);
  const nAtoms = numbers.length;
  const positions = readPositions(structure.positions, nAtoms);
  const cell = readCell(structure.cell);
  const pbc = readPbc(structure.pbc, cell !== null);
  if (cell === null && (pbc[0] || pbc[1] || pbc[2])) {
    throw new AtomenvError('INVALID_STRUCTURE', 'pbc is true along an axis but the structure has no cell');
  }
  return { numbers, positions, cell, pbc, nAtoms };
}

function readNumbers(s: Structure): Int32Array {
  if (s.numbers !== undefined && s.numbers !== null) {
    const out = new Int32Array(s.numbers.length);
    for (let i = 0; i < out.length; i++) {
      const z = s.numbers[i]!;
      if (!Number.isInteger(z)) {
        throw new AtomenvError('UNKNOWN_ELEMENT', `atom ${i}: atomic number ${z} is not an integer`, { atom: i });
      }
      try {
        elementSymbol(z);
      } catch {
        throw new AtomenvError('UNKNOWN_ELEMENT', `atom ${i}: unknown atomic number ${z}`, { atom: i });
      }
      out[i] = z;
    }
    return out;
  }
  if (s.symbols !== undefined && s.symbols !== null) {
    const out = new Int32Array(s.symbols.length);
    for (let i = 0; i < out.length; i++) {
      try {
        out[i] = atomicNumber(s.symbols[i]!);
      } catch {
        throw new AtomenvError('UNKNOWN_ELEMENT', `atom ${i}: unknown element symbol '${s.symbols[i]}'`, { atom: i });
      }
    }
    return out;
  }
  throw new AtomenvError('INVALID_STRUCTURE', 'a structure needs `numbers` (atomic numbers) or `symbols`');
}

function readPositions(p: Structure['positions'], nAtoms: number): Float64Array {
  if (p === undefined || p === null) {
    throw new AtomenvError('INVALID_STRUCTURE', 'a structure needs `positions`');
  }
  const out = new Float64Array(nAtoms * 3);
  const first = (p as ArrayLike<unknown>).length > 0 ? (p as ArrayLike<unknown>)[0] : undefined;
  if (first !== undefined && typeof first === 'object') {
    const rows = p as ReadonlyArray<ArrayLike<number>>;
    if (rows.length !== nAtoms) {
      throw new AtomenvError('INVALID_STRUCTURE', `positions has ${rows.length} rows but there are ${nAtoms} atoms`);
    }
    for (let i = 0; i < nAtoms; i++) {
      const row = rows[i]!;
      if (row.length !== 3) {
        throw new AtomenvError('INVALID_STRUCTURE', `atom ${i}: a position needs 3 coordinates, got ${row.length}`, { atom: i });
      }
      out[3 * i] = row[0]!;
      out[3 * i + 1] = row[1]!;
      out[3 * i + 2] = row[2]!;
    }
  } else {
    const flat = p as ArrayLike<number>;
    if (flat.length !== 3 * nAtoms) {
      throw new AtomenvError('INVALID_STRUCTURE', `positions has ${flat.length} numbers but ${nAtoms} atoms need ${3 * nAtoms}`);
    }
    for (let k = 0; k < flat.length; k++) out[k] = flat[k]!;
  }
  for (let k = 0; k < out.length; k++) {
    if (!Number.isFinite(out[k]!)) {
      const atom = Math.floor(k / 3);
      throw new AtomenvError(
        'NON_FINITE_POSITION',
        `atom ${atom}: coordinate ${'xyz'[k % 3]} is ${out[k]} (positions must be finite numbers)`,
        { atom },
      );
    }
  }
  return out;
}

function readCell(c: Structure['cell']): Float64Array | null {
  if (c === undefined || c === null) return null;
  const out = new Float64Array(9);
  const first = (c as ArrayLike<unknown>).length > 0 ? (c as ArrayLike<unknown>)[0] : undefined;
  if (first !== undefined && typeof first === 'object') {
    const rows = c as ReadonlyArray<ArrayLike<number>>;
    if (rows.length !== 3 || rows.some((r) => r.length !== 3)) {
      throw new AtomenvError('INVALID_STRUCTURE', 'cell must be 3 rows of 3 numbers (the lattice vectors)');
    }
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) out[3 * i + j] = rows[i]![j]!;
  } else {
    const flat = c as ArrayLike<number>;
    if (flat.length !== 9) throw new AtomenvError('INVALID_STRUCTURE', `cell must have 9 numbers, got ${flat.length}`);
    for (let k = 0; k < 9; k++) out[k] = flat[k]!;
  }
  for (let k = 0; k < 9; k++) {
    if (!Number.isFinite(out[k]!)) {
      throw new AtomenvError('SINGULAR_CELL', `cell vector ${Math.floor(k / 3)} has a non-finite component (${out[k]})`);
    }
  }
  return out;
}

function readPbc(p: Structure['pbc'], hasCell: boolean): [boolean, boolean, boolean] {
  if (p === undefined || p === null) return [hasCell, hasCell, hasCell];
  if (typeof p === 'boolean') return [p, p, p];
  if (p.length !== 3) throw new AtomenvError('INVALID_STRUCTURE', `pbc must be a boolean or 3 booleans, got ${p.length} values`);
  return [Boolean(p[0]), Boolean(p[1]), Boolean(p[2])];
}
