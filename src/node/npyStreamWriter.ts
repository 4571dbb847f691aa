import { open, type FileHandle } from 'node:fs/promises';
import { encodeNpyData, encodeNpyHeader, type NpyDtype } from '../io/npy.js';

/** Header bytes reserved up front (magic + header, a multiple of 64), room for any 2-D shape. */
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
    const bytes = encodeNpyData(values, this.dtype);
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

  private header(): Uint8Array {
    return encodeNpyHeader([this.rows, this.columns], this.dtype, HEADER_BYTES);
  }
}
