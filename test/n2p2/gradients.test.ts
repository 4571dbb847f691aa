import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/index.js';
import { loadPotential } from '../../src/index.node.js';
import type { N2p2Potential } from '../../src/n2p2/potential.js';
import { SymmetryFunctions } from '../../src/n2p2/symmetryFunctions.js';
import type { DenseDerivatives } from '../../src/gradients/atomGradients.js';
import type { Descriptor } from '../../src/descriptors/registry.js';
import { readSharedJson, sharedPath } from '../helpers/shared.js';

const alltypes = readSharedJson('reference/n2p2/symfunc_alltypes.json');
const h2o = readSharedJson('reference/n2p2/H2O_RPBE-D3.json');
const structureOf = (s: any) => ({ symbols: s.symbols, positions: s.positions.flat() as number[], ...(s.lattice ? { cell: s.lattice, pbc: true } : {}) });

let potential: N2p2Potential;
beforeAll(async () => {
  await init();
  potential = await loadPotential(sharedPath('data/n2p2/H2O_RPBE-D3'));
});

describe('symmetry-function gradients against central differences', () => {
  // Every function type; smooth cutoffs (HARD jumps at r_c) with and without α.
  for (const [setName, structureIndex] of [['set_A', 0], ['set_A', 2], ['set_B_small_cell', 0]] as const) {
    for (const [cutoffType, cutoffAlpha] of [[1, 0], [2, 0], [4, 0.3], [6, 0.3], [8, 0]] as const) {
      test(`${setName} structure ${structureIndex}, cutoff ${cutoffType}, α ${cutoffAlpha}`, () => {
        const set = alltypes[setName];
        const sf = new SymmetryFunctions({ elements: set.elements_input_order, functions: set.input_nn_symfunction_lines, cutoffType, cutoffAlpha });
        const structure = structureOf(set.variants[0].structures[structureIndex]);
        const n = structure.symbols.length, F = sf.numFeatures;
        const d = sf.derivatives(structure, { attach: true });
        const dense = d.derivatives as DenseDerivatives;
        expect(dense.shape).toEqual([n, n, 3, F]);
        const h = 1e-5;
        let worst = 0, scale = 0;
        for (let a = 0; a < n; a++) {
          for (let x = 0; x < 3; x++) {
            const plus = structure.positions.slice(), minus = structure.positions.slice();
            plus[3 * a + x] += h;
            minus[3 * a + x] -= h;
            const vp = sf.create({ ...structure, positions: plus }).values, vm = sf.create({ ...structure, positions: minus }).values;
            for (let c = 0; c < n; c++) {
              for (let f = 0; f < F; f++) {
                const fd = (vp[c * F + f]! - vm[c * F + f]!) / (2 * h);
                const an = dense.values[((c * n + a) * 3 + x) * F + f]!;
                worst = Math.max(worst, Math.abs(fd - an));
                scale = Math.max(scale, Math.abs(an));
              }
            }
          }
        }
        expect(scale).toBeGreaterThan(0);
        expect(worst / scale).toBeLessThan(1e-7);
      });
    }
  }
});

