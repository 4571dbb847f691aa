import { beforeAll, describe, expect, test } from 'vitest';
import { ACSF, SOAP, combinePotentialParts, init, neighborList } from '../src/index.js';
import { loadPotential } from '../src/index.node.js';
import type { N2p2Potential } from '../src/n2p2/potential.js';
import { bruteForceNeighbors } from './helpers/bruteForce.js';
import { cellHeights, randomCell, shiftedByLattice, type RandomCell } from './helpers/randomCells.js';
import { supercell } from './helpers/supercell.js';
import { maxAbs, maxAbsDiff, sharedPath } from './helpers/shared.js';
import { expectSameEnergyResult } from './helpers/potentialResults.js';

// Seeded random structures around the conditions where the code paths switch (cell heights just
// below/above 2 r_c and 3 r_c, skewed cells, partial periodicity, atoms outside the cell and at
// r_c (1 ± δ) from another): the paths that must agree, on a sample of a differential fuzzer's
// cases (the fuzzer found the ACSF collinear-image NaN and the n2p2 cutoff clamp this way).

const CASES = 40;

beforeAll(async () => {
  await init();
});

/** max |a − b| relative to max |b|, at least `floor` (features that are rounding noise, e.g. only pairs at r_c). */
function relDiff(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-10): number {
  return maxAbsDiff(a, b) / Math.max(maxAbs(b), floor);
}

function allAtoms(s: RandomCell): number[] {
  return s.numbers.map((_, i) => i);
}

