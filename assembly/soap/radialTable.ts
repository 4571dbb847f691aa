// Evaluation of the tabulated SOAP radial integrals I_nl(r) (built by
// src/soap/radialIntegrals/table.ts): piecewise quintic Hermite on a uniform grid of K intervals
// over [0, r_max], all channels of one r at once (f64x2 over channels).
//
// Layout: data[(i·3 + d)·M + c], knot i = 0..K, d = 0: I, 1: dI/dr, 2: d²I/dr², M channels
// (M even: the TypeScript side pads every l to an even count of n). With t = r/h − i:
//   I(r) = H0 f_i + h H1 f'_i + h² H2 f''_i + H5 f_{i+1} + h H4 f'_{i+1} + h² H3 f''_{i+1}
//   H0 = 1 − 10t³ + 15t⁴ − 6t⁵, H1 = t − 6t³ + 8t⁴ − 3t⁵, H2 = (t² − 3t³ + 3t⁴ − t⁵)/2,
//   H5 = 1 − H0,                H4 = −4t³ + 7t⁴ − 3t⁵,    H3 = (t³ − 2t⁴ + t⁵)/2,
// and dI/dr is the t-derivative of the same polynomial times 1/h.
import { fmadd } from '../math/simdMath';

/**
 * out[c] = w0 p0[c] + … + w5 p5[c] over `bytes` (a multiple of 16), in two passes of three terms:
 * six weights, six loads and the temporaries of one pass do not fit V8's x64 vector registers
 * together, and spilling the weights cost more than the extra pass over `out`.
 */
@inline function hermite6(
  bytes: usize, p0: usize, p1: usize, p2: usize, p3: usize, p4: usize, p5: usize,
  w0: v128, w1: v128, w2: v128, w3: v128, w4: v128, w5: v128, out: usize,
): void {
  for (let o: usize = 0; o < bytes; o += 16) {
    v128.store(out + o, fmadd(w2, v128.load(p2 + o), fmadd(w1, v128.load(p1 + o), f64x2.mul(w0, v128.load(p0 + o)))));
  }
  for (let o: usize = 0; o < bytes; o += 16) {
    v128.store(out + o, fmadd(w5, v128.load(p5 + o), fmadd(w4, v128.load(p4 + o), fmadd(w3, v128.load(p3 + o), v128.load(out + o)))));
  }
}

/**
 * Writes I_c(r) to out[c] (and dI_c/dr to dOut[c] when dOut ≠ 0) for c = 0..M−1.
 * r is clamped to [0, r_max].
 */
export function radialTableEvaluate(
  data: usize, m: i32, intervals: i32, h: f64, invH: f64, rMax: f64, r: f64, out: usize, dOut: usize,
): void {
  const x = Math.min(Math.max(r, 0.0), rMax) * invH;
  let i = <i32>x;
  if (i > intervals - 1) i = intervals - 1;
  const t = x - <f64>i;
  const t2 = t * t, t3 = t2 * t, t4 = t3 * t, t5 = t4 * t;
  const stride = <usize>m << 3;
  const a0 = data + <usize>(3 * i) * stride;
  const a1 = a0 + stride, a2 = a1 + stride, b0 = a2 + stride, b1 = b0 + stride, b2 = b1 + stride;
  const w5 = 10.0 * t3 - 15.0 * t4 + 6.0 * t5;
  const W0 = f64x2.splat(1.0 - w5);
  const W1 = f64x2.splat(h * (t - 6.0 * t3 + 8.0 * t4 - 3.0 * t5));
  const W2 = f64x2.splat(h * h * 0.5 * (t2 - 3.0 * t3 + 3.0 * t4 - t5));
  const W5 = f64x2.splat(w5);
  const W4 = f64x2.splat(h * (-4.0 * t3 + 7.0 * t4 - 3.0 * t5));
  const W3 = f64x2.splat(h * h * 0.5 * (t3 - 2.0 * t4 + t5));
  hermite6(stride, a0, a1, a2, b0, b1, b2, W0, W1, W2, W5, W4, W3, out);
  if (dOut == 0) return;
  const v0 = invH * (-30.0 * t2 + 60.0 * t3 - 30.0 * t4);
  const V0 = f64x2.splat(v0);
  const V1 = f64x2.splat(1.0 - 18.0 * t2 + 32.0 * t3 - 15.0 * t4);
  const V2 = f64x2.splat(h * 0.5 * (2.0 * t - 9.0 * t2 + 12.0 * t3 - 5.0 * t4));
  const V5 = f64x2.splat(-v0);
  const V4 = f64x2.splat(-12.0 * t2 + 28.0 * t3 - 15.0 * t4);
  const V3 = f64x2.splat(h * 0.5 * (3.0 * t2 - 8.0 * t3 + 5.0 * t4));
  hermite6(stride, a0, a1, a2, b0, b1, b2, V0, V1, V2, V5, V4, V3, dOut);
}

