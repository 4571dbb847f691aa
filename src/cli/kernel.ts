import type { DescriptorValues } from '../descriptors/results.js';
import { AtomenvError } from '../errors.js';
import { writeNpy } from '../node/writeNpy.js';
import { averageKernel } from '../similarity/averageKernel.js';
import type { REMatchKernelOptions } from '../similarity/options.js';
import { rematchKernel } from '../similarity/rematchKernel.js';
import type { SimilarityMatrix } from '../similarity/similarityMatrix.js';
import { init } from '../wasm/loader.js';
import { loadDescriptor } from './config.js';
import { framesOf } from './frames.js';
import { writeJson } from './jsonText.js';
import type { KernelArgs } from './kernelArgs.js';
import { kernelSummaryText } from './kernelSummary.js';
import { checkOutputDirectory, fileSink, streamSink } from './textSink.js';

/** Where one row (and column) of the kernel matrix comes from. */
export interface KernelSource {
  file: string;
  frame: number;
  atoms: number;
}

/**
 * `atomenv kernel`: computes the descriptor of every frame of every input file (in order), then
 * the frames × frames similarity matrix with the average or REMatch kernel, and writes it
 * (docs/cli-output.md). Any frame that cannot be read or computed stops the run (a kernel
 * matrix with a missing row would be misleading). Returns the exit code.
 */
export async function runKernel(args: KernelArgs): Promise<number> {
  const started = performance.now();
  const { name, descriptor } = await loadDescriptor(args.config);
  const to = destinations(args, process.stdout.isTTY === true);
  if (to.data !== null && to.data !== '-') await checkOutputDirectory(to.data);
  await init();

  const features: DescriptorValues[] = [];
  const sources: KernelSource[] = [];
  for (const file of args.inputs) {
    try {
      for await (const item of framesOf(file, args.inputFormat)) {
        if (item.error !== undefined) throw item.error.at({ file, frame: item.index });
        try {
          const { values, shape } = descriptor.create(item.structure, { centers: null });
          // The kernels work in float64 (a float32 SOAP is widened exactly).
          features.push({ values: values instanceof Float64Array ? values : Float64Array.from(values), shape });
        } catch (error) {
          throw error instanceof AtomenvError ? error.at({ file, frame: item.index }) : error;
        }
        sources.push({ file, frame: item.index, atoms: item.structure.numbers.length });
      }
    } catch (error) {
      throw error instanceof AtomenvError ? error.at({ file }) : error;
    }
  }

  const options: REMatchKernelOptions = {
    metric: args.metric,
    gamma: args.gamma,
    degree: args.degree,
    coef0: args.coef0,
    zeta: args.zeta,
    alpha: args.alpha,
    threshold: args.threshold,
    normalizeKernel: args.normalize,
  };
  const matrix = args.kernel === 'rematch' ? rematchKernel(features, null, options) : averageKernel(features, null, options);
  const written = to.data === null ? null : await write(to.data, args.format, matrix, sources);
  const seconds = (performance.now() - started) / 1000;
  to.summary?.write(
    kernelSummaryText({ descriptor: name, numFeatures: descriptor.numFeatures, args, sources, matrix, seconds, output: written }),
  );
  return 0;
}

/** Writes the matrix; returns what was written, for the summary. */
async function write(data: string, format: KernelArgs['format'], matrix: SimilarityMatrix, sources: KernelSource[]): Promise<string> {
  if (format === 'npy') {
    await writeNpy(data, matrix.values, matrix.shape);
    return data;
  }
  const sink = data === '-' ? streamSink(process.stdout) : await fileSink(data);
  await writeJson({ shape: matrix.shape, values: matrix.values, structures: sources }, sink);
  await sink.write('\n');
  await sink.close();
  return data === '-' ? 'stdout' : data;
}

/** As `atomenv compute`: `-o -` stdout; no `-o`: stdout, or a summary on a terminal or with --summary. */
function destinations(args: KernelArgs, stdoutIsTTY: boolean): { data: string | null; summary: NodeJS.WriteStream | null } {
  if (args.output === '-') return { data: '-', summary: args.summary ? process.stderr : null };
  if (args.output === undefined) {
    return args.summary || stdoutIsTTY ? { data: null, summary: process.stdout } : { data: '-', summary: null };
  }
  return { data: args.output, summary: args.summary ? process.stdout : null };
}
