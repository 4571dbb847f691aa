// f32x4 helpers for the float32 kernels.

/** a·b + c in f32x4; one fused instruction when the relaxed-SIMD build is compiled. */
@inline export function fmaddF32(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}
