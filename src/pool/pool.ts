import { AtomenvError } from '../errors.js';
import type { DerivativesLayout } from '../gradients/atomGradients.js';
import { declaredAtomCount, type Structure } from '../structure/structure.js';
import { currentRuntime, init } from '../wasm/loader.js';
import { soapKernelTableForConfig, type SOAPKernelTable } from '../soap/radialTable.js';
import { fromJobError, type DescriptorConfig, type JobError, type JobOutcome, type StructureText, type WorkerJob } from '../worker/service.js';
import type { WorkerHost, WorkerSpawner } from './workerHost.js';
import type { EnergyResult } from '../potentials/energyModel.js';
import { N2p2Potential, combinePotentialParts, type PotentialPart } from '../n2p2/potential.js';

/** An input item: a structure object, structure text (one frame), or either with its own options. */
export type PoolInput = Structure | StructureText | PoolItem;

/**
 * What the workers compute: a config (`{ descriptor: 'soap', ...options }`) or a descriptor
 * object that carries one (`new SOAP(...)`, `new ACSF(...)`).
 */
export type PoolDescriptor = DescriptorConfig | { readonly config: { readonly descriptor: string } };

function configOf(descriptor: PoolDescriptor): DescriptorConfig {
  const config = 'config' in descriptor && typeof descriptor.config === 'object' && descriptor.config !== null
    ? descriptor.config
    : descriptor;
  if (typeof (config as DescriptorConfig).descriptor !== 'string') {
    throw new AtomenvError('INVALID_PARAMETER', 'pool: give a descriptor config { descriptor: "soap", ... } or a descriptor object such as new SOAP(...)');
  }
  return config as DescriptorConfig;
}

/** An input item with per-item options. */
export interface PoolItem {
  structure: Structure | StructureText;
  /** Centres of this item (overrides the call's `centers`). */
  centers?: ArrayLike<number> | ArrayLike<ArrayLike<number>> | null;
  /** ∂L/∂features of this item, for `kind: 'backward'`. */
  dLdFeatures?: ArrayLike<number>;
}

/** The result of one item, in input order: its value, or the error that stopped it. */
export type PoolResult =
  | { readonly index: number; readonly ok: true; readonly value: Extract<JobOutcome, { ok: true }>['value'] }
  | { readonly index: number; readonly ok: false; readonly error: JobError };

/** Options of {@link Pool.compute} and {@link Pool.stream}. */
export interface PoolComputeOptions {
  /**
   * 'values' (default), 'derivatives' (with `attach`, `layout`), 'backward' (items carry
   * dLdFeatures), or 'energy' (energy, atomic energies and forces of models with a readout).
   */
  kind?: 'values' | 'derivatives' | 'backward' | 'energy';
  /** Centres for every item (atom indices or points); default every atom. */
  centers?: ArrayLike<number> | ArrayLike<ArrayLike<number>> | null;
  attach?: boolean;
  layout?: DerivativesLayout;
  /** Called after each finished item with the number done and (for `compute`) the total. */
  onProgress?: (progress: { done: number; total: number | null }) => void;
  /** Stops the call: queued items are dropped, running ones are cancelled by restarting their worker. */
  signal?: AbortSignal;
}

/**
 * A model for {@link Pool.energy}: an n2p2 potential (`N2p2Potential`, or its config
 * `{ descriptor: 'n2p2Potential', files }`), or any model {@link Pool.compute} takes with
 * `kind: 'energy'` (a CACE object or config).
 */
export type PoolEnergyModel = N2p2Potential | PoolDescriptor;

/** Options of {@link Pool.energy}. */
export interface PoolEnergyOptions {
  /**
   * Parts to split the structure into, each a task for a worker (n2p2 potentials only). Default:
   * for a structure of at least {@link SPLIT_MIN_ATOMS} atoms, one per idle worker (all of them
   * when the pool has nothing else to do; 1 while its workers are busy with other calls, so
   * concurrent calls run side by side without the cost of splitting), else 1 (the whole
   * structure on one worker).
   */
  parts?: number;
  /** Stops the call: it rejects with `ABORTED` and the workers running its parts are restarted. */
  signal?: AbortSignal;
}

