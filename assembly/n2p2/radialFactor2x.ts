// n2p2's cutoff functions f_c(r) and the Gaussian radial factor R(r) = exp(−η (r − r_s)²) f_c(r)
// for two distances at a time (f64x2), with their r-derivatives; the scalar forms are in
// radialFunctions.ts.
import { exp2x, fmadd } from '../math/simdMath';

// 1/tanh³(1): TANH is scaled so that f_c(0) = 1.
const TANH_NORM: f64 = 1.0 / (0.7615941559557649 * 0.7615941559557649 * 0.7615941559557649);

@inline export function splat(x: f64): v128 {
  return f64x2.splat(x);
}

/** Core c(x) for 0 ≤ x < 1 (codes as in radialFunctions.ts) with c'(x) stored at dOut. */
function core2x(core: i32, x: v128, dOut: usize): v128 {
  const one = splat(1.0);
  const x2 = f64x2.mul(x, x);
  const m = f64x2.sub(x, one);
  if (core == 1) {
    v128.store(dOut, f64x2.mul(f64x2.mul(splat(6.0), x), m));
    return fmadd(f64x2.sub(f64x2.mul(splat(2.0), x), splat(3.0)), x2, one);
  }
  if (core == 2) {
    v128.store(dOut, f64x2.mul(f64x2.mul(splat(-30.0), x2), f64x2.mul(m, m)));
    const inner = f64x2.sub(f64x2.mul(f64x2.sub(splat(15.0), f64x2.mul(splat(6.0), x)), x), splat(10.0));
    return fmadd(inner, f64x2.mul(x2, x), one);
  }
  if (core == 3) {
    v128.store(dOut, f64x2.mul(f64x2.mul(splat(140.0), f64x2.mul(x2, x)), f64x2.mul(f64x2.mul(m, m), m)));
    const inner = f64x2.sub(f64x2.mul(x, f64x2.add(f64x2.mul(x, f64x2.sub(f64x2.mul(splat(20.0), x), splat(70.0))), splat(84.0))), splat(35.0));
    return fmadd(inner, f64x2.mul(x2, x2), one);
  }
  if (core == 4) {
    const m2 = f64x2.mul(m, m);
    v128.store(dOut, f64x2.mul(f64x2.mul(splat(-630.0), f64x2.mul(x2, x2)), f64x2.mul(m2, m2)));
    const a = f64x2.sub(f64x2.mul(f64x2.sub(splat(315.0), f64x2.mul(splat(70.0), x)), x), splat(540.0));
    const inner = f64x2.sub(f64x2.mul(x, f64x2.add(f64x2.mul(x, a), splat(420.0))), splat(126.0));
    return fmadd(inner, f64x2.mul(f64x2.mul(x2, x2), x), one);
  }
  // e: exp(1 − 1/(1 − x²)); x is clamped below 1 by the caller.
  const s = f64x2.sub(one, x2);
  const v = exp2x(f64x2.sub(one, f64x2.div(one, s)));
  v128.store(dOut, f64x2.mul(v, f64x2.div(f64x2.mul(splat(-2.0), x), f64x2.mul(s, s))));
  return v;
}

/** The largest double below 1. */
const X_BELOW_ONE: f64 = 1.0 - 1.1102230246251565e-16;

/** f_c(r) of cutoff types 0 and 2–8 for r < r_c (other lanes are masked by the caller), f_c' at dOut. */
export function cutoff2x(type: i32, alpha: f64, rc: f64, r: v128, dOut: usize): v128 {
  if (type == 0) {
    v128.store(dOut, splat(0.0));
    return splat(1.0);
  }
  if (type == 2 || type == 3) {
    // tanh u = (1 − e^(−2u)) / (1 + e^(−2u)), u = 1 − r/r_c.
    const u = f64x2.sub(splat(1.0), f64x2.mul(r, splat(1.0 / rc)));
    const e = exp2x(f64x2.mul(splat(-2.0), u));
    const t = f64x2.div(f64x2.sub(splat(1.0), e), f64x2.add(splat(1.0), e));
    const norm = splat(type == 3 ? TANH_NORM : 1.0);
    const t2 = f64x2.mul(t, t);
    v128.store(dOut, f64x2.mul(f64x2.mul(norm, splat(-3.0 / rc)), f64x2.mul(t2, f64x2.sub(splat(1.0), t2))));
    return f64x2.mul(norm, f64x2.mul(t2, t));
  }
  const rci = alpha * rc;
  const width = rc - rci;
  // x ≥ 0 gives f = 1, f' = 0 below r_ci; x ≤ 1 − 2⁻⁵³ keeps EXP finite beyond r_c (masked there)
  // without touching r < r_c (a bound of 0.9999 froze f_c and f_c' over the last 1e-4 r_c).
  const x = f64x2.min(f64x2.max(f64x2.div(f64x2.sub(r, splat(rci)), splat(width)), splat(0.0)), splat(X_BELOW_ONE));
  const v = core2x(type == 4 ? 5 : type - 4, x, dOut);
  v128.store(dOut, f64x2.div(v128.load(dOut), splat(width)));
  return v;
}

/**
 * R(r) = exp(−η (r − r_s)²) f_c(r), zero at r ≥ r_c, given f_c(r) and f_c'(r) (from cutoff2x);
 * with `withDerivative`, R'(r) = e (f_c' − 2η (r − r_s) f_c) (zero at r ≥ r_c) is stored at dOut.
 */
@inline export function gaussianFactor2x(eta: f64, rs: f64, rc: f64, r: v128, fc: v128, dfc: v128, withDerivative: bool, dOut: usize): v128 {
  const inside = f64x2.lt(r, splat(rc));
  const d = f64x2.sub(r, splat(rs));
  const e = exp2x(f64x2.mul(splat(-eta), f64x2.mul(d, d)));
  if (withDerivative) v128.store(dOut, v128.and(f64x2.mul(e, f64x2.sub(dfc, f64x2.mul(splat(2.0 * eta), f64x2.mul(d, fc)))), inside));
  return v128.and(f64x2.mul(e, fc), inside);
}

/** Largest power of powerCode (src/n2p2/kernelTables.ts MAX_POWER). */
export const MAX_POWER = 64;

/** x^p for 1 ≤ p ≤ MAX_POWER by repeated squaring. */
@inline export function power2x(x: v128, p: i32): v128 {
  let out = f64x2.splat(1.0), b = x;
  while (true) {
    if (p & 1) out = f64x2.mul(out, b);
    p >>= 1;
    if (p == 0) break;
    b = f64x2.mul(b, b);
  }
  return out;
}
