// Local-environment similarity C[i][j] = k(a_i, b_j) between two sets of feature vectors
// (rows of C-order matrices a [nA, nF] and b [nB, nF]), with the metrics of scikit-learn's
// pairwise kernels that DScribe's kernels use, plus the normalised dot product of SOAP:
//   linear      k = x·y
//   polynomial  k = (γ x·y + c0)^d
//   rbf         k = exp(−γ |x − y|²)
//   dot         k = (x·y / (|x| |y|))^ζ
import { ldf, stf } from '../memory';

export const METRIC_LINEAR: i32 = 0;
export const METRIC_POLYNOMIAL: i32 = 1;
export const METRIC_RBF: i32 = 2;
export const METRIC_DOT: i32 = 3;

/** x·y over n values, two lanes at a time with two accumulators. */
@inline function dot(x: usize, y: usize, n: i32): f64 {
  let acc0 = f64x2.splat(0), acc1 = f64x2.splat(0);
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const o = <usize>k << 3;
    acc0 = f64x2.add(acc0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    acc1 = f64x2.add(acc1, f64x2.mul(v128.load(x + o + 16), v128.load(y + o + 16)));
  }
  for (; k + 2 <= n; k += 2) {
    const o = <usize>k << 3;
    acc0 = f64x2.add(acc0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
  }
  const acc = f64x2.add(acc0, acc1);
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (k < n) s += ldf(x, k) * ldf(y, k);
  return s;
}

/** |x − y|² over n values, computed from the differences (exactly 0 for x = y). */
@inline function squaredDistance(x: usize, y: usize, n: i32): f64 {
  let acc0 = f64x2.splat(0), acc1 = f64x2.splat(0);
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const o = <usize>k << 3;
    const d0 = f64x2.sub(v128.load(x + o), v128.load(y + o));
    const d1 = f64x2.sub(v128.load(x + o + 16), v128.load(y + o + 16));
    acc0 = f64x2.add(acc0, f64x2.mul(d0, d0));
    acc1 = f64x2.add(acc1, f64x2.mul(d1, d1));
  }
  for (; k + 2 <= n; k += 2) {
    const o = <usize>k << 3;
    const d0 = f64x2.sub(v128.load(x + o), v128.load(y + o));
    acc0 = f64x2.add(acc0, f64x2.mul(d0, d0));
  }
  const acc = f64x2.add(acc0, acc1);
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (k < n) {
    const d = ldf(x, k) - ldf(y, k);
    s += d * d;
  }
  return s;
}

/** Bytes of `work` that {@link soapKernelLocal} needs: the norms of the 'dot' metric. */
export function soapKernelLocalWorkSize(nA: i32, nB: i32): usize {
  return <usize>(nA + nB) << 3;
}

/**
 * Fills out [nA, nB] (C order) with k(a_i, b_j) for `metric` (METRIC_*). γ is used by
 * polynomial and rbf, d and c0 by polynomial, ζ by dot. `work` holds nA + nB f64 (the 'dot'
 * metric's norms). A zero-length vector gives NaN under 'dot' (the caller rejects it).
 */
export function soapKernelLocal(
  nA: i32, a: usize, nB: i32, b: usize, nFeatures: i32,
  metric: i32, gamma: f64, degree: f64, coef0: f64, zeta: f64, out: usize, work: usize,
): void {
  const rowBytes = <usize>nFeatures << 3;
  if (metric == METRIC_RBF) {
    for (let i = 0; i < nA; i++) {
      const x = a + <usize>i * rowBytes, row = <usize>i * <usize>nB;
      for (let j = 0; j < nB; j++) {
        stf(out + (row << 3), j, Math.exp(-gamma * squaredDistance(x, b + <usize>j * rowBytes, nFeatures)));
      }
    }
    return;
  }
  if (metric == METRIC_DOT) {
    // 1/|x| for every row of a, then of b.
    for (let i = 0; i < nA; i++) {
      const x = a + <usize>i * rowBytes;
      stf(work, i, 1.0 / Math.sqrt(dot(x, x, nFeatures)));
    }
    for (let j = 0; j < nB; j++) {
      const y = b + <usize>j * rowBytes;
      stf(work, nA + j, 1.0 / Math.sqrt(dot(y, y, nFeatures)));
    }
  }
  for (let i = 0; i < nA; i++) {
    const x = a + <usize>i * rowBytes, outRow = out + ((<usize>i * <usize>nB) << 3);
    for (let j = 0; j < nB; j++) {
      const s = dot(x, b + <usize>j * rowBytes, nFeatures);
      let k: f64;
      if (metric == METRIC_LINEAR) k = s;
      else if (metric == METRIC_POLYNOMIAL) k = Math.pow(gamma * s + coef0, degree);
      else {
        // Cosine similarity, clamped to [−1, 1] against rounding, to the power ζ.
        const c = Math.min(1.0, Math.max(-1.0, s * ldf(work, i) * ldf(work, nA + j)));
        k = zeta == 1.0 ? c : Math.pow(c, zeta);
      }
      stf(outRow, j, k);
    }
  }
}
