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
    const o0 = <usize>ldi(f, 0) * rowBytes;
    const o1 = <usize>max(0, ldi(f, 1)) * rowBytes;
    const o2 = <usize>max(0, ldi(f, 2)) * rowBytes;
    const o3 = <usize>max(0, ldi(f, 3)) * rowBytes;
    const a0 = At + o0, a1 = At + o1, a2 = At + o2, a3 = At + o3;
    const d0 = gAt + o0, d1 = gAt + o1, d2 = gAt + o2, d3 = gAt + o3;
    if (nu == 1) {
      for (let o: usize = 0; o < rowBytes; o += 16) v128.store(d0 + o, fmadd(c, v128.load(g + o), v128.load(d0 + o)));
    } else if (nu == 2) {
      for (let o: usize = 0; o < rowBytes; o += 16) {
        const cg = f64x2.mul(c, v128.load(g + o));
        const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o);
        v128.store(d0 + o, fmadd(cg, x1, v128.load(d0 + o)));
        v128.store(d1 + o, fmadd(cg, x0, v128.load(d1 + o)));
      }
    } else if (nu == 3) {
      for (let o: usize = 0; o < rowBytes; o += 16) {
        const cg = f64x2.mul(c, v128.load(g + o));
        const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o), x2 = v128.load(a2 + o);
        v128.store(d0 + o, fmadd(cg, f64x2.mul(x1, x2), v128.load(d0 + o)));
        v128.store(d1 + o, fmadd(cg, f64x2.mul(x0, x2), v128.load(d1 + o)));
        v128.store(d2 + o, fmadd(cg, f64x2.mul(x0, x1), v128.load(d2 + o)));
      }
    } else {
      for (let o: usize = 0; o < rowBytes; o += 16) {
        const cg = f64x2.mul(c, v128.load(g + o));
        const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o), x2 = v128.load(a2 + o), x3 = v128.load(a3 + o);
        const p01 = f64x2.mul(x0, x1), p23 = f64x2.mul(x2, x3);
        v128.store(d0 + o, fmadd(f64x2.mul(cg, p23), x1, v128.load(d0 + o)));
        v128.store(d1 + o, fmadd(f64x2.mul(cg, p23), x0, v128.load(d1 + o)));
        v128.store(d2 + o, fmadd(f64x2.mul(cg, p01), x3, v128.load(d2 + o)));
        v128.store(d3 + o, fmadd(f64x2.mul(cg, p01), x2, v128.load(d3 + o)));
      }
    }
  }
}

/** gX[a, n, m] = Σ_{c: a(c) = a} Σ_k Wq[l(m), c, n, k] gAt[m, c K + k]. */
export function mixingBackward(
  gAt: usize, Wq: usize, lOf: usize, gX: usize, d: i32, nR: i32, K: i32, nAng: i32, nAngP: i32, lanes: i32,
): void {
  const C = d * d;
  const lBlock = C * nR * K;
  for (let m = 0; m < nAng; m++) {
    const Wl = Wq + (<usize>(ldi(lOf, m) * lBlock) << 3);
    const gRow = gAt + (<usize>(m * lanes) << 3);
    for (let a = 0; a < d; a++) {
      for (let n = 0; n < nR; n++) {
        let acc = f64x2.splat(0.0);
        let tail: f64 = 0.0;
        for (let c = a * d; c < a * d + d; c++) {
          const g = gRow + (<usize>(c * K) << 3);
          const w = Wl + (<usize>((c * nR + n) * K) << 3);
          let k = 0;
          for (; k + 2 <= K; k += 2) acc = fmadd(v128.load(w + (<usize>k << 3)), v128.load(g + (<usize>k << 3)), acc);
          if (k < K) tail += ldf(w, k) * ldf(g, k);
        }
        stf(gX, (a * nR + n) * nAngP + m, f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1) + tail);
      }
    }
  }
  // Padding columns m ≥ n_ang.
  for (let a = 0; a < d; a++) for (let n = 0; n < nR; n++) for (let m = nAng; m < nAngP; m++) stf(gX, (a * nR + n) * nAngP + m, 0.0);
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
