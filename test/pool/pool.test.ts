import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACSF, SOAP, init, type Structure } from '../../src/index.js';
import { createPool } from '../../src/pool/createPool.node.js';
import { createPoolWith, type Pool, type PoolResult } from '../../src/pool/pool.js';
import type { WorkerHost, WorkerSpawner } from '../../src/pool/workerHost.js';
import type { JobOutcome, WorkerJob } from '../../src/worker/service.js';
import { readShared, sharedPath } from '../helpers/shared.js';
import { readFileSync } from 'node:fs';
import { soapKernelTable } from '../../src/soap/radialTable.js';
import { validateSOAPOptions } from '../../src/soap/params.js';

// The built worker bundle (npm test builds first).
const WORKER = new URL('../../dist/workers/descriptor.node.js', import.meta.url);
const CRASHING_WORKER = new URL('./fixtures/crashingWorker.mjs', import.meta.url);

const soapConfig = { descriptor: 'soap', species: ['H', 'C', 'N', 'O'], rCut: 4, nMax: 4, lMax: 4, sigma: 0.5 };
const acsfConfig = { descriptor: 'acsf', species: ['H', 'C', 'N', 'O'], rCut: 5, g2Params: [[0.5, 0]], g4Params: [[0.01, 2, -1]] };
const { descriptor: _s, ...soapOptions } = soapConfig;
const { descriptor: _a, ...acsfOptions } = acsfConfig;

let molecules: Structure[];
let pool: Pool;

beforeAll(async () => {
  await init();
  molecules = readShared('data/structures/batch_g2_CHNO_972.extxyz').slice(0, 60);
  pool = await createPool({ workers: 2, workerUrl: WORKER });
});
afterAll(async () => {
  await pool.close();
});

function values(result: PoolResult): Float64Array | Float32Array {
  if (!result.ok) throw new Error(`item ${result.index} failed: ${result.error.message}`);
  return (result.value as { values: Float64Array | Float32Array }).values;
}

