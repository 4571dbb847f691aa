import type { DenseWeights } from './weights.js';

/** SiLU x·σ(x). */
function silu(x: number): number {
  return x / (1 + Math.exp(-x));
}

/** d/dx SiLU = σ(x) (1 + x (1 − σ(x))). */
function siluDerivative(x: number): number {
  const s = 1 / (1 + Math.exp(-x));
  return s * (1 + x * (1 - s));
}

/**
 * The Atomwise readout of one atom: y = MLP(x) (+ w·x + b), SiLU between the Dense layers and
 * none after the last. With `gradX` it also writes ∂y/∂x.
 */
export function atomwise(layers: readonly DenseWeights[], linear: DenseWeights | null, x: Float64Array, xOffset: number, gradX: Float64Array | null): number {
  // Pre-activations z of every layer, kept for the backward pass.
  const zs: Float64Array[] = [];
  let input = x.subarray(xOffset, xOffset + layers[0]!.nIn);
  for (let li = 0; li < layers.length; li++) {
    const L = layers[li]!;
    const z = new Float64Array(L.nOut);
    for (let o = 0; o < L.nOut; o++) {
      let acc = L.bias[o]!;
      const row = o * L.nIn;
      for (let i = 0; i < L.nIn; i++) acc += L.weight[row + i]! * input[i]!;
      z[o] = acc;
    }
    zs.push(z);
    if (li + 1 < layers.length) input = z.map(silu);
  }
  const x0 = x.subarray(xOffset, xOffset + layers[0]!.nIn);
  let y = zs[zs.length - 1]![0]!;
  if (linear !== null) {
    let acc = linear.bias[0]!;
    for (let i = 0; i < linear.nIn; i++) acc += linear.weight[i]! * x0[i]!;
    y += acc;
  }
  if (gradX !== null) {
    // Back from ∂y/∂z_last = 1 through W^T and SiLU'.
    let g = Float64Array.of(1);
    for (let li = layers.length - 1; li >= 0; li--) {
      const L = layers[li]!;
      const gin = new Float64Array(L.nIn);
      for (let o = 0; o < L.nOut; o++) {
        const go = g[o]!;
        if (go === 0) continue;
        const row = o * L.nIn;
        for (let i = 0; i < L.nIn; i++) gin[i] += L.weight[row + i]! * go;
      }
      if (li > 0) {
        const zPrev = zs[li - 1]!;
        for (let i = 0; i < L.nIn; i++) gin[i] *= siluDerivative(zPrev[i]!);
      }
      g = gin;
    }
    if (linear !== null) for (let i = 0; i < linear.nIn; i++) g[i] += linear.weight[i]!;
    gradX.set(g);
  }
  return y;
}
