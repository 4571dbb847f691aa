import { describe, expect, it } from 'vitest';
import { scaledSphericalBesselI, scaledSphericalBesselIDerivative } from '../../src/soap/radialIntegrals/besselI.js';
import { expectAtomenvError } from '../helpers/errors.js';

// Reference: e^{−x} i_l(x) from the power series
//   i_l(x) = x^l/(2l+1)!! Σ_k (x²/2)^k / (k! (2l+3)(2l+5)···(2l+2k+1))
// and e^x = Σ x^k/k!, summed in BigInt fixed point with 10^420 as one (x = p/q rational),
// so the reference is good to far below float64 resolution.
const DIGITS = 420;
const ONE = 10n ** BigInt(DIGITS);

function referenceScaledI(l: number, p: bigint, q: bigint): number {
  let dfact = 1n; // (2l+1)!!
  for (let j = 3n; j <= BigInt(2 * l + 1); j += 2n) dfact *= j;
  let term = (ONE * p ** BigInt(l)) / (q ** BigInt(l) * dfact);
  let sum = 0n;
  for (let k = 1n; term > 0n; k++) {
    sum += term;
    term = (term * p * p) / (q * q * 2n * k * (2n * BigInt(l) + 2n * k + 1n)); // × (x²/2)/(k(2l+2k+1))
  }
  let expTerm = ONE;
  let exp = 0n; // e^x · ONE
  for (let k = 1n; expTerm > 0n; k++) {
    exp += expTerm;
    expTerm = (expTerm * p) / (q * k);
  }
  const scaled = (sum * ONE) / exp; // e^{−x} i_l(x) · ONE
  return Number.parseFloat(`${scaled}e-${DIGITS}`);
}

const L_MAX = 25;
// x = p/q: tiny, small, around l, large.
const ARGUMENTS: Array<[bigint, bigint]> = [
  [1n, 1n << 30n], [1n, 1024n], [1n, 8n], [1n, 2n], [1n, 1n], [3n, 2n], [5n, 1n], [17n, 2n],
  [12n, 1n], [20n, 1n], [25n, 1n], [40n, 1n], [100n, 1n], [250n, 1n],
];

describe('scaledSphericalBesselI', () => {
  it('matches the 420-digit fixed-point power series for l = 0..25, x from 1e-9 to 250 (≤ 5e-15 relative)', () => {
    const out = new Float64Array(L_MAX + 1);
    let worst = 0;
    for (const [p, q] of ARGUMENTS) {
      const x = Number(p) / Number(q); // exact: q is a power of 2 or 1
      scaledSphericalBesselI(L_MAX, x, out);
      for (let l = 0; l <= L_MAX; l++) {
        const reference = referenceScaledI(l, p, q);
        if (reference < 1e-290) continue; // below the normal range: only absolute accuracy
        const relative = Math.abs(out[l]! - reference) / reference;
        worst = Math.max(worst, relative);
        expect(relative, `l=${l} x=${x}`).toBeLessThan(5e-15);
      }
    }
    expect(worst).toBeGreaterThan(0); // the comparison really ran
    console.info(`scaled i_l vs series: worst relative error ${worst.toExponential(2)}`);
  });

  it('matches the closed forms for l = 0, 1, 2', () => {
    const out = new Float64Array(3);
    for (const x of [0.5, 1, 2, 3.7, 7, 15, 30]) {
      scaledSphericalBesselI(2, x, out);
      const e = Math.exp(-x);
      const sinh = Math.sinh(x);
      const cosh = Math.cosh(x);
      expect(Math.abs(out[0]! - (e * sinh) / x) / out[0]!).toBeLessThan(2e-15); // i_0 = sinh x / x
      if (x >= 2) {
        // i_1 = (x cosh x − sinh x)/x²,  i_2 = ((x² + 3) sinh x − 3x cosh x)/x³ (cancel at small x).
        expect(Math.abs(out[1]! - (e * (x * cosh - sinh)) / (x * x)) / out[1]!).toBeLessThan(2e-14);
        expect(Math.abs(out[2]! - (e * ((x * x + 3) * sinh - 3 * x * cosh)) / x ** 3) / out[2]!).toBeLessThan(5e-14);
      }
    }
  });

  it('gives i_0 = 1, i_l = 0 at x = 0, and the leading term x^l/(2l+1)!! at tiny x', () => {
    const out = new Float64Array(6).fill(NaN);
    scaledSphericalBesselI(5, 0, out);
    expect(Array.from(out)).toEqual([1, 0, 0, 0, 0, 0]);
    const x = 1e-20;
    scaledSphericalBesselI(5, x, out);
    let dfact = 1;
    for (let l = 0; l <= 5; l++) {
      if (l > 0) dfact *= 2 * l + 1;
      expect(out[l]! / (x ** l / dfact)).toBeCloseTo(1, 14);
    }
  });

  it('stays finite for very large x (≈ 1/(2x))', () => {
    const out = new Float64Array(4);
    scaledSphericalBesselI(3, 5000, out);
    for (let l = 0; l <= 3; l++) {
      expect(Number.isFinite(out[l]!)).toBe(true);
      expect(out[l]! * 2 * 5000).toBeCloseTo(1 - (l * (l + 1)) / (2 * 5000), 5); // i_l ≈ e^x/(2x) (1 − l(l+1)/(2x))
    }
  });

  it('derivative recurrence e^{−x} i_l′ agrees with finite differences of i_l', () => {
    const lMax = 8;
    const values = new Float64Array(lMax + 2);
    const derivative = new Float64Array(lMax + 1);
    const plus = new Float64Array(lMax + 1);
    const minus = new Float64Array(lMax + 1);
    for (const x of [0, 0.3, 2, 9, 40]) {
      scaledSphericalBesselI(lMax + 1, x, values);
      scaledSphericalBesselIDerivative(lMax, values, derivative);
      const h = 1e-5;
      scaledSphericalBesselI(lMax, x + h, plus);
      if (x > 0) scaledSphericalBesselI(lMax, x - h, minus);
      for (let l = 0; l <= lMax; l++) {
        // d/dx i_l = e^{x}(ĩ_l' + ĩ_l) with ĩ = e^{−x} i_l; compare e^{−x} i_l' = ĩ_l' + ĩ_l.
        const fd =
          x > 0
            ? (Math.exp(h) * plus[l]! - Math.exp(-h) * minus[l]!) / (2 * h)
            : (Math.exp(h) * plus[l]! - values[l]!) / h;
        // Central difference: O(h²) relative; one-sided at x = 0: O(h) absolute.
        const tolerance = x > 0 ? 1e-9 * Math.max(1e-3, Math.abs(derivative[l]!)) : 2e-5;
        expect(Math.abs(derivative[l]! - fd), `l=${l} x=${x}`).toBeLessThan(tolerance);
      }
    }
  });

  it('rejects negative or non-finite x', () => {
    const out = new Float64Array(3);
    expectAtomenvError(() => scaledSphericalBesselI(2, -1, out), 'INVALID_PARAMETER');
    expectAtomenvError(() => scaledSphericalBesselI(2, NaN, out), 'INVALID_PARAMETER');
    expectAtomenvError(() => scaledSphericalBesselI(2, Infinity, out), 'INVALID_PARAMETER');
  });
});
