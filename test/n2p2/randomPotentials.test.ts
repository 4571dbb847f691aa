import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/index.js';
import { combinePotentialParts, N2p2Potential } from '../../src/n2p2/potential.js';
import { createPool } from '../../src/pool/createPool.node.js';
import { rng } from '../helpers/geometry.js';
import { distanceToSteps, energyNoise, reluMargin, randomPotential, referenceStress, referenceEnergies, referenceForces, referenceFunctions } from './randomPotential.js';

// Seeded differential test of random n2p2 potentials (randomPotential.ts: 1–3 elements, all
// symmetry-function types and cutoff types, 0–4 hidden layers of 1–40 neurons with every
// activation, scaling and normalisation options) on random clusters and cells, against an
// independent plain-JS reference: energies to 1e-10 of the largest |E_i|, forces against
// fourth-order finite differences of the reference energy (their error level: 1e-6 of the
// largest force), and compute against the sum of computePart's parts (1e-12).
// scripts/fuzzN2p2.mjs runs many more seeds (FUZZ_CASES, FUZZ_SEED, FUZZ_FULL=1 for every force component).

const CASES = Number(process.env.FUZZ_CASES ?? 10);
const FIRST_SEED = Number(process.env.FUZZ_SEED ?? 1);
const FULL = process.env.FUZZ_FULL === '1';

beforeAll(async () => {
  await init();
});

/** Structures compared and force components checked against finite differences. */
let structures = 0, checked = 0, stressChecked = 0, failed = 0;

/** Largest |x|. */
const maxAbs = (a: ArrayLike<number>): number => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** One seed: a potential and two structures; throws an Error saying what differs. */
function checkSeed(seed: number): void {
  const p = randomPotential(seed, FULL ? 12 : 8, FULL ? 40 : 24, FULL ? 10 : 6);
  const where = (s: unknown): string => `seed ${seed}: ${p.summary}\nstructure ${JSON.stringify(s)}`;
  const potential = new N2p2Potential(p.files);
  for (const [t, s] of p.structures.entries()) {
    const ref = referenceEnergies(p, s);
    const got = potential.compute(s);
    // Networks that overflow (e.g. exp(−x) after x²): both must give a non-finite energy.
    if (!ref.every(Number.isFinite)) {
      if (Number.isFinite(got.energy)) throw new Error(`${where(s)}\nthe reference energy is not finite, atomenv's is ${got.energy}`);
      continue;
    }
    structures++;
    const scale = Math.max(maxAbs(ref), 1e-300);
    const eErr = Math.max(...ref.map((e, i) => Math.abs(e - got.atomicEnergies[i]!)));
    if (!(eErr <= 1e-10 * scale)) {
      const G = referenceFunctions(p, s), mine = potential.inputs(s).raw;
      const gErr = G.map((g, i) => g.map((v, f) => `${f}:${(mine[i]![f]! - v).toExponential(1)}`).join(' '));
      throw new Error(`${where(s)}\nenergies differ by ${eErr} (scale ${scale}): ${got.atomicEnergies} vs ${ref}\nG differences per atom: ${gErr.join(' | ')}`);
    }
    // Parts: forces are sums of the parts', energies gathered.
    for (const parts of [2, 3]) {
      const combined = combinePotentialParts(Array.from({ length: parts }, (_, k) => potential.computePart(s, k, parts)));
      const fScale = Math.max(maxAbs(got.forces), 1e-300);
      const partErr = Math.max(...Array.from(combined.forces, (f, c) => Math.abs(f - got.forces[c]!)));
      const partEnergyErr = Math.max(...Array.from(combined.atomicEnergies, (e, i) => Math.abs(e - got.atomicEnergies[i]!)));
      if (!(partErr <= 1e-12 * fScale) || !(partEnergyErr <= 1e-12 * scale)) {
        throw new Error(`${where(s)}\ncomputePart (${parts} parts) differs from compute: forces ${partErr} (scale ${fScale}), energies ${partEnergyErr}`);
      }
    }
    // Forces against finite differences of the reference (away from the hard cutoff's step),
    // on the two small structures.
    // Not within 0.05 of a ReLU kink either (its argument moves by up to ~0.05 over the steps).
    if (t >= 2 || distanceToSteps(p, s) < 0.05 || reluMargin(p, s) < 0.05) continue;
    // Rounding of the differences: the reference energy's noise over small rigid rotations, times
    // the weight of the h/4-step stencil with its extrapolation, (8 + 8 + 1 + 1)/12 · 16/15 / (h/4)
    // ≈ 1.6/5e-4, and 4 for the noise being sampled.
    const noise = Math.max(energyNoise(p, s), 2.2e-16 * Math.abs(ref.reduce((a, b) => a + b, 0)));
    const rounding = (4 * 1.6 * noise) / 5e-4;
    const r = rng(seed + 17 * t);
    const all = [...Array(s.positions.length).keys()];
    const components = FULL ? all : all.filter(() => r() < 0.25).slice(0, 3);
    const { forces: fd, error } = referenceForces(p, s, components);
    const fScale = Math.max(maxAbs(components.map((c) => fd[c]!)), maxAbs(got.forces), 1e-10 * scale);
    // Stress (cells periodic along all three axes) against differences under strain.
    if (s.cell !== undefined && (s.pbc === undefined || s.pbc === true || (Array.isArray(s.pbc) && s.pbc.every((x) => x)))) {
      const volume = Math.abs(s.cell[0]![0]! * (s.cell[1]![1]! * s.cell[2]![2]! - s.cell[1]![2]! * s.cell[2]![1]!) - s.cell[0]![1]! * (s.cell[1]![0]! * s.cell[2]![2]! - s.cell[1]![2]! * s.cell[2]![0]!) + s.cell[0]![2]! * (s.cell[1]![0]! * s.cell[2]![1]! - s.cell[1]![1]! * s.cell[2]![0]!));
      const r9 = rng(seed + 31 * t);
      const stressComponents = FULL ? [...Array(9).keys()] : [...Array(9).keys()].filter(() => r9() < 0.3).slice(0, 2);
      const { stress, error: sError } = referenceStress(p, s, stressComponents);
      const sScale = Math.max(maxAbs(stressComponents.map((ab) => stress[ab]!)), maxAbs(got.stress!), 1e-10 * scale / volume);
      const sRounding = rounding / volume;
      for (const ab of stressComponents) {
        if (!(sError[ab]! <= 1e-6 * sScale)) continue;
        stressChecked++;
        if (!(Math.abs(got.stress![ab]! - stress[ab]!) <= 1e-8 * sScale + sError[ab]! + sRounding)) {
          throw new Error(`${where(s)}\nstress component ${ab}: ${got.stress![ab]} vs finite differences ${stress[ab]} ± ${sError[ab]} + ${sRounding} (scale ${sScale})`);
        }
      }
    }
    for (const c of components) {
      // Components whose finite difference has not converged (estimate above 1e-6) are not checked.
      if (!(error[c]! <= 1e-6 * fScale)) continue;
      checked++;
      if (!(Math.abs(got.forces[c]! - fd[c]!) <= 1e-8 * fScale + error[c]! + rounding)) {
        throw new Error(`${where(s)}\nforce component ${c}: ${got.forces[c]} vs finite differences ${fd[c]} ± ${error[c]} + ${rounding} (scale ${fScale})`);
      }
    }
  }
}

