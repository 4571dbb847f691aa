import { createDescriptor, type Descriptor } from '../descriptors/registry.js';
import type { DescriptorValues, WithDerivatives } from '../descriptors/results.js';
import type { SOAPValues, SOAPWithDerivatives } from '../soap/soap.js';
import type { DerivativesLayout } from '../gradients/atomGradients.js';
import type { Structure } from '../structure/structure.js';
import { init, releaseMemory } from '../wasm/loader.js';
import { AtomenvError, type AtomenvErrorCode, type ErrorLocation } from '../errors.js';
import { parseStructures } from '../io/parseStructures.js';
import type { StructureFormat } from '../io/formats.js';
import type { SOAPBackward } from '../soap/soap.js';
import type { EnergyResult } from '../potentials/energyModel.js';
import { installSoapKernelTable, type SOAPKernelTable } from '../soap/radialTable.js';
import { N2p2Potential, type PotentialFiles, type PotentialPart } from '../n2p2/potential.js';

/** A descriptor request: `{ descriptor: 'acsf', ...its constructor options }`. */
export interface DescriptorConfig {
  descriptor: string;
  [option: string]: unknown;
}

/** Options of {@link DescriptorService.compute}. */
export interface ComputeOptions {
  centers?: number[] | null;
  /** Also return derivatives with respect to atom positions. */
  derivatives?: boolean;
  attach?: boolean;
  layout?: DerivativesLayout;
}

/** A structure as text (parsed in the worker): exactly one frame of extxyz, xyz, POSCAR or n2p2. */
export interface StructureText {
  text: string;
  format?: StructureFormat;
}

/** One unit of work for a worker: the whole pipeline from input to result. */
export interface WorkerJob {
  config: DescriptorConfig;
  structure: Structure | StructureText;
  centers?: ArrayLike<number> | ArrayLike<ArrayLike<number>> | null;
  /**
   * 'values' (default), 'derivatives', 'backward', 'energy' (models with a readout: CACE, n2p2),
   * or 'energyPart' (an n2p2 potential's part `part` of one structure: N2p2Potential.computePart).
   */
  kind?: 'values' | 'derivatives' | 'backward' | 'energy' | 'energyPart';
  /** For 'energyPart': which part of how many. */
  part?: { index: number; count: number };
  /**
   * For 'energyPart': a name the caller gives this config (one name, one config, for the life of
   * the worker), so the worker finds its potential without comparing the config's texts.
   */
  modelKey?: string;
  attach?: boolean;
  layout?: DerivativesLayout;
  /** ∂L/∂features for 'backward' (the shape of the values). */
  dLdFeatures?: ArrayLike<number>;
}

/** An error that crossed a thread, with the fields of {@link AtomenvError}. */
export interface JobError {
  code: AtomenvErrorCode | 'INTERNAL';
  message: string;
  location?: ErrorLocation;
}

/** What a worker answers for a job; errors are values, so codes survive the thread boundary. */
export type JobOutcome =
  | { ok: true; value: DescriptorValues | WithDerivatives | SOAPValues | SOAPWithDerivatives | SOAPBackward | EnergyResult | PotentialPart }
  | { ok: false; error: JobError };

/**
 * What a worker exposes (through comlink): the same kernels as the main thread, so every
 * descriptor can run off the main thread. The caller compiles the wasm once and passes the
 * `WebAssembly.Module` to {@link init}, which instantiates it in the worker.
 */
export interface DescriptorService {
  init(module?: WebAssembly.Module): Promise<void>;
  compute(config: DescriptorConfig, structure: Structure, options?: ComputeOptions): DescriptorValues | WithDerivatives | SOAPValues | SOAPWithDerivatives;
  /** Runs a job (parse → neighbour list → descriptor) and reports errors as values. */
  run(job: WorkerJob): JobOutcome;
  /**
   * Runs several jobs in one message (small structures), one outcome each. `tables` are SOAP
   * radial tables the pool built once in its main thread; they are cached here first.
   */
  runMany(jobs: WorkerJob[], tables?: SOAPKernelTable[]): JobOutcome[];
  /** Gives this worker's wasm memory back ({@link releaseMemory}); its cached descriptors stay. */
  releaseMemory(): void;
}

/** The structure of a job: parsed here when it came as text (one frame). */
function jobStructure(input: Structure | StructureText): Structure {
  if (input === null || typeof input !== 'object' || typeof (input as StructureText).text !== 'string') return input as Structure;
  const { text, format } = input as StructureText;
  const frames = parseStructures(text, format);
  if (frames.length !== 1) throw new AtomenvError('PARSE_ERROR', `a job's structure text must hold exactly one frame, got ${frames.length}`);
  return frames[0]!;
}

/** The result buffers of an outcome, to transfer instead of copy. */
function transferables(outcome: JobOutcome): ArrayBuffer[] {
  if (!outcome.ok) return [];
  const v = outcome.value as Partial<{
    values: Float64Array | Float32Array;
    derivatives: { values: Float64Array; offsets?: Int32Array; atoms?: Int32Array };
    positions: Float64Array;
    strain: Float64Array;
    cell: Float64Array | null;
    atomicEnergies: Float64Array;
    forces: Float64Array;
    stress: Float64Array;
    atoms: Int32Array;
  }>;
  const arrays = [
    v.values, v.derivatives?.values, v.derivatives?.offsets, v.derivatives?.atoms, v.positions, v.strain, v.cell,
    v.atomicEnergies, v.forces, v.stress, v.atoms,
  ];
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) if (a !== undefined && a !== null) buffers.add(a.buffer as ArrayBuffer);
  return [...buffers];
}