/**
 * Atoms from which {@link Pool.energy} splits an n2p2 potential's structure across the workers
 * by default. Each part builds the whole neighbour list and edge tables (≈ 10 % of the
 * structure's time) and a round trip to a worker costs ~0.2 ms. Measured with H2O_RPBE-D3 on 2
 * idle cores (median ms, one worker → two parts): 96-atom droplet 2.2 → 1.4–1.9, 96 atoms
 * spread thin 1.7 → 1.4–2.0, 144 spread thin 1.2–1.3 → 1.1, 192-atom droplet 5.2 → 3.2, 192-atom
 * liquid box 11.1 → 7.1, 1 080-atom liquid 59 → 34. While other processes hold the cores,
 * splitting costs ~15 % instead.
 */
export const SPLIT_MIN_ATOMS = 128;

/** Options of {@link createPoolWith}. */
export interface PoolOptions {
  /** Number of workers (default: the machine's available parallelism). */
  workers?: number;
  /** A compiled atomenv module to share (default: the one `init()` loads). */
  module?: WebAssembly.Module;
}

/** Jobs sent to a worker in one message (small structures travel in chunks). */
interface Task {
  readonly jobs: WorkerJob[];
  attempts: number;
  /** Sent back to the queue once without counting the attempt (it was waiting behind a crash). */
  requeued?: boolean;
  /** Settles the task exactly once, with one outcome per job. */
  finish(outcomes: JobOutcome[]): void;
  readonly batch: Batch;
}

/** Ends every job of a task with the same error. */
function fail(task: Task, error: JobError): void {
  task.finish(task.jobs.map(() => ({ ok: false, error })));
}

/** A chunk ends once it holds this many atoms (or {@link CHUNK_ITEMS} items). */
const CHUNK_ATOMS = 2048;
const CHUNK_ITEMS = 64;
/** A stream's chunk ends at this many atoms: smaller than compute's, to bound what is in flight. */
const STREAM_CHUNK_ATOMS = 512;

/** Atoms of an input, estimated from the line count for text. */
function atomsOf(input: PoolInput): number {
  const s = (isItem(input) ? input.structure : input) as Partial<Structure & StructureText> | null;
  // Not a structure (null, a number, …): one unit of work, whose job reports the error.
  if (s === null || typeof s !== 'object') return 1;
  if (typeof s.text === 'string') return s.text.split('\n').length;
  return declaredAtomCount(s) ?? 1;
}

/** The tasks of one compute/stream call (for cancellation). */
interface Batch {
  aborted: boolean;
  /** Radial tables the call's descriptor needs, built once here; each worker receives a table once. */
  readonly tables: readonly SOAPKernelTable[];
  /** The listener on the call's AbortSignal, removed when the call ends. */
  onAbort?: () => void;
}

/**
 * Tasks a worker holds at once: the one it runs and the next, already in its message queue, so it
 * starts that one without waiting for the main thread to read the answer and send more (the main
 * thread may be busy with a garbage collection or other answers).
 */
const TASKS_PER_WORKER = 2;

interface Slot {
  host: WorkerHost;
  ready: Promise<void>;
  /** Tasks sent to this worker and not answered yet, in the order the worker runs them. */
  tasks: Task[];
  /** Set once the pool terminates this worker (cancel): it takes no more tasks. */
  stopping?: boolean;
  /** Set once the worker has loaded atomenv (`ready` resolved). */
  booted: boolean;
  /** Keys of the tables this worker has received. */
  tables: Set<string>;
}

const ABORTED: JobError = { code: 'ABORTED', message: 'the call was aborted' };

