import type { ParseArgsConfig } from 'node:util';
import type { StructureFormat } from '../io/formats.js';
import { INPUT_FORMATS, oneOf, parseCommandLine, parseWorkers, usage } from './args.js';

/** Flags of `atomenv md`, as node:util parseArgs takes them. */
export const MD_OPTIONS = {
  potential: { type: 'string', short: 'p' },
  model: { type: 'string', short: 'm' },
  dt: { type: 'string' },
  steps: { type: 'string' },
  temperature: { type: 'string', short: 'T' },
  thermostat: { type: 'string' },
  tau: { type: 'string' },
  seed: { type: 'string' },
  every: { type: 'string' },
  units: { type: 'string' },
  'input-format': { type: 'string' },
  output: { type: 'string', short: 'o' },
  workers: { type: 'string', short: 'w' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** Thermostats of `atomenv md`. */
export type Thermostat = 'none' | 'berendsen' | 'langevin';
const THERMOSTATS: readonly Thermostat[] = ['none', 'berendsen', 'langevin'];

/** Units of the potential (and of the start structure's positions). */
export type PotentialUnits = 'angstrom-ev' | 'bohr-hartree';
const UNITS: readonly PotentialUnits[] = ['angstrom-ev', 'bohr-hartree'];

/** What `atomenv md` was asked to do, checked. */
export interface MdArgs {
  model: { kind: 'cace' | 'n2p2'; path: string };
  input: string;
  inputFormat: StructureFormat | undefined;
  /** Time step in fs. */
  dt: number;
  steps: number;
  /** Target (and initial velocity) temperature in K; undefined: start at rest, no thermostat. */
  temperature: number | undefined;
  thermostat: Thermostat;
  /** Thermostat time constant in fs (Berendsen coupling time, Langevin 1/friction). */
  tau: number;
  seed: number;
  /** Write every this many steps (the first frame is always written). */
  every: number;
  units: PotentialUnits;
  output: string | undefined;
  /** Worker threads that share each step's forces (n2p2 potentials); 0: this thread. */
  workers: number;
}

/** Parses the arguments after `md`; null means `--help`. Throws UsageError. */
export function parseMdArgs(argv: string[]): MdArgs | null {
  const parsed = parseCommandLine(argv, MD_OPTIONS, 'md');
  const { values, positionals } = parsed;
  if (values.help === true) return null;
  if ((values.model === undefined) === (values.potential === undefined)) {
    throw usage('give exactly one of --potential DIR (an n2p2 potential) and --model FILE (a CACE model)', 'md');
  }
  if (positionals.length !== 1) {
    throw usage(positionals.length === 0 ? 'give the start structure file' : `give one start structure file, got ${positionals.length}`, 'md');
  }
  if (values.dt === undefined) throw usage('--dt FS (the time step in femtoseconds) is required', 'md');
  if (values.steps === undefined) throw usage('--steps N is required', 'md');
  const temperature = values.temperature === undefined ? undefined : positive('--temperature', values.temperature, true);
  const thermostat = oneOf('--thermostat', values.thermostat, THERMOSTATS, 'md') ?? 'none';
  if (thermostat !== 'none' && temperature === undefined) throw usage(`--thermostat ${thermostat} needs --temperature K`, 'md');
  const workers = values.workers === undefined ? 0 : parseWorkers(values.workers, 'md');
  if (workers > 0 && values.potential === undefined) throw usage('--workers splits an n2p2 potential\'s forces: it needs --potential DIR', 'md');
  return {
    model: values.model !== undefined ? { kind: 'cace', path: values.model } : { kind: 'n2p2', path: values.potential! },
    input: positionals[0]!,
    inputFormat: oneOf('--input-format', values['input-format'], INPUT_FORMATS, 'md'),
    dt: positive('--dt', values.dt),
    steps: count('--steps', values.steps, 0),
    temperature,
    thermostat,
    tau: values.tau === undefined ? 100 : positive('--tau', values.tau),
    seed: values.seed === undefined ? 1 : count('--seed', values.seed, 0),
    every: values.every === undefined ? 1 : count('--every', values.every, 1),
    units: oneOf('--units', values.units, UNITS, 'md') ?? 'angstrom-ev',
    output: values.output,
    workers,
  };
}

/** A positive finite number (zero allowed when `zeroOk`). */
function positive(flag: string, text: string, zeroOk = false): number {
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x) || x < 0 || (x === 0 && !zeroOk)) {
    throw usage(`${flag} must be a ${zeroOk ? 'non-negative' : 'positive'} number, got ${JSON.stringify(text)}`, 'md');
  }
  return x;
}

/** A whole number ≥ min. */
function count(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw usage(`${flag} must be a whole number ≥ ${min}, got ${JSON.stringify(text)}`, 'md');
  }
  return n;
}
