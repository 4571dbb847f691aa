// The float64 pair path when the atoms' index order has no spatial locality: the kernel declines
// in index order, and SOAP.create runs it once more on the same half list with atomOrder, a
// spatial-grid order in which the tiles take each species' atoms (soapComputeAllAtoms; the rows
// stay in the caller's order, nothing is rebuilt or permuted back). Each case checks that this
// second call is the one that ran (a declined first call, an accepted call with an order, no third
// call from the reordering retry) and compares the values against the per-centre path on a full
// list (centres listed) to 1e-12 of the largest value. A tile cut from the wrong atoms, an order
// applied to the rows, or an atom emitted before its last tile (slot pass) breaks this far above.
import { beforeAll, describe, expect, it } from 'vitest';
import { getRuntime, init } from '../../src/wasm/loader.js';
import { SOAP } from '../../src/soap/soap.js';
import type { SOAPOptions } from '../../src/soap/params.js';
import { normalizeStructure, type Structure } from '../../src/structure/structure.js';
import { maxAbs, maxAbsDiff, readShared } from '../helpers/shared.js';
import { rng } from '../helpers/geometry.js';
import { supercell } from '../helpers/supercell.js';

beforeAll(async () => {
  await init();
});

/** The pair kernel's calls during one create(): [atomOrder ≠ 0, result] each. */
function pairCalls(soap: SOAP, s: Structure): { values: Float64Array | Float32Array; calls: [boolean, number][] } {
  const rt = getRuntime() as { kernels: ReturnType<typeof getRuntime>['kernels'] };
  const kernels = rt.kernels;
  const calls: [boolean, number][] = [];
  rt.kernels = {
    ...kernels,
    soapComputeAllAtoms: (...args: Parameters<typeof kernels.soapComputeAllAtoms>) => {
      const done = kernels.soapComputeAllAtoms(...args);
      calls.push([args[20] !== 0, done]);
      return done;
    },
  };
  try {
    return { values: soap.create(s).values, calls };
  } finally {
    rt.kernels = kernels;
  }
}

/** create() takes the in-kernel spatial order and agrees with the per-centre path. */
function expectOrderedPairEqualsCentre(options: SOAPOptions, s: Structure): void {
  const soap = new SOAP(options);
  const { values, calls } = pairCalls(soap, s);
  expect(calls).toEqual([[false, 0], [true, 1]]);
  const n = normalizeStructure(s).nAtoms;
  const centre = soap.create(s, { centers: Array.from({ length: n }, (_, i) => i) }).values;
  const scale = maxAbs(centre);
  expect(scale).toBeGreaterThan(0);
  expect(values.length).toBe(centre.length);
  expect(maxAbsDiff(values, centre)).toBeLessThanOrEqual(1e-12 * scale);
}

/** The structure's atoms in a random order (positions and numbers permuted together). */
function shuffled(s: Structure, seed: number): Structure {
  const n = normalizeStructure(s);
  const random = rng(seed);
  const perm = Array.from({ length: n.nAtoms }, (_, i) => i);
  for (let k = perm.length - 1; k > 0; k--) {
    const j = Math.floor(random() * (k + 1));
    [perm[k], perm[j]] = [perm[j]!, perm[k]!];
  }
  const cell = n.cell === null ? undefined : [0, 1, 2].map((r) => [0, 1, 2].map((c) => n.cell![3 * r + c]!));
  return {
    numbers: perm.map((a) => n.numbers[a]!),
    positions: perm.map((a) => [0, 1, 2].map((x) => n.positions[3 * a + x]!)),
    ...(cell === undefined ? {} : { cell, pbc: [...n.pbc] as [boolean, boolean, boolean] }),
  };
}

/**
 * nAtoms atoms at least 1 Å apart in an edge³ box, in random index order, each of an element of
 * `elements` drawn with the weights `weights`.
 */
function randomMixture(
  nAtoms: number, edge: number, periodic: boolean, seed: number, elements: number[], weights: number[],
): Structure {
  const random = rng(seed);
  const positions: number[][] = [];
  while (positions.length < nAtoms) {
    const p = [edge * random(), edge * random(), edge * random()];
    if (positions.every((q) => Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!) > 1.0)) positions.push(p);
  }
  const total = weights.reduce((a, b) => a + b, 0);
  const numbers = positions.map(() => {
    let u = random() * total;
    let k = 0;
    while (k < elements.length - 1 && u >= weights[k]!) u -= weights[k++]!;
    return elements[k]!;
  });
  return { numbers, positions, cell: [[edge, 0, 0], [0, edge, 0], [0, 0, edge]], pbc: [periodic, periodic, periodic] };
}

const base = { species: ['H', 'O'], rCut: 5, nMax: 8, lMax: 6, sigma: 0.5, rbf: 'gto', periodic: true } as const;

describe('SOAP pair path with tiles in an in-kernel spatial order (1e-12 of the largest value)', () => {
  const water = readShared('data/structures/water_64mol_192atoms.extxyz')[0]!;

  it('H and O in random index order, coefficients below 2 MiB (one pass, spectra at the end), periodic and not', () => {
    const periodic = randomMixture(300, 19, true, 3, [1, 8], [2, 1]);
    expect(300 * 8 * 2 * 49 * 8).toBeLessThan(getRuntime().kernels.soapSlotPassAboveBytes());
    expectOrderedPairEqualsCentre(base, periodic);
    expectOrderedPairEqualsCentre({ ...base, periodic: false }, randomMixture(300, 19, false, 4, [1, 8], [2, 1]));
  });

  it('three and four species in random index order, periodic and not (slot pass)', () => {
    expectOrderedPairEqualsCentre({ ...base, species: ['H', 'C', 'O'] }, randomMixture(900, 22, true, 11, [1, 6, 8], [3, 1, 1]));
    expectOrderedPairEqualsCentre(
      { ...base, species: ['H', 'C', 'N', 'O'], periodic: false }, randomMixture(900, 22, false, 12, [1, 6, 7, 8], [3, 1, 1, 1]),
    );
    expectOrderedPairEqualsCentre(
      { ...base, species: ['H', 'C', 'N', 'O'], compression: { mode: 'mu1nu1' }, average: 'outer' },
      randomMixture(900, 22, true, 13, [1, 6, 7, 8], [3, 1, 1, 1]),
    );
  });

  it("shuffled 768-atom water repeat, W1's basis: the slot pass (coefficients above 2 MiB), periodic and not", () => {
    const s = shuffled(supercell(water, 2, 2, 1), 4);
    expect(768 * 8 * 2 * 49 * 8).toBeGreaterThan(getRuntime().kernels.soapSlotPassAboveBytes());
    expectOrderedPairEqualsCentre(base, s);
    expectOrderedPairEqualsCentre({ ...base, periodic: false }, s);
    expectOrderedPairEqualsCentre({ ...base, species: ['H', 'C', 'O'], average: 'inner' }, s);
  });
});
