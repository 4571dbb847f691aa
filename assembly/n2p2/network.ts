// The atomic networks of an n2p2 potential (src/n2p2/network.ts is the TypeScript form and the
// reference): per atom y^ℓ_k = f_ℓ(s_ℓ (b^ℓ_k + Σ_j w^ℓ_jk y^(ℓ−1)_j)), one output, then the
// back-propagated ∂out/∂x. Each layer's outputs k go two at a time (f64x2): W is stored
// [n_(ℓ−1) × n_ℓ padded to even] with zero padding, b likewise.
import { ldf, ldi, stf } from '../memory';
import { exp2x } from '../math/simdMath';

/** i32 per weight layer in `layers`: nIn, nOut, nOut padded to even, activation code, W pointer, b pointer. */
const LAYER_STRIDE = 6;

/** f(x) of an activation code (0 l, 1 t, 2 s, 3 p, 4 r, 5 g, 6 c, 7 S, 8 e, 9 h; n2p2's letters), f'(x) in activationDerivative. */
let activationDerivative: f64 = 0.0;

function activate(code: i32, x: f64): f64 {
  let f = x, d = 1.0;
  if (code == 1) {
    f = Math.tanh(x);
    d = 1.0 - f * f;
  } else if (code == 2) {
    f = x > 35.0 ? 1.0 : x < -35.0 ? 0.0 : 1.0 / (1.0 + Math.exp(-x));
    d = f * (1.0 - f);
  } else if (code == 3) {
    // ln(1 + eˣ), derivative the logistic function.
    f = x > 35.0 ? x : x < -35.0 ? 0.0 : Math.log(1.0 + Math.exp(x));
    d = x > 35.0 ? 1.0 : x < -35.0 ? 0.0 : 1.0 / (1.0 + Math.exp(-x));
  } else if (code == 4) {
    f = x > 0.0 ? x : 0.0;
    d = x > 0.0 ? 1.0 : 0.0;
  } else if (code == 5) {
    f = Math.exp(-0.5 * x * x);
    d = -x * f;
  } else if (code == 6) {
    f = Math.cos(x);
    d = -Math.sin(x);
  } else if (code == 7) {
    const s = x > 35.0 ? 1.0 : x < -35.0 ? 0.0 : 1.0 / (1.0 + Math.exp(-x));
    f = 1.0 - s;
    d = -s * (1.0 - s);
  } else if (code == 8) {
    f = Math.exp(-x);
    d = -f;
  } else if (code == 9) {
    f = x * x;
    d = 2.0 * x;
  }
  activationDerivative = d;
  return f;
}

/** Bytes of scratch n2p2Networks needs for layers of at most `width` neurons (inputs included) and `nLayers` weight layers. */
export function n2p2NetworkScratch(width: i32, nLayers: i32): usize {
  // Rows as n2p2Networks lays them out: layer widths padded to even, + 2.
  const rowF64s = <usize>(((width + 1) & ~1) + 2);
  return (rowF64s * <usize>(3 * (nLayers + 1)) << 3) + 16;
}

/**
 * One element's network for atoms atoms[0..count): x_f = offset_f + factor_f G[a][column + f]
 * (f < nIn of layer 0), raw output to energy[a], and dEdG[a][·] = 0 except
 * dEdG[a][column + f] = (∂out/∂x_f) factor_f / convEnergy. normalize: s_ℓ = 1/n_(ℓ−1), else 1.
 */
