import { readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadPotential as loadPotentialNode } from '../../src/index.node.js';
import { N2p2Potential, combinePotentialParts, type PotentialResult } from '../../src/n2p2/potential.js';
import { getRuntime } from '../../src/wasm/loader.js';
import type { Structure } from '../../src/structure/structure.js';
import { readShared, readSharedJson, sharedPath } from '../helpers/shared.js';
import { expectSameEnergyResult } from '../helpers/potentialResults.js';

// The triangle path (assembly/n2p2/angularTriangles.ts: each triangle of mutual neighbours once,
// feeding its three corners) against the per-centre edge path it replaces, on the W6 liquid,
// small boxes with every triangle class, a cluster, and thin cells where it must decline.

let potential: N2p2Potential;

beforeAll(async () => {
  potential = await loadPotentialNode(sharedPath('data/n2p2/H2O_RPBE-D3'));
});

/** Whether compute takes the triangle path on this structure (it applies: compute takes it). */
function takesTriangles(structure: Structure, pot: N2p2Potential = potential): boolean {
  const rt = getRuntime();
  rt.arena.reset();
  return pot.descriptor.trianglePathApplies(rt, pot.descriptor.prepare(rt, structure));
}

/**
 * compute's results, the per-centre path's (two parts by computePart, which never takes the
 * triangle path, summed) and whether compute took the triangle path.
 */
function bothPaths(structure: Structure, pot: N2p2Potential = potential): { triangles: PotentialResult; perCentre: PotentialResult; tookTriangles: boolean } {
  const triangles = pot.compute(structure);
  const perCentre = combinePotentialParts([pot.computePart(structure, 0, 2), pot.computePart(structure, 1, 2)]);
  return { triangles, perCentre, tookTriangles: takesTriangles(structure, pot) };
}

/** Atoms on a jittered n³ grid of spacing h in a periodic cube (or, cell false, a cluster), O where o(i). */
function gridBox(n: number, h: number, o: (i: number) => boolean, cell = true, seed = 7): Structure {
  let s = seed;
  const rnd = (): number => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
  const positions: number[][] = [];
  const symbols: string[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < n; k++) {
        positions.push([(i + 0.6 * rnd()) * h, (j + 0.6 * rnd()) * h, (k + 0.6 * rnd()) * h]);
        symbols.push(o(positions.length - 1) ? 'O' : 'H');
      }
    }
  }
  const L = n * h;
  return cell ? { symbols, positions, cell: [[L, 0, 0], [0, L, 0], [0, 0, L]], pbc: true } : { symbols, positions };
}

