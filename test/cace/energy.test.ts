import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/index.js';
import { CACE } from '../../src/cace/cace.js';
import { maxAbs, maxAbsDiff } from '../helpers/shared.js';
import { randomRotation, rng, rotate } from '../helpers/geometry.js';
import type { Structure } from '../../src/structure/structure.js';
import { syntheticModel, type SyntheticModelOptions } from './helpers/syntheticModel.js';
import { plainCaceEnergies } from './helpers/plainCace.js';
import { caceReference, referenceStructure } from './referenceCases.js';

/** A water trimer-like molecule cluster (H, O), not periodic. */
const cluster: Structure & { numbers: number[] } = {
  numbers: [8, 1, 1, 8, 1, 1, 8, 1, 1],
  positions: [
    [0, 0, 0.12], [0, 0.76, -0.48], [0, -0.76, -0.48],
    [2.8, 0.1, 0.0], [3.2, 0.9, 0.3], [3.3, -0.6, 0.4],
    [1.3, 2.5, 0.4], [0.6, 1.9, 0.2], [1.5, 2.9, -0.45],
  ],
};

/** The reference 24-atom periodic water box (H, O) and the small triclinic cell without C. */
const { structures } = caceReference();
const waterBox = referenceStructure(structures.find((s) => s.name === 'water_box_8')!) as Structure & { numbers: number[] };
const triclinic = (() => {
  const s = structures.find((x) => x.name.startsWith('triclinic'))!;
  const keep = s.atomic_numbers.map((z, i) => (z === 6 ? -1 : i)).filter((i) => i >= 0);
  return {
    numbers: keep.map((i) => s.atomic_numbers[i]!),
    positions: keep.map((i) => s.positions[i]!),
    cell: s.cell,
    pbc: [true, true, true] as [boolean, boolean, boolean],
  };
})();

const MODELS: Record<string, SyntheticModelOptions> = {
  'T=1 M+Ar+Bchi, ν≤3': {},
  'T=2 Bchi only, ν≤4, shared embedding': { T: 2, mpTypes: ['Bchi'], maxNu: 4, embedReceiver: false, K: 3, d: 2 },
  'T=0, l≤2, cosine envelope': { T: 0, maxL: 2, maxNu: 2, cutoffFn: ['cos'], readout: { n_layers: 2, n_hidden: [5], add_linear_nn: false } },
  'T=1 M+Ar, ν≤4, avg 6': { T: 1, mpTypes: ['M', 'Ar'], maxNu: 4, avgNumNeighbors: 6 },
  'T=0 (wasm), readout [8, 4] + linear, ν≤4, K odd': { T: 0, maxNu: 4, K: 5 },
  'T=0 (wasm), one Dense layer readout': { T: 0, readout: { n_layers: 1, n_hidden: [], add_linear_nn: false } },
};

function positionsOf(s: Structure): number[][] {
  return (s.positions as number[][]).map((p) => [...p]);
}

