// Weighted real spherical harmonics w·Y_lm in float32, four directions at once (one f32x4 lane
// each), for the float32 expansion (assembly/soap/sphericalExpansionF32.ts). The recurrence and
// constants are those of assembly/soap/sphericalHarmonics.ts (see there), rounded to f32:
//   q_00 = 1/√(4π), q_mm = q_{m−1,m−1}·d_m, q_lm = a_lm (z q_{l−1,m} − b_lm q_{l−2,m}),
//   w·Y_l0 = w q_l0, w·Y_l±m = q_lm·(w C_m, w S_m), C_m + i S_m = (x + iy)^m.
// The weight is folded into q_00 (m = 0) and into C_m, S_m. Each step rounds once to f32, so the
// relative error grows about linearly with l (measured ~1e-6 of an l block's largest power-spectrum
// value at l = 12–16, against ~3e-7 when the harmonics were evaluated in f64; test/soap/float32.test.ts).
import { fmaddF32 } from '../math/simdMathF32';

/** coef32[i] = f32(coef[i]) for the (lMax+1)(lMax+2) constants of shCoefficients. */
export function shCoefficientsF32(lMax: i32, coef: usize, coef32: usize): void {
  const n = (lMax + 1) * (lMax + 2);
  for (let i = 0; i < n; i++) store<f32>(coef32 + (<usize>i << 2), <f32>load<f64>(coef + (<usize>i << 3)));
}

// Byte offset of the f32 pair (a_lm, −b_lm) (or the diagonal factor) of (l, m): tri(l, m) = l(l+1)/2 + m.
@inline function coefOffset(l: i32, m: i32): usize {
  return <usize>(((l * (l + 1)) >> 1) + m) << 3;
}

/** Lane k of v to row k at element i. */
@inline function store4(r0: usize, r1: usize, r2: usize, r3: usize, i: i32, v: v128): void {
  const o = <usize>i << 2;
  v128.store32_lane(r0 + o, v, 0);
  v128.store32_lane(r1 + o, v, 1);
  v128.store32_lane(r2 + o, v, 2);
  v128.store32_lane(r3 + o, v, 3);
}

/**
 * row_k[lm] = w_k·Y_lm(x_k, y_k, z_k), lm = 0..(lMax+1)²−1, for the unit vectors and weights in
 * the lanes k = 0..3 of x, y, z, w (f32x4), with the constants coef32 of shCoefficientsF32. Rows
 * may coincide (a repeated lane writes the same values).
 */
export function shWeightedQuadF32(
  lMax: i32, coef32: usize, x: v128, y: v128, z: v128, w: v128, r0: usize, r1: usize, r2: usize, r3: usize,
): void {
  // m = 0: w q_l0.
  let q2 = f32x4.splat(0.0), q1 = f32x4.mul(v128.load32_splat(coef32), w);
  store4(r0, r1, r2, r3, 0, q1);
  for (let l = 1; l <= lMax; l++) {
    const p = coef32 + coefOffset(l, 0);
    const q = f32x4.mul(v128.load32_splat(p), fmaddF32(z, q1, f32x4.mul(v128.load32_splat(p, 4), q2)));
    q2 = q1;
    q1 = q;
    store4(r0, r1, r2, r3, l * l + l, q);
  }
  let c = w, s = f32x4.splat(0.0); // w C_m, w S_m
  let qmm = v128.load32_splat(coef32); // q_00
  for (let m = 1; m <= lMax; m++) {
    const cn = f32x4.sub(f32x4.mul(x, c), f32x4.mul(y, s));
    s = f32x4.add(f32x4.mul(x, s), f32x4.mul(y, c));
    c = cn;
    qmm = f32x4.mul(qmm, v128.load32_splat(coef32 + coefOffset(m, m)));
    q2 = f32x4.splat(0.0);
    q1 = qmm;
    let lm = m * m + m;
    store4(r0, r1, r2, r3, lm + m, f32x4.mul(qmm, c));
    store4(r0, r1, r2, r3, lm - m, f32x4.mul(qmm, s));
    for (let l = m + 1; l <= lMax; l++) {
      const p = coef32 + coefOffset(l, m);
      const q = f32x4.mul(v128.load32_splat(p), fmaddF32(z, q1, f32x4.mul(v128.load32_splat(p, 4), q2)));
      q2 = q1;
      q1 = q;
      lm = l * l + l;
      store4(r0, r1, r2, r3, lm + m, f32x4.mul(q, c));
      store4(r0, r1, r2, r3, lm - m, f32x4.mul(q, s));
    }
  }
}
