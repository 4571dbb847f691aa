// The atomic basis of one atom i (spec section 6) and its radial mixing, with the receiver
// embedding folded into the mixing weights:
//   D[z, n, m]   = Σ_{e: j→i, Z_j = z} R_n(r_e) f(r_e) L_m(û_e)          (per sender element)
//   X[a, n, m]   = Σ_z s_z[a] D[z, n, m]                                 (sender embedding)
//   Ã[m, c, k]   = Σ_n X[a(c), n, m] · W^(l(m))[n, k, c] q_{Z_i}[b(c)]     (c = a d + b)
// which equals Σ_n (Σ_e R_n f L_m s_j[a] q_i[b]) W[n, k, c]: the edge channels E_e[c] factorise.
import { fmadd } from '../math/simdMath';
import { scaledRowSum } from '../math/scaledRowSum';
import { ldf, ldi } from '../memory';

/**
 * D[n, :] = Σ_e rf[e, n] L[e, :] over `count` edges (rows of rf with stride nRP, of L with
 * stride nAngP): a small matrix product (scaledRowSum per row n).
 */
export function densityOfEdges(rf: usize, L: usize, count: i32, D: usize, nR: i32, nRP: i32, nAngP: i32): void {
  const rfStride = <usize>nRP << 3;
  const lStride = <usize>nAngP << 3;
  for (let n = 0; n < nR; n++) {
    scaledRowSum(D + (<usize>(n * nAngP) << 3), rf + (<usize>n << 3), rfStride, L, lStride, count, nAngP);
  }
}

/** X[a, n, :] = Σ_z s_z[a] D[z, n, :]. */
export function senderContraction(D: usize, X: usize, sender: usize, nz: i32, d: i32, nR: i32, nAngP: i32): void {
  const block = nR * nAngP;
  for (let a = 0; a < d; a++) {
    for (let q = 0; q < block; q += 2) {
      let acc = f64x2.splat(0.0);
      for (let z = 0; z < nz; z++) {
        acc = fmadd(f64x2.splat(ldf(sender, z * d + a)), v128.load(D + (<usize>(z * block + q) << 3)), acc);
      }
      v128.store(X + (<usize>(a * block + q) << 3), acc);
    }
  }
}

/**
 * Ã[m, c, k] (row m of stride `lanes`, lanes c K + k) from X with the weights of the receiver's
 * element, Wq[l, c, n, k] = W^(l)[n, k, c] q[b(c)]: one scaledRowSum over n per (m, c).
 */
export function radialMixing(
  X: usize, Wq: usize, lOf: usize, At: usize, d: i32, nR: i32, K: i32, nAng: i32, nAngP: i32, lanes: i32,
): void {
  const C = d * d;
  const lBlock = C * nR * K;
  const xStride = <usize>nAngP << 3;
  const wStride = <usize>K << 3;
  for (let m = 0; m < nAng; m++) {
    const Wl = Wq + (<usize>(ldi(lOf, m) * lBlock) << 3);
    const row = At + (<usize>(m * lanes) << 3);
    for (let c = 0; c < C; c++) {
      const xa = X + (<usize>((c / d) * nR * nAngP + m) << 3);
      const Wc = Wl + (<usize>(c * nR * K) << 3);
      const out = row + (<usize>(c * K) << 3);
      scaledRowSum(out, xa, xStride, Wc, wStride, nR, K);
    }
  }
}