describe('CACE energies and forces', () => {
  beforeAll(async () => {
    await init();
  });

  for (const [label, opts] of Object.entries(MODELS)) {
    describe(label, () => {
      const model = syntheticModel({ ...opts, cutoff: 4.0 });
      const cases: [string, Structure & { numbers: number[] }][] = [['cluster', cluster], ['water box', waterBox], ['triclinic cell', triclinic]];
      for (const [name, s] of cases) {
        it(`${name}: atomic energies and features match a plain float64 implementation`, () => {
          const cace = CACE.fromModel(model);
          const plain = plainCaceEnergies(model, s);
          const got = cace.energy(s);
          expect(maxAbsDiff(got.atomicEnergies, plain.atomic)).toBeLessThan(1e-12 * Math.max(1, maxAbs(plain.atomic)));
          const feats = cace.create(s).values;
          const expected = plain.features.flat();
          expect(maxAbsDiff(feats, expected)).toBeLessThan(1e-12 * maxAbs(expected));
        });

        it(`${name}: forces are −∂E/∂r (central differences) and sum to zero`, () => {
          const cace = CACE.fromModel(model);
          const { forces } = cace.energy(s);
          const pos = positionsOf(s);
          const h = 1e-5;
          let worst = 0;
          for (let a = 0; a < pos.length; a += s.numbers.length > 12 ? 5 : 1) {
            for (let x = 0; x < 3; x++) {
              const at = (delta: number): number => {
                const p = positionsOf(s);
                p[a]![x]! += delta;
                return cace.energy({ ...s, positions: p }).energy;
              };
              const fd = -(at(h) - at(-h)) / (2 * h);
              worst = Math.max(worst, Math.abs(fd - forces[3 * a + x]!));
            }
          }
          expect(worst).toBeLessThan(1e-7 * Math.max(1, maxAbs(forces)));
          for (let x = 0; x < 3; x++) {
            let sum = 0;
            for (let a = 0; a < pos.length; a++) sum += forces[3 * a + x]!;
            expect(Math.abs(sum)).toBeLessThan(1e-11 * Math.max(1, maxAbs(forces)) * pos.length);
          }
        });
      }

      it('triclinic cell: stress is (1/V) ∂E/∂ε (central differences of a strained cell)', () => {
        const cace = CACE.fromModel(model);
        const { stress } = cace.energy(triclinic);
        expect(stress).not.toBeNull();
        const cell = triclinic.cell;
        const V = Math.abs(
          cell[0]![0]! * (cell[1]![1]! * cell[2]![2]! - cell[1]![2]! * cell[2]![1]!)
          - cell[0]![1]! * (cell[1]![0]! * cell[2]![2]! - cell[1]![2]! * cell[2]![0]!)
          + cell[0]![2]! * (cell[1]![0]! * cell[2]![1]! - cell[1]![1]! * cell[2]![0]!),
        );
        const h = 1e-6;
        for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
          const at = (delta: number): number => {
            // x → x (I + ε) for row vectors, ε with one entry (a, b).
            const strain = (v: number[]): number[] => v.map((_, col) => v[col]! + (col === b ? delta * v[a]! : 0));
            return cace.energy({ ...triclinic, positions: triclinic.positions.map(strain), cell: cell.map(strain) }).energy;
          };
          const fd = (at(h) - at(-h)) / (2 * h) / V;
          expect(Math.abs(fd - stress![3 * a + b]!)).toBeLessThan(1e-7 * Math.max(1, maxAbs(stress!)));
        }
      });

      it('energy is invariant under rotation, translation and permutation; forces rotate', () => {
        const cace = CACE.fromModel(model);
        const base = cace.energy(cluster);
        const R = randomRotation(rng(3));
        const moved = Array.from(rotate((cluster.positions as number[][]).flat(), R)).map((x, q) => x + [0.3, -1.1, 2.2][q % 3]!);
        const rot = cace.energy({ numbers: cluster.numbers, positions: moved });
        expect(Math.abs(rot.energy - base.energy)).toBeLessThan(1e-12 * Math.max(1, Math.abs(base.energy)));
        expect(maxAbsDiff(rot.forces, rotate(base.forces, R))).toBeLessThan(1e-12 * Math.max(1, maxAbs(base.forces)));
        const perm = [4, 3, 8, 0, 1, 2, 7, 6, 5];
        const p = cace.energy({ numbers: perm.map((i) => cluster.numbers[i]!), positions: perm.map((i) => cluster.positions[i]!) as number[][] });
        expect(maxAbsDiff(p.atomicEnergies, perm.map((i) => base.atomicEnergies[i]!))).toBeLessThan(1e-12 * Math.max(1, maxAbs(base.atomicEnergies)));
      });
    });
  }

  it('isolated atoms: zero features, energies of zero features, zero forces', () => {
    const cace = CACE.fromModel(syntheticModel({ T: 1, cutoff: 4.0 }));
    const s = { numbers: [1, 8], positions: [[0, 0, 0], [0, 0, 9]] };
    const { values } = cace.create(s);
    expect(maxAbs(values)).toBe(0);
    const { atomicEnergies, forces } = cace.energy(s);
    const plain = plainCaceEnergies(syntheticModel({ T: 1, cutoff: 4.0 }), s);
    expect(maxAbsDiff(atomicEnergies, plain.atomic)).toBeLessThan(1e-12 * Math.max(1, maxAbs(plain.atomic)));
    expect(maxAbs(forces)).toBe(0);
  });
});
