/**
 * Tabulated SOAP radial integrals: piecewise Hermite interpolation of I_nl(r) on a uniform grid
 * over [0, r_max] (r_max = r_cut + δ), with the number of knots chosen automatically.
 *
 * Grid: K intervals, h = r_max / K, knots r_i = i h (i = 0..K). On [r_i, r_{i+1}], t = r/h − i:
 *  - quintic (order 5, default), from f, f', f'' at both knots:
 *      f(t) = H0 f_i + h H1 f'_i + h² H2 f''_i + H5 f_{i+1} + h H4 f'_{i+1} + h² H3 f''_{i+1}
 *      H0 = 1 − 10t³ + 15t⁴ − 6t⁵,  H1 = t − 6t³ + 8t⁴ − 3t⁵,  H2 = (t² − 3t³ + 3t⁴ − t⁵)/2,
 *      H5 = 10t³ − 15t⁴ + 6t⁵,      H4 = −4t³ + 7t⁴ − 3t⁵,     H3 = (t³ − 2t⁴ + t⁵)/2
 *  - cubic (order 3), from f, f':
 *      f(t) = (2t³ − 3t² + 1) f_i + h (t³ − 2t² + t) f'_i + (3t² − 2t³) f_{i+1} + h (t³ − t²) f'_{i+1}
 *  dI/dr is the derivative of the same polynomial (dt/dr = 1/h).
 *
 * Memory layout of `data` (float64, what a wasm kernel reads; knot-major so that one interval
 * is two adjacent contiguous blocks and all channels of one neighbour vectorise):
 *   data[(i * D + d) * M + c]
 *   i = knot 0..K, d = 0: I, 1: dI/dr, 2: d²I/dr² (quintic only; D = 2 cubic, 3 quintic),
 *   M = (l_max+1)·n_max channels, c = l * n_max + n.
 * So the logical table of channel (n, l) is the strided column c; the block of knot i has
 * D·M doubles starting at i·D·M, and interval i reads 2·D·M consecutive doubles.
 *
 * Knot count: start at K₀ intervals, build, measure the error against the exact evaluator at
 * the midpoint of every interval (where Hermite errors peak), relative per channel to max |I_nl| (over knots and test points);
 * while above `safety · tolerance`, grow K by (error / target)^{1/(order+1)} (error ∝ h^{order+1}).
 */
import { invalidParameter } from '../../errors.js';
import type { GtoRadialBasis } from '../radial/gto.js';
import type { PolynomialRadialBasis } from '../radial/polynomial.js';
import { createGtoRadialIntegrals } from './gtoIntegrals.js';
import { createPolynomialRadialIntegrals } from './polynomialIntegrals.js';
import { cutoffPadding, type RadialIntegralEvaluator } from './types.js';

/** Options of {@link buildRadialIntegralTable}. */
export interface RadialIntegralTableOptions {
  /** Hermite order: 5 (quintic, uses d²I/dr²; default) or 3 (cubic). */
  order?: 3 | 5;
  /** Largest allowed error relative to max |I_nl| per channel; default 1e-10. */
  tolerance?: number;
  /** The build aims at safety · tolerance at the check points; default 0.5. */
  safety?: number;
  /** Starting number of intervals; default 32. */
  initialIntervals?: number;
  /** Upper bound on the number of intervals; default 200000. */
  maxIntervals?: number;
  /**
   * Fills the table at K intervals and measures its error (default: `evaluator` in JavaScript);
   * the GTO basis passes its wasm builder, which computes the same table.
   */
  tabulate?: (intervals: number) => TableAttempt;
}

