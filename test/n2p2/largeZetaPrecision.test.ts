import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { init } from '../../src/index.js';
import { N2p2Potential } from '../../src/n2p2/potential.js';
import { SymmetryFunctions } from '../../src/n2p2/symmetryFunctions.js';
import type { SymmetryFunctionSpec } from '../../src/n2p2/symmetryFunctionSpec.js';
import type { DenseDerivatives } from '../../src/gradients/atomGradients.js';
import { rng } from '../helpers/geometry.js';

// The exp-type angular functions (types 3, 9, 13) for ζ from 1 to 999: every value (and every
// gradient entry) that is a normal double of at least 1e-300 must keep its relative precision,
// not only relative to the largest value. 2^(1−ζ) P^ζ R R R computed in that order goes through
// subnormals (2^(1−ζ) R R R < 2^−1022 while P^ζ ≈ 2^ζ), so values down to ~1e-7 lost digits or
// became 0 for ζ near 1000. The reference below is an independent triplet loop in plain doubles
// in the stable form 2 w ((1 + λ cos θ)/2)^ζ R R [R]: each factor after 2 w is ≤ 1, so no partial
// product is smaller than the result.
//
// Paths: create (f64x2 per-centre vector path; the scalar path for non-integer ζ), derivatives
// (the scalar path), backward (vector backward), and a linear one-node potential (E_i = G_i)
// whose compute takes the triangle path (type 3, ζ ≤ 8) or the per-centre passes (record and
// replay), and whose computePart takes the edge path (types 3 and 13, ζ ≤ 8).
//
// Agreement: |got − ref| ≤ 1e-12 max(|ref|, Σ|terms|). Values are sums of positive terms (so
// relative to the value itself); gradients are signed sums, each term counted at its size (the
// cos θ derivative (u_k − cos θ u_j)/r_ij at |u_k| + |cos θ u_j|). The moment expansions (edge and
// triangle paths) sum C(ζ, m) (λ cos θ)^m / 2^ζ, so there each triplet counts at
// ((1 + |λ cos θ|)/2)^ζ: near cancellation (1 + λ cos θ ≪ 1) is theirs by design, and unchanged.

const ZETAS = [1, 2, 16, 150, 400, 700, 999, 2.5, 650.5];
const ETAS = [0, 0.3, 3, 20];
const RC = 3.6;
/** Relative agreement required. */
const TOL = 1e-12;
/** Results whose reference (or, for sums of signed terms, whose Σ|term|) is below this are not held to relative precision. */
const FLOOR = 1e-300;

interface Structure3 { symbols: string[]; positions: number[]; cell?: number[][]; pbc?: boolean }

/** Atoms at random at least 0.95 apart (images included) in a box of side L; a cluster, or periodic with `cell`. */
function randomStructure(seed: number, n: number, L: number, cell?: number[][]): Structure3 {
  const r = rng(seed);
  const symbols: string[] = [];
  const positions: number[] = [];
  const images = cell ? imageShifts(cell, 1) : [[0, 0, 0]];
  while (symbols.length < n) {
    const p = cell
      ? [0, 1, 2].map((x) => { const f = [r(), r(), r()]; return f[0]! * cell[0]![x]! + f[1]! * cell[1]![x]! + f[2]! * cell[2]![x]!; })
      : [r() * L, r() * L, r() * L];
    let ok = true;
    for (let q = 0; q < symbols.length && ok; q++) {
      for (const T of images) {
        const d = Math.hypot(p[0]! + T[0]! - positions[3 * q]!, p[1]! + T[1]! - positions[3 * q + 1]!, p[2]! + T[2]! - positions[3 * q + 2]!);
        // At least 0.95 apart, and no distance within 1e-4 of r_c (the hard cutoff's step).
        if (d < 0.95 || Math.abs(d - RC) < 1e-4) ok = false;
      }
    }
    if (!ok) continue;
    symbols.push(symbols.length % 3 === 0 ? 'O' : 'H');
    positions.push(...p);
  }
  return cell ? { symbols, positions, cell, pbc: true } : { symbols, positions };
}

