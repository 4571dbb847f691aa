import { beforeAll, describe, test } from 'vitest';
import { averageKernel, init, localKernel, rematchKernel } from '../../src/index.js';
import { expectAtomenvError } from '../helpers/errors.js';
import { features } from './plainKernels.js';

beforeAll(async () => {
  await init();
});

const a = features([[1, 2, 3], [0.5, 0.1, 2]]);
const b = features([[0.3, 1, 1]]);
const twoFeatures = features([[1, 2]]);

describe('similarity kernels reject bad input with AtomenvError', () => {
  test('mismatched feature counts name the structure', () => {
    expectAtomenvError(() => averageKernel([a, b, twoFeatures]), 'INVALID_PARAMETER', 'x[2] has 2 features per environment, the other structures 3');
    expectAtomenvError(() => rematchKernel([a], [b, twoFeatures]), 'INVALID_PARAMETER', 'y[1] has 2 features');
    expectAtomenvError(() => localKernel(a, twoFeatures), 'INVALID_PARAMETER', 'y has 2 features');
  });

  test('empty structures and empty lists', () => {
    const empty = { values: new Float64Array(0), shape: [0, 3] as [number, number] };
    expectAtomenvError(() => averageKernel([a, empty]), 'INVALID_PARAMETER', 'x[1] has no environments');
    expectAtomenvError(() => rematchKernel([], null), 'INVALID_PARAMETER', 'x holds no structures');
    expectAtomenvError(() => averageKernel([a], []), 'INVALID_PARAMETER', 'y holds no structures');
    expectAtomenvError(() => localKernel({ values: new Float64Array(0), shape: [2, 0] }, null), 'INVALID_PARAMETER', 'x has no features');
  });

  test('malformed feature matrices', () => {
    expectAtomenvError(() => averageKernel([{ values: new Float64Array(5), shape: [2, 3] }]), 'INVALID_PARAMETER', 'x[0]: 5 values do not fill the shape [2, 3]');
    expectAtomenvError(() => averageKernel([{ values: [1, 2] as unknown as Float64Array, shape: [1, 2] }]), 'INVALID_PARAMETER', 'Float64Array');
    expectAtomenvError(() => averageKernel([{ values: new Float32Array(2) as unknown as Float64Array, shape: [1, 2] }]), 'INVALID_PARAMETER', "dtype 'float32' gives a Float32Array: pass { values: Float64Array.from(values), shape }");
    expectAtomenvError(() => averageKernel([{ values: new Float64Array(2), shape: [2] as unknown as [number, number] }]), 'INVALID_PARAMETER', 'shape must be');
  });

  test('NaN and infinite features name the structure, environment and feature', () => {
    const bad = features([[1, 2, 3], [4, NaN, 6]]);
    expectAtomenvError(() => averageKernel([a, bad]), 'INVALID_PARAMETER', 'x[1]: feature 1 of environment 1 is NaN');
    expectAtomenvError(() => rematchKernel([a], [features([[Infinity, 0, 0]])]), 'INVALID_PARAMETER', 'y[0]: feature 0 of environment 0 is Infinity');
  });

  test('bad kernel parameters', () => {
    expectAtomenvError(() => averageKernel([a], null, { metric: 'cosine' as 'dot' }), 'INVALID_PARAMETER', 'metric must be one of linear, polynomial, rbf, dot');
    expectAtomenvError(() => averageKernel([a], null, { metric: 'rbf', gamma: -1 }), 'INVALID_PARAMETER', 'gamma must be a finite number > 0, got -1');
    expectAtomenvError(() => averageKernel([a], null, { gamma: NaN }), 'INVALID_PARAMETER', 'gamma');
    expectAtomenvError(() => averageKernel([a], null, { zeta: 0 }), 'INVALID_PARAMETER', 'zeta must be');
    expectAtomenvError(() => averageKernel([a], null, { degree: Infinity }), 'INVALID_PARAMETER', 'degree must be');
    expectAtomenvError(() => averageKernel([a], null, { coef0: NaN }), 'INVALID_PARAMETER', 'coef0 must be');
    expectAtomenvError(() => rematchKernel([a], null, { alpha: 0 }), 'INVALID_PARAMETER', 'alpha must be a finite number > 0, got 0');
    expectAtomenvError(() => rematchKernel([a], null, { alpha: -0.1 }), 'INVALID_PARAMETER', 'alpha');
    expectAtomenvError(() => rematchKernel([a], null, { threshold: 0 }), 'INVALID_PARAMETER', 'threshold must be a finite number > 0');
    expectAtomenvError(() => rematchKernel([a], null, { maxIterations: 1.5 }), 'INVALID_PARAMETER', 'maxIterations must be an integer');
  });

  test("an all-zero environment under the 'dot' metric", () => {
    const zero = features([[1, 2, 3], [0, 0, 0]]);
    expectAtomenvError(() => averageKernel([a, zero]), 'INVALID_PARAMETER', "environment 1 of x[1] has all-zero features: the 'dot' metric");
    expectAtomenvError(() => localKernel(a, zero), 'INVALID_PARAMETER', 'environment 1 of y');
  });

  test('a non-integer ζ of a negative cosine is reported, not returned as NaN', () => {
    const neg = features([[-1, -2, -3]]);
    expectAtomenvError(() => localKernel(a, neg, { zeta: 1.5 }), 'INVALID_PARAMETER', /dot kernel of environment 0 of x and environment 0 of y is NaN.*zeta/);
    expectAtomenvError(() => averageKernel([a, neg], null, { metric: 'polynomial', degree: 0.5, coef0: -10 }), 'INVALID_PARAMETER', 'polynomial kernel');
  });

  test('a self-similarity that cannot be normalised', () => {
    // linear: K(A, A) = |mean a|² = 0 for features that average to zero.
    const zeroMean = features([[1, -1], [-1, 1]]);
    expectAtomenvError(() => averageKernel([zeroMean], null, { metric: 'linear' }), 'INVALID_PARAMETER', 'self-similarity of x[0] is 0');
  });

  test('REMatch that does not converge, or whose weights underflow', () => {
    const x = features([[1, 0.2, 0], [0.1, 1, 0.3], [0.2, 0.1, 1]]);
    const y = features([[0.9, 0.3, 0.1], [0.2, 0.8, 0.6]]);
    expectAtomenvError(() => rematchKernel([x], [y], { alpha: 0.01, threshold: 1e-30, maxIterations: 50 }), 'NOT_CONVERGED', /x\[0\] and y\[0\].*threshold 1e-30 in 50 iterations/);
    // linear C of these features spans ~30: exp(−30/0.01) underflows.
    const big = features([[5, 0, 0], [0, 1, 0]]);
    expectAtomenvError(() => rematchKernel([big], null, { metric: 'linear', alpha: 0.01 }), 'NOT_CONVERGED', 'underflows');
  });
});
