import { AtomenvError } from '../errors.js';

/** An n-dimensional array as plain JSON: C-order values and their shape. */
export interface JsonArray {
  shape: number[];
  values: number[];
}

/**
 * Wraps flat C-order values and their shape as a plain JSON object. Throws INVALID_PARAMETER
 * if the product of the shape differs from the number of values.
 */
export function encodeJsonArray(values: ArrayLike<number>, shape: readonly number[]): JsonArray {
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new AtomenvError('INVALID_PARAMETER', `shape must be non-negative integers, got [${shape.join(', ')}]`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== values.length) {
    throw new AtomenvError('INVALID_PARAMETER', `shape [${shape.join(', ')}] holds ${size} values but there are ${values.length}`);
  }
  return { shape: [...shape], values: Array.from(values) };
}

/**
 * JSON text of a value, numbers with full round-trip precision. Typed arrays become arrays.
 * A NaN or infinite number throws INVALID_PARAMETER naming its key, instead of becoming `null`.
 */
export function stringifyJson(value: unknown, indent?: number): string {
  // Fast paths (the CLI writes results number by number and array by array): a finite number's
  // JSON is its String(), and so is each element of a finite numeric typed array's join. A
  // non-finite value takes the general path, which names it.
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (indent === undefined && isFiniteNumberArray(value)) return `[${value.join(',')}]`;
  return JSON.stringify(
    value,
    (key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) {
        throw new AtomenvError('INVALID_PARAMETER', `cannot write ${v} to JSON (at key '${key}'); JSON has no NaN or Infinity`);
      }
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
      return v;
    },
    indent,
  );
}

/** A Float64Array, Float32Array or Int32Array whose values are all finite. */
function isFiniteNumberArray(value: unknown): value is Float64Array | Float32Array | Int32Array {
  if (value instanceof Int32Array) return true;
  if (!(value instanceof Float64Array || value instanceof Float32Array)) return false;
  for (let k = 0; k < value.length; k++) if (!Number.isFinite(value[k]!)) return false;
  return true;
}
