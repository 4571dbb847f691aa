import { AtomenvError, invalidParameter } from '../errors.js';
import { CACE_OPTION_KEYS, type CACECutoffFn, type CACEOptions, type CACERadialBasis, type CACEReadoutOptions } from './options.js';

/**
 * A CACE model file: the reference code's constructor arguments (snake_case) and its
 * `named_parameters()` (a PyTorch state_dict as JSON); optionally `atomic_energies`
 * ({ Z: E0 }). `buffers` and other keys are ignored.
 */
export interface CACEModelFile {
  hyperparameters: Record<string, unknown>;
  parameters: ReadonlyArray<{ name: string; shape: readonly number[]; values_c_order: ArrayLike<number> }>;
  atomic_energies?: Record<string, number> | null;
  [key: string]: unknown;
}

const HYPERPARAMETERS = [
  'zs', 'n_atom_basis', 'embed_receiver_nodes', 'cutoff', 'n_rbf', 'radial_basis', 'cutoff_fn', 'n_radial_basis',
  'max_l', 'max_nu', 'num_message_passing', 'mp_types', 'type_message_passing', 'avg_num_neighbors', 'readout',
];

/** `["poly", p]`, `["cos"]`, `["mollifier", eps]`, `["switch", on, off]`. */
function cutoffFn(v: unknown): CACECutoffFn {
  if (!Array.isArray(v) || typeof v[0] !== 'string') {
    invalidParameter(`CACE model: hyperparameters.cutoff_fn must be ["poly", p], ["cos"], ["mollifier", eps] or ["switch", on, off], got ${JSON.stringify(v)}`);
  }
  switch (v[0]) {
    case 'poly': return { type: 'poly', p: v[1] ?? 6 };
    case 'cos': return { type: 'cos' };
    case 'mollifier': return { type: 'mollifier', eps: v[1] ?? 1e-7 };
    case 'switch': return { type: 'switch', on: v[1], off: v[2] };
    default: return invalidParameter(`CACE model: unknown cutoff_fn ${JSON.stringify(v[0])}`);
  }
}

/** `n_rbf` (Bessel), or `radial_basis`: `["bessel", n]`, `["gaussian", n, start]`, … */
function radialBasis(h: Record<string, unknown>): CACERadialBasis {
  const rb = h.radial_basis;
  if (rb === undefined || rb === null) {
    if (h.n_rbf === undefined) throw new AtomenvError('MISSING_PARAMETER', 'CACE model: hyperparameters.n_rbf (Bessel functions) is missing');
    return { type: 'bessel', n: h.n_rbf as number };
  }
  if (!Array.isArray(rb) || typeof rb[0] !== 'string') invalidParameter(`CACE model: hyperparameters.radial_basis must be ["bessel", n] or similar, got ${JSON.stringify(rb)}`);
  const n = rb[1] ?? h.n_rbf;
  switch (rb[0]) {
    case 'bessel': return { type: 'bessel', n };
    case 'gaussian': return { type: 'gaussian', n, start: rb[2] ?? 0.8 };
    case 'gaussian_centered': return { type: 'gaussianCentered', n, start: rb[2] ?? 1.0 };
    case 'exponential_decay': return { type: 'exponentialDecay', n, prefactor: rb[2] ?? 1 };
    default: return invalidParameter(`CACE model: unknown radial_basis ${JSON.stringify(rb[0])}`);
  }
}

function readout(v: unknown): CACEReadoutOptions | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'object') invalidParameter('CACE model: hyperparameters.readout must be null or { n_layers, n_hidden, add_linear_nn }');
  const r = v as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!['n_layers', 'n_hidden', 'add_linear_nn'].includes(key)) {
      invalidParameter(`CACE model: readout.${key} is not supported (residual and batch-norm readouts are not implemented)`);
    }
  }
  return { nLayers: r.n_layers as number, nHidden: r.n_hidden as number[] | number | null, addLinearNn: (r.add_linear_nn ?? false) as boolean };
}

