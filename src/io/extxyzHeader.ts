import { AtomenvError } from '../errors.js';
import type { Cell } from '../structure/structure.js';
import { parseCommentPairs, type CommentValue } from './extxyzComment.js';
import { DEFAULT_PROPERTIES, parseProperties, type AtomColumns } from './extxyzProperties.js';
import { toInteger, toReal } from './parseContext.js';

/** What an extxyz comment line says about its frame. */
export interface ExtxyzHeader {
  cell?: Cell;
  pbc: [boolean, boolean, boolean];
  columns: AtomColumns;
  /** Every key except Lattice, Properties and pbc, with values converted (numbers, booleans, arrays). */
  info: Record<string, unknown>;
}

/**
 * Interprets an extxyz comment line. `Lattice` without `pbc` means periodic on all axes (ASE);
 * no `Lattice` means no cell and no periodicity. Throws a PARSE_ERROR (without location).
 */
export function readExtxyzHeader(comment: string): ExtxyzHeader {
  const pairs = parseCommentPairs(comment);
  const lattice = stringValue(pairs, 'Lattice');
  const pbcText = stringValue(pairs, 'pbc');
  const cell = lattice === undefined ? undefined : readLattice(lattice);
  const pbc = pbcText === undefined ? ([cell !== undefined, cell !== undefined, cell !== undefined] as [boolean, boolean, boolean]) : readPbc(pbcText);
  if (cell === undefined && pbc.some((p) => p)) {
    throw new AtomenvError('PARSE_ERROR', `pbc="${pbcText}" is periodic along an axis but there is no Lattice`);
  }
  const columns = parseProperties(stringValue(pairs, 'Properties') ?? DEFAULT_PROPERTIES);
  const info: Record<string, unknown> = {};
  for (const [key, value] of pairs) {
    if (key !== 'Lattice' && key !== 'Properties' && key !== 'pbc') info[key] = infoValue(value);
  }
  return { ...(cell !== undefined ? { cell } : {}), pbc, columns, info };
}

function stringValue(pairs: Map<string, CommentValue>, key: string): string | undefined {
  const value = pairs.get(key);
  if (value === true) throw new AtomenvError('PARSE_ERROR', `key '${key}' needs a value`);
  return value;
}

function readLattice(text: string): Cell {
  const tokens = text.trim().split(/\s+/);
  const values = tokens.map(toReal);
  if (tokens.length !== 9 || values.some((v) => v === undefined)) {
    throw new AtomenvError('PARSE_ERROR', `Lattice must be 9 numbers (3 lattice vectors as rows), got "${text}"`);
  }
  const v = values as number[];
  return [
    [v[0]!, v[1]!, v[2]!],
    [v[3]!, v[4]!, v[5]!],
    [v[6]!, v[7]!, v[8]!],
  ];
}

function readPbc(text: string): [boolean, boolean, boolean] {
  const flags = text.trim().split(/\s+/).map(toBoolean);
  if (flags.length !== 3 || flags.some((f) => f === undefined)) {
    throw new AtomenvError('PARSE_ERROR', `pbc must be 3 of T/F, got "${text}"`);
  }
  return flags as [boolean, boolean, boolean];
}

function toBoolean(token: string): boolean | undefined {
  if (token === 'T' || token === 'True' || token === 'true') return true;
  if (token === 'F' || token === 'False' || token === 'false') return false;
  return undefined;
}

/** Converts a comment value as ASE does: number, boolean, array of either, or string. */
function infoValue(value: CommentValue): unknown {
  if (value === true) return true;
  const single = scalarValue(value);
  if (single !== undefined) return single;
  const tokens = value.trim().split(/\s+/);
  if (tokens.length > 1) {
    const numbers = tokens.map(toReal);
    if (numbers.every((n) => n !== undefined)) return numbers;
    const flags = tokens.map(toBoolean);
    if (flags.every((f) => f !== undefined)) return flags;
  }
  return value;
}

function scalarValue(token: string): number | boolean | undefined {
  return toInteger(token) ?? toReal(token) ?? toBoolean(token);
}
