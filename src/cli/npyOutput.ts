import type { DenseDerivatives } from '../gradients/atomGradients.js';
import { writeNpy } from '../node/writeNpy.js';
import { NpyStreamWriter } from '../node/npyStreamWriter.js';
import type { FrameOutput } from './frameOutput.js';
import type { RunResults } from './runResults.js';

/**
 * Writes a run as .npy files (docs/cli-output.md), for `-o OUT.npy` with stem OUT:
 * `OUT.npy` values [centers, features] (frames concatenated, float64 or a float32 SOAP's float32); one frame:
 * `OUT.derivatives.npy` [centers, atoms, 3, features]; several frames: `OUT.frame_offsets.npy`
 * and `OUT.failed.npy` (int32), and `OUT.derivatives.<frame>.npy` per frame that succeeded.
 * Values and derivatives are written as frames arrive, so a run of any length never holds them.
 */
export class NpyOutput implements FrameOutput {
  readonly streamsValues = true;
  private values: NpyStreamWriter | null = null;
  private readonly stem: string;
  private readonly written: string[] = [];
  private perFrameFiles = 0;
  /** Frame 0's derivatives, held until it is known whether more frames follow. */
  private first: DenseDerivatives | null = null;

  constructor(
    private readonly path: string,
    private readonly withDerivatives: boolean,
    private readonly numFeatures: number,
  ) {
    this.stem = path.replace(/\.npy$/i, '');
  }

  async frame(index: number, derivatives: DenseDerivatives | null, values: Float64Array | Float32Array | null): Promise<void> {
    if (values !== null) {
      this.values ??= await NpyStreamWriter.create(this.path, values instanceof Float32Array ? 'float32' : 'float64', this.numFeatures);
      await this.values.append(values);
    }
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
    this.values ??= await NpyStreamWriter.create(this.path, 'float64', this.numFeatures);
    if (this.values.rowCount !== results.centers) throw new Error('npy output: row count differs from the run');
    await this.values.close();
    this.written.push(this.path);
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
