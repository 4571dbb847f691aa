import { expect } from 'vitest';
import type { EnergyResult } from '../../src/potentials/energyModel.js';
import { maxAbs, maxAbsDiff } from './shared.js';

/**
 * Expects every field of `got` within `tol` of `expected`, relative to the field's largest
 * magnitude (energy, atomic energies, forces, and stress when `expected` has one).
 */
export function expectSameEnergyResult(got: EnergyResult, expected: EnergyResult, tol = 1e-12): void {
  expect(Math.abs(got.energy - expected.energy)).toBeLessThanOrEqual(tol * Math.abs(expected.energy));
  expect(maxAbsDiff(got.atomicEnergies, expected.atomicEnergies)).toBeLessThanOrEqual(tol * maxAbs(expected.atomicEnergies));
  expect(maxAbsDiff(got.forces, expected.forces)).toBeLessThanOrEqual(tol * maxAbs(expected.forces));
  if (expected.stress === undefined || expected.stress === null) {
    expect(got.stress ?? undefined).toBeUndefined();
  } else {
    expect(maxAbsDiff(got.stress!, expected.stress)).toBeLessThanOrEqual(tol * maxAbs(expected.stress));
  }
}
