import { beforeAll, describe, expect, it } from 'vitest';
import { init, type Runtime } from '../../src/wasm/loader.js';
import { definitionSpectrum, offBlocks, randomCoefficients, runSpectrumKernel, worstOver, type SpectrumCase as Case } from '../helpers/powerSpectrumCases.js';

// The float32 power-spectrum kernel (assembly/soap/powerSpectrumF32.ts) on random f32
// coefficients against the definition evaluated in float64 from the same coefficients:
//   p^{d1 d2}_{n n' l} = π √(8/(2l+1)) Σ_m c^{d1}_{nlm} c^{d2}_{n'lm}   (0 when a density is empty)
// The kernel sums the 2l+1 products in f32 and scales by the prefactor rounded to f32, so each
// value may differ from the definition by at most (2l+3)·u·π√(8/(2l+1)) Σ_m |c c'| (u = 2⁻²⁴:
// 2l+1 roundings in the sum, the prefactor's rounding and the final product's). Every block
// kind, n_max 1..13 (padded channels, filled with noise that must be ignored, several column
// groups, rows past n_max in the last row group), empty densities, nothing written outside.

let rt: Runtime;
beforeAll(async () => {
  rt = await init();
});

const U = 2 ** -24;

/** The kernel's output (one guard value each side), the definition's, and each value's allowed error. */
function spectra(c: Case, seed: number): { kernel: Float32Array; expected: number[]; bound: number[]; count: number } {
  const nMaxP = Math.ceil(c.nMax / 4) * 4;
  const coef = Float32Array.from(randomCoefficients(c, nMaxP, seed));
  const { expected, scale, l } = definitionSpectrum(c, coef, nMaxP);
  const bound = scale.map((x, k) => (2 * l[k]! + 3) * U * x);
  return { ...runSpectrumKernel(rt, c, nMaxP, coef, expected.length), expected, bound };
}

/** Largest |kernel − definition| / allowed error (≤ 1 passes; exact zeros where the bound is 0); checks the guards. */
function worstRatio(r: ReturnType<typeof spectra>): number {
  return worstOver(r, r.expected, (k, d) => (r.bound[k] === 0 ? (d === 0 ? 0 : Infinity) : d / r.bound[k]!));
}

describe('float32 SOAP power-spectrum kernel against its definition', () => {
  it('n_max 1..13, l_max 0..7, 1, 2 and 4 species', () => {
    let checked = 0;
    for (let nMax = 1; nMax <= 13; nMax++) {
      for (const lMax of [0, 1, 3, 6, 7]) {
        for (const s of [1, 2, 4]) {
          const c: Case = { nMax, lMax, densities: s, blocks: offBlocks(s), empty: Array(s).fill(0) };
          expect(worstRatio(spectra(c, 1000 * nMax + 10 * lMax + s))).toBeLessThanOrEqual(1);
          checked++;
        }
      }
    }
    expect(checked).toBe(13 * 5 * 3);
  });

  it('empty densities give zeros, and mu1nu1-style blocks (each species with a summed density) are not symmetric', () => {
    for (const nMax of [3, 8, 9]) {
      const s = 4;
      const mu1nu1 = { nMax, lMax: 6, densities: s + 1, blocks: [0, 4, 0, 1, 4, 0, 2, 4, 0, 3, 4, 0], empty: [0, 1, 0, 1, 0] };
      expect(worstRatio(spectra(mu1nu1, 7 + nMax))).toBeLessThanOrEqual(1);
      const off = { nMax, lMax: 6, densities: s, blocks: offBlocks(s), empty: [0, 0, 1, 0] };
      const r = spectra(off, 11 + nMax);
      expect(worstRatio(r)).toBeLessThanOrEqual(1);
      expect(r.expected.some((v, k) => v === 0 && r.kernel[k + 1] === 0)).toBe(true);
    }
  });
});