/** Lattice translations with integer coefficients in [−m, m]. */
function imageShifts(cell: number[][], m: number): number[][] {
  const out: number[][] = [];
  for (let a = -m; a <= m; a++) {
    for (let b = -m; b <= m; b++) {
      for (let c = -m; c <= m; c++) out.push([0, 1, 2].map((x) => a * cell[0]![x]! + b * cell[1]![x]! + c * cell[2]![x]!));
    }
  }
  return out;
}

const Z: Record<string, number> = { H: 1, O: 8 };

/**
 * Reference values G[c][f] and, with attached centres, dense gradients ∂G_cf/∂r_a at
 * ((c n + a) 3 + x) F + f, each with the sum of the magnitudes of its terms (`gradMag`).
 * Hard cutoff (f_c = 1 inside r_c): R(r) = exp(−η (r − r_s)²).
 */
function reference(sf: SymmetryFunctions, s: Structure3) {
  const n = s.symbols.length, F = sf.numFeatures;
  const values = new Float64Array(n * F);
  const grad = new Float64Array(n * n * 3 * F), gradMag = new Float64Array(n * n * 3 * F);
  // The same magnitudes for the moment expansions (edge and triangle paths, integer ζ ≤ 8), which
  // sum Σ_m C(ζ, m) (λ cos θ)^m / 2^ζ term by term: each triplet at its size ((1 + |λ cos θ|)/2)^ζ.
  const momentMag = new Float64Array(n * F), momentGradMag = new Float64Array(n * n * 3 * F);
  // ∂L/∂ε per column: Σ_e d_e ⊗ ∂G/∂d_e summed over centres (9 per column), and its magnitudes.
  const strain = new Float64Array(9 * F), strainMag = new Float64Array(9 * F);
  const shifts = s.cell ? imageShifts(s.cell, 1) : [[0, 0, 0]];
  // v added at `at`, and to the magnitude max(|v|, size) (size: the sum of its own terms' sizes).
  const add = (arr: Float64Array, mag: Float64Array, at: number, v: number, size = 0): void => {
    arr[at]! += v;
    mag[at]! += Math.max(Math.abs(v), size);
  };
  for (let i = 0; i < n; i++) {
    const el = s.symbols[i]!;
    const [col0] = sf.getLocation(el);
    const specs = sf.functions[sf.elements.indexOf(el)]!;
    // Neighbour entries: atom, displacement, distance.
    const nb: { a: number; d: number[]; r: number }[] = [];
    for (let a = 0; a < n; a++) {
      for (const T of shifts) {
        const d = [0, 1, 2].map((x) => s.positions[3 * a + x]! + T[x]! - s.positions[3 * i + x]!);
        const r = Math.hypot(...d);
        if (r > 0 && r < RC) nb.push({ a, d, r });
      }
    }
    specs.forEach((f: SymmetryFunctionSpec, position: number) => {
      const col = col0 + position;
      const eta = f.eta!, rs = f.rs ?? 0, lambda = f.lambda!, zeta = f.zeta!;
      const narrow = f.type === 3 || f.type === 13;
      const R = (r: number): number => Math.exp(-eta * (r - rs) * (r - rs));
      const dlnR = (r: number): number => -2 * eta * (r - rs);
      for (let p = 0; p < nb.length; p++) {
        for (let q = p + 1; q < nb.length; q++) {
          const j = nb[p]!, k = nb[q]!;
          let w = 1;
          if (f.type === 13) w = Z[s.symbols[j.a]!]! * Z[s.symbols[k.a]!]!;
          else {
            const [e1, e2] = f.neighbors!;
            const ej = s.symbols[j.a]!, ek = s.symbols[k.a]!;
            if (!((ej === e1 && ek === e2) || (ej === e2 && ek === e1))) continue;
          }
          const c = [0, 1, 2].map((x) => k.d[x]! - j.d[x]!);
          const rjk = Math.hypot(...c);
          if (narrow && !(rjk < RC)) continue;
          const cos = (j.d[0]! * k.d[0]! + j.d[1]! * k.d[1]! + j.d[2]! * k.d[2]!) / (j.r * k.r);
          const h = (1 + lambda * cos) / 2;
          if (!(h > 0)) continue;
          // 2 w h^ζ R_ij R_ik [R_jk]: every factor after 2 w is ≤ 1.
          const radial = R(j.r) * R(k.r) * (narrow ? R(rjk) : 1);
          const t = 2 * w * Math.pow(h, zeta) * radial;
          values[i * F + col]! += t;
          // The expansion's terms are larger by (h̄/h)^ζ, h̄ = (1 + |λ cos θ|)/2.
          const hBar = (1 + Math.abs(lambda * cos)) / 2;
          momentMag[i * F + col]! += 2 * w * Math.pow(hBar, zeta) * radial;
          const grow = Math.pow(hBar / h, zeta), growCos = Math.pow(hBar / h, zeta - 1);
          // ∂t/∂r_ij, ∂t/∂r_ik, ∂t/∂r_jk and ∂t/∂cos θ (ζ (λ/2) h^(ζ−1) for h^ζ).
          const tij = t * dlnR(j.r), tik = t * dlnR(k.r), tjk = narrow ? t * dlnR(rjk) : 0;
          const tcos = 2 * w * zeta * (lambda / 2) * Math.pow(h, zeta - 1) * radial;
          const uj = j.d.map((v) => v / j.r), uk = k.d.map((v) => v / k.r);
          // ∂/∂d_j and ∂/∂d_k, each term with its magnitude: ∂cos θ/∂d_j = (u_k − cos θ u_j)/r_ij
          // is a difference (small near θ = 0 or π), so its terms' sizes count, |u_k| + |cos θ u_j|.
          const gj = [0, 1, 2].map((x) => [
            [tij * uj[x]!, 0], [-tjk * c[x]! / rjk, 0],
            [tcos * (uk[x]! - cos * uj[x]!) / j.r, Math.abs(tcos) * (Math.abs(uk[x]!) + Math.abs(cos * uj[x]!)) / j.r],
          ]);
          const gk = [0, 1, 2].map((x) => [
            [tik * uk[x]!, 0], [tjk * c[x]! / rjk, 0],
            [tcos * (uj[x]! - cos * uk[x]!) / k.r, Math.abs(tcos) * (Math.abs(uj[x]!) + Math.abs(cos * uk[x]!)) / k.r],
          ]);
          for (let x = 0; x < 3; x++) {
            for (const [entry, g] of [[j, gj[x]!], [k, gk[x]!]] as const) {
              for (const [v, size] of g) {
                add(grad, gradMag, ((i * n + entry.a) * 3 + x) * F + col, v!, size!);
                add(grad, gradMag, ((i * n + i) * 3 + x) * F + col, -v!, size!);
                const big = (size === 0 ? grow : growCos) * Math.max(Math.abs(v!), size!);
                momentGradMag[((i * n + entry.a) * 3 + x) * F + col]! += big;
                momentGradMag[((i * n + i) * 3 + x) * F + col]! += big;
                for (let y = 0; y < 3; y++) add(strain, strainMag, (3 * y + x) * F + col, entry.d[y]! * v!, Math.abs(entry.d[y]!) * size!);
              }
            }
          }
        }
      }
    });
  }
  return { values, grad, gradMag, strain, strainMag, momentMag, momentGradMag };
}

