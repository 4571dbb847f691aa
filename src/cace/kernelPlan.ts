import { linspace } from './edgeBasis.js';
import { angularTriples, symmetrizerTerms } from './layout.js';
import type { CACEParams } from './options.js';
import type { CACEResolvedWeights } from './weights.js';

/** The constant arrays of assembly/cace/cace.ts for one model (layout in assembly/cace/config.ts). */
export interface CACEKernelPlan {
  readonly ints: Int32Array;
  readonly floats: Float64Array;
  readonly radParams: Float64Array;
  readonly sender: Float64Array;
  /** Per receiver element e: Wq[e][l][c][n][k] = W^(l)[n, k, c] · q_e[b(c)]. */
  readonly mixing: Float64Array;
  readonly lOf: Int32Array;
  readonly arity: Int32Array;
  readonly factors: Int32Array;
  readonly coef: Float64Array;
  readonly feature: Int32Array;
  /** dIdx[3m + a]: index of L_m with one power of axis a less; dFac[3m + a]: that power (0 if none). */
  readonly dIdx: Int32Array;
  readonly dFac: Float64Array;
  /** The Atomwise readout for caceEnergy, or null. */
  readonly readout: {
    readonly sizes: Int32Array;
    readonly weights: Float64Array;
    readonly biases: Float64Array;
    readonly linearWeight: Float64Array | null;
    readonly linearBias: number;
    readonly maxWidth: number;
    readonly hidden: number;
  } | null;
}

const RADIAL_CODE = { bessel: 0, gaussian: 1, gaussianCentered: 2, exponentialDecay: 3 } as const;
const CUTOFF_CODE = { poly: 0, cos: 1, mollifier: 2, switch: 3 } as const;

const even = (n: number): number => n + (n & 1);

export function caceKernelPlan(p: CACEParams, w: CACEResolvedWeights): CACEKernelPlan {
  const nR = p.nRbf, nRP = even(nR), K = p.nRadial, C = p.nChannels, d = p.d, nz = p.zs.length;
  const triples = angularTriples(p.maxL);
  const terms = symmetrizerTerms(p.maxL, p.maxNu);
  const nTerms = terms.coef.length;
  const ints = Int32Array.of(
    nz, d, nR, nRP, K, p.nAngular, even(p.nAngular), p.nSym, nTerms,
    RADIAL_CODE[p.radialBasis.type], CUTOFF_CODE[p.cutoffFn.type], p.maxL,
  );
  const rb = p.radialBasis;
  const radParams = new Float64Array(nRP);
  let radialScalar = 0;
  switch (rb.type) {
    case 'bessel':
      radParams.set(w.besselFrequencies);
      radialScalar = Math.sqrt(2 / p.cutoff);
      break;
    case 'gaussian': {
      const mu = linspace(rb.start, p.cutoff, nR);
      radParams.set(mu);
      const sigma = nR > 1 ? mu[1]! - mu[0]! : 1;
      radialScalar = 1 / (sigma * sigma);
      break;
    }
    case 'gaussianCentered':
      linspace(rb.start, p.cutoff, nR).forEach((s, n) => (radParams[n] = 1 / (s * s)));
      break;
    case 'exponentialDecay':
      (nR === 1 ? [p.cutoff / 2] : linspace(0, p.cutoff, nR + 2).slice(1, -1)).forEach((r0, n) => (radParams[n] = 1 / r0));
      radialScalar = rb.prefactor;
      break;
  }
  const cf = p.cutoffFn;
  const floats = Float64Array.of(
    p.cutoff, radialScalar,
    cf.type === 'poly' ? cf.p : cf.type === 'mollifier' ? cf.eps : cf.type === 'switch' ? cf.on : 0,
    cf.type === 'switch' ? cf.off : 0,
  );
  const L = p.maxL + 1;
  const mixing = new Float64Array(nz * L * C * nR * K);
  for (let e = 0; e < nz; e++) {
    for (let l = 0; l < L; l++) {
      const W = w.radialTransform[l]!;
      for (let c = 0; c < C; c++) {
        const q = w.receiver[e * d + (c % d)]!;
        for (let n = 0; n < nR; n++) {
          for (let k = 0; k < K; k++) mixing[(((e * L + l) * C + c) * nR + n) * K + k] = W[(n * K + k) * C + c]! * q;
        }
      }
    }
  }
  const arity = new Int32Array(nTerms);
  for (let t = 0; t < nTerms; t++) {
    let a = 0;
    for (let q = 0; q < 4; q++) if (terms.factors[4 * t + q]! >= 0) a++;
    arity[t] = a;
  }
  const key = new Map(triples.map((t, m) => [t.join(','), m]));
  const dIdx = new Int32Array(3 * triples.length);
  const dFac = new Float64Array(3 * triples.length);
  triples.forEach((t, m) => {
    for (let a = 0; a < 3; a++) {
      if (t[a]! === 0) continue;
      const lower = [...t];
      lower[a]! -= 1;
      dIdx[3 * m + a] = key.get(lower.join(','))!;
      dFac[3 * m + a] = t[a]!;
    }
  });
  let readout: CACEKernelPlan['readout'] = null;
  if (w.readout !== null) {
    const sizes = Int32Array.from([w.readout[0]!.nIn, ...w.readout.map((l) => l.nOut)]);
    const weights = new Float64Array(w.readout.reduce((a, l) => a + l.weight.length, 0));
    const biases = new Float64Array(w.readout.reduce((a, l) => a + l.bias.length, 0));
    let wo = 0, bo = 0;
    for (const l of w.readout) {
      weights.set(l.weight, wo);
      biases.set(l.bias, bo);
      wo += l.weight.length;
      bo += l.bias.length;
    }
    readout = {
      sizes, weights, biases, linearWeight: w.linear?.weight ?? null, linearBias: w.linear?.bias[0] ?? 0,
      maxWidth: Math.max(...sizes), hidden: sizes.slice(1).reduce((a, b) => a + b, 0),
    };
  }
  return {
    dIdx, dFac, readout,
    ints, floats, radParams, sender: w.sender, mixing,
    lOf: Int32Array.from(triples, (t) => t[0] + t[1] + t[2]),
    arity, factors: terms.factors, coef: terms.coef, feature: terms.feature,
  };
}