describe('n2p2 triangle path', () => {
  test('the W6 water liquid (1 080 atoms): the same energies, forces and stress as the per-centre path', () => {
    const [liquid] = readShared('data/n2p2/H2O_RPBE-D3/input.data.H2O_1080_liquid');
    const { triangles, perCentre, tookTriangles } = bothPaths(liquid!);
    expect(tookTriangles).toBe(true);
    expectSameEnergyResult(triangles, perCentre);
  });

  test('a periodic box with triangles of every element class (HHH, HHO, HOO, OOO), across the boundary', () => {
    // 6³ atoms 6.2 bohr apart in a 37.2 bohr cube (≥ 3 cutoffs of 12): one in three oxygen.
    const box = gridBox(6, 6.2, (i) => i % 3 === 0);
    const { triangles, perCentre, tookTriangles } = bothPaths(box);
    expect(tookTriangles).toBe(true);
    expectSameEnergyResult(triangles, perCentre);
    // Mostly oxygen too (OOO-rich), another seed.
    const oxygen = bothPaths(gridBox(6, 6.2, (i) => i % 4 !== 0, true, 11));
    expect(oxygen.tookTriangles).toBe(true);
    expectSameEnergyResult(oxygen.triangles, oxygen.perCentre);
  });

  test('a cluster (no cell)', () => {
    const { triangles, perCentre, tookTriangles } = bothPaths(gridBox(5, 5.5, (i) => i % 3 === 1, false));
    expect(tookTriangles).toBe(true);
    expectSameEnergyResult(triangles, perCentre);
  });

  test('forces and stress of the triangle path against finite differences of its energy', () => {
    const box = gridBox(6, 6.2, (i) => i % 3 === 0, true, 3);
    const out = potential.compute(box);
    const positions = (box.positions as number[][]).map((p) => [...p]);
    // h = 1e-4: truncation ~h² and rounding ~1e-16 |E|/h (|E| ~ 5e3 hartree) both ≲ 1e-8.
    const h = 1e-4;
    for (const [atom, axis] of [[0, 0], [17, 1], [100, 2], [215, 0]] as const) {
      const energyAt = (delta: number): number => {
        const moved = positions.map((p) => [...p]);
        moved[atom]![axis]! += delta;
        return potential.compute({ ...box, positions: moved }).energy;
      };
      const fd = -(energyAt(h) - energyAt(-h)) / (2 * h);
      expect(Math.abs(out.forces[3 * atom + axis]! - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
    }
    // σ_xx = (1/V) ∂E/∂ε_xx: stretch x by 1 ± h.
    const L = 37.2;
    const strained = (e: number): number => potential.compute({
      ...box, positions: positions.map(([x, y, z]) => [x! * (1 + e), y!, z!]), cell: [[L * (1 + e), 0, 0], [0, L, 0], [0, 0, L]],
    }).energy;
    const sxx = (strained(h) - strained(-h)) / (2 * h) / (L * L * L);
    expect(Math.abs(out.stress![0]! - sxx)).toBeLessThan(1e-6 * Math.abs(sxx) + 1e-10);
  });

  test('declines for a cell less than three cutoffs high (the per-centre path runs unchanged)', () => {
    // 5³ atoms 6.2 bohr apart: a 31 bohr cube, over two cutoffs (the edge path applies) but under three.
    const thin = gridBox(5, 6.2, (i) => i % 3 === 0);
    const { triangles, perCentre, tookTriangles } = bothPaths(thin);
    expect(tookTriangles).toBe(false);
    expectSameEnergyResult(triangles, perCentre);
  });

  test('the n2p2 reference structures: both paths agree wherever the triangle path applies', () => {
    const ref = readSharedJson('reference/n2p2/H2O_RPBE-D3.json');
    let took = 0;
    for (const s of ref.structures) {
      const structure = { symbols: s.symbols, positions: s.positions, ...(s.lattice ? { cell: s.lattice, pbc: true } : {}) };
      const { triangles, perCentre, tookTriangles } = bothPaths(structure);
      took += tookTriangles ? 1 : 0;
      expectSameEnergyResult(triangles, perCentre);
    }
    expect(took).toBeGreaterThan(0);
  });
  test('other angular parameters: ζ 2 to 8, λ ±1, r_s ≠ 0, smaller r_c (same function counts, the H2O weights)', () => {
    const dir = sharedPath('data/n2p2/H2O_RPBE-D3');
    const files: Record<string, string> = {};
    for (const name of readdirSync(dir).filter((f) => f === 'input.nn' || f === 'scaling.data' || /^weights\.\d{3}\.data$/.test(f))) {
      files[name] = readFileSync(`${dir}/${name}`, 'utf8');
    }
    // symfunction_short <centre> 3 <n1> <n2> η λ ζ r_c [r_s], cycled through other values.
    const variant = (zetas: number[]): string => {
      let k = 0;
      return files['input.nn']!.split('\n').map((line) => {
        const f = line.trim().split(/\s+/);
        if (f[0] !== 'symfunction_short' || f[2] !== '3') return line;
        const i = k++;
        const zeta = zetas[i % zetas.length]!, lambda = i % 2 === 0 ? 1 : -1, rc = i % 3 === 0 ? 10 : 12, rs = i % 4 === 1 ? 0.7 : 0;
        return `symfunction_short ${f[1]} 3 ${f[3]} ${f[4]} ${Number(f[5]) * (1 + (i % 5) * 0.1)} ${lambda} ${zeta} ${rc} ${rs}`;
      }).join('\n');
    };
    const box = gridBox(6, 6.2, (i) => i % 3 === 0, true, 5);
    const cluster = gridBox(5, 5.5, (i) => i % 2 === 0, false, 9);
    const other = new N2p2Potential({ ...files, 'input.nn': variant([2, 3, 5, 8, 6, 7, 1, 4]) });
    for (const structure of [box, cluster]) {
      const { triangles, perCentre, tookTriangles } = bothPaths(structure, other);
      expect(tookTriangles).toBe(true);
      expectSameEnergyResult(triangles, perCentre);
    }
    // A non-integer ζ: the triangle path declines.
    const fractional = new N2p2Potential({ ...files, 'input.nn': variant([2.5, 1]) });
    fractional.compute(box);
    expect(takesTriangles(box, fractional)).toBe(false);
  });

  test('one r_c for every angular function (the backward pass reads f_c\'/f_c per side): r_s ≠ 0, r_c below the radial one, each cutoff type', () => {
    const dir = sharedPath('data/n2p2/H2O_RPBE-D3');
    const files: Record<string, string> = {};
    for (const name of readdirSync(dir).filter((f) => f === 'input.nn' || f === 'scaling.data' || /^weights\.\d{3}\.data$/.test(f))) {
      files[name] = readFileSync(`${dir}/${name}`, 'utf8');
    }
    // Every type-3 line at r_c 10 with r_s cycled through 0, 0.7, 1.3 (the type-2 lines keep r_c 12).
    const variant = (cutoff: string): string => {
      let k = 0;
      return files['input.nn']!.split('\n').map((line) => {
        const f = line.trim().split(/\s+/);
        if (f[0] === 'cutoff_type') return `cutoff_type ${cutoff}`;
        if (f[0] !== 'symfunction_short' || f[2] !== '3') return line;
        const i = k++;
        return `symfunction_short ${f[1]} 3 ${f[3]} ${f[4]} ${f[5]} ${f[6]} ${f[7]} 10 ${[0, 0.7, 1.3][i % 3]}`;
      }).join('\n');
    };
    const box = gridBox(6, 6.2, (i) => i % 3 === 0, true, 5);
    const cluster = gridBox(5, 5.5, (i) => i % 2 === 0, false, 9);
    // Against the general backward pass (R' of each side read per column) on the same tables:
    // the per-centre path itself differs from both by up to ~2e-12 on these boxes (EXP, r_s ≠ 0).
    for (const cutoff of ['0', '2', '3 0.2', '4 0.3', '5', '6 0.25', '7', '8 0.1']) {
      const one = new N2p2Potential({ ...files, 'input.nn': variant(cutoff) });
      const general = new N2p2Potential({ ...files, 'input.nn': variant(cutoff) });
      expect(one.descriptor.triangleTables?.oneCutoff, cutoff).toBe(true);
      general.descriptor.triangleTables!.oneCutoff = false;
      for (const structure of [box, cluster]) {
        expect(takesTriangles(structure, one), cutoff).toBe(true);
        expectSameEnergyResult(one.compute(structure), general.compute(structure));
      }
    }
    // The W6 potential has one r_c; the test of mixed ones (above) takes the general backward.
    expect(potential.descriptor.triangleTables?.oneCutoff).toBe(true);
  });

  test('radial functions by pairs: A → B and B → A sets that differ, r_s ≠ 0, smaller r_c, an element without G2, a weighted radial', () => {
    const dir = sharedPath('data/n2p2/H2O_RPBE-D3');
    const files: Record<string, string> = {};
    for (const name of readdirSync(dir).filter((f) => f === 'input.nn' || f === 'scaling.data' || /^weights\.\d{3}\.data$/.test(f))) {
      files[name] = readFileSync(`${dir}/${name}`, 'utf8');
    }
    // Each type-2 line `<centre> 2 <n> η r_s r_c` through `edit` (same function counts, the H2O weights).
    const variant = (edit: (f: string[], i: number) => string | null): string => {
      let k = 0;
      return files['input.nn']!.split('\n').map((line) => {
        const f = line.trim().split(/\s+/);
        if (f[0] !== 'symfunction_short' || f[2] !== '2') return line;
        return edit(f, k++) ?? line;
      }).join('\n');
    };
    const box = gridBox(6, 6.2, (i) => i % 3 === 0, true, 5);
    const cluster = gridBox(5, 5.5, (i) => i % 2 === 0, false, 9);
    const cases = {
      // O → H no longer the same set as H → O: other η (some exact multiples of others), r_s and r_c.
      differ: variant((f, i) => f[1] !== 'O' ? null
        : `symfunction_short O 2 ${f[3]} ${Number(f[4]) * (i % 3 === 0 ? 3 : 1.1)} ${i % 2 === 0 ? 0.5 : f[5]} ${i % 4 === 1 ? 9.5 : f[6]}`),
      // H has no G2: narrow angular functions in their place.
      noRadialH: variant((f, i) => f[1] !== 'H' ? null : `symfunction_short H 3 ${f[3]} ${i % 2 === 0 ? 'H' : 'O'} ${0.002 * (i + 1)} ${i % 2 === 0 ? 1 : -1} ${1 + (i % 3)} 11`),
    };
    for (const [name, text] of Object.entries(cases)) {
      const other = new N2p2Potential({ ...files, 'input.nn': text });
      expect(other.descriptor.triangleTables?.radialPairs, name).not.toBeNull();
      for (const structure of [box, cluster]) {
        const { triangles, perCentre, tookTriangles } = bothPaths(structure, other);
        expect(tookTriangles, name).toBe(true);
        expectSameEnergyResult(triangles, perCentre);
      }
    }
    // A weighted radial (type 12): the radial part stays per centre, the angular by triangles.
    const weighted = new N2p2Potential({ ...files, 'input.nn': variant((f, i) => (f[1] === 'O' && i === 31 ? `symfunction_short O 12 ${f[4]} ${f[5]} ${f[6]}` : null)) });
    expect(weighted.descriptor.triangleTables).not.toBeNull();
    expect(weighted.descriptor.triangleTables!.radialPairs).toBeNull();
    const { triangles, perCentre, tookTriangles } = bothPaths(box, weighted);
    expect(tookTriangles).toBe(true);
    expectSameEnergyResult(triangles, perCentre);
  });
});
