// Radial symmetry functions of one centre (neighbours sorted by species):
//   G1 = Σ_j f_c(r_ij),  G2 = Σ_j exp(−η (r_ij − R_s)²) f_c(r_ij),  G3 = Σ_j cos(κ r_ij) f_c(r_ij).
import { ldf, stf, ldi } from '../memory';
import { exp2x } from '../math/simdMath';
import { n2, n3, pG2, pG3, runStart } from './state';

/** Values only: G1 and G2 summed two neighbours at a time over each species' run. */
export function radialValues(nSpecies: i32, spStart: usize, sr: usize, sfc: usize, row: usize, nRadial: i32): void {
  for (let s = 0; s < nSpecies; s++) {
    const lo = runStart(spStart, s), hi = ldi(spStart, s);
    if (hi == lo) continue;
    const base = s * nRadial;
    let g1 = 0.0;
    for (let n = lo; n < hi; n++) g1 += ldf(sfc, n);
    stf(row, base, g1);
    for (let f = 0; f < n2; f++) {
      const eta = f64x2.splat(-ldf(pG2, 2 * f)), rs = f64x2.splat(ldf(pG2, 2 * f + 1));
      let acc = f64x2.splat(0);
      let n = lo;
      for (; n + 2 <= hi; n += 2) {
        const d = f64x2.sub(v128.load(sr + (<usize>n << 3)), rs);
        acc = f64x2.add(acc, f64x2.mul(exp2x(f64x2.mul(eta, f64x2.mul(d, d))), v128.load(sfc + (<usize>n << 3))));
      }
      let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
      if (n < hi) {
        const d = ldf(sr, n) - ldf(pG2, 2 * f + 1);
        sum += Math.exp(-ldf(pG2, 2 * f) * d * d) * ldf(sfc, n);
      }
      stf(row, base + 1 + f, sum);
    }
    for (let f = 0; f < n3; f++) {
      const kappa = ldf(pG3, f);
      let sum = 0.0;
      for (let n = lo; n < hi; n++) sum += Math.cos(kappa * ldf(sr, n)) * ldf(sfc, n);
      stf(row, base + 1 + n2 + f, sum);
    }
  }
}

@inline function addGradient(grad: usize, entry: i32, nFeatures: i32, f: i32, g: f64, ux: f64, uy: f64, uz: f64): void {
  const base = grad + ((<usize>entry * <usize>(3 * nFeatures) + <usize>f) << 3);
  const stride = <usize>nFeatures << 3;
  store<f64>(base, load<f64>(base) + g * ux);
  store<f64>(base + stride, load<f64>(base + stride) + g * uy);
  store<f64>(base + 2 * stride, load<f64>(base + 2 * stride) + g * uz);
}

/** Values and gradients: ∂G/∂d_e = dv/dr · d_e / r for each neighbour entry e. */
export function radialWithGradients(
  nn: i32, sr: usize, sfc: usize, sdfc: usize, ssp: usize, sentry: usize, ux: usize, uy: usize, uz: usize,
  row: usize, nRadial: i32, grad: usize, nFeatures: i32,
): void {
  for (let n = 0; n < nn; n++) {
    const r = ldf(sr, n), fc = ldf(sfc, n), dfc = ldf(sdfc, n);
    const base = ldi(ssp, n) * nRadial;
    const x = ldf(ux, n), y = ldf(uy, n), z = ldf(uz, n);
    const entry = ldi(sentry, n);
    stf(row, base, ldf(row, base) + fc);
    addGradient(grad, entry, nFeatures, base, dfc, x, y, z);
    for (let f = 0; f < n2; f++) {
      const eta = ldf(pG2, 2 * f), rs = ldf(pG2, 2 * f + 1);
      const g = Math.exp(-eta * (r - rs) * (r - rs));
      stf(row, base + 1 + f, ldf(row, base + 1 + f) + g * fc);
      addGradient(grad, entry, nFeatures, base + 1 + f, g * (dfc - 2.0 * eta * (r - rs) * fc), x, y, z);
    }
    for (let f = 0; f < n3; f++) {
      const kappa = ldf(pG3, f);
      const cs = Math.cos(kappa * r);
      stf(row, base + 1 + n2 + f, ldf(row, base + 1 + n2 + f) + cs * fc);
      addGradient(grad, entry, nFeatures, base + 1 + n2 + f, cs * dfc - kappa * Math.sin(kappa * r) * fc, x, y, z);
    }
  }
}
