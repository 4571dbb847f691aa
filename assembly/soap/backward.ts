// Backward pass of SOAP: given ∂L/∂p for a centre's power spectrum, the gradient of L with
// respect to each neighbour's displacement, without forming ∂p/∂r.
//   1. ∂L/∂c (reverse of the power spectrum): for a block (d1, d2) with G_{nn'l} = P_l ∂L/∂p_{nn'l},
//        ∂L/∂c^{d1}_{nlm} += Σ_n' G_{nn'l} c^{d2}_{n'lm},   ∂L/∂c^{d2}_{n'lm} += Σ_n G_{nn'l} c^{d1}_{nlm};
//      mu1nu1's summed density passes its gradient on to every species density.
//   2. Per neighbour (reverse of the expansion c^d_{nlm} += w Y_lm I_nl), with C̄ = ∂L/∂c^{d_s}:
//        ∂L/∂r_α = Σ_lm ∂_αY_lm (w Σ_n C̄_{nlm} I_nl) + u_α Σ_lm Y_lm Σ_n C̄_{nlm} J_nl,
//      J = w' I + w I' (see assembly/soap/powerSpectrumGradient.ts for the notation).
// With every atom a centre, step 2 runs per pair of a half list (pairBackward): the pair's I, I',
// Y and ∂Y serve both directions, which differ only by the signs (−1)^l of the harmonics.
import { ldf, ldi, stf } from '../memory';
import { fmadd } from '../math/simdMath';

/**
 * cBar[(d·(l_max+1)² + lm)·n_maxP + n] = ∂L/∂c^d_{nlm} from dLdp (one centre's feature row,
 * multiplied by `scale`). cBar is overwritten. gram: scratch f64[2·n_maxP²].
 * Every product runs along n (f64x2 over a row): a symmetric block (d1 = d2) adds (G + Gᵀ) c
 * once; otherwise Gᵀ is kept beside G so that both sides are row sweeps.
 */
export function coefficientGradient(
  nMax: i32, nMaxP: i32, lMax: i32, nBlocks: i32, blocks: usize, nCoefDensities: i32, sumDensity: i32,
  coef: usize, dLdp: usize, scale: f64, gram: usize, cBar: usize,
): void {
  const nLM = (lMax + 1) * (lMax + 1);
  const rowBytes = <usize>nMaxP << 3;
  const densityBytes = <usize>nLM * rowBytes;
  const gramT = gram + <usize>nMaxP * rowBytes;
  memory.fill(cBar, 0, <usize>nCoefDensities * densityBytes);
  let f = 0;
  for (let b = 0; b < nBlocks; b++) {
    const d1 = ldi(blocks, 3 * b), d2 = ldi(blocks, 3 * b + 1);
    const symmetric = ldi(blocks, 3 * b + 2) != 0;
    const same = symmetric && d1 == d2;
    const c1 = coef + <usize>d1 * densityBytes, c2 = coef + <usize>d2 * densityBytes;
    const g1 = cBar + <usize>d1 * densityBytes, g2 = cBar + <usize>d2 * densityBytes;
    for (let l = 0; l <= lMax; l++) {
      const pl = scale * Math.PI * Math.sqrt(8.0 / <f64>(2 * l + 1));
      // G[n][n'] (zero below the diagonal of a symmetric block and in the padding); for `same`
      // S = G + Gᵀ in place of G, else Gᵀ in gramT.
      memory.fill(gram, 0, <usize>(2 * nMaxP) * rowBytes);
      for (let n = 0; n < nMax; n++) {
        for (let n2 = symmetric ? n : 0; n2 < nMax; n2++) {
          const v = pl * ldf(dLdp, f++);
          if (same) {
            stf(gram, n * nMaxP + n2, ldf(gram, n * nMaxP + n2) + v);
            stf(gram, n2 * nMaxP + n, ldf(gram, n2 * nMaxP + n) + v);
          } else {
            stf(gram, n * nMaxP + n2, v);
            stf(gramT, n2 * nMaxP + n, v);
          }
        }
      }
      for (let lm = l * l; lm <= l * l + 2 * l; lm++) {
        const row = <usize>lm * rowBytes;
        if (same) {
          // ∂L/∂c^{d}[·] += Σ_n c^{d}[n] S[n][·]
          rowSweep(nMax, rowBytes, c1 + row, gram, g1 + row);
        } else {
          // ∂L/∂c^{d1}[·] += Σ_n' c^{d2}[n'] Gᵀ[n'][·],  ∂L/∂c^{d2}[·] += Σ_n c^{d1}[n] G[n][·]
          rowSweep(nMax, rowBytes, c2 + row, gramT, g1 + row);
          rowSweep(nMax, rowBytes, c1 + row, gram, g2 + row);
        }
      }
    }
  }
  if (sumDensity >= 0) {
    const gs = cBar + <usize>sumDensity * densityBytes;
    for (let d = 0; d < sumDensity; d++) {
      const gd = cBar + <usize>d * densityBytes;
      for (let o: usize = 0; o < densityBytes; o += 16) v128.store(gd + o, f64x2.add(v128.load(gd + o), v128.load(gs + o)));
    }
  }
}

