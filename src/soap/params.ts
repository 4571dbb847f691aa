import { AtomenvError, invalidParameter } from '../errors.js';
import { checkOptionKeys } from '../descriptors/optionKeys.js';
import { sortedSpecies } from '../descriptors/species.js';
import { elementSymbol, toAtomicNumber } from '../structure/elements.js';
import {
  DEFAULT_WEIGHTING_THRESHOLD,
  inferRCutFromWeighting,
  SOAP_WEIGHTING_FUNCTIONS,
  type SOAPWeighting,
  type SOAPWeightingFunction,
} from './weighting.js';

/** Radial basis of SOAP: DScribe's orthonormalised GTOs or its polynomial basis. */
export type SOAPRadialBasis = 'gto' | 'polynomial';
/** Averaging over the centres: none, of the coefficients (inner), or of the spectra (outer). */
export type SOAPAverage = 'off' | 'inner' | 'outer';
/** DScribe's compression modes of the power spectrum. */
export type SOAPCompressionMode = 'off' | 'crossover' | 'mu1nu1' | 'mu2';
/** Element type of the output. */
export type SOAPDtype = 'float64' | 'float32';

/** `weighting` option of {@link SOAPOptions}: DScribe's `weighting` dictionary. */
export interface SOAPWeightingOptions {
  /** `'poly'`, `'pow'` or `'exp'`; omit it to set only `w0`. */
  function?: SOAPWeightingFunction;
  /** Length scale r0 in Å (> 0); required with a function. */
  r0?: number;
  /** Prefactor c (≥ 0); required with a function. */
  c?: number;
  /** Offset d (≥ 0); required with 'pow' and 'exp'. */
  d?: number;
  /** Exponent m (≥ 0); required with 'poly' and 'pow'. */
  m?: number;
  /** Weight of a neighbour exactly on the centre (≥ 0); `0` hides the centre atom from its own density. */
  w0?: number;
  /** Weight at which an omitted `rCut` is placed ('pow', 'exp'; default 0.01, > 0). */
  threshold?: number;
}

/** `compression` option of {@link SOAPOptions}: DScribe's `compression` dictionary. */
export interface SOAPCompressionOptions {
  /** Compression mode (default `'off'`). */
  mode?: SOAPCompressionMode;
  /** A weight for every species, keyed by symbol or atomic number; scales each neighbour's Gaussian. */
  speciesWeighting?: Readonly<Record<string, number>> | null;
}

/** `cutoff` option of {@link SOAPOptions}: a smooth cutoff (off by default, unlike DScribe's hard edge). */
export interface SOAPCutoffOptions {
  /** Shape of the smooth cutoff; only `'cosine'` (the default). */
  function?: 'cosine';
  /** Width of the transition region in Å (0 < width ≤ rCut). */
  width: number;
}

/** Parameters of SOAP: DScribe's `SOAP(...)` arguments in camelCase. */
export interface SOAPOptions {
  /** Elements the descriptor covers (symbols or atomic numbers, any order). */
  species: ReadonlyArray<string | number>;
  /** Cutoff radius r_cut in Å (> 0; > 1 with 'gto'); may be omitted when `weighting.function` is set. */
  rCut?: number | null;
  /** Number of radial basis functions (≥ 1). */
  nMax: number;
  /** Maximum degree of the spherical harmonics (0–20). */
  lMax: number;
  /** Width σ of the atomic Gaussians in Å (> 0, default 1.0 as DScribe). */
  sigma?: number;
  /** Radial basis (default `'gto'`). */
  rbf?: SOAPRadialBasis;
  /** Use the cell and its periodic images (default false). */
  periodic?: boolean;
  /** Averaging over the centres (default `'off'`). */
  average?: SOAPAverage;
  /** Compression of the power spectrum (default mode `'off'`). */
  compression?: SOAPCompressionOptions | null;
  /** Radial weighting of the neighbour Gaussians (default none). */
  weighting?: SOAPWeightingOptions | null;
  /** Output element type (default `'float64'`); `'float32'` computes the values in float32 (≤ 5e-6 of the largest value). */
  dtype?: SOAPDtype;
  /** Smooth cutoff (default none: DScribe's hard edge at rCut + δ). */
  cutoff?: SOAPCutoffOptions | null;
}

