// SOAP.create on structures whose rows would not fit in wasm memory (src/soap/soap.ts
// soapStreaming): the float64 pair path keeps coefficient slots only for the atoms in flight and
// copies the finished spectra out a block at a time (soapComputeAllAtomsStart/Steps); the
// per-centre path builds the neighbour list and the rows of one run of centres at a time. Here
// the thresholds are lowered so that a few hundred atoms take those passes, and every result is
// compared with the one-pass result (1e-12 of the largest value; the pair path's is the same
// arithmetic, so bitwise). Own file: the wasm memory measured first is this file's alone.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { getRuntime, init } from '../../src/wasm/loader.js';
import { SOAP, soapStreaming } from '../../src/soap/soap.js';
import type { SOAPOptions } from '../../src/soap/params.js';
import { AtomenvError } from '../../src/errors.js';
import { normalizeStructure, type Structure } from '../../src/structure/structure.js';
import { maxAbs, maxAbsDiff, readShared } from '../helpers/shared.js';
import { rng } from '../helpers/geometry.js';
import { randomMixture } from '../helpers/randomMixture.js';
import { supercell } from '../helpers/supercell.js';
import { expectAtomenvError } from '../helpers/errors.js';

const defaults = { ...soapStreaming };
const w1 = { species: ['H', 'O'], rCut: 5, nMax: 8, lMax: 6, sigma: 0.5, rbf: 'gto', periodic: true } as const;

let water: Structure;
let big: Structure;

beforeAll(async () => {
  await init();
  water = readShared('data/structures/water_64mol_192atoms.extxyz')[0]!;
  big = supercell(water, 2, 2, 1); // 768 atoms: slots reused many times, several blocks of rows
});

afterEach(() => {
  Object.assign(soapStreaming, defaults);
  vi.restoreAllMocks();
});

type Kernels = ReturnType<typeof getRuntime>['kernels'];

/** Counts the calls of the named kernels while `run` runs. */
function countingKernels<T>(names: (keyof Kernels)[], run: () => T): { result: T; calls: Record<string, number> } {
  const rt = getRuntime() as { kernels: Kernels };
  const kernels = rt.kernels;
  const calls: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  const wrapped = { ...kernels } as Record<string, unknown>;
  for (const name of names) {
    const f = kernels[name] as (...args: unknown[]) => unknown;
    wrapped[name] = (...args: unknown[]) => {
      calls[name]!++;
      return f(...args);
    };
  }
  rt.kernels = wrapped as unknown as Kernels;
  try {
    return { result: run(), calls };
  } finally {
    rt.kernels = kernels;
  }
}

/** Lowers the thresholds so that everything streams, blocks of `blockBytes` (rows). */
function forceStreaming(blockBytes: number): void {
  soapStreaming.aboveBytes = 1;
  soapStreaming.blockBytes = blockBytes;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  const scale = maxAbs(expected);
  expect(scale).toBeGreaterThan(0);
  expect(actual.length).toBe(expected.length);
  expect(maxAbsDiff(actual, expected)).toBeLessThanOrEqual(1e-12 * scale);
}

/** create() without centres, once in one pass and once streamed by the pair path (asserted taken, in several calls when not averaged). */
function expectStreamedPairPath(options: SOAPOptions, s: Structure, blockBytes = 64 * 1024): void {
  const soap = new SOAP(options);
  const whole = countingKernels(['soapComputeAllAtoms', 'soapComputeAllAtomsStart'], () => soap.create(s));
  expect(whole.calls.soapComputeAllAtomsStart).toBe(0);
  forceStreaming(blockBytes);
  const streamed = countingKernels(['soapComputeAllAtoms', 'soapComputeAllAtomsStart', 'soapComputeAllAtomsSteps', 'soapCompute'], () => soap.create(s));
  Object.assign(soapStreaming, defaults);
  expect(streamed.calls.soapComputeAllAtoms).toBe(0);
  expect(streamed.calls.soapCompute).toBe(0);
  expect(streamed.calls.soapComputeAllAtomsStart).toBeGreaterThan(0);
  if ((options.average ?? 'off') === 'off') expect(streamed.calls.soapComputeAllAtomsSteps).toBeGreaterThan(2);
  expect(streamed.result.shape).toEqual(whole.result.shape);
  expect(streamed.result.values.constructor).toBe(whole.result.values.constructor);
  expectClose(streamed.result.values, whole.result.values);
}


