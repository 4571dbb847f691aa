import { AtomenvError } from '../errors.js';

/** Element types atomenv writes to and reads from .npy files. */
export type NpyDtype = 'float64' | 'float32' | 'int32';

/** A decoded .npy array: C-order values and their shape. */
export interface NpyArray {
  shape: number[];
  dtype: NpyDtype;
  values: Float64Array | Float32Array | Int32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ALIGNMENT = 64;
const BYTES: Record<NpyDtype, number> = { float64: 8, float32: 4, int32: 4 };
const DESCR: Record<NpyDtype, string> = { float64: '<f8', float32: '<f4', int32: '<i4' };
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Encodes an array as a NumPy .npy file (format 1.0, little-endian, C order). The header is
 * padded with spaces and ends in `\n` so that the data starts at a multiple of 64 bytes. With
 * `dtype` different from the input type the values are converted (to int32 only if they are
 * integers in range). Throws INVALID_PARAMETER if the shape does not match `values.length`.
 */
export function encodeNpy(
  values: Float64Array | Float32Array | Int32Array,
  shape: readonly number[],
  dtype: NpyDtype = dtypeOf(values),
): Uint8Array {
  if (!Object.hasOwn(BYTES, dtype)) {
    throw new AtomenvError('INVALID_PARAMETER', `encodeNpy: dtype must be one of ${Object.keys(BYTES).join(', ')}, got ${JSON.stringify(dtype)}`);
  }
  checkShape(shape, values.length);
  const header = encodeNpyHeader(shape, dtype);
  const out = new Uint8Array(header.length + values.length * BYTES[dtype]);
  out.set(header, 0);
  writeValues(out, header.length, toDtype(values, dtype));
  return out;
}

/**
 * The header of a .npy 1.0 file: magic, version, length and the dict padded with spaces and `\n`
 * to a multiple of 64 bytes, or to exactly `totalBytes` (a multiple of 64) when given, so that a
 * streamed file can rewrite its header in place once the final shape is known.
 */
export function encodeNpyHeader(shape: readonly number[], dtype: NpyDtype, totalBytes?: number): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // magic (6) + version (2) + header length (2) + dict + padding + '\n'
  const unpadded = 10 + dict.length + 1;
  const padded = unpadded + ((ALIGNMENT - (unpadded % ALIGNMENT)) % ALIGNMENT);
  const total = totalBytes ?? padded;
  if (total < unpadded || total % ALIGNMENT !== 0 || total - 10 > 0xffff) {
    throw new AtomenvError('INVALID_PARAMETER', `a .npy header for shape [${shape.join(', ')}] does not fit ${total} bytes`);
  }
  const headerLength = total - 10;
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = 1; // major version
  out[7] = 0; // minor version
  out[8] = headerLength & 0xff;
  out[9] = headerLength >> 8;
  const header = dict.padEnd(headerLength - 1, ' ') + '\n';
  for (let k = 0; k < header.length; k++) out[10 + k] = header.charCodeAt(k);
  return out;
}

/** The little-endian data bytes of `values` as `dtype` (converted as in {@link encodeNpy}). */
export function encodeNpyData(values: Float64Array | Float32Array | Int32Array, dtype: NpyDtype): Uint8Array {
  const typed = toDtype(values, dtype);
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  const out = new Uint8Array(typed.byteLength);
  writeValues(out, 0, typed);
  return out;
}

/**
 * Decodes a .npy file (format 1.x–3.x) holding float64, float32 or int32 in C order, either byte
 * order. Throws PARSE_ERROR for bytes that are not such a file.
 */
