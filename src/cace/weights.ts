import { AtomenvError, invalidParameter } from '../errors.js';
import type { CACEParams, CACEWeights } from './options.js';

/** Parameters of one message-passing layer (absent types are null). */
export interface CACELayerWeights {
  /** M: μ^(l)[k, c], one [K·C] array per l. */
  readonly memory: Float64Array[] | null;
  /** Ar: p^(l)[k, c] and κ^(l)[k, c]. */
  readonly arPrefactor: Float64Array[] | null;
  readonly arInvR0: Float64Array[] | null;
  /** Bchi: h = w · flatten(B^(t)) + b, w of length K·N_sym·C. */
  readonly bchiWeight: Float64Array | null;
  readonly bchiBias: number;
}

/** One Dense layer y = W x + b, W row-major [out, in]. */
export interface DenseWeights {
  readonly weight: Float64Array;
  readonly bias: Float64Array;
  readonly nIn: number;
  readonly nOut: number;
}

/** Every parameter of a CACE model, checked against the hyperparameters. */
export interface CACEResolvedWeights {
  /** W_s [nz, d]. */
  readonly sender: Float64Array;
  /** W_r [nz, d] (W_s when the receiver embedding is not separate). */
  readonly receiver: Float64Array;
  /** Bessel frequencies w_n (trained or nπ/r_c); empty for other bases. */
  readonly besselFrequencies: Float64Array;
  /** W^(l)[n, k, c] for l = 0..maxL, each [n_rbf · K · C]. */
  readonly radialTransform: Float64Array[];
  readonly layers: CACELayerWeights[];
  /** The Atomwise MLP (null without readout) and its optional linear term. */
  readonly readout: DenseWeights[] | null;
  readonly linear: DenseWeights | null;
}

/** A parameter the hyperparameters call for: reference name and shape. */
interface Expected {
  readonly name: string;
  readonly shape: readonly number[];
  readonly optional?: boolean;
}

/** The reference code's parameter names and shapes for these hyperparameters (spec §9a). */
export function expectedParameters(p: CACEParams): Expected[] {
  const nz = p.zs.length;
  const C = p.nChannels;
  const out: Expected[] = [{ name: 'node_embedding_sender.embedding_weights', shape: [nz, p.d] }];
  if (p.embedReceiverNodes) out.push({ name: 'node_embedding_receiver.embedding_weights', shape: [nz, p.d] });
  if (p.radialBasis.type === 'bessel') out.push({ name: 'radial_basis.bessel_weights', shape: [p.nRbf], optional: true });
  for (let l = 0; l <= p.maxL; l++) out.push({ name: `radial_transform.weights.${l}`, shape: [p.nRbf, p.nRadial, C] });
  for (let t = 0; t < p.numMessagePassing; t++) {
    const base = `message_passing_list.${t}`;
    for (let l = 0; l <= p.maxL; l++) {
      if (p.messageTypes.includes('M')) out.push({ name: `${base}.0.memory_coef.${l}`, shape: [p.nRadial, C] });
    }
    for (let l = 0; l <= p.maxL; l++) {
      if (p.messageTypes.includes('Ar')) {
        out.push({ name: `${base}.1.prefactor.${l}`, shape: [p.nRadial, C] });
        out.push({ name: `${base}.1.invr0.${l}`, shape: [p.nRadial, C] });
      }
    }
    if (p.messageTypes.includes('Bchi')) {
      out.push({ name: `${base}.2.hnet.0.linear.weight`, shape: [1, p.nRadial * p.nSym * C] });
      out.push({ name: `${base}.2.hnet.0.linear.bias`, shape: [1] });
    }
  }
  if (p.readout !== null) {
    const rep = out.map((e) => ({ ...e, name: `representation.${e.name}` }));
    const sizes = p.readout.sizes;
    for (let i = 0; i + 1 < sizes.length; i++) {
      rep.push({ name: `output_modules.0.outnet.${i}.linear.weight`, shape: [sizes[i + 1]!, sizes[i]!] });
      rep.push({ name: `output_modules.0.outnet.${i}.linear.bias`, shape: [sizes[i + 1]!] });
    }
    if (p.readout.addLinearNn) {
      rep.push({ name: 'output_modules.0.linear_nn.linear.weight', shape: [1, sizes[0]!] });
      rep.push({ name: 'output_modules.0.linear_nn.linear.bias', shape: [1] });
    }
    return rep;
  }
  return out;
}

/** name → (shape if stated, values) from either form of {@link CACEWeights}. */
function byName(weights: CACEWeights): Map<string, { shape: readonly number[] | null; values: ArrayLike<number> }> {
  const map = new Map<string, { shape: readonly number[] | null; values: ArrayLike<number> }>();
  if (Array.isArray(weights)) {
    weights.forEach((entry: unknown, i: number) => {
      const e = entry as Record<string, unknown> | null;
      if (e === null || typeof e !== 'object' || typeof e.name !== 'string') {
        invalidParameter(`CACE weights: entry ${i} must be { name, shape, values_c_order }`);
      }
      const values = e.values_c_order ?? e.values;
      if (values === null || typeof values !== 'object' || typeof (values as ArrayLike<number>).length !== 'number') {
        invalidParameter(`CACE weights: parameter ${e.name} has no values_c_order list`);
      }
      if (map.has(e.name)) invalidParameter(`CACE weights: parameter ${e.name} is listed twice`);
      const shape = Array.isArray(e.shape) ? (e.shape as number[]) : null;
      map.set(e.name, { shape, values: values as ArrayLike<number> });
    });
  } else {
    for (const [name, values] of Object.entries(weights)) {
      if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
        invalidParameter(`CACE weights: parameter ${name} must be an array of numbers (flat, C order)`);
      }
      map.set(name, { shape: null, values });
    }
  }
  return map;
}

