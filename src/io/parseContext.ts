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

/**
 * Whitespace-separated fields of a line (as `text.trim().split(/\s+/)`, none for a blank line).
 * Scanned by hand: a regular-expression split per line was most of a cold parse.
 */
export function fields(text: string): string[] {
  const out: string[] = [];
  const n = text.length;
  let k = 0;
  for (;;) {
    while (k < n && isWhitespace(text.charCodeAt(k))) k++;
    if (k === n) return out;
    const start = k;
    while (k < n && !isWhitespace(text.charCodeAt(k))) k++;
    out.push(text.slice(start, k));
  }
}

/** The first whitespace-separated field of a line, or '' for a blank line. */
export function firstField(text: string): string {
  const n = text.length;
  let k = 0;
  while (k < n && isWhitespace(text.charCodeAt(k))) k++;
  const start = k;
  while (k < n && !isWhitespace(text.charCodeAt(k))) k++;
  return text.slice(start, k);
}

/** JavaScript's `\s` (WhiteSpace and LineTerminator, what `trim` removes) for one UTF-16 code unit. */
export function isWhitespace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * The number in a token, or undefined if the token is not a plain decimal number:
 * `[+-]? (digits [. digits?] | . digits) ([eEdD] [+-]? digits)?` (Fortran writes the exponent
 * with D). Checked by hand, without a regular expression per token.
 */
export function toReal(token: string): number | undefined {
  const n = token.length;
  let k = 0;
  let c = n > 0 ? token.charCodeAt(0) : 0;
  if (c === 0x2b || c === 0x2d) c = ++k < n ? token.charCodeAt(k) : 0;
  let digits = 0;
  while (c >= 0x30 && c <= 0x39) { digits++; c = ++k < n ? token.charCodeAt(k) : 0; }
  if (c === 0x2e) {
    c = ++k < n ? token.charCodeAt(k) : 0;
    while (c >= 0x30 && c <= 0x39) { digits++; c = ++k < n ? token.charCodeAt(k) : 0; }
  }
  if (digits === 0) return undefined;
  let fortran = false;
  if (k < n) {
    if (c === 0x64 || c === 0x44) fortran = true;
    else if (c !== 0x65 && c !== 0x45) return undefined;
    c = ++k < n ? token.charCodeAt(k) : 0;
    if (c === 0x2b || c === 0x2d) c = ++k < n ? token.charCodeAt(k) : 0;
    let exponent = 0;
    while (k < n && c >= 0x30 && c <= 0x39) { exponent++; c = ++k < n ? token.charCodeAt(k) : 0; }
    if (exponent === 0 || k < n) return undefined;
  }
  return Number(fortran ? token.replace(/[dD]/, 'e') : token);
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