/** out[·] += Σ_{n < nMax} x[n] M[n][·] over a row of rowBytes (M: rows of rowBytes). */
@inline function rowSweep(nMax: i32, rowBytes: usize, x: usize, m: usize, out: usize): void {
  if (rowBytes == 64) {
    // n_maxP = 8: the row stays in four registers.
    let o0 = v128.load(out), o1 = v128.load(out, 16), o2 = v128.load(out, 32), o3 = v128.load(out, 48);
    for (let n = 0; n < nMax; n++) {
      const xn = v128.load64_splat(x + (<usize>n << 3));
      const mRow = m + (<usize>n << 6);
      o0 = fmadd(xn, v128.load(mRow), o0);
      o1 = fmadd(xn, v128.load(mRow, 16), o1);
      o2 = fmadd(xn, v128.load(mRow, 32), o2);
      o3 = fmadd(xn, v128.load(mRow, 48), o3);
    }
    v128.store(out, o0);
    v128.store(out, o1, 16);
    v128.store(out, o2, 32);
    v128.store(out, o3, 48);
    return;
  }
  for (let n = 0; n < nMax; n++) {
    const xn = v128.load64_splat(x + (<usize>n << 3));
    const mRow = m + <usize>n * rowBytes;
    for (let o: usize = 0; o < rowBytes; o += 16) {
      v128.store(out + o, fmadd(xn, v128.load(mRow + o), v128.load(out + o)));
    }
  }
}

/**
 * ∂L/∂r of one neighbour: writes (g_x, g_y, g_z) to g. cBarD: ∂L/∂c of the neighbour's density;
 * wI = w I (or w I'(0) at r = 0), J = w' I + w I' (channels l·n_maxP + n); yPlain, dY[3][lm]: the
 * slot's harmonics and their gradients; u: unit vector (0 at r = 0).
 */
export function slotBackward(
  nMaxP: i32, lMax: i32, cBarD: usize, wI: usize, jRow: usize, yPlain: usize, dY: usize,
  ux: f64, uy: f64, uz: f64, g: usize,
): void {
  const nLM = (lMax + 1) * (lMax + 1);
  const rowBytes = <usize>nMaxP << 3;
  const dYy = dY + (<usize>nLM << 3), dYz = dY + (<usize>(2 * nLM) << 3);
  let gx = 0.0, gy = 0.0, gz = 0.0, radialPart = 0.0;
  for (let l = 0; l <= lMax; l++) {
    const wIl = wI + <usize>l * rowBytes, jl = jRow + <usize>l * rowBytes;
    for (let lm = l * l; lm <= l * l + 2 * l; lm++) {
      const c = cBarD + <usize>lm * rowBytes;
      let a = f64x2.splat(0.0), b = a;
      for (let o: usize = 0; o < rowBytes; o += 16) {
        const cv = v128.load(c + o);
        a = fmadd(cv, v128.load(wIl + o), a);
        b = fmadd(cv, v128.load(jl + o), b);
      }
      const as = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
      const bs = f64x2.extract_lane(b, 0) + f64x2.extract_lane(b, 1);
      const off = <usize>lm << 3;
      gx += load<f64>(dY + off) * as;
      gy += load<f64>(dYy + off) * as;
      gz += load<f64>(dYz + off) * as;
      radialPart += load<f64>(yPlain + off) * bs;
    }
  }
  stf(g, 0, gx + ux * radialPart);
  stf(g, 1, gy + uy * radialPart);
  stf(g, 2, gz + uz * radialPart);
}

/**
 * ∂L/∂d of one pair (i, j) at displacement d = r_j − r_i, both directions at once: j in i's
 * expansion (coefficient gradient cBarI of j's density, weight factor fJ) and i in j's
 * expansion at −d (cBarJ of i's density, factor fI). With Y_lm(−u) = (−1)^l Y_lm(u) and
 * ∂Y_lm(−d) = (−1)^{l+1} ∂Y_lm(d), the reverse gradient is −Σ_l (−1)^l (…), so
 *   G = g_{i→j} − g_{j→i} = slotBackward with C̄_{nlm} = fJ C̄^i_{nlm} + (−1)^l fI C̄^j_{nlm},
 * and the pair adds G to j, −G to i. wI = w(r) I, J = w' I + w I' (without species weights).
 */