/**
 * A pool of workers that each run the whole per-structure pipeline (parse → neighbour list →
 * descriptor); only results cross threads (their buffers are transferred, not copied).
 *
 * Faults: an item that fails yields `{ ok: false, error }` while the others finish; a worker that
 * dies is replaced and its item retried once (then `WORKER_CRASHED`); an aborted call drops its
 * queued items and terminates (and replaces) the workers running its items.
 */
export class Pool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private closed = false;

  private constructor(
    private readonly spawner: WorkerSpawner,
    /** The shared module; workers start booting before it is compiled and receive it when it is. */
    private readonly module: Promise<WebAssembly.Module>,
    workers: number,
  ) {
    for (let i = 0; i < workers; i++) this.slots.push(this.startSlot());
  }

  /** @internal Use {@link createPool}. */
  static async start(spawner: WorkerSpawner, options: PoolOptions = {}): Promise<Pool> {
    const workers = options.workers ?? spawner.defaultWorkers();
    if (!Number.isInteger(workers) || workers < 1) {
      throw new AtomenvError('INVALID_PARAMETER', `createPool: workers must be an integer ≥ 1, got ${String(workers)}`);
    }
    // Workers take tens of ms to boot: spawn them first, compile meanwhile.
    const module = options.module !== undefined ? Promise.resolve(options.module) : init().then((rt) => rt.module);
    const pool = new Pool(spawner, module, workers);
    // Usable once one worker is: work goes to the ready ones first while the others finish
    // booting (two workers booting on two cores are ready several ms apart). Fails only when
    // every worker fails to load; one that fails alone is replaced like a crashed one.
    try {
      await Promise.any(pool.slots.map((s) => s.ready));
    } catch (error) {
      await pool.close();
      throw error instanceof AggregateError ? error.errors[0] : error;
    }
    return pool;
  }

  /** Number of workers. */
  get size(): number {
    return this.slots.length;
  }

  /**
   * Runs every input through `descriptor` (`{ descriptor: 'soap', ...options }`), results in
   * input order. Rejects only when aborted (with an AtomenvError `ABORTED`) or closed.
   */
  async compute(descriptor: PoolDescriptor, inputs: ArrayLike<PoolInput>, options: PoolComputeOptions = {}): Promise<PoolResult[]> {
    descriptor = configOf(descriptor);
    const batch = this.openBatch(options.signal, descriptor);
    const total = inputs.length;
    let done = 0;
    const chunks: Promise<JobOutcome[]>[] = [];
    // Small structures travel in chunks, but never fewer than 2 chunks per worker (balance).
    let totalAtoms = 0;
    for (let index = 0; index < total; index++) totalAtoms += atomsOf(inputs[index]!);
    const share = 2 * this.slots.length;
    const maxAtoms = Math.min(CHUNK_ATOMS, Math.ceil(totalAtoms / share));
    const maxItems = Math.min(CHUNK_ITEMS, Math.ceil(total / share));
    let jobs: WorkerJob[] = [];
    let atoms = 0;
    for (let index = 0; index < total; index++) {
      const input = inputs[index]!;
      jobs.push(makeJob(descriptor, input, options));
      atoms += atomsOf(input);
      if (atoms >= maxAtoms || jobs.length >= maxItems || index === total - 1) {
        const count = jobs.length;
        chunks.push(this.submit(batch, jobs).then((outcomes) => {
          for (let k = 0; k < count; k++) options.onProgress?.({ done: ++done, total });
          return outcomes;
        }));
        jobs = [];
        atoms = 0;
      }
    }
    const outcomes = (await Promise.all(chunks)).flat();
    this.closeBatch(batch, options.signal);
    return outcomes.map((outcome, index) => withIndex(index, outcome));
  }

  /**
   * Runs a stream of inputs of any length; yields results in input order while keeping at most
   * 2 × workers tasks in flight, so memory stays bounded. While a worker is idle each input is
   * sent at once; while all are busy, small structures gather into one task (up to
   * {@link STREAM_CHUNK_ATOMS} atoms), so a stream of molecules is not one message per molecule.
   */
  async *stream(
    descriptor: PoolDescriptor, inputs: AsyncIterable<PoolInput> | Iterable<PoolInput>, options: PoolComputeOptions = {},
  ): AsyncGenerator<PoolResult> {
    descriptor = configOf(descriptor);
    const batch = this.openBatch(options.signal, descriptor);
    const window = 2 * this.slots.length;
    const pending: { outcomes: Promise<JobOutcome[]>; settled: boolean }[] = [];
    let jobs: WorkerJob[] = [];
    let atoms = 0;
    let next = 0;
    const flush = () => {
      const entry = { outcomes: this.submit(batch, jobs), settled: false };
      void entry.outcomes.then(() => (entry.settled = true));
      pending.push(entry);
      jobs = [];
      atoms = 0;
    };
    /** The outcomes of the oldest task, once it is done. */
    const head = async (): Promise<JobOutcome[]> => {
      const outcomes = await pending.shift()!.outcomes;
      this.throwIfAborted(batch, options.signal);
      return outcomes;
    };
    try {
      for await (const input of inputs) {
        jobs.push(makeJob(descriptor, input, options));
        atoms += atomsOf(input);
        const running = pending.filter((e) => !e.settled).length;
        if (running < this.slots.length || atoms >= STREAM_CHUNK_ATOMS || jobs.length >= CHUNK_ITEMS) flush();
        while (pending.length >= window || pending[0]?.settled === true) {
          for (const outcome of await head()) {
            options.onProgress?.({ done: next + 1, total: null });
            yield withIndex(next++, outcome);
          }
        }
      }
      if (jobs.length > 0) flush();
      while (pending.length > 0) {
        for (const outcome of await head()) {
          options.onProgress?.({ done: next + 1, total: null });
          yield withIndex(next++, outcome);
        }
      }
    } finally {
      // A consumer that stops early (break) or an abort: cancel what is still queued or running.
      if (pending.length > 0) this.cancel(batch);
      this.closeBatch(batch, options.signal);
    }
  }

  /**
   * Energy, atomic energies, forces and (periodic cells) stress of one structure. With an n2p2
   * potential and a structure of ≥ {@link SPLIT_MIN_ATOMS} atoms (or `options.parts`), the
   * structure goes to every idle worker, each computes the energies of a contiguous run of the atoms
   * in space and their share of the forces and stress (`N2p2Potential.computePart`), and the
   * parts are summed here: equal to `potential.compute(structure)` up to rounding (~1e-15
   * relative). Otherwise the whole structure runs on one worker. (For many structures at once,
   * `compute(model, structures, { kind: 'energy' })` gives each worker whole structures.)
   *
   * ```ts
   * const pool = await createPool({ workers: 2 });
   * const { energy, forces, stress } = await pool.energy(potential, structure);
   * ```
   *
   * Rejects with the {@link AtomenvError} that `compute` would throw for a bad structure
   * (same code, naming the caller's atom indices), `WORKER_CRASHED` when a worker running a part
   * dies twice, `ABORTED` when aborted or the pool is closed.
   */
  async energy(model: PoolEnergyModel, structure: Structure | StructureText, options: PoolEnergyOptions = {}): Promise<EnergyResult> {
    // A potential object's files travel with each call but the workers find it by its name.
    const named = model instanceof N2p2Potential ? potentialConfig(model) : null;
    const config = named?.config ?? configOf(model as PoolDescriptor);
    const split = config.descriptor === 'n2p2Potential';
    const parts = options.parts ?? (split && atomsOf(structure) >= SPLIT_MIN_ATOMS ? Math.max(1, this.idleWorkers()) : 1);
    if (!Number.isInteger(parts) || parts < 1) throw new AtomenvError('INVALID_PARAMETER', `pool.energy: parts must be an integer ≥ 1, got ${String(parts)}`);
    if (parts > 1 && !split) throw new AtomenvError('INVALID_PARAMETER', `pool.energy: only n2p2 potentials split a structure into parts (got ${config.descriptor})`);
    const batch = this.openBatch(options.signal, config);
    // n2p2: parts (one for the whole structure) that are summed here; other models: one job.
    const jobs: WorkerJob[] = split
      ? Array.from({ length: parts }, (_, index) => ({
        config, structure, kind: 'energyPart', part: { index, count: parts }, ...(named !== null ? { modelKey: named.key } : {}),
      }))
      : [{ config, structure, kind: 'energy' }];
    const outcomes = (await Promise.all(jobs.map((job) => this.submit(batch, [job])))).flat();
    this.closeBatch(batch, options.signal);
    const failed = outcomes.find((o) => !o.ok);
    if (failed !== undefined && !failed.ok) throw fromJobError(failed.error);
    const values = outcomes.map((o) => (o as Extract<JobOutcome, { ok: true }>).value);
    return split ? combinePotentialParts(values as PotentialPart[]) : (values[0] as EnergyResult);
  }

  /** Workers with no task (booting ones included) less the tasks waiting for one. */
  private idleWorkers(): number {
    let idle = 0;
    for (const slot of this.slots) if (slot.tasks.length === 0 && !slot.stopping) idle++;
    return idle - this.queue.length;
  }

  /**
   * Gives the workers' wasm memory back (`releaseMemory()` in each worker; see the function of
   * that name). A worker runs it between tasks: after the tasks already sent to it (at most 2),
   * before any sent later; tasks still queued in the pool run afterwards. Resolves once every
   * worker has done so; a worker still booting has nothing to give back, and one that stops
   * meanwhile is replaced by a fresh one anyway. Results of later calls are unchanged. The main
   * thread's own memory (where it computed, e.g. SOAP tables for the workers) is `releaseMemory()`'s.
   */
  async releaseMemory(): Promise<void> {
    if (this.closed) return;
    await Promise.all(this.slots.map(async (slot) => {
      if (!slot.booted) return;
      const { host } = slot;
      await Promise.race([host.service.releaseMemory(), host.exited]);
    }));
  }

  /** Terminates every worker; queued and running items end with `ABORTED`. The pool is unusable after. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closedError: JobError = { code: 'ABORTED', message: 'the pool was closed' };
    for (const task of this.queue.splice(0)) fail(task, closedError);
    const hosts = this.slots.map((s) => s.host);
    for (const slot of this.slots) {
      for (const task of slot.tasks.splice(0)) fail(task, closedError);
    }
    this.slots.length = 0;
    await Promise.all(hosts.map((h) => h.terminate()));
  }

  private startSlot(): Slot {
    const host = this.spawner.spawn();
    const slot: Slot = { host, ready: Promise.resolve(), tasks: [], tables: new Set(), booted: false };
    slot.ready = Promise.race([
      this.module.then((module) => host.service.init(module)),
      host.exited.then((reason) => {
        throw new AtomenvError('WORKER_CRASHED', `a worker stopped while loading atomenv: ${reason}`);
      }),
    ]);
    slot.ready.then(
      () => {
        slot.booted = true;
        this.dispatch();
      },
      () => undefined,
    );
    // A worker that dies while idle is replaced too.
    void host.exited.then(() => this.onExit(slot));
    return slot;
  }

  private submit(batch: Batch, jobs: WorkerJob[]): Promise<JobOutcome[]> {
    if (this.closed) return Promise.resolve(jobs.map(() => ({ ok: false, error: { code: 'ABORTED', message: 'the pool is closed' } })));
    if (batch.aborted) return Promise.resolve(jobs.map(() => ({ ok: false, error: ABORTED })));
    return new Promise<JobOutcome[]>((resolve) => {
      this.queue.push(newTask(batch, jobs, 0, resolve));
      this.dispatch();
    });
  }

  /**
   * Gives queued tasks to idle loaded workers, and a next one to busy workers (up to
   * {@link TASKS_PER_WORKER}) while every worker is up and the queue holds at least a task per
   * worker: near the end of a call the last tasks go to whichever worker is free first.
   */
  private dispatch(): void {
    // Only workers that have loaded take tasks (one still loading gets them once it has), so no
    // task waits on a worker that is booting while another is free; a next task is queued in a
    // busy worker only while every worker is up.
    const slots = this.slots.filter((s) => s.booted);
    const depths = slots.length === this.slots.length ? TASKS_PER_WORKER : 1;
    for (let depth = 1; depth <= depths; depth++) {
      for (const slot of slots) {
        if (this.queue.length === 0 || (depth > 1 && this.queue.length < this.slots.length)) return;
        if (slot.tasks.length < depth && !slot.stopping) this.send(slot, this.queue.shift()!);
      }
    }
  }

  /** Sends a task to a worker; its answer settles the task and makes room for the next. */
  private send(slot: Slot, task: Task): void {
    slot.tasks.push(task);
    task.attempts++;
    const { host } = slot;
    const tables = task.batch.tables.filter((t) => !slot.tables.has(t.key));
    for (const t of tables) slot.tables.add(t.key);
    /** Removes the task from the slot; false when the worker was replaced meanwhile (onExit owns it). */
    const release = (): boolean => {
      const k = slot.tasks.indexOf(task);
      if (slot.host !== host || slot.stopping || k < 0) return false;
      slot.tasks.splice(k, 1);
      return true;
    };
    slot.ready
      .then((): Promise<JobOutcome[]> => host.service.runMany(task.jobs, tables) as Promise<JobOutcome[]>)
      .then(
        (outcome) => {
          if (!release()) return;
          task.finish(outcome);
          this.dispatch();
        },
        (error: unknown) => {
          // A worker that died is handled by onExit (which has replaced the slot by now);
          // any other failure of the call ends this item only.
          if (!release()) return;
          fail(task, { code: 'INTERNAL', message: `the worker call failed: ${error instanceof Error ? error.message : String(error)}` });
          this.dispatch();
        },
      );
  }

  /**
   * A worker is gone: replace it and retry its tasks (unless aborted or closed). The first was
   * running and is retried once; the ones queued behind it had not run (a worker takes its
   * messages in order) and go back to the queue as they were.
   */
  private onExit(slot: Slot): void {
    if (this.closed || !this.slots.includes(slot)) return;
    const [running, ...waiting] = slot.tasks.splice(0);
    const index = this.slots.indexOf(slot);
    const fresh = this.startSlot();
    this.slots[index] = fresh;
    const retry: Task[] = [];
    if (running !== undefined) {
      if (running.batch.aborted) {
        fail(running, ABORTED);
      } else if (running.attempts >= 2) {
        fail(running, { code: 'WORKER_CRASHED', message: 'the worker running this item stopped twice (crash or out of memory)' });
      } else if (running.jobs.length === 1) {
        retry.push(running);
      } else {
        // Retry a chunk item by item, so only the item that kills a worker fails.
        const outcomes: JobOutcome[] = new Array(running.jobs.length);
        let left = running.jobs.length;
        retry.push(...running.jobs.map((job, k) =>
          newTask(running.batch, [job], 1, ([outcome]) => {
            outcomes[k] = outcome!;
            if (--left === 0) running.finish(outcomes);
          }),
        ));
      }
    }
    for (const task of waiting) {
      if (task.batch.aborted) {
        fail(task, ABORTED);
        continue;
      }
      // Not run: this sending does not count as an attempt (at most once, so a task cannot
      // circle forever should it have been running after all).
      if (!task.requeued) {
        task.requeued = true;
        task.attempts--;
      }
      retry.push(task);
    }
    this.queue.unshift(...retry);
    this.dispatch();
  }

  /** Drops the batch's queued tasks and restarts the workers running its tasks. */
  private cancel(batch: Batch): void {
    batch.aborted = true;
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i]!.batch === batch) fail(this.queue.splice(i, 1)[0]!, ABORTED);
    }
    for (const slot of this.slots) {
      for (const task of slot.tasks) if (task.batch === batch) fail(task, ABORTED);
      // A worker running one of them is stopped (the exit handler replaces it and requeues its
      // tasks of other calls); one that only holds one behind another call's task answers it
      // later, into a task already settled.
      if (slot.tasks[0]?.batch === batch) {
        slot.stopping = true;
        void slot.host.terminate();
      }
    }
  }

  private openBatch(signal: AbortSignal | undefined, config: DescriptorConfig): Batch {
    if (this.closed) throw new AtomenvError('ABORTED', 'the pool is closed');
    // A SOAP table is built once here (when this thread has the runtime) and sent to the workers.
    const rt = currentRuntime();
    const table = rt === null ? null : soapKernelTableForConfig(rt, config);
    const batch: Batch = { aborted: false, tables: table === null ? [] : [table] };
    if (signal !== undefined) {
      if (signal.aborted) throw abortError(signal);
      batch.onAbort = () => this.cancel(batch);
      signal.addEventListener('abort', batch.onAbort, { once: true });
    }
    return batch;
  }

  private closeBatch(batch: Batch, signal: AbortSignal | undefined): void {
    if (signal !== undefined && batch.onAbort !== undefined) signal.removeEventListener('abort', batch.onAbort);
    this.throwIfAborted(batch, signal);
  }

  private throwIfAborted(batch: Batch, signal: AbortSignal | undefined): void {
    if (batch.aborted && signal?.aborted) throw abortError(signal);
    if (this.closed) throw new AtomenvError('ABORTED', 'the pool was closed during the call');
  }
}