/** A tabulation of I_nl(r) for all channels (see the file comment for the layout of `data`). */
export interface RadialIntegralTable {
  /** Hermite order, 3 or 5. */
  readonly order: 3 | 5;
  /** Number of radial functions n_max. */
  readonly nMax: number;
  /** Largest l. */
  readonly lMax: number;
  /** Channels M = (l_max+1)·n_max; channel c = l·n_max + n. */
  readonly channels: number;
  /** Values stored per knot and channel, D = 2 (cubic: I, I') or 3 (quintic: I, I', I''). */
  readonly derivatives: number;
  /** Upper end of the grid r_max in Å (the grid starts at 0). */
  readonly rMax: number;
  /** Number of intervals K (knots K + 1). */
  readonly intervals: number;
  /** Knot spacing h = r_max / K in Å. */
  readonly spacing: number;
  /** 1 / h. */
  readonly invSpacing: number;
  /** data[(i·D + d)·M + c], length (K+1)·D·M. */
  readonly data: Float64Array;
  /** max |I_c| per channel over knots and check points (the error scale). */
  readonly scale: Float64Array;
  /** Largest error at the check points (interval midpoints) relative to `scale`, per channel max. */
  readonly maxRelativeError: number;
  /** Build iterations (tables built). */
  readonly iterations: number;
}

/** Tabulates `evaluator` on K intervals of [0, rMax]. */
function fillTable(evaluator: RadialIntegralEvaluator, rMax: number, intervals: number, order: 3 | 5): Float64Array {
  const channels = (evaluator.lMax + 1) * evaluator.nMax;
  const derivatives = order === 5 ? 3 : 2;
  const block = derivatives * channels;
  const data = new Float64Array((intervals + 1) * block);
  const h = rMax / intervals;
  for (let i = 0; i <= intervals; i++) {
    const r = i === intervals ? rMax : i * h;
    const offset = i * block;
    evaluator.evaluate(
      r,
      data.subarray(offset, offset + channels),
      data.subarray(offset + channels, offset + 2 * channels),
      order === 5 ? data.subarray(offset + 2 * channels, offset + 3 * channels) : undefined,
    );
  }
  return data;
}

/** What evaluation needs of a table (also satisfied while a table is being built). */
type TableGeometry = Pick<
  RadialIntegralTable,
  'order' | 'channels' | 'derivatives' | 'rMax' | 'intervals' | 'spacing' | 'invSpacing' | 'data'
>;

/**
 * Interpolated I_nl(r) (and dI_nl/dr) for every channel from a table.
 * r is clamped to [0, r_max].
 * @param table from {@link buildRadialIntegralTable}.
 * @param r distance in Å.
 * @param out receives I at `out[l * nMax + n]`.
 * @param dOut optional, receives dI/dr.
 * @returns `out`.
 */
export function evaluate(table: TableGeometry, r: number, out: Float64Array, dOut?: Float64Array): Float64Array {
  const { channels: m, derivatives: dd, intervals, spacing: h, invSpacing, data } = table;
  const x = Math.min(Math.max(r, 0), table.rMax) * invSpacing;
  const i = Math.min(Math.floor(x), intervals - 1);
  const t = x - i;
  const t2 = t * t;
  const t3 = t2 * t;
  const a = i * dd * m; // knot i block
  const b = a + dd * m; // knot i+1 block
  if (table.order === 5) {
    const t4 = t3 * t;
    const t5 = t4 * t;
    // Value weights (h, h² folded in).
    const w0 = 1 - 10 * t3 + 15 * t4 - 6 * t5;
    const w1 = h * (t - 6 * t3 + 8 * t4 - 3 * t5);
    const w2 = h * h * 0.5 * (t2 - 3 * t3 + 3 * t4 - t5);
    const w5 = 10 * t3 - 15 * t4 + 6 * t5;
    const w4 = h * (-4 * t3 + 7 * t4 - 3 * t5);
    const w3 = h * h * 0.5 * (t3 - 2 * t4 + t5);
    for (let c = 0; c < m; c++) {
      out[c] =
        w0 * data[a + c]! + w1 * data[a + m + c]! + w2 * data[a + 2 * m + c]! +
        w5 * data[b + c]! + w4 * data[b + m + c]! + w3 * data[b + 2 * m + c]!;
    }
    if (dOut) {
      // d/dr = (1/h) d/dt.
      const v0 = invSpacing * (-30 * t2 + 60 * t3 - 30 * t4);
      const v1 = 1 - 18 * t2 + 32 * t3 - 15 * t4;
      const v2 = h * 0.5 * (2 * t - 9 * t2 + 12 * t3 - 5 * t4);
      const v5 = -v0;
      const v4 = -12 * t2 + 28 * t3 - 15 * t4;
      const v3 = h * 0.5 * (3 * t2 - 8 * t3 + 5 * t4);
      for (let c = 0; c < m; c++) {
        dOut[c] =
          v0 * data[a + c]! + v1 * data[a + m + c]! + v2 * data[a + 2 * m + c]! +
          v5 * data[b + c]! + v4 * data[b + m + c]! + v3 * data[b + 2 * m + c]!;
      }
    }
  } else {
    const w0 = 2 * t3 - 3 * t2 + 1;
    const w1 = h * (t3 - 2 * t2 + t);
    const w2 = 3 * t2 - 2 * t3;
    const w3 = h * (t3 - t2);
    for (let c = 0; c < m; c++) {
      out[c] = w0 * data[a + c]! + w1 * data[a + m + c]! + w2 * data[b + c]! + w3 * data[b + m + c]!;
    }
    if (dOut) {
      const v0 = invSpacing * (6 * t2 - 6 * t);
      const v1 = 3 * t2 - 4 * t + 1;
      const v2 = -v0;
      const v3 = 3 * t2 - 2 * t;
      for (let c = 0; c < m; c++) {
        dOut[c] = v0 * data[a + c]! + v1 * data[a + m + c]! + v2 * data[b + c]! + v3 * data[b + m + c]!;
      }
    }
  }
  return out;
}

