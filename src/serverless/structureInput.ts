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
