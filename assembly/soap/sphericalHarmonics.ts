// Real orthonormal spherical harmonics Y_lm(r̂), l = 0..lMax, m = −l..l, stored at lm = l² + l + m,
// in Cartesian form (no trigonometric functions). With u = r̂ = (x, y, z) and C_m + i S_m = (x + iy)^m:
//   Y_l0  = q_l0(z),
//   Y_lm  = q_lm(z) C_m(x, y)    (m > 0, ∝ cos mφ),
//   Y_l−m = q_lm(z) S_m(x, y)    (m > 0, ∝ sin mφ),
// where q_lm = √2^[m>0] N_lm P_lm(z) / (1 − z²)^(m/2), N_lm = √((2l+1)/(4π) (l−m)!/(l+m)!), and
// P_lm the associated Legendre function without the Condon–Shortley phase. q_lm (a polynomial of
// degree l − m in z) follows the normalised recurrences
//   q_00 = 1/√(4π),  q_11 = √3 q_00,  q_mm = √((2m+1)/(2m)) q_{m−1,m−1}  (m ≥ 2),
//   q_lm = a_lm (z q_{l−1,m} − b_lm q_{l−2,m}),  a_lm = √((4l²−1)/(l²−m²)),
//   b_lm = √(((l−1)² − m²)/(4(l−1)² − 1))   (l > m; b_{m+1,m} = 0, so q_{m−1,m} is never needed),
// and C_{m+1} = x C_m − y S_m, S_{m+1} = x S_m + y C_m.
import { ldf, stf } from '../memory';

/** Largest l the kernels accept (the coefficient table is static). */
export const SH_L_MAX: i32 = 20;

/** Number of f64 in a coefficient table for lMax: 2 per (l, m ≥ 0), i.e. (lMax+1)(lMax+2). */
export function shCoefficientCount(lMax: i32): i32 {
  return (lMax + 1) * (lMax + 2);
}

// Static table for the exported kernels, sized for SH_L_MAX (21·22 f64 = 3696 bytes); it is
// rewritten on every call, so the kernels keep no state between calls.
const COEF: usize = memory.data(21 * 22 * 8, 16);

// Index of (l, m ≥ 0) in the triangular table: l(l+1)/2 + m.
@inline function tri(l: i32, m: i32): i32 {
  return ((l * (l + 1)) >> 1) + m;
}

/**
 * Fills `coef` (f64[(lMax+1)(lMax+2)]) with the recurrence constants: at 2·tri(l, m) and
 * 2·tri(l, m) + 1 the pair (a_lm, b_lm) for l > m; on the diagonal (l = m) the factor
 * q_mm / q_{m−1,m−1} (for m = 0 the value q_00 = 1/√(4π)), b unused.
 */
export function shCoefficients(lMax: i32, coef: usize): void {
  for (let m = 0; m <= lMax; m++) {
    const k = tri(m, m);
    const mm = <f64>m;
    // √2 of the real m > 0 harmonics is folded into q_11 = √(3/2)·√2·q_00.
    const diag = m == 0 ? 0.28209479177387814 /* 1/√(4π) */ : m == 1 ? Math.sqrt(3.0) : Math.sqrt((2.0 * mm + 1.0) / (2.0 * mm));
    stf(coef, 2 * k, diag);
    stf(coef, 2 * k + 1, 0.0);
    for (let l = m + 1; l <= lMax; l++) {
      const ll = <f64>l, l1 = <f64>(l - 1);
      const j = tri(l, m);
      stf(coef, 2 * j, Math.sqrt((4.0 * ll * ll - 1.0) / (ll * ll - mm * mm)));
      stf(coef, 2 * j + 1, Math.sqrt((l1 * l1 - mm * mm) / (4.0 * l1 * l1 - 1.0)));
    }
  }
}