/** An error as a {@link JobError}; anything but an AtomenvError is INTERNAL (no stack). */
export function toJobError(error: unknown): JobError {
  if (error instanceof AtomenvError) return { code: error.code, message: error.message, location: error.location };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Objects built from configs, cached: first by the config object (the jobs of one message share
 * it: structured clone keeps identity), then by the caller's name for it (`key`, e.g. a pool's
 * modelKey) or else its JSON text (a model's config, CACE weights or n2p2 files, is large to
 * stringify, ~0.3 ms for H2O_RPBE-D3).
 */
function configCache<T>(make: (config: DescriptorConfig) => T): (config: DescriptorConfig, key?: string) => T {
  const byText = new Map<string, T>();
  const byObject = new WeakMap<DescriptorConfig, T>();
  return (config, key) => {
    let value = byObject.get(config);
    if (value !== undefined) return value;
    const text = key !== undefined ? `key:${key}` : JSON.stringify(config);
    value = byText.get(text);
    if (value === undefined) {
      value = make(config);
      byText.set(text, value);
    }
    byObject.set(config, value);
    return value;
  };
}

/** The error a {@link JobError} stands for: the AtomenvError with its code, message and location. */
export function fromJobError(error: JobError): Error {
  if (error.code === 'INTERNAL') return new Error(`atomenv worker: ${error.message}`);
  const out = new AtomenvError(error.code, '', error.location ?? {});
  // The message already carries the location's words.
  out.message = error.message;
  return out;
}

/**
 * A service object for a worker entry point. `transfer(result, buffers)` marks the result's
 * buffers as transferable (comlink's `transfer` in the entry points), so results are not copied.
 */
export function createDescriptorService(transfer: <T>(value: T, buffers: ArrayBuffer[]) => T): DescriptorService {
  // Descriptors (and n2p2 potentials for 'energyPart' jobs) are cached by their config, so
  // repeated requests reuse the packed parameters.
  const descriptorFor = configCache((config): Descriptor => {
    const { descriptor, ...options } = config;
    return createDescriptor(descriptor, options);
  });
  const potentialFor = configCache((config): N2p2Potential => {
    if (config.descriptor !== 'n2p2Potential') throw new AtomenvError('INVALID_PARAMETER', `${config.descriptor}: only n2p2 potentials split a structure into parts`);
    return new N2p2Potential(config.files as PotentialFiles);
  });
  /** One job: parse → neighbour list → descriptor; errors become values. */
  const runJob = (job: WorkerJob): JobOutcome => {
    try {
      const kind = job.kind ?? 'values';
      if (kind === 'energyPart') {
        const potential = potentialFor(job.config, job.modelKey);
        const part = job.part ?? { index: 0, count: 1 };
        return { ok: true, value: potential.computePart(jobStructure(job.structure), part.index, part.count) };
      }
      const d = descriptorFor(job.config);
      const structure = jobStructure(job.structure);
      const centers = (job.centers ?? null) as ArrayLike<number> | null;
      if (kind === 'values') return { ok: true, value: d.create(structure, { centers }) };
      if (kind === 'energy') {
        if (d.energy === undefined) throw new AtomenvError('INVALID_PARAMETER', `${job.config.descriptor} gives no energies (it has no readout)`);
        return { ok: true, value: d.energy(structure) };
      }
      if (kind === 'backward') {
        if (d.backward === undefined) throw new AtomenvError('INVALID_PARAMETER', `${job.config.descriptor} has no backward pass`);
        return { ok: true, value: d.backward(structure, job.dLdFeatures ?? [], { centers }) };
      }
      return { ok: true, value: d.derivatives(structure, { centers, attach: job.attach ?? false, layout: job.layout ?? 'dense' }) };
    } catch (error) {
      return { ok: false, error: toJobError(error) };
    }
  };
  return {
    async init(module) {
      await init(module === undefined ? {} : { module });
    },
    run(job) {
      const outcome = runJob(job);
      return transfer(outcome, transferables(outcome));
    },
    releaseMemory() {
      releaseMemory();
    },
    runMany(jobs, tables = []) {
      for (const table of tables) installSoapKernelTable(table);
      const outcomes = jobs.map((job) => runJob(job));
      return transfer(outcomes, outcomes.flatMap(transferables));
    },
    compute(config, structure, options = {}) {
      const d = descriptorFor(config);
      if (!options.derivatives) {
        const out = d.create(structure, { centers: options.centers ?? null });
        return transfer(out, [out.values.buffer as ArrayBuffer]);
      }
      const out = d.derivatives(structure, { centers: options.centers ?? null, attach: options.attach ?? false, layout: options.layout ?? 'dense' });
      const buffers = [out.values.buffer, out.derivatives.values.buffer] as ArrayBuffer[];
      if (out.derivatives.layout === 'sparse') buffers.push(out.derivatives.offsets.buffer as ArrayBuffer, out.derivatives.atoms.buffer as ArrayBuffer);
      return transfer(out, buffers);
    },
  };
}
