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
// The *PairAt versions evaluate two directions at once in the two f64x2 lanes (lane 0 = A,
// lane 1 = B) with the same operations in the same order, so without fused multiply-add (plain
// SIMD build) they give bit for bit the results of two scalar calls; the relaxed-SIMD build fuses
// some products (last-ulp differences).
import { ldf, stf } from '../memory';
import { fmadd } from '../math/simdMath';

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

// Byte offset of the pair (a_lm, −b_lm) (or the diagonal factor) of (l, m) in a coefficient table.
@inline function coefOffset(l: i32, m: i32): usize {
  return <usize>tri(l, m) << 4;
}

// (a, b) as one f64x2 value: lane 0 = a, lane 1 = b.
@inline function lanes(a: f64, b: f64): v128 {
  return f64x2.replace_lane(f64x2.splat(a), 1, b);
}

// Lane 0 of v to rowA[i], lane 1 to rowB[i].
@inline function store2(rowA: usize, rowB: usize, i: i32, v: v128): void {
  const off = <usize>i << 3;
  v128.store64_lane(rowA + off, v, 0);
  v128.store64_lane(rowB + off, v, 1);
}

/**
 * Fills `coef` (f64[(lMax+1)(lMax+2)]) with the recurrence constants: at 2·tri(l, m) and
 * 2·tri(l, m) + 1 the pair (a_lm, −b_lm) for l > m (b negated so the recurrence is a sum, which
 * one fused multiply-add evaluates in the pair kernels); on the diagonal (l = m) the factor
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
      stf(coef, 2 * j + 1, -Math.sqrt((l1 * l1 - mm * mm) / (4.0 * l1 * l1 - 1.0)));
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
        q = ldf(coef, j) * (z * q1 + ldf(coef, j + 1) * q2); // a (z q1 − b q2)
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
 * {@link shValuesAt} for two unit vectors A and B at once (one f64x2 lane each): Y_lm(A) into
 * outA[(lMax+1)²] and Y_lm(B) into outB[(lMax+1)²], the same values as two shValuesAt calls.
 */
export function shValuesPairAt(
  lMax: i32, coef: usize,
  xA: f64, yA: f64, zA: f64, xB: f64, yB: f64, zB: f64,
  outA: usize, outB: usize,
): void {
  shPair(lMax, coef, xA, yA, zA, xB, yB, zB, v128.load64_splat(coef), outA, outB);
}

/**
 * {@link shValuesPairAt} scaled by wA and wB: wA·Y_lm(A) into outA, wB·Y_lm(B) into outB. Every
 * Y_lm is linear in the seed q_00 of the recurrences, so the weights scale the seed.
 */
export function shWeightedValuesPairAt(
  lMax: i32, coef: usize,
  xA: f64, yA: f64, zA: f64, xB: f64, yB: f64, zB: f64, wA: f64, wB: f64,
  outA: usize, outB: usize,
): void {
  shPair(lMax, coef, xA, yA, zA, xB, yB, zB, f64x2.mul(v128.load64_splat(coef), lanes(wA, wB)), outA, outB);
}

