// f64x2 polynomial kernels for the hot loops: exp(x) and the cosine cutoff as a function of
// r². Accuracy ~3e-16 relative (exp) and ~4e-16 absolute (cutoff), checked against Math in
// test/kernels/simdMath.test.ts.

/** a·b + c; one fused instruction when the relaxed-SIMD build is compiled. */
@inline export function fmadd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(f64x2.mul(a, b), c);
}

@inline function splat(x: f64): v128 {
  return f64x2.splat(x);
}

// Cody–Waite split of ln 2 (the high part has trailing zero bits, so n·LN2_HI is exact).
const LN2_HI: f64 = 6.93147180369123816490e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const LOG2E: f64 = 1.44269504088896338700e0;

/**
 * exp(x) for both lanes, x ≥ −700 (smaller inputs are clamped, giving ~1e-304 instead of 0).
 * x = n ln2 + r with |r| ≤ ln2/2, exp(r) by its degree-12 Taylor polynomial (Horner), then the
 * factor 2^n is added to the exponent bits.
 */
@inline export function exp2x(x0: v128): v128 {
  const x = f64x2.min(f64x2.max(x0, splat(-700.0)), splat(700.0));
  const n = f64x2.nearest(f64x2.mul(x, splat(LOG2E)));
  let r = fmadd(n, splat(-LN2_HI), x);
  r = fmadd(n, splat(-LN2_LO), r);
  // Σ_{i=0}^{12} r^i / i! by Estrin's scheme: a shorter dependency chain than Horner's.
  const r2 = f64x2.mul(r, r), r4 = f64x2.mul(r2, r2), r8 = f64x2.mul(r4, r4);
  const q01 = fmadd(r, splat(1.0), splat(1.0));
  const q23 = fmadd(r, splat(1.66666666666666666667e-1), splat(0.5)); // 1/3!, 1/2!
  const q45 = fmadd(r, splat(8.33333333333333333333e-3), splat(4.16666666666666666667e-2)); // 1/5!, 1/4!
  const q67 = fmadd(r, splat(1.98412698412698412698e-4), splat(1.38888888888888888889e-3)); // 1/7!, 1/6!
  const q89 = fmadd(r, splat(2.75573192239858906526e-6), splat(2.48015873015873015873e-5)); // 1/9!, 1/8!
  const q1011 = fmadd(r, splat(2.50521083854417187751e-8), splat(2.75573192239858906526e-7)); // 1/11!, 1/10!
  const q0123 = fmadd(r2, q23, q01);
  const q4567 = fmadd(r2, q67, q45);
  const q891011 = fmadd(r2, q1011, q89);
  const q8_12 = fmadd(r4, splat(2.08767569878680989792e-9), q891011); // 1/12!
  const p = fmadd(r8, q8_12, fmadd(r4, q4567, q0123));
  const k = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(n));
  return i64x2.add(p, i64x2.shl(k, 52));
}

/**
 * Cosine cutoff from the squared distance, f_c = ½ [cos(π r / r_c) + 1] with r = √x, for
 * 0 ≤ x ≤ r_c². cos(√(y)) = Σ_n (−y)^n / (2n)! with y = π² x / r_c² ≤ π² needs no square root
 * and no range reduction; 16 terms reach 3e-18 (evaluated by Estrin's scheme). piOverRc2 = π² / r_c².
 */
@inline export function cutoffOfSquared2x(x: v128, piOverRc2: v128): v128 {
  const y = f64x2.neg(f64x2.mul(x, piOverRc2));
  // Σ_{n=0}^{15} c_n y^n, c_n = 1/(2n)!, by Estrin's scheme.
  const y2 = f64x2.mul(y, y), y4 = f64x2.mul(y2, y2), y8 = f64x2.mul(y4, y4);
  const q01 = fmadd(y, splat(0.5), splat(1.0));
  const q23 = fmadd(y, splat(1.0 / 720.0), splat(1.0 / 24.0));
  const q45 = fmadd(y, splat(1.0 / 3628800.0), splat(1.0 / 40320.0));
  const q67 = fmadd(y, splat(1.0 / 87178291200.0), splat(1.0 / 479001600.0));
  const q89 = fmadd(y, splat(1.0 / 6.402373705728e15), splat(1.0 / 20922789888000.0));
  const q1011 = fmadd(y, splat(1.0 / 1.1240007277776077e21), splat(1.0 / 2.43290200817664e18));
  const q1213 = fmadd(y, splat(1.0 / 4.0329146112660565e26), splat(1.0 / 6.204484017332394e23));
  const q1415 = fmadd(y, splat(1.0 / 2.6525285981219105e32), splat(1.0 / 3.0488834461171386e29));
  const q0_3 = fmadd(y2, q23, q01), q4_7 = fmadd(y2, q67, q45);
  const q8_11 = fmadd(y2, q1011, q89), q12_15 = fmadd(y2, q1415, q1213);
  const p = fmadd(y8, fmadd(y4, q12_15, q8_11), fmadd(y4, q4_7, q0_3));
  return fmadd(p, splat(0.5), splat(0.5));
}
