import { stat } from 'node:fs/promises';
import { init } from '../wasm/loader.js';
import type { ComputeArgs } from './args.js';
import { createPool } from '../pool/createPool.node.js';
import { framesInThisThread, framesOnPool } from './frameStream.js';
import { loadDescriptor } from './config.js';
import type { FrameOutput } from './frameOutput.js';
import { JsonOutput } from './jsonOutput.js';
import { checkOutputDirectory } from './textSink.js';
import { NpyOutput } from './npyOutput.js';
import { Progress } from './progress.js';
import { EXIT_FAILURE } from './reportError.js';
import { RunResults } from './runResults.js';
import { summaryText } from './summary.js';

/** Where the data and the summary of a run go. */
interface Destinations {
  /** A file path, `-` for stdout, or null for no data (summary only). */
  data: string | null;
  summary: NodeJS.WriteStream | null;
}

/**
 * `atomenv compute`: reads the config, streams the frames of the structure file, computes each,
 * and writes the results (docs/cli-output.md). Frames that fail are reported on stderr and
 * skipped. Returns the exit code; throws for errors that stop the whole run.
 */
export async function runCompute(args: ComputeArgs): Promise<number> {
  const started = performance.now();
  const { name, descriptor, config } = await loadDescriptor(args.config);
  const to = destinations(args, process.stdout.isTTY === true);
  if (to.data !== null && to.data !== '-') await checkOutputDirectory(to.data);
  await init();

  const output = outputFor(to.data, args, descriptor.numFeatures);
  const results = new RunResults(descriptor.numFeatures, output !== null && !output.streamsValues);
  const position = { bytesRead: 0 };
  const progress = new Progress(process.stderr, await fileSize(args.input));
  const report = (line: string) => {
    progress.clear();
    process.stderr.write(`atomenv: ${line}\n`);
  };

  const pool = args.workers > 0 ? await createPool({ workers: args.workers }) : null;
  try {
    const frames = pool === null ? framesInThisThread(descriptor, args, position) : framesOnPool(pool, config, args, position);
    for await (const outcome of frames) {
      if (outcome.ok) {
        results.add(outcome.values, outcome.nCenters, outcome.nAtoms);
        await output?.frame(outcome.index, outcome.derivatives, outcome.values);
      } else {
        const { code, message } = outcome.error;
        results.fail({ frame: outcome.index, stage: outcome.stage, code, message });
        report(outcome.stage === 'read' ? `${message} (frames after it are not read)` : message);
        await output?.frame(outcome.index, null, null);
      }
      progress.update(results.frames, results.atoms, results.failed.length, position.bytesRead);
    }
  } finally {
    await pool?.close();
  }
  progress.clear();

  // A one-frame input that failed has nothing to write; its error is already reported.
  if (results.frames === 1 && results.failed.length === 1) return EXIT_FAILURE;
  await output?.finish(results);
  const seconds = (performance.now() - started) / 1000;
  const written = output?.describe() ?? null;
  to.summary?.write(summaryText({ input: args.input, descriptor: name, results, derivatives: args.derivatives, seconds, output: written, workers: args.workers }));

  const failed = results.failed.length;
  if (failed === 0) return 0;
  const rest = output === null ? '' : `; the results of the other ${results.frames - failed} are in the output`;
  report(`${failed} of ${results.frames} frames failed${rest}`);
  return EXIT_FAILURE;
}

/**
 * `-o -`: data on stdout. No `-o`: data on stdout, or only a summary when stdout is a terminal
 * or --summary is given. `-o FILE`: data in the file. --summary goes to stdout unless the data does.
 */
function destinations(args: ComputeArgs, stdoutIsTTY: boolean): Destinations {
  if (args.output === '-') return { data: '-', summary: args.summary ? process.stderr : null };
  if (args.output === undefined) {
    return args.summary || stdoutIsTTY ? { data: null, summary: process.stdout } : { data: '-', summary: null };
  }
  return { data: args.output, summary: args.summary ? process.stdout : null };
}

function outputFor(data: string | null, args: ComputeArgs, numFeatures: number): FrameOutput | null {
  if (data === null) return null;
  if (args.format === 'npy') return new NpyOutput(data, args.derivatives, numFeatures);
  return new JsonOutput(data === '-' ? null : data, args.derivatives);
}

/** Size of the input in bytes (for the progress ETA), or null when unknown. */
async function fileSize(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch {
    return null; // the reader reports a missing file
  }
}
