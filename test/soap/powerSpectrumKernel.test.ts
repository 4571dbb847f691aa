import { beforeAll, describe, expect, it } from 'vitest';
import { init, type Runtime } from '../../src/wasm/loader.js';
import { definitionSpectrum, offBlocks, randomCoefficients, runSpectrumKernel, worstOver, type SpectrumCase as Case } from '../helpers/powerSpectrumCases.js';

// The wasm power-spectrum kernel (assembly/soap/powerSpectrum.ts) on random coefficients against
// the definition written out in plain JavaScript:
//   p^{d1 d2}_{n n' l} = π √(8/(2l+1)) Σ_m c^{d1}_{nlm} c^{d2}_{n'lm}   (0 when a density is empty)
// for every block kind, odd and even n_max (padded channels, which must be ignored), several
// register blocks of columns, empty densities, and nothing written outside the feature row.

let rt: Runtime;
beforeAll(async () => {
  rt = await init();
});

/**
 * The kernel's output (with one guard value each side) and the definition's, with each value's
 * rounding scale π√(8/(2l+1)) Σ_m |c c'|.
 */
function spectra(c: Case, seed: number): { kernel: Float64Array; expected: number[]; scale: number[]; count: number } {
  const nMaxP = c.nMax + (c.nMax & 1);
  const coef = randomCoefficients(c, nMaxP, seed);
  const { expected, scale } = definitionSpectrum(c, coef, nMaxP);
  return { ...runSpectrumKernel(rt, c, nMaxP, Float64Array.from(coef), expected.length), expected, scale };
}

/** Largest |kernel − definition| in units of each value's rounding scale; checks the guards. */
function worstError(r: ReturnType<typeof spectra>): number {
  return worstOver(r, r.expected, (k, d) => (r.scale[k] === 0 ? d : d / r.scale[k]!));
}

describe('SOAP power-spectrum kernel against its definition', () => {
  it('n_max 1..11, l_max 0..7, 1, 2 and 4 species', () => {
    let checked = 0;
    for (let nMax = 1; nMax <= 11; nMax++) {
      for (const lMax of [0, 1, 3, 6, 7]) {
        for (const s of [1, 2, 4]) {
          const c: Case = { nMax, lMax, densities: s, blocks: offBlocks(s), empty: Array(s).fill(0) };
          expect(worstError(spectra(c, 1000 * nMax + 10 * lMax + s))).toBeLessThan(1e-14);
          checked++;
        }
      }
    }
    expect(checked).toBe(11 * 5 * 3);
  });

  it('empty densities give zeros, and mu1nu1-style blocks (each species with a summed density) are not symmetric', () => {
    for (const nMax of [3, 8, 9]) {
      const s = 4;
      const mu1nu1 = { nMax, lMax: 6, densities: s + 1, blocks: [0, 4, 0, 1, 4, 0, 2, 4, 0, 3, 4, 0], empty: [0, 1, 0, 1, 0] };
      expect(worstError(spectra(mu1nu1, 7 + nMax))).toBeLessThan(1e-14);
      const off = { nMax, lMax: 6, densities: s, blocks: offBlocks(s), empty: [0, 0, 1, 0] };
      const r = spectra(off, 11 + nMax);
      expect(worstError(r)).toBeLessThan(1e-14);
      expect(r.expected.some((v, k) => v === 0 && r.kernel[k + 1] === 0)).toBe(true);
    }
  });
});
