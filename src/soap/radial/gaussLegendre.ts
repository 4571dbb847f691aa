/**
 * Gauss–Legendre quadrature rules, computed by Newton's method on the Legendre polynomial P_n.
 * DScribe integrates the polynomial radial basis with the 100-point rule on [0, r_cut].
 */
import { AtomenvError } from '../../errors.js';

/** Number of Gauss–Legendre points DScribe uses for the polynomial radial basis. */
export const DSCRIBE_POLYNOMIAL_QUADRATURE_POINTS = 100;

/** A quadrature rule: ∫ f ≈ Σ_i weights[i] f(nodes[i]). */
export interface QuadratureRule {
  /** Nodes, ascending. */
  readonly nodes: Float64Array;
  /** Weights, one per node (all positive). */
  readonly weights: Float64Array;
}

/**
 * P_n(x) and P'_n(x) by the three-term recurrence
 * (j+1) P_{j+1} = (2j+1) x P_j − j P_{j−1}, and P'_n = n (x P_n − P_{n−1}) / (x² − 1) (|x| < 1).
 */
function legendreWithDerivative(n: number, x: number): { value: number; derivative: number } {
  let previous = 1; // P_0
  let current = x; // P_1
  for (let j = 1; j < n; j++) {
    const next = ((2 * j + 1) * x * current - j * previous) / (j + 1);
    previous = current;
    current = next;
  }
  const derivative = (n * (x * current - previous)) / ((x - 1) * (x + 1));
  return { value: current, derivative };
}

/**
 * The n-point Gauss–Legendre rule on [−1, 1]: nodes x_i are the roots of P_n, weights
 * w_i = 2 / ((1 − x_i²) P'_n(x_i)²). Each root is refined by Newton's method from the
 * asymptotic guess cos(π (i + 3/4) / (n + ½)) until the step is below float64 resolution
 * (plus one more step), so nodes are good to ~1 ulp; the rule is exactly symmetric
 * (x_{n−1−i} = −x_i).
 *
 * @param n number of points, integer ≥ 1.
 * @returns nodes ascending in (−1, 1) and their weights (Σ w_i = 2).
 */
export function gaussLegendre(n: number): QuadratureRule {
  if (!Number.isInteger(n) || n < 1) {
    throw new AtomenvError('INVALID_PARAMETER', `gaussLegendre: number of points must be an integer ≥ 1, got ${n}`);
  }
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  const half = Math.floor(n / 2);
  for (let i = 0; i < half; i++) {
    // i-th largest root of P_n.
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let converged = false;
    for (let iteration = 0; iteration < 100; iteration++) {
      const { value, derivative } = legendreWithDerivative(n, x);
      const step = value / derivative;
      x -= step;
      if (converged) break; // one polishing step after the step fell below resolution
      if (Math.abs(step) <= 2 * Number.EPSILON * Math.abs(x)) converged = true;
    }
    const { derivative } = legendreWithDerivative(n, x);
    const weight = 2 / ((1 - x) * (1 + x) * derivative * derivative);
    nodes[n - 1 - i] = x;
    nodes[i] = -x;
    weights[n - 1 - i] = weight;
    weights[i] = weight;
  }
  if (n % 2 === 1) {
    // Middle root x = 0: P'_n(0) from the recurrence.
    const { derivative } = legendreWithDerivative(n, 0);
    nodes[half] = 0;
    weights[half] = 2 / (derivative * derivative);
  }
  return { nodes, weights };
}

/**
 * The n-point Gauss–Legendre rule mapped to [a, b] the way DScribe does it:
 * r_i = (b − a) · ½ (x_i + 1) + a, weights scaled by (b − a)/2.
 * For DScribe's polynomial basis use `gaussLegendreOnInterval(100, 0, r_cut)` (r = r_cut·½(x + 1)).
 *
 * @param n number of points, integer ≥ 1.
 * @param a lower end.
 * @param b upper end.
 */
export function gaussLegendreOnInterval(n: number, a: number, b: number): QuadratureRule {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !(b > a)) {
    throw new AtomenvError('INVALID_PARAMETER', `gaussLegendreOnInterval: need finite a < b, got [${a}, ${b}]`);
  }
  const { nodes: x, weights: w } = gaussLegendre(n);
  const length = b - a;
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    nodes[i] = length * 0.5 * (x[i]! + 1) + a;
    weights[i] = 0.5 * length * w[i]!;
  }
  return { nodes, weights };
}