/** The recurrences of shValuesPairAt from the seed q00 (q_00 of each lane). */
@inline function shPair(
  lMax: i32, coef: usize,
  xA: f64, yA: f64, zA: f64, xB: f64, yB: f64, zB: f64, q00: v128,
  outA: usize, outB: usize,
): void {
  const x = lanes(xA, xB), y = lanes(yA, yB), z = lanes(zA, zB);
  // m = 0: Y_l0 = q_l0, q_l0 = a (z q_{l−1,0} − b q_{l−2,0}).
  let qmm = q00; // q_00
  let q2 = f64x2.splat(0.0), q1 = qmm;
  store2(outA, outB, 0, qmm);
  for (let l = 1; l <= lMax; l++) {
    const p = coef + coefOffset(l, 0);
    const q = f64x2.mul(v128.load64_splat(p), fmadd(z, q1, f64x2.mul(v128.load64_splat(p, 8), q2)));
    q2 = q1;
    q1 = q;
    store2(outA, outB, l * l + l, q);
  }
  let c = f64x2.splat(1.0), s = f64x2.splat(0.0); // C_m, S_m
  for (let m = 1; m <= lMax; m++) {
    // C_m + i S_m = (x + iy)(C_{m−1} + i S_{m−1})
    const cn = f64x2.sub(f64x2.mul(x, c), f64x2.mul(y, s));
    s = f64x2.add(f64x2.mul(x, s), f64x2.mul(y, c));
    c = cn;
    qmm = f64x2.mul(qmm, v128.load64_splat(coef + coefOffset(m, m))); // q_mm
    q2 = f64x2.splat(0.0);
    q1 = qmm;
    let lm = m * m + m; // l² + l at l = m
    store2(outA, outB, lm + m, f64x2.mul(qmm, c));
    store2(outA, outB, lm - m, f64x2.mul(qmm, s));
    for (let l = m + 1; l <= lMax; l++) {
      const p = coef + coefOffset(l, m);
      // q_lm = a (z q_{l−1,m} − b q_{l−2,m}); Y_lm = q C_m, Y_l−m = q S_m
      const q = f64x2.mul(v128.load64_splat(p), fmadd(z, q1, f64x2.mul(v128.load64_splat(p, 8), q2)));
      q2 = q1;
      q1 = q;
      lm = l * l + l;
      store2(outA, outB, lm + m, f64x2.mul(q, c));
      store2(outA, outB, lm - m, f64x2.mul(q, s));
    }
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
        const a = ldf(coef, j), nb = ldf(coef, j + 1); // a_lm, −b_lm
        q = a * (z * q1 + nb * q2);
        dq = a * (z * d1 + q1 + nb * d2); // a (q1 + z d1 − b d2)
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
 * {@link shValuesAndGradientsAt} for two vectors A and B at once (one f64x2 lane each): unit
 * directions (xA, yA, zA), (xB, yB, zB) with 1/|r| invRA, invRB; values into outA, outB
 * ((lMax+1)² each) and gradients into dOutA, dOutB (3 rows ∂/∂x, ∂/∂y, ∂/∂z of (lMax+1)² each),
 * the same as two shValuesAndGradientsAt calls.
 */
export function shValuesAndGradientsPairAt(
  lMax: i32, coef: usize,
  xA: f64, yA: f64, zA: f64, invRA: f64,
  xB: f64, yB: f64, zB: f64, invRB: f64,
  outA: usize, dOutA: usize, outB: usize, dOutB: usize,
): void {
  const nLM = (lMax + 1) * (lMax + 1);
  const dXA = dOutA, dYA = dOutA + (<usize>nLM << 3), dZA = dOutA + (<usize>(2 * nLM) << 3);
  const dXB = dOutB, dYB = dOutB + (<usize>nLM << 3), dZB = dOutB + (<usize>(2 * nLM) << 3);
  const x = lanes(xA, xB), y = lanes(yA, yB), z = lanes(zA, zB), invR = lanes(invRA, invRB);
  const zero = f64x2.splat(0.0);
  // m = 0: ∇F = (0, 0, q'); minus its radial part: ∂Y/∂r = q'/|r| (−x z, −y z, 1 − z²).
  {
    const nxz = f64x2.mul(f64x2.neg(x), z), nyz = f64x2.mul(f64x2.neg(y), z);
    const omz = f64x2.sub(f64x2.splat(1.0), f64x2.mul(z, z));
    const q00 = v128.load64_splat(coef);
    let q2 = zero, q1 = q00, d2 = zero, d1 = zero; // q and q' at l−2, l−1
    store2(outA, outB, 0, q00);
    const g0 = f64x2.mul(zero, invR); // q'_00 = 0 (signed zeros as in the scalar version)
    store2(dXA, dXB, 0, f64x2.mul(nxz, g0));
    store2(dYA, dYB, 0, f64x2.mul(nyz, g0));
    store2(dZA, dZB, 0, f64x2.mul(omz, g0));
    for (let l = 1; l <= lMax; l++) {
      const p = coef + coefOffset(l, 0);
      const a = v128.load64_splat(p), nb = v128.load64_splat(p, 8); // a_l0, −b_l0
      const q = f64x2.mul(a, fmadd(z, q1, f64x2.mul(nb, q2))); // a (z q1 − b q2)
      const dq = f64x2.mul(a, fmadd(nb, d2, fmadd(z, d1, q1))); // a (q1 + z d1 − b d2)
      q2 = q1;
      q1 = q;
      d2 = d1;
      d1 = dq;
      const lm = l * l + l;
      store2(outA, outB, lm, q);
      const g = f64x2.mul(dq, invR);
      store2(dXA, dXB, lm, f64x2.mul(nxz, g));
      store2(dYA, dYB, lm, f64x2.mul(nyz, g));
      store2(dZA, dZB, lm, f64x2.mul(omz, g));
    }
  }
  let c = f64x2.splat(1.0), s = zero; // C_m, S_m
  let qmm = v128.load64_splat(coef);
  for (let m = 1; m <= lMax; m++) {
    const cp = c, sp = s; // C_{m−1}, S_{m−1}
    c = f64x2.sub(f64x2.mul(x, cp), f64x2.mul(y, sp));
    s = f64x2.add(f64x2.mul(x, sp), f64x2.mul(y, cp));
    qmm = f64x2.mul(qmm, v128.load64_splat(coef + coefOffset(m, m)));
    let q2 = zero, q1 = qmm, d2 = zero, d1 = zero;
    gradientPairOut(m, m * m + m, qmm, zero, x, y, z, invR, c, s, cp, sp, outA, outB, dXA, dXB, dYA, dYB, dZA, dZB); // q'_mm = 0
    for (let l = m + 1; l <= lMax; l++) {
      const p = coef + coefOffset(l, m);
      const a = v128.load64_splat(p), nb = v128.load64_splat(p, 8);
      const q = f64x2.mul(a, fmadd(z, q1, f64x2.mul(nb, q2)));
      const dq = f64x2.mul(a, fmadd(nb, d2, fmadd(z, d1, q1)));
      q2 = q1;
      q1 = q;
      d2 = d1;
      d1 = dq;
      gradientPairOut(m, l * l + l, q, dq, x, y, z, invR, c, s, cp, sp, outA, outB, dXA, dXB, dYA, dYB, dZA, dZB);
    }
  }
}

// Y_l±m and their gradients (m > 0) at lm = l² + l from q_lm, q'_lm, C_m, S_m, C_{m−1}, S_{m−1}.
@inline function gradientPairOut(
  m: i32, lm: i32, q: v128, dq: v128, x: v128, y: v128, z: v128, invR: v128,
  c: v128, s: v128, cp: v128, sp: v128,
  outA: usize, outB: usize, dXA: usize, dXB: usize, dYA: usize, dYB: usize, dZA: usize, dZB: usize,
): void {
  const mq = f64x2.mul(f64x2.splat(<f64>m), q);
  store2(outA, outB, lm + m, f64x2.mul(q, c));
  store2(outA, outB, lm - m, f64x2.mul(q, s));
  // mq C_{m−1} and mq S_{m−1} serve both parts ((−mq)·S_{m−1} = −(mq·S_{m−1}) exactly).
  const mqc = f64x2.mul(mq, cp), mqs = f64x2.mul(mq, sp);
  // cos part: ∇F = (m q C_{m−1}, −m q S_{m−1}, q' C_m), t = u·∇F, ∂Y/∂r = (∇F − u t)/|r|
  const nmqs = f64x2.neg(mqs);
  let gz = f64x2.mul(dq, c);
  let t = fmadd(z, gz, fmadd(y, nmqs, f64x2.mul(x, mqc)));
  store2(dXA, dXB, lm + m, f64x2.mul(f64x2.sub(mqc, f64x2.mul(x, t)), invR));
  store2(dYA, dYB, lm + m, f64x2.mul(f64x2.sub(nmqs, f64x2.mul(y, t)), invR));
  store2(dZA, dZB, lm + m, f64x2.mul(f64x2.sub(gz, f64x2.mul(z, t)), invR));
  // sin part: ∇F = (m q S_{m−1}, m q C_{m−1}, q' S_m)
  gz = f64x2.mul(dq, s);
  t = fmadd(z, gz, fmadd(y, mqc, f64x2.mul(x, mqs)));
  store2(dXA, dXB, lm - m, f64x2.mul(f64x2.sub(mqs, f64x2.mul(x, t)), invR));
  store2(dYA, dYB, lm - m, f64x2.mul(f64x2.sub(mqc, f64x2.mul(y, t)), invR));
  store2(dZA, dZB, lm - m, f64x2.mul(f64x2.sub(gz, f64x2.mul(z, t)), invR));
}

// 1/|r| for r = (x, y, z), or 0 for the zero vector (whose direction the kernels take as +ẑ).
@inline function invLength(x: f64, y: f64, z: f64): f64 {
  const r2 = x * x + y * y + z * z;
  return r2 > 0.0 ? 1.0 / Math.sqrt(r2) : 0.0;
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
  const rowBytes = <usize>((lMax + 1) * (lMax + 1)) << 3;
  // Vectors 2k and 2k + 1 together (f64x2 lanes), a last odd one alone.
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const p = xyz + (<usize>(3 * i) << 3);
    const xA = load<f64>(p), yA = load<f64>(p, 8), zA = load<f64>(p, 16);
    const xB = load<f64>(p, 24), yB = load<f64>(p, 32), zB = load<f64>(p, 40);
    const iA = invLength(xA, yA, zA), iB = invLength(xB, yB, zB);
    const row = out + <usize>i * rowBytes;
    shValuesPairAt(lMax, COEF, xA * iA, yA * iA, iA > 0.0 ? zA * iA : 1.0, xB * iB, yB * iB, iB > 0.0 ? zB * iB : 1.0, row, row + rowBytes);
  }
  if (i < n) {
    const p = xyz + (<usize>(3 * i) << 3);
    const x = load<f64>(p), y = load<f64>(p, 8), z = load<f64>(p, 16);
    const inv = invLength(x, y, z);
    shValuesAt(lMax, COEF, x * inv, y * inv, inv > 0.0 ? z * inv : 1.0, out + <usize>i * rowBytes);
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
  const rowBytes = <usize>((lMax + 1) * (lMax + 1)) << 3;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const p = xyz + (<usize>(3 * i) << 3);
    const xA = load<f64>(p), yA = load<f64>(p, 8), zA = load<f64>(p, 16);
    const xB = load<f64>(p, 24), yB = load<f64>(p, 32), zB = load<f64>(p, 40);
    const iA = invLength(xA, yA, zA), iB = invLength(xB, yB, zB);
    const row = out + <usize>i * rowBytes, dRow = dOut + <usize>(3 * i) * rowBytes;
    shValuesAndGradientsPairAt(
      lMax, COEF,
      xA * iA, yA * iA, iA > 0.0 ? zA * iA : 1.0, iA,
      xB * iB, yB * iB, iB > 0.0 ? zB * iB : 1.0, iB,
      row, dRow, row + rowBytes, dRow + 3 * rowBytes,
    );
  }
  if (i < n) {
    const p = xyz + (<usize>(3 * i) << 3);
    const x = load<f64>(p), y = load<f64>(p, 8), z = load<f64>(p, 16);
    const inv = invLength(x, y, z);
    shValuesAndGradientsAt(lMax, COEF, x * inv, y * inv, inv > 0.0 ? z * inv : 1.0, inv, out + <usize>i * rowBytes, dOut + <usize>(3 * i) * rowBytes);
  }
}
