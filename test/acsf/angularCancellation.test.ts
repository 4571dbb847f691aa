import { beforeAll, describe, expect, test } from 'vitest';
import { ACSF, init, type DenseDerivatives, type SparseDerivatives, type Structure } from '../../src/index.js';
import { rng } from '../helpers/geometry.js';

beforeAll(async () => {
  await init();
});

// G4/G5 terms carry (1 + λ cos θ)^ζ. Where 1 + λ cos θ ≈ 0 (two neighbours nearly opposite for
// λ = +1, nearly parallel for λ = −1) a feature made of such triplets is tiny, and it keeps its
// relative precision only if 1 + λ cos θ is never formed as a difference of O(1) numbers: not from
// cos θ (rounded to ~1e-16 absolute), nor from moments of cos^p θ combined with alternating signs.
// Every path (triangles, per centre, per centre with gradients) is compared feature by feature,
// relative to that feature's own size, with a brute-force evaluation in the stable form
// 1 ± cos θ = |û_j ± û_k|² / 2.

const rCut = 6;
const g4Params: [number, number, number][] = [
  [0.01, 1, 1], [0.01, 2, 1], [0.01, 3, 1], [0.01, 4, 1], [0.01, 2.5, 1],
  [0.01, 1, -1], [0.01, 2, -1], [0.01, 3, -1], [0.01, 4, -1], [0.01, 1.5, -1],
  [0.05, 2, 1], [0.05, 4, -1], [0.05, 1, 0.5], [0.05, 3, -0.25],
  // η whose largest ζ is 1 (two in a row, then one alone), 2 and 3: each way the triangle path
  // sums a run of triangles.
  [0.02, 1, 1], [0.03, 1, -1], [0.04, 2, -1], [0.04, 1, 1], [0.07, 1, 1], [0.07, 1, -1], [0.06, 3, 1],
];
const g5Params: [number, number, number][] = [
  [0.02, 1, 1], [0.02, 3, 1], [0.02, 1.5, 1], [0.02, 2, -1], [0.02, 4, -1], [0.02, 2, 0.5],
];
const species = ['H', 'O'];

/** Positions on a grid of 2^-20 Å, so that every displacement (and image shift) is exact. */
const q = (x: number): number => Math.round(x * 2 ** 20) / 2 ** 20;

/**
 * Molecules farther apart than r_c, each an almost straight chain: in H–O–H the O sees its two H
 * nearly opposite (1 + cos θ ≈ e²/8 for an offset e), each H sees O and the other H nearly parallel.
 * In O–H–H the O sees both H on one side. Offsets give 1 ± cos θ from ~1e-4 to ~1e-6. (Below that,
 * rounding the unit vectors alone costs ~ζ ε / |û_j ± û_k| relative, ~1e-12 at 1 ± cos θ = 1e-7.)
 */
function chains(origin: [number, number, number], spacing: number): { numbers: number[]; positions: number[] } {
  const numbers: number[] = [];
  const positions: number[] = [];
  const add = (z: number, p: number[]): void => {
    numbers.push(z);
    positions.push(...p.map((x, k) => q(x + origin[k]!)));
  };
  const offsets = [0.06, 0.02, 0.0063];
  offsets.forEach((e, m) => {
    const y = m * spacing;
    // H–O–H along x, the second H displaced by e.
    add(8, [0, y, 0]);
    add(1, [1.9, y, 0]);
    add(1, [-2.1, y + e, 0.3 * e]);
    // O–H–H, tilted out of the axes (the middle H slightly off the line).
    const z = y + spacing / 2;
    const dir = [0.6, 0.48, 0.64];
    add(8, [0, z, 0]);
    add(1, [1.7 * dir[0]!, z + 1.7 * dir[1]!, 1.7 * dir[2]! + e]);
    add(1, [3.3 * dir[0]!, z + 3.3 * dir[1]!, 3.3 * dir[2]!]);
  });
  return { numbers, positions };
}

const cluster: Structure = chains([0, 0, 0], 14);
// Periodic: chains across the cell faces (cell edges 2^k-exact, taller than 2 r_c, so the triangle
// path applies), the O of each chain near a face so that a neighbour is an image.
const periodic: Structure = (() => {
  const L = 112;
  const { numbers, positions } = chains([L - 0.95, 3, 0.25], 14);
  const wrapped = positions.map((x) => ((x % L) + L) % L);
  return { numbers, positions: wrapped, cell: [[L, 0, 0], [0, L, 0], [0, 0, L]], pbc: true };
})();

// A generic cluster (random, atoms ≥ 0.9 Å apart) checks the brute force itself where nothing cancels.
const generic: Structure = (() => {
  const random = rng(7);
  const positions: number[] = [];
  while (positions.length < 3 * 14) {
    const p = [0, 1, 2].map(() => q(random() * 6));
    let ok = true;
    for (let a = 0; a < positions.length; a += 3) if (Math.hypot(p[0]! - positions[a]!, p[1]! - positions[a + 1]!, p[2]! - positions[a + 2]!) < 0.9) ok = false;
    if (ok) positions.push(...p);
  }
  return { numbers: positions.filter((_, k) => k % 3 === 0).map((_, a) => (a % 3 === 0 ? 8 : 1)), positions };
})();

