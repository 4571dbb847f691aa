import type { DenseDerivatives } from '../gradients/atomGradients.js';
import { writeNpy } from '../node/writeNpy.js';
import type { FrameOutput } from './frameOutput.js';
import type { RunResults } from './runResults.js';

/**
 * Writes a run as .npy files (docs/cli-output.md), for `-o OUT.npy` with stem OUT:
 * `OUT.npy` values [centers, features] (frames concatenated, float64 or a float32 SOAP's float32); one frame:
 * `OUT.derivatives.npy` [centers, atoms, 3, features]; several frames: `OUT.frame_offsets.npy`
 * and `OUT.failed.npy` (int32), and `OUT.derivatives.<frame>.npy` per frame that succeeded.
 * Derivatives are written as frames arrive, so they are never all held in memory.
 */
export class NpyOutput implements FrameOutput {
  private readonly stem: string;
  private readonly written: string[] = [];
  private perFrameFiles = 0;
  /** Frame 0's derivatives, held until it is known whether more frames follow. */
  private first: DenseDerivatives | null = null;

  constructor(
    private readonly path: string,
    private readonly withDerivatives: boolean,
  ) {
    this.stem = path.replace(/\.npy$/i, '');
  }

  async frame(index: number, derivatives: DenseDerivatives | null): Promise<void> {
    if (!this.withDerivatives) return;
    if (index === 0) {
      this.first = derivatives;
      return;
    }
    if (this.first !== null) {
      await this.writePerFrame(0, this.first);
      this.first = null;
    }
    if (derivatives !== null) await this.writePerFrame(index, derivatives);
  }

  async finish(results: RunResults): Promise<void> {
    await this.write(this.path, results.values(), [results.centers, results.numFeatures]);
    if (results.frames === 1) {
      if (this.first !== null) await this.write(`${this.stem}.derivatives.npy`, this.first.values, this.first.shape);
      return;
    }
    await this.write(`${this.stem}.frame_offsets.npy`, Int32Array.from(results.offsets), [results.offsets.length]);
    const failed = Int32Array.from(results.failed, (f) => f.frame);
    await this.write(`${this.stem}.failed.npy`, failed, [failed.length]);
  }

  describe(): string {
    const perFrame = this.perFrameFiles > 0 ? [`${this.stem}.derivatives.K.npy (${this.perFrameFiles} files)`] : [];
    return [...this.written, ...perFrame].join(', ');
  }

  private async writePerFrame(index: number, d: DenseDerivatives): Promise<void> {
    await writeNpy(`${this.stem}.derivatives.${index}.npy`, d.values, d.shape);
    this.perFrameFiles++;
  }

  private async write(path: string, values: Float64Array | Float32Array | Int32Array, shape: readonly number[]): Promise<void> {
    await writeNpy(path, values, shape);
    this.written.push(path);
  }
}
