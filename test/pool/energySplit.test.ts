import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACE, N2p2Potential, SPLIT_MIN_ATOMS, init, type Structure } from '../../src/index.js';
import { createPool } from '../../src/pool/createPool.node.js';
import { createPoolWith, type Pool } from '../../src/pool/pool.js';
import type { WorkerHost, WorkerSpawner } from '../../src/pool/workerHost.js';
import { createDescriptorService, type WorkerJob } from '../../src/worker/service.js';
import { parseStructures } from '../../src/io/parseStructures.js';
import { normalizeStructure } from '../../src/structure/structure.js';
import { syntheticModel } from '../cace/helpers/syntheticModel.js';
import { catchAtomenvError, catchAtomenvErrorAsync } from '../helpers/errors.js';
import { expectSameEnergyResult } from '../helpers/potentialResults.js';
import { readShared, sharedPath } from '../helpers/shared.js';

const WORKER = new URL('../../dist/workers/descriptor.node.js', import.meta.url);
const CRASHING_WORKER = new URL('./fixtures/crashingWorker.mjs', import.meta.url);

const dir = sharedPath('data/n2p2/H2O_RPBE-D3');
const files: Record<string, string> = {};
for (const name of readdirSync(dir).filter((n) => n === 'input.nn' || n === 'scaling.data' || /^weights\.\d{3}\.data$/.test(n))) {
  files[name] = readFileSync(join(dir, name), 'utf8');
}
const frames = readShared('data/n2p2/H2O_RPBE-D3/input.data');
// A 192-atom periodic box (edge path), a smaller periodic box (f64x2 path), and the 192 atoms as a cluster.
const box = frames.find((s) => s.numbers!.length === 192)!;
const smallBox = frames.find((s) => s.numbers!.length < 192)!;
const cluster: Structure = { numbers: box.numbers, positions: box.positions };

let potential: N2p2Potential;
let pool: Pool;

beforeAll(async () => {
  await init();
  potential = new N2p2Potential(files);
  pool = await createPool({ workers: 2, workerUrl: WORKER });
});
afterAll(async () => {
  await pool.close();
});

/** In-process workers running the real worker service; every job they run is logged. */
function loggingSpawner(log: WorkerJob[]): WorkerSpawner {
  const service = createDescriptorService((value) => value);
  return {
    defaultWorkers: () => 2,
    spawn(): WorkerHost {
      let die: (reason: string) => void = () => undefined;
      const exited = new Promise<string>((resolve) => (die = resolve));
      const host = {
        init: async () => undefined,
        runMany: async (jobs: WorkerJob[]) => {
          log.push(...jobs);
          return service.runMany(jobs);
        },
      };
      return { service: host as unknown as WorkerHost['service'], exited, terminate: async () => die('terminated') };
    },
  };
}

