// Gradient of the SOAP power spectrum with respect to one neighbour's displacement r (from the
// centre), for the neighbour in slot s of density d_s with weight w(r), w' = dw/dr, unit vector
// u = r̂:
//   ∂(w Y_lm I_nl)/∂r_α = w ∂_αY_lm I_nl + u_α Y_lm (w' I_nl + w I'_nl)
// Contracting with a partner density e over m, with
//   S^e_{n'l} = Σ_m Y_lm c^e_{n'lm},   T^{e,α}_{n'l} = Σ_m ∂_αY_lm c^e_{n'lm},
//   wI_nl = w I_nl,   J_nl = w' I_nl + w I'_nl,
// gives for a block (d1, d2) of p_{nn'l} = P_l Σ_m c^{d1}_{nlm} c^{d2}_{n'lm}, P_l = π√(8/(2l+1)):
//   ∂p_{nn'l}/∂r_α = P_l ( [s ∈ d1] (wI_nl T^{d2,α}_{n'l} + u_α J_nl S^{d2}_{n'l})
//                        + [s ∈ d2] (wI_n'l T^{d1,α}_{nl} + u_α J_n'l S^{d1}_{nl}) ).
// "s ∈ d" means the neighbour's density is d, or d is mu1nu1's summed density.
// The neighbour's atom row gets +∂p, the centre atom's row (attach) −∂p.
import { ldf, ldi, stf } from '../memory';
import { fmadd } from '../math/simdMath';

/**
 * S and T of one slot against every density of `coef`: st[(e·4 + k)·M + l·n_maxP + n'] with
 * k = 0: S, 1..3: T^{x,y,z}; M = (l_max+1)·n_maxP. yPlain: Y_lm of the slot; dY: [3][(l_max+1)²].
 */
export function contractSlot(
  nDensities: i32, nMaxP: i32, lMax: i32, coef: usize, yPlain: usize, dY: usize, st: usize,
): void {
  const nLM = (lMax + 1) * (lMax + 1);
  const m = (lMax + 1) * nMaxP;
  const rowBytes = <usize>nMaxP << 3;
  const dYx = dY, dYy = dY + (<usize>nLM << 3), dYz = dY + (<usize>(2 * nLM) << 3);
  for (let e = 0; e < nDensities; e++) {
    const c = coef + <usize>(e * nLM) * rowBytes;
    const sOut = st + (<usize>(e * 4 * m) << 3);
    const mBytes = <usize>m << 3;
    for (let l = 0; l <= lMax; l++) {
      const lm0 = l * l, lm1 = l * l + 2 * l;
      for (let o: usize = 0; o < rowBytes; o += 16) {
        let s = f64x2.splat(0.0), tx = s, ty = s, tz = s;
        for (let lm = lm0; lm <= lm1; lm++) {
          const cv = v128.load(c + <usize>lm * rowBytes + o);
          const off = <usize>lm << 3;
          s = fmadd(v128.load64_splat(yPlain + off), cv, s);
          tx = fmadd(v128.load64_splat(dYx + off), cv, tx);
          ty = fmadd(v128.load64_splat(dYy + off), cv, ty);
          tz = fmadd(v128.load64_splat(dYz + off), cv, tz);
        }
        const at = sOut + <usize>l * rowBytes + o;
        v128.store(at, s);
        v128.store(at + mBytes, tx);
        v128.store(at + 2 * mBytes, ty);
        v128.store(at + 3 * mBytes, tz);
      }
    }
  }
}

/**
 * Adds `scale` · ∂p/∂r of one slot to the gradient row block `rowE` ([3][nFeatures]) and
 * subtracts it from `rowC` (0: none). wI, J: rows of the slot (M channels); st from
 * {@link contractSlot}; u: the unit vector; ds: the slot's density; sumDensity: mu1nu1's summed
 * density or −1. first: rowE has not been written yet, so it is stored (zeros in the blocks
 * the slot's density is not in) instead of added to: no zero fill and no read of zeros.
 */
