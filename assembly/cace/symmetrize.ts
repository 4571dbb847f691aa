// Invariants B of one atom (spec section 7) as sums of monomials in Ã, vectorised over the
// (c, k) lanes of a row: term t adds coef_t Π_{q < arity_t} Ã[m_tq] to B[s_t]. The term list
// (src/cace/layout.ts, symmetrizerTerms) enumerates ν = 1..4 with the multinomial weights.
import { fmadd } from '../math/simdMath';
import { ldf, ldi } from '../memory';

export function symmetrize(
  At: usize, B: usize, lanes: i32, nSym: i32, nTerms: i32, arity: usize, factors: usize, coef: usize, feature: usize,
): void {
  memory.fill(B, 0, <usize>(nSym * lanes) << 3);
  for (let t = 0; t < nTerms; t++) {
    const nu = ldi(arity, t);
    const c = f64x2.splat(ldf(coef, t));
    const out = B + (<usize>(ldi(feature, t) * lanes) << 3);
    const r0 = At + (<usize>(ldi(factors, 4 * t) * lanes) << 3);
    const r1 = At + (<usize>(max(0, ldi(factors, 4 * t + 1)) * lanes) << 3);
    const r2 = At + (<usize>(max(0, ldi(factors, 4 * t + 2)) * lanes) << 3);
    const r3 = At + (<usize>(max(0, ldi(factors, 4 * t + 3)) * lanes) << 3);
    if (nu == 1) {
      for (let q = 0; q < lanes; q += 2) {
        const o = <usize>q << 3;
        v128.store(out + o, fmadd(c, v128.load(r0 + o), v128.load(out + o)));
      }
    } else if (nu == 2) {
      for (let q = 0; q < lanes; q += 2) {
        const o = <usize>q << 3;
        const p = f64x2.mul(v128.load(r0 + o), v128.load(r1 + o));
        v128.store(out + o, fmadd(c, p, v128.load(out + o)));
      }
    } else if (nu == 3) {
      for (let q = 0; q < lanes; q += 2) {
        const o = <usize>q << 3;
        const p = f64x2.mul(f64x2.mul(v128.load(r0 + o), v128.load(r1 + o)), v128.load(r2 + o));
        v128.store(out + o, fmadd(c, p, v128.load(out + o)));
      }
    } else {
      for (let q = 0; q < lanes; q += 2) {
        const o = <usize>q << 3;
        const p = f64x2.mul(f64x2.mul(v128.load(r0 + o), v128.load(r1 + o)), f64x2.mul(v128.load(r2 + o), v128.load(r3 + o)));
        v128.store(out + o, fmadd(c, p, v128.load(out + o)));
      }
    }
  }
}