describe('Pool.energy', () => {
  it('splits the 1 080-atom water liquid across the workers; the sum equals compute', async () => {
    const [liquid] = parseStructures(readFileSync(join(dir, 'input.data.H2O_1080_liquid'), 'utf8'), 'n2p2');
    expect(liquid!.numbers!.length).toBeGreaterThanOrEqual(SPLIT_MIN_ATOMS);
    const got = await pool.energy(potential, liquid!);
    expectSameEnergyResult(got, potential.compute(liquid!));
  });

  it('gives compute’s result in 1, 2 and 3 parts, periodic and not, from a potential or its config', async () => {
    for (const structure of [box, smallBox, cluster]) {
      const expected = potential.compute(structure);
      for (const parts of [1, 2, 3]) {
        const got = await pool.energy(parts === 3 ? { descriptor: 'n2p2Potential', files } : potential, structure, { parts });
        expectSameEnergyResult(got, expected);
        // One part is compute itself, in a worker.
        if (parts === 1) expect(Array.from(got.forces)).toEqual(Array.from(expected.forces));
      }
    }
  });

  it('takes structure text, parsed in the workers', async () => {
    const text = readFileSync(join(dir, 'input.data'), 'utf8');
    const first = text.slice(0, text.indexOf('end') + 3);
    const got = await pool.energy(potential, { text: first, format: 'n2p2' }, { parts: 2 });
    expectSameEnergyResult(got, potential.compute(frames[0]!));
  });

  it('rejects with compute’s AtomenvError, naming the caller’s atom indices', async () => {
    const nan = Float64Array.from(box.positions as ArrayLike<number>);
    nan[3 * 150 + 1] = Number.NaN;
    const overlap = Float64Array.from(box.positions as ArrayLike<number>);
    overlap.set(overlap.subarray(3 * 5, 3 * 5 + 3), 3 * 37);
    const carbon = Int32Array.from(box.numbers!);
    carbon[7] = 6;
    const cases: [Structure, string, string][] = [
      [{ ...box, positions: nan }, 'NON_FINITE_POSITION', 'atom 150'],
      [{ ...box, positions: overlap }, 'OVERLAPPING_ATOMS', 'atoms 5 and 37'],
      [{ ...box, numbers: carbon }, 'SPECIES_NOT_IN_DESCRIPTOR', 'atom 7'],
    ];
    for (const [structure, code, where] of cases) {
      const expected = catchAtomenvError(() => potential.compute(structure));
      expect(expected.code).toBe(code);
      expect(expected.message).toContain(where);
      for (const parts of [1, 2]) {
        const error = await catchAtomenvErrorAsync(() => pool.energy(potential, structure, { parts }));
        expect(error.code).toBe(expected.code);
        expect(error.message).toBe(expected.message);
        expect(error.location).toEqual(expected.location);
      }
    }
  });

  it('rejects bad options and an aborted call', async () => {
    await expect(pool.energy(potential, box, { parts: 0 })).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
    const cace = CACE.fromModel(syntheticModel({ zs: [1, 8], readout: { n_layers: 2, n_hidden: [4], add_linear_nn: false }, seed: 3 }));
    await expect(pool.energy(cace, box, { parts: 2 })).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
    await expect(pool.energy(potential, box, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' });
    // Aborted while its parts run: the workers are restarted and the pool stays usable.
    const controller = new AbortController();
    const running = pool.energy(potential, box, { parts: 2, signal: controller.signal });
    setTimeout(() => controller.abort(), 1);
    await expect(running).rejects.toMatchObject({ code: 'ABORTED' });
    expectSameEnergyResult(await pool.energy(potential, smallBox, { parts: 2 }), potential.compute(smallBox));
  });

  it('rejects with WORKER_CRASHED when the workers running the parts die', async () => {
    const crashing = await createPool({ workers: 2, workerUrl: CRASHING_WORKER });
    try {
      const text = readFileSync(join(dir, 'input.data'), 'utf8');
      const first = text.slice(0, text.indexOf('end') + 3).replace(/^comment.*$/m, 'comment __crash__');
      const error = await catchAtomenvErrorAsync(() => crashing.energy(potential, { text: first, format: 'n2p2' }, { parts: 2 }));
      expect(error.code).toBe('WORKER_CRASHED');
      // The pool has replaced its workers and still works.
      expectSameEnergyResult(await crashing.energy(potential, smallBox, { parts: 2 }), potential.compute(smallBox));
    } finally {
      await crashing.close();
    }
  });
});

describe('Pool.energy routing (in-process workers)', () => {
  it('runs small structures whole on one worker, large ones in a part per worker, other models as one job', async () => {
    const log: WorkerJob[] = [];
    const fake = await createPoolWith(loggingSpawner(log), { workers: 2, module: new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])) });
    try {
      expect(smallBox.numbers!.length).toBeLessThan(SPLIT_MIN_ATOMS);
      const whole = await fake.energy(potential, smallBox);
      expect(log.map((j) => [j.kind, j.part])).toEqual([['energyPart', { index: 0, count: 1 }]]);
      // A potential object goes by a name of its own (workers cache its networks under it); a config by its text.
      const key = log[0]!.modelKey;
      expect(typeof key).toBe('string');
      log.length = 0;
      await fake.energy(potential, smallBox);
      await fake.energy(new N2p2Potential(files), smallBox);
      await fake.energy({ descriptor: 'n2p2Potential', files }, smallBox);
      expect(log.map((j) => j.modelKey)).toEqual([key, expect.not.stringMatching(`^${key}$`), undefined]);
      // One part: compute's arrays exactly.
      const expected = potential.compute(smallBox);
      expect(whole.energy).toBe(expected.energy);
      expect(Array.from(whole.forces)).toEqual(Array.from(expected.forces));

      // Large: eight boxes side by side (1 536 atoms), one part per worker.
      log.length = 0;
      const { cell: flatCell, positions: boxPositions } = normalizeStructure(box);
      const cell = Array.from(flatCell!);
      const positions: number[] = [];
      const numbers: number[] = [];
      for (let s = 0; s < 8; s++) {
        const shift = [0, 1, 2].map((d) => ((s >> 0) & 1) * cell[d]! + ((s >> 1) & 1) * cell[3 + d]! + ((s >> 2) & 1) * cell[6 + d]!);
        for (let a = 0; a < 192; a++) {
          numbers.push(box.numbers![a]!);
          for (let d = 0; d < 3; d++) positions.push(boxPositions[3 * a + d]! + shift[d]!);
        }
      }
      const supercell: Structure = { numbers, positions, cell: cell.map((v) => 2 * v), pbc: [true, true, true] };
      const split = await fake.energy(potential, supercell);
      expect(log.map((j) => [j.kind, j.part])).toEqual([['energyPart', { index: 0, count: 2 }], ['energyPart', { index: 1, count: 2 }]]);
      expectSameEnergyResult(split, potential.compute(supercell));
      // Eight copies of the box: eight times its energy.
      expect(Math.abs(split.energy - 8 * potential.compute(box).energy)).toBeLessThan(1e-9 * Math.abs(split.energy));

      // Two calls at once: the first takes both idle workers, the second finds none and runs whole.
      log.length = 0;
      const [first, second] = await Promise.all([fake.energy(potential, supercell), fake.energy(potential, supercell)]);
      expect(log.map((j) => j.part!.count).sort()).toEqual([1, 2, 2]);
      expectSameEnergyResult(first, split);
      expectSameEnergyResult(second, split);

      log.length = 0;
      const cace = CACE.fromModel(syntheticModel({ zs: [1, 8], readout: { n_layers: 2, n_hidden: [4], add_linear_nn: false }, seed: 3 }));
      const caceResult = await fake.energy(cace, supercell);
      expect(log.map((j) => j.kind)).toEqual(['energy']);
      expect(caceResult.energy).toBe(cace.energy(supercell).energy);
    } finally {
      await fake.close();
    }
  });
});
