import { checkOptionKeys } from '../descriptors/optionKeys.js';
import { AtomenvError, invalidParameter } from '../errors.js';
import { toAtomicNumber } from '../structure/elements.js';
import { angularCount, symmetrizedCount } from './layout.js';

/** Radial basis R_n(r) of the edges (section 3 of the spec). */
export type CACERadialBasis =
  /** sqrt(2/r_c) sin(w_n r)/r, w_n = nπ/r_c unless `radial_basis.bessel_weights` is given. */
  | { type: 'bessel'; n: number }
  /** exp(−½ (r − μ_n)²/σ²), μ = linspace(start, r_c, n), σ = μ₂ − μ₁. */
  | { type: 'gaussian'; n: number; start?: number }
  /** exp(−½ r²/σ_n²), σ = linspace(start, r_c, n). */
  | { type: 'gaussianCentered'; n: number; start?: number }
  /** prefactor · exp(−r/r0_n), r0 = linspace(0, r_c, n + 2)[1:−1] (r_c/2 for n = 1). */
  | { type: 'exponentialDecay'; n: number; prefactor?: number };

/** Cutoff envelope f(r), zero for r ≥ r_c (section 3 of the spec). */
export type CACECutoffFn =
  | { type: 'poly'; p?: number }
  | { type: 'cos' }
  | { type: 'mollifier'; eps?: number }
  | { type: 'switch'; on: number; off: number };

/** The Atomwise readout: SiLU MLP to one energy per atom, plus an optional linear term. */
export interface CACEReadoutOptions {
  /** Number of Dense layers (hidden layers + output). */
  nLayers: number;
  /** Hidden sizes: a list of nLayers − 1 sizes, one size for all, or null (halving from n_in). */
  nHidden?: number[] | number | null;
  /** Add w·x + b to the MLP output. */
  addLinearNn?: boolean;
}

/** Message types of a CACE layer: node memory, Ar messages, B-weighted (χ) edge messages. */
export type CACEMessageType = 'M' | 'Ar' | 'Bchi';

/**
 * Parameter values by the reference code's names (`named_parameters()` of a PyTorch model, with
 * or without the `representation.` prefix): flat C-order numbers, or the model file's list of
 * `{name, shape, values_c_order}`.
 */
export type CACEWeights =
  | Record<string, ArrayLike<number>>
  | ReadonlyArray<{ name: string; shape?: readonly number[]; values_c_order: ArrayLike<number> }>;

/** Options of the {@link CACE} constructor (the reference's `Cace(...)` arguments, camelCase). */
export interface CACEOptions {
  /** Atomic numbers or symbols; their order is the one-hot index (not sorted). */
  zs: ReadonlyArray<number | string>;
  /** Embedding dimension d; C = d² channels. */
  nAtomBasis: number;
  /** r_c in Å. */
  cutoff: number;
  radialBasis: CACERadialBasis;
  cutoffFn: CACECutoffFn;
  /** K, the output size of the radial mixing; defaults to the radial basis size. */
  nRadialBasis?: number;
  maxL: number;
  /** Highest body order ν, 1..4. */
  maxNu: number;
  /** T, the number of message-passing layers. Default 0. */
  numMessagePassing?: number;
  /** Message types of every layer; default all three. */
  typeMessagePassing?: readonly CACEMessageType[];
  /** A separate receiver embedding matrix (else the sender's is used). Default false. */
  embedReceiverNodes?: boolean;
  /** The message normalisation is 1/sqrt(avgNumNeighbors). Default 10. */
  avgNumNeighbors?: number;
  /** The readout; null or absent for a representation only. */
  readout?: CACEReadoutOptions | null;
  /** Every trainable parameter, by the reference's names. */
  weights: CACEWeights;
  /**
   * Per-element reference energies E0 (by symbol or atomic number) added to each atom's energy,
   * as the reference's calculator does for models trained on energies with E0 subtracted.
   */
  atomicEnergies?: Record<string, number> | null;
}

/** The keys of {@link CACEOptions} (anything else is refused). */
export const CACE_OPTION_KEYS = [
  'zs', 'nAtomBasis', 'cutoff', 'radialBasis', 'cutoffFn', 'nRadialBasis', 'maxL', 'maxNu', 'numMessagePassing',
  'typeMessagePassing', 'embedReceiverNodes', 'avgNumNeighbors', 'readout', 'weights', 'atomicEnergies',
] as const satisfies readonly (keyof CACEOptions)[];

