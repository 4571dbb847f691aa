import type { ParseArgsConfig } from 'node:util';
import type { StructureFormat } from '../io/formats.js';
import { INPUT_FORMATS, oneOf, parseCommandLine, usage } from './args.js';

/** Flags of `atomenv predict`, as node:util parseArgs takes them. */
export const PREDICT_OPTIONS = {
  model: { type: 'string', short: 'm' },
  potential: { type: 'string', short: 'p' },
  format: { type: 'string', short: 'f' },
  'input-format': { type: 'string' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** Output formats of `atomenv predict`. */
export type PredictFormat = 'json' | 'extxyz';
const PREDICT_FORMATS: readonly PredictFormat[] = ['json', 'extxyz'];

/** Where the model comes from: a CACE model file or an n2p2 potential directory. */
export type ModelSource = { kind: 'cace'; path: string } | { kind: 'n2p2'; path: string };

/** What `atomenv predict` was asked to do, checked. */
export interface PredictArgs {
  model: ModelSource;
  input: string;
  inputFormat: StructureFormat | undefined;
  format: PredictFormat;
  /** Output path; undefined or `-` for stdout. */
  output: string | undefined;
}

/** Parses the arguments after `predict`; null means `--help` was asked for. Throws UsageError. */
export function parsePredictArgs(argv: string[]): PredictArgs | null {
  const parsed = parseCommandLine(argv, PREDICT_OPTIONS, 'predict');
  const { values, positionals } = parsed;
  if (values.help === true) return null;
  if ((values.model === undefined) === (values.potential === undefined)) {
    throw usage('give exactly one of --model FILE (a CACE model) and --potential DIR (an n2p2 potential)', 'predict');
  }
  if (positionals.length !== 1) {
    throw usage(positionals.length === 0 ? 'give the structure file to read' : `give one structure file, got ${positionals.length}`, 'predict');
  }
  const output = values.output;
  const byName = output !== undefined && /\.(ext)?xyz$/i.test(output) ? 'extxyz' : 'json';
  return {
    model: values.model !== undefined ? { kind: 'cace', path: values.model } : { kind: 'n2p2', path: values.potential! },
    input: positionals[0]!,
    inputFormat: oneOf('--input-format', values['input-format'], INPUT_FORMATS, 'predict'),
    format: oneOf('--format', values.format, PREDICT_FORMATS, 'predict') ?? byName,
    output,
  };
}