/** The keys of {@link SOAPOptions} (anything else is refused). */
export const SOAP_OPTION_KEYS = [
  'species', 'rCut', 'nMax', 'lMax', 'sigma', 'rbf', 'periodic', 'average', 'compression', 'weighting', 'dtype', 'cutoff',
] as const satisfies readonly (keyof SOAPOptions)[];

/** Validated SOAP parameters, with the derived quantities DScribe uses. */
export interface SOAPParams {
  /** Unique atomic numbers, ascending (the species index is the position here). */
  readonly species: number[];
  /** The r_cut actually used: as given, or inferred from the weighting. */
  readonly rCut: number;
  /** True when `rCut` was inferred from `weighting`. */
  readonly rCutInferred: boolean;
  readonly nMax: number;
  readonly lMax: number;
  readonly sigma: number;
  /** η = 1/(2σ²), the exponent of the (unnormalised) atomic Gaussians. */
  readonly eta: number;
  /** Cutoff padding δ = σ·sqrt(−2 ln 10⁻³): a Gaussian has decayed to 10⁻³ at distance δ. */
  readonly cutoffPadding: number;
  /** Radius of the neighbour sphere, rCut + δ (hard-edged, inclusive). */
  readonly neighbourCutoff: number;
  readonly rbf: SOAPRadialBasis;
  readonly average: SOAPAverage;
  readonly compression: SOAPCompressionMode;
  /** Weight of each species in `species` order, or null for all 1. */
  readonly speciesWeights: number[] | null;
  /** Radial weighting, or null for none. */
  readonly weighting: SOAPWeighting | null;
  readonly periodic: boolean;
  readonly dtype: SOAPDtype;
  /** Smooth cutoff, or null for none. */
  readonly cutoff: { readonly function: 'cosine'; readonly width: number } | null;
}

/** DScribe's Gaussian threshold that sets the cutoff padding. */
const PADDING_THRESHOLD = 1e-3;
/** Largest n_max a SOAP is built with: both bases are ill-conditioned in float64 from n_max ≈ 40 (their overlap matrix is refused). */
export const MAX_N_MAX = 200;
/** Largest l_max DScribe supports. */
const MAX_L_MAX = 20;
/** Largest r_cut in Å: far beyond any local environment; a weighting decaying as slowly as r^-0.5 infers ~1e5 Å, whose tables would take hours. */
const MAX_R_CUT = 100;

const RBFS: readonly SOAPRadialBasis[] = ['gto', 'polynomial'];
const AVERAGES: readonly SOAPAverage[] = ['off', 'inner', 'outer'];
const COMPRESSION_MODES: readonly SOAPCompressionMode[] = ['off', 'crossover', 'mu1nu1', 'mu2'];
const DTYPES: readonly SOAPDtype[] = ['float64', 'float32'];
const WEIGHTING_KEYS = ['function', 'r0', 'c', 'd', 'm', 'w0', 'threshold'];
const COMPRESSION_KEYS = ['mode', 'speciesWeighting'];
const CUTOFF_KEYS = ['function', 'width'];

function missing(message: string): never {
  throw new AtomenvError('MISSING_PARAMETER', message);
}

function show(value: unknown): string {
  // JSON.stringify turns NaN and ±Infinity into null; print numbers as they are.
  return typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value);
}

function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

/** A finite number, or an INVALID_PARAMETER naming `name`. */
function finite(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) invalidParameter(`${name} must be a finite number, got ${show(value)}`);
  return value;
}

/** One of `allowed` (or `fallback` when absent). */
function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (isAbsent(value)) return fallback;
  if (!allowed.includes(value as T)) {
    invalidParameter(`${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${show(value)}`);
  }
  return value as T;
}

/** A plain object with only the given keys (catches typos and DScribe's snake_case names). */
function plainObject(name: string, value: unknown, keys: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalidParameter(`${name} must be an object { ${keys.join(', ')} }, got ${show(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) invalidParameter(`${name}: unknown key '${key}' (allowed: ${keys.join(', ')})`);
  }
  return value as Record<string, unknown>;
}

/** A required integer ≥ `min` (and ≤ `max` when given). */
function integer(name: string, value: unknown, min: number, max = Infinity): number {
  if (isAbsent(value)) missing(`SOAP needs \`${name}\``);
  const v = finite(name, value);
  if (!Number.isInteger(v) || v < min || v > max) {
    const range = max === Infinity ? `≥ ${min}` : `between ${min} and ${max}`;
    invalidParameter(`${name} must be an integer ${range}, got ${v}`);
  }
  return v;
}

