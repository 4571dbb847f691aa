import { writeFile } from 'node:fs/promises';
import { AtomenvError } from '../errors.js';
import { encodeNpy, type NpyDtype } from '../io/npy.js';

/**
 * Writes an array to a NumPy `.npy` file (little-endian, C order), readable with `numpy.load`.
 * `dtype` defaults to the type of `values`; with another dtype the values are converted.
 * Throws INVALID_PARAMETER when `shape` does not match `values.length` and IO_ERROR when the
 * file cannot be written.
 *
 * ```ts
 * const { values, shape } = acsf.create(structure);
 * await writeNpy('features.npy', values, shape);
 * ```
 */
export async function writeNpy(
  path: string,
  values: Float64Array | Float32Array | Int32Array,
  shape: readonly number[],
  dtype?: NpyDtype,
): Promise<void> {
  const bytes = encodeNpy(values, shape, dtype);
  try {
    await writeFile(path, bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AtomenvError('IO_ERROR', `cannot write the file: ${reason}`, { file: path });
  }
}
