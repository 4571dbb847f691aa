import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/index.js';
import { CACE } from '../../src/cace/cace.js';
import { CACEEngine } from '../../src/cace/model.js';
import { structureGraph } from '../../src/cace/graph.js';
import { resolveWeights } from '../../src/cace/weights.js';
import { maxAbs, maxAbsDiff } from '../helpers/shared.js';
import { syntheticModel } from './helpers/syntheticModel.js';
import { caceReference, referenceStructure } from './referenceCases.js';

const { structures } = caceReference();
const box = referenceStructure(structures.find((s) => s.name === 'water_box_8')!);
const molecule = { numbers: [8, 1, 1, 8, 1, 1], positions: [[0, 0, 0.12], [0, 0.76, -0.48], [0, -0.76, -0.48], [2.9, 0.1, 0], [3.3, 0.9, 0.3], [3.3, -0.6, 0.4]] };

/** Radial bases and envelopes besides Bessel + polynomial, and odd sizes (padding paths). */
const VARIANTS: Record<string, Record<string, unknown>> = {
  'Gaussian, cosine': { radial_basis: ['gaussian', 5, 0.8], cutoff_fn: ['cos'] },
  'centred Gaussian, mollifier': { radial_basis: ['gaussian_centered', 4, 1.0], cutoff_fn: ['mollifier', 1e-7] },
  'exponential decay, switch': { radial_basis: ['exponential_decay', 3, 1.5], cutoff_fn: ['switch', 2.5, 3.9] },
  'Bessel odd n_rbf, K odd, poly p = 5, l ≤ 4, ν ≤ 4': { n_rbf: 5, n_radial_basis: 3, cutoff_fn: ['poly', 5], max_l: 4, max_nu: 4 },
  'Bessel, non-integer p, d = 1': { cutoff_fn: ['poly', 4.5], n_atom_basis: 1 },
  'Bessel, K = 13 (the 12-wide mixing block and a scalar tail)': { n_radial_basis: 13 },
  'Bessel, K = 22 (every mixing block)': { n_radial_basis: 22, n_atom_basis: 1 },
};

function variantModel(h: Record<string, unknown>, readout: boolean): any {
  const base = syntheticModel({
    T: 0, readout: readout ? { n_layers: 2, n_hidden: [6], add_linear_nn: true } : null,
    nRbf: (h.n_rbf as number) ?? (h.radial_basis as unknown[] | undefined)?.[1] as number ?? 6,
    K: (h.n_radial_basis as number) ?? 4, maxL: (h.max_l as number) ?? 3, maxNu: (h.max_nu as number) ?? 3,
    d: (h.n_atom_basis as number) ?? 2, cutoff: 4.0,
  });
  Object.assign(base.hyperparameters, h);
  if (h.radial_basis !== undefined) base.parameters = base.parameters.filter((p: any) => !p.name.endsWith('bessel_weights'));
  return base;
}