/** The worker config of a potential and the name workers cache it under, one per potential. */
const potentialConfigs = new WeakMap<N2p2Potential, { config: DescriptorConfig; key: string }>();
let potentialCount = 0;
function potentialConfig(potential: N2p2Potential): { config: DescriptorConfig; key: string } {
  let entry = potentialConfigs.get(potential);
  if (entry === undefined) {
    entry = { config: { descriptor: 'n2p2Potential', files: potential.files }, key: `n2p2Potential#${++potentialCount}` };
    potentialConfigs.set(potential, entry);
  }
  return entry;
}

function abortError(signal: AbortSignal): AtomenvError {
  const reason = signal.reason instanceof Error ? `: ${signal.reason.message}` : '';
  return new AtomenvError('ABORTED', `the call was aborted${reason}`);
}

/** A task whose `finish` settles once. */
function newTask(batch: Batch, jobs: WorkerJob[], attempts: number, done: (outcomes: JobOutcome[]) => void): Task {
  let settled = false;
  return {
    jobs,
    attempts,
    batch,
    finish: (outcomes) => {
      if (settled) return;
      settled = true;
      done(outcomes);
    },
  };
}

function isItem(input: PoolInput): input is PoolItem {
  return typeof input === 'object' && input !== null && 'structure' in input;
}

function makeJob(config: DescriptorConfig, input: PoolInput, options: PoolComputeOptions): WorkerJob {
  const item = isItem(input) ? input : { structure: input };
  const job: WorkerJob = { config, structure: item.structure, kind: options.kind ?? 'values' };
  const centers = item.centers !== undefined ? item.centers : options.centers;
  if (centers !== undefined && centers !== null) job.centers = centers;
  if (options.attach !== undefined) job.attach = options.attach;
  if (options.layout !== undefined) job.layout = options.layout;
  if (item.dLdFeatures !== undefined) job.dLdFeatures = item.dLdFeatures;
  return job;
}

function withIndex(index: number, outcome: JobOutcome): PoolResult {
  return outcome.ok ? { index, ok: true, value: outcome.value } : { index, ok: false, error: outcome.error };
}

/** A pool over the given worker spawner (the runtime entries wrap this as `createPool`). */
export function createPoolWith(spawner: WorkerSpawner, options: PoolOptions = {}): Promise<Pool> {
  return Pool.start(spawner, options);
}
