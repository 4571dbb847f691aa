import { describe, expect, it } from 'vitest';
import { pca } from '../../demo/pca.js';

/** Eigenpairs of a symmetric matrix by cyclic Jacobi rotations (an independent check), by decreasing value. */
function jacobiEigen(a: number[][]): { values: number[]; vectors: number[][] } {
  const n = a.length;
  const m = a.map((row) => [...row]);
  const v: number[][] = m.map((_, i) => m.map((__, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p]![q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(m[p]![q]!) < 1e-300) continue;
        const theta = (m[q]![q]! - m[p]![p]!) / (2 * m[p]![q]!);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const [kp, kq] = [m[k]![p]!, m[k]![q]!];
          m[k]![p] = c * kp - s * kq;
          m[k]![q] = s * kp + c * kq;
        }
        for (let k = 0; k < n; k++) {
          const [pk, qk] = [m[p]![k]!, m[q]![k]!];
          m[p]![k] = c * pk - s * qk;
          m[q]![k] = s * pk + c * qk;
        }
        for (let k = 0; k < n; k++) {
          const [kp, kq] = [v[k]![p]!, v[k]![q]!];
          v[k]![p] = c * kp - s * kq;
          v[k]![q] = s * kp + c * kq;
        }
      }
    }
  }
  const order = m.map((_, i) => i).sort((i, j) => m[j]![j]! - m[i]![i]!);
  return { values: order.map((i) => m[i]![i]!), vectors: order.map((i) => v.map((row) => row[i]!)) };
}

/** Deterministic data: independent columns of decreasing spread, mixed by a fixed rotation, shifted. */
function plantedData(rows: number, cols: number): Float64Array {
  let state = 7;
  const rand = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32) - 0.5;
  const raw = Array.from({ length: rows }, () => Array.from({ length: cols }, (_, j) => rand() * 10 / (j + 1) ** 1.5));
  // Mix with Householder reflections (orthogonal) and add an offset per column.
  const w = Array.from({ length: cols }, (_, j) => Math.cos(j + 1));
  const wn = Math.hypot(...w);
  const out = new Float64Array(rows * cols);
  raw.forEach((x, i) => {
    const dot = x.reduce((s, xj, j) => s + xj * w[j]! / wn, 0);
    for (let j = 0; j < cols; j++) out[i * cols + j] = x[j]! - 2 * dot * w[j]! / wn + 3 * j - 1;
  });
  return out;
}

function covariance(values: Float64Array, rows: number, cols: number): number[][] {
  const mean = Array.from({ length: cols }, (_, j) => { let s = 0; for (let i = 0; i < rows; i++) s += values[i * cols + j]!; return s / rows; });
  return Array.from({ length: cols }, (_, a) => Array.from({ length: cols }, (__, b) => {
    let s = 0;
    for (let i = 0; i < rows; i++) s += (values[i * cols + a]! - mean[a]!) * (values[i * cols + b]! - mean[b]!);
    return s / (rows - 1);
  }));
}

describe('demo PCA (power iteration)', () => {
  it('finds the top two eigenpairs of the covariance, as a Jacobi eigensolver does', () => {
    const [rows, cols] = [60, 7];
    const x = plantedData(rows, cols);
    const cov = covariance(x, rows, cols);
    const exact = jacobiEigen(cov);
    const result = pca(x, rows, cols, 2);
    const trace = cov.reduce((s, row, j) => s + row[j]!, 0);
    for (let c = 0; c < 2; c++) {
      expect(Math.abs(result.variances[c]! - exact.values[c]!) / exact.values[0]!).toBeLessThan(1e-12);
      expect(result.explained[c]).toBeCloseTo(exact.values[c]! / trace, 12);
      const v = result.components[c]!;
      const overlap = Math.abs(exact.vectors[c]!.reduce((s, e, j) => s + e * v[j]!, 0));
      expect(1 - overlap).toBeLessThan(1e-12);
    }
    // Scores are the centred rows projected on the axes; the axes are orthonormal.
    const [v0, v1] = result.components as [Float64Array, Float64Array];
    expect(Math.abs(v0.reduce((s, a, j) => s + a * v1[j]!, 0))).toBeLessThan(1e-12);
    const mean = Array.from({ length: cols }, (_, j) => { let s = 0; for (let i = 0; i < rows; i++) s += x[i * cols + j]!; return s / rows; });
    for (const i of [0, 17, 59]) {
      const score = v0.reduce((s, a, j) => s + a * (x[i * cols + j]! - mean[j]!), 0);
      expect(result.scores[i * 2]).toBeCloseTo(score, 12);
    }
  });

  it('is reproducible and fixes the sign of each axis (largest entry positive)', () => {
    const x = plantedData(40, 5);
    const a = pca(x, 40, 5, 2), b = pca(x, 40, 5, 2);
    expect(Array.from(a.scores)).toEqual(Array.from(b.scores));
    for (const v of a.components) {
      const largest = Array.from(v).reduce((m, e) => (Math.abs(e) > Math.abs(m) ? e : m), 0);
      expect(largest).toBeGreaterThan(0);
    }
  });

  it('handles data with less than two directions of variance (rank 1, constant, one row)', () => {
    // Rank 1: every row on one line; the second axis carries no variance.
    const line = Float64Array.from({ length: 30 }, (_, k) => (Math.floor(k / 3) + 1) * [1, 2, -2][k % 3]!);
    const r1 = pca(line, 10, 3, 2);
    expect(r1.variances[0]).toBeGreaterThan(0);
    expect(r1.variances[1]).toBeLessThan(1e-12 * r1.variances[0]!);
    expect(r1.explained[0]).toBeCloseTo(1, 12);
    const constant = pca(new Float64Array(12).fill(4), 4, 3, 2);
    expect(constant.variances).toEqual([0, 0]);
    expect(Array.from(constant.scores)).toEqual(new Array(8).fill(0));
    expect(Array.from(pca(Float64Array.of(1, 2, 3), 1, 3, 2).scores)).toEqual([0, 0]);
  });
});
