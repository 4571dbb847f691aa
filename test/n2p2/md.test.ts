import { beforeAll, describe, expect, test } from 'vitest';
import { BOHR_IN_ANGSTROM, HARTREE_IN_EV, formatExtxyzFrame, parseStructures, runMD, type MDState } from '../../src/index.js';
import { loadPotential } from '../../src/index.node.js';
import type { N2p2Potential } from '../../src/n2p2/potential.js';
import { expectAtomenvError } from '../helpers/errors.js';
import { readSharedJson, sharedPath } from '../helpers/shared.js';

const h2o = readSharedJson('reference/n2p2/H2O_RPBE-D3.json');
// The 21-atom water cluster (7 molecules), Bohr.
const cluster = { symbols: h2o.structures[4].symbols as string[], positions: (h2o.structures[4].positions as number[][]).flat() };
const units = { lengthUnit: BOHR_IN_ANGSTROM, energyUnit: HARTREE_IN_EV };
let potential: N2p2Potential;

beforeAll(async () => {
  potential = await loadPotential(sharedPath('data/n2p2/H2O_RPBE-D3'));
});

describe('molecular dynamics with the H2O_RPBE-D3 potential', () => {
  test('NVE velocity Verlet conserves the total energy over 200 fs', () => {
    const states: MDState[] = [];
    const final = runMD(potential, cluster, { dt: 0.25, steps: 800, temperature: 300, seed: 7, ...units, every: 10, onStep: (s) => void states.push(s) });
    expect(final.step).toBe(800);
    expect(final.time).toBe(200);
    expect(states[0]!.temperature).toBeCloseTo(300, 6);
    const e0 = states[0]!.totalEnergy;
    const drift = Math.max(...states.map((s) => Math.abs(s.totalEnergy - e0)));
    const kineticSwing = Math.max(...states.map((s) => s.kineticEnergy)) - Math.min(...states.map((s) => s.kineticEnergy));
    // The atoms move: kinetic and potential energy exchange, the sum stays.
    expect(kineticSwing).toBeGreaterThan(1e-3);
    expect(drift).toBeLessThan(kineticSwing / 100);
    // No net momentum appears (forces sum to zero).
    const masses = cluster.symbols.map((s) => (s === 'H' ? 1.008 : 15.999));
    for (let a = 0; a < 3; a++) {
      let p = 0;
      masses.forEach((m, i) => (p += m * final.velocities[3 * i + a]!));
      expect(Math.abs(p)).toBeLessThan(1e-10);
    }
  });

  test('halving dt shrinks the energy error about four-fold (second order)', () => {
    const error = (dt: number) => {
      let e0 = 0, worst = 0;
      runMD(potential, cluster, {
        dt, steps: Math.round(20 / dt), temperature: 300, seed: 3, ...units,
        onStep: (s) => {
          if (s.step === 0) e0 = s.totalEnergy;
          worst = Math.max(worst, Math.abs(s.totalEnergy - e0));
        },
      });
      return worst;
    };
    const ratio = error(0.5) / error(0.25);
    expect(ratio).toBeGreaterThan(2.5);
    expect(ratio).toBeLessThan(6);
  });

  test('Berendsen pulls the temperature to the target', () => {
    const temps: number[] = [];
    runMD(potential, cluster, {
      dt: 0.5, steps: 300, temperature: 200, thermostat: 'berendsen', thermostatTime: 10, seed: 5, ...units,
      velocities: new Float64Array(63), onStep: (s) => void temps.push(s.temperature),
    });
    expect(temps[0]).toBe(0);
    const late = temps.slice(-100);
    const mean = late.reduce((a, b) => a + b, 0) / late.length;
    expect(Math.abs(mean - 200)).toBeLessThan(40);
  });

  test('Langevin is reproducible for a seed and heats a cold cluster', () => {
    const run = (seed: number) => runMD(potential, cluster, {
      dt: 0.5, steps: 100, temperature: 300, thermostat: 'langevin', thermostatTime: 20, seed, ...units, velocities: new Float64Array(63),
    });
    const a = run(11), b = run(11), c = run(12);
    expect(a.totalEnergy).toBe(b.totalEnergy);
    expect(a.totalEnergy).not.toBe(c.totalEnergy);
    expect(a.temperature).toBeGreaterThan(50);
  });

  test('bad options', () => {
    expectAtomenvError(() => runMD(potential, cluster, { dt: 0, steps: 1 }), 'INVALID_PARAMETER', 'dt');
    expectAtomenvError(() => runMD(potential, cluster, { dt: 1, steps: 1.5 }), 'INVALID_PARAMETER', 'steps');
    expectAtomenvError(() => runMD(potential, cluster, { dt: 1, steps: 1, thermostat: 'nose' as never }), 'INVALID_PARAMETER', 'thermostat');
    expectAtomenvError(() => runMD(potential, cluster, { dt: 1, steps: 1, masses: [1] }), 'INVALID_PARAMETER', 'masses');
  });
});

describe('extxyz trajectory frames', () => {
  test('energies in the comment line; the frames read back', () => {
    const text: string[] = [];
    const box = { symbols: ['O', 'H', 'H'], positions: [0, 0, 0, 1.8, 0, 0, -0.5, 1.7, 0], cell: [[10, 0, 0], [0, 11, 0], [0, 0, 12]], pbc: true };
    runMD(potential, box, {
      dt: 0.5, steps: 4, temperature: 100, ...units,
      onStep: (s) => void text.push(formatExtxyzFrame(s.structure, { step: s.step, time: s.time, energy: s.potentialEnergy, kinetic_energy: s.kineticEnergy, total_energy: s.totalEnergy, temperature: s.temperature }, { forces: s.forces, velocities: s.velocities })),
    });
    const frames = parseStructures(text.join(''), 'extxyz');
    expect(frames).toHaveLength(5);
    const last = frames[4]!;
    expect(last.info['step']).toBe(4);
    expect(typeof last.info['energy']).toBe('number');
    expect(last.cell).toEqual([[10, 0, 0], [0, 11, 0], [0, 0, 12]]);
    expect(last.numbers).toEqual([8, 1, 1]);
  });
});