function parseCompression(value: unknown, species: readonly number[]): [SOAPCompressionMode, number[] | null] {
  if (isAbsent(value)) return ['off', null];
  const o = plainObject('compression', value, COMPRESSION_KEYS);
  const mode = oneOf('compression.mode', o.mode, COMPRESSION_MODES, 'off');
  if (isAbsent(o.speciesWeighting)) return [mode, null];
  const table = o.speciesWeighting;
  if (typeof table !== 'object' || Array.isArray(table)) {
    invalidParameter(`compression.speciesWeighting must be an object { symbolOrZ: weight }, got ${show(table)}`);
  }
  const weights = new Map<number, number>();
  for (const [key, w] of Object.entries(table)) {
    // Object keys are strings: "8" means Z = 8, "O" the symbol.
    let z: number;
    try {
      z = toAtomicNumber(/^\d+$/.test(key) ? Number(key) : key);
    } catch {
      throw new AtomenvError('UNKNOWN_ELEMENT', `compression.speciesWeighting: unknown element ${JSON.stringify(key)}`);
    }
    if (!species.includes(z)) {
      invalidParameter(`compression.speciesWeighting names ${elementSymbol(z)}, which is not among the species (${species.map(elementSymbol).join(', ')})`);
    }
    if (weights.has(z)) invalidParameter(`compression.speciesWeighting gives ${elementSymbol(z)} twice`);
    weights.set(z, finite(`compression.speciesWeighting.${key}`, w));
  }
  const absent = species.filter((z) => !weights.has(z));
  if (absent.length > 0) {
    invalidParameter(`compression.speciesWeighting needs a weight for every species; missing: ${absent.map(elementSymbol).join(', ')}`);
  }
  return [mode, species.map((z) => weights.get(z)!)];
}

function parseWeighting(value: unknown): SOAPWeighting | null {
  if (isAbsent(value)) return null;
  const o = plainObject('weighting', value, WEIGHTING_KEYS);
  // Any number given must be finite, whether or not the function uses it.
  for (const key of WEIGHTING_KEYS.slice(1)) if (!isAbsent(o[key])) finite(`weighting.${key}`, o[key]);
  let w0: number | null = null;
  if (!isAbsent(o.w0)) {
    w0 = o.w0 as number;
    if (w0 < 0) invalidParameter(`weighting.w0 must be ≥ 0, got ${w0}`);
  }
  if (isAbsent(o.function)) {
    const stray = ['r0', 'c', 'd', 'm', 'threshold'].filter((k) => !isAbsent(o[k]));
    if (stray.length > 0) {
      invalidParameter(`weighting.function is missing: ${stray.join(', ')} only apply with a function ('poly', 'pow' or 'exp')`);
    }
    // DScribe treats an empty weighting as none.
    return w0 === null ? null : { function: null, r0: 0, c: 0, d: 0, m: 0, threshold: DEFAULT_WEIGHTING_THRESHOLD, w0 };
  }
  const fn = oneOf('weighting.function', o.function, SOAP_WEIGHTING_FUNCTIONS, 'poly');
  // DScribe requires every parameter its function uses; only `threshold` has a default.
  const param = (key: 'r0' | 'c' | 'd' | 'm', used: boolean, positive: boolean): number => {
    if (!used) return 0;
    const v = o[key];
    if (isAbsent(v)) missing(`weighting.${key} is required with weighting.function '${fn}'`);
    if (positive ? (v as number) <= 0 : (v as number) < 0) {
      invalidParameter(`weighting.${key} must be ${positive ? '> 0' : '≥ 0'}, got ${v as number}`);
    }
    return v as number;
  };
  const r0 = param('r0', true, true);
  const c = param('c', true, false);
  const d = param('d', fn !== 'poly', false);
  const m = param('m', fn !== 'exp', false);
  const threshold = isAbsent(o.threshold) ? DEFAULT_WEIGHTING_THRESHOLD : (o.threshold as number);
  if (threshold <= 0) invalidParameter(`weighting.threshold must be > 0, got ${threshold}`);
  // c / (d + (r/r0)^m) is c/0 for the neighbour on the centre (every atom centre sees itself at r = 0).
  if (fn === 'pow' && d === 0 && m > 0 && w0 === null) {
    invalidParameter("weighting 'pow' with d = 0 is infinite at r = 0 (the centre atom itself): give weighting.w0 (its weight, e.g. 0 or 1) or d > 0");
  }
  return { function: fn, r0, c, d, m, threshold, w0 };
}

