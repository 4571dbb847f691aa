import { describe, expect, it } from 'vitest';
import { createPoolWith } from '../../src/pool/pool.js';
import type { WorkerHost, WorkerSpawner } from '../../src/pool/workerHost.js';
import type { JobOutcome, WorkerJob } from '../../src/worker/service.js';

// The pool keeps a second task queued in a busy worker while the queue holds a task per worker.
// These fake workers behave like threads: they take their messages one at a time, in order, and
// a worker that dies never answers the messages still waiting in its queue.

/** An input item of about 2 048 "atoms" (lines), so every item is a chunk of its own. */
const item = (name: string) => ({ text: `${'x\n'.repeat(2048)}${name}` });
const nameOf = (job: WorkerJob) => (job.structure as { text: string }).text.slice(2 * 2048);

interface Log {
  ran: string[];
  crashes: number;
  spawned: number;
  /** Largest number of tasks a worker held at once (received, not answered). */
  maxHeld: number;
  /** Log items as name@worker (the spawn index). */
  tagWorker?: boolean;
}

/**
 * Workers that take 3 ms per task and die on a job named `crash`. boot: per spawned worker (in
 * order), ms until it has loaded, or 'fail' to die while loading (default 0).
 */
function serialSpawner(log: Log, boot: (number | 'fail')[] = []): WorkerSpawner {
  return {
    defaultWorkers: () => 2,
    spawn(): WorkerHost {
      const me = log.spawned++;
      const booting = boot[me] ?? 0;
      let dead = false;
      let die: (reason: string) => void = () => undefined;
      const exited = new Promise<string>((resolve) => (die = resolve));
      const inbox: { jobs: WorkerJob[]; answer: (o: JobOutcome[]) => void }[] = [];
      let busy = false;
      const next = () => {
        if (busy || dead || inbox.length === 0) return;
        busy = true;
        const { jobs, answer } = inbox[0]!;
        setTimeout(() => {
          busy = false;
          if (dead) return;
          if (jobs.some((job) => nameOf(job) === 'crash')) {
            dead = true;
            log.crashes++;
            die('crash');
            return;
          }
          inbox.shift();
          log.ran.push(...jobs.map((job) => `${nameOf(job)}@${me}`.replace(/@\d+$/, log.tagWorker ? `@${me}` : '')));
          answer(jobs.map((job) => ({ ok: true, value: { values: new Float64Array([nameOf(job).length]), shape: [1, 1] } })));
          next();
        }, 3);
      };
      const service = {
        init: () =>
          new Promise<void>((resolve) => {
            if (booting === 'fail') {
              dead = true;
              setTimeout(() => die('failed to load'), 1);
            } else {
              setTimeout(resolve, booting);
            }
          }),
        runMany: (jobs: WorkerJob[]): Promise<JobOutcome[]> =>
          new Promise((answer) => {
            inbox.push({ jobs, answer });
            log.maxHeld = Math.max(log.maxHeld, inbox.length);
            next();
          }),
      };
      return {
        service: service as unknown as WorkerHost['service'],
        exited,
        terminate: async () => {
          dead = true;
          die('terminated');
        },
      };
    },
  };
}

const EMPTY_MODULE = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));

