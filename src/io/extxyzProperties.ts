import { AtomenvError } from '../errors.js';

/** Where the per-atom columns the reader needs sit, from an extxyz `Properties` spec. */
export interface AtomColumns {
  /** Total number of columns per atom line. */
  count: number;
  /** Column of the element: a symbol (type S) or an atomic number (type I). */
  speciesColumn: number;
  speciesType: 'S' | 'I';
  /** Column of x; y and z follow. */
  positionColumn: number;
  /** The spec as written, for messages. */
  spec: string;
}

/** ASE's default when a frame has no `Properties` key. */
export const DEFAULT_PROPERTIES = 'species:S:1:pos:R:3';

const COLUMN_TYPES = new Set(['S', 'R', 'I', 'L']);

/**
 * Parses `name:type:count` triples (e.g. `species:S:1:pos:R:3:forces:R:3`). The element comes
 * from `species` (or `Z`), the position from `pos`; other columns are only counted. Throws a
 * PARSE_ERROR (without location) for a malformed spec or one without species or pos.
 */
export function parseProperties(spec: string): AtomColumns {
  const parts = spec.split(':');
  if (parts.length % 3 !== 0 || spec.length === 0) {
    throw new AtomenvError('PARSE_ERROR', `Properties must be name:type:count triples, got '${spec}'`);
  }
  let column = 0;
  let species: { column: number; type: 'S' | 'I' } | undefined;
  let atomicNumbers: number | undefined;
  let position: number | undefined;
  const names = new Set<string>();
  for (let k = 0; k < parts.length; k += 3) {
    const name = parts[k]!;
    const type = parts[k + 1]!;
    if (names.has(name)) throw new AtomenvError('PARSE_ERROR', `Properties names the column '${name}' twice: '${spec}'`);
    names.add(name);
    const count = Number(parts[k + 2]);
    if (!COLUMN_TYPES.has(type) || !Number.isInteger(count) || count < 1) {
      throw new AtomenvError('PARSE_ERROR', `bad Properties entry '${name}:${type}:${parts[k + 2]}' (type must be S, R, I or L, count ≥ 1)`);
    }
    if (name === 'species') {
      if ((type !== 'S' && type !== 'I') || count !== 1) {
        throw new AtomenvError('PARSE_ERROR', `Properties: species must be S:1 or I:1, got ${type}:${count}`);
      }
      species = { column, type };
    } else if (name === 'Z' && type === 'I' && count === 1) {
      atomicNumbers = column;
    } else if (name === 'pos') {
      if (type !== 'R' || count !== 3) throw new AtomenvError('PARSE_ERROR', `Properties: pos must be R:3, got ${type}:${count}`);
      position = column;
    }
    column += count;
  }
  species ??= atomicNumbers !== undefined ? { column: atomicNumbers, type: 'I' } : undefined;
  if (species === undefined) throw new AtomenvError('PARSE_ERROR', `Properties '${spec}' has no species column`);
  if (position === undefined) throw new AtomenvError('PARSE_ERROR', `Properties '${spec}' has no pos column`);
  return { count: column, speciesColumn: species.column, speciesType: species.type, positionColumn: position, spec };
}
