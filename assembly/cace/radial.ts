// R_n(r) f(r) of one edge (spec section 3): the radial basis times the cutoff envelope.
import { ldf, stf } from '../memory';
import { sin2x } from '../math/sinSimd';
import {
  CUTOFF_COS, CUTOFF_MOLLIFIER, CUTOFF_POLY, CUTOFF_SWITCH, RADIAL_BESSEL, RADIAL_EXPONENTIAL_DECAY,
  RADIAL_GAUSSIAN, RADIAL_GAUSSIAN_CENTERED,
} from './config';

/** x^p: repeated multiplication for a small integer p, else Math.pow. */
@inline function powReal(x: f64, p: f64): f64 {
  const n = <i32>p;
  if (<f64>n == p && n >= 0 && n <= 64) {
    let y: f64 = 1.0;
    for (let i = 0; i < n; i++) y *= x;
    return y;
  }
  return Math.pow(x, p);
}

/** The envelope f(r), zero for r ≥ r_c (switch: zero from `off`). */
export function envelope(r: f64, type: i32, rc: f64, a: f64, b: f64): f64 {
  if (type == CUTOFF_POLY) {
    if (r >= rc) return 0.0;
    // 1 − (p+1)(p+2)/2 x^p + p(p+2) x^(p+1) − p(p+1)/2 x^(p+2), x = r/r_c (DimeNet).
    const x = r / rc;
    const xp = powReal(x, a);
    return 1.0 - ((a + 1.0) * (a + 2.0) / 2.0) * xp + a * (a + 2.0) * xp * x - (a * (a + 1.0) / 2.0) * xp * x * x;
  }
  if (type == CUTOFF_COS) {
    if (r >= rc) return 0.0;
    return 0.5 * (Math.cos((Math.PI * r) / rc) + 1.0);
  }
  if (type == CUTOFF_MOLLIFIER) {
    if (!(r + a < rc)) return 0.0;
    return Math.exp(1.0 - 1.0 / (1.0 - (r * r) / (rc * rc)));
  }
  if (type == CUTOFF_SWITCH) {
    const x = (r - a) / (b - a);
    if (x <= 0.0) return 1.0;
    if (x >= 1.0) return 0.0;
    const fp = Math.exp(-1.0 / x), fm = Math.exp(-1.0 / (1.0 - x));
    return fm / (fp + fm);
  }
  return 0.0;
}

/**
 * out[n] = R_n(r) · f for n < nR (lanes up to nRP are written too, zero weights give zero).
 * params[n]: Bessel w_n; Gaussian μ_n; centred Gaussian 1/σ_n²; exponential 1/r0_n.
 */
export function radialTimesEnvelope(r: f64, f: f64, type: i32, nR: i32, nRP: i32, params: usize, scalar: f64, out: usize): void {
  if (type == RADIAL_BESSEL) {
    // sqrt(2/r_c) sin(w_n r) / r, two n at a time.
    const rr = f64x2.splat(r);
    const scale = f64x2.splat((scalar * f) / r);
    for (let n = 0; n < nRP; n += 2) {
      const w = v128.load(params + (<usize>n << 3));
      v128.store(out + (<usize>n << 3), f64x2.mul(sin2x(f64x2.mul(w, rr)), scale));
    }
    return;
  }
  for (let n = 0; n < nR; n++) {
    const q = ldf(params, n);
    let g: f64 = 0.0;
    if (type == RADIAL_GAUSSIAN) {
      const x = r - q;
      g = Math.exp(-0.5 * x * x * scalar);
    } else if (type == RADIAL_GAUSSIAN_CENTERED) {
      g = Math.exp(-0.5 * r * r * q);
    } else if (type == RADIAL_EXPONENTIAL_DECAY) {
      g = scalar * Math.exp(-r * q);
    }
    stf(out, n, g * f);
  }
  for (let n = nR; n < nRP; n++) stf(out, n, 0.0);
}