/** The {@link CACEOptions} a model file describes (validated later by the constructor). */
export function optionsFromModelFile(model: unknown): CACEOptions {
  if (model === null || typeof model !== 'object') invalidParameter('CACE model: expected an object { hyperparameters, parameters }');
  const m = model as Record<string, unknown>;
  const h = m.hyperparameters;
  if (h === null || typeof h !== 'object' || Array.isArray(h)) {
    throw new AtomenvError('MISSING_PARAMETER', 'CACE model: the "hyperparameters" object is missing');
  }
  if (!Array.isArray(m.parameters)) throw new AtomenvError('MISSING_PARAMETER', 'CACE model: the "parameters" list is missing');
  const hp = h as Record<string, unknown>;
  for (const key of Object.keys(hp)) {
    if (!HYPERPARAMETERS.includes(key)) invalidParameter(`CACE model: unknown hyperparameter ${JSON.stringify(key)} (known: ${HYPERPARAMETERS.join(', ')})`);
  }
  for (const key of ['zs', 'n_atom_basis', 'cutoff', 'cutoff_fn', 'max_l', 'max_nu']) {
    if (hp[key] === undefined) throw new AtomenvError('MISSING_PARAMETER', `CACE model: hyperparameters.${key} is missing`);
  }
  const options: CACEOptions = {
    zs: hp.zs as number[],
    nAtomBasis: hp.n_atom_basis as number,
    cutoff: hp.cutoff as number,
    radialBasis: radialBasis(hp),
    cutoffFn: cutoffFn(hp.cutoff_fn),
    maxL: hp.max_l as number,
    maxNu: hp.max_nu as number,
    numMessagePassing: (hp.num_message_passing ?? 0) as number,
    embedReceiverNodes: (hp.embed_receiver_nodes ?? false) as boolean,
    readout: readout(hp.readout),
    weights: m.parameters as CACEModelFile['parameters'],
  };
  if (hp.n_radial_basis !== undefined && hp.n_radial_basis !== null) options.nRadialBasis = hp.n_radial_basis as number;
  // Per-element E0 (the reference calculator's atomic_energies), top level of the file.
  if (m.atomic_energies !== undefined && m.atomic_energies !== null) options.atomicEnergies = m.atomic_energies as Record<string, number>;
  const types = hp.mp_types ?? hp.type_message_passing;
  if (types !== undefined && types !== null) options.typeMessagePassing = types as CACEOptions['typeMessagePassing'];
  if (hp.avg_num_neighbors !== undefined && hp.avg_num_neighbors !== null) options.avgNumNeighbors = hp.avg_num_neighbors as number;
  return options;
}

/**
 * Reads a model: an object, JSON text, or (in Node) a file path. Browsers pass the object or
 * the text (e.g. from `fetch(url).then((r) => r.text())`).
 */
export async function readModelInput(input: unknown): Promise<unknown> {
  if (typeof input !== 'string') return input;
  const text = input.trimStart();
  if (text.startsWith('{')) return parseModelJson(text, 'the model text');
  let contents: string;
  try {
    const fs = await import('node:fs/promises');
    contents = await fs.readFile(input, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw new AtomenvError('FILE_NOT_FOUND', `CACE model file not found: ${input}`, { file: input });
    throw new AtomenvError('IO_ERROR', `could not read the CACE model file ${input}: ${(error as Error).message}`, { file: input });
  }
  return parseModelJson(contents, input);
}

/** JSON.parse with a PARSE_ERROR naming `where`. */
export function parseModelJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AtomenvError('PARSE_ERROR', `CACE model: ${where} is not valid JSON (${(error as Error).message})`);
  }
}

/** Keys of a `{ "descriptor": "cace", ... }` config: the constructor's options, or `model`. */
export const CACE_CONFIG_KEYS = [...CACE_OPTION_KEYS, 'model'] as const;
