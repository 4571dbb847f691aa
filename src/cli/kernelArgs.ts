import type { ParseArgsConfig } from 'node:util';
import type { StructureFormat } from '../io/formats.js';
import type { LocalKernelMetric } from '../similarity/options.js';
import { INPUT_FORMATS, oneOf, outputFormat, parseCommandLine, usage, type OutputFormat } from './args.js';

/** Flags of `atomenv kernel`, as node:util parseArgs takes them. */
export const KERNEL_OPTIONS = {
  config: { type: 'string', short: 'c' },
  kernel: { type: 'string', short: 'k' },
  metric: { type: 'string' },
  gamma: { type: 'string' },
  degree: { type: 'string' },
  coef0: { type: 'string' },
  zeta: { type: 'string' },
  alpha: { type: 'string' },
  threshold: { type: 'string' },
  'no-normalize': { type: 'boolean' },
  format: { type: 'string', short: 'f' },
  'input-format': { type: 'string' },
  output: { type: 'string', short: 'o' },
  summary: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** The kernels between structures of `atomenv kernel`. */
export type StructureKernel = 'average' | 'rematch';

const KERNELS: readonly StructureKernel[] = ['average', 'rematch'];
const METRICS: readonly LocalKernelMetric[] = ['dot', 'linear', 'polynomial', 'rbf'];

/** What `atomenv kernel` was asked to do, checked (numbers are range-checked by the library). */
export interface KernelArgs {
  config: string;
  /** Structure files, in order; every frame of each is one structure. */
  inputs: string[];
  inputFormat: StructureFormat | undefined;
  kernel: StructureKernel;
  metric: LocalKernelMetric | undefined;
  gamma: number | undefined;
  degree: number | undefined;
  coef0: number | undefined;
  zeta: number | undefined;
  alpha: number | undefined;
  threshold: number | undefined;
  normalize: boolean;
  format: OutputFormat;
  output: string | undefined;
  summary: boolean;
}

/** Parses the arguments after `kernel`; null means `--help` was asked for. Throws UsageError. */
export function parseKernelArgs(argv: string[]): KernelArgs | null {
  const parsed = parseCommandLine(argv, KERNEL_OPTIONS, 'kernel');
  const { values, positionals } = parsed;
  if (values.help === true) return null;
  if (values.config === undefined) throw usage('--config FILE is required (the descriptor settings)', 'kernel');
  if (positionals.length === 0) throw usage('give the structure files to compare', 'kernel');
  const kernel = oneOf('--kernel', values.kernel, KERNELS, 'kernel') ?? 'average';
  if (kernel !== 'rematch') {
    for (const flag of ['alpha', 'threshold'] as const) {
      if (values[flag] !== undefined) throw usage(`--${flag} only applies with --kernel rematch`, 'kernel');
    }
  }
  const output = values.output;
  const format = outputFormat(values.format, output, 'kernel');
  if (format === 'npy' && (output === undefined || output === '-')) {
    throw usage('npy output cannot go to stdout: give -o FILE.npy', 'kernel');
  }
  return {
    config: values.config,
    inputs: positionals,
    inputFormat: oneOf('--input-format', values['input-format'], INPUT_FORMATS, 'kernel'),
    kernel,
    metric: oneOf('--metric', values.metric, METRICS, 'kernel'),
    gamma: number('--gamma', values.gamma),
    degree: number('--degree', values.degree),
    coef0: number('--coef0', values.coef0),
    zeta: number('--zeta', values.zeta),
    alpha: number('--alpha', values.alpha),
    threshold: number('--threshold', values.threshold),
    normalize: values['no-normalize'] !== true,
    format,
    output,
    summary: values.summary === true,
  };
}

/** A flag's value as a finite number (e.g. `0.5`, `1e-8`). */
function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value)) throw usage(`${flag} must be a number, got '${text}'`, 'kernel');
  return value;
}
