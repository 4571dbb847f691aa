import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACSF, AtomenvError, CACE, SOAP, averageKernel, init, rematchKernel, releaseMemory, type DescriptorValues } from '../../src/index.js';
import { loadPotential } from '../../src/index.node.js';
import { createPool } from '../../src/pool/createPool.node.js';
import type { N2p2Potential } from '../../src/n2p2/potential.js';
import type { Pool } from '../../src/pool/pool.js';
import type { Structure } from '../../src/structure/structure.js';
import { currentRuntime, getRuntime } from '../../src/wasm/loader.js';
import { syntheticModel } from '../cace/helpers/syntheticModel.js';
import { randomMixture } from '../helpers/randomMixture.js';
import { readShared, sharedPath } from '../helpers/shared.js';

// releaseMemory() swaps the runtime for a fresh instance of the same module. Own file: the wasm
// memory measured is this file's alone (its first size is the module's initial memory).

const MiB = 2 ** 20;
const memoryBytes = (): number => getRuntime().kernels.memory.buffer.byteLength;

/** The bytes of a typed array, so that equality is bitwise (−0 ≠ 0, every last bit). */
function bytes(a: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Where two byte arrays first differ ('length' when their lengths do), or null when equal (fast: vitest's deep equality takes seconds on MBs). */
function firstDifference(a: Uint8Array, b: Uint8Array): number | 'length' | null {
  if (a.length !== b.length) return 'length';
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return null;
}

function expectSameBytes(actual: Record<string, Uint8Array>, expected: Record<string, Uint8Array>): void {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  for (const name of Object.keys(expected)) {
    expect(expected[name]!.length, name).toBeGreaterThan(0);
    expect(firstDifference(actual[name]!, expected[name]!), name).toBeNull();
  }
}

const water: Structure = { symbols: ['O', 'H', 'H'], positions: [[0, 0, 0.12], [0, 0.76, -0.47], [0, -0.76, -0.47]] };
const mixture = randomMixture(60, 9, true, 7);

let initialBytes = 0;
let soap64: SOAP, soap32: SOAP, acsf: ACSF, cace: CACE, potential: N2p2Potential, h2o: Structure;

/** Everything the descriptors made before the release give, as named byte arrays. */
function results(): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const s64 = soap64.create(mixture);
  out.soap64 = bytes(s64.values);
  out.soap64Grad = bytes(soap64.derivatives(water).derivatives.values);
  out.soap32 = bytes(soap32.create(mixture).values);
  out.acsf = bytes(acsf.create(mixture).values);
  out.acsfGrad = bytes(acsf.derivatives(mixture).derivatives.values);
  out.cace = bytes(cace.create(water).values);
  const ce = cace.energy(water);
  out.caceEnergy = bytes(Float64Array.of(ce.energy));
  out.caceForces = bytes(ce.forces);
  out.symmetryFunctions = bytes(potential.descriptor.create(h2o).values);
  const pe = potential.compute(h2o);
  out.n2p2Energy = bytes(Float64Array.of(pe.energy));
  out.n2p2Forces = bytes(pe.forces);
  // The similarity kernels on SOAP features of two structures.
  const features = [s64, soap64.create(water)] as DescriptorValues[];
  out.averageKernel = bytes(averageKernel(features, null, { metric: 'linear' }).values);
  out.rematchKernel = bytes(rematchKernel(features, null, { metric: 'rbf', gamma: 0.5, alpha: 0.5 }).values);
  return out;
}

beforeAll(async () => {
  // Before init() there is nothing to give back: a no-op, not an error.
  releaseMemory();
  expect(currentRuntime()).toBeNull();
  await init();
  initialBytes = memoryBytes();
  const soapOptions = { species: ['H', 'C', 'O'], rCut: 4.5, nMax: 6, lMax: 5, sigma: 0.4, periodic: true } as const;
  soap64 = new SOAP(soapOptions);
  soap32 = new SOAP({ ...soapOptions, dtype: 'float32' });
  acsf = new ACSF({ species: ['H', 'C', 'O'], rCut: 5, g2Params: [[0.5, 0], [1, 1]], g4Params: [[0.01, 1, 1], [0.01, 2, -1]], periodic: true });
  cace = CACE.fromModel(syntheticModel({ T: 1, cutoff: 4.0 }));
  potential = await loadPotential(sharedPath('data/n2p2/H2O_RPBE-D3'));
  h2o = readShared('data/n2p2/H2O_RPBE-D3/input.data')[0]!;
});

describe('releaseMemory()', () => {
  it('gives the grown memory back; descriptors made before give bitwise the same results after', () => {
    const before = results();
    // Grow the memory: SOAP of 3 000 atoms (its output alone is ~18 MiB).
    soap64.create(randomMixture(3000, 31, true, 11));
    const grown = memoryBytes();
    expect(grown).toBeGreaterThan(initialBytes + 16 * MiB);

    const old = getRuntime();
    releaseMemory();
    expect(getRuntime()).not.toBe(old);
    expect(getRuntime().module).toBe(old.module);
    expect(memoryBytes()).toBe(initialBytes);

    expectSameBytes(results(), before);
    // Twice in a row (the second gives back what the first run after it took).
    releaseMemory();
    expect(memoryBytes()).toBe(initialBytes);
    expectSameBytes(results(), before);
  });

  it('init() and getRuntime() give the new runtime; a Runtime kept from before refuses to compute', async () => {
    const old = await init();
    releaseMemory();
    const now = await init();
    expect(now).not.toBe(old);
    expect(now).toBe(getRuntime());
    let error: unknown;
    try {
      old.arena.reset();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AtomenvError);
    expect((error as AtomenvError).code).toBe('RUNTIME_RELEASED');
    expect(() => old.arena.alloc(8)).toThrow(/replaced by releaseMemory\(\)/);
  });

  it('the old memory becomes garbage (WeakRef cleared after a gc, in a node --expose-gc child)', () => {
    const dist = new URL('../../dist/index.node.js', import.meta.url).href;
    const script = `
      const { init, releaseMemory, ACSF, SOAP } = await import(${JSON.stringify(dist)});
      // Descriptors that outlive the release (their caches must not hold the old runtime).
      const soaps = ['gto', 'polynomial'].map((rbf) => new SOAP({ species: ['H'], rCut: 4, nMax: 4, lMax: 3, rbf, periodic: true }));
      const ref = await (async () => {
        const rt = await init();
        for (const soap of soaps) soap.create({ numbers: [1, 1], positions: [[0, 0, 0], [0, 0, 1]] });
        const acsf = new ACSF({ species: ['H'], rCut: 6, g2Params: [[0.5, 0]], periodic: true });
        const n = 4000, positions = [];
        for (let i = 0; i < n; i++) positions.push([(i % 16) * 1.1, (Math.floor(i / 16) % 16) * 1.1, Math.floor(i / 256) * 1.1]);
        acsf.derivatives({ numbers: new Array(n).fill(1), positions });
        return new WeakRef(rt.kernels.memory);
      })();
      const grown = ref.deref().buffer.byteLength;
      releaseMemory();
      for (let i = 0; i < 10 && ref.deref() !== undefined; i++) {
        await new Promise((r) => setTimeout(r, 0));
        globalThis.gc();
      }
      for (const soap of soaps) soap.create({ numbers: [1, 1], positions: [[0, 0, 0], [0, 0, 1]] });
      console.log(JSON.stringify({ grown, collected: ref.deref() === undefined }));
    `;
    const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8',
    });
    const { grown, collected } = JSON.parse(out.trim().split('\n').pop()!) as { grown: number; collected: boolean };
    expect(grown).toBeGreaterThan(64 * MiB);
    expect(collected).toBe(true);
  });
});