describe('SOAP.create on large structures: wasm memory', () => {
  it('a 5 184-atom water box streamed in 1 MiB blocks stays far below its rows and coefficients (72 MB)', () => {
    const s = supercell(water, 3, 3, 3);
    const soap = new SOAP(w1);
    forceStreaming(1024 * 1024);
    const { result, calls } = countingKernels(['soapComputeAllAtomsStart', 'soapComputeAllAtomsSteps'], () => soap.create(s));
    expect(calls.soapComputeAllAtomsStart).toBe(1);
    expect(result.shape).toEqual([5184, 952]);
    // Rows 37.6 MB and every atom's coefficients 32.5 MB would be in wasm memory in one pass.
    // Measured 40.5 MiB: the module, the table, the half list (~66 pairs per atom at 28 bytes,
    // room for ~100), the slots of the atoms in flight (a slab of the box) and the 1 MiB block.
    expect(getRuntime().kernels.memory.buffer.byteLength).toBeLessThan(48 * 2 ** 20);
    // The same rows as the per-centre path, which ran nowhere yet in this file.
    const perCentre = soap.create(s, { centers: Array.from({ length: 5184 }, (_, i) => i) }).values;
    expectClose(result.values, perCentre);
  });
});

describe('SOAP.create streamed by the pair path: the one-pass values', () => {
  it("W1's basis on 768 atoms of water, rows in blocks of 8 (one tile's atoms at least)", () => {
    expectStreamedPairPath(w1, big);
    expectStreamedPairPath(w1, big, 1);
  });

  it('averages, compression modes, species weights and weighting', () => {
    expectStreamedPairPath({ ...w1, average: 'inner' }, big);
    expectStreamedPairPath({ ...w1, average: 'outer' }, big);
    for (const mode of ['crossover', 'mu1nu1', 'mu2'] as const) {
      expectStreamedPairPath({ ...w1, compression: { mode, speciesWeighting: { H: 0.8, O: 1.4 } } }, big);
    }
    expectStreamedPairPath({ ...w1, weighting: { function: 'pow', r0: 1.5, c: 1, d: 1, m: 4 }, cutoff: { width: 1.5 } }, big);
  });

  it('dtype float32: the float64 pass cast, as derivatives() returns it', () => {
    const soap = new SOAP({ ...w1, dtype: 'float32' });
    const whole = soap.derivatives(water, { layout: 'sparse' }).values;
    forceStreaming(64 * 1024);
    const { result, calls } = countingKernels(['soapComputeAllAtomsStart'], () => soap.derivatives(water, { layout: 'sparse' }).values);
    expect(calls.soapComputeAllAtomsStart).toBe(1);
    expect(result).toBeInstanceOf(Float32Array);
    expect(Array.from(result)).toEqual(Array.from(whole));
  });

  it('three species in random index order (the spatial-order retry), periodic and not', () => {
    expectStreamedPairPath({ ...w1, species: ['H', 'C', 'O'] }, randomMixture(300, 13, true, 5));
    expectStreamedPairPath({ ...w1, species: ['H', 'C', 'O'], periodic: false }, randomMixture(300, 13, false, 6));
  });

  it('more atoms in flight than slotBytes allows: the per-centre path in runs of centres', () => {
    const soap = new SOAP(w1);
    const whole = soap.create(big).values;
    forceStreaming(64 * 1024);
    soapStreaming.slotBytes = 1;
    const { result, calls } = countingKernels(['soapComputeAllAtomsStart', 'soapComputeAllAtomsSteps', 'soapCompute'], () => soap.create(big));
    expect(calls.soapComputeAllAtomsSteps).toBe(0);
    expect(calls.soapCompute).toBeGreaterThan(2);
    expectClose(result.values, whole);
  });

  it("a pair path that outgrows wasm memory gives way to the per-centre path's runs", () => {
    const soap = new SOAP(w1);
    const whole = soap.create(big).values;
    forceStreaming(64 * 1024);
    const rt = getRuntime() as { kernels: Kernels };
    const kernels = rt.kernels;
    // Scratch beyond 4 GiB: the arena refuses it (OUT_OF_MEMORY).
    rt.kernels = { ...kernels, soapPairWorkSizeStreamed: () => 5 * 2 ** 30 };
    let values: Float64Array | Float32Array;
    try {
      values = soap.create(big).values;
    } finally {
      rt.kernels = kernels;
    }
    expectClose(values, whole);
  });
});

