// The pair path of SOAP.create (every atom a centre: each pair of the neighbour list evaluated
// once for both atoms, assembly/soap/pairExpansion.ts) against the per-centre path, which the same
// call takes when the centres are listed explicitly.
import { beforeAll, describe, expect, it } from 'vitest';
import { getRuntime, init } from '../../src/wasm/loader.js';
import { SOAP } from '../../src/soap/soap.js';
import type { SOAPOptions } from '../../src/soap/params.js';
import { normalizeStructure, type Structure } from '../../src/structure/structure.js';
import { maxAbs, maxAbsDiff, readShared } from '../helpers/shared.js';
import { rng } from '../helpers/geometry.js';
import { FLOAT32_BOUND } from '../helpers/float32.js';

beforeAll(async () => {
  await init();
});

/** Every atom index as an explicit centre list (which takes the per-centre path). */
function allAtoms(s: Structure): number[] {
  return Array.from({ length: normalizeStructure(s).nAtoms }, (_, i) => i);
}

/**
 * Values of every atom by create() without centres and by the per-centre path (centres listed);
 * `expectTaken`: whether the pair kernel must have accepted the structure.
 */
function bothPaths(
  options: SOAPOptions, s: Structure, expectTaken = true,
): { pair: Float64Array | Float32Array; centre: Float64Array | Float32Array } {
  const soap = new SOAP(options);
  const kernel = options.dtype === 'float32' ? 'soapComputeAllAtomsF32' : 'soapComputeAllAtoms';
  // Watch the pair kernel's answer through a copy of the runtime's kernels (the exports are frozen).
  const rt = getRuntime() as { kernels: ReturnType<typeof getRuntime>['kernels'] };
  const kernels = rt.kernels;
  let taken = -1;
  rt.kernels = {
    ...kernels,
    [kernel]: (...args: Parameters<typeof kernels.soapComputeAllAtoms>) => (taken = kernels[kernel](...args)),
  };
  let pair: Float64Array | Float32Array;
  try {
    pair = soap.create(s).values;
  } finally {
    rt.kernels = kernels;
  }
  expect(taken).toBe(expectTaken ? 1 : 0);
  const centre = soap.create(s, { centers: allAtoms(s) }).values;
  return { pair, centre };
}

function expectSame(options: SOAPOptions, s: Structure): void {
  const { pair, centre } = bothPaths(options, s);
  const scale = maxAbs(centre);
  expect(scale).toBeGreaterThan(0);
  expect(maxAbsDiff(pair, centre)).toBeLessThanOrEqual(1e-12 * scale);
}

/**
 * dtype 'float32': the pair path against the float64 per-centre values within the float32 bound
 * (FLOAT32_BOUND of the largest value), and against the float32 per-centre path (the two sum the
 * same f32 products in another order).
 */
function expectSameF32(options: SOAPOptions, s: Structure): void {
  const { pair, centre } = bothPaths({ ...options, dtype: 'float32' }, s);
  const exact = new SOAP({ ...options, dtype: 'float64' }).create(s, { centers: allAtoms(s) }).values;
  const scale = maxAbs(exact);
  expect(scale).toBeGreaterThan(0);
  expect(maxAbsDiff(pair, exact)).toBeLessThanOrEqual(FLOAT32_BOUND * scale);
  expect(maxAbsDiff(pair, centre)).toBeLessThanOrEqual(FLOAT32_BOUND * scale);
}

const base = { species: ['H', 'O'], rCut: 5, nMax: 8, lMax: 6, sigma: 0.5, periodic: true } as const;

/** A few atoms in a small triclinic cell (all edges below r_cut: many images of every atom). */
function smallTriclinic(): Structure {
  const cell = [[3.1, 0, 0], [0.9, 2.8, 0], [-0.6, 0.7, 3.3]];
  const frac = [[0.1, 0.2, 0.15], [0.55, 0.35, 0.6], [0.8, 0.75, 0.3], [0.3, 0.9, 0.85]];
  const positions = frac.map((f) => [0, 1, 2].map((x) => f[0]! * cell[0]![x]! + f[1]! * cell[1]![x]! + f[2]! * cell[2]![x]!));
  return { numbers: [8, 1, 1, 8], positions, cell, pbc: [true, true, true] };
}

/** 70 atoms (H and O) at random in a 9 Å box: three tiles of the pair path. */
function randomBox(periodic: boolean): Structure {
  const random = rng(7);
  const positions: number[][] = [];
  while (positions.length < 70) {
    const p = [9 * random(), 9 * random(), 9 * random()];
    if (positions.every((q) => Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!) > 1.0)) positions.push(p);
  }
  const numbers = positions.map((_, i) => (i % 3 === 0 ? 8 : 1));
  return { numbers, positions, cell: [[9, 0, 0], [0, 9, 0], [0, 0, 9]], pbc: [periodic, periodic, periodic] };
}

