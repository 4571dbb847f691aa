// SOAP.backward with every atom a centre runs the pair kernel (soapBackwardAllAtoms); with the
// centres given as all atom indices it runs the per-centre kernel (soapBackward). Both must
// give the same ∂L/∂positions, strain and cell gradients.
import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/wasm/loader.js';
import { SOAP } from '../../src/soap/soap.js';
import type { SOAPOptions } from '../../src/soap/params.js';
import { normalizeStructure, type Structure } from '../../src/structure/structure.js';
import { maxAbs, maxAbsDiff, readShared } from '../helpers/shared.js';
import { rng } from '../helpers/geometry.js';
import { reorderAtoms } from '../../src/structure/spatialOrder.js';

beforeAll(async () => {
  await init();
});

const water = readShared('data/structures/water_64mol_192atoms.extxyz')[0]!;
const molecule = readShared('data/structures/mol_CH3CH2OH.extxyz')[0]!;
const triclinic = readShared('data/structures/xtal_triclinic_Si2O2_small_rattled.extxyz')[0]!;

/**
 * The water box repeated 2 × 2 × 2 (1 536 atoms) with its atoms in a random order: the pair path
 * declines it as given (no spatial locality) and runs it in spatial-grid order.
 */
const shuffledWaterSupercell = (() => {
  const s = normalizeStructure(water);
  const cell = s.cell!;
  const n = s.nAtoms;
  const numbers = new Int32Array(8 * n);
  const positions = new Float64Array(24 * n);
  let k = 0;
  for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) for (let c = 0; c < 2; c++) {
    for (let i = 0; i < n; i++, k++) {
      numbers[k] = s.numbers[i]!;
      for (let x = 0; x < 3; x++) positions[3 * k + x] = s.positions[3 * i + x]! + a * cell[x]! + b * cell[3 + x]! + c * cell[6 + x]!;
    }
  }
  const big = { ...s, nAtoms: 8 * n, numbers, positions, cell: Float64Array.from(cell, (v) => 2 * v) };
  const random = rng(3);
  const order = Int32Array.from({ length: 8 * n }, (_, i) => i);
  for (let i = 8 * n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return reorderAtoms(big, order);
})();

const w1: SOAPOptions = { species: ['H', 'O'], rCut: 5, nMax: 8, lMax: 6, sigma: 0.5, rbf: 'gto', periodic: true };
const mol = (extra: Partial<SOAPOptions>): SOAPOptions => ({ species: ['H', 'C', 'O'], rCut: 3.5, nMax: 3, lMax: 3, sigma: 0.45, ...extra });
const xtal = (extra: Partial<SOAPOptions>): SOAPOptions => ({ species: ['O', 'Si'], rCut: 3.5, nMax: 3, lMax: 3, sigma: 0.5, periodic: true, ...extra });

const CASES: Array<{ name: string; structure: Structure; options: SOAPOptions }> = [
  { name: 'W1 water box, periodic', structure: water, options: w1 },
  { name: 'W1 water box, average outer', structure: water, options: { ...w1, average: 'outer' } },
  { name: 'water supercell, atoms shuffled (retried in spatial order)', structure: shuffledWaterSupercell, options: { ...w1, nMax: 4, lMax: 3 } },
  { name: 'triclinic cell thinner than r_cut', structure: triclinic, options: xtal({}) },
  { name: 'triclinic cell, mu1nu1 with species weights, pow weighting', structure: triclinic, options: xtal({ compression: { mode: 'mu1nu1', speciesWeighting: { O: 0.7, Si: 1.3 } }, weighting: { function: 'pow', r0: 1.5, c: 1, d: 1, m: 2 } }) },
  { name: 'triclinic cell, average inner, polynomial, smooth cutoff', structure: triclinic, options: xtal({ average: 'inner', rbf: 'polynomial', cutoff: { width: 1 } }) },
  { name: 'molecule, crossover, poly weighting', structure: molecule, options: mol({ compression: { mode: 'crossover' }, weighting: { function: 'poly', r0: 3, c: 1, m: 2 } }) },
  { name: 'molecule, mu2, exp weighting with w0, odd n_max', structure: molecule, options: mol({ nMax: 5, compression: { mode: 'mu2' }, weighting: { function: 'exp', r0: 1, c: 1, d: 1, w0: 0.5 } }) },
  { name: 'molecule, mu1nu1 with a zero species weight (one direction of a pair only)', structure: molecule, options: mol({ compression: { mode: 'mu1nu1', speciesWeighting: { H: 0, C: 1.2, O: 0.8 } } }) },
  { name: 'molecule, species weights, average outer', structure: molecule, options: mol({ average: 'outer', compression: { mode: 'off', speciesWeighting: { H: 0.5, C: 1.2, O: 0.8 } } }) },
];

describe('SOAP.backward pair path', () => {
  for (const c of CASES) {
    it(`equals the per-centre kernel: ${c.name}`, () => {
      const soap = new SOAP(c.options);
      const n = normalizeStructure(c.structure).nAtoms;
      const rows = soap.create(c.structure).shape[0];
      const random = rng(5);
      const upstream = Float64Array.from({ length: rows * soap.numFeatures }, () => 2 * random() - 1);
      const all = Array.from({ length: n }, (_, i) => i);
      const pair = soap.backward(c.structure, upstream);
      const perCentre = soap.backward(c.structure, upstream, { centers: all });
      expect(maxAbs(perCentre.positions)).toBeGreaterThan(0);
      expect(maxAbsDiff(pair.positions, perCentre.positions)).toBeLessThanOrEqual(1e-12 * maxAbs(perCentre.positions));
      expect(maxAbsDiff(pair.strain, perCentre.strain)).toBeLessThanOrEqual(1e-12 * maxAbs(perCentre.strain));
      if (perCentre.cell === null) {
        expect(pair.cell).toBeNull();
      } else {
        expect(maxAbsDiff(pair.cell!, perCentre.cell)).toBeLessThanOrEqual(1e-12 * maxAbs(perCentre.cell));
      }
    });
  }
});