// The same piecewise quintic in the power basis of t, for the values-only kernels: per interval
// i, rows a_k (k = 0..5) with I(r) = Σ_k a_k t^k, evaluated by Horner in one pass (t and one
// accumulator live instead of six weights). With F_d = h^d f^(d)_i, G_d = h^d f^(d)_{i+1}:
//   a0 = F0, a1 = F1, a2 = F2/2,
//   a3 = 10(G0 − F0) − 6F1 − 4G1 − (3F2 − G2)/2,
//   a4 = 15(F0 − G0) + 8F1 + 7G1 + (3F2 − 2G2)/2,
//   a5 = 6(G0 − F0) − 3(F1 + G1) − (F2 − G2)/2.
// Layout: power[(i·6 + k)·M + c], i = 0..K−1; it follows the Hermite table in memory.

/** Bytes of the Hermite table (K + 1 knots × 3 rows × M channels). */
export function radialTableBytes(m: i32, intervals: i32): usize {
  return <usize>((intervals + 1) * 3 * m) << 3;
}

/** Bytes of the power-basis table (K intervals × 6 rows × M channels). */
export function radialPowerTableBytes(m: i32, intervals: i32): usize {
  return <usize>(intervals * 6 * m) << 3;
}

/** Fills the power-basis rows of every interval (out: radialPowerTableBytes) from the Hermite table. */
export function radialTableToPowerBasis(data: usize, m: i32, intervals: i32, h: f64, out: usize): void {
  const hh = h * h;
  for (let i = 0; i < intervals; i++) {
    const a = data + (<usize>(3 * i * m) << 3);
    const b = a + (<usize>(3 * m) << 3);
    const o = out + (<usize>(6 * i * m) << 3);
    for (let c = 0; c < m; c++) {
      const f0 = load<f64>(a + (<usize>c << 3)), f1 = h * load<f64>(a + (<usize>(m + c) << 3)), f2 = hh * load<f64>(a + (<usize>(2 * m + c) << 3));
      const g0 = load<f64>(b + (<usize>c << 3)), g1 = h * load<f64>(b + (<usize>(m + c) << 3)), g2 = hh * load<f64>(b + (<usize>(2 * m + c) << 3));
      const dg = g0 - f0;
      store<f64>(o + (<usize>c << 3), f0);
      store<f64>(o + (<usize>(m + c) << 3), f1);
      store<f64>(o + (<usize>(2 * m + c) << 3), 0.5 * f2);
      store<f64>(o + (<usize>(3 * m + c) << 3), 10.0 * dg - 6.0 * f1 - 4.0 * g1 - 0.5 * (3.0 * f2 - g2));
      store<f64>(o + (<usize>(4 * m + c) << 3), -15.0 * dg + 8.0 * f1 + 7.0 * g1 + 0.5 * (3.0 * f2 - 2.0 * g2));
      store<f64>(o + (<usize>(5 * m + c) << 3), 6.0 * dg - 3.0 * (f1 + g1) - 0.5 * (f2 - g2));
    }
  }
}