export function n2p2Networks(
  count: i32, atoms: usize, values: usize, nFeatures: i32, column: i32, scaleOffset: usize, scaleFactor: usize,
  nLayers: i32, layers: usize, normalize: bool, convEnergy: f64, energy: usize, dEdG: usize, scratch: usize,
): void {
  let width = 0;
  for (let l = 0; l < nLayers; l++) {
    const lp = layers + (<usize>(l * LAYER_STRIDE) << 2);
    width = max(width, max(ldi(lp, 0), ldi(lp, 2)));
  }
  // Per layer ℓ = 0..L: y (outputs, y^0 = x), dy (f'·s) and δ rows of width + 2, 16-byte aligned.
  const row = <usize>((width + 2) & ~1) << 3;
  const base = (scratch + 15) & ~(<usize>15);
  const nIn0 = ldi(layers, 0);
  for (let q = 0; q < count; q++) {
    const a = ldi(atoms, q);
    const g = values + (<usize>(a * nFeatures + column) << 3);
    const y0 = base;
    for (let f = 0; f < nIn0; f++) stf(y0, f, ldf(scaleOffset, f) + ldf(scaleFactor, f) * ldf(g, f));
    for (let l = 0; l < nLayers; l++) {
      const lp = layers + (<usize>(l * LAYER_STRIDE) << 2);
      const nIn = ldi(lp, 0), nOut = ldi(lp, 1), nOutP = ldi(lp, 2), code = ldi(lp, 3);
      const W = <usize>ldi(lp, 4), b = <usize>ldi(lp, 5);
      const prev = base + <usize>(3 * l) * row, cur = prev + 3 * row, dcur = cur + row;
      // z = b + Σ_j y_j W[j, ·], in place in cur.
      memory.copy(cur, b, <usize>nOutP << 3);
      for (let j = 0; j < nIn; j++) {
        const v = ldf(prev, j);
        if (v == 0.0) continue;
        const vv = f64x2.splat(v);
        const wr = W + (<usize>(j * nOutP) << 3);
        for (let k = 0; k < nOutP; k += 2) {
          const o = <usize>k << 3;
          v128.store(cur + o, f64x2.add(v128.load(cur + o), f64x2.mul(v128.load(wr + o), vv)));
        }
      }
      const scale = normalize ? 1.0 / <f64>nIn : 1.0;
      if (code == 1) {
        // tanh z = 1 − 2/(e^(2z) + 1) two at a time (exp2x clamps 2z to ±700: ±1 there), f' = 1 − tanh².
        const s = f64x2.splat(scale), one = f64x2.splat(1.0);
        for (let k = 0; k < nOut; k += 2) {
          const o = <usize>k << 3;
          const z = f64x2.mul(v128.load(cur + o), s);
          const t = f64x2.sub(one, f64x2.div(f64x2.splat(2.0), f64x2.add(exp2x(f64x2.add(z, z)), one)));
          v128.store(cur + o, t);
          v128.store(dcur + o, f64x2.mul(f64x2.sub(one, f64x2.mul(t, t)), s));
        }
      } else {
        for (let k = 0; k < nOut; k++) {
          stf(cur, k, activate(code, ldf(cur, k) * scale));
          stf(dcur, k, activationDerivative * scale);
        }
      }
      for (let k = nOut; k < nOutP; k++) {
        stf(cur, k, 0.0);
        stf(dcur, k, 0.0);
      }
    }
    const top = base + <usize>(3 * nLayers) * row;
    stf(energy, a, ldf(top, 0));
    // δ^L = f'_L; δ^(ℓ−1)_j = f'_(ℓ−1) Σ_k w^ℓ_jk δ^ℓ_k (no f' at the inputs): ∂out/∂x in δ^0.
    let delta = top + 2 * row;
    stf(delta, 0, ldf(top + row, 0));
    stf(delta, 1, 0.0);
    for (let l = nLayers - 1; l >= 0; l--) {
      const lp = layers + (<usize>(l * LAYER_STRIDE) << 2);
      const nIn = ldi(lp, 0), nOutP = ldi(lp, 2);
      const W = <usize>ldi(lp, 4);
      const prevRow = base + <usize>(3 * l) * row;
      const next = prevRow + 2 * row;
      for (let j = 0; j < nIn; j++) {
        const wr = W + (<usize>(j * nOutP) << 3);
        let s = f64x2.splat(0.0);
        for (let k = 0; k < nOutP; k += 2) {
          const o = <usize>k << 3;
          s = f64x2.add(s, f64x2.mul(v128.load(wr + o), v128.load(delta + o)));
        }
        const sum = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
        stf(next, j, l > 0 ? sum * ldf(prevRow + row, j) : sum);
      }
      if (nIn & 1) stf(next, nIn, 0.0);
      delta = next;
    }
    const out = dEdG + (<usize>(a * nFeatures) << 3);
    memory.fill(out, 0, <usize>nFeatures << 3);
    for (let f = 0; f < nIn0; f++) stf(out, column + f, (ldf(delta, f) * ldf(scaleFactor, f)) / convEnergy);
  }
}
