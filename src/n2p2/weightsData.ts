import { AtomenvError } from '../errors.js';
import { textLines } from '../io/lines.js';
import { toReal } from '../io/parseContext.js';

/**
 * Reads an n2p2 `weights.XXX.data`: `#` lines are skipped and only the first column (the value)
 * is read. `expected` is the number of weights and biases of the network; fewer or more values
 * throw PARSE_ERROR naming `file` and the line.
 */
export function parseWeights(text: string, expected: number, file: string): Float64Array {
  const out = new Float64Array(expected);
  let n = 0;
  let lastLine = 0;
  for (const { text: raw, number } of textLines(text)) {
    lastLine = number;
    const trimmed = raw.trim();
    if (trimmed.length === 0 || trimmed.startsWith('#')) continue;
    const token = trimmed.split(/\s+/, 1)[0]!;
    const v = toReal(token);
    if (v === undefined || !Number.isFinite(v)) {
      throw new AtomenvError('PARSE_ERROR', `a weight is not a number: '${token}'`, { file, line: number });
    }
    if (n === expected) {
      throw new AtomenvError('PARSE_ERROR', `more values than the ${expected} weights and biases of the network in input.nn`, { file, line: number });
    }
    out[n++] = v;
  }
  if (n !== expected) {
    // An empty file has no line to name.
    throw new AtomenvError('PARSE_ERROR', `${n} values, but the network in input.nn has ${expected} weights and biases`, lastLine > 0 ? { file, line: lastLine } : { file });
  }
  return out;
}

/** n2p2's weight file name of an element: `weights.` + atomic number with 3 digits + `.data`. */
export function weightsFileName(atomicNumber: number): string {
  return `weights.${String(atomicNumber).padStart(3, '0')}.data`;
}
