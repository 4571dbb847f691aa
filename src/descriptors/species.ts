import { AtomenvError } from '../errors.js';
import { elementSymbol, toAtomicNumber } from '../structure/elements.js';
import type { NormalizedStructure } from '../structure/structure.js';

/**
 * The species of a descriptor as DScribe orders them: unique atomic numbers sorted ascending.
 * Accepts symbols or atomic numbers, in any order, duplicates allowed.
 */
export function sortedSpecies(species: ReadonlyArray<string | number> | undefined): number[] {
  if (!Array.isArray(species) || species.length === 0) {
    throw new AtomenvError('MISSING_PARAMETER', '`species` must be a non-empty list of element symbols or atomic numbers');
  }
  const z = species.map((s: string | number) => {
    try {
      return toAtomicNumber(s);
    } catch {
      throw new AtomenvError('UNKNOWN_ELEMENT', `species: unknown element ${JSON.stringify(s)}`);
    }
  });
  return [...new Set(z)].sort((a, b) => a - b);
}

/** Species index (position in the sorted species list) of every atom; throws for a missing one. */
export function speciesIndexOfAtoms(structure: NormalizedStructure, species: readonly number[]): Int32Array {
  const lookup = new Map(species.map((z, i) => [z, i]));
  const out = new Int32Array(structure.nAtoms);
  for (let a = 0; a < structure.nAtoms; a++) {
    const z = structure.numbers[a]!;
    const s = lookup.get(z);
    if (s === undefined) {
      const known = species.map(elementSymbol).join(', ');
      throw new AtomenvError(
        'SPECIES_NOT_IN_DESCRIPTOR',
        `atom ${a} is ${elementSymbol(z)}, which is not among the descriptor's species (${known})`,
        { atom: a },
      );
    }
    out[a] = s;
  }
  return out;
}