const fc = (r: number): number => (r < rCut ? 0.5 * (Math.cos((Math.PI * r) / rCut) + 1) : 0);
const dfc = (r: number): number => (r < rCut ? (-0.5 * Math.PI * Math.sin((Math.PI * r) / rCut)) / rCut : 0);
const sub = (a: number[], b: number[]): number[] => [a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!];
const dot = (a: number[], b: number[]): number => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;

interface BruteForce {
  values: Float64Array; // [n, F]
  grad: Float64Array; // [n, n, 3, F], each centre moving with its atom (attach)
}

/** G4/G5 of every atom and their gradients, term by term, with 1 ± cos θ in the stable form. */
function bruteForce(acsf: ACSF, s: Structure): BruteForce {
  const pos = s.positions as number[];
  const n = pos.length / 3;
  const F = acsf.numFeatures;
  const L = s.cell ? (s.cell as number[][])[0]![0]! : 0;
  const shifts = s.cell ? [-1, 0, 1] : [0];
  const values = new Float64Array(n * F);
  const grad = new Float64Array(n * n * 3 * F);
  const sp = (a: number): number => (s.numbers![a] === 1 ? 0 : 1);
  for (let i = 0; i < n; i++) {
    const xi = pos.slice(3 * i, 3 * i + 3);
    const nb: { atom: number; d: number[] }[] = [];
    for (let a = 0; a < n; a++)
      for (const sx of shifts)
        for (const sy of shifts)
          for (const sz of shifts) {
            if (a === i && sx === 0 && sy === 0 && sz === 0) continue;
            const d = sub([pos[3 * a]! + sx * L, pos[3 * a + 1]! + sy * L, pos[3 * a + 2]! + sz * L], xi);
            if (Math.hypot(...d) < rCut) nb.push({ atom: a, d });
          }
    for (let j = 0; j < nb.length; j++)
      for (let k = j + 1; k < nb.length; k++) {
        const dj = nb[j]!.d, dk = nb[k]!.d;
        const rj = Math.hypot(...dj), rk = Math.hypot(...dk);
        const uj = dj.map((x) => x / rj), uk = dk.map((x) => x / rk);
        const plus = uj.map((x, c) => x + uk[c]!), minus = uj.map((x, c) => x - uk[c]!);
        const sPlus = dot(plus, plus) / 2, sMinus = dot(minus, minus) / 2; // 1 + cos θ, 1 − cos θ
        // ∂cos θ/∂d_j = (û_k − cos θ û_j)/r_j, written without cancellation for either sign of cos θ.
        const dcos = (u: number[], v: number[], r: number, sum: number[], diff: number[], sP: number, sM: number): number[] =>
          sP < sM ? sum.map((x, c) => (x - sP * u[c]!) / r) : diff.map((x, c) => (-x + sM * u[c]!) / r);
        const dcosJ = dcos(uj, uk, rj, plus, minus, sPlus, sMinus);
        const dcosK = dcos(uk, uj, rk, plus, minus.map((x) => -x), sPlus, sMinus);
        const djk = sub(dk, dj);
        const rjk = Math.hypot(...djk);
        const [p, qq] = [sp(nb[j]!.atom), sp(nb[k]!.atom)].sort((a, b) => a - b);
        const [start] = acsf.getLocation([species[p!]!, species[qq!]!]);
        const terms = [...g4Params.map((g) => [...g, 1]), ...g5Params.map((g) => [...g, 0])];
        terms.forEach(([eta, zeta, lambda, isG4], f) => {
          if (isG4 && rjk >= rCut) return;
          const P = ((1 + lambda!) / 2) * sPlus + ((1 - lambda!) / 2) * sMinus;
          const pref = 2 ** (1 - zeta!);
          const g = (r: number): number => Math.exp(-eta! * r * r) * fc(r);
          const dg = (r: number): number => Math.exp(-eta! * r * r) * (dfc(r) - 2 * eta! * r * fc(r));
          const h = isG4 ? g(rjk) : 1, dh = isG4 ? dg(rjk) : 0;
          const Pz = P ** zeta!, dPz = zeta! * P ** (zeta! - 1) * lambda!;
          const col = start + f;
          values[i * F + col]! += pref * Pz * g(rj) * g(rk) * h;
          // ∂T/∂d_j and ∂T/∂d_k, then onto atoms: j, k by those, the centre by minus their sum.
          const Gj = [0, 1, 2].map((c) => pref * (dPz * dcosJ[c]! * g(rj) * g(rk) * h + Pz * dg(rj) * uj[c]! * g(rk) * h - Pz * g(rj) * g(rk) * dh * djk[c]! / rjk));
          const Gk = [0, 1, 2].map((c) => pref * (dPz * dcosK[c]! * g(rj) * g(rk) * h + Pz * g(rj) * dg(rk) * uk[c]! * h + Pz * g(rj) * g(rk) * dh * djk[c]! / rjk));
          for (let c = 0; c < 3; c++) {
            grad[((i * n + nb[j]!.atom) * 3 + c) * F + col]! += Gj[c]!;
            grad[((i * n + nb[k]!.atom) * 3 + c) * F + col]! += Gk[c]!;
            grad[((i * n + i) * 3 + c) * F + col]! -= Gj[c]! + Gk[c]!;
          }
        });
      }
  }
  return { values, grad };
}

