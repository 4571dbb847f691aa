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
  if (pbc[0] || pbc[1] || pbc[2]) checkWrappable(positions);
  return { numbers, positions, cell, pbc, nAtoms };
}

/**
 * The atom count a structure declares (the length of `numbers`, else of `symbols`) without
 * validating it: for sizing decisions before {@link normalizeStructure} runs. Undefined when it
 * declares none.
 */
export function declaredAtomCount(structure: Partial<Structure>): number | undefined {
  return structure.numbers?.length ?? structure.symbols?.length;
}

/** A JSON-ish rendering of a value of the wrong type, for messages. */
function shown(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || value === undefined) return String(value);
  return Array.isArray(value) ? `an array of ${value.length}` : `a ${typeof value}`;
}

/** An array or typed array (not a string, number or plain object): what a per-atom field must be. */
export function isList(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

function readNumbers(s: Structure): Int32Array {
  if (s.numbers !== undefined && s.numbers !== null) {
    if (!isList(s.numbers)) {
      throw new AtomenvError('INVALID_STRUCTURE', `numbers must be an array of atomic numbers, got ${shown(s.numbers)}`);
    }
    const out = new Int32Array(s.numbers.length);
    for (let i = 0; i < out.length; i++) {
      const z = s.numbers[i]!;
      if (typeof z !== 'number') {
        throw new AtomenvError('UNKNOWN_ELEMENT', `atom ${i}: atomic number ${shown(z)} is not a number`, { atom: i });
      }
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
    if (s.symbols !== undefined && s.symbols !== null) checkSymbolsAgree(s.symbols, out);
    return out;
  }
  if (s.symbols !== undefined && s.symbols !== null) {
    if (!Array.isArray(s.symbols)) {
      throw new AtomenvError('INVALID_STRUCTURE', `symbols must be an array of element symbols, got ${shown(s.symbols)}`);
    }
    const out = new Int32Array(s.symbols.length);
    for (let i = 0; i < out.length; i++) out[i] = symbolNumber(s.symbols[i], i);
    return out;
  }
  throw new AtomenvError('INVALID_STRUCTURE', 'a structure needs `numbers` (atomic numbers) or `symbols`');
}

/** The atomic number of atom i's element symbol, else UNKNOWN_ELEMENT naming the atom. */
function symbolNumber(symbol: unknown, i: number): number {
  try {
    return atomicNumber(symbol as string);
  } catch {
    throw new AtomenvError('UNKNOWN_ELEMENT', `atom ${i}: unknown element symbol '${String(symbol)}'`, { atom: i });
  }
}

/** A structure that gives both `numbers` and `symbols` must give the same elements in both. */
function checkSymbolsAgree(symbols: unknown, numbers: Int32Array): void {
  if (!Array.isArray(symbols) || symbols.length !== numbers.length) {
    const n = Array.isArray(symbols) ? `${symbols.length} symbols` : shown(symbols);
    throw new AtomenvError('INVALID_STRUCTURE', `numbers has ${numbers.length} atoms but symbols is ${n}: give one of them, or both alike`);
  }
  for (let i = 0; i < numbers.length; i++) {
    if (symbolNumber(symbols[i], i) !== numbers[i]) {
      throw new AtomenvError(
        'INVALID_STRUCTURE',
        `atom ${i}: numbers says ${numbers[i]} (${elementSymbol(numbers[i]!)}) but symbols says '${symbols[i]}'`,
        { atom: i },
      );
    }
  }
}

/**
 * Largest |coordinate| in Å of a periodic structure: wrapping x into the cell keeps the digits of x
 * below the cell's size, ~1.5e-8 Å at 1e8; beyond, the wrapped geometry is lost (1e16: ±2 Å;
 * 1e300 wrapped every atom onto one point, reported as overlapping atoms).
 */
const MAX_PERIODIC_COORDINATE = 1e8;

function checkWrappable(positions: Float64Array): void {
  for (let k = 0; k < positions.length; k++) {
    if (Math.abs(positions[k]!) > MAX_PERIODIC_COORDINATE) {
      const atom = Math.floor(k / 3);
      throw new AtomenvError(
        'INVALID_STRUCTURE',
        `atom ${atom}: coordinate ${'xyz'[k % 3]} is ${positions[k]} Å, beyond ±${MAX_PERIODIC_COORDINATE} Å in a periodic structure (wrapping it into the cell would keep too few digits: wrap or shift the structure first)`,
        { atom },
      );
    }
  }
}

function readPositions(p: Structure['positions'], nAtoms: number): Float64Array {
  if (p === undefined || p === null) {
    throw new AtomenvError('INVALID_STRUCTURE', 'a structure needs `positions`');
  }
  if (!isList(p)) {
    throw new AtomenvError('INVALID_STRUCTURE', `positions must be an array of [x, y, z] rows or a flat array of numbers, got ${shown(p)}`);
  }
  const out = new Float64Array(nAtoms * 3);
  const first = (p as ArrayLike<unknown>).length > 0 ? (p as ArrayLike<unknown>)[0] : undefined;
  if (first !== undefined && first !== null && typeof first === 'object') {
    const rows = p as ReadonlyArray<ArrayLike<number>>;
    if (rows.length !== nAtoms) {
      throw new AtomenvError('INVALID_STRUCTURE', `positions has ${rows.length} rows but there are ${nAtoms} atoms`);
    }
    for (let i = 0; i < nAtoms; i++) {
      const row: unknown = rows[i];
      if (!isList(row)) {
        throw new AtomenvError('INVALID_STRUCTURE', `atom ${i}: a position must be an [x, y, z] row, got ${shown(row)}`, { atom: i });
      }
      if (row.length !== 3) {
        throw new AtomenvError('INVALID_STRUCTURE', `atom ${i}: a position needs 3 coordinates, got ${row.length}`, { atom: i });
      }
      for (let k = 0; k < 3; k++) out[3 * i + k] = coordinate(row[k], i, k);
    }
  } else if (p instanceof Float64Array || p instanceof Float32Array) {
    if (p.length !== 3 * nAtoms) {
      throw new AtomenvError('INVALID_STRUCTURE', `positions has ${p.length} numbers but ${nAtoms} atoms need ${3 * nAtoms}`);
    }
    out.set(p);
  } else {
    const flat = p as ArrayLike<unknown>;
    if (flat.length !== 3 * nAtoms) {
      throw new AtomenvError('INVALID_STRUCTURE', `positions has ${flat.length} numbers but ${nAtoms} atoms need ${3 * nAtoms}`);
    }
    for (let k = 0; k < flat.length; k++) out[k] = coordinate(flat[k], Math.floor(k / 3), k % 3);
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

/** A coordinate of atom `atom` (axis k): a number, else INVALID_STRUCTURE (no silent '1' → 1 or null → 0). */
function coordinate(x: unknown, atom: number, k: number): number {
  if (typeof x !== 'number') {
    throw new AtomenvError('INVALID_STRUCTURE', `atom ${atom}: coordinate ${'xyz'[k]} must be a number, got ${shown(x)}`, { atom });
  }
  return x;
}

/** A cell component: a number, else INVALID_STRUCTURE. */
function cellComponent(x: unknown, k: number): number {
  if (typeof x !== 'number') {
    throw new AtomenvError('INVALID_STRUCTURE', `cell vector ${Math.floor(k / 3)}: component ${'xyz'[k % 3]} must be a number, got ${shown(x)}`);
  }
  return x;
}

function readCell(c: Structure['cell']): Float64Array | null {
  if (c === undefined || c === null) return null;
  if (!isList(c)) throw new AtomenvError('INVALID_STRUCTURE', `cell must be 3 rows of 3 numbers (the lattice vectors) or 9 numbers, got ${shown(c)}`);
  const out = new Float64Array(9);
  const first = (c as ArrayLike<unknown>).length > 0 ? (c as ArrayLike<unknown>)[0] : undefined;
  if (first !== undefined && first !== null && typeof first === 'object') {
    const rows = c as ReadonlyArray<unknown>;
    if (rows.length !== 3 || rows.some((r) => !isList(r) || r.length !== 3)) {
      throw new AtomenvError('INVALID_STRUCTURE', 'cell must be 3 rows of 3 numbers (the lattice vectors)');
    }
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) out[3 * i + j] = cellComponent((rows[i] as ArrayLike<unknown>)[j], 3 * i + j);
  } else {
    const flat = c as ArrayLike<unknown>;
    if (flat.length !== 9) throw new AtomenvError('INVALID_STRUCTURE', `cell must have 9 numbers, got ${flat.length}`);
    for (let k = 0; k < 9; k++) out[k] = cellComponent(flat[k], k);
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
  // Not Boolean(x): the string 'false' would read as true.
  if (!Array.isArray(p)) throw new AtomenvError('INVALID_STRUCTURE', `pbc must be a boolean or 3 booleans, got ${shown(p)}`);
  if (p.length !== 3) throw new AtomenvError('INVALID_STRUCTURE', `pbc must be a boolean or 3 booleans, got ${p.length} values`);
  for (let k = 0; k < 3; k++) {
    if (typeof p[k] !== 'boolean') throw new AtomenvError('INVALID_STRUCTURE', `pbc[${k}] must be true or false, got ${shown(p[k])}`);
  }
  return [p[0]!, p[1]!, p[2]!];
}
