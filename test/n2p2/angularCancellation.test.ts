import { beforeAll, describe, expect, test, vi } from 'vitest';
import { init } from '../../src/index.js';
import { SymmetryFunctions } from '../../src/n2p2/symmetryFunctions.js';
import type { SymmetryFunctionSpec } from '../../src/n2p2/symmetryFunctionSpec.js';
import { CLASS_STRIDE, type KernelTables } from '../../src/n2p2/kernelTables.js';

beforeAll(async () => {
  await init();
});

// Types 3 and 9 carry 2 ((1 + λ cos θ)/2)^ζ. Where P = 1 + λ cos θ ≪ 1 (neighbours nearly opposite
// for λ = +1, nearly parallel for λ = −1) a feature made of such triplets is tiny. `create` takes
// the per-centre paths (f64x2 for a cutoff with a vector form, scalar for the cosine cutoff;
// `derivatives` the scalar path), which form h = ½ + (λ/2) cos θ from a rounded cos θ, as n2p2
// does: a triplet's relative error is then ~ζ ε / P, no worse. It never takes the edge path, even
// for classes that qualify. A moment expansion Σ_m C(ζ, m) (λ cos θ)^m / 2^ζ summed over triplets
// (the potential's edge and triangle paths, where inputs are scaled by each function's range) would
// lose far more: its terms are ~1 while the feature is ~P^ζ. Both are checked against a brute force
// in the stable form 1 ± cos θ = |û_j ± û_k|² / 2, feature by feature, against the allowance that
// the rounded cosine implies for that feature's triplets.

const RC = 6;
const ETA = 0.01;
const ZETAS = [1, 2, 4, 8];
const LAMBDAS = [1, -1];
const PAIRS: [string, string][] = [['H', 'H'], ['H', 'O'], ['O', 'O']];
const Z: Record<string, number> = { H: 1, O: 8 };
const EPS = 2 ** -52;

/** Positions on a grid of 2^-20 Å, so that every displacement is exact. */
const q = (x: number): number => Math.round(x * 2 ** 20) / 2 ** 20;

/**
 * Molecules farther apart than r_c, each an almost straight chain: in H–O–H the O sees its two H
 * nearly opposite (1 + cos θ ≈ e²/8 for an offset e), each H sees O and the other H nearly parallel;
 * in O–H–H the O sees both H on one side. Offsets give 1 ± cos θ from ~1e-4 to ~1e-6.
 */
function chains(): { symbols: string[]; positions: number[] } {
  const symbols: string[] = [];
  const positions: number[] = [];
  const add = (s: string, p: number[]): void => {
    symbols.push(s);
    positions.push(...p.map(q));
  };
  [0.06, 0.02, 0.0063].forEach((e, m) => {
    const y = 14 * m;
    add('O', [0, y, 0]);
    add('H', [1.9, y, 0]);
    add('H', [-2.1, y + e, 0.3 * e]);
    const z = y + 7;
    const dir = [0.6, 0.48, 0.64];
    add('O', [0, z, 0]);
    add('H', [1.7 * dir[0]!, z + 1.7 * dir[1]!, 1.7 * dir[2]! + e]);
    add('H', [3.3 * dir[0]!, z + 3.3 * dir[1]!, 3.3 * dir[2]!]);
  });
  return { symbols, positions };
}

/** Every centre element and neighbour pair, ζ and λ, for one type (so a class holds one type). */
function functions(type: number): string[] {
  const out: string[] = [];
  for (const el of ['H', 'O'])
    for (const [a, b] of PAIRS)
      for (const zeta of ZETAS) for (const lambda of LAMBDAS) out.push(`${el} ${type} ${a} ${b} ${ETA} ${lambda} ${zeta} ${RC}`);
  return out;
}

const sub = (a: number[], b: number[]): number[] => [a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!];
const dot = (a: number[], b: number[]): number => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;

interface Reference {
  /** Stable-form values [n, F]. */
  values: Float64Array;
  /** Per feature: Σ_triplets T · ζ / P (the rounded-cosine error is ≲ a few ε times this). */
  cosineBound: Float64Array;
  /** The same features as per-centre moment sums Σ_m C(ζ, m) λ^m Σ_triplets R R [R] cos^m θ / 2^(ζ−1). */
  moments: Float64Array;
}

