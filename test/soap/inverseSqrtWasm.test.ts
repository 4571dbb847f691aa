import { beforeAll, describe, expect, it } from 'vitest';
import { init, type Runtime } from '../../src/wasm/loader.js';
import { gtoAlphas, gtoOverlapMatrix, gtoRadialBasis } from '../../src/soap/radial/gto.js';
import { polynomialOverlapMatrix, polynomialRadialBasis } from '../../src/soap/radial/polynomial.js';
import { inverseSqrtSymmetric } from '../../src/soap/radial/symmetricEigen.js';
import { wasmInverseSqrt } from '../../src/soap/radial/inverseSqrtWasm.js';
import { AtomenvError } from '../../src/errors.js';
import { signedRng } from '../helpers/geometry.js';

// The wasm Löwdin S^{-1/2} runs the same operations as the TypeScript one: the same doubles
// (compared bit for bit) and the same errors.

let rt: Runtime;
beforeAll(async () => {
  rt = await init();
});

/** n equally spaced values from a to b (DScribe's decay radii). */
const linspace = (a: number, b: number, n: number) => Array.from({ length: n }, (_, k) => (n === 1 ? a : a + ((b - a) * k) / (n - 1)));

/** A random symmetric positive-definite n × n matrix A Aᵀ + shift I from a seeded generator. */
function randomSpd(n: number, seed: number, shift: number): Float64Array {
  const next = signedRng(seed);
  const a = Array.from({ length: n * n }, next);
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = i === j ? shift : 0;
      for (let k = 0; k < n; k++) sum += a[i * n + k]! * a[j * n + k]!;
      s[i * n + j] = sum;
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) s[i * n + j] = s[j * n + i]!;
  return s;
}

/** The error message of fn, or null when it returns. */
function messageOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(AtomenvError);
    return (error as Error).message;
  }
}

describe('wasm Löwdin inverse square root', () => {
  it('equals the TypeScript S^{-1/2} bit for bit on GTO overlap matrices', () => {
    const wasm = wasmInverseSqrt(rt);
    let compared = 0;
    for (const rCut of [2, 3.5, 5, 6, 8]) {
      for (let nMax = 1; nMax <= 10; nMax++) {
        for (let l = 0; l <= 9; l++) {
          const s = gtoOverlapMatrix(gtoAlphas(linspace(1, rCut, nMax), l), l);
          const expected = messageOf(() => inverseSqrtSymmetric(s, nMax, 'S'));
          if (expected !== null) {
            expect(messageOf(() => wasm(s, nMax, 'S'))).toBe(expected);
            continue;
          }
          expect(Array.from(wasm(s, nMax, 'S'))).toEqual(Array.from(inverseSqrtSymmetric(s, nMax, 'S')));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(300);
  });

  it('equals it on polynomial overlaps and random SPD matrices (repeated eigenvalues included)', () => {
    const wasm = wasmInverseSqrt(rt);
    for (let nMax = 1; nMax <= 8; nMax++) {
      const s = polynomialOverlapMatrix(4, nMax);
      expect(Array.from(wasm(s, nMax))).toEqual(Array.from(inverseSqrtSymmetric(s, nMax)));
    }
    for (let n = 1; n <= 12; n++) {
      for (const shift of [1e-3, 1, 10]) {
        const s = randomSpd(n, 17 * n + shift, shift);
        expect(Array.from(wasm(s, n))).toEqual(Array.from(inverseSqrtSymmetric(s, n)));
      }
    }
    // Identity and a diagonal with repeated entries: ties in the eigenvalue order.
    const d = Float64Array.from([2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1]);
    expect(Array.from(wasm(d, 4))).toEqual(Array.from(inverseSqrtSymmetric(d, 4)));
  });

  it('refuses what the TypeScript version refuses, with the same message', () => {
    const wasm = wasmInverseSqrt(rt);
    const cases: [number[], number][] = [
      [[1, 2, 2, 1], 2], // indefinite
      [[1, 1, 1, 1], 2], // singular
      [[0, 0, 0, 1], 2], // zero diagonal
      [[-1, 0, 0, 1], 2], // negative diagonal
      [[1, 2, 3, 1], 2], // not symmetric
      [[1, Number.NaN, Number.NaN, 1], 2], // not finite
      [[1, 2, 3], 2], // wrong length
    ];
    for (const [m, n] of cases) {
      const expected = messageOf(() => inverseSqrtSymmetric(m, n, 'S of the case'));
      expect(expected).not.toBeNull();
      expect(messageOf(() => wasm(m, n, 'S of the case'))).toBe(expected);
    }
  });

  it('gives the bases the same β through the inverseSqrt option', () => {
    const wasm = wasmInverseSqrt(rt);
    expect(Array.from(gtoRadialBasis(5, 8, 6, wasm).beta)).toEqual(Array.from(gtoRadialBasis(5, 8, 6).beta));
    expect(Array.from(polynomialRadialBasis(5, 6, wasm).beta)).toEqual(Array.from(polynomialRadialBasis(5, 6).beta));
    // Too many primitives for this r_cut: the same error either way.
    expect(messageOf(() => gtoRadialBasis(1.5, 12, 4, wasm))).toBe(messageOf(() => gtoRadialBasis(1.5, 12, 4)));
  });
});
