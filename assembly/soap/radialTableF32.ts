// Float32 evaluation of the tabulated SOAP radial integrals I_nl(r) (dtype 'float32'): the
// piecewise quintic of assembly/soap/radialTable.ts in the power basis of t, as float32
// (src/soap/radialTable.ts, soapKernelTableF32), f32x4 over the channels.
//
// Layout: data[(i·6 + k)·M + l·n_maxP + n] (f32), interval i = 0..K−1, I(r) = Σ_k a_k t^k with
// t = r/h − i, n_maxP = n_max rounded up to a multiple of 4 (zeros in the padding),
// M = (l_max+1)·n_maxP. t is computed in f64 (t = r/h − i would lose up to log2(K) bits in f32)
// and rounded to f32 once; Horner's rule then keeps one accumulator and t live (one pass over the
// channels), and the error is the f32 rounding of the coefficients and of five multiply-adds.
import { fmaddF32 } from '../math/simdMathF32';

/** Writes I_c(r) to out[c] (f32) for c = 0..M−1 (M a multiple of 4); r is clamped to [0, r_max]. */
export function radialTableEvaluateF32(
  data: usize, m: i32, intervals: i32, h: f64, invH: f64, rMax: f64, r: f64, out: usize,
): void {
  const x = Math.min(Math.max(r, 0.0), rMax) * invH;
  let i = <i32>x;
  if (i > intervals - 1) i = intervals - 1;
  const t = f32x4.splat(<f32>(x - <f64>i));
  const stride = <usize>m << 2;
  const p = data + <usize>(6 * i) * stride;
  for (let o: usize = 0; o < stride; o += 16) {
    const q = p + o;
    let acc = v128.load(q + 5 * stride);
    acc = fmaddF32(acc, t, v128.load(q + 4 * stride));
    acc = fmaddF32(acc, t, v128.load(q + 3 * stride));
    acc = fmaddF32(acc, t, v128.load(q + 2 * stride));
    acc = fmaddF32(acc, t, v128.load(q + stride));
    v128.store(out + o, fmaddF32(acc, t, v128.load(q)));
  }
}

/**
 * radialTableEvaluateF32 for two distances in the same interval i (tA, tB: their t = r/h − i in
 * f64): each coefficient row is loaded once for both, and two channel vectors run per iteration
 * (four independent Horner chains); the same operations per value.
 */
export function radialTableEvaluatePairF32(data: usize, m: i32, i: i32, tA: f64, tB: f64, outA: usize, outB: usize): void {
  const a = f32x4.splat(<f32>tA), b = f32x4.splat(<f32>tB);
  const stride = <usize>m << 2;
  const p = data + <usize>(6 * i) * stride;
  let o: usize = 0;
  for (; o + 32 <= stride; o += 32) {
    const q = p + o;
    let c = v128.load(q + 5 * stride), d = v128.load(q + 5 * stride, 16);
    let x = c, y = c, u = d, v = d;
    for (let k = 4; k >= 1; k--) {
      const row = q + <usize>k * stride;
      c = v128.load(row);
      d = v128.load(row, 16);
      x = fmaddF32(x, a, c);
      y = fmaddF32(y, b, c);
      u = fmaddF32(u, a, d);
      v = fmaddF32(v, b, d);
    }
    c = v128.load(q);
    d = v128.load(q, 16);
    v128.store(outA + o, fmaddF32(x, a, c));
    v128.store(outB + o, fmaddF32(y, b, c));
    v128.store(outA + o, fmaddF32(u, a, d), 16);
    v128.store(outB + o, fmaddF32(v, b, d), 16);
  }
  if (o < stride) {
    // One channel vector left (M/4 odd).
    const q = p + o;
    const c5 = v128.load(q + 5 * stride);
    let x = c5, y = c5;
    for (let k = 4; k >= 0; k--) {
      const c = v128.load(q + <usize>k * stride);
      x = fmaddF32(x, a, c);
      y = fmaddF32(y, b, c);
    }
    v128.store(outA + o, x);
    v128.store(outB + o, y);
  }
}
