import { describe, expect, test } from 'vitest';
import { AtomenvError } from '../../src/errors.js';
import { stringifyJson } from '../../src/io/json.js';

// stringifyJson writes finite numbers and finite numeric typed arrays without a replacer; the
// text must be what JSON.stringify writes, and non-finite values must still throw naming the key.
const values = [0, -0, 1, -1, 0.1, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, -2.5e-8, Math.PI, 1 / 3, 2 ** 53, 100, 1e20, -27564.547347815922];
for (let i = 0; i < 2000; i++) values.push(Math.sin(i * 7.3) * 10 ** ((i % 61) - 30));

describe('stringifyJson fast paths', () => {
  test('numbers: the text of JSON.stringify', () => {
    for (const v of values) expect(stringifyJson(v)).toBe(JSON.stringify(v));
  });

  test('Float64Array, Float32Array, Int32Array: the text of JSON.stringify of the plain array', () => {
    for (const array of [Float64Array.from(values), Float32Array.from(values.filter((v) => Math.abs(v) < 1e38)), Int32Array.from(values, (v) => Math.trunc(v) | 0), new Float64Array(0)]) {
      expect(stringifyJson(array)).toBe(JSON.stringify(Array.from(array)));
    }
  });

  test('a non-finite element still throws INVALID_PARAMETER naming its index', () => {
    const array = Float64Array.from([1, 2, Number.NaN, 4]);
    expect(() => stringifyJson(array)).toThrow(AtomenvError);
    expect(() => stringifyJson(array)).toThrow("at key '2'");
    expect(() => stringifyJson(Number.POSITIVE_INFINITY)).toThrow("at key ''");
  });
});
