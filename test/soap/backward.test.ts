import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/wasm/loader.js';
import { SOAP } from '../../src/soap/soap.js';
import type { SOAPOptions } from '../../src/soap/params.js';
import { normalizeStructure, type Structure } from '../../src/structure/structure.js';
import { maxAbs, maxAbsDiff, readShared } from '../helpers/shared.js';
import { rng } from '../helpers/geometry.js';
import { expectAtomenvError } from '../helpers/errors.js';

beforeAll(async () => {
  await init();
});

const molecule = readShared('data/structures/mol_CH3CH2OH.extxyz')[0]!;
const triclinic = readShared('data/structures/xtal_triclinic_Si2O2_small_rattled.extxyz')[0]!;
const nacl = readShared('data/structures/xtal_NaCl_rocksalt_cubic_rattled.extxyz')[0]!;

const mol = (extra: Partial<SOAPOptions>): SOAPOptions => ({ species: ['H', 'C', 'O'], rCut: 3.5, nMax: 3, lMax: 3, sigma: 0.45, ...extra });
const xtal = (species: string[], extra: Partial<SOAPOptions>): SOAPOptions => ({ species, rCut: 3.5, nMax: 3, lMax: 3, sigma: 0.5, periodic: true, ...extra });

/** A reproducible random ∂L/∂p of the given length. */
function randomUpstream(length: number, seed: number): Float64Array {
  const random = rng(seed);
  return Float64Array.from({ length }, () => 2 * random() - 1);
}

/** L = Σ dL · p for a structure (what backward differentiates). */
function loss(soap: SOAP, s: Structure, upstream: Float64Array, centers?: number[] | number[][]): number {
  const p = soap.create(s, { centers });
  let sum = 0;
  for (let i = 0; i < upstream.length; i++) sum += upstream[i]! * p.values[i]!;
  return sum;
}

/** 4th-order central difference of a scalar function at 0. */
function fd4(f: (h: number) => number, h = 1e-3): number {
  return (8 * (f(h) - f(-h)) - (f(2 * h) - f(-2 * h))) / (12 * h);
}

const CASES: Array<{ name: string; structure: Structure; options: SOAPOptions; centers?: number[] }> = [
  { name: 'molecule, GTO', structure: molecule, options: mol({}) },
  { name: 'molecule, polynomial, crossover, odd n_max', structure: molecule, options: mol({ rbf: 'polynomial', nMax: 5, compression: { mode: 'crossover' } }) },
  { name: 'molecule, mu1nu1 with species weights', structure: molecule, options: mol({ compression: { mode: 'mu1nu1', speciesWeighting: { H: 0.5, C: 1.2, O: 0.8 } } }) },
  { name: 'molecule, mu2, pow weighting, smooth cutoff', structure: molecule, options: mol({ compression: { mode: 'mu2' }, weighting: { function: 'pow', r0: 1.5, c: 1, d: 1, m: 2 }, cutoff: { width: 1 } }) },
  { name: 'molecule, average inner, some centres', structure: molecule, options: mol({ average: 'inner' }), centers: [1, 4, 0] },
  { name: 'molecule, average outer', structure: molecule, options: mol({ average: 'outer' }) },
  { name: 'triclinic cell thinner than r_cut', structure: triclinic, options: xtal(['O', 'Si'], {}) },
  { name: 'triclinic cell, average inner, polynomial', structure: triclinic, options: xtal(['O', 'Si'], { average: 'inner', rbf: 'polynomial' }) },
  { name: 'NaCl, l_max 6, mu1nu1', structure: nacl, options: xtal(['Na', 'Cl'], { lMax: 6, compression: { mode: 'mu1nu1' } }) },
];

