import { AtomenvError } from '../errors.js';
import { normalizeStructure, type Structure } from '../structure/structure.js';
import { atomicMass } from './masses.js';
import { NormalRandom } from './random.js';
import type { Pool, PoolEnergyModel } from '../pool/pool.js';

/** Anything with an energy and forces, e.g. an {@link N2p2Potential}. */
export interface MDPotential {
  compute(structure: Structure): { energy: number; forces: ArrayLike<number> };
}

/** Energy and forces of a structure, as a potential's `compute` gives them. */
type Forces = { energy: number; forces: ArrayLike<number> };

/** An {@link MDPotential} whose `compute` may answer later (a promise). */
export interface AsyncMDPotential {
  compute(structure: Structure): Forces | Promise<Forces>;
}

/** Å per Bohr. */
export const BOHR_IN_ANGSTROM = 0.529177210903;
/** eV per Hartree. */
export const HARTREE_IN_EV = 27.211386245988;

/** Boltzmann constant in eV/K. */
const KB = 8.617333262e-5;
/** 1 eV/(Å·amu) in Å/fs². */
const ACCEL = 0.0096485332123;

/** Options of {@link runMD}. */
export interface MDOptions {
  /** Time step in fs. */
  dt: number;
  /** Number of steps. */
  steps: number;
  /** Target temperature in K (thermostats) and the initial temperature when `velocities` is absent. Default 0. */
  temperature?: number;
  /** `'berendsen'` (velocity rescaling towards `temperature`) or `'langevin'` (BAOAB); default none (NVE). */
  thermostat?: 'berendsen' | 'langevin' | null;
  /** Berendsen time constant τ in fs (default 100) or Langevin friction time 1/γ in fs (default 100). */
  thermostatTime?: number;
  /** Initial velocities in Å/fs (3 per atom); default Maxwell–Boltzmann at `temperature`, no net momentum. */
  velocities?: ArrayLike<number>;
  /** Masses in amu (one per atom); default the standard atomic weights. */
  masses?: ArrayLike<number>;
  /** Å per length unit of the potential (BOHR_IN_ANGSTROM for a Bohr potential). Default 1. */
  lengthUnit?: number;
  /** eV per energy unit of the potential (HARTREE_IN_EV for a Hartree potential). Default 1. */
  energyUnit?: number;
  /** Seed of the random numbers (initial velocities, Langevin noise). Default 1. */
  seed?: number;
  /** Called after every step (and once for step 0); return `false` to stop early. */
  onStep?: (state: MDState) => void | boolean;
  /** Call onStep every this many steps (default 1). */
  every?: number;
}

/** The state of a run after a step. Energies in the potential's energy unit, positions in its length unit. */
export interface MDState {
  step: number;
  /** Elapsed time in fs. */
  time: number;
  /** The structure at this step (positions in the potential's length unit). */
  structure: Structure & { numbers: Int32Array; positions: Float64Array };
  potentialEnergy: number;
  kineticEnergy: number;
  totalEnergy: number;
  /** Instantaneous temperature in K (3N − 3 degrees of freedom). */
  temperature: number;
  /** Forces in the potential's units. */
  forces: Float64Array;
  /** Velocities in Å/fs. */
  velocities: Float64Array;
}

/**
 * Molecular dynamics by velocity Verlet, optionally with a Berendsen or Langevin (BAOAB)
 * thermostat. Units: dt in fs, temperatures in K, masses in amu, velocities in Å/fs; the
 * potential works in its own units, converted with `lengthUnit` and `energyUnit`.
 * Returns the final state.
 */
export function runMD(potential: MDPotential, structure: Structure, options: MDOptions): MDState {
  const run = integrate(structure, options);
  let next = run.next();
  while (!next.done) next = run.next(potential.compute(next.value));
  return next.value;
}

/** Options of {@link runMDAsync}: those of {@link runMD}, and a pool. */
export interface MDAsyncOptions extends MDOptions {
  /**
   * A worker pool that computes each step's energy and forces (`pool.energy(potential,
   * structure)`): a large structure's atoms are split across its workers. The potential must
   * then be one a pool takes (an `N2p2Potential`, a CACE model).
   */
  pool?: Pool;
}