/** One tabulation at K intervals: the data, max |I_c| per channel and the worst relative midpoint error. */
export interface TableAttempt {
  readonly data: Float64Array;
  readonly scale: Float64Array;
  readonly worst: number;
}

/**
 * Tabulates `evaluator` on K intervals and measures the error at the interval midpoints, where
 * Hermite interpolation errs most: the error of the interpolant is f⁽⁶⁾(ξ) h⁶ t³(1−t)³/6!
 * (quintic) or f⁽⁴⁾(ξ) h⁴ t²(1−t)²/4! (cubic), largest at t = ½.
 */
function jsTabulator(evaluator: RadialIntegralEvaluator, rMax: number, order: 3 | 5): (intervals: number) => TableAttempt {
  const channels = (evaluator.lMax + 1) * evaluator.nMax;
  const derivatives = order === 5 ? 3 : 2;
  const exact = new Float64Array(channels);
  const interpolated = new Float64Array(channels);
  const error = new Float64Array(channels);
  return (intervals) => {
    const data = fillTable(evaluator, rMax, intervals, order);
    const spacing = rMax / intervals;
    const geometry: TableGeometry = { order, channels, derivatives, rMax, intervals, spacing, invSpacing: intervals / rMax, data };
    const scale = new Float64Array(channels);
    error.fill(0);
    for (let i = 0; i <= intervals; i++) {
      for (let c = 0; c < channels; c++) scale[c] = Math.max(scale[c]!, Math.abs(data[i * derivatives * channels + c]!));
    }
    for (let i = 0; i < intervals; i++) {
      const r = (i + 0.5) * spacing;
      evaluator.evaluate(r, exact);
      evaluate(geometry, r, interpolated);
      for (let c = 0; c < channels; c++) {
        scale[c] = Math.max(scale[c]!, Math.abs(exact[c]!));
        error[c] = Math.max(error[c]!, Math.abs(interpolated[c]! - exact[c]!));
      }
    }
    let worst = 0;
    for (let c = 0; c < channels; c++) if (scale[c]! > 0) worst = Math.max(worst, error[c]! / scale[c]!);
    return { data, scale, worst };
  };
}

/**
 * Builds a Hermite table of I_nl(r) on [0, rMax] with automatically chosen knots (see the file
 * comment for the method and the layout).
 * @param evaluator exact I_nl (e.g. `createGtoRadialIntegrals`, `createPolynomialRadialIntegrals`).
 * @param rMax upper end in Å, normally r_cut + δ (`cutoffPadding(σ)`).
 * @param options order, tolerance, safety, initial / maximal interval counts.
 * @throws AtomenvError `INVALID_PARAMETER` for bad options or when `maxIntervals` is not enough.
 */
