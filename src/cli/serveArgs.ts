import type { ParseArgsConfig } from 'node:util';
import type { ServerlessLimits } from '../serverless/limits.js';
import { parseCommandLine, usage } from './args.js';

/** Flags of `atomenv serve`, as node:util parseArgs takes them. */
export const SERVE_OPTIONS = {
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  workers: { type: 'string', short: 'w' },
  'max-body-bytes': { type: 'string' },
  'max-atoms': { type: 'string' },
  'max-output-values': { type: 'string' },
  'max-neighbour-pairs': { type: 'string' },
  'max-cutoff': { type: 'string' },
  'max-nmax': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** Most workers `--workers` takes. */
export const MAX_WORKERS = 256;

/** What `atomenv serve` was asked to do, checked. */
export interface ServeArgs {
  /** TCP port; 0 picks a free one (printed in the "listening" line). */
  port: number;
  host: string;
  /** Worker threads asked for; undefined: compute in the server's thread. */
  workers: number | undefined;
  limits: Partial<ServerlessLimits>;
}

/** Parses the arguments after `serve`; null means `--help` was asked for. Throws UsageError. */
export function parseServeArgs(argv: string[]): ServeArgs | null {
  const parsed = parseCommandLine(argv, SERVE_OPTIONS, 'serve', false);
  const { values } = parsed;
  if (values.help === true) return null;
  if (values.port === undefined) throw usage('--port P is required (0 picks a free port)', 'serve');
  const limits: Partial<ServerlessLimits> = {};
  const maxBodyBytes = integer('--max-body-bytes', values['max-body-bytes'], 1);
  const maxAtoms = integer('--max-atoms', values['max-atoms'], 1);
  const maxOutputValues = integer('--max-output-values', values['max-output-values'], 1);
  const maxNeighbourPairs = integer('--max-neighbour-pairs', values['max-neighbour-pairs'], 1);
  const maxNMax = integer('--max-nmax', values['max-nmax'], 1);
  const maxCutoff = positive('--max-cutoff', values['max-cutoff']);
  if (maxNeighbourPairs !== undefined) limits.maxNeighbourPairs = maxNeighbourPairs;
  if (maxNMax !== undefined) limits.maxNMax = maxNMax;
  if (maxCutoff !== undefined) limits.maxCutoff = maxCutoff;
  if (maxBodyBytes !== undefined) limits.maxBodyBytes = maxBodyBytes;
  if (maxAtoms !== undefined) limits.maxAtoms = maxAtoms;
  if (maxOutputValues !== undefined) limits.maxOutputValues = maxOutputValues;
  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '') throw usage('--host must not be empty', 'serve');
  return {
    port: integer('--port', values.port, 0, 65535)!,
    host,
    workers: integer('--workers', values.workers, 1, MAX_WORKERS),
    limits,
  };
}

/** A decimal integer flag in [min, max]; undefined when not given. */
function integer(flag: string, text: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw usage(`${flag} must be an integer from ${min} to ${max}, got '${text}'`, 'serve');
  }
  return value;
}

/** A positive finite number flag; undefined when not given. */
function positive(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value) || value <= 0) throw usage(`${flag} must be a positive number, got '${text}'`, 'serve');
  return value;
}