/**
 * Adds to `failures` the entries with |got − ref| > TOL · max(|ref|, mag) among those whose
 * max(|ref|, mag) is ≥ FLOOR (below: |got − ref| ≤ FLOOR), and any non-finite one; returns how
 * many checked entries are below 1e-15.
 */
function check(label: string, got: ArrayLike<number>, ref: ArrayLike<number>, mag: ArrayLike<number>, failures: string[]): number {
  let tiny = 0;
  for (let i = 0; i < ref.length; i++) {
    const m = Math.max(Math.abs(ref[i]!), mag[i]!);
    const err = Math.abs(got[i]! - ref[i]!);
    if (!(Number.isFinite(got[i]!))) {
      failures.push(`${label}[${i}]: ${got[i]} (reference ${ref[i]})`);
      continue;
    }
    if (m < FLOOR) {
      if (err > FLOOR) failures.push(`${label}[${i}]: ${got[i]} against ${ref[i]} (below the floor)`);
      continue;
    }
    if (m < 1e-15) tiny++;
    if (err > TOL * m && failures.length < 12) failures.push(`${label}[${i}]: ${got[i]} against ${ref[i]} (relative ${(err / m).toExponential(2)})`);
  }
  return tiny;
}

const cluster = randomStructure(11, 12, 3.4);
const cell = [[11.6, 0, 0], [1.3, 11.5, 0], [-0.8, 0.9, 11.4]];
const periodic = randomStructure(29, 90, 0, cell);
const STRUCTURES: [string, Structure3][] = [['cluster', cluster], ['periodic cell', periodic]];

