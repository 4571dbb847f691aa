/**
 * Limits of the serverless handler. The defaults are sized for edge runtimes (about 128 MB per
 * isolate, one thread): an accepted request fits with room to spare.
 */
export interface ServerlessLimits {
  /** Largest request body in bytes (checked on `Content-Length` and while reading). */
  maxBodyBytes: number;
  /** Most atoms in the structure. */
  maxAtoms: number;
  /** Most values in the result (rows × features), so that the response fits in memory. */
  maxOutputValues: number;
  /**
   * Most centre–neighbour pairs, estimated from the number density before computing: the wasm
   * memory of a computation grows with them (about 75 bytes per pair for ACSF).
   */
  maxNeighbourPairs: number;
  /** Largest neighbour cutoff in Å (ACSF `rCut`; SOAP `rCut` plus its ~3.7σ Gaussian padding). */
  maxCutoff: number;
  /** Largest SOAP `nMax` (the radial basis and table grow with it). */
  maxNMax: number;
}

/**
 * Default limits: 2 MiB of body (≈ 35 000 atoms of extxyz text, far above `maxAtoms`), 5 000
 * atoms, 2^20 output values (8 MiB as float64; ≈ 22 MiB as JSON, which is streamed), 500 000
 * neighbour pairs, a 12 Å cutoff and nMax 10 (larger nMax with wide σ can take a minute to
 * build the SOAP radial table). Measured in Node 20: ACSF with r_cut 6 Å on 5 184
 * atoms of liquid water (≈ 470 000 pairs) takes 34 MiB of wasm memory, which never shrinks.
 */
export const DEFAULT_LIMITS: Readonly<ServerlessLimits> = Object.freeze({
  maxBodyBytes: 2 * 1024 * 1024,
  maxAtoms: 5000,
  maxOutputValues: 1 << 20,
  maxNeighbourPairs: 500_000,
  maxCutoff: 12,
  maxNMax: 10,
});

/** The defaults overridden by `limits`; throws a TypeError for a limit that is not a positive number (an integer, except `maxCutoff`). */
export function resolveLimits(limits: Partial<ServerlessLimits> = {}): ServerlessLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof ServerlessLimits)[]) {
    const value = limits[key];
    if (value === undefined) continue;
    const ok = key === 'maxCutoff' ? Number.isFinite(value) && value > 0 : Number.isSafeInteger(value) && value > 0;
    if (!ok) throw new TypeError(`limits.${key} must be a positive ${key === 'maxCutoff' ? 'number' : 'integer'}, got ${String(value)}`);
    out[key] = value;
  }
  for (const key of Object.keys(limits)) {
    if (!Object.hasOwn(DEFAULT_LIMITS, key)) throw new TypeError(`unknown limit ${JSON.stringify(key)} (the limits: ${Object.keys(DEFAULT_LIMITS).join(', ')})`);
  }
  return out;
}