describe('SOAP.create by the per-centre path in runs of centres: the one-pass values', () => {
  const centres = (n: number): number[] => Array.from({ length: n }, (_, i) => (i * 7) % n);

  for (const dtype of ['float64', 'float32'] as const) {
    it(`${dtype}: atom and point centres in any order, runs of a few centres`, () => {
      const soap = new SOAP({ ...w1, dtype });
      const list = [...centres(192), [1.5, 2.5, 3.5], [0, 0, 0]];
      const whole = soap.create(water, { centers: list });
      forceStreaming(3 * 8 * 952);
      const { result, calls } = countingKernels(['soapCompute', 'soapComputeF32'], () => soap.create(water, { centers: list }));
      expect(calls.soapCompute + calls.soapComputeF32).toBe(Math.ceil(194 / (dtype === 'float32' ? 6 : 3)));
      expect(result.shape).toEqual([194, 952]);
      expect(result.values.constructor).toBe(whole.values.constructor);
      expectClose(result.values, whole.values);
    });
  }

  it('not periodic, and a single run for the averages', () => {
    const molecule = normalizeStructure(randomMixture(120, 9, false, 3));
    const options = { ...w1, species: ['H', 'C', 'O'], periodic: false };
    for (const average of ['off', 'inner', 'outer'] as const) {
      const soap = new SOAP({ ...options, average });
      const whole = soap.create(molecule, { centers: centres(120) });
      forceStreaming(5 * 8 * soap.numFeatures);
      const { result, calls } = countingKernels(['soapCompute'], () => soap.create(molecule, { centers: centres(120) }));
      Object.assign(soapStreaming, defaults);
      expect(calls.soapCompute).toBe(average === 'off' ? 24 : 1);
      expectClose(result.values, whole.values);
    }
  });
});

describe('SOAP.backward by the per-centre path in runs of centres: the one-pass gradients', () => {
  /** ∂L/∂positions, strain and cell within 1e-12 of the largest value of each. */
  function expectSameBackward(actual: ReturnType<SOAP['backward']>, expected: ReturnType<SOAP['backward']>): void {
    expectClose(actual.positions, expected.positions);
    expectClose(actual.strain, expected.strain);
    expect(actual.cell === null).toBe(expected.cell === null);
    if (expected.cell !== null) expectClose(actual.cell!, expected.cell);
  }

  function weights(n: number, seed: number): Float64Array {
    const random = rng(seed);
    return Float64Array.from({ length: n }, () => random() - 0.5);
  }

  it('atom and point centres, runs of 7 centres; averages in one run', () => {
    for (const average of ['off', 'inner', 'outer'] as const) {
      const soap = new SOAP({ ...w1, average });
      const list = [...Array.from({ length: 60 }, (_, i) => (i * 7) % 192), [1.5, 2.5, 3.5]];
      const dL = weights((average === 'off' ? list.length : 1) * soap.numFeatures, 4);
      const whole = soap.backward(water, dL, { centers: list });
      forceStreaming(7 * 8 * soap.numFeatures);
      const { result, calls } = countingKernels(['soapBackward'], () => soap.backward(water, dL, { centers: list }));
      Object.assign(soapStreaming, defaults);
      expect(calls.soapBackward).toBe(average === 'off' ? 9 : 1);
      expectSameBackward(result, whole);
    }
  });

  it("every atom: a pair path that outgrows wasm memory gives way to the per-centre path's runs", () => {
    const soap = new SOAP(w1);
    const dL = weights(192 * soap.numFeatures, 8);
    const pair = soap.backward(water, dL);
    forceStreaming(50 * 8 * soap.numFeatures);
    const rt = getRuntime() as { kernels: Kernels };
    const kernels = rt.kernels;
    rt.kernels = { ...kernels, soapPairWorkSize: () => 5 * 2 ** 30 };
    let calls: Record<string, number>;
    let result: ReturnType<SOAP['backward']>;
    try {
      ({ result, calls } = countingKernels(['soapBackward', 'soapBackwardAllAtoms'], () => soap.backward(water, dL)));
    } finally {
      rt.kernels = kernels;
    }
    expect(calls.soapBackwardAllAtoms).toBe(0);
    expect(calls.soapBackward).toBe(4);
    expectSameBackward(result, pair);
  });
});

describe('SOAP.create out of wasm memory', () => {
  it('names the atom count, what holds the memory and what to do', () => {
    const soap = new SOAP(w1);
    const arena = getRuntime().arena;
    const alloc = arena.alloc.bind(arena);
    vi.spyOn(arena, 'alloc').mockImplementation((bytes: number) => {
      if (bytes > 1024 * 1024) throw new AtomenvError('OUT_OF_MEMORY', `could not grow wasm memory by ${bytes} bytes`);
      return alloc(bytes);
    });
    expectAtomenvError(() => soap.create(big), 'OUT_OF_MEMORY', 'SOAP.create on 768 atoms', 'could not grow wasm memory', "neighbours within", 'pass `centers` in chunks');
  });
});
