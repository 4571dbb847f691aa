/**
 * Shared shape of the SOAP radial-integral evaluators (GTO and polynomial bases).
 *
 * Channel layout everywhere in this folder: `c = l * nMax + n` (l-major, like the GTO α layout),
 * so an output array has (l_max + 1) · n_max entries.
 */

/**
 * Evaluates I_nl(r) = 4π e^{−η r²} ∫ r'² g_nl(r') e^{−η r'²} i_l(2η r' r) dr' (η = 1/(2σ²)) and its
 * first two derivatives with respect to the neighbour distance r, for every channel at once.
 */
export interface RadialIntegralEvaluator {
  /** Number of radial functions n_max. */
  readonly nMax: number;
  /** Largest angular channel l_max. */
  readonly lMax: number;
  /** Gaussian width σ in Å. */
  readonly sigma: number;
  /**
   * Fills `value[l * nMax + n]` = I_nl(r) and, when given, `d1[...]` = dI_nl/dr and
   * `d2[...]` = d²I_nl/dr².
   * @param r neighbour distance in Å (≥ 0).
   */
  evaluate(r: number, value: Float64Array, d1?: Float64Array, d2?: Float64Array): void;
}

/** Cutoff padding δ = σ √(−2 ln 10⁻³): neighbours are used up to r_cut + δ (DScribe). */
export function cutoffPadding(sigma: number): number {
  return sigma * Math.sqrt(-2 * Math.log(1e-3));
}
