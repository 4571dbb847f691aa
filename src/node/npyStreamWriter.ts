import { open, type FileHandle } from 'node:fs/promises';
import type { NpyDtype } from '../io/npy.js';

const DESCR: Record<NpyDtype, string> = { float64: '<f8', float32: '<f4', int32: '<i4' };
/** Header bytes reserved up front (magic + header, a multiple of 64), room for any shape. */
const HEADER_BYTES = 128;

/**
 * Writes a 2-D `.npy` array row block by row block without holding it: the header is reserved
 * first and rewritten with the final row count by {@link close}. Readable by `numpy.load`.
 */
export class NpyStreamWriter {
  private rows = 0;
  /** Where the next rows go (explicit offsets: positioned writes do not move the file offset). */
  private offset = HEADER_BYTES;
  private constructor(
    private readonly file: FileHandle,
    private readonly dtype: NpyDtype,
    private readonly columns: number,
  ) {}

  /** Creates (truncates) `path` for an array [rows, columns] of `dtype`. */
  static async create(path: string, dtype: NpyDtype, columns: number): Promise<NpyStreamWriter> {
    const file = await open(path, 'w');
    const writer = new NpyStreamWriter(file, dtype, columns);
    await file.write(writer.header(), 0, HEADER_BYTES, 0);
    return writer;
  }

  /** Appends whole rows (values.length a multiple of `columns`), converting to the dtype. */
  async append(values: Float64Array | Float32Array | Int32Array): Promise<void> {
    if (values.length % Math.max(1, this.columns) !== 0) throw new Error('NpyStreamWriter: a partial row');
    const typed =
      this.dtype === 'float64' ? (values instanceof Float64Array ? values : Float64Array.from(values))
        : this.dtype === 'float32' ? (values instanceof Float32Array ? values : Float32Array.from(values))
          : values instanceof Int32Array ? values : Int32Array.from(values);
    const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.file.write(bytes, done, bytes.length - done, this.offset + done);
      done += bytesWritten;
    }
    this.offset += bytes.length;
    this.rows += this.columns === 0 ? 0 : values.length / this.columns;
  }

  /** Rows written so far. */
  get rowCount(): number {
    return this.rows;
  }

  /** Writes the final header and closes the file. */
  async close(): Promise<void> {
    await this.file.write(this.header(), 0, HEADER_BYTES, 0);
    await this.file.close();
  }

  /** Magic, version 1.0, header length, the dict padded with spaces to HEADER_BYTES, newline. */
  private header(): Uint8Array {
    const dict = `{'descr': '${DESCR[this.dtype]}', 'fortran_order': False, 'shape': (${this.rows}, ${this.columns}), }`;
    const out = new Uint8Array(HEADER_BYTES);
    out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]); // \x93NUMPY v1.0
    const length = HEADER_BYTES - 10;
    out[8] = length & 0xff;
    out[9] = length >> 8;
    const text = dict.padEnd(length - 1, ' ') + '\n';
    for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
    return out;
  }
}
