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
}

/**
 * Default limits: 2 MiB of body (≈ 25 000 atoms of extxyz text, far above `maxAtoms`), 5 000
 * atoms, and 2^20 output values (8 MiB as float64; ≈ 22 MiB as JSON, which is streamed).
 * Measured in Node 20: ACSF with r_cut 6 Å on 5 184 atoms of liquid water takes 34 MiB of wasm
 * memory; wasm memory grows with atoms × neighbours (∝ r_cut³ × density) and never shrinks.
 */
export const DEFAULT_LIMITS: Readonly<ServerlessLimits> = Object.freeze({
  maxBodyBytes: 2 * 1024 * 1024,
  maxAtoms: 5000,
  maxOutputValues: 1 << 20,
});

/** The defaults overridden by `limits`; throws a TypeError for a limit that is not a positive integer. */
export function resolveLimits(limits: Partial<ServerlessLimits> = {}): ServerlessLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof ServerlessLimits)[]) {
    const value = limits[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`limits.${key} must be a positive integer, got ${String(value)}`);
    out[key] = value;
  }
  for (const key of Object.keys(limits)) {
    if (!Object.hasOwn(DEFAULT_LIMITS, key)) throw new TypeError(`unknown limit ${JSON.stringify(key)} (the limits: ${Object.keys(DEFAULT_LIMITS).join(', ')})`);
  }
  return out;
}
