// Cartesian angular basis L_m(û) = ûx^lx ûy^ly ûz^lz (spec section 4), layer by layer in the
// order of src/cace/layout.ts: with P the N = l(l+1)/2 monomials of order l − 1, those of order l
// are [ûx · P (all N), ûy · P (its last l: lx = 0), ûz · P (its last: (0, 0, l−1))].
import { ldf, stf } from '../memory';

/** Writes n_ang = (maxL+1)(maxL+2)(maxL+3)/6 monomials and zeros up to nAngP (nothing beyond). */
export function angularMonomials(ux: f64, uy: f64, uz: f64, maxL: i32, nAng: i32, nAngP: i32, out: usize): void {
  stf(out, 0, 1.0);
  const vx = f64x2.splat(ux);
  let prev = 0;
  for (let l = 1; l <= maxL; l++) {
    const count = (l * (l + 1)) >> 1;
    const cur = prev + count;
    // ûx · P, two at a time (an odd count spills one slot into the ûy part, written next).
    for (let q = 0; q < count; q += 2) {
      v128.store(out + (<usize>(cur + q) << 3), f64x2.mul(vx, v128.load(out + (<usize>(prev + q) << 3))));
    }
    for (let q = 0; q < l; q++) stf(out, cur + count + q, uy * ldf(out, prev + count - l + q));
    stf(out, cur + count + l, uz * ldf(out, prev + count - 1));
    prev = cur;
  }
  for (let m = nAng; m < nAngP; m++) stf(out, m, 0.0);
}