/** df/dr of {@link envelope}. */
export function envelopeDerivative(r: f64, type: i32, rc: f64, a: f64, b: f64): f64 {
  if (type == CUTOFF_POLY) {
    if (r >= rc) return 0.0;
    // −p(p+1)(p+2)/(2 r_c) x^(p−1) (1 − x)².
    const x = r / rc;
    return ((-a * (a + 1.0) * (a + 2.0)) / (2.0 * rc)) * powReal(x, a - 1.0) * (1.0 - x) * (1.0 - x);
  }
  if (type == CUTOFF_COS) {
    if (r >= rc) return 0.0;
    return -0.5 * (Math.PI / rc) * Math.sin((Math.PI * r) / rc);
  }
  if (type == CUTOFF_MOLLIFIER) {
    if (!(r + a < rc)) return 0.0;
    const y = (r * r) / (rc * rc);
    const f = Math.exp(1.0 - 1.0 / (1.0 - y));
    return (f * (-2.0 * r)) / (rc * rc * (1.0 - y) * (1.0 - y));
  }
  if (type == CUTOFF_SWITCH) {
    const w = b - a;
    const x = (r - a) / w;
    if (x <= 0.0 || x >= 1.0) return 0.0;
    const fp = Math.exp(-1.0 / x), fm = Math.exp(-1.0 / (1.0 - x));
    const dfp = fp / (x * x), dfm = -fm / ((1.0 - x) * (1.0 - x));
    const s = fp + fm;
    return (dfm * fp - fm * dfp) / (s * s) / w;
  }
  return 0.0;
}

const HALF_PI: f64 = 1.5707963267948966;

/** rf[n] = R_n f and drf[n] = d(R_n f)/dr, given f and f' (lanes up to nRP). */
export function radialWithDerivative(
  r: f64, f: f64, df: f64, type: i32, nR: i32, nRP: i32, params: usize, scalar: f64, rf: usize, drf: usize,
): void {
  if (type == RADIAL_BESSEL) {
    // R = a sin(w r)/r, R' = a (w cos(w r)/r − sin(w r)/r²), a = sqrt(2/r_c).
    const rr = f64x2.splat(r);
    const inv = f64x2.splat(1.0 / r);
    const a = f64x2.splat(scalar);
    const fv = f64x2.splat(f), dfv = f64x2.splat(df);
    for (let n = 0; n < nRP; n += 2) {
      const w = v128.load(params + (<usize>n << 3));
      const x = f64x2.mul(w, rr);
      const s = sin2x(x);
      const c = sin2x(f64x2.add(x, f64x2.splat(HALF_PI)));
      const R = f64x2.mul(f64x2.mul(a, s), inv);
      const dR = f64x2.mul(a, f64x2.mul(f64x2.sub(f64x2.mul(w, c), f64x2.mul(s, inv)), inv));
      v128.store(rf + (<usize>n << 3), f64x2.mul(R, fv));
      v128.store(drf + (<usize>n << 3), f64x2.add(f64x2.mul(dR, fv), f64x2.mul(R, dfv)));
    }
    return;
  }
  for (let n = 0; n < nR; n++) {
    const q = ldf(params, n);
    let g: f64 = 0.0, dg: f64 = 0.0;
    if (type == RADIAL_GAUSSIAN) {
      const x = r - q;
      g = Math.exp(-0.5 * x * x * scalar);
      dg = -x * scalar * g;
    } else if (type == RADIAL_GAUSSIAN_CENTERED) {
      g = Math.exp(-0.5 * r * r * q);
      dg = -r * q * g;
    } else if (type == RADIAL_EXPONENTIAL_DECAY) {
      g = scalar * Math.exp(-r * q);
      dg = -q * g;
    }
    stf(rf, n, g * f);
    stf(drf, n, dg * f + g * df);
  }
  for (let n = nR; n < nRP; n++) {
    stf(rf, n, 0.0);
    stf(drf, n, 0.0);
  }
}
