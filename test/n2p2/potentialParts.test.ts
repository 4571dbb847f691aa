import { beforeAll, describe, expect, test } from 'vitest';
import { combinePotentialParts, type PotentialPart, type Structure } from '../../src/index.js';
import { loadPotential } from '../../src/index.node.js';
import type { N2p2Potential } from '../../src/n2p2/potential.js';
import { expectAtomenvError } from '../helpers/errors.js';
import { expectSameEnergyResult } from '../helpers/potentialResults.js';
import { maxAbs, readShared, sharedPath } from '../helpers/shared.js';

// H2O_RPBE-D3's training frames: a 192-atom box of 24.6 Bohr (the edge path: the cell is more
// than twice the 12 Bohr cutoff high) and smaller boxes of 14.8 Bohr (the f64x2 path).
const frames = readShared('data/n2p2/H2O_RPBE-D3/input.data');
let potential: N2p2Potential;

beforeAll(async () => {
  potential = await loadPotential(sharedPath('data/n2p2/H2O_RPBE-D3'));
});

/** The 192-atom frame as a cluster in vacuum (no cell). */
function cluster(s: Structure): Structure {
  return { numbers: s.numbers, positions: s.positions };
}

describe('N2p2Potential.computePart', () => {
  test('the parts of 1, 2 and 3 sum to compute (periodic edge path, periodic f64x2 path, cluster)', () => {
    const big = frames.find((s) => s.numbers!.length === 192)!;
    const small = frames.find((s) => s.numbers!.length < 192)!;
    for (const structure of [big, small, cluster(big)]) {
      const expected = potential.compute(structure);
      const n = expected.atomicEnergies.length;
      for (const parts of [1, 2, 3]) {
        const list: PotentialPart[] = [];
        for (let k = 0; k < parts; k++) list.push(potential.computePart(structure, k, parts));
        // Each part holds a contiguous share of the atoms, every atom exactly once.
        const sizes = list.map((p) => p.atoms.length);
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(n);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect(new Set(list.flatMap((p) => Array.from(p.atoms))).size).toBe(n);
        // A part's energies are those atoms' energies of the whole.
        for (const p of list) p.atoms.forEach((a, i) => expect(Math.abs(p.atomicEnergies[i]! - expected.atomicEnergies[a]!)).toBeLessThanOrEqual(1e-12 * Math.abs(expected.atomicEnergies[a]!)));
        // Parts in any order.
        const combined = combinePotentialParts(list.reverse());
        expectSameEnergyResult(combined, expected);
        if (parts === 1) {
          // One part is compute itself.
          expect(combined.energy).toBe(expected.energy);
          expect(combined.forces).toEqual(expected.forces);
          expect(combined.stress).toEqual(expected.stress);
        }
      }
    }
  });

  test('a part’s forces are −∂E_part/∂r: they act beyond the part’s own atoms and sum to zero', () => {
    const big = frames.find((s) => s.numbers!.length === 192)!;
    const part = potential.computePart(big, 0, 3);
    const mine = new Set(part.atoms);
    let outside = 0;
    const total = [0, 0, 0];
    for (let a = 0; a < 192; a++) {
      for (let d = 0; d < 3; d++) total[d]! += part.forces[3 * a + d]!;
      if (!mine.has(a)) outside = Math.max(outside, Math.abs(part.forces[3 * a]!));
    }
    expect(outside).toBeGreaterThan(1e-4);
    // Translation invariance of E_part.
    for (const t of total) expect(Math.abs(t)).toBeLessThan(1e-12 * maxAbs(part.forces) * 192);
  });

  test('bad part numbers and mismatched parts are errors', () => {
    const small = frames.find((s) => s.numbers!.length < 192)!;
    expectAtomenvError(() => potential.computePart(small, 2, 2), 'INVALID_PARAMETER', 'part');
    expectAtomenvError(() => potential.computePart(small, 0, 0), 'INVALID_PARAMETER', 'parts');
    expectAtomenvError(() => potential.computePart(small, 0.5, 2), 'INVALID_PARAMETER');
    const a = potential.computePart(small, 0, 2);
    expectAtomenvError(() => combinePotentialParts([a, a]), 'INVALID_PARAMETER', 'exactly one');
    expectAtomenvError(() => combinePotentialParts([a, potential.computePart(frames[0]!, 1, 2)]), 'INVALID_PARAMETER', 'another structure');
    expectAtomenvError(() => combinePotentialParts([]), 'INVALID_PARAMETER');
  });

  test('errors name the caller’s atom indices, as compute’s do', () => {
    const big = frames.find((s) => s.numbers!.length === 192)!;
    const positions = Float64Array.from(big.positions as ArrayLike<number>);
    positions[3 * 150 + 1] = Number.NaN;
    expectAtomenvError(() => potential.computePart({ ...big, positions }, 1, 2), 'NON_FINITE_POSITION', 'atom 150');
  });
});