export function decodeNpy(bytes: Uint8Array): NpyArray {
  if (!(bytes instanceof Uint8Array)) {
    throw new AtomenvError('INVALID_PARAMETER', `decodeNpy: bytes must be a Uint8Array, got ${bytes === null ? 'null' : Array.isArray(bytes) ? 'an array' : typeof bytes}`);
  }
  if (bytes.length < 10 || MAGIC.some((b, k) => bytes[k] !== b)) {
    throw new AtomenvError('PARSE_ERROR', 'not a .npy file (magic string \\x93NUMPY missing)');
  }
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerStart: number;
  let headerLength: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new AtomenvError('PARSE_ERROR', '.npy header is truncated');
    headerLength = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new AtomenvError('PARSE_ERROR', `unsupported .npy format version ${major}.${bytes[7]}`);
  }
  const dataOffset = headerStart + headerLength;
  if (dataOffset > bytes.length) throw new AtomenvError('PARSE_ERROR', '.npy header is truncated');
  const header = new TextDecoder().decode(bytes.subarray(headerStart, dataOffset));

  const descr = /'descr'\s*:\s*'([<>|=])([fi])(\d+)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeMatch = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (descr === null || fortran === null || shapeMatch === null) {
    throw new AtomenvError('PARSE_ERROR', `malformed .npy header: ${header.trim()}`);
  }
  if (fortran[1] === 'True') throw new AtomenvError('PARSE_ERROR', 'Fortran-order .npy arrays are not supported');
  const dtype = dtypeFromDescr(descr[2]!, Number(descr[3]));
  const littleEndian = descr[1] !== '>';
  const shape = shapeMatch[1]!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) throw new AtomenvError('PARSE_ERROR', `malformed .npy shape (${shapeMatch[1]})`);
  const count = shape.reduce((a, b) => a * b, 1);
  const size = BYTES[dtype];
  if (dataOffset + count * size > bytes.length) {
    throw new AtomenvError('PARSE_ERROR', `.npy data is truncated: ${count} values need ${count * size} bytes`);
  }

  const values = dtype === 'float64' ? new Float64Array(count) : dtype === 'float32' ? new Float32Array(count) : new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const at = dataOffset + k * size;
    values[k] =
      dtype === 'float64' ? view.getFloat64(at, littleEndian) : dtype === 'float32' ? view.getFloat32(at, littleEndian) : view.getInt32(at, littleEndian);
  }
  return { shape, dtype, values };
}

function dtypeOf(values: Float64Array | Float32Array | Int32Array): NpyDtype {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Int32Array) return 'int32';
  return 'float64';
}

function dtypeFromDescr(kind: string, size: number): NpyDtype {
  if (kind === 'f' && size === 8) return 'float64';
  if (kind === 'f' && size === 4) return 'float32';
  if (kind === 'i' && size === 4) return 'int32';
  throw new AtomenvError('PARSE_ERROR', `unsupported .npy dtype ${kind}${size} (only f8, f4, i4)`);
}

function checkShape(shape: readonly number[], length: number): void {
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new AtomenvError('INVALID_PARAMETER', `shape must be non-negative integers, got [${shape.join(', ')}]`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== length) {
    throw new AtomenvError('INVALID_PARAMETER', `shape [${shape.join(', ')}] holds ${size} values but there are ${length}`);
  }
}

function toDtype(values: Float64Array | Float32Array | Int32Array, dtype: NpyDtype): Float64Array | Float32Array | Int32Array {
  if (dtype === dtypeOf(values)) return values;
  if (dtype === 'float64') return Float64Array.from(values);
  if (dtype === 'float32') return Float32Array.from(values);
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
      throw new AtomenvError('INVALID_PARAMETER', `value ${v} at index ${k} is not a 32-bit integer`);
    }
  }
  return Int32Array.from(values);
}

function writeValues(out: Uint8Array, offset: number, values: Float64Array | Float32Array | Int32Array): void {
  if (LITTLE_ENDIAN_HOST) {
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), offset);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const size = values.BYTES_PER_ELEMENT;
  for (let k = 0; k < values.length; k++) {
    const at = offset + k * size;
    if (values instanceof Float64Array) view.setFloat64(at, values[k]!, true);
    else if (values instanceof Float32Array) view.setFloat32(at, values[k]!, true);
    else view.setInt32(at, values[k]!, true);
  }
}
