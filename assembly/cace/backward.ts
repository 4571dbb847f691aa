// The backward pass of one atom's layer-0 features (spec sections 6–7) from ∂E/∂B to ∂E/∂v of
// its edges: the transposes of the symmetriser, the radial mixing and the sender contraction,
// then per edge through R_n f, L_m(û) and û = v/(r + ε).
import { fmadd } from '../math/simdMath';
import { ldf, ldi, stf } from '../memory';

/** gAt[m] = Σ_terms coef gB[s] ∂(Π factors)/∂Ã[m] (rows of `lanes`, zeroed first). */
export function symmetrizeBackward(
  At: usize, gB: usize, gAt: usize, lanes: i32, nAng: i32, nTerms: i32, arity: usize, factors: usize, coef: usize, feature: usize,
): void {
  const rowBytes = <usize>lanes << 3;
  memory.fill(gAt, 0, <usize>nAng * rowBytes);
  for (let t = 0; t < nTerms; t++) {
    const nu = ldi(arity, t);
    const c = f64x2.splat(ldf(coef, t));
    const g = gB + <usize>ldi(feature, t) * rowBytes;
    const f = factors + (<usize>(4 * t) << 2);
    for (let q = 0; q < nu; q++) {
      const dst = gAt + <usize>ldi(f, q) * rowBytes;
      for (let o: usize = 0; o < rowBytes; o += 16) {
        let p = f64x2.mul(c, v128.load(g + o));
        for (let q2 = 0; q2 < nu; q2++) {
          if (q2 != q) p = f64x2.mul(p, v128.load(At + <usize>ldi(f, q2) * rowBytes + o));
        }
        v128.store(dst + o, f64x2.add(v128.load(dst + o), p));
      }
    }
  }
}

/** gX[a, n, m] = Σ_{c: a(c) = a} Σ_k Wq[l(m), c, n, k] gAt[m, c K + k] (zeroed first). */
export function mixingBackward(
  gAt: usize, Wq: usize, lOf: usize, gX: usize, d: i32, nR: i32, K: i32, nAng: i32, nAngP: i32, lanes: i32,
): void {
  const C = d * d;
  const lBlock = C * nR * K;
  memory.fill(gX, 0, <usize>(d * nR * nAngP) << 3);
  for (let m = 0; m < nAng; m++) {
    const Wl = Wq + (<usize>(ldi(lOf, m) * lBlock) << 3);
    for (let c = 0; c < C; c++) {
      const g = gAt + (<usize>(m * lanes + c * K) << 3);
      const Wc = Wl + (<usize>(c * nR * K) << 3);
      const xa = (c / d) * nR * nAngP + m;
      for (let n = 0; n < nR; n++) {
        const w = Wc + (<usize>(n * K) << 3);
        let acc = f64x2.splat(0.0);
        let k = 0;
        for (; k + 2 <= K; k += 2) acc = fmadd(v128.load(w + (<usize>k << 3)), v128.load(g + (<usize>k << 3)), acc);
        let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
        if (k < K) s += ldf(w, k) * ldf(g, k);
        stf(gX, xa + n * nAngP, ldf(gX, xa + n * nAngP) + s);
      }
    }
  }
}

/** gD[z, n, :] = Σ_a s_z[a] gX[a, n, :]. */
export function senderBackward(gX: usize, gD: usize, sender: usize, nz: i32, d: i32, nR: i32, nAngP: i32): void {
  const block = nR * nAngP;
  for (let z = 0; z < nz; z++) {
    for (let q = 0; q < block; q += 2) {
      let acc = f64x2.splat(0.0);
      for (let a = 0; a < d; a++) acc = fmadd(f64x2.splat(ldf(sender, z * d + a)), v128.load(gX + (<usize>(a * block + q) << 3)), acc);
      v128.store(gD + (<usize>(z * block + q) << 3), acc);
    }
  }
}

/**
 * ∂E/∂v of one edge given gD = ∂E/∂D[z_j] (rows n of nAngP), the edge's rf, drf and L, and the
 * derivative tables of the monomials (dIdx[3m + a]: index of L_m with one power of axis a
 * less, dFac[3m + a]: that power, 0 when absent). Writes 3 numbers at out.
 */
export function edgeBackward(
  gD: usize, rf: usize, drf: usize, L: usize, gL: usize, nR: i32, nAng: i32, nAngP: i32, dIdx: usize, dFac: usize,
  vx: f64, vy: f64, vz: f64, r: f64, eps: f64, out: usize,
): void {
  // ∂E/∂(R_n f) = Σ_m gD[n, m] L_m; ∂E/∂L_m = Σ_n gD[n, m] R_n f.
  let gr: f64 = 0.0;
  memory.fill(gL, 0, <usize>nAngP << 3);
  for (let n = 0; n < nR; n++) {
    const row = gD + (<usize>(n * nAngP) << 3);
    const rv = f64x2.splat(ldf(rf, n));
    let acc = f64x2.splat(0.0);
    for (let m = 0; m < nAngP; m += 2) {
      const o = <usize>m << 3;
      const g = v128.load(row + o);
      acc = fmadd(g, v128.load(L + o), acc);
      v128.store(gL + o, fmadd(rv, g, v128.load(gL + o)));
    }
    gr += (f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1)) * ldf(drf, n);
  }
  // ∂E/∂û_a = Σ_m ∂E/∂L_m · l_a L_(m − e_a).
  let gx: f64 = 0.0, gy: f64 = 0.0, gz: f64 = 0.0;
  for (let m = 1; m < nAng; m++) {
    const g = ldf(gL, m);
    gx += g * ldf(dFac, 3 * m) * ldf(L, ldi(dIdx, 3 * m));
    gy += g * ldf(dFac, 3 * m + 1) * ldf(L, ldi(dIdx, 3 * m + 1));
    gz += g * ldf(dFac, 3 * m + 2) * ldf(L, ldi(dIdx, 3 * m + 2));
  }
  // û = v/(r + ε): ∂û_a/∂v_b = δ_ab/(r + ε) − v_a v_b/(r (r + ε)²); ∂r/∂v = v/r.
  const inv = 1.0 / (r + eps);
  const vgu = vx * gx + vy * gy + vz * gz;
  const radial = gr / r - (vgu * inv * inv) / r;
  stf(out, 0, gx * inv + radial * vx);
  stf(out, 1, gy * inv + radial * vy);
  stf(out, 2, gz * inv + radial * vz);
}
