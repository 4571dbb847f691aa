// out[j] = Σ_t x[t] · W[t, j]: a row vector times a small matrix (a weighted sum of rows), the
// contraction CACE uses for edge densities and radial mixing. The columns are register-blocked:
// 12, 8, 4 and 2 lanes share each splat of x[t], so every W row is read once per block.
import { fmadd } from './simdMath';

/**
 * out[0..width) = Σ_{t < count} x[t] W[t, 0..width), with x[t] at `x + t·xStride` and row t of W
 * at `W + t·wStride` (strides in bytes); an odd last column is summed in scalar.
 */
@inline export function scaledRowSum(out: usize, x: usize, xStride: usize, W: usize, wStride: usize, count: i32, width: i32): void {
  let j = 0;
  for (; j + 12 <= width; j += 12) {
    let a0 = f64x2.splat(0.0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
    let w = W + (<usize>j << 3), s = x;
    for (let t = 0; t < count; t++) {
      const xv = v128.load64_splat(s);
      a0 = fmadd(xv, v128.load(w), a0);
      a1 = fmadd(xv, v128.load(w, 16), a1);
      a2 = fmadd(xv, v128.load(w, 32), a2);
      a3 = fmadd(xv, v128.load(w, 48), a3);
      a4 = fmadd(xv, v128.load(w, 64), a4);
      a5 = fmadd(xv, v128.load(w, 80), a5);
      w += wStride;
      s += xStride;
    }
    const o = out + (<usize>j << 3);
    v128.store(o, a0);
    v128.store(o, a1, 16);
    v128.store(o, a2, 32);
    v128.store(o, a3, 48);
    v128.store(o, a4, 64);
    v128.store(o, a5, 80);
  }
  for (; j + 8 <= width; j += 8) {
    let a0 = f64x2.splat(0.0), a1 = a0, a2 = a0, a3 = a0;
    let w = W + (<usize>j << 3), s = x;
    for (let t = 0; t < count; t++) {
      const xv = v128.load64_splat(s);
      a0 = fmadd(xv, v128.load(w), a0);
      a1 = fmadd(xv, v128.load(w, 16), a1);
      a2 = fmadd(xv, v128.load(w, 32), a2);
      a3 = fmadd(xv, v128.load(w, 48), a3);
      w += wStride;
      s += xStride;
    }
    const o = out + (<usize>j << 3);
    v128.store(o, a0);
    v128.store(o, a1, 16);
    v128.store(o, a2, 32);
    v128.store(o, a3, 48);
  }
  for (; j + 4 <= width; j += 4) {
    let a0 = f64x2.splat(0.0), a1 = a0;
    let w = W + (<usize>j << 3), s = x;
    for (let t = 0; t < count; t++) {
      const xv = v128.load64_splat(s);
      a0 = fmadd(xv, v128.load(w), a0);
      a1 = fmadd(xv, v128.load(w, 16), a1);
      w += wStride;
      s += xStride;
    }
    const o = out + (<usize>j << 3);
    v128.store(o, a0);
    v128.store(o, a1, 16);
  }
  for (; j + 2 <= width; j += 2) {
    let a0 = f64x2.splat(0.0);
    let w = W + (<usize>j << 3), s = x;
    for (let t = 0; t < count; t++) {
      a0 = fmadd(v128.load64_splat(s), v128.load(w), a0);
      w += wStride;
      s += xStride;
    }
    v128.store(out + (<usize>j << 3), a0);
  }
  if (j < width) {
    let acc: f64 = 0.0;
    let w = W + (<usize>j << 3), s = x;
    for (let t = 0; t < count; t++) {
      acc += load<f64>(s) * load<f64>(w);
      w += wStride;
      s += xStride;
    }
    store<f64>(out + (<usize>j << 3), acc);
  }
}
