import { describe, expect, it } from 'vitest';
import {
  inverseSqrtSymmetric,
  scaledConditionNumber,
  symmetricEigen,
} from '../../src/soap/radial/symmetricEigen.js';
import { expectAtomenvError } from '../helpers/errors.js';

const EPS = Number.EPSILON;

/** Deterministic uniform numbers in [0, 1) (32-bit linear congruential generator). */
function uniformGenerator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** Random symmetric n × n matrix with entries in (−1, 1), row-major. */
function randomSymmetric(n: number, next: () => number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const x = 2 * next() - 1;
      a[i * n + j] = x;
      a[j * n + i] = x;
    }
  }
  return a;
}

/** C = A · B for n × n row-major matrices. */
function multiply(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k]!;
      for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j]!;
    }
  }
  return c;
}

function transpose(a: ArrayLike<number>, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = a[i * n + j]!;
  return t;
}

/** max_ij |A_ij − B_ij|. */
function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function identity(n: number): Float64Array {
  const e = new Float64Array(n * n);
  for (let i = 0; i < n; i++) e[i * n + i] = 1;
  return e;
}

/** V diag(λ) Vᵀ. */
function reconstruct(values: ArrayLike<number>, vectors: ArrayLike<number>, n: number): Float64Array {
  const scaled = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) scaled[i * n + j] = vectors[i * n + j]! * values[j]!;
  return multiply(scaled, transpose(vectors, n), n);
}

/** Householder reflector Q = I − 2 v vᵀ / (vᵀ v): an orthogonal matrix with a known inverse (Qᵀ = Q). */
function householder(v: number[]): Float64Array {
  const n = v.length;
  const norm2 = v.reduce((s, x) => s + x * x, 0);
  const q = identity(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) q[i * n + j] -= (2 * v[i]! * v[j]!) / norm2;
  return q;
}

/** Q diag(λ) Qᵀ. */
function withSpectrum(q: Float64Array, values: number[]): Float64Array {
  return reconstruct(values, q, values.length);
}

function expectInvalidParameter(action: () => unknown, ...fragments: string[]): void {
  expectAtomenvError(action, 'INVALID_PARAMETER', ...fragments);
}

