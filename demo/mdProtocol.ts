// Messages between the demo page and its molecular-dynamics Web Worker (demo/mdWorker.ts).
// Lengths on the wire are in Å, energies in eV, times in fs, temperatures in K.

/** The start structure as plain data (structured-cloneable), in the potential's length unit. */
export interface MDStartStructure {
  numbers: number[];
  positions: number[];
  cell: number[][] | null;
  pbc: [boolean, boolean, boolean];
}

/** Run settings, read from the form when a run starts or resumes. */
export interface MDSettings {
  /** Time step in fs. */
  dt: number;
  /** Target (and initial) temperature in K. */
  temperature: number;
  thermostat: 'berendsen' | 'langevin' | null;
  /** Berendsen τ or Langevin 1/γ in fs. */
  thermostatTime: number;
  /** Seed of the initial velocities and the Langevin noise. */
  seed: number;
}

/** The potential's units: Å (eV) per its length (energy) unit. */
export interface MDUnits {
  lengthUnit: number;
  energyUnit: number;
}

export type MDRequest =
  | { type: 'load'; files: Record<string, string>; structure: MDStartStructure; units: MDUnits }
  | { type: 'start'; settings: MDSettings }
  | { type: 'pause' }
  | { type: 'reset' };

/** Energies of one recorded step (eV, K, fs). */
export interface MDSample {
  step: number;
  time: number;
  potential: number;
  kinetic: number;
  total: number;
  temperature: number;
}

export type MDReply =
  /** The potential is built; `energy` is the start structure's potential energy (eV). */
  | { type: 'loaded'; atoms: number; numbers: number[]; cell: number[][] | null; positions: Float64Array; energy: number }
  /** A chunk of steps: the samples of every step and the positions (Å) after the last one. */
  | { type: 'frame'; samples: MDSample[]; positions: Float64Array; msPerStep: number }
  | { type: 'paused'; step: number }
  | { type: 'reset'; positions: Float64Array; energy: number }
  | { type: 'error'; code: string; message: string };