/** Writes I_c(r) to out[c] for c = 0..M−1 from the power-basis table; r is clamped to [0, r_max]. */
export function radialPowerEvaluate(power: usize, m: i32, intervals: i32, invH: f64, rMax: f64, r: f64, out: usize): void {
  const x = Math.min(Math.max(r, 0.0), rMax) * invH;
  let i = <i32>x;
  if (i > intervals - 1) i = intervals - 1;
  radialPowerEvaluateAt(power, m, i, x - <f64>i, out);
}

/** radialPowerEvaluate at interval i and t = r/h − i given (the same operations, the same values). */
export function radialPowerEvaluateAt(power: usize, m: i32, i: i32, tt: f64, out: usize): void {
  const t = f64x2.splat(tt);
  const stride = <usize>m << 3;
  const p = power + <usize>(6 * i) * stride;
  for (let o: usize = 0; o < stride; o += 16) {
    const q = p + o;
    let acc = v128.load(q + 5 * stride);
    acc = fmadd(acc, t, v128.load(q + 4 * stride));
    acc = fmadd(acc, t, v128.load(q + 3 * stride));
    acc = fmadd(acc, t, v128.load(q + 2 * stride));
    acc = fmadd(acc, t, v128.load(q + stride));
    v128.store(out + o, fmadd(acc, t, v128.load(q)));
  }
}

/** Interval of r in the table (r clamped to [0, r_max]) and t = r/h − i, as radialPowerEvaluate uses them. */
@inline export function radialInterval(intervals: i32, invH: f64, rMax: f64, r: f64): i32 {
  const x = Math.min(Math.max(r, 0.0), rMax) * invH;
  let i = <i32>x;
  if (i > intervals - 1) i = intervals - 1;
  return i;
}

/**
 * radialPowerEvaluate for two distances in the same interval i (tA, tB: their t): each row of
 * coefficients is loaded once for both. The same operations per distance, so the same values.
 */
export function radialPowerEvaluatePair(power: usize, m: i32, i: i32, tA: f64, tB: f64, outA: usize, outB: usize): void {
  const a = f64x2.splat(tA), b = f64x2.splat(tB);
  const stride = <usize>m << 3;
  // The six coefficient rows a_0..a_5 of interval i.
  const p0 = power + <usize>(6 * i) * stride;
  const p1 = p0 + stride, p2 = p1 + stride, p3 = p2 + stride, p4 = p3 + stride, p5 = p4 + stride;
  // Two vectors of channels per iteration (fewer loop and address operations per flop).
  const twice = stride & ~(<usize>31);
  let o: usize = 0;
  for (; o < twice; o += 32) {
    let c = v128.load(p5 + o), d = v128.load(p5 + o, 16);
    let x = c, y = c, u = d, v = d;
    c = v128.load(p4 + o);
    d = v128.load(p4 + o, 16);
    x = fmadd(x, a, c);
    y = fmadd(y, b, c);
    u = fmadd(u, a, d);
    v = fmadd(v, b, d);
    c = v128.load(p3 + o);
    d = v128.load(p3 + o, 16);
    x = fmadd(x, a, c);
    y = fmadd(y, b, c);
    u = fmadd(u, a, d);
    v = fmadd(v, b, d);
    c = v128.load(p2 + o);
    d = v128.load(p2 + o, 16);
    x = fmadd(x, a, c);
    y = fmadd(y, b, c);
    u = fmadd(u, a, d);
    v = fmadd(v, b, d);
    c = v128.load(p1 + o);
    d = v128.load(p1 + o, 16);
    x = fmadd(x, a, c);
    y = fmadd(y, b, c);
    u = fmadd(u, a, d);
    v = fmadd(v, b, d);
    c = v128.load(p0 + o);
    d = v128.load(p0 + o, 16);
    v128.store(outA + o, fmadd(x, a, c));
    v128.store(outB + o, fmadd(y, b, c));
    v128.store(outA + o, fmadd(u, a, d), 16);
    v128.store(outB + o, fmadd(v, b, d), 16);
  }
  if (o < stride) {
    const c5 = v128.load(p5 + o);
    let x = c5, y = c5;
    let c = v128.load(p4 + o);
    x = fmadd(x, a, c);
    y = fmadd(y, b, c);
    c = v128.load(p3 + o);
    x = fmadd(x, a, c);
    y = fmadd(y, b, c);
    c = v128.load(p2 + o);
    x = fmadd(x, a, c);
    y = fmadd(y, b, c);
    c = v128.load(p1 + o);
    x = fmadd(x, a, c);
    y = fmadd(y, b, c);
    c = v128.load(p0 + o);
    v128.store(outA + o, fmadd(x, a, c));
    v128.store(outB + o, fmadd(y, b, c));
  }
}

