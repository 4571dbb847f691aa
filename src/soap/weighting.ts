/**
 * Radial weighting of SOAP's neighbour Gaussians (DScribe's `weighting=`), and DScribe's rule for
 * inferring r_cut from it. r is the distance from the centre to the neighbour, in Å.
 */

/** Weighting functions DScribe supports. */
export type SOAPWeightingFunction = 'poly' | 'pow' | 'exp';

/** The weighting functions, in the order error messages list them. */
export const SOAP_WEIGHTING_FUNCTIONS: readonly SOAPWeightingFunction[] = ['poly', 'pow', 'exp'];

/** DScribe's default for `threshold` (the weight at which r_cut is placed when inferred). */
export const DEFAULT_WEIGHTING_THRESHOLD = 1e-2;

/**
 * Validated weighting of the neighbour Gaussians. Parameters a function does not use are 0
 * (`d` for poly, `m` for exp, all four when `function` is null).
 */
export interface SOAPWeighting {
  /** The weighting function, or null when only `w0` is set (weight 1 elsewhere). */
  readonly function: SOAPWeightingFunction | null;
  /** Length scale r0 in Å (> 0). */
  readonly r0: number;
  /** Prefactor c (≥ 0). */
  readonly c: number;
  /** Offset d in the denominator of pow and exp (≥ 0). */
  readonly d: number;
  /** Exponent m of poly and pow (≥ 0). */
  readonly m: number;
  /** Weight t at which an omitted r_cut is placed (pow, exp; default 0.01). */
  readonly threshold: number;
  /** Weight of a neighbour exactly on the centre (r = 0), overriding the function; null: no override. */
  readonly w0: number | null;
}

/** Caro's polynomial: `c (1 + 2 (r/r0)³ − 3 (r/r0)²)^m` for r ≤ r0, else 0 (reaches 0 smoothly at r0). */
export function weightPoly(r: number, r0: number, c: number, m: number): number {
  if (r > r0) return 0;
  const x = r / r0;
  return c * Math.pow(1 + 2 * x * x * x - 3 * x * x, m);
}

/** Willatt's power law: `c / (d + (r/r0)^m)`. */
export function weightPow(r: number, r0: number, c: number, d: number, m: number): number {
  return c / (d + Math.pow(r / r0, m));
}

/**
 * DScribe's "exp" weight: `c / (d + exp(−r/r0))`. As documented and implemented by DScribe this
 * grows with r (from c/(d+1) at r = 0 towards c/d); it is reproduced as is.
 */
export function weightExp(r: number, r0: number, c: number, d: number): number {
  return c / (d + Math.exp(-r / r0));
}

/**
 * Weight of a neighbour at distance r: 1 without weighting; `w0` for r exactly 0 when set (as
 * DScribe, an exact comparison); otherwise the weighting function (1 when there is none).
 */
export function soapWeight(weighting: SOAPWeighting | null, r: number): number {
  if (weighting === null) return 1;
  if (r === 0 && weighting.w0 !== null) return weighting.w0;
  const { r0, c, d, m } = weighting;
  switch (weighting.function) {
    case 'poly':
      return weightPoly(r, r0, c, m);
    case 'pow':
      return weightPow(r, r0, c, d, m);
    case 'exp':
      return weightExp(r, r0, c, d);
    default:
      return 1;
  }
}

/**
 * DScribe's r_cut for a weighting when `r_cut` is not given (t = threshold):
 * poly → r0 (where it reaches 0); pow → r0 (c/t − d)^{1/m} (where pow decays to t);
 * exp → r0 ln(c/t − d) (where a *decaying* `c/(d + e^{r/r0})` would reach t, so not where the
 * implemented, growing exp weight reaches t). Returns null when there is no weighting function.
 * The result may be NaN or ≤ 0 for unsuitable parameters; the caller checks it.
 */
export function inferRCutFromWeighting(weighting: SOAPWeighting | null): number | null {
  if (weighting === null) return null;
  const { r0, c, d, m, threshold: t } = weighting;
  switch (weighting.function) {
    case 'poly':
      return r0;
    case 'pow':
      return r0 * Math.pow(c / t - d, 1 / m);
    case 'exp':
      return r0 * Math.log(c / t - d);
    default:
      return null;
  }
}
