/**
 * The radial-integral table of a SOAP parameter set, in the layout the wasm kernels read
 * (assembly/soap/radialTable.ts): quintic Hermite, built once per (rbf, r_cut, n_max, l_max, σ)
 * and cached, with every l padded to an even number of n so that the kernels run f64x2 without
 * tails.
 */
import { AtomenvError } from '../errors.js';
import { validateSOAPOptions, type SOAPOptions, type SOAPParams } from './params.js';
import { gtoRadialBasis } from './radial/gto.js';
import { polynomialRadialBasis } from './radial/polynomial.js';
import { wasmInverseSqrt } from './radial/inverseSqrtWasm.js';
import { createGtoRadialIntegrals } from './radialIntegrals/gtoIntegrals.js';
import { createPolynomialRadialIntegrals } from './radialIntegrals/polynomialIntegrals.js';
import { buildRadialIntegralTable, type RadialIntegralTable } from './radialIntegrals/table.js';
import { wasmGtoTabulator } from './radialIntegrals/gtoTableWasm.js';
import type { Runtime } from '../wasm/loader.js';

/** A radial table ready for the wasm kernels. */
export interface SOAPKernelTable {
  /** Cache key of the parameter set (also the key of the resident wasm copy). */
  readonly key: string;
  /** n_max rounded up to even. */
  readonly nMaxPadded: number;
  /** data[(i·3 + d)·M + l·nMaxPadded + n], M = (l_max+1)·nMaxPadded, zeros in the padding. */
  readonly data: Float64Array;
  readonly intervals: number;
  readonly spacing: number;
  readonly invSpacing: number;
  readonly rMax: number;
  /** The unpadded table (accuracy figures). */
  readonly table: RadialIntegralTable;
}

