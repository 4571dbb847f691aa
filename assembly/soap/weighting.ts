// Weight of one neighbour Gaussian in the SOAP density (DScribe's `weighting`, times atomenv's
// optional smooth cutoff). r is the distance to the centre in Å.
//   poly: c (1 + 2 (r/r0)³ − 3 (r/r0)²)^m for r ≤ r0, else 0
//   pow:  c / (d + (r/r0)^m)
//   exp:  c / (d + exp(−r/r0))          (grows with r, as DScribe implements it)
//   w0 replaces the function at r = 0 exactly (an atom on the centre).
//   cosine cutoff over [R − W, R] (R = r_cut + δ, W = width): ½ (1 + cos(π (r − R + W) / W)).
import { ldf } from '../memory';

/** Weighting functions (the `fn` slot of the weighting parameters). */
export const WEIGHT_NONE: i32 = 0;
export const WEIGHT_POLY: i32 = 1;
export const WEIGHT_POW: i32 = 2;
export const WEIGHT_EXP: i32 = 3;

// Slots of the f64 weighting parameters: fn, r0, c, d, m, hasW0, w0, cutoffWidth (0: no smooth
// cutoff), cutoffRadius R.
export const WP_FN: i32 = 0;
export const WP_R0: i32 = 1;
export const WP_C: i32 = 2;
export const WP_D: i32 = 3;
export const WP_M: i32 = 4;
export const WP_HAS_W0: i32 = 5;
export const WP_W0: i32 = 6;
export const WP_CUT_WIDTH: i32 = 7;
export const WP_CUT_RADIUS: i32 = 8;
export const WP_COUNT: i32 = 9;

/** True when every neighbour has weight 1 (no function, no w0, no smooth cutoff). */
export function weightIsTrivial(wp: usize): bool {
  return <i32>ldf(wp, WP_FN) == WEIGHT_NONE && ldf(wp, WP_HAS_W0) == 0.0 && ldf(wp, WP_CUT_WIDTH) == 0.0;
}

/** The radial weight w(r) of a neighbour at distance r (species weight not included). */
export function radialWeight(wp: usize, r: f64): f64 {
  let w = 1.0;
  if (r == 0.0 && ldf(wp, WP_HAS_W0) != 0.0) {
    w = ldf(wp, WP_W0);
  } else {
    const fn = <i32>ldf(wp, WP_FN);
    if (fn != WEIGHT_NONE) {
      const r0 = ldf(wp, WP_R0), c = ldf(wp, WP_C), d = ldf(wp, WP_D), m = ldf(wp, WP_M);
      if (fn == WEIGHT_POLY) {
        if (r > r0) return 0.0;
        const x = r / r0;
        w = c * Math.pow(1.0 + 2.0 * x * x * x - 3.0 * x * x, m);
      } else if (fn == WEIGHT_POW) {
        w = c / (d + Math.pow(r / r0, m));
      } else {
        w = c / (d + Math.exp(-r / r0));
      }
    }
  }
  const width = ldf(wp, WP_CUT_WIDTH);
  if (width > 0.0) {
    const start = ldf(wp, WP_CUT_RADIUS) - width;
    if (r > start) {
      if (r >= start + width) return 0.0;
      w *= 0.5 * (1.0 + Math.cos(Math.PI * (r - start) / width));
    }
  }
  return w;
}

/**
 * d(w)/dr of {@link radialWeight} for r > 0:
 *   poly: c m u^{m−1} (6x² − 6x)/r0 with u = 1 + 2x³ − 3x², x = r/r0 (0 beyond r0)
 *   pow:  −c m (r/r0)^{m−1} / (r0 (d + (r/r0)^m)²)
 *   exp:  c e^{−r/r0} / (r0 (d + e^{−r/r0})²)
 *   cosine cutoff f_c: d f_c/dr = −(π / 2W) sin(π (r − R + W) / W), by the product rule.
 */
export function radialWeightDerivative(wp: usize, r: f64): f64 {
  let w = 1.0, dw = 0.0;
  const fn = <i32>ldf(wp, WP_FN);
  if (fn != WEIGHT_NONE) {
    const r0 = ldf(wp, WP_R0), c = ldf(wp, WP_C), d = ldf(wp, WP_D), m = ldf(wp, WP_M);
    if (fn == WEIGHT_POLY) {
      if (r > r0) return 0.0;
      const x = r / r0;
      const u = 1.0 + 2.0 * x * x * x - 3.0 * x * x;
      w = c * Math.pow(u, m);
      dw = m == 0.0 ? 0.0 : c * m * Math.pow(u, m - 1.0) * (6.0 * x * x - 6.0 * x) / r0;
    } else if (fn == WEIGHT_POW) {
      const q = Math.pow(r / r0, m);
      const den = d + q;
      w = c / den;
      dw = m == 0.0 ? 0.0 : -c * m * Math.pow(r / r0, m - 1.0) / (r0 * den * den);
    } else {
      const e = Math.exp(-r / r0);
      const den = d + e;
      w = c / den;
      dw = c * e / (r0 * den * den);
    }
  }
  const width = ldf(wp, WP_CUT_WIDTH);
  if (width > 0.0) {
    const start = ldf(wp, WP_CUT_RADIUS) - width;
    if (r > start) {
      if (r >= start + width) return 0.0;
      const phase = Math.PI * (r - start) / width;
      const fc = 0.5 * (1.0 + Math.cos(phase));
      const dfc = -0.5 * Math.PI / width * Math.sin(phase);
      dw = dw * fc + w * dfc;
    }
  }
  return dw;
}