describe('Pool: a next task waits in each busy worker', () => {
  it('keeps two tasks in a worker while there is work for every worker, results in input order', async () => {
    const log: Log = { ran: [], crashes: 0, spawned: 0, maxHeld: 0 };
    const pool = await createPoolWith(serialSpawner(log), { workers: 2, module: EMPTY_MODULE });
    const names = Array.from({ length: 12 }, (_, k) => `item${k}`);
    const results = await pool.compute({ descriptor: 'x' }, names.map(item));
    expect(results.map((r) => r.ok)).toEqual(names.map(() => true));
    expect(results.map((r) => (r.ok ? (r.value as { values: Float64Array }).values[0] : -1))).toEqual(names.map((n) => n.length));
    expect(log.maxHeld).toBe(2);
    expect([...log.ran].sort()).toEqual([...names].sort());
    await pool.close();
  });

  it('sends a queue shorter than the workers one task per worker (the last tasks go to whichever is free)', async () => {
    const log: Log = { ran: [], crashes: 0, spawned: 0, maxHeld: 0 };
    const pool = await createPoolWith(serialSpawner(log), { workers: 2, module: EMPTY_MODULE });
    const results = await pool.compute({ descriptor: 'x' }, ['a', 'b', 'c'].map(item));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(log.maxHeld).toBe(1);
    await pool.close();
  });

  it('a worker that dies: its running task is retried once, the one waiting behind it runs once elsewhere', async () => {
    const log: Log = { ran: [], crashes: 0, spawned: 0, maxHeld: 0 };
    const pool = await createPoolWith(serialSpawner(log), { workers: 2, module: EMPTY_MODULE });
    const names = ['a', 'b', 'crash', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    const results = await pool.compute({ descriptor: 'x' }, names.map(item));
    expect(results.map((r) => r.ok)).toEqual(names.map((n) => n !== 'crash'));
    expect(results[2]).toMatchObject({ ok: false, error: { code: 'WORKER_CRASHED' } });
    // Tried twice; every other item ran exactly once, waiting ones included.
    expect(log.crashes).toBe(2);
    expect([...log.ran].sort()).toEqual(names.filter((n) => n !== 'crash').sort());
    expect(log.spawned).toBe(2 + 2);
    expect(pool.size).toBe(2);
    await pool.close();
  });

  it('abort: workers running the call are stopped, and the pool serves the next call', async () => {
    const log: Log = { ran: [], crashes: 0, spawned: 0, maxHeld: 0 };
    const pool = await createPoolWith(serialSpawner(log), { workers: 2, module: EMPTY_MODULE });
    const controller = new AbortController();
    const call = pool.compute({ descriptor: 'x' }, Array.from({ length: 40 }, (_, k) => item(`slow${k}`)), { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(call).rejects.toMatchObject({ code: 'ABORTED' });
    expect(log.ran.length).toBeLessThan(40);
    const after = await pool.compute({ descriptor: 'x' }, ['p', 'q', 'r', 's', 't'].map(item));
    expect(after.every((r) => r.ok)).toBe(true);
    expect(pool.size).toBe(2);
    await pool.close();
  });

  it('is usable once one worker has loaded: a short call runs there without waiting for the other', async () => {
    const log: Log = { ran: [], crashes: 0, spawned: 0, maxHeld: 0, tagWorker: true };
    const started = performance.now();
    const pool = await createPoolWith(serialSpawner(log, [300, 0]), { workers: 2, module: EMPTY_MODULE });
    const results = await pool.compute({ descriptor: 'x' }, [item('one')]);
    expect(performance.now() - started).toBeLessThan(250);
    expect(results[0]!.ok).toBe(true);
    expect(log.ran).toEqual(['one@1']);
    expect(pool.size).toBe(2);
    // A longer call right away does not wait for the worker still loading: the loaded one takes it all.
    const more = await pool.compute({ descriptor: 'x' }, Array.from({ length: 8 }, (_, k) => item(`m${k}`)));
    expect(more.every((r) => r.ok)).toBe(true);
    expect(performance.now() - started).toBeLessThan(250);
    expect(log.ran.slice(1).every((name) => name.endsWith('@1'))).toBe(true);
    // Once it has loaded it takes its share.
    await new Promise((resolve) => setTimeout(resolve, 300));
    log.ran.length = 0;
    await pool.compute({ descriptor: 'x' }, Array.from({ length: 8 }, (_, k) => item(`n${k}`)));
    expect(log.ran.some((name) => name.endsWith('@0'))).toBe(true);
    expect(log.ran.some((name) => name.endsWith('@1'))).toBe(true);
    await pool.close();
  });

  it('fails to start only when every worker fails to load; one that fails is replaced', async () => {
    const dead: Log = { ran: [], crashes: 0, spawned: 0, maxHeld: 0 };
    await expect(createPoolWith(serialSpawner(dead, ['fail', 'fail']), { workers: 2, module: EMPTY_MODULE })).rejects.toMatchObject({ code: 'WORKER_CRASHED' });
    const log: Log = { ran: [], crashes: 0, spawned: 0, maxHeld: 0 };
    const pool = await createPoolWith(serialSpawner(log, ['fail', 0]), { workers: 2, module: EMPTY_MODULE });
    const results = await pool.compute({ descriptor: 'x' }, ['a', 'b', 'c', 'd', 'e'].map(item));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(pool.size).toBe(2);
    expect(log.spawned).toBe(3);
    await pool.close();
  });
});
