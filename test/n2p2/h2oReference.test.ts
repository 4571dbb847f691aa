import { beforeAll, describe, expect, test } from 'vitest';
import { loadPotential as loadPotentialNode } from '../../src/index.node.js';
import type { N2p2Potential } from '../../src/n2p2/potential.js';
import { checkSymmetryFunction, parseSymmetryFunctionLine } from '../../src/n2p2/symmetryFunctionSpec.js';
import { readSharedJson, sharedPath } from '../helpers/shared.js';

const ref = readSharedJson('reference/n2p2/H2O_RPBE-D3.json');
let potential: N2p2Potential;

beforeAll(async () => {
  potential = await loadPotentialNode(sharedPath('data/n2p2/H2O_RPBE-D3'));
});

const structureOf = (s: any) => ({ symbols: s.symbols, positions: s.positions, ...(s.lattice ? { cell: s.lattice, pbc: true } : {}) });

describe('H2O_RPBE-D3 against n2p2', () => {
  test('elements, units and the sorted symmetry functions', () => {
    expect(potential.elements).toEqual(ref.elements);
    expect(potential.settings.normalization).toEqual({
      meanEnergy: ref.normalization.mean_energy, convEnergy: ref.normalization.conv_energy, convLength: ref.normalization.conv_length,
    });
    expect(potential.cutoff).toBe(ref.max_cutoff_radius_physical);
    for (const [element, list] of Object.entries(ref.symmetry_functions_sorted) as [string, any[]][]) {
      const mine = potential.descriptor.functions[potential.elements.indexOf(element)]!;
      expect(mine.map((f) => f.line)).toEqual(list.map((entry) => entry.input_nn_line_number));
      expect(mine.map(({ line: _l, ...rest }) => rest)).toEqual(list.map((entry) => checkSymmetryFunction(parseSymmetryFunctionLine(entry.line), potential.elements)));
    }
  });

  for (const s of ref.structures) {
    test(`structure ${s.index}: ${s.comment} (${s.num_atoms} atoms)`, () => {
      const structure = structureOf(s);
      const out = potential.compute(structure);
      const n = s.num_atoms;
      // Energies to 1e-9 per atom.
      expect(Math.abs(out.energy - s.energy) / n).toBeLessThan(1e-9);
      const { meanEnergy } = potential.settings.normalization!;
      for (let i = 0; i < n; i++) {
        expect(Math.abs(out.atomicEnergies[i]! - meanEnergy - s.atomic_energies[i])).toBeLessThan(1e-9);
      }
      // Forces to 1e-8.
      let maxDiff = 0;
      for (let i = 0; i < n; i++) for (let a = 0; a < 3; a++) maxDiff = Math.max(maxDiff, Math.abs(out.forces[3 * i + a]! - s.forces[i][a]));
      expect(maxDiff).toBeLessThan(1e-8);
      // Forces sum to zero.
      for (let a = 0; a < 3; a++) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += out.forces[3 * i + a]!;
        expect(Math.abs(sum)).toBeLessThan(1e-12);
      }
      // Symmetry functions, raw and scaled.
      const inputs = potential.inputs(structure);
      let rawDiff = 0, scaledDiff = 0;
      for (let i = 0; i < n; i++) {
        expect(inputs.raw[i]!.length).toBe(s.G_raw[i].length);
        inputs.raw[i]!.forEach((g, f) => (rawDiff = Math.max(rawDiff, Math.abs(g - s.G_raw[i][f]) / Math.max(1, Math.abs(s.G_raw[i][f])))));
        inputs.scaled[i]!.forEach((g, f) => (scaledDiff = Math.max(scaledDiff, Math.abs(g - s.G_scaled[i][f]))));
      }
      expect(rawDiff).toBeLessThan(1e-12);
      expect(scaledDiff).toBeLessThan(1e-12);
      expect(out.stress !== undefined).toBe(s.periodic);
    });
  }
});
