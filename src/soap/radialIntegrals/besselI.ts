/**
 * Scaled modified spherical Bessel functions of the first kind, ĩ_l(x) = e^{−x} i_l(x), in
 * float64 (set-up time code for the SOAP radial integrals).
 *
 *   i_0(x) = sinh(x)/x,   i_l(x) = √(π/(2x)) I_{l+½}(x)
 *   i_{l−1}(x) − i_{l+1}(x) = (2l+1)/x · i_l(x)            (three-term recurrence)
 *
 * Upward recurrence cancels badly for x ≲ l, so we use Miller's idea in ratio form: the ratios
 * ρ_l = i_l / i_{l−1} satisfy ρ_l = x / ((2l+1) + x ρ_{l+1}) (all terms positive, no cancellation),
 * iterated downward from ρ_L = 0 at L = l_max + 40 + ⌈min(x, √(64x))⌉ (each step damps the start
 * error by ρ_l² < 0.2 above l ≈ x, so 40 steps are far more than enough; below, ρ_l² ≈ 1 − 2l/x
 * damps it by ≈ e^{−(L² − l_max²)/x} ≤ e^{−64} over the √(64x) steps, so for large x — narrow
 * Gaussians, x = 2ηr r' ~ 1e5 at σ = 0.01 Å — the start no longer grows with x: the polynomial
 * basis's table at σ = 0.01 Å took ~3 min with L ∝ x), then
 *   ĩ_0(x) = (1 − e^{−2x}) / (2x) = −expm1(−2x) / (2x),   ĩ_l = ĩ_{l−1} ρ_l.
 * Accurate to a few ulp per order (≲ 1e-15 relative for l ≤ 20), for every x ≥ 0 (x = 0 gives
 * ĩ_0 = 1, ĩ_{l>0} = 0; no overflow for large x; tiny values may underflow to 0).
 */
import { AtomenvError } from '../../errors.js';

/** Extra downward-recurrence steps above max(l_max, x) in {@link scaledSphericalBesselI}. */
const MILLER_EXTRA_STEPS = 40;

/**
 * e^{−x} i_l(x) for l = 0..lMax.
 *
 * @param lMax largest order (integer ≥ 0).
 * @param x argument, x ≥ 0 (finite).
 * @param out receives ĩ_l(x) at `out[l]`, l = 0..lMax; length ≥ lMax + 1.
 * @returns `out`.
 * @throws AtomenvError `INVALID_PARAMETER` for x < 0, a non-finite x or a too short `out`.
 */
export function scaledSphericalBesselI(lMax: number, x: number, out: Float64Array): Float64Array {
  if (!(x >= 0) || x === Infinity) {
    throw new AtomenvError('INVALID_PARAMETER', `scaledSphericalBesselI: x must be finite and ≥ 0, got ${x}`);
  }
  if (out.length < lMax + 1) {
    throw new AtomenvError('INVALID_PARAMETER', `scaledSphericalBesselI: out needs ${lMax + 1} entries, has ${out.length}`);
  }
  if (x === 0) {
    out[0] = 1;
    for (let l = 1; l <= lMax; l++) out[l] = 0;
    return out;
  }
  // ĩ_0 = (1 − e^{−2x}) / (2x), without cancellation at small x.
  out[0] = -Math.expm1(-2 * x) / (2 * x);
  if (lMax === 0) return out;
  // Ratios ρ_l = i_l / i_{l−1} by the downward continued fraction, stored in out[1..lMax].
  const start = lMax + MILLER_EXTRA_STEPS + Math.ceil(Math.min(x, Math.sqrt(64 * x)));
  let ratio = 0;
  for (let l = start; l >= 1; l--) {
    ratio = x / (2 * l + 1 + x * ratio);
    if (l <= lMax) out[l] = ratio;
  }
  // ĩ_l = ĩ_{l−1} ρ_l.
  for (let l = 1; l <= lMax; l++) out[l] = out[l - 1]! * out[l]!;
  return out;
}

/**
 * Scaled derivatives e^{−x} i_l'(x) from the scaled values ĩ_0..ĩ_{lMax+1}:
 *   i_l' = (l i_{l−1} + (l+1) i_{l+1}) / (2l+1)     (i_0' = i_1; no division by x, valid at x = 0)
 *
 * @param lMax largest order of the derivative.
 * @param scaled ĩ_l(x) for l = 0..lMax+1.
 * @param out receives e^{−x} i_l'(x) at `out[l]`, l = 0..lMax.
 * @returns `out`.
 */
export function scaledSphericalBesselIDerivative(lMax: number, scaled: Float64Array, out: Float64Array): Float64Array {
  out[0] = scaled[1]!;
  for (let l = 1; l <= lMax; l++) out[l] = (l * scaled[l - 1]! + (l + 1) * scaled[l + 1]!) / (2 * l + 1);
  return out;
}
