// Textbook implementations in plain JavaScript (arrays of rows, double loops), written
// independently of src/similarity and assembly/similarity, to check them against.

export type Rows = number[][];

export interface PlainOptions {
  metric: 'linear' | 'polynomial' | 'rbf' | 'dot';
  gamma?: number;
  degree?: number;
  coef0?: number;
  zeta?: number;
}

function dot(x: number[], y: number[]): number {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += x[k]! * y[k]!;
  return s;
}

/** k(x, y) for one pair of feature vectors (scikit-learn's definitions, plus SOAP's (x̂·ŷ)^ζ). */
export function plainPairKernel(x: number[], y: number[], o: PlainOptions): number {
  const gamma = o.gamma ?? 1 / x.length;
  switch (o.metric) {
    case 'linear':
      return dot(x, y);
    case 'polynomial':
      return (gamma * dot(x, y) + (o.coef0 ?? 1)) ** (o.degree ?? 3);
    case 'rbf': {
      let d2 = 0;
      for (let k = 0; k < x.length; k++) d2 += (x[k]! - y[k]!) ** 2;
      return Math.exp(-gamma * d2);
    }
    case 'dot':
      return (dot(x, y) / Math.sqrt(dot(x, x) * dot(y, y))) ** (o.zeta ?? 1);
  }
}

export function plainLocal(a: Rows, b: Rows, o: PlainOptions): Rows {
  return a.map((x) => b.map((y) => plainPairKernel(x, y, o)));
}

export function plainAverage(c: Rows): number {
  let s = 0;
  for (const row of c) for (const v of row) s += v;
  return s / (c.length * c[0]!.length);
}

/**
 * REMatch by the textbook Sinkhorn iteration: K = exp(−(1 − C)/α), u = 1/n, v = 1/m, then
 * v ← (1/m)/(Kᵀu), u ← (1/n)/(K v) until the relative squared change of u and v is below the
 * threshold; returns Σ u_i K_ij v_j C_ij. `dscribeSchedule`: test convergence only when DScribe does.
 */
export function plainRematch(c: Rows, alpha: number, threshold: number, dscribeSchedule = false): number {
  const n = c.length, m = c[0]!.length;
  const k = c.map((row) => row.map((v) => Math.exp(-(1 - v) / alpha)));
  let u = new Array<number>(n).fill(1 / n);
  let v = new Array<number>(m).fill(1 / m);
  for (let it = 0; it < 1e6; it++) {
    const vNew = v.map((_, j) => 1 / m / k.reduce((s, row, i) => s + row[j]! * u[i]!, 0));
    const uNew = u.map((_, i) => 1 / n / k[i]!.reduce((s, kij, j) => s + kij * vNew[j]!, 0));
    const change = (p: number[], q: number[]) => p.reduce((s, x, i) => s + (x - q[i]!) ** 2, 0) / p.reduce((s, x) => s + x * x, 0);
    const err = change(uNew, u) + change(vNew, v);
    u = uNew;
    v = vNew;
    // DScribe does not test after iterations 0, 5, 10, …; the textbook test skips only the first.
    const tested = dscribeSchedule ? it % 5 !== 0 : it > 0;
    if (tested && err <= threshold) break;
  }
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) s += u[i]! * k[i]![j]! * v[j]! * c[i]![j]!;
  return s;
}

/**
 * K[i][j] = global(x_i, y_j), normalised by √(K(x_i, x_i) K(y_j, y_j)) when asked. `y` null:
 * x × x from the upper triangle, mirrored (REMatch(A, B) and REMatch(B, A) agree only to the
 * convergence threshold).
 */
export function plainGlobal(
  x: Rows[], y: Rows[] | null, o: PlainOptions, reduce: (c: Rows) => number, normalize: boolean,
): Rows {
  const g = (a: Rows, b: Rows) => reduce(plainLocal(a, b, o));
  const ys = y ?? x;
  const raw = x.map((a, i) => ys.map((b, j) => (y === null && j < i ? NaN : g(a, b))));
  if (y === null) x.forEach((_, i) => x.forEach((_, j) => { if (j < i) raw[i]![j] = raw[j]![i]!; }));
  if (!normalize) return raw;
  const dx = x.map((a, i) => (y === null ? raw[i]![i]! : g(a, a)));
  const dy = y === null ? dx : ys.map((b) => g(b, b));
  return raw.map((row, i) => row.map((v, j) => v / Math.sqrt(dx[i]! * dy[j]!)));
}

/** Best-match assignment value max over permutations σ of (1/n) Σ_i C[i][σ(i)] (square C). */
export function bestMatch(c: Rows): number {
  const n = c.length;
  let best = -Infinity;
  const perm = [...Array(n).keys()];
  const visit = (k: number) => {
    if (k === n) {
      best = Math.max(best, perm.reduce((s, j, i) => s + c[i]![j]!, 0) / n);
      return;
    }
    for (let t = k; t < n; t++) {
      [perm[k], perm[t]] = [perm[t]!, perm[k]!];
      visit(k + 1);
      [perm[k], perm[t]] = [perm[t]!, perm[k]!];
    }
  };
  visit(0);
  return best;
}

/** Feature matrix { values, shape } from rows. */
export function features(rows: Rows): { values: Float64Array; shape: [number, number] } {
  return { values: Float64Array.from(rows.flat()), shape: [rows.length, rows[0]?.length ?? 0] };
}

/** Rows of a { values, shape } matrix. */
export function rowsOf(m: { values: Float64Array; shape: readonly number[] }): Rows {
  const [r, c] = m.shape as [number, number];
  return Array.from({ length: r }, (_, i) => Array.from(m.values.subarray(i * c, (i + 1) * c)));
}

/** A seeded uniform generator, for reproducible random matrices. */
export { rng as random } from '../helpers/geometry.js';

export function randomRows(rand: () => number, n: number, f: number, lo = 0, hi = 1): Rows {
  return Array.from({ length: n }, () => Array.from({ length: f }, () => lo + (hi - lo) * rand()));
}