function parseCutoff(value: unknown, rCut: number): SOAPParams['cutoff'] {
  if (isAbsent(value)) return null;
  const o = plainObject('cutoff', value, CUTOFF_KEYS);
  const fn = oneOf('cutoff.function', o.function, ['cosine'] as const, 'cosine');
  if (isAbsent(o.width)) missing('cutoff.width is required (transition width in Å)');
  const width = finite('cutoff.width', o.width);
  if (width <= 0 || width > rCut) invalidParameter(`cutoff.width must be > 0 and ≤ rCut (${rCut} Å), got ${width}`);
  return { function: fn, width };
}

/**
 * Checks SOAP options and returns them normalised, with defaults filled in as DScribe does and
 * the derived r_cut, η, cutoff padding and neighbour cutoff. Throws INVALID_PARAMETER,
 * MISSING_PARAMETER or UNKNOWN_ELEMENT with a message that names the option.
 */
export function validateSOAPOptions(options: SOAPOptions): SOAPParams {
  if (options === null || typeof options !== 'object') {
    missing('SOAP needs an options object { species, rCut, nMax, lMax, ... }');
  }
  checkOptionKeys('SOAP', options, SOAP_OPTION_KEYS);
  const species = sortedSpecies(options.species);
  const nMax = integer('nMax', options.nMax, 1);
  const lMax = integer('lMax', options.lMax, 0, MAX_L_MAX);
  const sigma = isAbsent(options.sigma) ? 1.0 : finite('sigma', options.sigma);
  if (sigma <= 0) invalidParameter(`sigma must be > 0 Å, got ${sigma}`);
  const rbf = oneOf('rbf', options.rbf, RBFS, 'gto');
  const average = oneOf('average', options.average, AVERAGES, 'off');
  const [compression, speciesWeights] = parseCompression(options.compression, species);
  const weighting = parseWeighting(options.weighting);

  // r_cut: as given, else inferred from the weighting function (DScribe's _infer_r_cut).
  let rCut: number;
  const rCutInferred = isAbsent(options.rCut);
  if (!rCutInferred) {
    rCut = finite('rCut', options.rCut);
    if (rCut <= 0) invalidParameter(`rCut must be > 0 Å, got ${rCut}`);
  } else {
    const inferred = inferRCutFromWeighting(weighting);
    if (inferred === null) missing('SOAP needs `rCut` (cutoff radius in Å), or a `weighting.function` to infer it from');
    if (!Number.isFinite(inferred) || inferred <= 0) {
      invalidParameter(`rCut cannot be inferred from weighting.function '${weighting!.function}': got ${inferred} Å; give rCut or change the weighting`);
    }
    rCut = inferred;
  }
  if (rCut > MAX_R_CUT) {
    invalidParameter(
      `rCut must be ≤ ${MAX_R_CUT} Å (SOAP describes a local environment; the radial tables and the neighbour sphere grow with it), got ${rCut}`
      + (rCutInferred ? ` inferred from weighting.function '${weighting!.function}' (where the weight falls to its threshold): give rCut or a faster-decaying weighting` : ''),
    );
  }
  if (rbf === 'gto' && rCut <= 1) {
    invalidParameter(`rCut must be > 1 Å with rbf 'gto' (DScribe's GTO basis starts at 1 Å), got ${rCut}${rCutInferred ? ' (inferred from weighting)' : ''}`);
  }

  if (options.periodic !== undefined && typeof options.periodic !== 'boolean') {
    invalidParameter(`periodic must be true or false, got ${show(options.periodic)}`);
  }
  const dtype = oneOf('dtype', options.dtype, DTYPES, 'float64');
  const cutoff = parseCutoff(options.cutoff, rCut);

  const eta = 1 / (2 * sigma * sigma);
  const cutoffPadding = sigma * Math.sqrt(-2 * Math.log(PADDING_THRESHOLD));
  return {
    species,
    rCut,
    rCutInferred,
    nMax,
    lMax,
    sigma,
    eta,
    cutoffPadding,
    neighbourCutoff: rCut + cutoffPadding,
    rbf,
    average,
    compression,
    speciesWeights,
    weighting,
    periodic: options.periodic ?? false,
    dtype,
    cutoff,
  };
}