export function spectrumGradientSlot(
  nMax: i32, nMaxP: i32, lMax: i32, nBlocks: i32, blocks: usize, nFeatures: i32,
  ds: i32, sumDensity: i32, st: usize, wI: usize, jRow: usize, ux: f64, uy: f64, uz: f64, scale: f64,
  rowE: usize, rowC: usize, first: bool,
): void {
  const m = (lMax + 1) * nMaxP;
  const fBytes = <usize>nFeatures << 3;
  let f = 0;
  for (let b = 0; b < nBlocks; b++) {
    const d1 = ldi(blocks, 3 * b), d2 = ldi(blocks, 3 * b + 1);
    const symmetric = ldi(blocks, 3 * b + 2) != 0;
    const in1 = ds == d1 || d1 == sumDensity;
    const in2 = ds == d2 || d2 == sumDensity;
    if (!in1 && !in2) {
      const width = (lMax + 1) * (symmetric ? (nMax * (nMax + 1)) >> 1 : nMax * nMax);
      if (first) {
        for (let a = 0; a < 3; a++) memory.fill(rowE + (<usize>(a * nFeatures + f) << 3), 0, <usize>width << 3);
      }
      f += width;
      continue;
    }
    // Partner rows: S, Tx, Ty, Tz of d2 (side 1) and of d1 (side 2).
    const p2 = st + (<usize>(d2 * 4 * m) << 3);
    const p1 = st + (<usize>(d1 * 4 * m) << 3);
    const mB = <usize>m << 3;
    for (let l = 0; l <= lMax; l++) {
      const pl = scale * Math.PI * Math.sqrt(8.0 / <f64>(2 * l + 1));
      const lOff = <usize>(l * nMaxP);
      for (let n = 0; n < nMax; n++) {
        const n0 = symmetric ? n : 0;
        // Scalars of side 1 (index n of the slot) and side 2 (index n of the partner d1).
        const a1 = in1 ? ldf(wI, <i32>lOff + n) : 0.0;
        const b1 = in1 ? ldf(jRow, <i32>lOff + n) : 0.0;
        const s1 = in2 ? ldf(p1, <i32>lOff + n) : 0.0;
        const t1x = in2 ? ldf(p1 + mB, <i32>lOff + n) : 0.0;
        const t1y = in2 ? ldf(p1 + 2 * mB, <i32>lOff + n) : 0.0;
        const t1z = in2 ? ldf(p1 + 3 * mB, <i32>lOff + n) : 0.0;
        // g_α[n'] = P_l (a1 T2α[n'] + u_α X[n'] + t1α wI[n']),  X[n'] = b1 S2[n'] + s1 J[n'].
        const A1 = f64x2.splat(pl * a1), B1 = f64x2.splat(pl * b1), S1 = f64x2.splat(pl * s1);
        const Ux = f64x2.splat(ux), Uy = f64x2.splat(uy), Uz = f64x2.splat(uz);
        const T1x = f64x2.splat(pl * t1x), T1y = f64x2.splat(pl * t1y), T1z = f64x2.splat(pl * t1z);
        let n2 = n0;
        for (; n2 + 2 <= nMax; n2 += 2) {
          const off = (lOff + <usize>n2) << 3;
          const wv = v128.load(wI + off);
          const X = fmadd(S1, v128.load(jRow + off), f64x2.mul(B1, v128.load(p2 + off)));
          const gx = fmadd(T1x, wv, fmadd(Ux, X, f64x2.mul(A1, v128.load(p2 + mB + off))));
          const gy = fmadd(T1y, wv, fmadd(Uy, X, f64x2.mul(A1, v128.load(p2 + 2 * mB + off))));
          const gz = fmadd(T1z, wv, fmadd(Uz, X, f64x2.mul(A1, v128.load(p2 + 3 * mB + off))));
          const fo = <usize>f << 3;
          addRow(rowE, rowC, fo, fBytes, gx, gy, gz, first);
          f += 2;
        }
        if (n2 < nMax) {
          const off = <i32>lOff + n2;
          const wv = ldf(wI, off);
          const X = b1 * ldf(p2, off) + s1 * ldf(jRow, off);
          const gx = pl * (a1 * ldf(p2 + mB, off) + ux * X + t1x * wv);
          const gy = pl * (a1 * ldf(p2 + 2 * mB, off) + uy * X + t1y * wv);
          const gz = pl * (a1 * ldf(p2 + 3 * mB, off) + uz * X + t1z * wv);
          stf(rowE, f, (first ? 0.0 : ldf(rowE, f)) + gx);
          stf(rowE, f + nFeatures, (first ? 0.0 : ldf(rowE, f + nFeatures)) + gy);
          stf(rowE, f + 2 * nFeatures, (first ? 0.0 : ldf(rowE, f + 2 * nFeatures)) + gz);
          if (rowC != 0) {
            stf(rowC, f, ldf(rowC, f) - gx);
            stf(rowC, f + nFeatures, ldf(rowC, f + nFeatures) - gy);
            stf(rowC, f + 2 * nFeatures, ldf(rowC, f + 2 * nFeatures) - gz);
          }
          f++;
        }
      }
    }
  }
}

/**
 * rowE[α][f, f+1] += g_α (= g_α when `first`); rowC[α][f, f+1] −= g_α (rowC ≠ 0). fo = f·8,
 * fBytes = nFeatures·8.
 */
@inline function addRow(rowE: usize, rowC: usize, fo: usize, fBytes: usize, gx: v128, gy: v128, gz: v128, first: bool): void {
  const e = rowE + fo;
  if (first) {
    // + 0 turns −0 into +0, as the sum into a zeroed row gave (outputs stay bit-identical).
    const zero = f64x2.splat(0.0);
    v128.store(e, f64x2.add(gx, zero));
    v128.store(e + fBytes, f64x2.add(gy, zero));
    v128.store(e + 2 * fBytes, f64x2.add(gz, zero));
  } else {
    v128.store(e, f64x2.add(v128.load(e), gx));
    v128.store(e + fBytes, f64x2.add(v128.load(e + fBytes), gy));
    v128.store(e + 2 * fBytes, f64x2.add(v128.load(e + 2 * fBytes), gz));
  }
  if (rowC != 0) {
    const c = rowC + fo;
    v128.store(c, f64x2.sub(v128.load(c), gx));
    v128.store(c + fBytes, f64x2.sub(v128.load(c + fBytes), gy));
    v128.store(c + 2 * fBytes, f64x2.sub(v128.load(c + 2 * fBytes), gz));
  }
}
