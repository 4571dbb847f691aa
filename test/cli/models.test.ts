import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CACE, SymmetryFunctions, init, readStructures } from '../../src/index.node.js';
import { syntheticModel } from '../cace/helpers/syntheticModel.js';
import { ROOT, runCli, stdoutJson } from './runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'atomenv-models-'));
const WATER = '../shared/data/structures/water_64mol_192atoms.extxyz';
const H2O_NN = '../shared/data/n2p2/H2O_RPBE-D3/input.nn';

beforeAll(async () => {
  await init();
});

describe('atomenv compute with CACE and n2p2 configs', () => {
  it('{"descriptor": "cace", "model": FILE} reads the model beside the config and gives the library features, in one thread and on workers', async () => {
    const model = syntheticModel({ zs: [1, 8], seed: 11 });
    writeFileSync(join(dir, 'model.json'), JSON.stringify(model));
    const config = join(dir, 'cace.json');
    writeFileSync(config, JSON.stringify({ descriptor: 'cace', model: 'model.json' }));
    const [structure] = await readStructures(join(ROOT, WATER));
    const expected = CACE.fromModel(model).create(structure!);
    for (const workers of [[], ['--workers', '2']]) {
      const out = stdoutJson(runCli(['compute', '--config', config, ...workers, '-o', '-', WATER])) as { shape: number[]; values: number[] };
      expect(out.shape).toEqual(expected.shape);
      expect(out.values).toEqual(Array.from(expected.values));
    }
  });

  it('{"descriptor": "n2p2", "inputNn": FILE} gives the symmetry functions of the potential', async () => {
    const config = join(dir, 'n2p2.json');
    writeFileSync(config, JSON.stringify({ descriptor: 'n2p2', inputNn: relative(dir, join(ROOT, H2O_NN)) }));
    const [structure] = await readStructures(join(ROOT, WATER));
    const expected = SymmetryFunctions.fromInputNn(readFileSync(join(ROOT, H2O_NN), 'utf8')).create(structure!);
    const out = stdoutJson(runCli(['compute', '--config', config, '-o', '-', WATER])) as { shape: number[]; values: number[] };
    expect(out.shape).toEqual(expected.shape);
    expect(out.values).toEqual(Array.from(expected.values));
  });

  it('names a model file that is missing or not JSON', () => {
    const config = join(dir, 'missing.json');
    writeFileSync(config, JSON.stringify({ descriptor: 'cace', model: 'nowhere.json' }));
    let run = runCli(['compute', '--config', config, WATER]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/"model": cannot read nowhere\.json \(not found\)/);
    writeFileSync(join(dir, 'broken.json'), '{"hyperparameters": ');
    writeFileSync(config, JSON.stringify({ descriptor: 'cace', model: 'broken.json' }));
    run = runCli(['compute', '--config', config, WATER]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/malformed JSON in the CACE model/);
    expect(run.stderr).toMatch(/broken\.json/);
  });
});
