import { access, constants } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AtomenvError } from '../errors.js';
import type { DenseDerivatives } from '../gradients/atomGradients.js';
import { init } from '../wasm/loader.js';
import type { ComputeArgs } from './args.js';
import { computeFrame } from './computeFrame.js';
import { loadDescriptor } from './config.js';
import type { FrameOutput } from './frameOutput.js';
import { framesOf } from './frames.js';
import { JsonOutput } from './jsonOutput.js';
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
  const { name, descriptor } = await loadDescriptor(args.config);
  const to = destinations(args, process.stdout.isTTY === true);
  if (to.data !== null && to.data !== '-') await checkDirectory(to.data);
  await init();

  const output = outputFor(to.data, args);
  const results = new RunResults(descriptor.numFeatures);
  const progress = new Progress(process.stderr);
  const report = (line: string) => {
    progress.clear();
    process.stderr.write(`atomenv: ${line}\n`);
  };

  for await (const item of framesOf(args.input, args.inputFormat)) {
    let derivatives: DenseDerivatives | null = null;
    if (item.error !== undefined) {
      results.fail({ frame: item.index, stage: 'read', code: item.error.code, message: item.error.message });
      report(`${item.error.message} (frames after it are not read)`);
    } else {
      try {
        const frame = computeFrame(descriptor, item.structure, args);
        results.add(frame.values, frame.nCenters, frame.nAtoms);
        derivatives = frame.derivatives;
      } catch (error) {
        if (!(error instanceof AtomenvError)) throw error;
        const located = error.at({ file: args.input, frame: item.index });
        results.fail({ frame: item.index, stage: 'compute', code: located.code, message: located.message });
        report(located.message);
      }
    }
    await output?.frame(item.index, derivatives);
    progress.update(results.frames, results.atoms, results.failed.length);
  }
  progress.clear();

  // A one-frame input that failed has nothing to write; its error is already reported.
  if (results.frames === 1 && results.failed.length === 1) return EXIT_FAILURE;
  await output?.finish(results);
  const seconds = (performance.now() - started) / 1000;
  const written = output?.describe() ?? null;
  to.summary?.write(summaryText({ input: args.input, descriptor: name, results, derivatives: args.derivatives, seconds, output: written }));

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

function outputFor(data: string | null, args: ComputeArgs): FrameOutput | null {
  if (data === null) return null;
  if (args.format === 'npy') return new NpyOutput(data, args.derivatives);
  return new JsonOutput(data === '-' ? null : data, args.derivatives);
}

/** Fails early, before any work, when the output's directory is missing or read-only. */
async function checkDirectory(path: string): Promise<void> {
  const dir = dirname(path);
  try {
    await access(dir, constants.W_OK);
  } catch {
    throw new AtomenvError('IO_ERROR', `cannot write the output: directory '${dir}' does not exist or is not writable`, { file: path });
  }
}
