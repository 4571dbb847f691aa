// The Atomwise readout of one atom (spec section 9): y = MLP(x) (+ w·x + b), Dense layers with
// SiLU between them and none after the last, and its gradient ∂y/∂x by the backward pass.
// Weights row-major [out, in] per layer, concatenated; biases concatenated.
import { fmadd } from '../math/simdMath';
import { ldf, ldi, stf } from '../memory';

/** Σ_i a[i] b[i], four f64x2 accumulators. */
function dot(a: usize, b: usize, n: i32): f64 {
  let s0 = f64x2.splat(0.0), s1 = s0, s2 = s0, s3 = s0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 3;
    s0 = fmadd(v128.load(a + o), v128.load(b + o), s0);
    s1 = fmadd(v128.load(a + o, 16), v128.load(b + o, 16), s1);
    s2 = fmadd(v128.load(a + o, 32), v128.load(b + o, 32), s2);
    s3 = fmadd(v128.load(a + o, 48), v128.load(b + o, 48), s3);
  }
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    s0 = fmadd(v128.load(a + o), v128.load(b + o), s0);
  }
  const v = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  let s = f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
  for (; i < n; i++) s += ldf(a, i) * ldf(b, i);
  return s;
}

/** y[i] += α x[i]. */
function axpy(alpha: f64, x: usize, y: usize, n: i32): void {
  const av = f64x2.splat(alpha);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(y + o, fmadd(av, v128.load(x + o), v128.load(y + o)));
  }
  for (; i < n; i++) stf(y, i, ldf(y, i) + alpha * ldf(x, i));
}

/** y[i] += α0 x[i] + α1 x[i + s] + α2 x[i + 2s] + α3 x[i + 3s] (s in bytes). */
function axpy4(a0: f64, a1: f64, a2: f64, a3: f64, x: usize, s: usize, y: usize, n: i32): void {
  const v0 = f64x2.splat(a0), v1 = f64x2.splat(a1), v2 = f64x2.splat(a2), v3 = f64x2.splat(a3);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    let acc = fmadd(v0, v128.load(x + o), v128.load(y + o));
    acc = fmadd(v1, v128.load(x + s + o), acc);
    acc = fmadd(v2, v128.load(x + 2 * s + o), acc);
    acc = fmadd(v3, v128.load(x + 3 * s + o), acc);
    v128.store(y + o, acc);
  }
  for (; i < n; i++) {
    stf(y, i, ldf(y, i) + a0 * ldf(x, i) + a1 * ldf(x + s, i) + a2 * ldf(x + 2 * s, i) + a3 * ldf(x + 3 * s, i));
  }
}

/**
 * y of one atom from x (length sizes[0]); writes ∂y/∂x into gx. z holds every layer's
 * pre-activations (Σ sizes[1..]), act the activations, g0/g1 two gradient buffers of the
 * largest width. linW = 0 without the linear term.
 */
export function atomwise(
  x: usize, nLayers: i32, sizes: usize, W: usize, bias: usize, linW: usize, linB: f64,
  z: usize, act: usize, g0: usize, g1: usize, gx: usize,
): f64 {
  // Forward.
  let input = x, wOff: usize = 0, bOff = 0, zOff = 0;
  for (let l = 0; l < nLayers; l++) {
    const nIn = ldi(sizes, l), nOut = ldi(sizes, l + 1);
    for (let o = 0; o < nOut; o++) {
      const zo = ldf(bias, bOff + o) + dot(W + ((wOff + <usize>(o * nIn)) << 3), input, nIn);
      stf(z, zOff + o, zo);
      stf(act, zOff + o, zo / (1.0 + Math.exp(-zo)));
    }
    input = act + (<usize>zOff << 3);
    wOff += <usize>(nIn * nOut);
    bOff += nOut;
    zOff += nOut;
  }
  const nIn0 = ldi(sizes, 0);
  let y = ldf(z, zOff - 1);
  if (linW != 0) y += linB + dot(linW, x, nIn0);
  // Backward: g = ∂y/∂z of the layer, starting from 1 at the output.
  let g = g0, gNext = g1;
  stf(g, 0, 1.0);
  for (let l = nLayers - 1; l >= 0; l--) {
    const nIn = ldi(sizes, l), nOut = ldi(sizes, l + 1);
    wOff -= <usize>(nIn * nOut);
    zOff -= nOut;
    const target = l == 0 ? gx : gNext;
    memory.fill(target, 0, <usize>nIn << 3);
    // target += Wᵀ g, four rows of W per pass over target.
    let o = 0;
    for (; o + 4 <= nOut; o += 4) {
      axpy4(
        ldf(g, o), ldf(g, o + 1), ldf(g, o + 2), ldf(g, o + 3),
        W + ((wOff + <usize>(o * nIn)) << 3), <usize>nIn << 3, target, nIn,
      );
    }
    for (; o < nOut; o++) axpy(ldf(g, o), W + ((wOff + <usize>(o * nIn)) << 3), target, nIn);
    if (l > 0) {
      // × SiLU'(z) = σ(z) (1 + z (1 − σ(z))) of the layer below.
      const zb = zOff - nIn;
      for (let i = 0; i < nIn; i++) {
        const zi = ldf(z, zb + i);
        const s = 1.0 / (1.0 + Math.exp(-zi));
        stf(target, i, ldf(target, i) * s * (1.0 + zi * (1.0 - s)));
      }
    }
    const t = g;
    g = target;
    gNext = t;
  }
  if (linW != 0) axpy(1.0, linW, gx, nIn0);
  return y;
}
