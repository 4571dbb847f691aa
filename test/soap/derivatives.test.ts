import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/wasm/loader.js';
import { SOAP } from '../../src/soap/soap.js';
import type { SOAPOptions } from '../../src/soap/params.js';
import type { SparseDerivatives } from '../../src/gradients/atomGradients.js';
import { normalizeStructure, type Structure } from '../../src/structure/structure.js';
import { maxAbs, maxAbsDiff, readShared, readSharedJson } from '../helpers/shared.js';
import { soapOptionsFromDscribe } from '../helpers/soapCases.js';
import { expectAtomenvError } from '../helpers/errors.js';

beforeAll(async () => {
  await init();
});

const report: string[] = [];
afterAll(() => console.log(`SOAP derivatives, max|diff| / max|reference|:\n${report.join('\n')}`));

/** 4th-order central difference of f at 0. */
function fd4(f: (delta: number) => Float64Array, h: number): Float64Array {
  const p1 = f(h), m1 = f(-h), p2 = f(2 * h), m2 = f(-2 * h);
  return p1.map((_, k) => (8 * (p1[k]! - m1[k]!) - (p2[k]! - m2[k]!)) / (12 * h));
}

/**
 * 4th-order finite differences of create() in the dense layout [rows, nAtoms, 3, F].
 * attach = true: centres given as atom indices move with their atoms (create recomputes them).
 * attach = false: every centre is frozen at its starting point, which is exactly what point
 * centres at the starting positions do (periodic images of a moved atom move with it).
 */
