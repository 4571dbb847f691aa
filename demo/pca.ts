/**
 * Principal component analysis of the rows of a C-order [rows, cols] matrix X by power
 * iteration on the covariance C = Xcᵀ Xc / (rows − 1), Xc = X − 1 μᵀ (μ the column means).
 * C is never formed: C v = Xcᵀ (Xc v) costs two passes over X, so wide descriptors (thousands
 * of features) stay cheap. Later components are kept orthogonal to earlier ones (deflation by
 * Gram–Schmidt in every iteration).
 */

/** The result of {@link pca}. */
export interface PCAResult {
  /** Principal axes, unit vectors of length `cols`, by decreasing variance. */
  readonly components: Float64Array[];
  /** Variance λ_k = |Xc v_k|² / (rows − 1) along each axis. */
  readonly variances: number[];
  /** λ_k over the total variance Σ_j var(X[:, j]) (0 when the data has none). */
  readonly explained: number[];
  /** Scores Xc v_k, C-order [rows, k]. */
  readonly scores: Float64Array;
  /** Power iterations each component took. */
  readonly iterations: number[];
}

/** Options of {@link pca}. */
export interface PCAOptions {
  /** Stop when 1 − |v · v_previous| falls below this (default 1e-13). */
  tolerance?: number;
  /** Give up refining a component after this many iterations (default 2000). */
  maxIterations?: number;
}

/** The top `k` principal components of the rows of `values` ([rows, cols], C order). */
export function pca(values: Float64Array, rows: number, cols: number, k = 2, options: PCAOptions = {}): PCAResult {
  if (values.length !== rows * cols) throw new RangeError(`pca: ${values.length} values do not fill [${rows}, ${cols}]`);
  const tolerance = options.tolerance ?? 1e-13;
  const maxIterations = options.maxIterations ?? 2000;
  const mean = columnMeans(values, rows, cols);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) total += (values[i * cols + j]! - mean[j]!) ** 2;
  }
  const dof = Math.max(rows - 1, 1);
  total /= dof;

  const components: Float64Array[] = [];
  const variances: number[] = [];
  const iterations: number[] = [];
  const u = new Float64Array(rows);
  for (let c = 0; c < Math.min(k, cols); c++) {
    // Start from Xcᵀ r for a fixed pseudo-random r: in the row space, reproducible.
    let v = centredTransposeTimes(values, rows, cols, mean, seededVector(rows, 12345 + c));
    let done = 0;
    let converged = !orthonormalize(v, components);
    while (!converged && done < maxIterations) {
      centredTimes(values, rows, cols, mean, v, u);
      const next = centredTransposeTimes(values, rows, cols, mean, u);
      done++;
      if (!orthonormalize(next, components)) {
        v = next; // no variance left outside the earlier components
        break;
      }
      let overlap = 0;
      for (let j = 0; j < cols; j++) overlap += next[j]! * v[j]!;
      v = next;
      converged = 1 - Math.abs(overlap) < tolerance;
    }
    fixSign(v);
    centredTimes(values, rows, cols, mean, v, u);
    let variance = 0;
    for (let i = 0; i < rows; i++) variance += u[i]! ** 2;
    components.push(v);
    variances.push(variance / dof);
    iterations.push(done);
  }

  const scores = new Float64Array(rows * components.length);
  components.forEach((v, c) => {
    centredTimes(values, rows, cols, mean, v, u);
    for (let i = 0; i < rows; i++) scores[i * components.length + c] = u[i]!;
  });
  return { components, variances, explained: variances.map((l) => (total > 0 ? l / total : 0)), scores, iterations };
}

function columnMeans(values: Float64Array, rows: number, cols: number): Float64Array {
  const mean = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) mean[j]! += values[i * cols + j]!;
  }
  for (let j = 0; j < cols; j++) mean[j]! /= Math.max(rows, 1);
  return mean;
}

/** out = Xc v = X v − (μ · v) 1. */
function centredTimes(values: Float64Array, rows: number, cols: number, mean: Float64Array, v: Float64Array, out: Float64Array): void {
  let shift = 0;
  for (let j = 0; j < cols; j++) shift += mean[j]! * v[j]!;
  for (let i = 0, base = 0; i < rows; i++, base += cols) {
    // Two partial sums: independent additions pipeline better.
    let s0 = 0, s1 = 0, j = 0;
    for (; j + 1 < cols; j += 2) {
      s0 += values[base + j]! * v[j]!;
      s1 += values[base + j + 1]! * v[j + 1]!;
    }
    if (j < cols) s0 += values[base + j]! * v[j]!;
    out[i] = s0 + s1 - shift;
  }
}

/** Xcᵀ u = Xᵀ u − μ Σ_i u_i. */
function centredTransposeTimes(values: Float64Array, rows: number, cols: number, mean: Float64Array, u: Float64Array): Float64Array {
  const out = new Float64Array(cols);
  let sum = 0;
  for (let i = 0, base = 0; i < rows; i++, base += cols) {
    const ui = u[i]!;
    sum += ui;
    for (let j = 0; j < cols; j++) out[j]! += values[base + j]! * ui;
  }
  for (let j = 0; j < cols; j++) out[j]! -= mean[j]! * sum;
  return out;
}

/**
 * Removes from v its projections on the (orthonormal) `basis` and normalises it; false when
 * nothing is left (v lies in the span of the basis, or is zero).
 */
function orthonormalize(v: Float64Array, basis: readonly Float64Array[]): boolean {
  const scale = norm(v);
  for (const b of basis) {
    let dot = 0;
    for (let j = 0; j < v.length; j++) dot += v[j]! * b[j]!;
    for (let j = 0; j < v.length; j++) v[j]! -= dot * b[j]!;
  }
  const n = norm(v);
  if (!(n > 1e-12 * scale)) {
    v.fill(0);
    return false;
  }
  for (let j = 0; j < v.length; j++) v[j]! /= n;
  return true;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += v[j]! ** 2;
  return Math.sqrt(s);
}

/** An axis has no sign: make its largest-magnitude entry positive, so the map is reproducible. */
function fixSign(v: Float64Array): void {
  let largest = 0;
  for (let j = 0; j < v.length; j++) if (Math.abs(v[j]!) > Math.abs(largest)) largest = v[j]!;
  if (largest < 0) for (let j = 0; j < v.length; j++) v[j] = -v[j]!;
}

/** Entries in [−1, 1) from a 32-bit linear congruential generator (Numerical Recipes' constants). */
function seededVector(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let state = seed >>> 0;
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}
