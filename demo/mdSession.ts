// A resumable MD run for the demo's worker: the library's runMD, called a few steps at a time
// (a chunk) so the worker can take messages (pause, reset) between chunks.
import { runMD, type MDPotential, type Structure } from '../src/index.js';
import type { MDSample, MDSettings, MDStartStructure, MDUnits } from './mdProtocol.js';

type Result = { energy: number; forces: Float64Array };

/**
 * A potential in its own units (e.g. Bohr, Hartree) seen as one in Å and eV, so the run keeps
 * its positions in Å without a unit round trip between chunks. It remembers its last result:
 * a chunk starts where the previous one ended, and those positions are not computed twice.
 */
export class AngstromPotential implements MDPotential {
  /** Number of calls of the wrapped potential (the cached ones not counted). */
  computed = 0;
  private lastPositions: Float64Array | null = null;
  private lastResult: Result | null = null;

  constructor(
    private readonly inner: MDPotential,
    private readonly units: MDUnits,
    /** The cell in the potential's unit (null: none). */
    private readonly cell: number[][] | null,
    private readonly pbc: [boolean, boolean, boolean],
  ) {}

  compute(structure: Structure): Result {
    const positions = structure.positions as ArrayLike<number>;
    const last = this.lastPositions;
    if (last !== null && this.lastResult !== null && last.length === positions.length && sameValues(last, positions)) return this.lastResult;
    const { lengthUnit: l, energyUnit: e } = this.units;
    const inner = this.inner.compute({
      numbers: structure.numbers,
      positions: Float64Array.from(positions, (p) => p / l),
      ...(this.cell !== null ? { cell: this.cell as Structure['cell'], pbc: this.pbc } : {}),
    });
    this.computed++;
    // E in eV, F = −∂E/∂r in eV/Å.
    const result = { energy: inner.energy * e, forces: Float64Array.from(inner.forces, (f) => (f * e) / l) };
    this.lastPositions = Float64Array.from(positions);
    this.lastResult = result;
    return result;
  }
}

function sameValues(a: Float64Array, b: ArrayLike<number>): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** One MD run from a start structure, advanced chunk by chunk; energies in eV, positions in Å. */
export class MDSession {
  readonly potential: AngstromPotential;
  readonly numbers: number[];
  /** The cell in Å (null: none). */
  readonly cell: number[][] | null;
  private readonly startPositions: Float64Array;
  private readonly pbc: [boolean, boolean, boolean];
  /** Positions (Å) and velocities (Å/fs) after the last step; velocities null before the first chunk. */
  positions: Float64Array;
  private velocities: Float64Array | null = null;
  step = 0;
  time = 0;
  private chunks = 0;

  constructor(potential: MDPotential, start: MDStartStructure, units: MDUnits) {
    const l = units.lengthUnit;
    this.numbers = start.numbers.slice();
    this.pbc = start.pbc;
    this.cell = start.cell === null ? null : start.cell.map((row) => row.map((v) => v * l));
    this.startPositions = Float64Array.from(start.positions, (p) => p * l);
    this.positions = this.startPositions.slice();
    this.potential = new AngstromPotential(potential, units, start.cell, start.pbc);
  }

  /** Potential energy (eV) at the current positions. */
  potentialEnergy(): number {
    return this.potential.compute(this.structure()).energy;
  }

  /** Back to the start structure; the next chunk draws new velocities. */
  reset(): void {
    this.positions = this.startPositions.slice();
    this.velocities = null;
    this.step = 0;
    this.time = 0;
    this.chunks = 0;
  }

  /**
   * Runs `steps` steps with `settings` (velocities carry over from the previous chunk; the first
   * chunk draws them at the temperature) and returns a sample per step, step 0 included on the
   * first chunk.
   */
  advance(settings: MDSettings, steps: number): MDSample[] {
    const first = this.velocities === null;
    const samples: MDSample[] = [];
    const offset = this.step, t0 = this.time;
    const final = runMD(this.potential, this.structure(), {
      dt: settings.dt, steps, temperature: settings.temperature, thermostat: settings.thermostat,
      thermostatTime: settings.thermostatTime,
      // A fresh Langevin noise stream per chunk: the seed and the chunk index.
      seed: settings.seed * 1_000_003 + this.chunks,
      ...(first ? {} : { velocities: this.velocities! }),
      onStep: (s) => {
        if (s.step === 0 && !first) return;
        samples.push({
          step: offset + s.step, time: t0 + s.time, potential: s.potentialEnergy, kinetic: s.kineticEnergy,
          total: s.totalEnergy, temperature: s.temperature,
        });
      },
    });
    this.chunks++;
    this.positions = Float64Array.from(final.structure.positions);
    this.velocities = final.velocities;
    this.step = offset + final.step;
    this.time = t0 + final.time;
    return samples;
  }

  private structure(): Structure {
    return { numbers: this.numbers, positions: this.positions, ...(this.cell !== null ? { cell: this.cell as Structure['cell'], pbc: this.pbc } : {}) };
  }
}