describe('H2O_RPBE-D3 forces and stress against finite differences', () => {
  for (const index of [3, 4, 1]) {
    test(`forces, structure ${index}`, () => {
      const structure = structureOf(h2o.structures[index]);
      const { forces } = potential.compute(structure);
      // h balances truncation (h² E''' / 6 ~ 1e-10) against rounding of E (~1e-12 Hartree / 2h).
      const h = 1e-4;
      const atoms = index === 1 ? [0, 1, 2, 17, 47] : [...Array(structure.symbols.length).keys()];
      let worst = 0;
      for (const a of atoms) {
        for (let x = 0; x < 3; x++) {
          const plus = structure.positions.slice(), minus = structure.positions.slice();
          plus[3 * a + x] += h;
          minus[3 * a + x] -= h;
          const fd = -(potential.compute({ ...structure, positions: plus }).energy - potential.compute({ ...structure, positions: minus }).energy) / (2 * h);
          worst = Math.max(worst, Math.abs(fd - forces[3 * a + x]!));
        }
      }
      expect(worst).toBeLessThan(2e-8);
    });
  }

  test('stress of a periodic cell: (1/V) ∂E/∂ε by straining cell and positions', () => {
    const s = h2o.structures[1];
    const structure = structureOf(s);
    const { stress } = potential.compute(structure);
    expect(stress).toBeDefined();
    const cell = s.lattice as number[][];
    const volume = cell[0]![0]! * cell[1]![1]! * cell[2]![2]!; // cubic cell
    const strained = (a: number, b: number, eps: number) => {
      // x_a → x_a + ε x_b for positions and cell vectors.
      const positions = structure.positions.slice();
      for (let i = 0; i < positions.length / 3; i++) positions[3 * i + a] += eps * structure.positions[3 * i + b]!;
      const c = cell.map((row) => row.slice());
      for (let r = 0; r < 3; r++) c[r]![a] += eps * cell[r]![b]!;
      return potential.compute({ ...structure, positions, cell: c }).energy;
    };
    const h = 1e-6;
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        const fd = (strained(a, b, h) - strained(a, b, -h)) / (2 * h) / volume;
        expect(Math.abs(fd - stress![3 * a + b]!)).toBeLessThan(1e-9);
      }
    }
    // Symmetric, as for any rotation-invariant energy.
    expect(Math.abs(stress![1]! - stress![3]!)).toBeLessThan(1e-12);
  });

  test('energy invariant under rotation and translation; forces rotate with the structure', () => {
    const structure = structureOf(h2o.structures[4]);
    const base = potential.compute(structure);
    const [c, s] = [Math.cos(0.7), Math.sin(0.7)];
    const p = structure.positions;
    const rotated = p.map((_, k) => {
      const i = Math.floor(k / 3), x = p[3 * i]!, y = p[3 * i + 1]!, z = p[3 * i + 2]!;
      return [c * x - s * y + 1.5, s * x + c * y - 2.5, z + 0.25][k % 3]!;
    });
    const out = potential.compute({ ...structure, positions: rotated });
    expect(Math.abs(out.energy - base.energy)).toBeLessThan(1e-10);
    for (let i = 0; i < p.length / 3; i++) {
      const fx = base.forces[3 * i]!, fy = base.forces[3 * i + 1]!;
      expect(Math.abs(out.forces[3 * i]! - (c * fx - s * fy))).toBeLessThan(1e-11);
      expect(Math.abs(out.forces[3 * i + 1]! - (s * fx + c * fy))).toBeLessThan(1e-11);
    }
  });
});

describe('backward pass (∂L/∂positions from ∂L/∂features) against the derivative array', () => {
  // Covers the f64x2 path of the exp-type angular functions under every vectorised cutoff type.
  for (const [cutoffType, cutoffAlpha] of [[0, 0], [2, 0], [3, 0], [4, 0.3], [5, 0.3], [6, 0], [7, 0.3], [8, 0]] as const) {
    for (const [setName, structureIndex] of [['set_A', 1], ['set_B_small_cell', 0]] as const) {
      test(`${setName} structure ${structureIndex}, cutoff ${cutoffType}, α ${cutoffAlpha}`, () => {
        const set = alltypes[setName];
        const sf = new SymmetryFunctions({ elements: set.elements_input_order, functions: set.input_nn_symfunction_lines, cutoffType, cutoffAlpha });
        const structure = structureOf(set.variants[0].structures[structureIndex]);
        const n = structure.symbols.length, F = sf.numFeatures;
        const weights = Float64Array.from({ length: n * F }, (_, k) => Math.sin(1.7 * k + 0.3));
        // SymmetryFunctions has the shape the CLI and the workers expect of a descriptor.
        const asDescriptor: Descriptor = sf;
        const { positions } = asDescriptor.backward!(structure, weights, {});
        const d = sf.derivatives(structure, { attach: true }).derivatives as DenseDerivatives;
        let worst = 0, scale = 0;
        for (let a = 0; a < n; a++) {
          for (let x = 0; x < 3; x++) {
            let sum = 0;
            for (let c = 0; c < n; c++) for (let f = 0; f < F; f++) sum += weights[c * F + f]! * d.values[((c * n + a) * 3 + x) * F + f]!;
            worst = Math.max(worst, Math.abs(sum - positions[3 * a + x]!));
            scale = Math.max(scale, Math.abs(sum));
          }
        }
        expect(worst / scale).toBeLessThan(1e-12);
      });
    }
  }
});
