import { AtomenvError, type AtomenvErrorCode } from '../errors.js';
import { atomicNumber, elementSymbol } from '../structure/elements.js';
import type { Line } from './lines.js';

/** Options every text parser accepts, so that errors can name the file, line and frame. */
export interface ParseOptions {
  /** File name to put into error messages. */
  file?: string;
  /** Line number of the first line of the text (default 1). */
  firstLine?: number;
  /** Index of the first frame in the text (default 0). */
  firstFrame?: number;
}

/** What a frame reader knows about where it is: the file and the 0-based frame index. */
export interface ParseContext {
  readonly file?: string;
  readonly frame: number;
}

/** An {@link AtomenvError} located at a line of the current frame. */
export function parseError(
  context: ParseContext,
  line: number,
  message: string,
  code: AtomenvErrorCode = 'PARSE_ERROR',
): AtomenvError {
  const location = { line, frame: context.frame, ...(context.file !== undefined ? { file: context.file } : {}) };
  return new AtomenvError(code, message, location);
}

/** Whitespace-separated fields of a line. */
export function fields(text: string): string[] {
  const trimmed = text.trim();
  return trimmed.length === 0 ? [] : trimmed.split(/\s+/);
}

// Decimal number, optionally with an exponent; Fortran writes the exponent with D.
const REAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eEdD][+-]?\d+)?$/;

/**
 * The number in a token, or undefined if the token is not a plain decimal number
 * (`[+-]? (digits [. digits?] | . digits) ([eEdD] [+-]? digits)?`; Fortran writes the exponent
 * with D). Number() accepts that grammar with e/E, and beyond it only surrounding whitespace,
 * '' (0), Infinity and 0x/0o/0b literals, which the first and last characters rule out: no
 * regular expression per token (most of a cold parse), except for the D exponent.
 */
export function toReal(token: string): number | undefined {
  const v = Number(token);
  if (v !== v) return REAL.test(token) ? Number(token.replace(/[dD]/, 'e')) : undefined;
  const n = token.length;
  if (n === 0) return undefined;
  const first = token.charCodeAt(0), last = token.charCodeAt(n - 1);
  if (!(isDigit(first) || first === 0x2b || first === 0x2d || first === 0x2e) || !(isDigit(last) || last === 0x2e)) return undefined;
  if (first === 0x30 && n > 1) {
    const radix = token.charCodeAt(1) | 0x20; // lower case
    if (radix === 0x78 || radix === 0x6f || radix === 0x62) return undefined;
  }
  return v;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

const INTEGER = /^[+-]?\d+$/;

/** The integer in a token, or undefined if the token is not an integer. */
export function toInteger(token: string): number | undefined {
  return INTEGER.test(token) ? Number(token) : undefined;
}

/** Reads a number from a token; `what` names it in the error (e.g. "x coordinate of atom 3"). */
export function readReal(context: ParseContext, line: Line, token: string | undefined, what: string): number {
  const value = token === undefined ? undefined : toReal(token);
  if (value === undefined) {
    throw parseError(context, line.number, token === undefined ? `missing ${what}` : `${what} is not a number: '${token}'`);
  }
  if (!Number.isFinite(value)) throw parseError(context, line.number, `${what} overflows float64: '${token}'`);
  return value;
}

/** Reads `count` numbers starting at `tokens[from]`; `what` names the group in errors. */
export function readReals(
  context: ParseContext,
  line: Line,
  tokens: readonly string[],
  from: number,
  count: number,
  what: string,
): number[] {
  const out: number[] = [];
  for (let k = 0; k < count; k++) out.push(readReal(context, line, tokens[from + k], `${what} component ${k + 1}`));
  return out;
}

/** Atomic number of an element symbol, or of an integer token; UNKNOWN_ELEMENT naming the line otherwise. */
export function readElement(context: ParseContext, line: Line, token: string): number {
  const z = toInteger(token);
  try {
    if (z === undefined) return atomicNumber(token);
    elementSymbol(z); // throws for an atomic number out of range
    return z;
  } catch {
    throw parseError(context, line.number, `unknown element '${token}'`, 'UNKNOWN_ELEMENT');
  }
}
