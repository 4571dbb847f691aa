import { AtomenvError } from '../errors.js';
import { elementSymbol, toAtomicNumber } from '../structure/elements.js';
import type { ACSFParams } from './params.js';

/**
 * Feature layout (DScribe's real order): for each species Z ascending, [G1, G2…, G3…]; then one
 * block [G4…, G5…] per unordered species pair, ordered by the larger species index q, then the
 * smaller p: block q(q+1)/2 + p.
 */
export function acsfNumFeatures(p: ACSFParams): number {
  const s = p.species.length;
  return (1 + p.g2.length + p.g3.length) * s + ((p.g4.length + p.g5.length) * s * (s + 1)) / 2;
}

/** Start and end (exclusive) of a species' radial block or a species pair's angular block. */
export function acsfLocation(p: ACSFParams, species: string | number | ReadonlyArray<string | number>): [number, number] {
  const list = Array.isArray(species) ? (species as ReadonlyArray<string | number>) : [species as string | number];
  const index = list.map((s) => {
    const z = toAtomicNumber(s);
    const i = p.species.indexOf(z);
    if (i < 0) {
      throw new AtomenvError('INVALID_PARAMETER', `getLocation: ${elementSymbol(z)} is not among the descriptor's species`);
    }
    return i;
  });
  const nRadial = 1 + p.g2.length + p.g3.length;
  if (index.length === 1) return [index[0]! * nRadial, (index[0]! + 1) * nRadial];
  if (index.length !== 2) {
    throw new AtomenvError('INVALID_PARAMETER', 'getLocation takes one species (G1–G3) or a pair of species (G4, G5)');
  }
  const q = Math.max(index[0]!, index[1]!);
  const lo = Math.min(index[0]!, index[1]!);
  const nAngular = p.g4.length + p.g5.length;
  const start = p.species.length * nRadial + ((q * (q + 1)) / 2 + lo) * nAngular;
  return [start, start + nAngular];
}
