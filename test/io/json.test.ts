import { describe, expect, it } from 'vitest';
import { encodeJsonArray, stringifyJson } from '../../src/io/json.js';
import { catchAtomenvError } from '../helpers/errors.js';

describe('encodeJsonArray', () => {
  it('wraps typed-array values with their shape', () => {
    expect(encodeJsonArray(new Float32Array([1, 2, 3, 4]), [2, 2])).toEqual({ shape: [2, 2], values: [1, 2, 3, 4] });
  });

  it('throws when the shape does not match', () => {
    expect(catchAtomenvError(() => encodeJsonArray([1, 2, 3], [2, 2])).code).toBe('INVALID_PARAMETER');
  });
});

describe('stringifyJson', () => {
  it('writes numbers that read back exactly', () => {
    const values = [0.1 + 0.2, Math.PI, 1e-300, -1.2345678901234567e123, 5e-324, 2 ** 53 + 2];
    const text = stringifyJson({ values: new Float64Array(values) });
    expect((JSON.parse(text) as { values: number[] }).values).toEqual(values);
  });

  it('turns typed arrays into arrays and keeps the indent', () => {
    expect(stringifyJson({ a: new Int32Array([1, -2]) })).toBe('{"a":[1,-2]}');
    expect(stringifyJson([1], 2)).toBe('[\n  1\n]');
  });

  it('throws instead of writing null for NaN and Infinity', () => {
    const error = catchAtomenvError(() => stringifyJson({ energy: Number.NaN }));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toContain("'energy'");
    expect(() => stringifyJson({ x: new Float64Array([1, Infinity]) })).toThrow(/Infinity.*'1'/);
    expect(() => stringifyJson([-Infinity])).toThrow(/JSON has no NaN or Infinity/);
  });
});
