// The one-variable functions of n2p2's symmetry functions (../shared/specs/n2p2.md, sections 1
// and 3), each with its derivative. AssemblyScript has no tuples: every function returns the
// value and leaves the derivative in a module global.
import { cosineCutoff, cosineCutoffDerivative } from '../math/cutoff';

/** Derivative left by the last coreFunction call. */
export let coreDerivative: f64 = 0.0;
/** Derivative (d/dr) left by the last cutoffFunction call. */
export let cutoffDerivative: f64 = 0.0;

// Core function codes (the compact subtypes and the α-cutoff shapes).
export const CORE_P1 = 1, CORE_P2 = 2, CORE_P3 = 3, CORE_P4 = 4, CORE_E = 5;

// 1/tanh³(1) = ((e + 1/e)/(e − 1/e))³: TANH is scaled so that f_c(0) = 1.
const TANH_NORM: f64 = 1.0 / (0.7615941559557649 * 0.7615941559557649 * 0.7615941559557649);

/**
 * Core function c(x) on 0 ≤ x ≤ 1 (1 at 0, 0 at 1):
 *   p1 = (2x − 3)x² + 1,  p2 = ((15 − 6x)x − 10)x³ + 1,  p3 = (x(x(20x − 70) + 84) − 35)x⁴ + 1,
 *   p4 = (x(x((315 − 70x)x − 540) + 420) − 126)x⁵ + 1,  e = exp(1 − 1/(1 − x²)).
 */
export function coreFunction(core: i32, x: f64): f64 {
  const x2 = x * x;
  if (core == CORE_P1) {
    coreDerivative = 6.0 * x * (x - 1.0);
    return (2.0 * x - 3.0) * x2 + 1.0;
  }
  if (core == CORE_P2) {
    const x3 = x2 * x;
    coreDerivative = -30.0 * x2 * (x - 1.0) * (x - 1.0);
    return ((15.0 - 6.0 * x) * x - 10.0) * x3 + 1.0;
  }
  if (core == CORE_P3) {
    const x4 = x2 * x2;
    const m = x - 1.0;
    coreDerivative = 140.0 * x2 * x * m * m * m;
    return (x * (x * (20.0 * x - 70.0) + 84.0) - 35.0) * x4 + 1.0;
  }
  if (core == CORE_P4) {
    const x4 = x2 * x2;
    const m2 = (x - 1.0) * (x - 1.0);
    coreDerivative = -630.0 * x4 * m2 * m2;
    return (x * (x * ((315.0 - 70.0 * x) * x - 540.0) + 420.0) - 126.0) * x4 * x + 1.0;
  }
  // e: zero (and flat) at x ≥ 1.
  if (x >= 1.0) {
    coreDerivative = 0.0;
    return 0.0;
  }
  const s = 1.0 - x2;
  const v = Math.exp(1.0 - 1.0 / s);
  coreDerivative = v * (-2.0 * x / (s * s));
  return v;
}

/**
 * Cutoff function f_c(r) of n2p2's cutoff type (0 HARD, 1 COS, 2 TANHU, 3 TANH, 4 EXP, 5–8
 * POLY1–4) for r < r_c; with α, f_c = 1 below r_ci = α r_c and f(x), x = (r − r_ci)/(r_c − r_ci), above.
 */
export function cutoffFunction(type: i32, alpha: f64, rc: f64, r: f64): f64 {
  if (type == 0) {
    cutoffDerivative = 0.0;
    return 1.0;
  }
  if (type == 2 || type == 3) {
    // tanh³(1 − r/r_c); α is ignored.
    // tanh u = (1 − e^(−2u)) / (1 + e^(−2u)) for u = 1 − r/r_c in (0, 1].
    const e = Math.exp(-2.0 * (1.0 - r / rc));
    const t = (1.0 - e) / (1.0 + e);
    const norm = type == 3 ? TANH_NORM : 1.0;
    cutoffDerivative = -norm * 3.0 * t * t * (1.0 - t * t) / rc;
    return norm * t * t * t;
  }
  const rci = alpha * rc;
  if (r < rci) {
    cutoffDerivative = 0.0;
    return 1.0;
  }
  const width = rc - rci;
  if (type == 1) {
    // ½[cos(π x) + 1]: the cosine cutoff of assembly/math/cutoff.ts over r − r_ci.
    cutoffDerivative = cosineCutoffDerivative(r - rci, width);
    return cosineCutoff(r - rci, width);
  }
  const x = (r - rci) / width;
  const v = coreFunction(type == 4 ? CORE_E : type - 4, x);
  cutoffDerivative = coreDerivative / width;
  return v;
}
