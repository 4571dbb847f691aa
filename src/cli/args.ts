import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { StructureFormat } from '../io/formats.js';
import { UsageError } from './usageError.js';

/** Flags of `atomenv compute`, as node:util parseArgs takes them. */
export const COMPUTE_OPTIONS = {
  config: { type: 'string', short: 'c' },
  centers: { type: 'string' },
  derivatives: { type: 'boolean', short: 'd' },
  attach: { type: 'boolean' },
  format: { type: 'string', short: 'f' },
  'input-format': { type: 'string' },
  output: { type: 'string', short: 'o' },
  summary: { type: 'boolean' },
  workers: { type: 'string', short: 'w' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** Output file formats of `atomenv compute`. */
export type OutputFormat = 'json' | 'npy';

const OUTPUT_FORMATS: readonly OutputFormat[] = ['json', 'npy'];
/** Structure formats of --input-format. */
export const INPUT_FORMATS: readonly StructureFormat[] = ['extxyz', 'xyz', 'poscar', 'n2p2'];

/** What `atomenv compute` was asked to do, checked. */
export interface ComputeArgs {
  /** Path of the descriptor config (JSON). */
  config: string;
  /** Path of the structure file. */
  input: string;
  /** Format of the structure file; detected when undefined. */
  inputFormat: StructureFormat | undefined;
  /** Atom indices of the centres in every frame; all atoms when null. */
  centers: number[] | null;
  derivatives: boolean;
  attach: boolean;
  format: OutputFormat;
  /** Output path, `-` for stdout, undefined when not given. */
  output: string | undefined;
  summary: boolean;
  /** Worker threads for the frames (0: compute in the main thread). */
  workers: number;
}

/** Parses the arguments after `compute`; null means `--help` was asked for. Throws {@link UsageError}. */
export function parseComputeArgs(argv: string[]): ComputeArgs | null {
  const { values, positionals } = parseStrict(argv);
  if (values.help === true) return null;
  if (values.config === undefined) throw usage('--config FILE is required (the descriptor settings)');
  if (positionals.length !== 1) {
    throw usage(positionals.length === 0 ? 'give the structure file to read' : `give one structure file, got ${positionals.length}`);
  }
  if (values.attach === true && values.derivatives !== true) throw usage('--attach only applies with --derivatives');
  const output = values.output;
  const format = outputFormat(values.format, output);
  if (format === 'npy' && (output === undefined || output === '-')) {
    throw usage('npy output cannot go to stdout: give -o FILE.npy');
  }
  return {
    config: values.config,
    input: positionals[0]!,
    inputFormat: oneOf('--input-format', values['input-format'], INPUT_FORMATS),
    centers: values.centers === undefined ? null : parseCenters(values.centers),
    derivatives: values.derivatives === true,
    attach: values.attach === true,
    format,
    output,
    summary: values.summary === true,
    workers: values.workers === undefined ? 0 : parseWorkers(values.workers),
  };
}

/** --workers N: an integer ≥ 1 (`command` names the help to see on an error). */
export function parseWorkers(text: string, command = 'compute'): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(n) || n < 1 || n > 1024) {
    throw usage(`--workers must be a whole number of worker threads ≥ 1, got ${JSON.stringify(text)}`, command);
  }
  return n;
}

function parseStrict(argv: string[]) {
  return parseCommandLine(argv, COMPUTE_OPTIONS, 'compute');
}

/** node:util parseArgs in strict mode; its errors become usage errors pointing to `atomenv COMMAND --help`. */
export function parseCommandLine<const O extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[], options: O, command: string, allowPositionals = true,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw usage(parseArgsMessage(error), command);
  }
}

/** A short message for node:util parseArgs' errors, which are long and mention internals. */
export function parseArgsMessage(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const quoted = /'([^']+)'/.exec(message ?? '')?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option '${quoted}'`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = /--[a-z-]+/.exec(message ?? '')?.[0] ?? quoted;
    return /argument missing/.test(message ?? '') ? `${flag} needs a value` : `bad value for ${flag}`;
  }
  return (message ?? String(error)).split('\n')[0]!;
}

/** The output format: --format when given, else from the output file name, else JSON. */
export function outputFormat(flag: string | undefined, output: string | undefined, command = 'compute'): OutputFormat {
  const chosen = oneOf('--format', flag, OUTPUT_FORMATS, command);
  if (chosen !== undefined) return chosen;
  return output !== undefined && output.toLowerCase().endsWith('.npy') ? 'npy' : 'json';
}

/** `value` if it is one of `allowed` (undefined when not given); a usage error pointing to `atomenv COMMAND --help` otherwise. */
export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], command = 'compute'): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw usage(`${flag} must be one of ${allowed.join(', ')}, got '${value}'`, command);
  }
  return value as T;
}

/** `--centers`: a JSON array of atom indices. */
function parseCenters(text: string): number[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw usage(`--centers must be a JSON array of atom indices such as [0,3,5], got '${text}'`);
  }
  if (!Array.isArray(parsed) || !parsed.every((i) => Number.isSafeInteger(i) && i >= 0)) {
    throw usage(`--centers must be a JSON array of non-negative integers (atom indices), got '${text}'`);
  }
  return parsed as number[];
}

/** A usage error that points to the command's help. */
export function usage(message: string, command = 'compute'): UsageError {
  return new UsageError(`${message} (see 'atomenv ${command} --help')`);
}
