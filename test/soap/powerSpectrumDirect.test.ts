import { beforeAll, describe, expect, it } from 'vitest';
import { init, type Runtime } from '../../src/wasm/loader.js';

// The direct power-spectrum kernel (assembly/soap/powerSpectrumDirect.ts) against the Gram one
// (assembly/soap/powerSpectrum.ts): the same sums in the same order, so the same doubles, for
// every block kind, odd and even n_max (padded channels), and empty densities.

let rt: Runtime;
beforeAll(async () => {
  rt = await init();
});

/** A seeded generator of numbers in (−1, 1). */
function generator(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
}

interface Case {
  nMax: number;
  lMax: number;
  densities: number;
  /** (d1, d2, symmetric) per block. */
  blocks: number[];
  empty: number[];
}

/** Both kernels' outputs for random coefficients (padding channels random too: they must be ignored). */
function bothSpectra(c: Case, seed: number): { gram: Float64Array; direct: Float64Array; count: [number, number] } {
  const { arena, kernels } = rt;
  const nMaxP = c.nMax + (c.nMax & 1);
  const nLM = (c.lMax + 1) ** 2;
  const coefLength = c.densities * nLM * nMaxP;
  let nFeatures = 0;
  for (let b = 0; b < c.blocks.length; b += 3) nFeatures += (c.lMax + 1) * (c.blocks[b + 2] ? (c.nMax * (c.nMax + 1)) / 2 : c.nMax * c.nMax);
  const mark = arena.mark();
  try {
    const pCoef = arena.allocF64(coefLength);
    const pBlocks = arena.allocI32(c.blocks.length);
    const pEmpty = arena.allocI32(c.densities);
    const pGram = arena.allocF64(nMaxP * nMaxP * 2);
    // One spare feature each side, to see that nothing is written outside the row.
    const pOutA = arena.allocF64(nFeatures + 2);
    const pOutB = arena.allocF64(nFeatures + 2);
    const next = generator(seed);
    const coef = arena.f64(pCoef, coefLength);
    for (let k = 0; k < coefLength; k++) coef[k] = next() * 10 ** Math.round(3 * next());
    arena.i32(pBlocks, c.blocks.length).set(c.blocks);
    arena.i32(pEmpty, c.densities).set(c.empty);
    arena.f64(pOutA, nFeatures + 2).fill(12345);
    arena.f64(pOutB, nFeatures + 2).fill(12345);
    const nBlocks = c.blocks.length / 3;
    const countA = kernels.soapPowerSpectrum(c.nMax, nMaxP, c.lMax, nBlocks, pBlocks, pEmpty, pCoef, pGram, pOutA + 8);
    const countB = kernels.soapPowerSpectrumDirect(c.nMax, nMaxP, c.lMax, nBlocks, pBlocks, pEmpty, pCoef, pOutB + 8);
    const gram = arena.f64(pOutA, nFeatures + 2).slice();
    const direct = arena.f64(pOutB, nFeatures + 2).slice();
    return { gram, direct, count: [countA, countB] };
  } finally {
    arena.release(mark);
  }
}

/** Every (t1 ≤ t2) block of s species ('off' compression). */
function offBlocks(s: number): number[] {
  const blocks: number[] = [];
  for (let t1 = 0; t1 < s; t1++) for (let t2 = t1; t2 < s; t2++) blocks.push(t1, t2, t1 === t2 ? 1 : 0);
  return blocks;
}

describe('direct power-spectrum kernel', () => {
  it('gives the Gram kernel’s doubles for n_max 1..11, l_max 0..7, 1..4 species', () => {
    let checked = 0;
    for (let nMax = 1; nMax <= 11; nMax++) {
      for (const lMax of [0, 1, 3, 6, 7]) {
        for (const s of [1, 2, 4]) {
          const c: Case = { nMax, lMax, densities: s, blocks: offBlocks(s), empty: Array(s).fill(0) };
          const { gram, direct, count } = bothSpectra(c, 1000 * nMax + 10 * lMax + s);
          expect(count[1]).toBe(count[0]);
          expect(Array.from(direct)).toEqual(Array.from(gram));
          expect(direct[0]).toBe(12345);
          expect(direct[direct.length - 1]).toBe(12345);
          checked++;
        }
      }
    }
    expect(checked).toBe(11 * 5 * 3);
  });

  it('gives the same with empty densities and non-symmetric blocks of mu1nu1 (a summed density)', () => {
    for (const nMax of [3, 8, 9]) {
      const s = 4;
      // mu1nu1: each species with the summed density (index s), never symmetric.
      const mu1nu1 = { nMax, lMax: 6, densities: s + 1, blocks: [0, 4, 0, 1, 4, 0, 2, 4, 0, 3, 4, 0], empty: [0, 1, 0, 1, 0] };
      const a = bothSpectra(mu1nu1, 7 + nMax);
      expect(Array.from(a.direct)).toEqual(Array.from(a.gram));
      const off = { nMax, lMax: 6, densities: s, blocks: offBlocks(s), empty: [0, 0, 1, 0] };
      const b = bothSpectra(off, 11 + nMax);
      expect(Array.from(b.direct)).toEqual(Array.from(b.gram));
      // The blocks with the empty density are zeros.
      expect(b.direct.some((x, k) => k > 0 && k < b.direct.length - 1 && x === 0)).toBe(true);
    }
  });
});
