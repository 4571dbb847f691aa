import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/index.js';
import { SymmetryFunctions } from '../../src/n2p2/symmetryFunctions.js';
import type { DenseDerivatives } from '../../src/gradients/atomGradients.js';
import { maxAbs, maxAbsDiff } from '../helpers/shared.js';

// Distances within 1e-4 r_c of the cutoff (found by a differential fuzzer on Cu2S: values and
// derivatives disagreed with finite differences). The f64x2 cutoff (radialFactor2x.ts) clamped
// x = r / r_c at 0.9999, freezing f_c and f_c' there; checked against the plain formulas of
// ../shared/specs/n2p2.md with POLY1, f_c = (2x − 3)x² + 1 = (1 − x)² (1 + 2x) (the largest
// there, ~3 (1 − x)²; factored here, so that the reference keeps its relative accuracy near x = 1,
// while the kernels' expanded form is good to ~1e-16 absolute: relative 1e-5 below).

beforeAll(async () => {
  await init();
});

const RC = 5;
const ETA2 = 0.05, ETA3 = 0.01, LAMBDA = -1, ZETA = 2;
const FUNCTIONS = [`H 2 O ${ETA2} 0.0 ${RC}`, `O 2 H ${ETA2} 0.0 ${RC}`, `H 3 O H ${ETA3} ${LAMBDA} ${ZETA} ${RC}`];

const fc = (r: number): number => (r >= RC ? 0 : (1 - r / RC) ** 2 * (1 + (2 * r) / RC));

/** G2 of H (atom 0) from O and G3 (O, H) of H, by the plain formulas. */
function plainH(p: number[][]): [number, number] {
  const d = (a: number, b: number): number[] => [0, 1, 2].map((x) => p[b]![x]! - p[a]![x]!);
  const rij = Math.hypot(...d(0, 1)), rik = Math.hypot(...d(0, 2)), rjk = Math.hypot(...d(1, 2));
  const g2 = Math.exp(-ETA2 * rij * rij) * fc(rij);
  const u = d(0, 1), v = d(0, 2);
  const cos = (u[0]! * v[0]! + u[1]! * v[1]! + u[2]! * v[2]!) / (rij * rik);
  const g3 = 2 ** (1 - ZETA) * (1 + LAMBDA * cos) ** ZETA * Math.exp(-ETA3 * (rij * rij + rik * rik + rjk * rjk)) * fc(rij) * fc(rik) * fc(rjk);
  return [g2, g3];
}

describe('n2p2 functions with neighbours in the last 1e-4 r_c before the cutoff', () => {
  const sf = new SymmetryFunctions({ elements: ['H', 'O'], functions: FUNCTIONS, cutoffType: 5 });
  // H at the origin, O at r_ij, H' at r_ik from H and r_jk from O: r_ij or r_jk in the shell.
  const shell = (d: number): number => RC * (1 - d);
  const cases = [[shell(3e-5), 2.6, 3.5], [shell(9e-5), 2.6, 3.1], [3.0, 2.6, shell(2e-5)], [3.2, 2.5, shell(7e-5)], [shell(5e-5), 2.6, shell(4e-5)]].map(([rij, rik, rjk]) => {
    const cx = (rij! * rij! + rik! * rik! - rjk! * rjk!) / (2 * rij!);
    const positions = [[0, 0, 0], [rij!, 0, 0], [cx, Math.sqrt(rik! * rik! - cx * cx), 0]];
    return { symbols: ['H', 'O', 'H'], positions };
  });
  const [colG2, colG3] = [0, 1].map((k) => sf.getLocation('H')[0] + k);

  test('values match the plain formulas', () => {
    for (const s of cases) {
      const v = sf.create(s).values;
      const [g2, g3] = plainH(s.positions);
      expect(g2).toBeGreaterThan(0);
      expect(g3).toBeGreaterThan(0);
      expect(Math.abs(v[colG2!]! - g2)).toBeLessThanOrEqual(1e-5 * g2);
      expect(Math.abs(v[colG3!]! - g3)).toBeLessThanOrEqual(1e-5 * g3);
    }
  });

  test('derivatives and backward match central differences of the plain formulas', () => {
    const n = 3, F = sf.numFeatures, h = 1e-6;
    for (const s of cases) {
      const dense = sf.derivatives(s, { attach: true }).derivatives as DenseDerivatives;
      const dL = new Float64Array(n * F);
      dL[colG2!] = 0.7;
      dL[colG3!] = -1.3;
      const back = sf.backward(s, dL).positions;
      const expected = new Float64Array(3 * n);
      const fd = new Float64Array(6 * n);
      for (let a = 0; a < n; a++) {
        for (let x = 0; x < 3; x++) {
          const moved = (t: number): number[][] => s.positions.map((p, i) => (i === a ? p.map((c, y) => (y === x ? c + t : c)) : p));
          // Fourth order: f_c ~ (1 − x)² varies on the scale of the shell's 1e-4 r_c.
          const [p2, p3] = plainH(moved(h)), [m2, m3] = plainH(moved(-h));
          const [pp2, pp3] = plainH(moved(2 * h)), [mm2, mm3] = plainH(moved(-2 * h));
          const fd2 = (8 * (p2 - m2) - (pp2 - mm2)) / (12 * h), fd3 = (8 * (p3 - m3) - (pp3 - mm3)) / (12 * h);
          fd[3 * a + x] = fd2;
          fd[3 * n + 3 * a + x] = fd3;
          expected[3 * a + x] = 0.7 * fd2 - 1.3 * fd3;
        }
      }
      // Each feature's derivatives against its largest.
      for (const [col, off] of [[colG2!, 0], [colG3!, 3 * n]] as const) {
        const got = Float64Array.from({ length: 3 * n }, (_, k) => dense.values[k * F + col]!);
        const want = fd.subarray(off, off + 3 * n);
        expect(maxAbs(want)).toBeGreaterThan(0);
        expect(maxAbsDiff(got, want)).toBeLessThanOrEqual(1e-6 * maxAbs(want));
      }
      expect(maxAbsDiff(back, expected)).toBeLessThanOrEqual(1e-7 * maxAbs(expected));
    }
  });
});