export function pairBackward(
  nMaxP: i32, lMax: i32, cBarI: usize, cBarJ: usize, fJ: f64, fI: f64, wI: usize, jRow: usize,
  yPlain: usize, dY: usize, ux: f64, uy: f64, uz: f64, g: usize,
): void {
  const nLM = (lMax + 1) * (lMax + 1);
  const rowBytes = <usize>nMaxP << 3;
  const dYy = dY + (<usize>nLM << 3), dYz = dY + (<usize>(2 * nLM) << 3);
  const fj = f64x2.splat(fJ);
  // Two lm at a time: their sums (lanes A, B) meet ∂Y and Y as one f64x2 each.
  let gx2 = f64x2.splat(0.0), gy2 = gx2, gz2 = gx2, radial2 = gx2;
  let gx = 0.0, gy = 0.0, gz = 0.0, radialPart = 0.0;
  for (let l = 0; l <= lMax; l++) {
    const wIl = wI + <usize>l * rowBytes, jl = jRow + <usize>l * rowBytes;
    const fi = f64x2.splat((l & 1) != 0 ? -fI : fI);
    const lmEnd = l * l + 2 * l;
    let lm = l * l;
    for (; lm < lmEnd; lm += 2) {
      const rowA = <usize>lm * rowBytes;
      const ciA = cBarI + rowA, cjA = cBarJ + rowA;
      let aA = f64x2.splat(0.0), bA = aA, aB = aA, bB = aA;
      for (let o: usize = 0; o < rowBytes; o += 16) {
        const wv = v128.load(wIl + o), jv = v128.load(jl + o);
        const cA = fmadd(fi, v128.load(cjA + o), f64x2.mul(fj, v128.load(ciA + o)));
        const cB = fmadd(fi, v128.load(cjA + rowBytes + o), f64x2.mul(fj, v128.load(ciA + rowBytes + o)));
        aA = fmadd(cA, wv, aA);
        bA = fmadd(cA, jv, bA);
        aB = fmadd(cB, wv, aB);
        bB = fmadd(cB, jv, bB);
      }
      const as = f64x2.add(v128.shuffle<f64>(aA, aB, 0, 2), v128.shuffle<f64>(aA, aB, 1, 3));
      const bs = f64x2.add(v128.shuffle<f64>(bA, bB, 0, 2), v128.shuffle<f64>(bA, bB, 1, 3));
      const off = <usize>lm << 3;
      gx2 = fmadd(v128.load(dY + off), as, gx2);
      gy2 = fmadd(v128.load(dYy + off), as, gy2);
      gz2 = fmadd(v128.load(dYz + off), as, gz2);
      radial2 = fmadd(v128.load(yPlain + off), bs, radial2);
    }
    // The last lm of the l (2l + 1 is odd).
    const row = <usize>lm * rowBytes;
    const ci = cBarI + row, cj = cBarJ + row;
    let a = f64x2.splat(0.0), b = a;
    for (let o: usize = 0; o < rowBytes; o += 16) {
      const cv = fmadd(fi, v128.load(cj + o), f64x2.mul(fj, v128.load(ci + o)));
      a = fmadd(cv, v128.load(wIl + o), a);
      b = fmadd(cv, v128.load(jl + o), b);
    }
    const as = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
    const bs = f64x2.extract_lane(b, 0) + f64x2.extract_lane(b, 1);
    const off = <usize>lm << 3;
    gx += load<f64>(dY + off) * as;
    gy += load<f64>(dYy + off) * as;
    gz += load<f64>(dYz + off) * as;
    radialPart += load<f64>(yPlain + off) * bs;
  }
  gx += f64x2.extract_lane(gx2, 0) + f64x2.extract_lane(gx2, 1);
  gy += f64x2.extract_lane(gy2, 0) + f64x2.extract_lane(gy2, 1);
  gz += f64x2.extract_lane(gz2, 0) + f64x2.extract_lane(gz2, 1);
  radialPart += f64x2.extract_lane(radial2, 0) + f64x2.extract_lane(radial2, 1);
  stf(g, 0, gx + ux * radialPart);
  stf(g, 1, gy + uy * radialPart);
  stf(g, 2, gz + uz * radialPart);
}
