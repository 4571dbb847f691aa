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
  private chunks: Float64Array[] = [];
  private joined: Float64Array | null = null;

  constructor(readonly numFeatures: number) {}

  /** Frames seen, failed ones included. */
  get frames(): number {
    return this.offsets.length - 1;
  }

  /** Rows (centres) over all frames. */
  get centers(): number {
    return this.offsets[this.offsets.length - 1]!;
  }

  /** Records the next frame's values, shape [nCenters, numFeatures]. */
  add(values: Float64Array, nCenters: number, nAtoms: number): void {
    this.chunks.push(values);
    this.joined = null;
    this.offsets.push(this.centers + nCenters);
    this.atoms += nAtoms;
  }

  /** Records that the next frame failed. */
  fail(failure: FrameFailure): void {
    this.failed.push(failure);
    this.offsets.push(this.centers);
  }

  /** All values, C order, shape [centers, numFeatures]. */
  values(): Float64Array {
    if (this.joined === null) {
      const out = new Float64Array(this.centers * this.numFeatures);
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
