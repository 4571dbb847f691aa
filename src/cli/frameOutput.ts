import type { DenseDerivatives } from '../gradients/atomGradients.js';
import type { RunResults } from './runResults.js';

/** Where the results of `atomenv compute` go (a JSON document, .npy files). */
export interface FrameOutput {
  /**
   * Called for every frame in order, with its values and derivatives (null when it failed or
   * derivatives were not asked for).
   */
  frame(index: number, derivatives: DenseDerivatives | null, values: Float64Array | Float32Array | null): Promise<void>;
  /** True when the output streams the values itself (the run need not keep them). */
  readonly streamsValues: boolean;
  /** Called once after the last frame; writes what is left. */
  finish(results: RunResults): Promise<void>;
  /** What was written, for people (e.g. `out.npy, out.derivatives.npy`), after {@link finish}. */
  describe(): string;
}
