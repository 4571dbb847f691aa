import type { Arena } from '../wasm/arena.js';
import type { ActivationLetter, NetworkLayout } from './inputNn.js';

/** Codes of the activation letters in assembly/n2p2/network.ts. */
const ACTIVATION_CODES: Record<ActivationLetter, number> = { l: 0, t: 1, s: 2, p: 3, r: 4, g: 5, c: 6, S: 7, e: 8, h: 9 };

/** A network laid out in the arena for the n2p2Networks kernel. */
export interface PackedNetwork {
  /** i32[6 nLayers]: per weight layer nIn, nOut, nOut padded to even, activation code, W and b pointers. */
  readonly layers: number;
  readonly nLayers: number;
  /** Widest layer (inputs included), for the kernel's scratch. */
  readonly width: number;
}

/** f(x) of an n2p2 activation letter, and f'(x) in `out[1]` (NeuralNetwork.cpp's definitions). */
function activate(letter: ActivationLetter, x: number, out: Float64Array): void {
  let f: number, d: number;
  switch (letter) {
    case 'l': f = x; d = 1; break;
    case 't': f = Math.tanh(x); d = 1 - f * f; break;
    case 's': f = x > 35 ? 1 : x < -35 ? 0 : 1 / (1 + Math.exp(-x)); d = f * (1 - f); break;
    case 'p': {
      // ln(1 + eˣ), derivative the logistic function.
      f = x > 35 ? x : x < -35 ? 0 : Math.log(1 + Math.exp(x));
      d = x > 35 ? 1 : x < -35 ? 0 : 1 / (1 + Math.exp(-x));
      break;
    }
    case 'r': f = x > 0 ? x : 0; d = x > 0 ? 1 : 0; break;
    case 'g': f = Math.exp(-0.5 * x * x); d = -x * f; break;
    case 'c': f = Math.cos(x); d = -Math.sin(x); break;
    case 'S': {
      const s = x > 35 ? 1 : x < -35 ? 0 : 1 / (1 + Math.exp(-x));
      f = 1 - s; d = -s * (1 - s);
      break;
    }
    case 'e': f = Math.exp(-x); d = -f; break;
    case 'h': f = x * x; d = 2 * x; break;
  }
  out[0] = f;
  out[1] = d;
}

/**
 * One element's feed-forward network: y^ℓ_k = f_ℓ(b^ℓ_k + Σ_j w^ℓ_jk y^(ℓ−1)_j), ℓ = 1..L+1, one
 * output neuron; with `normalizeNodes` the argument is divided by n_(ℓ−1). Weights in n2p2's
 * file order: per layer W as [n_(ℓ−1) × n_ℓ] row-major, then b.
 */
export class ElementNetwork {
  /** Neurons per layer, input first, output (1) last. */
  readonly sizes: number[];
  private readonly activations: ActivationLetter[];
  private readonly weights: Float64Array[];
  private readonly biases: Float64Array[];
  private readonly normalizeNodes: boolean;
  // Scratch: each layer's outputs and activation derivatives.
  private readonly y: Float64Array[];
  private readonly dy: Float64Array[];
  private readonly pair = new Float64Array(2);
  // Scratch of the backward pass: δ per layer.
  private readonly delta: Float64Array[];
  // The weights as the wasm kernel reads them (see pack).
  private padded: { W: Float64Array; b: Float64Array }[] | null = null;

  constructor(inputs: number, layout: NetworkLayout, values: Float64Array, normalizeNodes: boolean) {
    this.sizes = [inputs, ...layout.hiddenNodes, 1];
    this.activations = layout.activations;
    this.normalizeNodes = normalizeNodes;
    this.weights = [];
    this.biases = [];
    let at = 0;
    for (let l = 1; l < this.sizes.length; l++) {
      const nIn = this.sizes[l - 1]!, nOut = this.sizes[l]!;
      this.weights.push(values.subarray(at, at + nIn * nOut));
      at += nIn * nOut;
      this.biases.push(values.subarray(at, at + nOut));
      at += nOut;
    }
    this.y = this.sizes.map((n) => new Float64Array(n));
    this.dy = this.sizes.map((n) => new Float64Array(n));
    this.delta = this.sizes.map((n) => new Float64Array(n));
  }

