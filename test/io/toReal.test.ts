import { describe, expect, test } from 'vitest';
import { toReal } from '../../src/io/parseContext.js';

// toReal accepts exactly the plain decimal grammar below (Fortran D exponent included) without a
// regular expression per token; checked here against that grammar on every short token.
const REAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eEdD][+-]?\d+)?$/;
const byGrammar = (t: string): number | undefined => (REAL.test(t) ? Number(t.replace(/[dD]/, 'e')) : undefined);

describe('toReal', () => {
  test('agrees with the grammar on every token of up to 4 characters from a tricky alphabet', () => {
    const alphabet = ['1', '0', '.', '+', '-', 'e', 'E', 'd', 'D', 'x', 'X', 'o', 'b', ' ', '\t', 'I', 'n', 'f', 'y', '_'];
    let mismatches = 0;
    const visit = (t: string, depth: number): void => {
      if (!Object.is(toReal(t), byGrammar(t))) mismatches++;
      if (depth < 4) for (const c of alphabet) visit(t + c, depth + 1);
    };
    visit('', 0);
    expect(mismatches).toBe(0);
  });

  test('named cases', () => {
    for (const t of ['Infinity', '-Infinity', 'NaN', '0x10', '0X1f', '0b1', '0O7', '1_0', '', ' 1', '1 ', '.', '+.5', '-5.', '5.e3', '1.5D-03', '1e1000', '3.3161137848673654E+01', '\u00a01']) {
      expect(Object.is(toReal(t), byGrammar(t))).toBe(true);
    }
    expect(toReal('1.5D-03')).toBe(1.5e-3);
    expect(toReal('0x10')).toBeUndefined();
    expect(toReal('Infinity')).toBeUndefined();
  });
});
