import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/index.js';
import { N2p2Potential } from '../../src/n2p2/potential.js';
import { runCli } from '../cli/runCli.js';
import { randomPotential, referenceEnergies, type RandomStructure } from './randomPotential.js';

// `atomenv predict` on random potentials written to a directory (randomPotential.ts): the same
// numbers as the library and the plain-JS reference, and malformed files reported by name.

const dir = mkdtempSync(join(tmpdir(), 'atomenv-random-predict-'));
const SEEDS = [3, 8, 21];

beforeAll(async () => {
  await init();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** n2p2's input.data: clusters, or cells periodic along all three axes. */
function inputData(structures: RandomStructure[]): string {
  return structures.map((s) => [
    'begin', 'comment random',
    ...(s.cell ?? []).map((row) => `lattice ${row.join(' ')}`),
    ...s.symbols.map((e, i) => `atom ${s.positions.slice(3 * i, 3 * i + 3).join(' ')} ${e} 0 0 0 0 0`),
    'energy 0', 'charge 0', 'end',
  ].join('\n')).join('\n') + '\n';
}

function writePotential(name: string, files: Record<string, string>): string {
  const path = join(dir, name);
  mkdirSync(path);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(path, file), text);
  return path;
}

describe('atomenv predict with random potentials', () => {
  for (const seed of SEEDS) {
    test(`seed ${seed}: energies and forces as compute and the reference`, () => {
      const p = randomPotential(seed, 6, 12, 5);
      const structures = p.structures.filter((s) => s.cell === undefined || s.pbc === undefined || s.pbc === true || (Array.isArray(s.pbc) && s.pbc.every(Boolean)));
      const path = writePotential(`p${seed}`, p.files);
      const data = join(dir, `s${seed}.data`);
      writeFileSync(data, inputData(structures));
      const run = runCli(['predict', '--potential', path, data]);
      expect(run.code, run.stderr).toBe(0);
      const out = (JSON.parse(run.stdout) as { structures: { energy: number; atomicEnergies: number[]; forces: number[][] }[] }).structures;
      expect(out).toHaveLength(structures.length);
      const potential = new N2p2Potential(p.files);
      structures.forEach((s, k) => {
        const expected = potential.compute(s);
        const ref = referenceEnergies(p, s);
        const scale = Math.max(...ref.map(Math.abs));
        const fScale = Math.max(1e-300, ...Array.from(expected.forces, Math.abs));
        out[k]!.atomicEnergies.forEach((e, i) => {
          expect(Math.abs(e - expected.atomicEnergies[i]!)).toBeLessThanOrEqual(1e-12 * scale);
          expect(Math.abs(e - ref[i]!)).toBeLessThanOrEqual(1e-10 * scale);
        });
        out[k]!.forces.flat().forEach((f, c) => expect(Math.abs(f - expected.forces[c]!)).toBeLessThanOrEqual(1e-12 * fScale));
      });
    });
  }

  test('a missing weights file and a short scaling.data name the file', () => {
    const p = randomPotential(SEEDS[2]!, 6, 12, 5);
    const data = join(dir, 'bad.data');
    writeFileSync(data, inputData([p.structures[0]!]));
    const noWeights = { ...p.files };
    const weights = Object.keys(noWeights).find((k) => k.startsWith('weights.'))!;
    delete noWeights[weights];
    const a = runCli(['predict', '--potential', writePotential('noWeights', noWeights), data]);
    expect(a.code).not.toBe(0);
    expect(a.stderr).toContain(weights);
    expect(a.stderr).not.toMatch(/at .*\.js:\d+/);
    const shortScaling = { ...p.files, 'scaling.data': '# empty\n' };
    const b = runCli(['predict', '--potential', writePotential('shortScaling', shortScaling), data]);
    // (Without a scaling keyword scaling.data is not read.)
    expect(/^(scale|center)_symmetry_functions(_sigma)?$/m.test(p.files['input.nn']!)).toBe(true);
    expect(b.code).not.toBe(0);
    expect(b.stderr).toMatch(/scaling\.data, line 1: element 1 has 0 lines/);
  });
});