export function buildRadialIntegralTable(
  evaluator: RadialIntegralEvaluator,
  rMax: number,
  options: RadialIntegralTableOptions = {},
): RadialIntegralTable {
  const order = options.order ?? 5;
  const tolerance = options.tolerance ?? 1e-10;
  const safety = options.safety ?? 0.5;
  const maxIntervals = options.maxIntervals ?? 200000;
  let intervals = options.initialIntervals ?? 32;
  if (order !== 3 && order !== 5) invalidParameter(`radial integral table: order must be 3 or 5, got ${order}`);
  if (!(rMax > 0) || !Number.isFinite(rMax)) invalidParameter(`radial integral table: rMax must be positive and finite, got ${rMax}`);
  if (!(tolerance > 0) || !(safety > 0 && safety <= 1)) invalidParameter('radial integral table: need tolerance > 0 and 0 < safety ≤ 1');
  if (!Number.isInteger(intervals) || intervals < 1) invalidParameter(`radial integral table: initialIntervals must be an integer ≥ 1`);

  const { nMax, lMax } = evaluator;
  const channels = (lMax + 1) * nMax;
  const derivatives = order === 5 ? 3 : 2;
  const tabulate = options.tabulate ?? jsTabulator(evaluator, rMax, order);
  const target = safety * tolerance;
  let previousWorst = Infinity;
  for (let iterations = 1; ; iterations++) {
    const { data, scale, worst } = tabulate(intervals);
    const spacing = rMax / intervals;
    const table: RadialIntegralTable = {
      order, nMax, lMax, channels, derivatives, rMax, intervals, spacing,
      invSpacing: intervals / rMax, data, scale, maxRelativeError: 0, iterations,
    };
    if (worst <= target) return { ...table, maxRelativeError: worst };
    // Refining a grid divides a smooth function's error by ≥ 1.25^(order+1) ≈ 3.8 (quintic); when
    // it no longer drops, the error is the exact integrals' own rounding (an ill-conditioned
    // basis), which no grid can beat: stop now rather than after minutes at maxIntervals.
    if (intervals >= 1000 && worst > 0.7 * previousWorst) {
      invalidParameter(
        `radial integral table: the radial integrals cannot be tabulated to ${tolerance} (error stays at ${worst.toExponential(2)} ` +
          `with ${intervals} intervals: the basis is too ill-conditioned in float64; use a smaller nMax or a narrower sigma)`,
      );
    }
    previousWorst = worst;
    if (intervals >= maxIntervals) {
      invalidParameter(`radial integral table: error ${worst.toExponential(2)} still above ${target} with ${intervals} intervals`);
    }
    // error ∝ h^{order+1}: grow K by (worst/target)^{1/(order+1)}, with 10 % margin, at least ×1.25.
    const growth = Math.max(1.25, 1.1 * (worst / target) ** (1 / (order + 1)));
    intervals = Math.min(maxIntervals, Math.ceil(intervals * growth));
  }
}

/**
 * Table of the GTO radial integrals on [0, r_cut + δ].
 * @param basis from `gtoRadialBasis`.
 * @param sigma Gaussian width σ in Å.
 * @param options see {@link RadialIntegralTableOptions}.
 */
export function gtoRadialIntegralTable(
  basis: GtoRadialBasis,
  sigma: number,
  options?: RadialIntegralTableOptions,
): RadialIntegralTable {
  return buildRadialIntegralTable(createGtoRadialIntegrals(basis, sigma), basis.rCut + cutoffPadding(sigma), options);
}

/**
 * Table of the polynomial-basis radial integrals (DScribe's 100-point rule) on [0, r_cut + δ].
 * @param basis from `polynomialRadialBasis`.
 * @param lMax largest l.
 * @param sigma Gaussian width σ in Å.
 * @param options see {@link RadialIntegralTableOptions}.
 */
export function polynomialRadialIntegralTable(
  basis: PolynomialRadialBasis,
  lMax: number,
  sigma: number,
  options?: RadialIntegralTableOptions,
): RadialIntegralTable {
  return buildRadialIntegralTable(
    createPolynomialRadialIntegrals(basis, lMax, sigma),
    basis.rCut + cutoffPadding(sigma),
    options,
  );
}