function finiteDifferences(soap: SOAP, s: Structure, centers: number[] | null, attach: boolean, h = 1e-3): Float64Array {
  const n0 = normalizeStructure(s);
  const pos = Float64Array.from(n0.positions);
  const n = n0.nAtoms;
  const F = soap.numFeatures;
  const indices = centers ?? Array.from({ length: n }, (_, i) => i);
  const frozen = indices.map((i) => Array.from(pos.subarray(3 * i, 3 * i + 3)));
  const rows = soap.params.average === 'off' ? indices.length : 1;
  const out = new Float64Array(rows * n * 3 * F);
  for (let a = 0; a < n; a++) {
    for (let x = 0; x < 3; x++) {
      const d = fd4((delta) => {
        const p = pos.slice();
        p[3 * a + x] += delta;
        const moved: Structure = { numbers: n0.numbers, positions: p, ...(n0.cell ? { cell: Array.from(n0.cell), pbc: n0.pbc } : {}) };
        return Float64Array.from(soap.create(moved, { centers: attach ? indices : frozen }).values);
      }, h);
      for (let c = 0; c < rows; c++) out.set(d.subarray(c * F, (c + 1) * F), ((c * n + a) * 3 + x) * F);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// DScribe references.

interface DerivativeCase {
  id: string;
  structure_file: string;
  frame: number;
  params: Record<string, any>;
  create_kwargs: { centers: number[] | number[][] | null };
  output: unknown[];
  derivatives: { method: string; attach: boolean; shape: number[]; values: unknown[]; fd4_check?: { max_abs_diff: number } };
  derivatives_fd4?: { values: unknown[] };
}

describe('SOAP.derivatives vs DScribe (soap_derivatives.json)', () => {
  for (const c of readSharedJson<{ cases: DerivativeCase[] }>('reference/dscribe/soap_derivatives.json').cases) {
    it(c.id, () => {
      const structure = readShared(c.structure_file)[c.frame]!;
      const soap = new SOAP(soapOptionsFromDscribe(c.params));
      const out = soap.derivatives(structure, { centers: c.create_kwargs.centers ?? undefined, attach: c.derivatives.attach });
      expect(out.derivatives.shape).toEqual(c.derivatives.shape);
      const ref = Float64Array.from((c.derivatives.values as number[]).flat(4));
      const diff = maxAbsDiff(out.derivatives.values, ref);
      // DScribe's own error is about its stored disagreement with a 4th-order finite difference
      // (fd4_check: 1e-11–1e-9 analytic, ~1e-8 numerical GTO, 6e-5 numerical polynomial); where
      // it is not stored, the documented bound of DScribe's analytic derivatives, 1e-9.
      const dscribeError = c.derivatives.fd4_check?.max_abs_diff ?? 1e-9;
      const tolerance = 2 * dscribeError + 1e-9 * maxAbs(ref);
      report.push(`${c.id.padEnd(80)} ${(diff / maxAbs(ref)).toExponential(2)} (DScribe vs fd4: ${(dscribeError / maxAbs(ref)).toExponential(2)})`);
      expect(diff).toBeLessThanOrEqual(tolerance);
      if (c.derivatives_fd4) {
        // A 4th-order FD of DScribe's polynomial values: their tiny steps (~1e-8 under 1e-6 Å
        // moves, see dscribe-conventions.md) limit it to ~1e-5 absolute.
        const fd = Float64Array.from((c.derivatives_fd4.values as number[]).flat(4));
        expect(maxAbsDiff(out.derivatives.values, fd)).toBeLessThan(1e-5);
      }
      // The values returned with the derivatives are those of create().
      expect(Array.from(out.values)).toEqual(Array.from(soap.create(structure, { centers: c.create_kwargs.centers ?? undefined }).values));
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Our own finite differences, for what DScribe cannot differentiate analytically.

const molecule = readShared('data/structures/mol_CH3CH2OH.extxyz')[0]!;
const triclinic = readShared('data/structures/xtal_triclinic_Si2O2_small_rattled.extxyz')[0]!;
const nacl = readShared('data/structures/xtal_NaCl_rocksalt_cubic_rattled.extxyz')[0]!;

/** FD tolerance relative to max|∂p|: the 4th-order error at h = 1e-3 Å plus rounding (~1e-13/h). */
const FD_TOLERANCE = 1e-8;

interface FdCase {
  name: string;
  structure: Structure;
  options: SOAPOptions;
  centers?: number[];
  /**
   * Only attach = true. With attach = false the centre atom leaves r = 0, where `w0` makes the
   * weight jump (no derivative exists), and where the exp weight has a cusp w'(0)|r| that
   * leaves an O(h) error in a central difference (the δ|δ| terms), so FD cannot check it.
   */
  attachOnly?: boolean;
}

const mol = (extra: Partial<SOAPOptions>): SOAPOptions => ({ species: ['H', 'C', 'O'], rCut: 3.5, nMax: 3, lMax: 3, sigma: 0.45, ...extra });
const xtal = (species: string[], extra: Partial<SOAPOptions>): SOAPOptions => ({ species, rCut: 3.5, nMax: 3, lMax: 3, sigma: 0.5, periodic: true, ...extra });

const FD_CASES: FdCase[] = [
  { name: 'molecule, GTO', structure: molecule, options: mol({}) },
  { name: 'molecule, polynomial', structure: molecule, options: mol({ rbf: 'polynomial' }) },
  { name: 'molecule, polynomial, odd n_max, crossover', structure: molecule, options: mol({ rbf: 'polynomial', nMax: 5, compression: { mode: 'crossover' } }) },
  { name: 'molecule, mu1nu1 with species weights', structure: molecule, options: mol({ compression: { mode: 'mu1nu1', speciesWeighting: { H: 0.5, C: 1.2, O: 0.8 } } }) },
  { name: 'molecule, mu2 with species weights', structure: molecule, options: mol({ compression: { mode: 'mu2', speciesWeighting: { H: 0.5, C: 1.2, O: 0.8 } } }) },
  { name: 'molecule, pow weighting', structure: molecule, options: mol({ weighting: { function: 'pow', r0: 1.5, c: 1, d: 1, m: 2 } }) },
  { name: 'molecule, pow weighting with w0', structure: molecule, options: mol({ weighting: { function: 'pow', r0: 1.5, c: 1, d: 1, m: 2, w0: 0.3 } }), attachOnly: true },
  { name: 'molecule, poly weighting', structure: molecule, options: mol({ rCut: null, weighting: { function: 'poly', r0: 3.5, c: 1, m: 2 } }) },
  { name: 'molecule, exp weighting', structure: molecule, options: mol({ weighting: { function: 'exp', r0: 1, c: 1, d: 0.5 } }), attachOnly: true },
  { name: 'molecule, smooth cosine cutoff', structure: molecule, options: mol({ cutoff: { width: 1.5 } }) },
  { name: 'molecule, average inner', structure: molecule, options: mol({ average: 'inner' }) },
  { name: 'molecule, average outer, some centres', structure: molecule, options: mol({ average: 'outer' }), centers: [0, 2, 5] },
  { name: 'triclinic cell thinner than r_cut, GTO', structure: triclinic, options: xtal(['O', 'Si'], {}) },
  { name: 'triclinic cell, polynomial, mu1nu1, smooth cutoff', structure: triclinic, options: xtal(['O', 'Si'], { rbf: 'polynomial', compression: { mode: 'mu1nu1' }, cutoff: { width: 1 } }) },
  { name: 'triclinic cell, average inner', structure: triclinic, options: xtal(['O', 'Si'], { average: 'inner', lMax: 4 }) },
  { name: 'NaCl, GTO, l_max 6', structure: nacl, options: xtal(['Na', 'Cl'], { lMax: 6, nMax: 4 }) },
];

describe('SOAP.derivatives vs 4th-order finite differences', () => {
  for (const c of FD_CASES) {
    for (const attach of c.attachOnly ? [true] : [true, false]) {
      it(`${c.name}, attach ${attach}`, () => {
        const soap = new SOAP(c.options);
        const out = soap.derivatives(c.structure, { centers: c.centers, attach });
        const fd = finiteDifferences(soap, c.structure, c.centers ?? null, attach);
        expect(out.derivatives.values.length).toBe(fd.length);
        const rel = maxAbsDiff(out.derivatives.values, fd) / maxAbs(fd);
        report.push(`${`FD: ${c.name}, attach ${attach}`.padEnd(80)} ${rel.toExponential(2)}`);
        expect(maxAbs(fd)).toBeGreaterThan(0);
        expect(rel).toBeLessThan(FD_TOLERANCE);
      });
    }
  }

  it('a point centre on an atom: the atom leaving the centre (r → 0 limit)', () => {
    const soap = new SOAP(mol({}));
    const s = normalizeStructure(molecule);
    const point = Array.from(s.positions.subarray(3, 6)); // atom 1
    const out = soap.derivatives(molecule, { centers: [point, [0.2, -0.3, 0.1]] });
    const n = s.nAtoms;
    const F = soap.numFeatures;
    const fd = new Float64Array(2 * n * 3 * F);
    for (let a = 0; a < n; a++) {
      for (let x = 0; x < 3; x++) {
        const d = fd4((delta) => {
          const p = Float64Array.from(s.positions);
          p[3 * a + x] += delta;
          return soap.create({ numbers: s.numbers, positions: p }, { centers: [point, [0.2, -0.3, 0.1]] }).values as Float64Array;
        }, 1e-3);
        for (let c = 0; c < 2; c++) fd.set(d.subarray(c * F, (c + 1) * F), ((c * n + a) * 3 + x) * F);
      }
    }
    expect(maxAbsDiff(out.derivatives.values, fd) / maxAbs(fd)).toBeLessThan(FD_TOLERANCE);
  });
});

describe('SOAP.derivatives layouts', () => {
  for (const average of ['off', 'inner'] as const) {
    it(`sparse blocks equal the dense array (average ${average})`, () => {
      const soap = new SOAP(xtal(['O', 'Si'], { average }));
      for (const attach of [true, false]) {
        const dense = soap.derivatives(triclinic, { attach });
        const sparse = soap.derivatives(triclinic, { attach, layout: 'sparse' }).derivatives as SparseDerivatives;
        expect(sparse.layout).toBe('sparse');
        const n = normalizeStructure(triclinic).nAtoms;
        const F = soap.numFeatures;
        const rebuilt = new Float64Array(dense.derivatives.values.length);
        for (let c = 0; c + 1 < sparse.offsets.length; c++) {
          for (let r = sparse.offsets[c]!; r < sparse.offsets[c + 1]!; r++) {
            rebuilt.set(sparse.values.subarray(r * 3 * F, (r + 1) * 3 * F), (c * n + sparse.atoms[r]!) * 3 * F);
          }
        }
        expect(Array.from(rebuilt)).toEqual(Array.from(dense.derivatives.values));
      }
    });
  }

  it('chunked computation (small chunkBytes) and a caller-provided out buffer give the same arrays', () => {
    const soap = new SOAP(xtal(['Na', 'Cl'], { lMax: 4 }));
    for (const layout of ['dense', 'sparse'] as const) {
      const whole = soap.derivatives(nacl, { attach: true, layout });
      const rowBytes = 3 * soap.numFeatures * 8;
      for (const chunkBytes of [1, 3 * rowBytes, 20 * rowBytes]) {
        const out = new Float64Array(whole.derivatives.values.length + 5).fill(Number.NaN);
        const chunked = soap.derivatives(nacl, { attach: true, layout, chunkBytes, out });
        expect(chunked.derivatives.values.buffer).toBe(out.buffer);
        expect(Array.from(chunked.derivatives.values)).toEqual(Array.from(whole.derivatives.values));
      }
    }
    expectAtomenvError(() => soap.derivatives(nacl, { out: new Float64Array(3) }), 'INVALID_PARAMETER', /options.out/);
  });

  it('rows of atoms outside every centre\'s sphere are exact zeros, whatever earlier calls left in wasm memory', () => {
    // Two H2O fragments 20 Å apart: no atom of one is a neighbour of a centre in the other.
    const water = [[0, 0, 0], [0.76, 0.59, 0], [-0.76, 0.59, 0]];
    const far: Structure = {
      numbers: [8, 1, 1, 8, 1, 1],
      positions: [...water, ...water.map(([x, y, z]) => [x! + 20, y!, z!])].flat(),
    };
    const soap = new SOAP(mol({}));
    const F = soap.numFeatures;
    for (const layout of ['dense', 'sparse'] as const) {
      // Leave non-zero derivative rows in the scratch first.
      soap.derivatives(molecule, { layout });
      const d = soap.derivatives(far, { layout });
      if (layout === 'dense') {
        for (let c = 0; c < 6; c++) {
          for (let a = 0; a < 6; a++) {
            const row = d.derivatives.values.subarray((c * 6 + a) * 3 * F, (c * 6 + a + 1) * 3 * F);
            const sameFragment = (c < 3) === (a < 3);
            if (!sameFragment) expect(maxAbs(row)).toBe(0);
            else expect(maxAbs(row)).toBeGreaterThan(0);
          }
        }
      } else {
        const sparse = d.derivatives as SparseDerivatives;
        for (let c = 0; c < 6; c++) {
          const atoms = Array.from(sparse.atoms.subarray(sparse.offsets[c]!, sparse.offsets[c + 1]!));
          expect(atoms.every((a) => (a < 3) === (c < 3))).toBe(true);
        }
      }
    }
  });

  it('dense shape is [1, nAtoms, 3, F] when averaged', () => {
    const soap = new SOAP(mol({ average: 'outer' }));
    const out = soap.derivatives(molecule);
    expect(out.shape).toEqual([1, soap.numFeatures]);
    expect(out.derivatives.shape).toEqual([1, 9, 3, soap.numFeatures]);
  });
});
