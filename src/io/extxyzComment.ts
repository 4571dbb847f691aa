import { AtomenvError } from '../errors.js';

/** A key without `=value` stands for `true`, as in ASE. */
export type CommentValue = string | true;

/**
 * Splits an extended-XYZ comment line into `key=value` pairs, in order. Values (and keys) may be
 * double-quoted, with `\"` and `\\` escapes inside; whitespace around `=` is allowed. Throws a
 * PARSE_ERROR (without location) for an unclosed quote or a missing value.
 */
export function parseCommentPairs(text: string): Map<string, CommentValue> {
  const pairs = new Map<string, CommentValue>();
  let i = 0;
  const skipSpace = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const readWord = (stopAtEquals: boolean): string => {
    if (text[i] === '"') return readQuoted();
    const start = i;
    while (i < text.length && !/\s/.test(text[i]!) && !(stopAtEquals && text[i] === '=')) i++;
    return text.slice(start, i);
  };
  const readQuoted = (): string => {
    const open = i++;
    let out = '';
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\' && i + 1 < text.length) i++;
      out += text[i++];
    }
    if (i >= text.length) throw new AtomenvError('PARSE_ERROR', `unclosed quote at column ${open + 1} of the comment line`);
    i++;
    return out;
  };

  skipSpace();
  while (i < text.length) {
    const keyStart = i;
    const key = readWord(true);
    if (key.length === 0) throw new AtomenvError('PARSE_ERROR', `empty key at column ${keyStart + 1} of the comment line`);
    skipSpace();
    if (text[i] === '=') {
      i++;
      skipSpace();
      if (i >= text.length) throw new AtomenvError('PARSE_ERROR', `key '${key}' has no value`);
      pairs.set(key, readWord(false));
      skipSpace();
    } else {
      pairs.set(key, true);
    }
  }
  return pairs;
}

/** True if the line parses as key=value pairs and at least one key has a value. */
export function hasKeyValuePairs(text: string): boolean {
  try {
    return [...parseCommentPairs(text).values()].some((v) => v !== true);
  } catch {
    return false;
  }
}

/** True if the line parses as key=value pairs and has one of the given keys with a value. */
export function hasAnyKey(text: string, keys: readonly string[]): boolean {
  try {
    const pairs = parseCommentPairs(text);
    return keys.some((k) => typeof pairs.get(k) === 'string');
  } catch {
    return false;
  }
}