describe('Pool.compute', () => {
  it('gives the main thread’s SOAP and ACSF values, in input order, with progress', async () => {
    const progress: number[] = [];
    const results = await pool.compute(soapConfig, molecules, { onProgress: ({ done, total }) => { progress.push(done); expect(total).toBe(60); } });
    expect(results.map((r) => r.index)).toEqual(molecules.map((_, i) => i));
    const soap = new SOAP(soapOptions as never);
    results.forEach((r, i) => expect(Array.from(values(r))).toEqual(Array.from(soap.create(molecules[i]!).values)));
    expect(progress).toEqual(molecules.map((_, i) => i + 1));
    const acsf = new ACSF(acsfOptions as never);
    // A descriptor object works as well as its config.
    const acsfResults = await pool.compute(acsf, molecules.slice(0, 10), { centers: [0] });
    acsfResults.forEach((r, i) => expect(Array.from(values(r))).toEqual(Array.from(acsf.create(molecules[i]!, { centers: [0] }).values)));
  });

  it('sends the SOAP radial table built in the main thread to the workers, which use it', async () => {
    // A parameter set no worker has seen. Doubling the main thread's cached table (exact in
    // float64) must show up as exactly 4× the power spectrum in the workers' results.
    const options = { ...soapOptions, sigma: 0.45 } as never;
    const reference = new SOAP(options).create(molecules[0]!).values;
    const table = soapKernelTable(await init(), validateSOAPOptions(options));
    table.data.forEach((v, k) => (table.data[k] = 2 * v));
    try {
      const [r] = await pool.compute({ descriptor: 'soap', ...(options as object) }, [molecules[0]!]);
      expect(Array.from(values(r!))).toEqual(Array.from(reference, (v) => 4 * v));
    } finally {
      table.data.forEach((v, k) => (table.data[k] = v / 2));
    }
  });

  it('parses structure text in the workers', async () => {
    const text = readFileSync(sharedPath('data/structures/mol_CH3CONH2.extxyz'), 'utf8');
    const [r] = await pool.compute(soapConfig, [{ text, format: 'extxyz' }]);
    expect(Array.from(values(r!))).toEqual(Array.from(new SOAP(soapOptions as never).create(readShared('data/structures/mol_CH3CONH2.extxyz')[0]!).values));
  });

  it('runs derivatives and the backward pass', async () => {
    const soap = new SOAP(soapOptions as never);
    const few = molecules.slice(0, 6);
    const d = await pool.compute(soapConfig, few, { kind: 'derivatives', attach: true, layout: 'sparse' });
    d.forEach((r, i) => {
      expect(r.ok).toBe(true);
      const local = soap.derivatives(few[i]!, { attach: true, layout: 'sparse' });
      expect(Array.from((r as { value: { derivatives: { values: Float64Array } } }).value.derivatives.values)).toEqual(Array.from(local.derivatives.values));
    });
    const items = few.map((structure) => ({ structure, dLdFeatures: new Float64Array(soap.create(structure).values.length).fill(0.5) }));
    const b = await pool.compute(soapConfig, items, { kind: 'backward' });
    b.forEach((r, i) => {
      expect(r.ok).toBe(true);
      const local = soap.backward(items[i]!.structure, items[i]!.dLdFeatures);
      expect(Array.from((r as { value: { positions: Float64Array } }).value.positions)).toEqual(Array.from(local.positions));
    });
    const noBackward = await pool.compute(acsfConfig, [{ structure: few[0]!, dLdFeatures: [1] }], { kind: 'backward' });
    expect(noBackward[0]).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMETER', message: expect.stringMatching(/acsf has no backward/) } });
  });

  it('reports a failing item with its index and code while the others finish', async () => {
    const bad: Structure = { symbols: ['H', 'Xe'], positions: [[0, 0, 0], [1, 0, 0]] };
    const garbled = { text: 'not a structure file at all', format: 'extxyz' as const };
    const results = await pool.compute(soapConfig, [molecules[0]!, bad, molecules[1]!, garbled, molecules[2]!]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true, false, true]);
    expect(results[1]).toMatchObject({ index: 1, ok: false, error: { code: 'SPECIES_NOT_IN_DESCRIPTOR' } });
    expect(results[3]).toMatchObject({ index: 3, ok: false, error: { code: 'PARSE_ERROR' } });
  });

  it('stops promptly on abort (terminating the busy workers) and stays usable', async () => {
    const big = readShared('data/structures/water_512mol_1536atoms.extxyz')[0]!;
    const heavy = { descriptor: 'soap', species: ['H', 'O'], rCut: 6, nMax: 8, lMax: 8, sigma: 0.5, periodic: true };
    const controller = new AbortController();
    const started = performance.now();
    const call = pool.compute(heavy, [big, big, big, big, big, big], { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(call).rejects.toMatchObject({ code: 'ABORTED' });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(1500); // the whole batch takes several seconds
    const after = await pool.compute(soapConfig, molecules.slice(0, 4));
    expect(after.every((r) => r.ok)).toBe(true);
    expect(pool.size).toBe(2);
    const already = new AbortController();
    already.abort();
    await expect(pool.compute(soapConfig, molecules, { signal: already.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('Pool.stream', () => {
  it('yields results in input order with a bounded number of items in flight', async () => {
    // 2 × workers tasks of at most 64 items (small molecules gather into one task).
    const many = Array.from({ length: 600 }, (_, k) => molecules[k % molecules.length]!);
    let pulled = 0;
    let yielded = 0;
    let maxAhead = 0;
    async function* source(): AsyncGenerator<Structure> {
      for (const m of many) {
        pulled++;
        maxAhead = Math.max(maxAhead, pulled - yielded);
        yield m;
      }
    }
    const soap = new SOAP(soapOptions as never);
    const expected = molecules.map((m) => Array.from(soap.create(m).values));
    for await (const r of pool.stream(soapConfig, source())) {
      expect(r.index).toBe(yielded);
      expect(Array.from(values(r))).toEqual(expected[r.index % molecules.length]);
      yielded++;
    }
    expect(yielded).toBe(many.length);
    expect(maxAhead).toBeLessThanOrEqual((2 * pool.size + 1) * 64 + 1);
    expect(maxAhead).toBeLessThan(many.length / 2);
  });

  it('a consumer that stops early cancels the rest', async () => {
    let count = 0;
    for await (const r of pool.stream(soapConfig, molecules)) {
      expect(r.ok).toBe(true);
      if (++count === 3) break;
    }
    const after = await pool.compute(soapConfig, molecules.slice(0, 3));
    expect(after.every((r) => r.ok)).toBe(true);
  });
});

describe('Pool faults with real threads', () => {
  it('replaces a crashed worker, retries its item once, then reports WORKER_CRASHED; the rest finish', async () => {
    const crashing = await createPool({ workers: 2, workerUrl: CRASHING_WORKER });
    try {
      const text = readFileSync(sharedPath('data/structures/mol_H2O.extxyz'), 'utf8').replace(/\n.*\n/, '\n__crash__\n');
      const results = await crashing.compute(soapConfig, [molecules[0]!, { text }, molecules[1]!, molecules[2]!]);
      expect(results.map((r) => r.ok)).toEqual([true, false, true, true]);
      expect(results[1]).toMatchObject({ ok: false, error: { code: 'WORKER_CRASHED' } });
      expect(crashing.size).toBe(2);
      const again = await crashing.compute(soapConfig, molecules.slice(0, 4));
      expect(again.every((r) => r.ok)).toBe(true);
    } finally {
      await crashing.close();
    }
  });

  it('close() leaves nothing behind: a process that used a pool exits by itself', () => {
    const script = fileURLToPath(new URL('./fixtures/poolExits.mjs', import.meta.url));
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 20000 });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('done 3');
  });
});

describe('Pool scheduling (in-process fake workers)', () => {
  /** Workers whose first `run` of a job marked `crashOnce` dies; later attempts succeed. */
  function fakeSpawner(log: string[]): WorkerSpawner {
    const crashedOnce = new Set<string>();
    let id = 0;
    return {
      defaultWorkers: () => 2,
      spawn(): WorkerHost {
        const me = ++id;
        let die: (reason: string) => void = () => undefined;
        const exited = new Promise<string>((resolve) => (die = resolve));
        log.push(`spawn ${me}`);
        const service = {
          init: async () => undefined,
          runMany: (jobs: WorkerJob[]): Promise<JobOutcome[]> => {
            const names = jobs.map((job) => (job.structure as { text: string }).text);
            const once = names.find((name) => name.startsWith('crashOnce') && !crashedOnce.has(name));
            if (once !== undefined || names.includes('crashAlways')) {
              if (once !== undefined) crashedOnce.add(once);
              log.push('crash');
              setTimeout(() => die('crash'), 5);
              return new Promise(() => undefined); // comlink never answers a dead worker
            }
            log.push(`run ${names.join(',')}`);
            return new Promise((resolve) => setTimeout(() => resolve(jobs.map(() => ({ ok: true, value: { values: new Float64Array([me]), shape: [1, 1] } }))), 2));
          },
        };
        return { service: service as unknown as WorkerHost['service'], exited, terminate: async () => die('terminated') };
      },
    };
  }

  it('retries a crashed item once on a fresh worker and succeeds', async () => {
    const log: string[] = [];
    const fake = await createPoolWith(fakeSpawner(log), { workers: 2, module: new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])) });
    const inputs = ['a', 'crashOnce-1', 'b', 'c', 'crashAlways', 'd'].map((text) => ({ text }));
    const results = await fake.compute({ descriptor: 'x' }, inputs);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, false, true]);
    expect(results[4]).toMatchObject({ error: { code: 'WORKER_CRASHED' } });
    // Every dead worker is replaced; each good item succeeds exactly once (chunks that crash are
    // retried item by item); crashAlways is tried twice and fails.
    const crashes = log.filter((l) => l === 'crash').length;
    expect(crashes).toBeGreaterThanOrEqual(3); // crashOnce once, crashAlways twice (more if chunked with them)
    expect(log.filter((l) => l.startsWith('spawn')).length).toBe(2 + crashes);
    const ran = log.filter((l) => l.startsWith('run ')).flatMap((l) => l.slice(4).split(','));
    expect(ran.sort()).toEqual(['a', 'b', 'c', 'crashOnce-1', 'd']);
    expect(fake.size).toBe(2);
    await fake.close();
  });
});