/**
 * Y_lm at one unit vector (x, y, z) into out[(lMax+1)²] (index l² + l + m), with the constants of
 * {@link shCoefficients}. The vector must be normalised by the caller.
 */
export function shValuesAt(lMax: i32, coef: usize, x: f64, y: f64, z: f64, out: usize): void {
  let c = 1.0, s = 0.0; // C_m, S_m
  let qmm = 1.0;
  for (let m = 0; m <= lMax; m++) {
    qmm *= ldf(coef, 2 * tri(m, m));
    let q2 = 0.0, q1 = qmm; // q_{l−2,m}, q_{l−1,m}
    for (let l = m; l <= lMax; l++) {
      let q = qmm;
      if (l > m) {
        const j = 2 * tri(l, m);
        q = ldf(coef, j) * (z * q1 - ldf(coef, j + 1) * q2);
        q2 = q1;
        q1 = q;
      }
      const lm = l * l + l;
      if (m == 0) {
        stf(out, lm, q);
      } else {
        stf(out, lm + m, q * c);
        stf(out, lm - m, q * s);
      }
    }
    const cn = x * c - y * s; // (x + iy)^(m+1)
    s = x * s + y * c;
    c = cn;
  }
}

/**
 * Y_lm and ∂Y_lm(r̂)/∂r at one vector given by its unit direction (x, y, z) and invR = 1/|r|:
 * out[(lMax+1)²] as in {@link shValuesAt}, dOut[3][(lMax+1)²] (rows ∂/∂x, ∂/∂y, ∂/∂z).
 * With F the extension q_lm(z)·C_m(x, y) off the sphere, ∂Y/∂r = (I − u uᵀ) ∇F(u) / |r|, where
 * ∂C_m/∂x = m C_{m−1}, ∂C_m/∂y = −m S_{m−1}, ∂S_m/∂x = m S_{m−1}, ∂S_m/∂y = m C_{m−1} and
 * q'_lm = a_lm (q_{l−1,m} + z q'_{l−1,m} − b_lm q'_{l−2,m}) (q'_mm = 0).
 */
export function shValuesAndGradientsAt(lMax: i32, coef: usize, x: f64, y: f64, z: f64, invR: f64, out: usize, dOut: usize): void {
  const nLM = (lMax + 1) * (lMax + 1);
  const dX = dOut, dY = dOut + (<usize>nLM << 3), dZ = dOut + (<usize>(2 * nLM) << 3);
  let c = 1.0, s = 0.0; // C_m, S_m
  let cp = 0.0, sp = 0.0; // C_{m−1}, S_{m−1} (unused at m = 0)
  let qmm = 1.0;
  for (let m = 0; m <= lMax; m++) {
    qmm *= ldf(coef, 2 * tri(m, m));
    const fm = <f64>m;
    let q2 = 0.0, q1 = qmm, d2 = 0.0, d1 = 0.0; // q and q' at l−2, l−1
    for (let l = m; l <= lMax; l++) {
      let q = qmm, dq = 0.0;
      if (l > m) {
        const j = 2 * tri(l, m);
        const a = ldf(coef, j), b = ldf(coef, j + 1);
        q = a * (z * q1 - b * q2);
        dq = a * (q1 + z * d1 - b * d2);
        q2 = q1;
        q1 = q;
        d2 = d1;
        d1 = dq;
      }
      const lm = l * l + l;
      if (m == 0) {
        stf(out, lm, q);
        // ∇F = (0, 0, q'); minus its radial part u·(u_z q').
        const g = dq * invR;
        stf(dX, lm, -x * z * g);
        stf(dY, lm, -y * z * g);
        stf(dZ, lm, (1.0 - z * z) * g);
      } else {
        const mq = fm * q;
        stf(out, lm + m, q * c);
        stf(out, lm - m, q * s);
        // cos part: ∇F = (m q C_{m−1}, −m q S_{m−1}, q' C_m)
        let gx = mq * cp, gy = -mq * sp, gz = dq * c;
        let t = x * gx + y * gy + z * gz;
        stf(dX, lm + m, (gx - x * t) * invR);
        stf(dY, lm + m, (gy - y * t) * invR);
        stf(dZ, lm + m, (gz - z * t) * invR);
        // sin part: ∇F = (m q S_{m−1}, m q C_{m−1}, q' S_m)
        gx = mq * sp;
        gy = mq * cp;
        gz = dq * s;
        t = x * gx + y * gy + z * gz;
        stf(dX, lm - m, (gx - x * t) * invR);
        stf(dY, lm - m, (gy - y * t) * invR);
        stf(dZ, lm - m, (gz - z * t) * invR);
      }
    }
    cp = c;
    sp = s;
    const cn = x * c - y * s;
    s = x * s + y * c;
    c = cn;
  }
}