describe('SOAP.backward', () => {
  for (const c of CASES) {
    it(`equals ∂L/∂p contracted with the derivative array: ${c.name}`, () => {
      const soap = new SOAP(c.options);
      const d = soap.derivatives(c.structure, { centers: c.centers, attach: true });
      const upstream = randomUpstream(d.values.length, 11);
      const back = soap.backward(c.structure, upstream, { centers: c.centers });
      const n = normalizeStructure(c.structure).nAtoms;
      const F = soap.numFeatures;
      const rows = d.shape[0];
      const expected = new Float64Array(3 * n);
      for (let r = 0; r < rows; r++) {
        for (let a = 0; a < n; a++) {
          for (let x = 0; x < 3; x++) {
            const block = d.derivatives.values.subarray(((r * n + a) * 3 + x) * F, ((r * n + a) * 3 + x + 1) * F);
            let sum = 0;
            for (let f = 0; f < F; f++) sum += upstream[r * F + f]! * block[f]!;
            expected[3 * a + x] += sum;
          }
        }
      }
      expect(maxAbsDiff(back.positions, expected) / maxAbs(expected)).toBeLessThan(1e-12);
      expect(back.cell === null).toBe(!c.options.periodic);
    });
  }

  for (const c of CASES.filter((k) => k.options.periodic)) {
    it(`∂L/∂cell and ∂L/∂ε match finite differences of a strained cell: ${c.name}`, () => {
      const soap = new SOAP(c.options);
      const s = normalizeStructure(c.structure);
      const upstream = randomUpstream(soap.create(s).values.length, 5);
      const back = soap.backward(s, upstream);
      const H = Array.from(s.cell!);
      const cellFd = new Float64Array(9);
      const strainFd = new Float64Array(9);
      for (let k = 0; k < 9; k++) {
        // Cell entry k moved, positions fixed.
        cellFd[k] = fd4((h) => {
          const cell = H.slice();
          cell[k] += h;
          return loss(soap, { numbers: s.numbers, positions: s.positions, cell, pbc: s.pbc }, upstream);
        });
        // x → x (I + ε) with ε = h e_α e_βᵀ (α = ⌊k/3⌋, β = k mod 3) for positions and lattice vectors.
        const alpha = Math.floor(k / 3), beta = k % 3;
        const deform = (v: ArrayLike<number>, h: number): Float64Array => {
          const out = Float64Array.from(v);
          for (let i = 0; i < out.length; i += 3) out[i + beta] += h * v[i + alpha]!;
          return out;
        };
        strainFd[k] = fd4((h) => loss(soap, { numbers: s.numbers, positions: deform(s.positions, h), cell: Array.from(deform(H, h)), pbc: s.pbc }, upstream));
      }
      expect(maxAbsDiff(back.cell!, cellFd) / maxAbs(cellFd)).toBeLessThan(1e-8);
      expect(maxAbsDiff(back.strain, strainFd) / maxAbs(strainFd)).toBeLessThan(1e-8);
    });
  }

  it('point centres stay put: equals the contraction of the attach = false derivatives', () => {
    const soap = new SOAP(mol({}));
    const centers = [[0.1, 0.2, -0.3], [1.0, -0.5, 0.4]];
    const d = soap.derivatives(molecule, { centers });
    const upstream = randomUpstream(d.values.length, 3);
    const back = soap.backward(molecule, upstream, { centers });
    const positions = normalizeStructure(molecule).positions;
    const fd = new Float64Array(positions.length);
    for (let i = 0; i < positions.length; i++) {
      fd[i] = fd4((h) => {
        const p = Float64Array.from(positions);
        p[i] += h;
        return loss(soap, { ...molecule, positions: p }, upstream, centers);
      });
    }
    expect(maxAbsDiff(back.positions, fd) / maxAbs(fd)).toBeLessThan(1e-8);
  });

  it('rejects ∂L/∂p of the wrong length or with NaN, naming the problem', () => {
    const soap = new SOAP(mol({}));
    const n = soap.create(molecule).values.length;
    expectAtomenvError(() => soap.backward(molecule, new Float64Array(n - 1)), 'INVALID_PARAMETER', /9 × 180 = 1620 numbers/);
    const bad = new Float64Array(n);
    bad[7] = Number.NaN;
    expectAtomenvError(() => soap.backward(molecule, bad), 'INVALID_PARAMETER', /dLdFeatures\[7\]/);
  });
});
