import type { DenseDerivatives } from '../gradients/atomGradients.js';
import type { FrameOutput } from './frameOutput.js';
import { writeJson } from './jsonText.js';
import type { RunResults } from './runResults.js';
import { fileSink, streamSink } from './textSink.js';

/** An n-dimensional array in the JSON output: shape and flat C-order values. */
interface JsonBlock {
  shape: number[];
  values: Float64Array;
}

/**
 * The JSON document of a run (docs/cli-output.md). One frame:
 * `{"shape", "values", "derivatives"?: {"shape", "values"}}`. Several frames:
 * `{"frames", "shape", "values", "frame_offsets", "failed", "derivatives"?: [block | null, ...]}`.
 */
function jsonDocument(results: RunResults, derivatives: readonly (DenseDerivatives | null)[] | null): object {
  const values = { shape: [results.centers, results.numFeatures], values: results.values() };
  const blocks = derivatives?.map((d) => (d === null ? null : block(d)));
  if (results.frames === 1) return { ...values, derivatives: blocks?.[0] ?? undefined };
  return {
    frames: results.frames,
    ...values,
    frame_offsets: results.offsets,
    failed: results.failed,
    derivatives: blocks,
  };
}

function block(d: DenseDerivatives): JsonBlock {
  return { shape: [...d.shape], values: d.values };
}

/** Writes the run as one JSON document, to a file or to stdout, once every frame is done. */
export class JsonOutput implements FrameOutput {
  private readonly derivatives: (DenseDerivatives | null)[] | null;

  /** `path` null: stdout. */
  constructor(
    private readonly path: string | null,
    withDerivatives: boolean,
  ) {
    this.derivatives = withDerivatives ? [] : null;
  }

  readonly streamsValues = false;

  async frame(_index: number, derivatives: DenseDerivatives | null): Promise<void> {
    this.derivatives?.push(derivatives);
  }

  async finish(results: RunResults): Promise<void> {
    const sink = this.path === null ? streamSink(process.stdout) : await fileSink(this.path);
    await writeJson(jsonDocument(results, this.derivatives), sink);
    await sink.write('\n');
    await sink.close();
  }

  describe(): string {
    return this.path ?? 'stdout';
  }
}