describe('pool.releaseMemory()', () => {
  // The built worker (npm run build), as in test/pool/pool.test.ts.
  const WORKER = new URL('../../dist/workers/descriptor.node.js', import.meta.url);
  const soap = { descriptor: 'soap', species: ['H', 'C', 'O'], rCut: 4.5, nMax: 6, lMax: 5, sigma: 0.4, periodic: true };
  const inputs = [mixture, water, randomMixture(40, 8, true, 3), water];
  let pool: Pool;
  beforeAll(async () => {
    pool = await createPool({ workers: 2, workerUrl: WORKER });
  });
  afterAll(async () => {
    await pool.close();
  });

  const valuesOf = (rs: Awaited<ReturnType<Pool['compute']>>): Record<string, Uint8Array> =>
    Object.fromEntries(rs.map((r) => {
      if (!r.ok) throw new Error(r.error.message);
      return [`item ${r.index}`, bytes((r.value as DescriptorValues).values)];
    }));

  it('a batch after it (and one running while it is asked for) gives the same results', async () => {
    const first = valuesOf(await pool.compute(soap, inputs));
    await pool.releaseMemory();
    expectSameBytes(valuesOf(await pool.compute(soap, inputs)), first);
    // Asked while a batch runs: the workers release between its tasks.
    const running = pool.compute(soap, inputs);
    const released = pool.releaseMemory();
    const next = pool.compute(soap, inputs);
    await released;
    expectSameBytes(valuesOf(await running), first);
    expectSameBytes(valuesOf(await next), first);
  });
});