/**
 * {@link runMD} with forces that may come asynchronously: from `options.pool` (each step's
 * structure split across the pool's workers, see `Pool.energy`) or from a potential whose
 * `compute` returns a promise. The same trajectory as runMD up to the rounding of the forces.
 *
 * ```ts
 * const pool = await createPool({ workers: 2 });
 * const final = await runMDAsync(potential, structure, { dt: 0.5, steps: 1000, temperature: 300, pool });
 * ```
 */
export async function runMDAsync(potential: AsyncMDPotential | PoolEnergyModel, structure: Structure, options: MDAsyncOptions): Promise<MDState> {
  const { pool } = options;
  const compute = pool !== undefined
    ? (s: Structure) => pool.energy(potential as PoolEnergyModel, s)
    : (s: Structure) => {
      if (!('compute' in potential) || typeof potential.compute !== 'function') throw new AtomenvError('INVALID_PARAMETER', 'runMDAsync: give a potential with compute(structure), or a pool');
      return (potential as AsyncMDPotential).compute(s);
    };
  const run = integrate(structure, options);
  let next = run.next();
  while (!next.done) next = run.next(await compute(next.value));
  return next.value;
}

/**
 * The integrator of {@link runMD} as a generator: it yields each structure whose energy and
 * forces it needs and is resumed with them; it returns the final state.
 */
