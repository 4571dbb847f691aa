// Shared by the float64 and float32 power-spectrum kernel tests: the kernels' cases, block lists,
// random coefficients and the spectrum by its definition.
import { signedRng } from './geometry.js';

/** One kernel call: basis, densities, blocks (d1, d2, symmetric) and empty flags per density. */
export interface SpectrumCase {
  nMax: number;
  lMax: number;
  densities: number;
  /** (d1, d2, symmetric) per block. */
  blocks: number[];
  empty: number[];
}

/** Every (t1 ≤ t2) block of s species ('off' compression). */
export function offBlocks(s: number): number[] {
  const blocks: number[] = [];
  for (let t1 = 0; t1 < s; t1++) for (let t2 = t1; t2 < s; t2++) blocks.push(t1, t2, t1 === t2 ? 1 : 0);
  return blocks;
}

/** Random coefficients c^d_{n l m} at [d][l² + m][n] (rows of nMaxP), spread over six decades. */
export function randomCoefficients(c: SpectrumCase, nMaxP: number, seed: number): number[] {
  const next = signedRng(seed);
  return Array.from({ length: c.densities * (c.lMax + 1) ** 2 * nMaxP }, () => next() * 10 ** Math.round(3 * next()));
}

/**
 * The power spectrum by its definition, in float64, in the kernels' feature order:
 *   p^{d1 d2}_{n n' l} = π √(8/(2l+1)) Σ_m c^{d1}_{nlm} c^{d2}_{n'lm}   (0 when a density is empty)
 * with each value's rounding scale π√(8/(2l+1)) Σ_m |c c'| (0 for an empty density's) and its l.
 */
export function definitionSpectrum(
  c: SpectrumCase, coef: ArrayLike<number>, nMaxP: number,
): { expected: number[]; scale: number[]; l: number[] } {
  const nLM = (c.lMax + 1) ** 2;
  const at = (d: number, lm: number, n: number): number => coef[(d * nLM + lm) * nMaxP + n]!;
  const expected: number[] = [];
  const scale: number[] = [];
  const ls: number[] = [];
  for (let b = 0; b < c.blocks.length; b += 3) {
    const [d1, d2, symmetric] = [c.blocks[b]!, c.blocks[b + 1]!, c.blocks[b + 2]!];
    const zero = c.empty[d1] === 1 || c.empty[d2] === 1;
    for (let l = 0; l <= c.lMax; l++) {
      const prefactor = Math.PI * Math.sqrt(8 / (2 * l + 1));
      for (let n = 0; n < c.nMax; n++) {
        for (let n2 = symmetric ? n : 0; n2 < c.nMax; n2++) {
          let sum = 0;
          let abs = 0;
          for (let m = 0; m <= 2 * l; m++) {
            const x = at(d1, l * l + m, n) * at(d2, l * l + m, n2);
            sum += x;
            abs += Math.abs(x);
          }
          expected.push(zero ? 0 : prefactor * sum);
          scale.push(zero ? 0 : prefactor * abs);
          ls.push(l);
        }
      }
    }
  }
  return { expected, scale, l: ls };
}
