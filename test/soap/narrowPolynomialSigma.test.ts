import { beforeAll, describe, expect, test } from 'vitest';
import { init, SOAP } from '../../src/index.js';
import { scaledSphericalBesselI } from '../../src/soap/radialIntegrals/besselI.js';

beforeAll(async () => {
  await init();
});

describe('narrow Gaussians with the polynomial basis do not stall the constructor', () => {
  test('ĩ_l at large x (the recurrence no longer starts ~x orders up) matches the asymptotic series', () => {
    // e^{−x} i_l(x) = (1/2x) Σ_k (−1)^k a_k(l) / x^k (+ e^{−2x} terms), a_0 = 1, a_1 = l(l+1)/2,
    // a_2 = (l−1)l(l+1)(l+2)/8, a_3 = a_2 (l−2)(l+3)/6: Hankel's series of i_l = √(π/2x) I_{l+½}.
    const out = new Float64Array(7);
    for (const x of [1e5, 3e5, 1e6]) {
      scaledSphericalBesselI(6, x, out);
      for (let l = 0; l <= 6; l++) {
        const a1 = (l * (l + 1)) / 2, a2 = ((l - 1) * l * (l + 1) * (l + 2)) / 8, a3 = (a2 * (l - 2) * (l + 3)) / 6;
        const series = (1 - a1 / x + a2 / x ** 2 - a3 / x ** 3) / (2 * x);
        expect(Math.abs(out[l]! - series) / series).toBeLessThan(1e-13);
      }
    }
  });

  test("rbf 'polynomial' with σ = 0.01 Å builds in seconds (took ~3 min) and gives finite values", { timeout: 30000 }, () => {
    const soap = new SOAP({ species: ['H', 'O'], rCut: 4, nMax: 3, lMax: 2, rbf: 'polynomial', sigma: 0.01 });
    const { values } = soap.create({ symbols: ['O', 'H', 'H'], positions: [[0, 0, 0.12], [0, 0.76, -0.47], [0, -0.76, -0.47]] });
    expect(values.every(Number.isFinite)).toBe(true);
  });
});
