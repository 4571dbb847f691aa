import { expect } from 'vitest';
import type { RadialIntegralEvaluator } from '../../src/soap/radialIntegrals/types.js';

/**
 * Checks dI/dr and d²I/dr² of every channel against 4th-order central differences of I and
 * dI/dr, (f(−2h) − 8f(−h) + 8f(h) − f(2h)) / (12h), at the given radii, to 1e-8 of each channel's
 * largest derivative over those radii.
 */
export function expectDerivativesMatchFiniteDifferences(integrals: RadialIntegralEvaluator, channels: number, radii: number[], h = 1e-3): void {
  const value = new Float64Array(channels);
  const d1 = new Float64Array(channels);
  const d2 = new Float64Array(channels);
  const f = [0, 1, 2, 3].map(() => new Float64Array(channels));
  const g = [0, 1, 2, 3].map(() => new Float64Array(channels));
  const rows: Array<{ d1: Float64Array; d2: Float64Array; fd1: Float64Array; fd2: Float64Array }> = [];
  for (const r of radii) {
    integrals.evaluate(r, value, d1, d2);
    [-2, -1, 1, 2].forEach((s, k) => integrals.evaluate(r + s * h, f[k]!, g[k]!));
    const fd1 = new Float64Array(channels);
    const fd2 = new Float64Array(channels);
    for (let c = 0; c < channels; c++) {
      fd1[c] = (f[0]![c]! - 8 * f[1]![c]! + 8 * f[2]![c]! - f[3]![c]!) / (12 * h);
      fd2[c] = (g[0]![c]! - 8 * g[1]![c]! + 8 * g[2]![c]! - g[3]![c]!) / (12 * h);
    }
    rows.push({ d1: Float64Array.from(d1), d2: Float64Array.from(d2), fd1, fd2 });
  }
  for (let c = 0; c < channels; c++) {
    const s1 = Math.max(...rows.map((row) => Math.abs(row.d1[c]!)));
    const s2 = Math.max(...rows.map((row) => Math.abs(row.d2[c]!)));
    for (const row of rows) {
      expect(Math.abs(row.d1[c]! - row.fd1[c]!)).toBeLessThan(1e-8 * s1);
      expect(Math.abs(row.d2[c]! - row.fd2[c]!)).toBeLessThan(1e-8 * s2);
    }
  }
}
