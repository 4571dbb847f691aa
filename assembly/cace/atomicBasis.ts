// The atomic basis of one atom i (spec section 6) and its radial mixing, with the receiver
// embedding folded into the mixing weights:
//   D[z, n, m]   = Σ_{e: j→i, Z_j = z} R_n(r_e) f(r_e) L_m(û_e)          (per sender element)
//   X[a, n, m]   = Σ_z s_z[a] D[z, n, m]                                 (sender embedding)
//   Ã[m, c, k]   = Σ_n X[a(c), n, m] · W^(l(m))[n, k, c] q_{Z_i}[b(c)]     (c = a d + b)
// which equals Σ_n (Σ_e R_n f L_m s_j[a] q_i[b]) W[n, k, c]: the edge channels E_e[c] factorise.
import { fmadd } from '../math/simdMath';
import { ldf, ldi, stf } from '../memory';

/**
 * D[n, :] = Σ_e rf[e, n] L[e, :] over `count` edges (rows of rf with stride nRP, of L with
 * stride nAngP): a small matrix product with up to 4 f64x2 accumulators per splat of rf.
 */
export function densityOfEdges(rf: usize, L: usize, count: i32, D: usize, nR: i32, nRP: i32, nAngP: i32): void {
  const rfStride = <usize>nRP << 3;
  const lStride = <usize>nAngP << 3;
  for (let n = 0; n < nR; n++) {
    const row = D + (<usize>(n * nAngP) << 3);
    let m = 0;
    for (; m + 8 <= nAngP; m += 8) {
      let a0 = f64x2.splat(0.0), a1 = a0, a2 = a0, a3 = a0;
      let r = rf + (<usize>n << 3), l = L + (<usize>m << 3);
      for (let e = 0; e < count; e++) {
        const rv = v128.load64_splat(r);
        a0 = fmadd(rv, v128.load(l), a0);
        a1 = fmadd(rv, v128.load(l, 16), a1);
        a2 = fmadd(rv, v128.load(l, 32), a2);
        a3 = fmadd(rv, v128.load(l, 48), a3);
        r += rfStride;
        l += lStride;
      }
      const o = row + (<usize>m << 3);
      v128.store(o, a0);
      v128.store(o, a1, 16);
      v128.store(o, a2, 32);
      v128.store(o, a3, 48);
    }
    for (; m + 4 <= nAngP; m += 4) {
      let a0 = f64x2.splat(0.0), a1 = a0;
      let r = rf + (<usize>n << 3), l = L + (<usize>m << 3);
      for (let e = 0; e < count; e++) {
        const rv = v128.load64_splat(r);
        a0 = fmadd(rv, v128.load(l), a0);
        a1 = fmadd(rv, v128.load(l, 16), a1);
        r += rfStride;
        l += lStride;
      }
      const o = row + (<usize>m << 3);
      v128.store(o, a0);
      v128.store(o, a1, 16);
    }
    for (; m < nAngP; m += 2) {
      let a0 = f64x2.splat(0.0);
      let r = rf + (<usize>n << 3), l = L + (<usize>m << 3);
      for (let e = 0; e < count; e++) {
        a0 = fmadd(v128.load64_splat(r), v128.load(l), a0);
        r += rfStride;
        l += lStride;
      }
      v128.store(row + (<usize>m << 3), a0);
    }
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
 * element, Wq[l, c, n, k] = W^(l)[n, k, c] q[b(c)]. Register-blocked over k: up to 4 f64x2
 * accumulators share each splat of X[a, n, m].
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
      let k = 0;
      for (; k + 12 <= K; k += 12) {
        let a0 = f64x2.splat(0.0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        let w = Wc + (<usize>k << 3), x = xa;
        for (let n = 0; n < nR; n++) {
          const xv = v128.load64_splat(x);
          a0 = fmadd(xv, v128.load(w), a0);
          a1 = fmadd(xv, v128.load(w, 16), a1);
          a2 = fmadd(xv, v128.load(w, 32), a2);
          a3 = fmadd(xv, v128.load(w, 48), a3);
          a4 = fmadd(xv, v128.load(w, 64), a4);
          a5 = fmadd(xv, v128.load(w, 80), a5);
          w += wStride;
          x += xStride;
        }
        const o = out + (<usize>k << 3);
        v128.store(o, a0);
        v128.store(o, a1, 16);
        v128.store(o, a2, 32);
        v128.store(o, a3, 48);
        v128.store(o, a4, 64);
        v128.store(o, a5, 80);
      }
      for (; k + 8 <= K; k += 8) {
        let a0 = f64x2.splat(0.0), a1 = a0, a2 = a0, a3 = a0;
        let w = Wc + (<usize>k << 3), x = xa;
        for (let n = 0; n < nR; n++) {
          const xv = v128.load64_splat(x);
          a0 = fmadd(xv, v128.load(w), a0);
          a1 = fmadd(xv, v128.load(w, 16), a1);
          a2 = fmadd(xv, v128.load(w, 32), a2);
          a3 = fmadd(xv, v128.load(w, 48), a3);
          w += wStride;
          x += xStride;
        }
        const o = out + (<usize>k << 3);
        v128.store(o, a0);
        v128.store(o, a1, 16);
        v128.store(o, a2, 32);
        v128.store(o, a3, 48);
      }
      for (; k + 4 <= K; k += 4) {
        let a0 = f64x2.splat(0.0), a1 = a0;
        let w = Wc + (<usize>k << 3), x = xa;
        for (let n = 0; n < nR; n++) {
          const xv = v128.load64_splat(x);
          a0 = fmadd(xv, v128.load(w), a0);
          a1 = fmadd(xv, v128.load(w, 16), a1);
          w += wStride;
          x += xStride;
        }
        const o = out + (<usize>k << 3);
        v128.store(o, a0);
        v128.store(o, a1, 16);
      }
      for (; k + 2 <= K; k += 2) {
        let a0 = f64x2.splat(0.0);
        let w = Wc + (<usize>k << 3), x = xa;
        for (let n = 0; n < nR; n++) {
          a0 = fmadd(v128.load64_splat(x), v128.load(w), a0);
          w += wStride;
          x += xStride;
        }
        v128.store(out + (<usize>k << 3), a0);
      }
      if (k < K) {
        let acc: f64 = 0.0;
        for (let n = 0; n < nR; n++) acc += ldf(xa, n * nAngP) * ldf(Wc, n * K + k);
        stf(out, k, acc);
      }
    }
  }
}
