import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BOHR_IN_ANGSTROM, HARTREE_IN_EV, parseStructures, runMD, type MDState, type ParsedStructure } from '../../src/index.js';
import { loadPotential } from '../../src/index.node.js';
import type { N2p2Potential } from '../../src/n2p2/potential.js';
import type { MDSample, MDStartStructure } from '../../demo/mdProtocol.js';
import { appendSamples } from '../../demo/mdHistory.js';
import { MDSession } from '../../demo/mdSession.js';
import { sharedPath } from '../helpers/shared.js';

// The demo's MD worker runs MD a chunk of steps at a time: the chunks must be one trajectory.
const units = { lengthUnit: BOHR_IN_ANGSTROM, energyUnit: HARTREE_IN_EV };
let potential: N2p2Potential;
let box: ParsedStructure;

function start(s: ParsedStructure): MDStartStructure {
  return { numbers: s.numbers, positions: Array.from(s.positions), cell: s.cell === undefined ? null : s.cell.map((r) => [...r]), pbc: s.pbc };
}

beforeAll(async () => {
  potential = await loadPotential(sharedPath('data/n2p2/H2O_RPBE-D3'));
  // The 192-atom periodic water box (64 molecules), Bohr.
  box = parseStructures(readFileSync(sharedPath('data/n2p2/H2O_RPBE-D3/input.data'), 'utf8'), 'n2p2')[0]!;
});

describe('MDSession (the demo worker’s chunked runMD)', () => {
  it('chunks of 1, 3 and 4 steps follow the one-call runMD trajectory, computing each step once', () => {
    const settings = { dt: 0.5, temperature: 300, thermostat: null, thermostatTime: 100, seed: 4 };
    const session = new MDSession(potential, start(box), units);
    const samples: MDSample[] = [];
    for (const steps of [1, 3, 4]) samples.push(...session.advance(settings, steps));
    expect(samples.map((s) => s.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(session.step).toBe(8);
    expect(session.time).toBe(4);
    // One potential evaluation per step plus the start: a chunk's start is the last chunk's end.
    expect(session.potential.computed).toBe(9);

    // The same run in one call, in the potential's units (the first chunk's seed).
    const states: MDState[] = [];
    const final = runMD(potential, box, { dt: 0.5, steps: 8, temperature: 300, seed: 4 * 1_000_003, ...units, onStep: (s) => void states.push(s) });
    expect(states.length).toBe(9);
    states.forEach((s, k) => {
      const sample = samples[k]!;
      expect(sample.time).toBeCloseTo(s.time, 12);
      expect(Math.abs(sample.potential - s.potentialEnergy * HARTREE_IN_EV)).toBeLessThan(1e-9 * Math.abs(sample.potential));
      expect(Math.abs(sample.kinetic - s.kineticEnergy * HARTREE_IN_EV)).toBeLessThan(1e-9 * sample.kinetic);
      expect(sample.temperature).toBeCloseTo(s.temperature, 8);
    });
    let worst = 0;
    for (let k = 0; k < final.structure.positions.length; k++) {
      worst = Math.max(worst, Math.abs(session.positions[k]! - final.structure.positions[k]! * BOHR_IN_ANGSTROM));
    }
    expect(worst).toBeLessThan(1e-10);
    // The positions moved (≈ 4 fs at 300 K: hundredths of an Å).
    let moved = 0;
    for (let k = 0; k < box.positions.length; k++) moved = Math.max(moved, Math.abs(session.positions[k]! - box.positions[k]! * BOHR_IN_ANGSTROM));
    expect(moved).toBeGreaterThan(1e-3);
  }, 60000);

  it('reset goes back to the start and draws the same velocities; Langevin and Berendsen runs go on across chunks', () => {
    const session = new MDSession(potential, start(box), units);
    const nve = { dt: 0.5, temperature: 300, thermostat: null, thermostatTime: 100, seed: 1 };
    const first = session.advance(nve, 2);
    session.reset();
    expect(session.step).toBe(0);
    expect(session.time).toBe(0);
    expect(Array.from(session.positions)).toEqual(Array.from(box.positions, (p) => p * BOHR_IN_ANGSTROM));
    expect(session.advance(nve, 2)).toEqual(first);
    const langevin = session.advance({ ...nve, thermostat: 'langevin', thermostatTime: 20 }, 1);
    const berendsen = session.advance({ ...nve, thermostat: 'berendsen', thermostatTime: 20 }, 1);
    expect([langevin[0]!.step, berendsen[0]!.step]).toEqual([3, 4]);
    for (const s of [...langevin, ...berendsen]) expect(Number.isFinite(s.total) && s.temperature > 0).toBe(true);
  }, 60000);
});

describe('appendSamples (the page’s bounded energy history)', () => {
  const sample = (step: number): MDSample => ({ step, time: step / 2, potential: -step, kinetic: step, total: 0, temperature: 300 });
  it('keeps every step up to the limit, then every 2nd, 4th… step, step 0 always first', () => {
    let history = { samples: [] as MDSample[], stride: 1 };
    history = appendSamples(history, [0, 1, 2, 3].map(sample), 8);
    expect(history.samples.map((s) => s.step)).toEqual([0, 1, 2, 3]);
    history = appendSamples(history, [4, 5, 6, 7, 8].map(sample), 8);
    expect(history.stride).toBe(2);
    expect(history.samples.map((s) => s.step)).toEqual([0, 2, 4, 6, 8]);
    history = appendSamples(history, [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20].map(sample), 8);
    expect(history.stride).toBe(4);
    expect(history.samples.map((s) => s.step)).toEqual([0, 4, 8, 12, 16, 20]);
    // A chunk larger than the limit at once thins as often as needed.
    history = appendSamples({ samples: [], stride: 1 }, Array.from({ length: 100 }, (_, k) => sample(k)), 8);
    expect(history.stride).toBe(16);
    expect(history.samples.map((s) => s.step)).toEqual([0, 16, 32, 48, 64, 80, 96]);
  });
});