/** Tables by key, most recently used last, at most 16 (parameter sets) kept alive. */
class RecentTables<T> {
  private readonly entries = new Map<string, T>();
  get(key: string): T | undefined {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }
  set(key: string, value: T): T {
    this.entries.set(key, value);
    if (this.entries.size > 16) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
const cache = new RecentTables<SOAPKernelTable>();

/** The parameters the radial integrals depend on. */
export type SOAPTableParams = Pick<SOAPParams, 'rbf' | 'rCut' | 'nMax' | 'lMax' | 'sigma' | 'neighbourCutoff'>;

/**
 * Builds (or returns the cached) kernel table of `p`, accurate to 1e-10 relative per channel.
 * The GTO table is built by the wasm kernels of `rt` (the polynomial basis's quadrature runs in
 * JavaScript).
 */
export function soapKernelTable(rt: Runtime, p: SOAPTableParams): SOAPKernelTable {
  const key = `${p.rbf}:${p.rCut}:${p.nMax}:${p.lMax}:${p.sigma}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let table: RadialIntegralTable;
  if (p.rbf === 'gto') {
    const integrals = createGtoRadialIntegrals(gtoRadialBasis(p.rCut, p.nMax, p.lMax, wasmInverseSqrt(rt)), p.sigma);
    table = buildRadialIntegralTable(integrals, p.neighbourCutoff, {
      order: 5, tolerance: 1e-10, tabulate: wasmGtoTabulator(rt, integrals, p.neighbourCutoff),
    });
  } else {
    const integrals = createPolynomialRadialIntegrals(polynomialRadialBasis(p.rCut, p.nMax, wasmInverseSqrt(rt)), p.lMax, p.sigma);
    table = buildRadialIntegralTable(integrals, p.neighbourCutoff, { order: 5, tolerance: 1e-10 });
  }
  return cache.set(key, padTable(key, table));
}

/** Re-lays a quintic table with each l's n_max channels padded to an even count. */
function padTable(key: string, table: RadialIntegralTable): SOAPKernelTable {
  const { nMax, lMax, channels, intervals } = table;
  const nMaxPadded = nMax + (nMax & 1);
  if (nMaxPadded === nMax) {
    // Even n_max: the layout is already the kernels' (no copy).
    return { key, nMaxPadded, data: table.data, intervals, spacing: table.spacing, invSpacing: table.invSpacing, rMax: table.rMax, table };
  }
  const m = (lMax + 1) * nMaxPadded;
  const data = new Float64Array((intervals + 1) * 3 * m);
  for (let i = 0; i <= intervals; i++) {
    for (let d = 0; d < 3; d++) {
      const src = (i * 3 + d) * channels;
      const dst = (i * 3 + d) * m;
      for (let l = 0; l <= lMax; l++) {
        for (let n = 0; n < nMax; n++) data[dst + l * nMaxPadded + n] = table.data[src + l * nMax + n]!;
      }
    }
  }
  return {
    key, nMaxPadded, data, intervals, spacing: table.spacing, invSpacing: table.invSpacing, rMax: table.rMax, table,
  };
}

/** The float32 radial table of the dtype 'float32' kernels (assembly/soap/radialTableF32.ts). */
export interface SOAPKernelTableF32 {
  /** Key of the resident wasm copy (distinct from the float64 table's). */
  readonly key: string;
  /** n_max rounded up to a multiple of 4 (whole f32x4 vectors). */
  readonly nMaxPadded: number;
  /**
   * The quintic of each interval i = 0..K−1 in the power basis of t = r/h − i, I = Σ_k a_k t^k:
   * data[(i·6 + k)·M + l·nMaxPadded + n] = a_k, computed in float64 from the Hermite knots and
   * rounded to float32; M = (l_max+1)·nMaxPadded, zeros in the padding.
   */
  readonly data: Float32Array;
  readonly intervals: number;
  readonly spacing: number;
  readonly invSpacing: number;
  readonly rMax: number;
}

const cacheF32 = new RecentTables<SOAPKernelTableF32>();

/**
 * The float32 power-basis form of {@link soapKernelTable}'s table with each l padded to a multiple
 * of 4 n (cached alike). With F_d = h^d f^(d)_i, G_d = h^d f^(d)_{i+1} (the Hermite data):
 * a0 = F0, a1 = F1, a2 = F2/2, a3 = 10(G0 − F0) − 6F1 − 4G1 − (3F2 − G2)/2,
 * a4 = 15(F0 − G0) + 8F1 + 7G1 + (3F2 − 2G2)/2, a5 = 6(G0 − F0) − 3(F1 + G1) − (F2 − G2)/2.
 */
export function soapKernelTableF32(rt: Runtime, p: SOAPTableParams): SOAPKernelTableF32 {
  const t = soapKernelTable(rt, p);
  const hit = cacheF32.get(t.key);
  if (hit !== undefined) return hit;
  const { nMax, lMax, channels, intervals } = t.table;
  const nMaxPadded = 4 * Math.ceil(nMax / 4);
  const m = (lMax + 1) * nMaxPadded;
  const data = new Float32Array(intervals * 6 * m);
  const src = t.table.data;
  const h = t.spacing, hh = h * h;
  for (let i = 0; i < intervals; i++) {
    const a = 3 * i * channels, b = a + 3 * channels, o = 6 * i * m;
    for (let l = 0; l <= lMax; l++) {
      for (let n = 0; n < nMax; n++) {
        const c = l * nMax + n, d = o + l * nMaxPadded + n;
        const f0 = src[a + c]!, f1 = h * src[a + channels + c]!, f2 = hh * src[a + 2 * channels + c]!;
        const g0 = src[b + c]!, g1 = h * src[b + channels + c]!, g2 = hh * src[b + 2 * channels + c]!;
        const dg = g0 - f0;
        data[d] = f0;
        data[d + m] = f1;
        data[d + 2 * m] = 0.5 * f2;
        data[d + 3 * m] = 10 * dg - 6 * f1 - 4 * g1 - 0.5 * (3 * f2 - g2);
        data[d + 4 * m] = -15 * dg + 8 * f1 + 7 * g1 + 0.5 * (3 * f2 - 2 * g2);
        data[d + 5 * m] = 6 * dg - 3 * (f1 + g1) - 0.5 * (f2 - g2);
      }
    }
  }
  return cacheF32.set(t.key, {
    key: `f32:${t.key}`, nMaxPadded, data, intervals, spacing: t.spacing, invSpacing: t.invSpacing, rMax: t.rMax,
  });
}

/**
 * Puts a table built elsewhere (the pool's main thread, received by a worker) into the cache,
 * so SOAP descriptors with its parameters use it instead of building their own.
 */
export function installSoapKernelTable(table: SOAPKernelTable): void {
  if (cache.get(table.key) === undefined) cache.set(table.key, table);
}

/**
 * The kernel table a SOAP config needs, built (or taken from the cache) with `rt`, for the pool to
 * send to its workers; null when the config is not SOAP or is invalid (the workers then report
 * the error per item).
 */
export function soapKernelTableForConfig(rt: Runtime, config: { descriptor: string; [option: string]: unknown }): SOAPKernelTable | null {
  if (config.descriptor !== 'soap') return null;
  try {
    const { descriptor: _, ...options } = config;
    return soapKernelTable(rt, validateSOAPOptions(options as unknown as SOAPOptions));
  } catch (error) {
    if (error instanceof AtomenvError) return null;
    throw error;
  }
}