/**
 * Checks every parameter against the hyperparameters: a missing one is MISSING_PARAMETER, a
 * mis-shaped or non-finite one INVALID_PARAMETER, each naming the parameter; an unknown name is
 * refused too (a model with other hyperparameters than stated).
 */
export function resolveWeights(p: CACEParams, weights: CACEWeights): CACEResolvedWeights {
  const given = byName(weights);
  const expected = expectedParameters(p);
  const prefix = p.readout !== null ? 'representation.' : '';
  // A descriptor may be given the representation part of a full model's names, and the other way round.
  if (p.readout === null) {
    for (const [name, v] of [...given]) {
      if (name.startsWith('representation.')) {
        given.delete(name);
        given.set(name.slice('representation.'.length), v);
      }
    }
  } else {
    for (const [name, v] of [...given]) {
      if (!name.startsWith('representation.') && !name.startsWith('output_modules.')) {
        given.delete(name);
        given.set(`representation.${name}`, v);
      }
    }
  }
  const values = new Map<string, Float64Array>();
  for (const e of expected) {
    const g = given.get(e.name);
    if (g === undefined) {
      if (e.optional) continue;
      throw new AtomenvError('MISSING_PARAMETER', `CACE weights: parameter ${e.name} (shape [${e.shape.join(', ')}]) is missing`);
    }
    const size = e.shape.reduce((a, b) => a * b, 1);
    if (g.shape !== null && (g.shape.length !== e.shape.length || g.shape.some((s, i) => s !== e.shape[i]))) {
      invalidParameter(`CACE weights: parameter ${e.name} has shape [${g.shape.join(', ')}], expected [${e.shape.join(', ')}]`);
    }
    if (g.values.length !== size) {
      invalidParameter(`CACE weights: parameter ${e.name} has ${g.values.length} values, expected ${size} (shape [${e.shape.join(', ')}])`);
    }
    const arr = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const v = g.values[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) invalidParameter(`CACE weights: parameter ${e.name}[${i}] is ${String(v)}, not a finite number`);
      arr[i] = v;
    }
    values.set(e.name, arr);
  }
  const known = new Set(expected.map((e) => e.name));
  for (const name of given.keys()) {
    if (!known.has(name)) invalidParameter(`CACE weights: parameter ${name} is not used by a model with these hyperparameters`);
  }
  const get = (name: string): Float64Array => values.get(prefix + name)!;
  const sender = get('node_embedding_sender.embedding_weights');
  const receiver = p.embedReceiverNodes ? get('node_embedding_receiver.embedding_weights') : sender;
  let besselFrequencies: Float64Array = new Float64Array(0);
  if (p.radialBasis.type === 'bessel') {
    besselFrequencies = values.get(`${prefix}radial_basis.bessel_weights`) ?? Float64Array.from({ length: p.nRbf }, (_, n) => ((n + 1) * Math.PI) / p.cutoff);
  }
  const radialTransform = Array.from({ length: p.maxL + 1 }, (_, l) => get(`radial_transform.weights.${l}`));
  const layers: CACELayerWeights[] = [];
  for (let t = 0; t < p.numMessagePassing; t++) {
    const base = `message_passing_list.${t}`;
    const perL = (kind: string): Float64Array[] => Array.from({ length: p.maxL + 1 }, (_, l) => get(`${base}.${kind}.${l}`));
    layers.push({
      memory: p.messageTypes.includes('M') ? perL('0.memory_coef') : null,
      arPrefactor: p.messageTypes.includes('Ar') ? perL('1.prefactor') : null,
      arInvR0: p.messageTypes.includes('Ar') ? perL('1.invr0') : null,
      bchiWeight: p.messageTypes.includes('Bchi') ? get(`${base}.2.hnet.0.linear.weight`) : null,
      bchiBias: p.messageTypes.includes('Bchi') ? get(`${base}.2.hnet.0.linear.bias`)[0]! : 0,
    });
  }
  let readout: DenseWeights[] | null = null;
  let linear: DenseWeights | null = null;
  if (p.readout !== null) {
    const sizes = p.readout.sizes;
    readout = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      readout.push({
        weight: values.get(`output_modules.0.outnet.${i}.linear.weight`)!,
        bias: values.get(`output_modules.0.outnet.${i}.linear.bias`)!,
        nIn: sizes[i]!, nOut: sizes[i + 1]!,
      });
    }
    if (p.readout.addLinearNn) {
      linear = {
        weight: values.get('output_modules.0.linear_nn.linear.weight')!,
        bias: values.get('output_modules.0.linear_nn.linear.bias')!,
        nIn: sizes[0]!, nOut: 1,
      };
    }
  }
  return { sender, receiver, besselFrequencies, radialTransform, layers, readout, linear };
}
