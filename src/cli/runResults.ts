import type { AtomenvErrorCode } from '../errors.js';

/** A frame that produced no result, and why. */
export interface FrameFailure {
  /** 0-based frame index in the input. */
  frame: number;
  /** `read`: the frame could not be parsed (reading stops there); `compute`: the descriptor refused it. */
  stage: 'read' | 'compute';
  code: AtomenvErrorCode;
  message: string;
}

/**
 * Descriptor values of every frame of a run, concatenated, with frame offsets: frame k owns rows
 * offsets[k] .. offsets[k+1]. A failed frame owns no rows and is listed in `failed`.
 */
export class RunResults {
  /** Row offsets of the frames; one more entry than there are frames. */
  readonly offsets: number[] = [0];
  readonly failed: FrameFailure[] = [];
  /** Atoms in the frames that succeeded. */
  atoms = 0;
  private chunks: (Float64Array | Float32Array)[] = [];
  private joined: Float64Array | Float32Array | null = null;
  private allFloat32 = true;
  private count = 0;
  private min = Infinity;
  private max = -Infinity;
  private sum = 0;

  /**
   * @param retain keep the values for {@link values} (JSON output); false when they are streamed
   *   to a file as they come, so a run of any size keeps only offsets and statistics.
   */
  constructor(readonly numFeatures: number, private readonly retain = true) {}

  /** min, max and mean of every value so far (null when there are none). */
  statistics(): { min: number; max: number; mean: number } | null {
    return this.count === 0 ? null : { min: this.min, max: this.max, mean: this.sum / this.count };
  }

  /** Frames seen, failed ones included. */
  get frames(): number {
    return this.offsets.length - 1;
  }

  /** Rows (centres) over all frames. */
  get centers(): number {
    return this.offsets[this.offsets.length - 1]!;
  }

  /** Records the next frame's values, shape [nCenters, numFeatures]. */
  add(values: Float64Array | Float32Array, nCenters: number, nAtoms: number): void {
    if (this.retain) this.chunks.push(values);
    this.joined = null;
    if (!(values instanceof Float32Array)) this.allFloat32 = false;
    const { min, max, sum } = rangeAndSum(values);
    this.min = Math.min(this.min, min);
    this.max = Math.max(this.max, max);
    this.sum += sum;
    this.count += values.length;
    this.offsets.push(this.centers + nCenters);
    this.atoms += nAtoms;
  }

  /** Records that the next frame failed. */
  fail(failure: FrameFailure): void {
    this.failed.push(failure);
    this.offsets.push(this.centers);
  }

  /** The element type of the values: float32 when every frame gave float32 (SOAP's dtype). */
  get dtype(): 'float64' | 'float32' {
    return this.count > 0 && this.allFloat32 ? 'float32' : 'float64';
  }

  /** All values, C order, shape [centers, numFeatures], in {@link dtype}. */
  values(): Float64Array | Float32Array {
    if (!this.retain) throw new Error('RunResults: the values were streamed, not kept');
    if (this.joined === null) {
      const size = this.centers * this.numFeatures;
      const out = this.dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
      let at = 0;
      for (const chunk of this.chunks) {
        out.set(chunk, at);
        at += chunk.length;
      }
      this.chunks = [out];
      this.joined = out;
    }
    return this.joined;
  }
}

// Running values in locals (not fields), so the loop stays in registers.
function rangeAndSum(values: Float64Array | Float32Array): { min: number; max: number; sum: number } {
  let min = Infinity, max = -Infinity, sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { min, max, sum };
}
