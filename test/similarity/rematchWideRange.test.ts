import { beforeAll, describe, expect, test } from 'vitest';
import { init, rematchKernel } from '../../src/index.js';
import { features, plainLocal, plainRematch, type Rows } from './plainKernels.js';

// Found by fuzzing the kernels' options: with the linear or polynomial metric on unnormalised
// features, C can span a few hundred α. The kernel shifts E = exp((C − max C)/α), so u and v then
// span e^(±spread/α): finite, but their squares in the convergence test ε = |Δu|²/|u|² + |Δv|²/|v|²
// overflowed from spread/α ≈ 354 on, and REMatch threw NOT_CONVERGED ("underflows") where nothing
// underflowed and DScribe's unshifted iteration returns a value.

beforeAll(async () => {
  await init();
});

describe('REMatch with local similarities spanning hundreds of α', () => {
  const cases: { name: string; a: Rows; b: Rows; alpha: number }[] = [
    // C = [[400, 0], [0, 1]]: spread/α = 400.
    { name: 'self, spread/α = 400', a: [[20, 0], [0, 1]], b: [[20, 0], [0, 1]], alpha: 1 },
    // C from the fuzzer's case (3 × 3, largest 2290, α = 5: spread/α ≈ 458).
    { name: 'self, 3 environments, spread/α ≈ 458', a: [[27, 3, 4], [1, 47.8, 6], [0.5, 1.8, 2]], b: [[27, 3, 4], [1, 47.8, 6], [0.5, 1.8, 2]], alpha: 5 },
    { name: 'different structures, spread/α ≈ 600', a: [[24, 1], [0.5, 1]], b: [[25, 0], [1, 0.2], [0, 2]], alpha: 1 },
  ];
  for (const c of cases) {
    test(`${c.name}: as DScribe's Sinkhorn (unshifted exp(−(1 − C)/α)), 1e-12`, () => {
      const local = plainLocal(c.a, c.b, { metric: 'linear' });
      const spread = Math.max(...local.flat()) - Math.min(...local.flat());
      expect(spread / c.alpha).toBeGreaterThan(354);
      expect(spread / c.alpha).toBeLessThan(700);
      const want = plainRematch(local, c.alpha, 1e-6, true);
      expect(Number.isFinite(want)).toBe(true);
      const got = rematchKernel([features(c.a)], [features(c.b)], { metric: 'linear', alpha: c.alpha, normalizeKernel: false }).values[0]!;
      expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * Math.abs(want));
    });
  }

  test('normalised: K(A, A) = 1', () => {
    const a = features(cases[0]!.a);
    const k = rematchKernel([a, features(cases[2]!.b)], null, { metric: 'linear', alpha: 1 });
    expect(k.values[0]).toBeCloseTo(1, 14);
    expect(k.values[3]).toBeCloseTo(1, 14);
  });
});
