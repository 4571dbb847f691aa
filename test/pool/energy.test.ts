import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACE, N2p2Potential, init, type Structure } from '../../src/index.js';
import { createPool } from '../../src/pool/createPool.node.js';
import type { Pool } from '../../src/pool/pool.js';
import type { EnergyResult } from '../../src/potentials/energyModel.js';
import { syntheticModel } from '../cace/helpers/syntheticModel.js';
import { readShared, sharedPath } from '../helpers/shared.js';

const WORKER = new URL('../../dist/workers/descriptor.node.js', import.meta.url);

let pool: Pool;

beforeAll(async () => {
  await init();
  pool = await createPool({ workers: 2, workerUrl: WORKER });
});
afterAll(async () => {
  await pool.close();
});

function energyOf(result: { ok: boolean; value?: unknown; error?: { message: string } }): EnergyResult {
  if (!result.ok) throw new Error(result.error!.message);
  return result.value as EnergyResult;
}

describe("pool.compute(…, { kind: 'energy' })", () => {
  it('gives an n2p2 potential’s energies and forces, as in this thread', async () => {
    const dir = sharedPath('data/n2p2/H2O_RPBE-D3');
    const files: Record<string, string> = {};
    for (const name of readdirSync(dir).filter((n) => n === 'input.nn' || n === 'scaling.data' || /^weights\.\d{3}\.data$/.test(n))) {
      files[name] = readFileSync(join(dir, name), 'utf8');
    }
    const potential = new N2p2Potential(files);
    const frames = readShared('data/n2p2/H2O_RPBE-D3/input.data') as Structure[];
    const results = await pool.compute({ descriptor: 'n2p2Potential', files }, frames, { kind: 'energy' });
    expect(results).toHaveLength(frames.length);
    results.forEach((r, k) => {
      const expected = potential.compute(frames[k]!);
      const got = energyOf(r);
      expect(got.energy).toBe(expected.energy);
      expect(Array.from(got.forces)).toEqual(Array.from(expected.forces));
      expect(Array.from(got.atomicEnergies)).toEqual(Array.from(expected.atomicEnergies));
      expect(Array.from(got.stress!)).toEqual(Array.from(expected.stress!));
    });
  });

  it('gives a CACE model’s energies and forces from the CACE object, as in this thread', async () => {
    const cace = CACE.fromModel(syntheticModel({ zs: [1, 6, 7, 8], readout: { n_layers: 2, n_hidden: [6], add_linear_nn: false }, seed: 5 }));
    const molecules = readShared('data/structures/batch_g2_CHNO_972.extxyz').slice(0, 20) as Structure[];
    const results = await pool.compute(cace, molecules, { kind: 'energy' });
    results.forEach((r, k) => {
      const expected = cace.energy(molecules[k]!);
      const got = energyOf(r);
      expect(got.energy).toBe(expected.energy);
      expect(Array.from(got.forces)).toEqual(Array.from(expected.forces));
    });
  });

  it('reports a descriptor without a readout as an error of the item', async () => {
    const [molecule] = readShared('data/structures/mol_H2O.extxyz') as Structure[];
    const [result] = await pool.compute({ descriptor: 'soap', species: ['H', 'O'], rCut: 4, nMax: 2, lMax: 2, sigma: 0.5 }, [molecule!], { kind: 'energy' });
    expect(result!.ok).toBe(false);
    expect(!result!.ok && result!.error.message).toMatch(/soap gives no energies/);
  });
});