/** Message-passing parameters in the lanes layout (c K + k) of caceComputeLayers. */
export interface CACELayersPlan {
  readonly flags: Int32Array;
  readonly mu: Float64Array;
  readonly pre: Float64Array;
  readonly kappa: Float64Array;
  readonly hW: Float64Array;
  readonly hB: Float64Array;
  readonly norm: number;
}

export function caceLayersPlan(p: CACEParams, w: CACEResolvedWeights): CACELayersPlan {
  const T = p.numMessagePassing, K = p.nRadial, C = p.nChannels, S = p.nSym, L = p.maxL + 1;
  const lanes = even(C * K);
  const flags = new Int32Array(T);
  const mu = new Float64Array(T * L * lanes), pre = new Float64Array(T * L * lanes), kappa = new Float64Array(T * L * lanes);
  const hW = new Float64Array(T * S * lanes), hB = new Float64Array(T);
  // [k, c] parameters → lanes c K + k.
  const toLanes = (src: Float64Array, dst: Float64Array, at: number): void => {
    for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) dst[at + c * K + k] = src[k * C + c]!;
  };
  w.layers.forEach((layer, t) => {
    flags[t] = (layer.memory !== null ? 1 : 0) | (layer.arPrefactor !== null ? 2 : 0) | (layer.bchiWeight !== null ? 4 : 0);
    for (let l = 0; l < L; l++) {
      const at = (t * L + l) * lanes;
      if (layer.memory !== null) toLanes(layer.memory[l]!, mu, at);
      if (layer.arPrefactor !== null) toLanes(layer.arPrefactor[l]!, pre, at);
      if (layer.arInvR0 !== null) toLanes(layer.arInvR0[l]!, kappa, at);
    }
    if (layer.bchiWeight !== null) {
      // w over flatten [k, s, c] → [s][c K + k].
      for (let k = 0; k < K; k++) for (let s = 0; s < S; s++) for (let c = 0; c < C; c++) {
        hW[(t * S + s) * lanes + c * K + k] = layer.bchiWeight[(k * S + s) * C + c]!;
      }
      hB[t] = layer.bchiBias;
    }
  });
  return { flags, mu, pre, kappa, hW, hB, norm: 1 / Math.sqrt(p.avgNumNeighbors) };
}