/** Functions of every type, both λ, four η, for O and H centres. */
function functions(zeta: number): object[] {
  const out: object[] = [];
  for (const lambda of [1, -1]) {
    for (const eta of ETAS) {
      const common = { eta, lambda, zeta, rc: RC };
      out.push(
        { element: 'O', type: 3, neighbors: ['H', 'H'], ...common },
        { element: 'O', type: 3, neighbors: ['H', 'O'], ...common, rs: 0.4 },
        { element: 'O', type: 9, neighbors: ['H', 'O'], ...common },
        { element: 'O', type: 13, rs: 0, ...common },
        { element: 'H', type: 3, neighbors: ['O', 'H'], ...common },
        { element: 'H', type: 9, neighbors: ['H', 'H'], ...common, rs: 0.2 },
        { element: 'H', type: 13, rs: 0.1, ...common },
      );
    }
  }
  return out;
}

beforeAll(async () => {
  await init();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('exp-type angular functions keep relative precision for large ζ (descriptor paths)', () => {
  for (const zeta of ZETAS) {
    for (const [name, s] of STRUCTURES) {
      test(`ζ = ${zeta}, ${name}: create, derivatives and backward against the stable-form triplet sums`, () => {
        const sf = new SymmetryFunctions({ elements: ['H', 'O'], functions: functions(zeta) as never, cutoffType: 0 });
        const n = s.symbols.length, F = sf.numFeatures;
        const ref = reference(sf, s);
        const failures: string[] = [];
        let tiny = check('create', sf.create(s).values, ref.values, ref.values, failures);
        const d = sf.derivatives(s, { attach: true });
        tiny += check('derivatives.values', d.values, ref.values, ref.values, failures);
        check('derivatives', (d.derivatives as DenseDerivatives).values, ref.grad, ref.gradMag, failures);
        // backward, one column at a time (∂L/∂G_cf = 1 for every centre c), so that each
        // function's gradients are checked at their own magnitude.
        for (let f = 0; f < F; f++) {
          const w = new Float64Array(n * F);
          for (let c = 0; c < n; c++) w[c * F + f] = 1;
          const b = sf.backward(s, w);
          const gRef = new Float64Array(3 * n), gMag = new Float64Array(3 * n);
          for (let c = 0; c < n; c++) {
            for (let a = 0; a < 3 * n; a++) {
              gRef[a]! += ref.grad[(c * 3 * n + a) * F + f]!;
              gMag[a]! += ref.gradMag[(c * 3 * n + a) * F + f]!;
            }
          }
          check(`backward column ${f} positions`, b.positions, gRef, gMag, failures);
          const sRef = Array.from({ length: 9 }, (_, k) => ref.strain[k * F + f]!);
          const sMag = Array.from({ length: 9 }, (_, k) => ref.strainMag[k * F + f]!);
          check(`backward column ${f} strain`, b.strain, sRef, sMag, failures);
        }
        expect(failures).toEqual([]);
        // The structures reach the small values that went through subnormals.
        if (zeta >= 400) expect(tiny).toBeGreaterThan(0);
      });
    }
  }
});

/** A potential with one function per element and a linear one-node network: E_i = G_i (no scaling, weights 1, biases 0). */
function linearPotential(line: (centre: string) => string): N2p2Potential {
  const inputNn = [
    'number_of_elements 2', 'elements H O', 'cutoff_type 0',
    'global_hidden_layers_short 1', 'global_nodes_short 1', 'global_activation_short l l',
    `symfunction_short ${line('H')}`, `symfunction_short ${line('O')}`,
  ].join('\n');
  const weights = '1\n0\n1\n0\n';
  return new N2p2Potential({ 'input.nn': inputNn, 'weights.001.data': weights, 'weights.008.data': weights });
}

describe('exp-type angular functions keep relative precision for large ζ (potential passes)', () => {
  const lines: Record<3 | 9 | 13, (eta: number, lambda: number, zeta: number) => (centre: string) => string> = {
    3: (eta, lambda, zeta) => (centre) => `${centre} 3 ${centre === 'O' ? 'H H' : 'O H'} ${eta} ${lambda} ${zeta} ${RC}`,
    9: (eta, lambda, zeta) => (centre) => `${centre} 9 ${centre === 'O' ? 'H O' : 'H H'} ${eta} ${lambda} ${zeta} ${RC}`,
    13: (eta, lambda, zeta) => (centre) => `${centre} 13 ${eta} 0 ${lambda} ${zeta} ${RC}`,
  };
  for (const zeta of ZETAS) {
    for (const [name, s] of STRUCTURES) {
      test(`ζ = ${zeta}, ${name}: energies and forces of compute and computePart (2 parts) for types 3, 9, 13, both λ, η 3 and 20`, () => {
        const n = s.symbols.length;
        const failures: string[] = [];
        let tiny = 0;
        const paths = new Set<string>();
        for (const type of [3, 9, 13] as const) {
          for (const [lambda, eta] of [[1, 3], [-1, 3], [1, 20], [-1, 20]] as const) {
            const potential = linearPotential(lines[type](eta, lambda, zeta));
            const sf = potential.descriptor;
            const ref = reference(sf, s);
            const F = sf.numFeatures;
            // E_i = G_i (its element's one column); F_a = −Σ_i ∂G_i/∂r_a. Integer ζ ≤ 8 (types
            // 3, 13) may take the moment expansions, held to the size of their terms.
            const moments = type !== 9 && Number.isInteger(zeta) && zeta <= 8;
            const energy = new Float64Array(n), eMag = new Float64Array(n), forces = new Float64Array(3 * n), fMag = new Float64Array(3 * n);
            for (let i = 0; i < n; i++) {
              const col = sf.getLocation(s.symbols[i]!)[0];
              energy[i] = ref.values[i * F + col]!;
              eMag[i] = moments ? ref.momentMag[i * F + col]! : energy[i]!;
              for (let a = 0; a < 3 * n; a++) {
                forces[a]! -= ref.grad[(i * 3 * n + a) * F + col]!;
                fMag[a]! += (moments ? ref.momentGradMag : ref.gradMag)[(i * 3 * n + a) * F + col]!;
              }
            }
            const label = `type ${type} λ ${lambda} η ${eta}`;
            const triangles = vi.spyOn(sf, 'trianglePasses'), edges = vi.spyOn(sf, 'prepareEdges');
            const whole = potential.compute(s);
            if (triangles.mock.results.some((r) => r.value === true)) paths.add(`triangles (type ${type})`);
            edges.mockClear();
            tiny += check(`${label} compute energies`, whole.atomicEnergies, energy, eMag, failures);
            check(`${label} compute forces`, whole.forces, forces, fMag, failures);
            const parts = [potential.computePart(s, 0, 2), potential.computePart(s, 1, 2)];
            if (edges.mock.results.some((r) => r.value !== null)) paths.add(`edges (type ${type})`);
            const partEnergy = new Float64Array(n), partForces = new Float64Array(3 * n);
            for (const part of parts) {
              part.atoms.forEach((atom, k) => { partEnergy[atom] = part.atomicEnergies[k]!; });
              part.forces.forEach((v, k) => { partForces[k]! += v; });
            }
            check(`${label} computePart energies`, partEnergy, energy, eMag, failures);
            check(`${label} computePart forces`, partForces, forces, fMag, failures);
          }
        }
        expect(failures).toEqual([]);
        if (zeta >= 400) expect(tiny).toBeGreaterThan(0);
        // The moment paths where they apply (integer ζ ≤ 8), else the per-centre passes.
        const small = Number.isInteger(zeta) && zeta <= 8;
        expect([...paths].sort()).toEqual(small ? ['edges (type 13)', 'edges (type 3)', 'triangles (type 3)'] : []);
      });
    }
  }
});
