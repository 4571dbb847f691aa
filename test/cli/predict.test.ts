import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CACE, init, loadPotential, parseStructures, readStructures } from '../../src/index.node.js';
import { syntheticModel } from '../cace/helpers/syntheticModel.js';
import { ROOT, runCli } from './runCli.js';

const H2O = '../shared/data/n2p2/H2O_RPBE-D3';
const H2O_DATA = `${H2O}/input.data`;
const dir = mkdtempSync(join(tmpdir(), 'atomenv-predict-'));

interface Entry {
  energy: number;
  atomicEnergies: number[];
  forces: number[][];
  stress?: number[][];
  error?: { code: string; message: string };
}

/** The first `n` frames of the H2O potential's input.data as an n2p2 file of their own. */
function firstFrames(n: number): string {
  const text = readFileSync(join(ROOT, H2O_DATA), 'utf8');
  const blocks = text.split(/(?<=\n\s*end[^\n]*\n)/);
  return blocks.slice(0, n).join('');
}

beforeAll(async () => {
  await init();
});

describe('atomenv predict --potential (n2p2)', () => {
  it('writes energies, atomic energies, forces and stress equal to the library', async () => {
    const file = join(dir, 'three.data');
    writeFileSync(file, firstFrames(3));
    const run = runCli(['predict', '--potential', H2O, file]);
    expect(run.code, run.stderr).toBe(0);
    const { structures } = JSON.parse(run.stdout) as { structures: Entry[] };
    const potential = await loadPotential(join(ROOT, H2O));
    const frames = await readStructures(file);
    expect(structures).toHaveLength(3);
    for (let f = 0; f < 3; f++) {
      const expected = potential.compute(frames[f]!);
      const got = structures[f]!;
      expect(got.energy).toBe(expected.energy);
      expect(got.atomicEnergies).toEqual(Array.from(expected.atomicEnergies));
      expect(got.forces).toHaveLength(frames[f]!.numbers.length);
      expect(got.forces.flat()).toEqual(Array.from(expected.forces));
      expect(got.stress?.flat()).toEqual(Array.from(expected.stress!));
    }
  });

  it('writes extxyz that reads back with the energy and the forces', () => {
    const file = join(dir, 'one.data');
    writeFileSync(file, firstFrames(1));
    const out = join(dir, 'one.extxyz');
    const run = runCli(['predict', '-p', H2O, '-o', out, file]);
    expect(run.code, run.stderr).toBe(0);
    const json = JSON.parse(runCli(['predict', '-p', H2O, file]).stdout) as { structures: Entry[] };
    const [frame] = parseStructures(readFileSync(out, 'utf8'), 'extxyz');
    expect(frame!.info.energy).toBe(json.structures[0]!.energy);
    expect(frame!.numbers).toHaveLength(json.structures[0]!.forces.length);
  });

  it('reports a frame it cannot compute in its place and finishes the others (exit 1)', () => {
    // Frame 2 has a chlorine atom, which the water potential does not know.
    const frames = firstFrames(3).split(/(?<=\n\s*end[^\n]*\n)/);
    frames[1] = frames[1]!.replace(/(\natom\s+\S+\s+\S+\s+\S+\s+)O(\s)/, '$1Cl$2');
    const file = join(dir, 'bad.data');
    writeFileSync(file, frames.join(''));
    const run = runCli(['predict', '--potential', H2O, file]);
    expect(run.code).toBe(1);
    const { structures } = JSON.parse(run.stdout) as { structures: Entry[] };
    expect(structures).toHaveLength(3);
    expect(structures[1]!.error?.code).toBeDefined();
    expect(structures[1]!.error?.message).toMatch(/Cl|17/);
    expect(structures[0]!.energy).toBeTypeOf('number');
    expect(structures[2]!.energy).toBeTypeOf('number');
    expect(run.stderr).toMatch(/frame 1/);
    expect(run.stderr).toMatch(/1 of 3 frames failed/);
  });

  it('names a missing potential directory', () => {
    const run = runCli(['predict', '--potential', join(dir, 'nowhere'), H2O_DATA]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/potential directory not found/);
    expect(run.stderr).toMatch(/nowhere/);
  });
});

describe('atomenv predict --model (CACE)', () => {
  it('gives the library energies and forces of a CACE model with a readout', async () => {
    const model = syntheticModel({ zs: [1, 8], readout: { n_layers: 2, n_hidden: [8], add_linear_nn: true }, seed: 3 });
    const modelFile = join(dir, 'cace.json');
    writeFileSync(modelFile, JSON.stringify(model));
    const water = '../shared/data/structures/mol_H2O.extxyz';
    const run = runCli(['predict', '--model', modelFile, water]);
    expect(run.code, run.stderr).toBe(0);
    const { structures } = JSON.parse(run.stdout) as { structures: Entry[] };
    const cace = CACE.fromModel(model);
    const [structure] = await readStructures(join(ROOT, water));
    const expected = cace.energy(structure!);
    expect(structures[0]!.energy).toBe(expected.energy);
    expect(structures[0]!.forces.flat()).toEqual(Array.from(expected.forces));
    expect(structures[0]!.stress).toBeUndefined();
  });

  it('refuses a model without a readout', () => {
    const modelFile = join(dir, 'features-only.json');
    writeFileSync(modelFile, JSON.stringify(syntheticModel({ zs: [1, 8], readout: null })));
    const run = runCli(['predict', '--model', modelFile, '../shared/data/structures/mol_H2O.extxyz']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no readout/);
  });
});

describe('atomenv predict usage', () => {
  it('needs exactly one of --model and --potential', () => {
    for (const args of [['predict', H2O_DATA], ['predict', '--model', 'a.json', '--potential', H2O, H2O_DATA]]) {
      const run = runCli(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/exactly one of --model FILE .* and --potential DIR/);
    }
  });

  it('checks --format', () => {
    const run = runCli(['predict', '--potential', H2O, '--format', 'npy', H2O_DATA]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--format must be one of json, extxyz/);
  });
});