describe('random n2p2 potentials against a plain-JS reference', () => {
  for (let seed = FIRST_SEED; seed < FIRST_SEED + CASES; seed++) {
    test(`seed ${seed}`, () => {
      try {
        checkSeed(seed);
      } catch (error) {
        failed++;
        throw error;
      }
    }, 600_000);
  }
  afterAll(() => {
    if (process.env.FUZZ_CASES !== undefined) console.log(`${CASES} potentials, ${structures} structures, ${checked} force and ${stressChecked} stress components checked, ${failed} seeds failed`);
  });
  test('the finite-difference check is not vacuous', () => {
    expect(checked).toBeGreaterThanOrEqual(CASES);
    expect(stressChecked).toBeGreaterThan(CASES / 2);
  });
});

// The pool splits a structure's centres over its workers (computePart in each, summed here).
describe('random n2p2 potentials in a pool', () => {
  test('pool.energy in 2 parts equals compute', async () => {
    const pool = await createPool({ workers: 2, workerUrl: new URL('../../dist/workers/descriptor.node.js', import.meta.url) });
    try {
      for (let seed = FIRST_SEED; seed < FIRST_SEED + Math.min(CASES, 4); seed++) {
        const p = randomPotential(seed, 8, 24, 6);
        const potential = new N2p2Potential(p.files);
        const s = p.structures[2]!;
        const expected = potential.compute(s);
        const got = await pool.energy(potential, s, { parts: 2 });
        const eScale = Math.max(maxAbs(expected.atomicEnergies), 1e-300), fScale = Math.max(maxAbs(expected.forces), 1e-300);
        expect(Math.max(...Array.from(got.atomicEnergies!, (e, i) => Math.abs(e - expected.atomicEnergies[i]!)))).toBeLessThanOrEqual(1e-12 * eScale);
        expect(Math.max(...Array.from(got.forces!, (f, c) => Math.abs(f - expected.forces[c]!)))).toBeLessThanOrEqual(1e-12 * fScale);
      }
    } finally {
      await pool.close();
    }
  });
});
