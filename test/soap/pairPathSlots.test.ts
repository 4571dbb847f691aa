// The pair path's values pass on structures whose coefficients exceed 2 MiB (SLOT_PASS_ABOVE_BYTES
// in assembly/soap/soap.ts): tiles of all species advance through the atoms together, every
// atom's spectrum is written once no later tile adds to it, and its coefficient block is a slot
// given back then and reused by later atoms (allAtomsPass, pairWork.ts completionSteps). An atom
// emitted one tile early, or a slot reused while still in use, changes values well above 1e-12;
// so each case compares create() without centres (pair path, checked to be taken) against the
// per-centre path. Smaller structures take the single pass (test/soap/pairPath.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { getRuntime, init } from '../../src/wasm/loader.js';
import { SOAP } from '../../src/soap/soap.js';
import type { SOAPOptions } from '../../src/soap/params.js';
import { normalizeStructure, type Structure } from '../../src/structure/structure.js';
import { maxAbs, maxAbsDiff, readShared } from '../helpers/shared.js';
import { randomMixture } from '../helpers/randomMixture.js';
import { supercell } from '../helpers/supercell.js';

beforeAll(async () => {
  await init();
});

/** Values by the pair path (asserted taken) and by the per-centre path (centres listed). */
function expectPairEqualsCentre(options: SOAPOptions, s: Structure): void {
  const soap = new SOAP(options);
  const rt = getRuntime() as { kernels: ReturnType<typeof getRuntime>['kernels'] };
  const kernels = rt.kernels;
  let taken = -1;
  rt.kernels = {
    ...kernels,
    soapComputeAllAtoms: (...args: Parameters<typeof kernels.soapComputeAllAtoms>) => (taken = kernels.soapComputeAllAtoms(...args)),
  };
  let pair: Float64Array | Float32Array;
  try {
    pair = soap.create(s).values;
  } finally {
    rt.kernels = kernels;
  }
  expect(taken).toBe(1);
  const n = normalizeStructure(s).nAtoms;
  // The slot pass runs: n_max bounds the padded n_maxP from below.
  const nS = options.species.length;
  const mode = options.compression?.mode ?? 'off';
  const densities = (mode === 'mu2' ? 1 : nS) + (mode === 'mu1nu1' ? 1 : 0);
  expect(n * 8 * densities * (options.lMax + 1) ** 2 * options.nMax).toBeGreaterThan(getRuntime().kernels.soapSlotPassAboveBytes());
  const centre = soap.create(s, { centers: Array.from({ length: n }, (_, i) => i) }).values;
  const scale = maxAbs(centre);
  expect(scale).toBeGreaterThan(0);
  expect(pair.length).toBe(centre.length);
  expect(maxAbsDiff(pair, centre)).toBeLessThanOrEqual(1e-12 * scale);
}


const base = { species: ['H', 'O'], rCut: 5, nMax: 8, lMax: 6, sigma: 0.5, periodic: true } as const;

describe('SOAP pair path with spectra emitted as atoms complete (1e-12 of the largest value)', () => {
  const water = readShared('data/structures/water_64mol_192atoms.extxyz')[0]!;
  const big = supercell(water, 2, 2, 1); // 768 atoms: tiles of both species, slots reused many times

  it("2×2×1 repeat of the 192-atom water box, W1's basis", () => {
    expectPairEqualsCentre({ ...base, rbf: 'gto' }, big);
  });

  it('the same box: compression modes, averages, species weights, weighting', () => {
    for (const mode of ['crossover', 'mu1nu1', 'mu2'] as const) {
      expectPairEqualsCentre({ ...base, compression: { mode, speciesWeighting: { H: 0.8, O: 1.4 } } }, big);
    }
    expectPairEqualsCentre({ ...base, average: 'inner' }, big);
    expectPairEqualsCentre({ ...base, average: 'outer' }, big);
    // H without weight: its atoms add nothing to any coefficient, their own r = 0 term included.
    expectPairEqualsCentre({ ...base, compression: { mode: 'off', speciesWeighting: { H: 0, O: 1.2 } } }, big);
    expectPairEqualsCentre({ ...base, weighting: { function: 'pow', r0: 1.5, c: 1, d: 1, m: 4 }, cutoff: { width: 1.5 } }, big);
  });

  it('three species in random index order, periodic and not, with a species absent', () => {
    const box = randomMixture(300, 13, true, 5);
    expectPairEqualsCentre({ ...base, species: ['H', 'C', 'O'] }, box);
    expectPairEqualsCentre({ ...base, species: ['H', 'C', 'O'], periodic: false }, randomMixture(300, 13, false, 6));
    expectPairEqualsCentre({ ...base, species: ['H', 'C', 'N', 'O'], rbf: 'polynomial', average: 'outer' }, box);
  });

  it('atoms without neighbours and a cluster far from the rest (not periodic)', () => {
    const s = randomMixture(240, 11, false, 9);
    const positions = [...(s.positions as number[][]), [40, 40, 40], [60, 0, 0], [60, 1.2, 0]];
    const numbers = [...(s.numbers as number[]), 8, 1, 6];
    expectPairEqualsCentre({ ...base, species: ['H', 'C', 'O'], periodic: false }, { numbers, positions });
  });
});
