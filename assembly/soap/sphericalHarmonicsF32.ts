// Weighted real spherical harmonics w·Y_lm rounded to float32, for the float32 expansion
// (assembly/soap/sphericalExpansionF32.ts): the f64x2 recurrence of shValuesPairAt
// (assembly/soap/sphericalHarmonics.ts, same constants, same operations) with each value
// multiplied by its neighbour's weight in f64 and rounded once when stored, so no f64 row is
// written and converted afterwards.
import { fmadd } from '../math/simdMath';

// Byte offset of the pair (a_lm, −b_lm) (or the diagonal factor) of (l, m): tri(l, m) = l(l+1)/2 + m.
@inline function coefOffset(l: i32, m: i32): usize {
  return <usize>(((l * (l + 1)) >> 1) + m) << 4;
}

@inline function lanes(a: f64, b: f64): v128 {
  return f64x2.replace_lane(f64x2.splat(a), 1, b);
}

/** f32(lane 0 of v) to rowA[i], f32(lane 1) to rowB[i]. */
@inline function store2F32(rowA: usize, rowB: usize, i: i32, v: v128): void {
  const off = <usize>i << 2;
  const d = f32x4.demote_f64x2_zero(v);
  v128.store32_lane(rowA + off, d, 0);
  v128.store32_lane(rowB + off, d, 1);
}

/**
 * outA[lm] = f32(wA·Y_lm(A)), outB[lm] = f32(wB·Y_lm(B)), lm = 0..(lMax+1)²−1, for the unit
 * vectors A and B (lanes 0 and 1), with the constants of shCoefficients.
 */
export function shWeightedPairF32(
  lMax: i32, coef: usize,
  xA: f64, yA: f64, zA: f64, wA: f64, xB: f64, yB: f64, zB: f64, wB: f64,
  outA: usize, outB: usize,
): void {
  const x = lanes(xA, xB), y = lanes(yA, yB), z = lanes(zA, zB), w = lanes(wA, wB);
  // m = 0: Y_l0 = q_l0 = a (z q_{l−1,0} − b q_{l−2,0}).
  let qmm = v128.load64_splat(coef); // q_00
  let q2 = f64x2.splat(0.0), q1 = qmm;
  store2F32(outA, outB, 0, f64x2.mul(qmm, w));
  for (let l = 1; l <= lMax; l++) {
    const p = coef + coefOffset(l, 0);
    const q = f64x2.mul(v128.load64_splat(p), fmadd(z, q1, f64x2.mul(v128.load64_splat(p, 8), q2)));
    q2 = q1;
    q1 = q;
    store2F32(outA, outB, l * l + l, f64x2.mul(q, w));
  }
  let c = f64x2.splat(1.0), s = f64x2.splat(0.0); // C_m, S_m
  for (let m = 1; m <= lMax; m++) {
    // C_m + i S_m = (x + iy)(C_{m−1} + i S_{m−1})
    const cn = f64x2.sub(f64x2.mul(x, c), f64x2.mul(y, s));
    s = f64x2.add(f64x2.mul(x, s), f64x2.mul(y, c));
    c = cn;
    // The weight goes into C_m, S_m of this m: w·Y_l±m = q_lm (w C_m), q_lm (w S_m).
    const wc = f64x2.mul(w, c), ws = f64x2.mul(w, s);
    qmm = f64x2.mul(qmm, v128.load64_splat(coef + coefOffset(m, m))); // q_mm
    q2 = f64x2.splat(0.0);
    q1 = qmm;
    let lm = m * m + m;
    store2F32(outA, outB, lm + m, f64x2.mul(qmm, wc));
    store2F32(outA, outB, lm - m, f64x2.mul(qmm, ws));
    for (let l = m + 1; l <= lMax; l++) {
      const p = coef + coefOffset(l, m);
      const q = f64x2.mul(v128.load64_splat(p), fmadd(z, q1, f64x2.mul(v128.load64_splat(p, 8), q2)));
      q2 = q1;
      q1 = q;
      lm = l * l + l;
      store2F32(outA, outB, lm + m, f64x2.mul(q, wc));
      store2F32(outA, outB, lm - m, f64x2.mul(q, ws));
    }
  }
}