describe('symmetricEigen (cyclic Jacobi)', () => {
  it.each([1, 2, 3, 4, 7, 12, 20, 30])('decomposes random symmetric %i×%i matrices: A = V Λ Vᵀ, VᵀV = I', (n) => {
    const next = uniformGenerator(1000 + n);
    for (let trial = 0; trial < 5; trial++) {
      const a = randomSymmetric(n, next);
      const copy = Float64Array.from(a);
      const { values, vectors } = symmetricEigen(a, n);
      expect(a).toEqual(copy); // input untouched

      let norm = 0;
      for (const x of a) norm += x * x;
      norm = Math.sqrt(norm);
      expect(maxDifference(reconstruct(values, vectors, n), a)).toBeLessThan(4 * n * EPS * norm);
      expect(maxDifference(multiply(transpose(vectors, n), vectors, n), identity(n))).toBeLessThan(4 * n * EPS);
      for (let j = 1; j < n; j++) expect(values[j]!).toBeGreaterThanOrEqual(values[j - 1]!);

      // Σ λ = trace A.
      let trace = 0;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        trace += a[i * n + i]!;
        sum += values[i]!;
      }
      expect(Math.abs(sum - trace)).toBeLessThan(4 * n * EPS * norm);
    }
  });

  it('finds a known spectrum spread over 12 decades, and eigenvectors that diagonalise A', () => {
    const n = 6;
    const q = householder([1, -2, 0.5, 3, -1, 2]);
    const spectrum = [1e-12, 1e-9, 1e-6, 1e-3, 0.5, 1];
    const a = withSpectrum(q, spectrum);
    const { values, vectors } = symmetricEigen(a, n);
    for (let j = 0; j < n; j++) expect(Math.abs(values[j]! - spectrum[j]!)).toBeLessThan(8 * n * EPS);
    // Each computed eigenvector is ± the corresponding column of Q.
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += vectors[i * n + j]! * q[i * n + j]!;
      if (spectrum[j]! >= 1e-3) expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-12);
    }
  });

  it('solves the 2×2 case [[2, 1], [1, 2]] exactly: λ = 1, 3 with vectors (1, ∓1)/√2', () => {
    const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2);
    expect(values[0]).toBeCloseTo(1, 15);
    expect(values[1]).toBeCloseTo(3, 15);
    const s = Math.SQRT1_2;
    expect(Math.abs(vectors[0]!)).toBeCloseTo(s, 15);
    expect(vectors[2]! / vectors[0]!).toBeCloseTo(-1, 15);
    expect(vectors[3]! / vectors[1]!).toBeCloseTo(1, 15);
  });

  it('handles indefinite, diagonal, repeated and zero spectra', () => {
    expect(Array.from(symmetricEigen([0, 1, 1, 0], 2).values)).toEqual([-1, 1]);

    const diagonal = symmetricEigen([3, 0, 0, 0, -2, 0, 0, 0, 1], 3);
    expect(Array.from(diagonal.values)).toEqual([-2, 1, 3]);
    expect(diagonal.sweeps).toBe(0);
    expect(Array.from(diagonal.vectors)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);

    const q = householder([1, 2, 3, 4]);
    const repeated = symmetricEigen(withSpectrum(q, [1, 1, 1, 2]), 4);
    for (let j = 0; j < 3; j++) expect(Math.abs(repeated.values[j]! - 1)).toBeLessThan(16 * EPS);
    expect(Math.abs(repeated.values[3]! - 2)).toBeLessThan(16 * EPS);
    expect(maxDifference(multiply(transpose(repeated.vectors, 4), repeated.vectors, 4), identity(4))).toBeLessThan(16 * EPS);

    const zero = symmetricEigen(new Float64Array(9), 3);
    expect(Array.from(zero.values)).toEqual([0, 0, 0]);
  });

  it('rejects matrices that are not finite, square or symmetric', () => {
    expectInvalidParameter(() => symmetricEigen([1, 2, 3], 2), '4 entries');
    expectInvalidParameter(() => symmetricEigen([1], 0), 'positive integer');
    expectInvalidParameter(() => symmetricEigen([1, NaN, NaN, 1], 2), 'not a finite number');
    expectInvalidParameter(() => symmetricEigen([1, 2, 2.001, 1], 2), 'not symmetric');
  });
});

