// sin(x) for both lanes of an f64x2, |x| < 2^25 π: x = kπ + y with |y| ≤ π/2 by a three-part
// Cody–Waite reduction (k·PI_HI and k·PI_MID are exact), sin(x) = (−1)^k sin(y), and sin(y) by
// its Taylor series to y^23 (truncation < 1e-20). Error ~1 ulp of max(|sin x|, |x|·2^−53).
import { fmadd } from './simdMath';

const INV_PI: f64 = 0.3183098861837907;
// π = PI_HI + PI_MID + PI_LO; PI_HI has 25 significant bits, PI_MID 25.
const PI_HI: f64 = 3.1415926218032837;
const PI_MID: f64 = 3.1786509424591713e-8;
const PI_LO: f64 = 1.2246467991473532e-16;

// (−1)^j / (2j+1)!, j = 11 down to 0.
const SIN_TAYLOR = memory.data<f64>([
  -3.868170170630684e-23, 1.9572941063391263e-20, -8.22063524662433e-18, 2.8114572543455206e-15,
  -7.647163731819816e-13, 1.6059043836821613e-10, -2.505210838544172e-8, 2.7557319223985893e-6,
  -1.984126984126984e-4, 8.333333333333333e-3, -1.6666666666666666e-1, 1.0,
]);

@inline function splat(x: f64): v128 {
  return f64x2.splat(x);
}

@inline export function sin2x(x: v128): v128 {
  const k = f64x2.nearest(f64x2.mul(x, splat(INV_PI)));
  let y = fmadd(k, splat(-PI_HI), x);
  y = fmadd(k, splat(-PI_MID), y);
  y = fmadd(k, splat(-PI_LO), y);
  const y2 = f64x2.mul(y, y);
  // Σ_{j=0}^{11} (−1)^j y^(2j) / (2j+1)!, Horner in y².
  // Constants from a static table (V8 rebuilds v128.const in loops, a splat load is cheaper).
  let p = v128.load64_splat(SIN_TAYLOR);
  for (let j = 1; j < 12; j++) p = fmadd(p, y2, v128.load64_splat(SIN_TAYLOR + (<usize>j << 3)));
  // (−1)^k = 1 − 2 (k − 2 ⌊k/2⌋).
  const parity = f64x2.sub(k, f64x2.mul(splat(2.0), f64x2.floor(f64x2.mul(k, splat(0.5)))));
  const sign = fmadd(parity, splat(-2.0), splat(1.0));
  return f64x2.mul(f64x2.mul(y, p), sign);
}
