// Float32 evaluation of the tabulated SOAP radial integrals I_nl(r): the quintic Hermite of
// assembly/soap/radialTable.ts on a float32 copy of the table (src/soap/radialTable.ts,
// soapKernelTableF32), f32x4 over the channels.
//
// Layout: data[(i·3 + d)·M + l·n_maxP + n] (f32), d = 0: I, 1: dI/dr, 2: d²I/dr², n_maxP = n_max
// rounded up to a multiple of 4 (zeros in the padding), M = (l_max+1)·n_maxP. With t = r/h − i:
//   I(r) = H0 f_i + h H1 f'_i + h² H2 f''_i + H5 f_{i+1} + h H4 f'_{i+1} + h² H3 f''_{i+1}.
// t and the six weights are computed in f64 (t = r/h − i would lose up to log2(K) bits in f32)
// and rounded to f32 only when splatted, so the error is the f32 rounding of the table data and
// of the six-term sum: a few ulp of the channel's scale.
import { fmaddF32 } from '../math/simdMathF32';

/**
 * out[c] = w0 p0[c] + … + w5 p5[c] over `bytes` (a multiple of 16), two passes of three terms as
 * in radialTable.ts: a one-pass loop (six weights live) made W1 ~40 % slower under V8.
 */
@inline function hermite6F32(
  bytes: usize, p0: usize, p1: usize, p2: usize, p3: usize, p4: usize, p5: usize,
  w0: v128, w1: v128, w2: v128, w3: v128, w4: v128, w5: v128, out: usize,
): void {
  for (let o: usize = 0; o < bytes; o += 16) {
    v128.store(out + o, fmaddF32(w2, v128.load(p2 + o), fmaddF32(w1, v128.load(p1 + o), f32x4.mul(w0, v128.load(p0 + o)))));
  }
  for (let o: usize = 0; o < bytes; o += 16) {
    v128.store(out + o, fmaddF32(w5, v128.load(p5 + o), fmaddF32(w4, v128.load(p4 + o), fmaddF32(w3, v128.load(p3 + o), v128.load(out + o)))));
  }
}

/** Writes I_c(r) to out[c] (f32) for c = 0..M−1 (M a multiple of 4); r is clamped to [0, r_max]. */
export function radialTableEvaluateF32(
  data: usize, m: i32, intervals: i32, h: f64, invH: f64, rMax: f64, r: f64, out: usize,
): void {
  const x = Math.min(Math.max(r, 0.0), rMax) * invH;
  let i = <i32>x;
  if (i > intervals - 1) i = intervals - 1;
  const t = x - <f64>i;
  const t2 = t * t, t3 = t2 * t, t4 = t3 * t, t5 = t4 * t;
  const stride = <usize>m << 2;
  const a0 = data + <usize>(3 * i) * stride;
  const a1 = a0 + stride, a2 = a1 + stride, b0 = a2 + stride, b1 = b0 + stride, b2 = b1 + stride;
  const w5 = 10.0 * t3 - 15.0 * t4 + 6.0 * t5;
  const W0 = f32x4.splat(<f32>(1.0 - w5));
  const W1 = f32x4.splat(<f32>(h * (t - 6.0 * t3 + 8.0 * t4 - 3.0 * t5)));
  const W2 = f32x4.splat(<f32>(h * h * 0.5 * (t2 - 3.0 * t3 + 3.0 * t4 - t5)));
  const W5 = f32x4.splat(<f32>w5);
  const W4 = f32x4.splat(<f32>(h * (-4.0 * t3 + 7.0 * t4 - 3.0 * t5)));
  const W3 = f32x4.splat(<f32>(h * h * 0.5 * (t3 - 2.0 * t4 + t5)));
  hermite6F32(stride, a0, a1, a2, b0, b1, b2, W0, W1, W2, W5, W4, W3, out);
}