/**
 * radialPowerEvaluate for three distances in the same interval i (tA, tB, tC: their t): each row
 * of coefficients is loaded once for the three. The same operations per distance, so the same values.
 */
export function radialPowerEvaluateTriple(
  power: usize, m: i32, i: i32, tA: f64, tB: f64, tC: f64, outA: usize, outB: usize, outC: usize,
): void {
  const a = f64x2.splat(tA), b = f64x2.splat(tB), c = f64x2.splat(tC);
  const stride = <usize>m << 3;
  const p0 = power + <usize>(6 * i) * stride;
  const p1 = p0 + stride, p2 = p1 + stride, p3 = p2 + stride, p4 = p3 + stride, p5 = p4 + stride;
  for (let o: usize = 0; o < stride; o += 16) {
    const c5 = v128.load(p5 + o);
    let x = c5, y = c5, z = c5;
    let k = v128.load(p4 + o);
    x = fmadd(x, a, k);
    y = fmadd(y, b, k);
    z = fmadd(z, c, k);
    k = v128.load(p3 + o);
    x = fmadd(x, a, k);
    y = fmadd(y, b, k);
    z = fmadd(z, c, k);
    k = v128.load(p2 + o);
    x = fmadd(x, a, k);
    y = fmadd(y, b, k);
    z = fmadd(z, c, k);
    k = v128.load(p1 + o);
    x = fmadd(x, a, k);
    y = fmadd(y, b, k);
    z = fmadd(z, c, k);
    k = v128.load(p0 + o);
    v128.store(outA + o, fmadd(x, a, k));
    v128.store(outB + o, fmadd(y, b, k));
    v128.store(outC + o, fmadd(z, c, k));
  }
}

/**
 * From the power-basis table, with I = Σ_k a_k t^k and dI/dr = (1/h) Σ_k k a_k t^(k−1) (both by
 * one Horner pass over the same six rows): wI[c] = w·I_c(r) and jOut[c] = w'·I_c(r) + w·I'_c(r), the two
 * rows a neighbour's gradient needs (w, w' its weight and dw/dr). r is clamped to [0, r_max].
 */
export function radialPowerWeightedRows(
  power: usize, m: i32, intervals: i32, invH: f64, rMax: f64, r: f64, w: f64, dw: f64, wI: usize, jOut: usize,
): void {
  const x = Math.min(Math.max(r, 0.0), rMax) * invH;
  let i = <i32>x;
  if (i > intervals - 1) i = intervals - 1;
  const tt = x - <f64>i;
  const t = f64x2.splat(tt);
  const W = f64x2.splat(w), DW = f64x2.splat(dw), WH = f64x2.splat(w * invH);
  const stride = <usize>m << 3;
  const p = power + <usize>(6 * i) * stride;
  for (let o: usize = 0; o < stride; o += 16) {
    const q = p + o;
    // Horner for the value and its t-derivative together: d ← d t + v, then v ← v t + a_k.
    let v = v128.load(q + 5 * stride);
    let d = v;
    v = fmadd(v, t, v128.load(q + 4 * stride));
    d = fmadd(d, t, v);
    v = fmadd(v, t, v128.load(q + 3 * stride));
    d = fmadd(d, t, v);
    v = fmadd(v, t, v128.load(q + 2 * stride));
    d = fmadd(d, t, v);
    v = fmadd(v, t, v128.load(q + stride));
    d = fmadd(d, t, v);
    v = fmadd(v, t, v128.load(q));
    v128.store(wI + o, f64x2.mul(W, v));
    v128.store(jOut + o, fmadd(DW, v, f64x2.mul(WH, d)));
  }
}
