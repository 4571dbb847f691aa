// Shared by the float64 and float32 power-spectrum kernel tests: the kernels' cases, block lists,
// random coefficients and the spectrum by its definition.
import { expect } from 'vitest';
import type { Runtime } from '../../src/wasm/loader.js';
import { signedRng } from './geometry.js';

/** Value written either side of a kernel's output row: it must still be there afterwards. */
const GUARD = 12345;

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

/**
 * Runs the float64 (`coef` a Float64Array) or float32 power-spectrum kernel on `coef` in wasm
 * memory, its output of `length` values between two guards: the output (guards included, in the
 * coefficients' type) and the count the kernel returned.
 */
export function runSpectrumKernel<T extends Float64Array | Float32Array>(
  rt: Runtime, c: SpectrumCase, nMaxP: number, coef: T, length: number,
): { kernel: T; count: number } {
  const { arena, kernels } = rt;
  const f32 = coef instanceof Float32Array;
  const width = coef.BYTES_PER_ELEMENT;
  const view = (p: number, n: number): T => (f32 ? arena.f32(p, n) : arena.f64(p, n)) as T;
  const mark = arena.mark();
  try {
    const pCoef = arena.alloc(width * coef.length);
    const pBlocks = arena.allocI32(c.blocks.length);
    const pEmpty = arena.allocI32(c.densities);
    const pOut = arena.alloc(width * (length + 2));
    view(pCoef, coef.length).set(coef);
    arena.i32(pBlocks, c.blocks.length).set(c.blocks);
    arena.i32(pEmpty, c.densities).set(c.empty);
    view(pOut, length + 2).fill(GUARD);
    const kernel = f32 ? kernels.soapPowerSpectrumF32 : kernels.soapPowerSpectrum;
    const count = kernel(c.nMax, nMaxP, c.lMax, c.blocks.length / 3, pBlocks, pEmpty, pCoef, pOut + width);
    return { kernel: view(pOut, length + 2).slice() as T, count };
  } finally {
    arena.release(mark);
  }
}

/**
 * Checks the count and the guards of a {@link runSpectrumKernel} result and returns the largest
 * |kernel − expected| over `allowed(k, difference)`.
 */
export function worstOver(
  r: { kernel: ArrayLike<number>; count: number }, expected: readonly number[], allowed: (k: number, d: number) => number,
): number {
  expect(r.count).toBe(expected.length);
  expect(r.kernel[0]).toBe(GUARD);
  expect(r.kernel[r.kernel.length - 1]).toBe(GUARD);
  let worst = 0;
  expected.forEach((v, k) => {
    worst = Math.max(worst, allowed(k, Math.abs(r.kernel[k + 1]! - v)));
  });
  return worst;
}