/** Validated, normalised hyperparameters. */
export interface CACEParams {
  readonly zs: readonly number[];
  readonly d: number;
  readonly nChannels: number;
  readonly cutoff: number;
  readonly radialBasis: Required<CACERadialBasis>;
  readonly cutoffFn: Required<CACECutoffFn>;
  readonly nRbf: number;
  readonly nRadial: number;
  readonly maxL: number;
  readonly maxNu: number;
  readonly nAngular: number;
  readonly nSym: number;
  readonly numMessagePassing: number;
  readonly messageTypes: readonly CACEMessageType[];
  readonly embedReceiverNodes: boolean;
  readonly avgNumNeighbors: number;
  readonly readout: { nLayers: number; sizes: number[]; addLinearNn: boolean } | null;
  /** E0 of each element of zs (0 when not given). */
  readonly atomicEnergies: readonly number[];
  /** Features per atom: K · N_sym · C · (T + 1). */
  readonly numFeatures: number;
}

function positiveInteger(name: string, v: unknown, max = 1 << 20): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) {
    invalidParameter(`CACE: ${name} must be an integer in 1..${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function finitePositive(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    invalidParameter(`CACE: ${name} must be a positive finite number, got ${JSON.stringify(v)}`);
  }
  return v;
}

function finite(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) invalidParameter(`CACE: ${name} must be a finite number, got ${JSON.stringify(v)}`);
  return v;
}

function validateRadialBasis(rb: unknown): Required<CACERadialBasis> {
  if (rb === null || typeof rb !== 'object') {
    throw new AtomenvError('MISSING_PARAMETER', 'CACE: radialBasis must be an object such as { type: "bessel", n: 6 }');
  }
  const r = rb as Record<string, unknown>;
  const n = positiveInteger('radialBasis.n', r.n, 256);
  switch (r.type) {
    case 'bessel':
      return { type: 'bessel', n };
    case 'gaussian':
      return { type: 'gaussian', n, start: r.start === undefined ? 0.8 : finite('radialBasis.start', r.start) };
    case 'gaussianCentered':
      return { type: 'gaussianCentered', n, start: r.start === undefined ? 1.0 : finite('radialBasis.start', r.start) };
    case 'exponentialDecay':
      return { type: 'exponentialDecay', n, prefactor: r.prefactor === undefined ? 1 : finite('radialBasis.prefactor', r.prefactor) };
    default:
      return invalidParameter(`CACE: radialBasis.type must be 'bessel', 'gaussian', 'gaussianCentered' or 'exponentialDecay', got ${JSON.stringify(r.type)}`);
  }
}

function validateCutoffFn(cf: unknown, cutoff: number): Required<CACECutoffFn> {
  if (cf === null || typeof cf !== 'object') {
    throw new AtomenvError('MISSING_PARAMETER', 'CACE: cutoffFn must be an object such as { type: "poly", p: 6 }');
  }
  const c = cf as Record<string, unknown>;
  switch (c.type) {
    case 'poly':
      return { type: 'poly', p: c.p === undefined ? 6 : finitePositive('cutoffFn.p', c.p) };
    case 'cos':
      return { type: 'cos' };
    case 'mollifier':
      return { type: 'mollifier', eps: c.eps === undefined ? 1e-7 : finite('cutoffFn.eps', c.eps) };
    case 'switch': {
      const on = finite('cutoffFn.on', c.on);
      const off = finite('cutoffFn.off', c.off);
      if (!(on < off) || off > cutoff) invalidParameter(`CACE: cutoffFn switch needs on < off ≤ cutoff, got on = ${on}, off = ${off}, cutoff = ${cutoff}`);
      return { type: 'switch', on, off };
    }
    default:
      return invalidParameter(`CACE: cutoffFn.type must be 'poly', 'cos', 'mollifier' or 'switch', got ${JSON.stringify(c.type)}`);
  }
}

function validateReadout(r: unknown, nIn: number): CACEParams['readout'] {
  if (r === null || r === undefined) return null;
  if (typeof r !== 'object') invalidParameter('CACE: readout must be { nLayers, nHidden, addLinearNn } or null');
  const o = r as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!['nLayers', 'nHidden', 'addLinearNn'].includes(key)) {
      invalidParameter(`CACE: readout has no option ${JSON.stringify(key)} (residual and batch-norm readouts are not supported)`);
    }
  }
  const nLayers = positiveInteger('readout.nLayers', o.nLayers, 64);
  let hidden: number[];
  if (Array.isArray(o.nHidden)) {
    if (o.nHidden.length !== nLayers - 1) {
      invalidParameter(`CACE: readout.nHidden lists ${o.nHidden.length} sizes but nLayers = ${nLayers} needs ${nLayers - 1}`);
    }
    hidden = o.nHidden.map((h, i) => positiveInteger(`readout.nHidden[${i}]`, h));
  } else if (o.nHidden === null || o.nHidden === undefined) {
    // Halving from n_in, never below the output size 1.
    hidden = [];
    let c = nIn;
    for (let i = 0; i < nLayers - 1; i++) {
      c = Math.max(1, Math.floor(c / 2));
      hidden.push(c);
    }
  } else {
    hidden = Array(nLayers - 1).fill(positiveInteger('readout.nHidden', o.nHidden));
  }
  const addLinearNn = o.addLinearNn ?? false;
  if (typeof addLinearNn !== 'boolean') invalidParameter('CACE: readout.addLinearNn must be a boolean');
  return { nLayers, sizes: [nIn, ...hidden, 1], addLinearNn };
}

const MESSAGE_TYPES: readonly CACEMessageType[] = ['M', 'Ar', 'Bchi'];

/** Checks the hyperparameters of {@link CACEOptions} (not the weights) and fills defaults. */
export function validateCACEOptions(options: CACEOptions): CACEParams {
  if (options === null || typeof options !== 'object') invalidParameter('CACE: options must be an object');
  const o = options as unknown as Record<string, unknown>;
  checkOptionKeys('CACE', o, CACE_OPTION_KEYS);
  if (!Array.isArray(o.zs) || o.zs.length === 0) {
    throw new AtomenvError('MISSING_PARAMETER', 'CACE: zs must be a non-empty list of atomic numbers or element symbols (its order is the one-hot index)');
  }
  const zs = (o.zs as (number | string)[]).map((z) => {
    try {
      return toAtomicNumber(z);
    } catch {
      throw new AtomenvError('UNKNOWN_ELEMENT', `CACE: zs: unknown element ${JSON.stringify(z)}`);
    }
  });
  if (new Set(zs).size !== zs.length) invalidParameter(`CACE: zs lists an element twice (${zs.join(', ')})`);
  const d = positiveInteger('nAtomBasis', o.nAtomBasis, 64);
  const cutoff = finitePositive('cutoff', o.cutoff);
  const radialBasis = validateRadialBasis(o.radialBasis);
  const cutoffFn = validateCutoffFn(o.cutoffFn, cutoff);
  const nRbf = radialBasis.n;
  const nRadial = o.nRadialBasis === undefined || o.nRadialBasis === null ? nRbf : positiveInteger('nRadialBasis', o.nRadialBasis, 1024);
  const maxL = o.maxL === 0 ? 0 : positiveInteger('maxL', o.maxL, 12);
  const maxNu = positiveInteger('maxNu', o.maxNu, 4);
  const T = o.numMessagePassing === undefined ? 0 : o.numMessagePassing === 0 ? 0 : positiveInteger('numMessagePassing', o.numMessagePassing, 16);
  const types = o.typeMessagePassing ?? MESSAGE_TYPES;
  if (!Array.isArray(types) || types.some((t) => !MESSAGE_TYPES.includes(t as CACEMessageType))) {
    invalidParameter(`CACE: typeMessagePassing must be a subset of ${JSON.stringify(MESSAGE_TYPES)}, got ${JSON.stringify(types)}`);
  }
  const messageTypes = MESSAGE_TYPES.filter((t) => (types as string[]).includes(t));
  const embedReceiverNodes = o.embedReceiverNodes ?? false;
  if (typeof embedReceiverNodes !== 'boolean') invalidParameter('CACE: embedReceiverNodes must be a boolean');
  const avgNumNeighbors = o.avgNumNeighbors === undefined ? 10 : finitePositive('avgNumNeighbors', o.avgNumNeighbors);
  if (o.weights === null || typeof o.weights !== 'object') {
    throw new AtomenvError('MISSING_PARAMETER', 'CACE: weights (the trained parameters, by the reference code\'s names) are required');
  }
  const nChannels = d * d;
  const nSym = symmetrizedCount(maxL, maxNu);
  const numFeatures = nRadial * nSym * nChannels * (T + 1);
  return {
    zs, d, nChannels, cutoff, radialBasis, cutoffFn, nRbf, nRadial, maxL, maxNu,
    nAngular: angularCount(maxL), nSym, numMessagePassing: T, messageTypes, embedReceiverNodes,
    avgNumNeighbors, readout: validateReadout(o.readout, numFeatures), numFeatures,
    atomicEnergies: validateAtomicEnergies(o.atomicEnergies, zs),
  };
}

/** E0 per element of zs from { symbol or Z: E0 }; every key must be an element of zs. */
function validateAtomicEnergies(v: unknown, zs: readonly number[]): number[] {
  const out = zs.map(() => 0);
  if (v === undefined || v === null) return out;
  if (typeof v !== 'object' || Array.isArray(v)) invalidParameter('CACE: atomicEnergies must be an object { element: E0 }');
  for (const [key, e0] of Object.entries(v as Record<string, unknown>)) {
    let z: number;
    try {
      z = toAtomicNumber(/^\d+$/.test(key) ? Number(key) : key);
    } catch {
      throw new AtomenvError('UNKNOWN_ELEMENT', `CACE: atomicEnergies: unknown element ${JSON.stringify(key)}`);
    }
    const at = zs.indexOf(z);
    if (at < 0) invalidParameter(`CACE: atomicEnergies names element ${key}, which is not in zs (${zs.join(', ')})`);
    out[at] = finite(`atomicEnergies[${key}]`, e0);
  }
  return out;
}
