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
