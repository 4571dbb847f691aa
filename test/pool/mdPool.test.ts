import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOHR_IN_ANGSTROM, HARTREE_IN_EV, N2p2Potential, init, runMD, runMDAsync, type MDState, type Structure } from '../../src/index.js';
import { createPool } from '../../src/pool/createPool.node.js';
import type { Pool } from '../../src/pool/pool.js';
import { normalizeStructure } from '../../src/structure/structure.js';
import { maxAbs, maxAbsDiff, readShared, sharedPath } from '../helpers/shared.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const WORKER = new URL('../../dist/workers/descriptor.node.js', import.meta.url);
const dir = sharedPath('data/n2p2/H2O_RPBE-D3');
const units = { lengthUnit: BOHR_IN_ANGSTROM, energyUnit: HARTREE_IN_EV };

let potential: N2p2Potential;
let pool: Pool;

beforeAll(async () => {
  await init();
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).filter((n) => n === 'input.nn' || n === 'scaling.data' || /^weights\.\d{3}\.data$/.test(n))) {
    files[name] = readFileSync(join(dir, name), 'utf8');
  }
  potential = new N2p2Potential(files);
  pool = await createPool({ workers: 2, workerUrl: WORKER });
});
afterAll(async () => {
  await pool.close();
});

/** The 192-atom box of the training data twice along x: 384 atoms, split across the pool. */
function doubledBox(): Structure {
  const box = readShared('data/n2p2/H2O_RPBE-D3/input.data').find((s) => s.numbers!.length === 192)!;
  const { numbers, positions, cell } = normalizeStructure(box);
  const shifted = Float64Array.from(positions, (p, k) => p + cell![k % 3]!);
  const big = new Float64Array(2 * positions.length);
  big.set(positions);
  big.set(shifted, positions.length);
  const bigCell = Float64Array.from(cell!, (v, k) => (k < 3 ? 2 * v : v));
  return { numbers: [...numbers, ...numbers], positions: big, cell: bigCell, pbc: [true, true, true] };
}

describe('runMDAsync', () => {
  it('with a pool follows runMD’s trajectory (forces split across the workers)', async () => {
    const structure = doubledBox();
    const options = { dt: 0.5, steps: 4, temperature: 300, seed: 3, ...units };
    const sync: MDState[] = [];
    const pooled: MDState[] = [];
    const a = runMD(potential, structure, { ...options, onStep: (s) => void sync.push(s) });
    const b = await runMDAsync(potential, structure, { ...options, pool, onStep: (s) => void pooled.push(s) });
    expect(b.step).toBe(4);
    expect(pooled).toHaveLength(sync.length);
    sync.forEach((s, k) => {
      const p = pooled[k]!;
      expect(Math.abs(p.potentialEnergy - s.potentialEnergy)).toBeLessThanOrEqual(1e-12 * Math.abs(s.potentialEnergy));
      expect(maxAbsDiff(p.forces, s.forces)).toBeLessThanOrEqual(1e-12 * maxAbs(s.forces));
      expect(maxAbsDiff(p.structure.positions, s.structure.positions)).toBeLessThanOrEqual(1e-12 * maxAbs(s.structure.positions));
    });
    // The atoms moved.
    expect(maxAbsDiff(a.structure.positions, normalizeStructure(structure).positions)).toBeGreaterThan(1e-3);
  });

  it('takes a potential whose compute answers with a promise; stops when onStep returns false', async () => {
    const cluster = { symbols: ['O', 'H', 'H', 'O', 'H', 'H'], positions: [0, 0, 0, 1.8, 0, 0, -0.5, 1.7, 0, 5.5, 0, 0, 6.2, 1.6, 0, 6.1, -1.2, 1.0] };
    const options = { dt: 0.25, steps: 10, temperature: 100, seed: 5, ...units };
    const a = runMD(potential, cluster, options);
    const b = await runMDAsync({ compute: async (s: Structure) => potential.compute(s) }, cluster, options);
    expect(Array.from(b.structure.positions)).toEqual(Array.from(a.structure.positions));
    const c = await runMDAsync(potential, cluster, { ...options, onStep: (s) => s.step < 3 });
    expect(c.step).toBe(3);
    await expect(runMDAsync(potential, cluster, { ...options, dt: -1 })).rejects.toMatchObject({ code: 'INVALID_PARAMETER' });
  });
});