/** Angular feature columns. */
function angularColumns(acsf: ACSF): number[] {
  const cols: number[] = [];
  for (const pair of [['H', 'H'], ['H', 'O'], ['O', 'O']]) {
    const [a, b] = acsf.getLocation(pair);
    for (let f = a; f < b; f++) cols.push(f);
  }
  return cols;
}

/**
 * Worst relative error of got against ref, each (centre, feature) relative to its own size
 * (values) or to the largest gradient entry of that (centre, feature) (gradients); entries whose
 * reference is below 1e-290 must be below 1e-280 as well. Also returns the smallest feature seen.
 */
function worstRelative(ref: Float64Array, got: ArrayLike<number>, n: number, F: number, cols: number[], per: number): { worst: number; smallest: number } {
  let worst = 0;
  let smallest = Infinity;
  for (let c = 0; c < n; c++)
    for (const f of cols) {
      let scale = 0;
      for (let e = 0; e < per; e++) scale = Math.max(scale, Math.abs(ref[(c * per + e) * F + f]!));
      for (let e = 0; e < per; e++) {
        const k = (c * per + e) * F + f;
        if (scale < 1e-290) {
          expect(Math.abs(got[k]!)).toBeLessThan(1e-280);
          continue;
        }
        smallest = Math.min(smallest, scale);
        worst = Math.max(worst, Math.abs(got[k]! - ref[k]!) / scale);
      }
    }
  return { worst, smallest };
}

describe('G4/G5 keep their relative precision where 1 + λ cos θ ≈ 0', () => {
  for (const [name, s] of [['cluster', cluster], ['periodic', periodic], ['generic', generic]] as const) {
    const acsf = new ACSF({ species, rCut, g4Params, g5Params, periodic: name === 'periodic' });
    const n = s.positions.length / 3;
    const F = acsf.numFeatures;
    const cols = angularColumns(acsf);
    const ref = bruteForce(acsf, s);

    if (name !== 'generic') test(`${name}: the case is what it claims (tiny features dominated by near-collinear triplets)`, () => {
      // Some λ = +1 and λ = −1 features of each ζ are below (1e-5)^ζ: 1 ± cos θ ≲ 1e-5 dominates them.
      for (const lambda of [1, -1]) {
        for (const zeta of [1, 2, 3, 4]) {
          const f = g4Params.findIndex(([eta, z, l]) => eta === 0.01 && z === zeta && l === lambda);
          let min = Infinity;
          for (let c = 0; c < n; c++)
            for (const pair of [['H', 'H'], ['H', 'O']]) {
              const v = ref.values[c * F + acsf.getLocation(pair)[0] + f]!;
              if (v > 0) min = Math.min(min, v);
            }
          expect(min).toBeLessThan(1e-5 ** zeta);
        }
      }
    });

    test(`${name}: triangle path (all atoms) agrees with the stable brute force per feature`, () => {
      const got = acsf.create(s).values;
      const { worst } = worstRelative(ref.values, got, n, F, cols, 1);
      expect(worst).toBeLessThan(1e-12);
    });

    test(`${name}: per-centre path agrees with the stable brute force per feature`, () => {
      const got = acsf.create(s, { centers: [...Array(n).keys()] }).values;
      const { worst } = worstRelative(ref.values, got, n, F, cols, 1);
      expect(worst).toBeLessThan(1e-12);
    });

    test(`${name}: values and gradients of the derivative path agree per feature (dense and sparse)`, () => {
      const dense = acsf.derivatives(s, { attach: true });
      expect(worstRelative(ref.values, dense.values, n, F, cols, 1).worst).toBeLessThan(1e-12);
      const d = (dense.derivatives as DenseDerivatives).values;
      const { worst, smallest } = worstRelative(ref.grad, d, n, F, cols, 3 * n);
      // The chains' gradients include tiny ones (the λ = ±1, ζ = 4 features near 1e-24).
      if (name !== 'generic') expect(smallest).toBeLessThan(1e-20);
      expect(worst).toBeLessThan(1e-12);
      // The sparse layout, rebuilt into the dense one.
      const sparse = acsf.derivatives(s, { attach: true, layout: 'sparse' }).derivatives as SparseDerivatives;
      const rebuilt = new Float64Array(n * n * 3 * F);
      for (let c = 0; c < n; c++)
        for (let r = sparse.offsets[c]!; r < sparse.offsets[c + 1]!; r++) {
          rebuilt.set(sparse.values.subarray(r * 3 * F, (r + 1) * 3 * F), (c * n + sparse.atoms[r]!) * 3 * F);
        }
      expect(worstRelative(ref.grad, rebuilt, n, F, cols, 3 * n).worst).toBeLessThan(1e-12);
    });
  }
});