describe('random cells: paths that must agree', () => {
  test('neighbour list = brute force over images (pairs within 1e-9 of r_c may go either way)', () => {
    for (let k = 0; k < CASES; k++) {
      const rc = 3 + (k % 7) * 0.45;
      const s = randomCell(1000 + k, rc, [1, 8]);
      for (const periodic of [true, false]) {
        const nl = neighborList(s, rc, { periodic });
        const bf = bruteForceNeighbors(s, rc, periodic);
        for (let c = 0; c < s.numbers.length; c++) {
          const key = (j: number, d: ArrayLike<number>): string => `${j}:${Array.from(d, (v) => Math.round(v * 1e6)).join(',')}`;
          const got = new Map<string, number>();
          for (let e = nl.offsets[c]!; e < nl.offsets[c + 1]!; e++) {
            const d = nl.displacements.subarray(3 * e, 3 * e + 3);
            got.set(key(nl.index[e]!, d), Math.hypot(d[0]!, d[1]!, d[2]!));
          }
          expect(got.size).toBe(nl.offsets[c + 1]! - nl.offsets[c]!);
          const want = new Map(bf[c]!.map((p) => [key(p.j, p.d), Math.hypot(...p.d)] as const));
          for (const [q, d] of want) if (Math.abs(d - rc) > 1e-9) expect(got.has(q), `seed ${1000 + k} centre ${c} misses ${q}`).toBe(true);
          for (const [q, d] of got) if (Math.abs(d - rc) > 1e-9) expect(want.has(q), `seed ${1000 + k} centre ${c} extra ${q}`).toBe(true);
        }
      }
    }
  });

  test('SOAP: pair path = per-centre path (values, backward); lattice shifts change nothing', () => {
    for (let k = 0; k < CASES; k++) {
      const rc = 3 + (k % 5) * 0.5;
      const s = randomCell(2000 + k, rc, [1, 6, 8], 12);
      const soap = new SOAP({
        species: ['H', 'C', 'O'], rCut: rc, nMax: 2 + (k % 4), lMax: 1 + (k % 5), sigma: 0.3 + 0.1 * (k % 4),
        rbf: k % 3 === 0 ? 'polynomial' : 'gto', periodic: k % 6 !== 5,
        compression: { mode: (['off', 'crossover', 'mu1nu1', 'mu2'] as const)[k % 4]! },
      });
      const pair = soap.create(s).values;
      expect(relDiff(pair, soap.create(s, { centers: allAtoms(s) }).values), `seed ${2000 + k}`).toBeLessThanOrEqual(1e-12);
      if (soap.params.periodic) expect(relDiff(soap.create(shiftedByLattice(s, k)).values, pair), `seed ${2000 + k}`).toBeLessThanOrEqual(1e-10);
      const dL = Array.from(pair, (_, i) => Math.sin(1.3 * i));
      const back = soap.backward(s, dL), backCentres = soap.backward(s, dL, { centers: allAtoms(s) });
      expect(relDiff(back.positions, backCentres.positions), `seed ${2000 + k}`).toBeLessThanOrEqual(1e-11);
      expect(relDiff(back.strain, backCentres.strain), `seed ${2000 + k}`).toBeLessThanOrEqual(1e-11);
    }
  });

  test('ACSF: all-atom path = per-centre path (values and derivatives, finite); lattice shifts change nothing', () => {
    for (let k = 0; k < CASES; k++) {
      const rc = 3 + (k % 6) * 0.5;
      const s = randomCell(3000 + k, rc, [1, 6, 8], 14);
      const acsf = new ACSF({
        species: ['H', 'C', 'O'], rCut: rc, periodic: true, g2Params: [[0.3, 0], [0.05, 1.5]], g3Params: [0.7],
        g4Params: [[0.01, [1, 2, 3, 4, 5, 1.5][k % 6]!, k % 2 ? 1 : -1], [0.04, 4, 1]], g5Params: k % 3 === 0 ? [[0.01, 2.5, -1]] : undefined,
      });
      const every = acsf.derivatives(s, { attach: true });
      const perCentre = acsf.derivatives(s, { attach: true, centers: allAtoms(s) });
      expect(every.values.every(Number.isFinite) && every.derivatives.values.every(Number.isFinite), `seed ${3000 + k}`).toBe(true);
      expect(relDiff(every.values, perCentre.values), `seed ${3000 + k}`).toBeLessThanOrEqual(1e-12);
      // Values alone take the edge/triangle passes when no atom is seen twice from a centre.
      expect(relDiff(acsf.create(s).values, acsf.create(s, { centers: allAtoms(s) }).values), `seed ${3000 + k}`).toBeLessThanOrEqual(1e-12);
      expect(relDiff(every.derivatives.values, perCentre.derivatives.values), `seed ${3000 + k}`).toBeLessThanOrEqual(1e-12);
      // Floor 1e-5: a pair near r_c gives values of ~1e-7 with rounding of ~1e-16 absolute.
      expect(relDiff(acsf.create(shiftedByLattice(s, k)).values, every.values, 1e-5), `seed ${3000 + k}`).toBeLessThanOrEqual(1e-10);
    }
  });

  test('n2p2 H2O: compute = per-centre parts; a supercell ≥ 3 r_c high (triangle path) repeats the cell', async () => {
    const potential: N2p2Potential = await loadPotential(sharedPath('data/n2p2/H2O_RPBE-D3'));
    const rc = potential.cutoff;
    let triangles = 0;
    for (let k = 0; k < 16; k++) {
      const s = randomCell(4000 + k, rc, [1, 8], 10, 1.5);
      const full = potential.compute(s);
      expectSameEnergyResult(combinePotentialParts([0, 1].map((p) => potential.computePart(s, p, 2))), full);
      if (s.cell === null || !s.pbc.some((b) => b)) continue;
      const h = cellHeights(s.cell);
      const reps = [0, 1, 2].map((i) => (s.pbc[i] ? Math.max(1, Math.ceil((3 * rc) / h[i]!)) : 1));
      const times = reps[0]! * reps[1]! * reps[2]!;
      if (times === 1 || times * s.numbers.length > 300) continue;
      const big = potential.compute(supercell(s, reps[0]!, reps[1]!, reps[2]!));
      const n = s.numbers.length;
      const repeated = (a: ArrayLike<number>): Float64Array => {
        const out = new Float64Array(a.length * times);
        for (let t = 0; t < times; t++) out.set(a, t * a.length);
        return out;
      };
      expect(Math.abs(big.energy - times * full.energy)).toBeLessThanOrEqual(1e-10 * Math.abs(times * full.energy));
      expect(relDiff(big.atomicEnergies, repeated(full.atomicEnergies))).toBeLessThanOrEqual(1e-10);
      // Forces relative to the largest, at least 1e-3 of the atomic energies (near-cancelling sums on symmetric cells).
      expect(maxAbsDiff(big.forces, repeated(full.forces))).toBeLessThanOrEqual(1e-10 * Math.max(maxAbs(full.forces), 1e-3 * maxAbs(full.atomicEnergies)));
      if (full.stress !== undefined) expect(maxAbsDiff(big.stress!, full.stress)).toBeLessThanOrEqual(1e-10 * Math.max(maxAbs(full.stress), 1e-3 * maxAbs(full.atomicEnergies)));
      expect(big.atomicEnergies.length).toBe(times * n);
      triangles++;
    }
    expect(triangles).toBeGreaterThan(3);
  });
});