  /**
   * Copies the weights into the arena for the wasm kernel (assembly/n2p2/network.ts): per layer
   * W as [n_(ℓ−1) × n_ℓ padded to even] and b padded, zeros in the padding.
   */
  pack(arena: Arena): PackedNetwork {
    const nLayers = this.sizes.length - 1;
    const padded = (this.padded ??= this.paddedLayers());
    const table = new Int32Array(6 * nLayers);
    const ptrs = padded.map(({ W, b }, l) => {
      const pW = arena.allocF64(W.length), pb = arena.allocF64(b.length);
      const nOut = this.sizes[l + 1]!;
      table.set([this.sizes[l]!, nOut, (nOut + 1) & ~1, ACTIVATION_CODES[this.activations[l]!], pW, pb], 6 * l);
      return { pW, pb };
    });
    const layers = arena.allocI32(table.length);
    // Views after the last allocation (growing memory detaches earlier ones).
    padded.forEach(({ W, b }, l) => {
      arena.f64(ptrs[l]!.pW, W.length).set(W);
      arena.f64(ptrs[l]!.pb, b.length).set(b);
    });
    arena.i32(layers, table.length).set(table);
    return { layers, nLayers, width: Math.max(...this.sizes) };
  }

  /** Per layer W [n_(ℓ−1) × n_ℓ padded to even] and b padded, zeros in the padding (built once). */
  private paddedLayers(): { W: Float64Array; b: Float64Array }[] {
    return this.weights.map((weights, l) => {
      const nIn = this.sizes[l]!, nOut = this.sizes[l + 1]!, nOutP = (nOut + 1) & ~1;
      const W = new Float64Array(nIn * nOutP), b = new Float64Array(nOutP);
      for (let j = 0; j < nIn; j++) W.set(weights.subarray(j * nOut, (j + 1) * nOut), j * nOutP);
      b.set(this.biases[l]!);
      return { W, b };
    });
  }

  /** Number of weights and biases of a layout with `inputs` inputs. */
  static parameterCount(inputs: number, layout: NetworkLayout): number {
    const sizes = [inputs, ...layout.hiddenNodes, 1];
    let n = 0;
    for (let l = 1; l < sizes.length; l++) n += sizes[l - 1]! * sizes[l]! + sizes[l]!;
    return n;
  }

  /**
   * The output for input `x`; when `dOutdx` is given it receives ∂output/∂x (back-propagation).
   */
  evaluate(x: ArrayLike<number>, dOutdx?: Float64Array): number {
    const { sizes, y, dy, pair } = this;
    const nLayers = sizes.length;
    for (let k = 0; k < sizes[0]!; k++) y[0]![k] = x[k]!;
    for (let l = 1; l < nLayers; l++) {
      const nIn = sizes[l - 1]!, nOut = sizes[l]!;
      const W = this.weights[l - 1]!, b = this.biases[l - 1]!;
      const prev = y[l - 1]!, cur = y[l]!, dcur = dy[l]!;
      const z = cur; // accumulate the arguments in place
      for (let k = 0; k < nOut; k++) z[k] = b[k]!;
      for (let j = 0; j < nIn; j++) {
        const v = prev[j]!;
        if (v === 0) continue;
        const row = j * nOut;
        for (let k = 0; k < nOut; k++) z[k] += W[row + k]! * v;
      }
      const scale = this.normalizeNodes ? 1 / nIn : 1;
      const letter = this.activations[l - 1]!;
      if (letter === 't') {
        // The common hidden layer inline: tanh, 1 − tanh².
        for (let k = 0; k < nOut; k++) {
          const f = Math.tanh(z[k]! * scale);
          cur[k] = f;
          dcur[k] = (1 - f * f) * scale;
        }
      } else if (letter === 'l') {
        for (let k = 0; k < nOut; k++) {
          cur[k] = z[k]! * scale;
          dcur[k] = scale;
        }
      } else {
        for (let k = 0; k < nOut; k++) {
          activate(letter, z[k]! * scale, pair);
          cur[k] = pair[0]!;
          dcur[k] = pair[1]! * scale;
        }
      }
    }
    const out = y[nLayers - 1]![0]!;
    if (dOutdx !== undefined) {
      // δ^ℓ = ∂out/∂(argument of layer ℓ), propagated back: δ^(ℓ−1)_j = f'_(ℓ−1) Σ_k w^ℓ_jk δ^ℓ_k.
      let delta = this.delta[nLayers - 1]!;
      delta[0] = dy[nLayers - 1]![0]!;
      for (let l = nLayers - 1; l >= 1; l--) {
        const nIn = sizes[l - 1]!, nOut = sizes[l]!;
        const W = this.weights[l - 1]!;
        const next = l - 1 >= 1 ? this.delta[l - 1]! : dOutdx;
        for (let j = 0; j < nIn; j++) {
          const row = j * nOut;
          let s = 0;
          for (let k = 0; k < nOut; k++) s += W[row + k]! * delta[k]!;
          next[j] = l - 1 >= 1 ? s * dy[l - 1]![j]! : s;
        }
        delta = next;
      }
    }
    return out;
  }
}
