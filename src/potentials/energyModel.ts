import type { Structure } from '../structure/structure.js';

/**
 * Energy, per-atom energies and forces of one structure, in the model's units (eV and Å for the
 * models atomenv loads).
 */
export interface EnergyResult {
  /** Total energy E = Σ_i E_i (plus any constant offsets of the model). */
  energy: number;
  /** E_i per atom, in input order. */
  atomicEnergies: Float64Array;
  /** F = −∂E/∂r, flat (fx0, fy0, fz0, fx1, …). */
  forces: Float64Array;
  /**
   * Stress σ = (1/V) ∂E/∂ε as a flat row-major 3×3 (periodic cells only; eV/Å³), when the model
   * computes it (absent or null otherwise).
   */
  stress?: Float64Array | null;
}

/** Anything that gives energies and forces for a structure: a CACE model, an n2p2 potential. */
export interface EnergyModel {
  /** Energy and forces of `structure`; throws AtomenvError for bad input. */
  compute(structure: Structure): EnergyResult;
}