/**
 * Real orthonormal spherical harmonics of n directions.
 *
 * @param n number of vectors.
 * @param xyz f64[3n], the vectors (x, y, z) one after another; they are normalised here, so any
 *   length > 0 works (the zero vector is treated as +ẑ).
 * @param lMax 0..20 (other values write nothing).
 * @param out f64[n][(lMax+1)²]: Y_lm of vector i at i·(lMax+1)² + l² + l + m.
 * Uses a static table of constants rewritten on every call (no allocation, no scratch argument).
 */
export function realSphericalHarmonics(n: i32, xyz: usize, lMax: i32, out: usize): void {
  if (lMax < 0 || lMax > SH_L_MAX) return;
  shCoefficients(lMax, COEF);
  const nLM = (lMax + 1) * (lMax + 1);
  for (let i = 0; i < n; i++) {
    let x = ldf(xyz, 3 * i), y = ldf(xyz, 3 * i + 1), z = ldf(xyz, 3 * i + 2);
    const r2 = x * x + y * y + z * z;
    if (r2 > 0.0) {
      const inv = 1.0 / Math.sqrt(r2);
      x *= inv;
      y *= inv;
      z *= inv;
    } else {
      z = 1.0;
    }
    shValuesAt(lMax, COEF, x, y, z, out + (<usize>i * <usize>nLM << 3));
  }
}

/**
 * Real orthonormal spherical harmonics of n vectors and their gradients with respect to the
 * vector: ∂Y_lm(r/|r|)/∂r, which includes the 1/|r| factor and is perpendicular to r.
 *
 * @param n number of vectors.
 * @param xyz f64[3n], the vectors r (any length > 0; the zero vector gives Y(+ẑ) and zero gradient).
 * @param lMax 0..20 (other values write nothing).
 * @param out f64[n][(lMax+1)²] as in {@link realSphericalHarmonics}.
 * @param dOut f64[n][3][(lMax+1)²]: ∂Y_lm/∂r_c of vector i at (3i + c)·(lMax+1)² + l² + l + m,
 *   c = 0, 1, 2 for x, y, z.
 */
export function realSphericalHarmonicsWithGradients(n: i32, xyz: usize, lMax: i32, out: usize, dOut: usize): void {
  if (lMax < 0 || lMax > SH_L_MAX) return;
  shCoefficients(lMax, COEF);
  const nLM = (lMax + 1) * (lMax + 1);
  for (let i = 0; i < n; i++) {
    let x = ldf(xyz, 3 * i), y = ldf(xyz, 3 * i + 1), z = ldf(xyz, 3 * i + 2);
    const r2 = x * x + y * y + z * z;
    let invR = 0.0;
    if (r2 > 0.0) {
      invR = 1.0 / Math.sqrt(r2);
      x *= invR;
      y *= invR;
      z *= invR;
    } else {
      z = 1.0;
    }
    const row = <usize>i * <usize>nLM;
    shValuesAndGradientsAt(lMax, COEF, x, y, z, invR, out + (row << 3), dOut + (3 * row << 3));
  }
}
