// Float32 SOAP power spectrum (assembly/soap/powerSpectrum.ts is the float64 version; same
// definition, block list and feature order):
//   p^{d1 d2}_{n n' l} = π √(8/(2l+1)) Σ_m c^{d1}_{nlm} c^{d2}_{n'lm}
// For one (block, l), G = A1ᵀ A2 with A_d the (2l+1) × n_maxP matrix c^d_{·l·} (f32, n_maxP a
// multiple of 4). Register-blocked: four rows n..n+3 of G × 8 columns n' (two f32x4 accumulators
// per row) are summed over m, so each m costs 2 vector loads + 4 splats for 8 multiply-adds.
// Rows n ≥ n_max read the zero padding of c1 and are never written out.
import { ldi } from '../memory';
import { fmaddF32 } from '../math/simdMathF32';

/** G[n..n+3][o..o+8); c1n points at c1[l²][n], c2o at c2[l²][o], g at G[n][o]. */
@inline function gram4x8(count: i32, rowBytes: usize, c1n: usize, c2o: usize, g: usize): void {
  let a0 = f32x4.splat(0.0), a1 = a0, b0 = a0, b1 = a0, e0 = a0, e1 = a0, q0 = a0, q1 = a0;
  let p1 = c1n, p2 = c2o;
  for (let m = 0; m < count; m++) {
    const r0 = v128.load(p2), r1 = v128.load(p2, 16);
    const xa = v128.load32_splat(p1);
    a0 = fmaddF32(xa, r0, a0);
    a1 = fmaddF32(xa, r1, a1);
    const xb = v128.load32_splat(p1, 4);
    b0 = fmaddF32(xb, r0, b0);
    b1 = fmaddF32(xb, r1, b1);
    const xe = v128.load32_splat(p1, 8);
    e0 = fmaddF32(xe, r0, e0);
    e1 = fmaddF32(xe, r1, e1);
    const xq = v128.load32_splat(p1, 12);
    q0 = fmaddF32(xq, r0, q0);
    q1 = fmaddF32(xq, r1, q1);
    p1 += rowBytes;
    p2 += rowBytes;
  }
  v128.store(g, a0);
  v128.store(g, a1, 16);
  v128.store(g + rowBytes, b0);
  v128.store(g + rowBytes, b1, 16);
  v128.store(g + 2 * rowBytes, e0);
  v128.store(g + 2 * rowBytes, e1, 16);
  v128.store(g + 3 * rowBytes, q0);
  v128.store(g + 3 * rowBytes, q1, 16);
}

/** As gram4x8 for 4 columns (n_maxP not a multiple of 8). */
@inline function gram4x4(count: i32, rowBytes: usize, c1n: usize, c2o: usize, g: usize): void {
  let a = f32x4.splat(0.0), b = a, e = a, q = a;
  let p1 = c1n, p2 = c2o;
  for (let m = 0; m < count; m++) {
    const r = v128.load(p2);
    a = fmaddF32(v128.load32_splat(p1), r, a);
    b = fmaddF32(v128.load32_splat(p1, 4), r, b);
    e = fmaddF32(v128.load32_splat(p1, 8), r, e);
    q = fmaddF32(v128.load32_splat(p1, 12), r, q);
    p1 += rowBytes;
    p2 += rowBytes;
  }
  v128.store(g, a);
  v128.store(g + rowBytes, b);
  v128.store(g + 2 * rowBytes, e);
  v128.store(g + 3 * rowBytes, q);
}

/**
 * Writes the power spectrum of the f32 coefficients `coef` (layout of
 * assembly/soap/sphericalExpansionF32.ts) to out[0..nFeatures) as f32. blocks: i32[3·nBlocks] =
 * (d1, d2, symmetric); empty: i32 per density, non-zero when it has no neighbour (its blocks are
 * zeros). gram: scratch f32[n_maxP²]. Returns the number of features written.
 */
export function powerSpectrumF32(
  nMax: i32, nMaxP: i32, lMax: i32, nBlocks: i32, blocks: usize, empty: usize, coef: usize, gram: usize, out: usize,
): i32 {
  const nLM = (lMax + 1) * (lMax + 1);
  const rowBytes = <usize>nMaxP << 2;
  const full = rowBytes & ~(<usize>31);
  let f = 0;
  for (let b = 0; b < nBlocks; b++) {
    const d1 = ldi(blocks, 3 * b), d2 = ldi(blocks, 3 * b + 1);
    const symmetric = ldi(blocks, 3 * b + 2) != 0;
    const c1 = coef + <usize>(d1 * nLM) * rowBytes;
    const c2 = coef + <usize>(d2 * nLM) * rowBytes;
    if (ldi(empty, d1) != 0 || ldi(empty, d2) != 0) {
      const size = (lMax + 1) * (symmetric ? (nMax * (nMax + 1)) >> 1 : nMax * nMax);
      memory.fill(out + (<usize>f << 2), 0, <usize>size << 2);
      f += size;
      continue;
    }
    for (let l = 0; l <= lMax; l++) {
      const first = <usize>(l * l) * rowBytes;
      const count = 2 * l + 1;
      for (let n = 0; n < nMax; n += 4) {
        const c1n = c1 + first + (<usize>n << 2);
        const g = gram + <usize>n * rowBytes;
        for (let o: usize = 0; o < full; o += 32) gram4x8(count, rowBytes, c1n, c2 + first + o, g + o);
        if (full < rowBytes) gram4x4(count, rowBytes, c1n, c2 + first + full, g + full);
      }
      // Rows of G times the prefactor (rounded to f32) to out, four features at a time.
      const prefactor = <f32>(Math.PI * Math.sqrt(8.0 / <f64>(2 * l + 1)));
      const P = f32x4.splat(prefactor);
      for (let n = 0; n < nMax; n++) {
        const n2 = symmetric ? n : 0;
        const count = nMax - n2;
        const src = gram + <usize>n * rowBytes + (<usize>n2 << 2);
        const dst = out + (<usize>f << 2);
        let k = 0;
        for (; k + 4 <= count; k += 4) v128.store(dst + (<usize>k << 2), f32x4.mul(v128.load(src + (<usize>k << 2)), P));
        for (; k < count; k++) store<f32>(dst + (<usize>k << 2), prefactor * load<f32>(src + (<usize>k << 2)));
        f += count;
      }
    }
  }
  return f;
}
