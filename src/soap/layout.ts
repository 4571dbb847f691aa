import { AtomenvError } from '../errors.js';
import { elementSymbol, toAtomicNumber } from '../structure/elements.js';
import type { SOAPParams } from './params.js';

/**
 * SOAP feature layout, as DScribe 2.1.1 orders it (S species, ascending Z; n, n2 0-based):
 * - 'off': one block per unordered species pair (t1 ≤ t2) in the order (0,0), (0,1), …, (0,S−1),
 *   (1,1), …; inside a block l, then n, then n2, with n ≤ n2 in same-species blocks and all
 *   nMax² (n, n2) in mixed ones.
 * - 'crossover': only the same-species blocks of 'off'.
 * - 'mu1nu1': one block per species Z: l, then n, then n2 (all nMax²), pairing Z's density
 *   with the sum over all species.
 * - 'mu2': a single species-agnostic block: l, then n ≤ n2.
 */

/** The parameters the layout depends on. */
export type SOAPLayoutParams = Pick<SOAPParams, 'species' | 'nMax' | 'lMax' | 'compression'>;

/**
 * One feature: species of the two densities and the (l, n, n2) indices. The labels follow
 * DScribe's reference tables: `z2 = 'sum_all'` (mu1nu1) is the density summed over all species,
 * `z1 = z2 = 'all'` (mu2) the single species-agnostic density.
 */
export interface SOAPFeature {
  readonly z1: number | 'all';
  readonly z2: number | 'all' | 'sum_all';
  readonly l: number;
  readonly n: number;
  readonly n2: number;
}

/** Features of a same-species (symmetric) block: n ≤ n2 for each l. */
function symmetricBlockSize(p: SOAPLayoutParams): number {
  return ((p.nMax * (p.nMax + 1)) / 2) * (p.lMax + 1);
}

/** Features of a block with every (n, n2) pair for each l. */
function fullBlockSize(p: SOAPLayoutParams): number {
  return p.nMax * p.nMax * (p.lMax + 1);
}

/** Length of one centre's SOAP vector for the compression mode in `p`. */
export function soapNumFeatures(p: SOAPLayoutParams): number {
  const s = p.species.length;
  switch (p.compression) {
    case 'off': {
      // S same-species blocks + S(S−1)/2 mixed ones = (S·nMax)(S·nMax+1)/2 · (lMax+1).
      const sn = s * p.nMax;
      return ((sn * (sn + 1)) / 2) * (p.lMax + 1);
    }
    case 'crossover':
      return s * symmetricBlockSize(p);
    case 'mu1nu1':
      return s * fullBlockSize(p);
    case 'mu2':
      return symmetricBlockSize(p);
  }
}

/**
 * Start and end (exclusive) of the block of a pair of species, like DScribe's `get_location`:
 * the order of the pair does not matter; 'crossover' and 'mu1nu1' have no block for a mixed pair
 * (an error); 'mu2' returns the whole vector for any pair.
 */
export function soapLocation(p: SOAPLayoutParams, species: ReadonlyArray<string | number>): [number, number] {
  if (!Array.isArray(species) || species.length !== 2) {
    throw new AtomenvError('INVALID_PARAMETER', "getLocation takes a pair of species, e.g. ['H', 'O']");
  }
  const [i, j] = (species as ReadonlyArray<string | number>)
    .map((s) => {
      const z = toAtomicNumber(s);
      const index = p.species.indexOf(z);
      if (index < 0) {
        throw new AtomenvError('INVALID_PARAMETER', `getLocation: ${elementSymbol(z)} is not among the descriptor's species`);
      }
      return index;
    })
    .sort((a, b) => a - b) as [number, number];
  const sym = symmetricBlockSize(p);
  const full = fullBlockSize(p);
  switch (p.compression) {
    case 'mu2':
      return [0, sym];
    case 'crossover':
    case 'mu1nu1': {
      if (i !== j) {
        const pair = `${elementSymbol(p.species[i]!)}, ${elementSymbol(p.species[j]!)}`;
        throw new AtomenvError(
          'INVALID_PARAMETER',
          `getLocation: compression mode '${p.compression}' has no cross-species block (${pair})`,
        );
      }
      const size = p.compression === 'crossover' ? sym : full;
      return [i * size, (i + 1) * size];
    }
    case 'off': {
      // Rows t1 < i each hold their same-species block and S−1−t1 mixed blocks.
      const s = p.species.length;
      let start = 0;
      for (let t1 = 0; t1 < i; t1++) start += sym + (s - 1 - t1) * full;
      // Then row i: (i, i) first, then (i, i+1), …, (i, j−1).
      if (j > i) start += sym + (j - i - 1) * full;
      return [start, start + (i === j ? sym : full)];
    }
  }
}

/** Appends the (l, n, n2) entries of one block; `symmetric` keeps n ≤ n2 only. */
function pushBlock(
  out: SOAPFeature[], p: SOAPLayoutParams, z1: SOAPFeature['z1'], z2: SOAPFeature['z2'], symmetric: boolean,
): void {
  for (let l = 0; l <= p.lMax; l++) {
    for (let n = 0; n < p.nMax; n++) {
      for (let n2 = symmetric ? n : 0; n2 < p.nMax; n2++) out.push({ z1, z2, l, n, n2 });
    }
  }
}

/** What every feature index holds, in DScribe's order for the compression mode in `p`. */
export function soapFeatureTable(p: SOAPLayoutParams): SOAPFeature[] {
  const out: SOAPFeature[] = [];
  const s = p.species;
  switch (p.compression) {
    case 'off':
      for (let t1 = 0; t1 < s.length; t1++) {
        for (let t2 = t1; t2 < s.length; t2++) pushBlock(out, p, s[t1]!, s[t2]!, t1 === t2);
      }
      break;
    case 'crossover':
      for (const z of s) pushBlock(out, p, z, z, true);
      break;
    case 'mu1nu1':
      for (const z of s) pushBlock(out, p, z, 'sum_all', false);
      break;
    case 'mu2':
      pushBlock(out, p, 'all', 'all', true);
      break;
  }
  return out;
}
