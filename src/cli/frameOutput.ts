import type { DenseDerivatives } from '../gradients/atomGradients.js';
import type { RunResults } from './runResults.js';

/** Where the results of `atomenv compute` go (a JSON document, .npy files). */
export interface FrameOutput {
  /** Called for every frame in order, with its derivatives (null when not asked for or failed). */
  frame(index: number, derivatives: DenseDerivatives | null): Promise<void>;
  /** Called once after the last frame; writes what is left. */
  finish(results: RunResults): Promise<void>;
  /** What was written, for people (e.g. `out.npy, out.derivatives.npy`), after {@link finish}. */
  describe(): string;
}