function reference(sf: SymmetryFunctions, s: { symbols: string[]; positions: number[] }, cutoffType: number): Reference {
  const n = s.symbols.length, F = sf.numFeatures;
  const values = new Float64Array(n * F), cosineBound = new Float64Array(n * F), moments = new Float64Array(n * F);
  const fc = (r: number): number => (r >= RC ? 0 : cutoffType === 1 ? 0.5 * (Math.cos((Math.PI * r) / RC) + 1) : 1);
  const R = (r: number): number => Math.exp(-ETA * r * r) * fc(r);
  const binom = (z: number, m: number): number => {
    let c = 1;
    for (let k = 0; k < m; k++) c = (c * (z - k)) / (k + 1);
    return c;
  };
  for (let i = 0; i < n; i++) {
    const el = s.symbols[i]!;
    const [col0] = sf.getLocation(el);
    const specs: SymmetryFunctionSpec[] = sf.functions[sf.elements.indexOf(el)]! as SymmetryFunctionSpec[];
    const xi = s.positions.slice(3 * i, 3 * i + 3);
    const nb: { a: number; d: number[]; r: number }[] = [];
    for (let a = 0; a < n; a++) {
      if (a === i) continue;
      const d = sub(s.positions.slice(3 * a, 3 * a + 3), xi);
      const r = Math.hypot(...d);
      if (r < RC) nb.push({ a, d, r });
    }
    specs.forEach((f, position) => {
      const col = i * F + col0 + position;
      const [e1, e2] = f.neighbors!;
      const zeta = f.zeta!, lambda = f.lambda!;
      const momentSums = new Float64Array(zeta + 1);
      for (let p = 0; p < nb.length; p++)
        for (let k = p + 1; k < nb.length; k++) {
          const j = nb[p]!, kk = nb[k]!;
          const sj = s.symbols[j.a]!, sk = s.symbols[kk.a]!;
          if (!((sj === e1 && sk === e2) || (sj === e2 && sk === e1))) continue;
          const rjk = Math.hypot(...sub(kk.d, j.d));
          if (f.type === 3 && !(rjk < RC)) continue;
          const uj = j.d.map((x) => x / j.r), uk = kk.d.map((x) => x / kk.r);
          const plus = uj.map((x, c) => x + uk[c]!), minus = uj.map((x, c) => x - uk[c]!);
          // P = 1 + λ cos θ for λ = ±1, as |û_j ± û_k|²/2 (no cancellation).
          const P = lambda === 1 ? dot(plus, plus) / 2 : dot(minus, minus) / 2;
          const radial = R(j.r) * R(kk.r) * (f.type === 3 ? R(rjk) : 1);
          const t = 2 * Math.pow(P / 2, zeta) * radial;
          values[col]! += t;
          cosineBound[col]! += (t * zeta) / P;
          const cos = dot(j.d, kk.d) / (j.r * kk.r);
          for (let m = 0; m <= zeta; m++) momentSums[m]! += radial * Math.pow(cos, m);
        }
      for (let m = 0; m <= zeta; m++) moments[col]! += (binom(zeta, m) * Math.pow(lambda, m) * momentSums[m]!) / 2 ** (zeta - 1);
    });
  }
  return { values, cosineBound, moments };
}

/**
 * Features failing |got − ref| ≤ 16 ε · cosineBound + 1e-13 |ref| (the cosine rounded to a few ε
 * absolute, plus the rest at ~1e-13 relative), and the worst ratio of error to that allowance.
 */
function check(got: ArrayLike<number>, ref: Reference): { failures: string[]; worst: number; checked: number; smallest: number } {
  const failures: string[] = [];
  let worst = 0, checked = 0, smallest = Infinity;
  for (let k = 0; k < ref.values.length; k++) {
    const v = ref.values[k]!;
    if (v === 0) {
      if (got[k] !== 0) failures.push(`[${k}]: ${got[k]} against 0`);
      continue;
    }
    checked++;
    smallest = Math.min(smallest, v);
    const allowed = 16 * EPS * ref.cosineBound[k]! + 1e-13 * v;
    const ratio = Math.abs(got[k]! - v) / allowed;
    worst = Math.max(worst, ratio);
    if (!(ratio <= 1) && failures.length < 8) failures.push(`[${k}]: ${got[k]} against ${v} (relative ${(Math.abs(got[k]! - v) / v).toExponential(2)})`);
  }
  return { failures, worst, checked, smallest };
}

describe('n2p2 types 3 and 9 keep their relative precision where 1 + λ cos θ ≪ 1', () => {
  const s = chains();
  const cases = [0, 1].flatMap((cutoffType) => [3, 9].map((type) => [cutoffType, type] as const));
  for (const [cutoffType, type] of cases) {
    const name = `type ${type}, ${cutoffType === 0 ? 'hard cutoff, f64x2 path' : 'cosine cutoff, scalar path'}`;
    const sf = new SymmetryFunctions({ elements: ['H', 'O'], functions: functions(type), cutoffType });
    const ref = reference(sf, s, cutoffType);

    test(`the brute force itself: features down to 1e-40, bounds from the geometry (${name})`, () => {
      let smallest = Infinity, largestRelativeBound = 0;
      for (let k = 0; k < ref.values.length; k++) {
        if (ref.values[k]! === 0) continue;
        smallest = Math.min(smallest, ref.values[k]!);
        largestRelativeBound = Math.max(largestRelativeBound, ref.cosineBound[k]! / ref.values[k]!);
      }
      // ζ / P reaches ~8e6 (P ~ 1e-6): the allowance 16 ε ζ / P stays ≤ ~3e-8 relative.
      expect(smallest).toBeLessThan(1e-40);
      expect(largestRelativeBound).toBeGreaterThan(1e6);
      expect(16 * EPS * largestRelativeBound).toBeLessThan(1e-7);
    });

    test(`create and derivatives agree feature by feature, relative to each feature (${name})`, () => {
      const structure = { numbers: s.symbols.map((e) => Z[e]!), positions: s.positions };
      // create never prepares the edge tables (only the potential's computePart does), though with
      // type 3 and the hard cutoff every class qualifies for the edge path (field 9 of its row).
      const classes = (sf as unknown as { tables: KernelTables }).tables.classes;
      for (let c = 0; c < classes.length / CLASS_STRIDE; c++) expect(classes[c * CLASS_STRIDE + 9]).toBe(type === 3 && cutoffType === 0 ? 1 : 0);
      const edges = vi.spyOn(sf, 'prepareEdges');
      const { values } = sf.create(structure);
      expect(edges).not.toHaveBeenCalled();
      edges.mockRestore();
      for (const got of [values, sf.derivatives(structure).values]) {
        const { failures, worst, checked } = check(got, ref);
        expect(failures).toEqual([]);
        expect(checked).toBeGreaterThan(50);
        expect(worst).toBeLessThanOrEqual(1);
      }
    });

    test(`a moment expansion of the same features fails the same check (the check's power, ${name})`, () => {
      const { failures, worst } = check(ref.moments, ref);
      expect(failures.length).toBeGreaterThan(0);
      expect(worst).toBeGreaterThan(1e3);
    });
  }
});