describe('CACE radial bases and envelopes: wasm kernel against the TypeScript engine, forces by differences', () => {
  beforeAll(async () => {
    await init();
  });

  for (const [label, h] of Object.entries(VARIANTS)) {
    it(`${label}: wasm features equal the float64 engine's`, () => {
      const model = variantModel(h, false);
      const cace = CACE.fromModel(model);
      const engine = new CACEEngine(cace.params, resolveWeights(cace.params, model.parameters));
      for (const s of [box, molecule]) {
        const wasm = cace.create(s).values;
        const ts = engine.features(structureGraph(cace.params, s).graph);
        expect(maxAbs(ts)).toBeGreaterThan(0);
        expect(maxAbsDiff(wasm, ts)).toBeLessThan(1e-13 * maxAbs(ts));
      }
    });

    it(`${label}: wasm energies and ∂E/∂v equal the float64 engine's`, () => {
      const model = variantModel(h, true);
      const cace = CACE.fromModel(model);
      const engine = new CACEEngine(cace.params, resolveWeights(cace.params, model.parameters));
      for (const s of [box, molecule]) {
        const wasm = cace.energy(s);
        const { graph } = structureGraph(cace.params, s);
        const ts = engine.energy(graph, true);
        expect(maxAbsDiff(wasm.atomicEnergies, ts.atomic)).toBeLessThan(1e-12 * Math.max(1, maxAbs(ts.atomic)));
        // Forces from the engine's ∂E/∂v.
        const forces = new Float64Array(3 * graph.nAtoms);
        for (let e = 0; e < graph.receiver.length; e++) {
          for (let a = 0; a < 3; a++) {
            forces[3 * graph.receiver[e]! + a] -= ts.dEdv![3 * e + a]!;
            forces[3 * graph.sender[e]! + a] += ts.dEdv![3 * e + a]!;
          }
        }
        expect(maxAbs(forces)).toBeGreaterThan(0);
        expect(maxAbsDiff(wasm.forces, forces)).toBeLessThan(1e-11 * maxAbs(forces));
      }
    });

    it(`${label}: forces are −∂E/∂r`, () => {
      const cace = CACE.fromModel(variantModel(h, true));
      const { forces } = cace.energy(molecule);
      const h0 = 1e-5;
      let worst = 0;
      for (let a = 0; a < molecule.numbers.length; a++) for (let x = 0; x < 3; x++) {
        const at = (d: number): number => {
          const p = molecule.positions.map((q) => [...q]);
          p[a]![x]! += d;
          return cace.energy({ ...molecule, positions: p }).energy;
        };
        worst = Math.max(worst, Math.abs(-(at(h0) - at(-h0)) / (2 * h0) - forces[3 * a + x]!));
      }
      expect(maxAbs(forces)).toBeGreaterThan(0);
      expect(worst).toBeLessThan(1e-7 * Math.max(1, maxAbs(forces)));
    });
  }

  const LAYERS: Record<string, Parameters<typeof syntheticModel>[0]> = {
    'M only': { T: 1, mpTypes: ['M'] },
    'Ar only, K odd': { T: 1, mpTypes: ['Ar'], K: 3 },
    'Bchi only, d = 2': { T: 1, mpTypes: ['Bchi'], d: 2 },
    'T = 2, all types, ν ≤ 4, avg 7': { T: 2, maxNu: 4, avgNumNeighbors: 7 },
  };
  for (const [label, o] of Object.entries(LAYERS)) {
    it(`message passing, ${label}: wasm features equal the float64 engine's`, () => {
      const model = syntheticModel({ ...o, readout: null, cutoff: 4.0 });
      const cace = CACE.fromModel(model);
      const engine = new CACEEngine(cace.params, resolveWeights(cace.params, model.parameters));
      for (const s of [box, molecule]) {
        const wasm = cace.create(s).values;
        const ts = engine.features(structureGraph(cace.params, s).graph);
        expect(maxAbsDiff(wasm, ts)).toBeLessThan(1e-13 * maxAbs(ts));
      }
    });
  }

  for (const [label, o] of Object.entries(LAYERS)) {
    it(`message passing, ${label}: wasm energies and forces equal the float64 engine's`, () => {
      const model = syntheticModel({ ...o, cutoff: 4.0 });
      const cace = CACE.fromModel(model);
      const engine = new CACEEngine(cace.params, resolveWeights(cace.params, model.parameters));
      for (const s of [box, molecule]) {
        const wasm = cace.energy(s);
        const { graph } = structureGraph(cace.params, s);
        const ts = engine.energy(graph, true);
        expect(maxAbsDiff(wasm.atomicEnergies, ts.atomic)).toBeLessThan(1e-12 * Math.max(1, maxAbs(ts.atomic)));
        const forces = new Float64Array(3 * graph.nAtoms);
        for (let e = 0; e < graph.receiver.length; e++) {
          for (let a = 0; a < 3; a++) {
            forces[3 * graph.receiver[e]! + a] -= ts.dEdv![3 * e + a]!;
            forces[3 * graph.sender[e]! + a] += ts.dEdv![3 * e + a]!;
          }
        }
        expect(maxAbsDiff(wasm.forces, forces)).toBeLessThan(1e-11 * maxAbs(forces));
      }
    });
  }
});