describe('SOAP pair path = per-centre path (1e-12 of the largest value)', () => {
  const water = readShared('data/structures/water_64mol_192atoms.extxyz')[0]!;
  const ethanol = readShared('data/structures/mol_CH3CH2OH.extxyz')[0]!;

  it('W1: periodic water box (192 atoms, several tiles)', () => {
    expectSame({ ...base, rbf: 'gto' }, water);
  });

  it('small triclinic cell smaller than the cutoff (images of every atom, of itself too)', () => {
    expectSame({ ...base, rbf: 'gto' }, smallTriclinic());
    expectSame({ ...base, rbf: 'polynomial', nMax: 5, lMax: 5 }, smallTriclinic());
  });

  it('non-periodic molecule and box', () => {
    expectSame({ ...base, species: ['H', 'C', 'O'], periodic: false }, ethanol);
    expectSame({ ...base, periodic: false }, randomBox(false));
    expectSame({ ...base, rCut: 4, nMax: 5, lMax: 4 }, randomBox(true));
  });

  it('with weighting, w0 and a smooth cutoff', () => {
    const s = randomBox(true);
    expectSame({ ...base, weighting: { function: 'poly', r0: 4, c: 2, m: 3, w0: 0.5 } }, s);
    expectSame({ ...base, weighting: { function: 'pow', r0: 1.5, c: 1, d: 1, m: 4 } }, s);
    expectSame({ ...base, weighting: { function: 'exp', r0: 1, c: 1, d: 0.5, w0: 0 } }, smallTriclinic());
    expectSame({ ...base, cutoff: { width: 1.5 } }, s);
    expectSame({ ...base, cutoff: { width: 1.5 }, weighting: { function: 'pow', r0: 1.5, c: 1, d: 1, m: 4 } }, smallTriclinic());
  });

  it('compression modes with species weights, averages, polynomial basis', () => {
    const s = randomBox(true);
    for (const mode of ['off', 'crossover', 'mu1nu1', 'mu2'] as const) {
      expectSame({ ...base, nMax: 5, lMax: 4, compression: { mode, speciesWeighting: { H: 0.7, O: 1.6 } } }, s);
    }
    expectSame({ ...base, nMax: 4, lMax: 3, compression: { mode: 'mu2', speciesWeighting: { H: 0, O: 1.3 } } }, s);
    expectSame({ ...base, species: ['H', 'N', 'O'], nMax: 5, lMax: 4 }, s); // a species without atoms
    expectSame({ ...base, average: 'inner' }, s);
    expectSame({ ...base, average: 'outer' }, smallTriclinic());
    expectSame({ ...base, rbf: 'polynomial', nMax: 7, lMax: 5 }, water);
  });
});

describe("dtype 'float32': pair path = per-centre path within the float32 bound", () => {
  const water = readShared('data/structures/water_64mol_192atoms.extxyz')[0]!;

  it('W1, small triclinic cell, non-periodic box', () => {
    expectSameF32({ ...base, rbf: 'gto' }, water);
    expectSameF32({ ...base, rbf: 'gto' }, smallTriclinic());
    expectSameF32({ ...base, nMax: 5, lMax: 5, periodic: false }, randomBox(false));
  });

  it('weighting, smooth cutoff, compression with species weights, averages', () => {
    const s = randomBox(true);
    expectSameF32({ ...base, weighting: { function: 'poly', r0: 4, c: 2, m: 3, w0: 0.5 } }, s);
    expectSameF32({ ...base, cutoff: { width: 1.5 }, weighting: { function: 'pow', r0: 1.5, c: 1, d: 1, m: 4 } }, smallTriclinic());
    for (const mode of ['off', 'crossover', 'mu1nu1', 'mu2'] as const) {
      expectSameF32({ ...base, nMax: 5, lMax: 4, compression: { mode, speciesWeighting: { H: 0.7, O: 1.6 } } }, s);
    }
    expectSameF32({ ...base, average: 'inner' }, s);
    expectSameF32({ ...base, average: 'outer', rbf: 'polynomial', nMax: 6, lMax: 5 }, s);
  });
});

describe('SOAP pair path, atoms without spatial locality', () => {
  it('a shuffled 1 536-atom box is re-ordered on a spatial grid for the pair path: same values', () => {
    const [box] = readShared('data/structures/water_512mol_1536atoms.extxyz');
    const s = normalizeStructure(box!);
    const random = rng(11);
    const order = Array.from({ length: s.nAtoms }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const shuffled: Structure = {
      numbers: order.map((a) => s.numbers[a]!),
      positions: order.map((a) => [s.positions[3 * a]!, s.positions[3 * a + 1]!, s.positions[3 * a + 2]!]),
      cell: [0, 1, 2].map((r) => [0, 1, 2].map((c) => s.cell![3 * r + c]!)),
      pbc: [true, true, true],
    };
    const options = { ...base, nMax: 3, lMax: 2 };
    expectSame(options, shuffled);
    expectSame({ ...options, average: 'outer' }, shuffled);
    expectSameF32(options, shuffled);
    // Rows in the caller's order: the shuffled box's rows are the file order's, permuted.
    const soap = new SOAP(options);
    const inFileOrder = soap.create(box!).values;
    const rows = soap.create(shuffled).values;
    const F = soap.numFeatures;
    let worst = 0;
    for (let k = 0; k < order.length; k++) {
      for (let f = 0; f < F; f++) worst = Math.max(worst, Math.abs(rows[k * F + f]! - inFileOrder[order[k]! * F + f]!));
    }
    expect(worst).toBeLessThanOrEqual(1e-12 * maxAbs(inFileOrder));
  });
});
