import { AtomenvError } from '../errors.js';
import type { StructureFormat } from '../io/formats.js';
import { parseStructures } from '../io/parseStructures.js';
import { normalizeStructure, type NormalizedStructure, type Structure } from '../structure/structure.js';
import { HttpError } from './httpError.js';

/**
 * The one structure of a request: text is parsed (format detected unless given) and must hold
 * exactly one frame; an object is validated as a {@link Structure}. Throws AtomenvError (422)
 * for bad content and a 413 TOO_MANY_ATOMS above `maxAtoms` (checked before the object is
 * converted).
 */
export function structureInput(input: string | Record<string, unknown>, format: StructureFormat | undefined, maxAtoms: number): NormalizedStructure {
  if (typeof input !== 'string') {
    const atoms = input.numbers ?? input.symbols;
    if (Array.isArray(atoms)) checkAtoms(atoms.length, maxAtoms);
    checkJsonTypes(input);
    return checked(normalizeStructure(input as unknown as Structure), maxAtoms);
  }
  const frames = parseStructures(input, format);
  if (frames.length !== 1) {
    throw new AtomenvError('INVALID_STRUCTURE', `the structure text holds ${frames.length} frames; send exactly one`);
  }
  return checked(normalizeStructure(frames[0]!), maxAtoms);
}

function checked(structure: NormalizedStructure, maxAtoms: number): NormalizedStructure {
  checkAtoms(structure.nAtoms, maxAtoms);
  if (structure.nAtoms === 0) throw new AtomenvError('INVALID_STRUCTURE', 'the structure has no atoms');
  return structure;
}

function checkAtoms(n: number, maxAtoms: number): void {
  if (n > maxAtoms) throw new HttpError(413, 'TOO_MANY_ATOMS', `the structure has ${n} atoms; this server takes at most ${maxAtoms}`);
}

/**
 * JSON types of a structure object, which the library would otherwise coerce (a string of
 * symbols, a null coordinate read as 0): INVALID_STRUCTURE naming the field.
 */
function checkJsonTypes(input: Record<string, unknown>): void {
  const fail = (message: string): never => {
    throw new AtomenvError('INVALID_STRUCTURE', message);
  };
  const isNumber = (x: unknown): boolean => typeof x === 'number';
  const { numbers, symbols, positions, cell, pbc } = input;
  if (numbers !== undefined && numbers !== null && !(Array.isArray(numbers) && numbers.every(isNumber))) fail('"numbers" must be an array of atomic numbers');
  if (symbols !== undefined && symbols !== null && !(Array.isArray(symbols) && symbols.every((x) => typeof x === 'string'))) {
    fail('"symbols" must be an array of element symbols');
  }
  const rowsOrFlat = (v: unknown): boolean => Array.isArray(v) && (v.every(isNumber) || v.every((row) => Array.isArray(row) && row.every(isNumber)));
  if (!rowsOrFlat(positions)) fail('"positions" must be an array of [x, y, z] rows (or flat x0, y0, z0, x1, ...) of numbers in Å');
  if (cell !== undefined && cell !== null && !rowsOrFlat(cell)) fail('"cell" must be three [x, y, z] lattice-vector rows (or 9 numbers) in Å, or null');
  if (pbc !== undefined && typeof pbc !== 'boolean' && !(Array.isArray(pbc) && pbc.every((x) => typeof x === 'boolean'))) {
    fail('"pbc" must be a boolean or three booleans');
  }
}
