import { AtomenvError } from '../errors.js';
import { textLines } from '../io/lines.js';
import { fields, toInteger, toReal } from '../io/parseContext.js';

/** Statistics of one symmetry function from `scaling.data`. */
export interface SymmetryFunctionStatistics {
  min: number;
  max: number;
  mean: number;
  /** NaN when the file has no sigma column. */
  sigma: number;
}

/**
 * Reads n2p2's `scaling.data`: `#` lines are skipped; each data line is
 * `e_index sf_index Gmin Gmax Gmean [Gsigma]`, 1-based, element by element in sorted order.
 * `counts[e]` is the number of symmetry functions of element e; every one must be listed once,
 * in order. Throws PARSE_ERROR naming `file` and the line.
 */
export function parseScalingData(text: string, counts: readonly number[], file = 'scaling.data'): SymmetryFunctionStatistics[][] {
  const out: SymmetryFunctionStatistics[][] = counts.map(() => []);
  let e = 0;
  let lastLine = 0;
  for (const { text: raw, number } of textLines(text)) {
    lastLine = number;
    const trimmed = raw.trim();
    if (trimmed.length === 0 || trimmed.startsWith('#')) continue;
    const fail = (message: string): never => {
      throw new AtomenvError('PARSE_ERROR', message, { file, line: number });
    };
    const tokens = fields(trimmed);
    if (tokens.length < 5 || tokens.length > 6) fail(`expected 'e_index sf_index Gmin Gmax Gmean [Gsigma]', got ${tokens.length} fields`);
    const elementIndex = toInteger(tokens[0]!);
    const sfIndex = toInteger(tokens[1]!);
    if (elementIndex === undefined || sfIndex === undefined) fail(`the element and symmetry-function indices must be integers, got '${tokens[0]}' '${tokens[1]}'`);
    while (e < counts.length && out[e]!.length === counts[e]) e++;
    if (e >= counts.length) fail(`more lines than symmetry functions (${counts.reduce((a, b) => a + b, 0)} in input.nn)`);
    if (elementIndex !== e + 1 || sfIndex !== out[e]!.length + 1) {
      fail(`expected element ${e + 1}, symmetry function ${out[e]!.length + 1} here (input.nn defines ${counts.join(', ')} per element), got ${elementIndex} ${sfIndex}`);
    }
    const values = tokens.slice(2).map((t, k) => {
      const v = toReal(t);
      if (v === undefined || !Number.isFinite(v)) fail(`${['Gmin', 'Gmax', 'Gmean', 'Gsigma'][k]} is not a number: '${t}'`);
      return v!;
    });
    const [min, max, mean, sigma = NaN] = values as [number, number, number, number?];
    if (min > max) fail(`Gmin (${min}) is larger than Gmax (${max})`);
    out[e]!.push({ min, max, mean, sigma });
  }
  counts.forEach((n, k) => {
    if (out[k]!.length !== n) {
      // An empty file has no line to name.
      throw new AtomenvError('PARSE_ERROR', `element ${k + 1} has ${out[k]!.length} lines but input.nn defines ${n} symmetry functions for it`, lastLine > 0 ? { file, line: lastLine } : { file });
    }
  });
  return out;
}

/** 1-based line numbers of the data lines of a `scaling.data` (neither blank nor `#`), in order. */
export function scalingDataLines(text: string): number[] {
  const lines: number[] = [];
  for (const { text: raw, number } of textLines(text)) {
    const trimmed = raw.trim();
    if (trimmed.length > 0 && !trimmed.startsWith('#')) lines.push(number);
  }
  return lines;
}