function* integrate(structure: Structure, options: MDOptions): Generator<MDState['structure'], MDState, Forces> {
  const { dt, steps } = options;
  if (!(typeof dt === 'number' && dt > 0 && Number.isFinite(dt))) throw new AtomenvError('INVALID_PARAMETER', `dt must be a positive number of fs, got ${String(dt)}`);
  if (!Number.isInteger(steps) || steps < 0) throw new AtomenvError('INVALID_PARAMETER', `steps must be a non-negative integer, got ${String(steps)}`);
  const temperature = options.temperature ?? 0;
  if (!(temperature >= 0)) throw new AtomenvError('INVALID_PARAMETER', `temperature must be ≥ 0 K, got ${String(temperature)}`);
  const thermostat = options.thermostat ?? null;
  if (thermostat !== null && thermostat !== 'berendsen' && thermostat !== 'langevin') {
    throw new AtomenvError('INVALID_PARAMETER', `thermostat must be 'berendsen' or 'langevin', got ${JSON.stringify(thermostat)}`);
  }
  const tau = options.thermostatTime ?? 100;
  if (!(tau > 0)) throw new AtomenvError('INVALID_PARAMETER', `thermostatTime must be positive, got ${String(tau)}`);
  const lengthUnit = options.lengthUnit ?? 1, energyUnit = options.energyUnit ?? 1;
  const every = Math.max(1, Math.floor(options.every ?? 1));
  const s = normalizeStructure(structure);
  const n = s.nAtoms;
  const masses = Float64Array.from(options.masses ?? Array.from(s.numbers, atomicMass));
  if (masses.length !== n || masses.some((m) => !(m > 0))) throw new AtomenvError('INVALID_PARAMETER', `masses must be ${n} positive numbers`);
  const random = new NormalRandom(options.seed ?? 1);
  const dof = Math.max(1, 3 * n - 3);

  // Positions in Å internally; the potential sees its own unit.
  const x = Float64Array.from(s.positions, (p) => p * lengthUnit);
  const current = (): MDState['structure'] => ({
    numbers: s.numbers, positions: Float64Array.from(x, (p) => p / lengthUnit),
    ...(s.cell !== null ? { cell: s.cell, pbc: s.pbc as [boolean, boolean, boolean] } : {}),
  });
  const v = new Float64Array(3 * n);
  if (options.velocities !== undefined) {
    if (options.velocities.length !== 3 * n) throw new AtomenvError('INVALID_PARAMETER', `velocities must have ${3 * n} numbers`);
    v.set(Array.from(options.velocities));
  } else if (temperature > 0) {
    for (let i = 0; i < n; i++) for (let a = 0; a < 3; a++) v[3 * i + a] = random.normal() * Math.sqrt((KB * temperature * ACCEL) / masses[i]!);
    removeMomentum(v, masses);
    const t = kinetic(v, masses) * 2 / (dof * KB);
    if (t > 0) for (let k = 0; k < v.length; k++) v[k]! *= Math.sqrt(temperature / t);
  }
  // a = F/m in Å/fs² from forces in energyUnit/lengthUnit.
  const acc = new Float64Array(3 * n);
  let structureNow = current();
  let result: Forces = yield structureNow;
  const setAcceleration = (forces: ArrayLike<number>): void => {
    for (let i = 0; i < n; i++) for (let a = 0; a < 3; a++) acc[3 * i + a] = (forces[3 * i + a]! * energyUnit / lengthUnit) * ACCEL / masses[i]!;
  };
  setAcceleration(result.forces);
  const state = (step: number): MDState => {
    const ke = kinetic(v, masses);
    const epot = result.energy;
    return {
      step, time: step * dt, structure: structureNow, potentialEnergy: epot, kineticEnergy: ke / energyUnit,
      totalEnergy: epot + ke / energyUnit, temperature: (2 * ke) / (dof * KB), forces: Float64Array.from(result.forces), velocities: v.slice(),
    };
  };
  let last = state(0);
  if (options.onStep?.(last) === false) return last;
  const c1 = Math.exp(-dt / tau);
  const c2 = Math.sqrt(1 - c1 * c1);
  for (let step = 1; step <= steps; step++) {
    for (let k = 0; k < v.length; k++) v[k]! += 0.5 * dt * acc[k]!;
    if (thermostat === 'langevin') {
      // BAOAB: half drift, Ornstein–Uhlenbeck velocity update, half drift.
      for (let k = 0; k < x.length; k++) x[k]! += 0.5 * dt * v[k]!;
      for (let i = 0; i < n; i++) {
        const sigma = Math.sqrt((KB * temperature * ACCEL) / masses[i]!);
        for (let a = 0; a < 3; a++) v[3 * i + a] = c1 * v[3 * i + a]! + c2 * sigma * random.normal();
      }
      for (let k = 0; k < x.length; k++) x[k]! += 0.5 * dt * v[k]!;
    } else {
      for (let k = 0; k < x.length; k++) x[k]! += dt * v[k]!;
    }
    structureNow = current();
    result = yield structureNow;
    setAcceleration(result.forces);
    for (let k = 0; k < v.length; k++) v[k]! += 0.5 * dt * acc[k]!;
    if (thermostat === 'berendsen') {
      const t = (2 * kinetic(v, masses)) / (dof * KB);
      if (t > 0) {
        const lambda = Math.sqrt(Math.max(0, 1 + (dt / tau) * (temperature / t - 1)));
        for (let k = 0; k < v.length; k++) v[k]! *= lambda;
      }
    }
    if (step % every === 0 || step === steps) {
      last = state(step);
      if (options.onStep?.(last) === false) return last;
    }
  }
  return last.step === steps ? last : state(steps);
}

/** ½ Σ m v² in eV (v in Å/fs, m in amu). */
function kinetic(v: Float64Array, masses: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < masses.length; i++) {
    const vx = v[3 * i]!, vy = v[3 * i + 1]!, vz = v[3 * i + 2]!;
    sum += masses[i]! * (vx * vx + vy * vy + vz * vz);
  }
  return (0.5 * sum) / ACCEL;
}

function removeMomentum(v: Float64Array, masses: Float64Array): void {
  let total = 0;
  const p = [0, 0, 0];
  for (let i = 0; i < masses.length; i++) {
    total += masses[i]!;
    for (let a = 0; a < 3; a++) p[a]! += masses[i]! * v[3 * i + a]!;
  }
  for (let i = 0; i < masses.length; i++) for (let a = 0; a < 3; a++) v[3 * i + a]! -= p[a]! / total;
}