describe('inverseSqrtSymmetric (Löwdin S^{-1/2})', () => {
  it('inverts the square root of a diagonal matrix', () => {
    const x = inverseSqrtSymmetric([4, 0, 0, 0, 9, 0, 0, 0, 16], 3);
    expect(Array.from(x)).toEqual([0.5, 0, 0, 0, 1 / 3, 0, 0, 0, 0.25]);
  });

  it('matches the closed form for [[2, 1], [1, 2]]: ½ [[1 + 1/√3, 1/√3 − 1], [1/√3 − 1, 1 + 1/√3]]', () => {
    const x = inverseSqrtSymmetric([2, 1, 1, 2], 2);
    const r = 1 / Math.sqrt(3);
    const expected = [(1 + r) / 2, (r - 1) / 2, (r - 1) / 2, (1 + r) / 2];
    expect(maxDifference(x, expected)).toBeLessThan(4 * EPS);
  });

  it.each([1, 3, 8, 16, 30])('gives the symmetric positive-definite X with X S X = I for random SPD %i×%i', (n) => {
    const next = uniformGenerator(77 + n);
    const b = randomSymmetric(n, next);
    const s = multiply(b, transpose(b, n), n);
    for (let i = 0; i < n; i++) s[i * n + i] += 0.1 * n; // B Bᵀ + 0.1 n I: SPD, modest condition number
    const x = inverseSqrtSymmetric(s, n);
    expect(maxDifference(x, transpose(x, n))).toBe(0);
    expect(maxDifference(multiply(multiply(x, s, n), x, n), identity(n))).toBeLessThan(8 * n * EPS * scaledConditionNumber(s, n));
    expect(symmetricEigen(x, n).values[0]!).toBeGreaterThan(0); // the principal (positive-definite) root
  });

  it('stays accurate on a graded matrix S = D H D (κ(S) ≈ 1e24 but κ(H) small)', () => {
    // Needs Jacobi's relative stopping criterion |a_pq| ≤ ε √(a_pp a_qq); an absolute one
    // (|a_pq| ≤ ε ‖A‖) would leave the small eigenvalues, and so S^{-1/2}, wrong.
    const n = 5;
    const h = [1, 0.3, -0.2, 0.1, 0.05, 0.3, 1, 0.25, -0.1, 0.2, -0.2, 0.25, 1, 0.3, -0.15, 0.1, -0.1, 0.3, 1, 0.2, 0.05, 0.2, -0.15, 0.2, 1];
    const d = [1e6, 1e3, 1, 1e-3, 1e-6];
    const s = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i * n + j] = d[i]! * h[i * n + j]! * d[j]!;
    const kappaH = scaledConditionNumber(s, n);
    expect(kappaH).toBeLessThan(10);
    const x = inverseSqrtSymmetric(s, n);
    // X S X: entries of X scale as 1/(d_i d_j), of S as d_i d_j, so the product is O(1) term by term.
    expect(maxDifference(multiply(multiply(x, s, n), x, n), identity(n))).toBeLessThan(1e-13);
  });

  it('names the matrix when it is not positive definite', () => {
    expectInvalidParameter(() => inverseSqrtSymmetric([1, 2, 2, 1], 2, 'test overlap'), 'test overlap', 'not positive definite', 'non-positive eigenvalue');
    expectInvalidParameter(() => inverseSqrtSymmetric([0, 0, 0, 1], 2, 'zero diagonal'), 'zero diagonal', 'not positive definite', 'diagonal entry 0');
    expectInvalidParameter(() => inverseSqrtSymmetric([-1, 0, 0, 1], 2), 'not positive definite');
    expectInvalidParameter(() => inverseSqrtSymmetric([1, 1, 1, 1], 2, 'rank one'), 'rank one', 'not positive definite');
  });

  it('refuses a numerically singular SPD matrix (Hilbert 14×14, κ ≈ 1e19) rather than return noise', () => {
    const n = 14;
    const hilbert = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) hilbert[i * n + j] = 1 / (i + j + 1);
    expectInvalidParameter(() => inverseSqrtSymmetric(hilbert, n, 'Hilbert'), 'Hilbert', 'not positive definite in float64');
    // …while the 8×8 one (κ ≈ 1.5e10) is fine: X S X = I to ε κ.
    const m = 8;
    const small = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) small[i * m + j] = 1 / (i + j + 1);
    const x = inverseSqrtSymmetric(small, m);
    expect(maxDifference(multiply(multiply(x, small, m), x, m), identity(m))).toBeLessThan(EPS * scaledConditionNumber(small, m));
  });
});

describe('scaledConditionNumber', () => {
  it('is 1 for a diagonal matrix, scale-invariant, and Infinity when not positive definite', () => {
    expect(scaledConditionNumber([5, 0, 0, 1e-20], 2)).toBe(1);
    const h = [2, 1, 1, 2];
    expect(scaledConditionNumber(h, 2)).toBeCloseTo(3, 14); // unit diagonal: [[1, ½], [½, 1]], λ = ½, 3/2
    expect(scaledConditionNumber([2e8, 1, 1, 2e-8], 2)).toBeCloseTo(3, 12);
    expect(scaledConditionNumber([1, 2, 2, 1], 2)).toBe(Infinity);
    expect(scaledConditionNumber([0, 0, 0, 1], 2)).toBe(Infinity);
  });
});
