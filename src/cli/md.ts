import { closeSync, openSync, writeSync } from 'node:fs';
import { AtomenvError } from '../errors.js';
import { formatExtxyzFrame } from '../io/extxyzWriter.js';
import { BOHR_IN_ANGSTROM, HARTREE_IN_EV, runMD, runMDAsync, type MDOptions, type MDState } from '../md/runMD.js';
import type { N2p2Potential } from '../n2p2/potential.js';
import { createPool } from '../pool/createPool.node.js';
import { init } from '../wasm/loader.js';
import { loadEnergyModel } from './energyModels.js';
import { framesOf } from './frames.js';
import type { MdArgs } from './mdArgs.js';

/**
 * `atomenv md`: velocity-Verlet molecular dynamics (NVE, or Berendsen / Langevin at
 * --temperature) with a CACE model or an n2p2 potential, from the first frame of the start
 * file. Writes an extxyz trajectory (every --every steps) whose comment lines carry step, time,
 * potential, kinetic and total energy and temperature, with forces and velocities per atom.
 * With --workers N each step's structure is split across N worker threads (pool.energy).
 */
export async function runMd(args: MdArgs): Promise<number> {
  await init();
  const model = await loadEnergyModel(args.model);
  const start = await firstFrame(args);
  const toStdout = args.output === undefined || args.output === '-';
  let fd: number;
  try {
    fd = toStdout ? 1 : openSync(args.output!, 'w');
  } catch (error) {
    throw new AtomenvError('IO_ERROR', `cannot write the trajectory: ${(error as Error).message}`, { file: args.output });
  }
  const bohr = args.units === 'bohr-hartree';
  const write = (state: MDState) => {
    const info = {
      step: state.step,
      time_fs: state.time,
      energy: state.potentialEnergy,
      kinetic_energy: state.kineticEnergy,
      total_energy: state.totalEnergy,
      temperature_K: state.temperature,
    };
    writeSync(fd, formatExtxyzFrame(state.structure, info, { forces: state.forces, velocities: state.velocities }));
  };
  const options: MDOptions = {
    dt: args.dt,
    steps: args.steps,
    temperature: args.temperature,
    thermostat: args.thermostat === 'none' ? null : args.thermostat,
    thermostatTime: args.tau,
    seed: args.seed,
    every: args.every,
    lengthUnit: bohr ? BOHR_IN_ANGSTROM : 1,
    energyUnit: bohr ? HARTREE_IN_EV : 1,
    onStep: write,
  };
  try {
    if (args.workers > 0) {
      const pool = await createPool({ workers: args.workers });
      try {
        // parseMdArgs allows --workers only with --potential: the model is an N2p2Potential.
        await runMDAsync(model as N2p2Potential, start, { ...options, pool });
      } finally {
        await pool.close();
      }
    } else {
      runMD(model, start, options);
    }
  } finally {
    if (!toStdout) closeSync(fd);
  }
  return 0;
}

/** The first frame of the start file (an error names the file and frame). */
async function firstFrame(args: MdArgs) {
  for await (const item of framesOf(args.input, args.inputFormat)) {
    if (item.error !== undefined) throw item.error;
    return item.structure;
  }
  throw new AtomenvError('PARSE_ERROR', 'the start file has no structure', { file: args.input });
}
