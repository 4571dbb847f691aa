import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/index.js';
import type { Runtime } from '../../src/wasm/loader.js';
import { gaussLegendre } from '../../src/soap/radial/gaussLegendre.js';
import {
  legendre,
  lmIndex,
  realSphericalHarmonicsReference,
  realSphericalHarmonicsReferenceBatch,
  sphericalHarmonicsCount,
} from '../../src/soap/sphericalHarmonics.js';
import { rng } from '../helpers/geometry.js';
import { maxAbs, maxAbsDiff } from '../helpers/shared.js';

const L_MAX = 20;
let rt: Runtime;

beforeAll(async () => {
  rt = await init();
});

/** Y_lm of the directions of xyz (f64[3n]) from the wasm kernel, f64[n][(lMax+1)²]. */
function wasmValues(lMax: number, xyz: ArrayLike<number>): Float64Array {
  const n = xyz.length / 3;
  const nLM = sphericalHarmonicsCount(lMax);
  const mark = rt.arena.mark();
  const pXyz = rt.arena.allocF64(3 * n);
  const pOut = rt.arena.allocF64(n * nLM);
  rt.arena.f64(pXyz, 3 * n).set(xyz);
  rt.kernels.realSphericalHarmonics(n, pXyz, lMax, pOut);
  const out = rt.arena.f64(pOut, n * nLM).slice();
  rt.arena.release(mark);
  return out;
}

/** Values and gradients from the wasm kernel: out f64[n][(lMax+1)²], grad f64[n][3][(lMax+1)²]. */
function wasmGradients(lMax: number, xyz: ArrayLike<number>): { values: Float64Array; grad: Float64Array } {
  const n = xyz.length / 3;
  const nLM = sphericalHarmonicsCount(lMax);
  const mark = rt.arena.mark();
  const pXyz = rt.arena.allocF64(3 * n);
  const pOut = rt.arena.allocF64(n * nLM);
  const pGrad = rt.arena.allocF64(3 * n * nLM);
  rt.arena.f64(pXyz, 3 * n).set(xyz);
  rt.kernels.realSphericalHarmonicsWithGradients(n, pXyz, lMax, pOut, pGrad);
  const values = rt.arena.f64(pOut, n * nLM).slice();
  const grad = rt.arena.f64(pGrad, 3 * n * nLM).slice();
  rt.arena.release(mark);
  return { values, grad };
}

/** Uniformly distributed random unit vectors (z = 2u − 1, φ = 2πv), flat f64[3n]. */
function randomDirections(n: number, seed: number): number[] {
  const random = rng(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = 2 * random() - 1;
    const phi = 2 * Math.PI * random();
    const s = Math.sqrt(1 - z * z);
    out.push(s * Math.cos(phi), s * Math.sin(phi), z);
  }
  return out;
}

// ±z, the axes, directions in the xy-plane and directions just off the poles.
const SPECIAL = [
  [0, 0, 1], [0, 0, -1], [1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0],
  [Math.cos(0.3), Math.sin(0.3), 0], [Math.cos(2.5), -Math.sin(2.5), 0], [Math.SQRT1_2, Math.SQRT1_2, 0],
  [1e-9, -2e-9, 1], [3e-8, 1e-8, -1], [0.6, 0, 0.8], [0, -0.6, -0.8],
].flat();

describe('real spherical harmonics: wasm kernel against the TypeScript reference', () => {
  const directions = [...SPECIAL, ...randomDirections(200, 11)];
  for (let lMax = 0; lMax <= L_MAX; lMax++) {
    test(`lMax = ${lMax}`, () => {
      const fast = wasmValues(lMax, directions);
      const slow = realSphericalHarmonicsReferenceBatch(lMax, directions);
      expect(fast.length).toBe(slow.length);
      expect(maxAbsDiff(fast, slow)).toBeLessThan(1e-13);
    });
  }

  test('vectors need not be unit: only the direction matters', () => {
    const random = rng(5);
    const unit = randomDirections(50, 6);
    const scaled = unit.slice();
    // One random factor per vector, applied to its three components.
    for (let i = 0; i < 50; i++) {
      const f = 0.3 + 4 * random();
      for (let c = 0; c < 3; c++) scaled[3 * i + c] = unit[3 * i + c]! * f;
    }
    expect(maxAbsDiff(wasmValues(L_MAX, scaled), wasmValues(L_MAX, unit))).toBeLessThan(1e-13);
  });

  test('known low-order values', () => {
    const [x, y, z] = [0.48, -0.6, 0.64];
    const y1 = realSphericalHarmonicsReference(2, x, y, z);
    const w = wasmValues(2, [x, y, z]);
    const c1 = Math.sqrt(3 / (4 * Math.PI));
    const c2 = Math.sqrt(15 / (4 * Math.PI));
    // Y_00, (Y_1−1, Y_10, Y_11) = c1 (y, z, x), Y_2−2 = c2 x y, Y_20 = √(5/16π)(3z² − 1), Y_22 = c2/2 (x² − y²).
    const expected = [
      1 / Math.sqrt(4 * Math.PI), c1 * y, c1 * z, c1 * x,
      c2 * x * y, c2 * y * z, Math.sqrt(5 / (16 * Math.PI)) * (3 * z * z - 1), c2 * x * z, (c2 / 2) * (x * x - y * y),
    ];
    expect(maxAbsDiff(y1, expected)).toBeLessThan(1e-15);
    expect(maxAbsDiff(w, expected)).toBeLessThan(1e-15);
  });

  test('lMax outside 0..20 writes nothing', () => {
    const mark = rt.arena.mark();
    const pXyz = rt.arena.allocF64(3);
    const pOut = rt.arena.allocF64(22 * 22);
    rt.arena.f64(pXyz, 3).set([0, 0, 1]);
    rt.arena.f64(pOut, 22 * 22).fill(7);
    rt.kernels.realSphericalHarmonics(1, pXyz, 21, pOut);
    rt.kernels.realSphericalHarmonics(1, pXyz, -1, pOut);
    expect(rt.arena.f64(pOut, 22 * 22).every((v) => v === 7)).toBe(true);
    rt.arena.release(mark);
  });
});

// The batch kernels evaluate vectors 2k and 2k + 1 together in the two f64x2 lanes
// (shValuesPairAt, shValuesAndGradientsPairAt) and a last odd vector with the scalar functions, so
// a batch of one vector is the scalar path.
describe('batch kernels: vector pairs (f64x2 lanes) against the scalar path and the reference', () => {
  /** The kernel called once per vector (n = 1: scalar path), rows concatenated. */
  function oneByOne(lMax: number, xyz: number[]): { values: Float64Array; grad: Float64Array } {
    const nLM = sphericalHarmonicsCount(lMax);
    const n = xyz.length / 3;
    const values = new Float64Array(n * nLM);
    const grad = new Float64Array(3 * n * nLM);
    const valuesOnly = new Float64Array(n * nLM);
    for (let i = 0; i < n; i++) {
      const v = xyz.slice(3 * i, 3 * i + 3);
      const g = wasmGradients(lMax, v);
      values.set(g.values, i * nLM);
      grad.set(g.grad, 3 * i * nLM);
      valuesOnly.set(wasmValues(lMax, v), i * nLM);
    }
    // The scalar values-only and values-with-gradients paths agree exactly.
    expect(maxAbsDiff(values, valuesOnly)).toBe(0);
    return { values, grad };
  }

  /** Number of elements whose bit patterns differ (0 when bit-identical, signed zeros included). */
  function differingBits(a: Float64Array, b: Float64Array): number {
    expect(a.length).toBe(b.length);
    const ua = new BigUint64Array(a.buffer, a.byteOffset, a.length);
    const ub = new BigUint64Array(b.buffer, b.byteOffset, b.length);
    let count = 0;
    for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) count++;
    return count;
  }

  // Vectors of length 0.3..2.75: the special directions, ±z, zero vectors, then random directions
  // (13 + 8 + 50 = 71). The even case drops the first vector, which moves every vector into the
  // other lane; the zero vectors sit beside each other and beside nonzero vectors.
  const vectors = [
    ...SPECIAL.map((c, k) => c * (0.3 + 0.2 * Math.floor(k / 3))),
    0, 0, 2.5, 0, 0, -0.4, // vectors 13, 14: ±z
    0, 0, 0, 0, 0, 0, 0, 0, 0, // 15–17: zero vectors
    0.3, -0.2, 0.9, -0.7, 0.1, 0.2, // 18, 19
    0, 0, 0, // 20: zero vector
    ...randomDirections(50, 42).map((c, k) => c * (0.3 + 0.05 * Math.floor(k / 3))),
  ];
  const odd = vectors; // 71 vectors: 35 pairs and one scalar
  const even = vectors.slice(3); // 70 vectors: 35 pairs
  const cases = [
    ['odd n = 71', odd],
    ['even n = 70', even],
    ['n = 2 (+z, −z)', vectors.slice(0, 6)],
    ['n = 3 (+z, −z; 0)', vectors.slice(13 * 3, 16 * 3)],
  ] as const;

  for (let lMax = 0; lMax <= L_MAX; lMax++) {
    test(`lMax = ${lMax}: values and gradients, odd and even n`, () => {
      for (const [label, xyz] of cases) {
        const batch = wasmGradients(lMax, xyz);
        const values = wasmValues(lMax, xyz);
        const scalar = oneByOne(lMax, [...xyz]);
        // Reference (θ, φ from atan2, Legendre by the textbook recurrence; the zero vector gives
        // Y(+z) there too): the tolerance of the wasm-vs-reference test above.
        const reference = realSphericalHarmonicsReferenceBatch(lMax, xyz);
        expect(maxAbsDiff(values, reference), label).toBeLessThan(1e-13);
        expect(maxAbsDiff(batch.values, reference), label).toBeLessThan(1e-13);
        if (rt.variant === 'simd') {
          // Same operations in the same order in each lane, no fused multiply-add: bit-identical.
          expect(differingBits(values, scalar.values), label).toBe(0);
          expect(differingBits(batch.values, scalar.values), label).toBe(0);
          expect(differingBits(batch.grad, scalar.grad), label).toBe(0);
        } else {
          // Fused multiply-add in the pair versions only: rounding-level differences.
          expect(maxAbsDiff(values, scalar.values), label).toBeLessThan(1e-13);
          expect(maxAbsDiff(batch.grad, scalar.grad), label).toBeLessThan(1e-13 * Math.max(1, maxAbs(scalar.grad)));
        }
      }
    });
  }

  test('zero vectors give Y(+z) and a zero gradient in either lane', () => {
    const lMax = 6;
    const nLM = sphericalHarmonicsCount(lMax);
    const yz = realSphericalHarmonicsReference(lMax, 0, 0, 1);
    const xyz = [0, 0, 0, 0.3, -0.2, 0.9, -0.7, 0.1, 0.2, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const { values, grad } = wasmGradients(lMax, xyz);
    for (const i of [0, 3, 4, 5]) {
      expect(maxAbsDiff(values.subarray(i * nLM, (i + 1) * nLM), yz)).toBeLessThan(1e-15);
      expect(grad.subarray(3 * i * nLM, 3 * (i + 1) * nLM).every((g) => g === 0)).toBe(true);
    }
  });

  // Node 20 runs the relaxed-SIMD build (fused multiply-add in the pair versions) only with a V8
  // flag: check it in a child process against its own scalar path and the reference.
  test('relaxed-SIMD build: pairs agree with the scalar path to rounding', () => {
    const lib = fileURLToPath(new URL('../../dist/index.node.js', import.meta.url));
    const script = `
      const { init } = await import(${JSON.stringify(lib)});
      const rt = await init({ simd: 'relaxed' });
      const xyz = ${JSON.stringify(odd)};
      const n = xyz.length / 3;
      function run(lMax, v) {
        const m = (lMax + 1) ** 2, k = v.length / 3, mark = rt.arena.mark();
        const p = rt.arena.allocF64(3 * k), o = rt.arena.allocF64(k * m), g = rt.arena.allocF64(3 * k * m);
        rt.arena.f64(p, 3 * k).set(v);
        rt.kernels.realSphericalHarmonicsWithGradients(k, p, lMax, o, g);
        const r = [rt.arena.f64(o, k * m).slice(), rt.arena.f64(g, 3 * k * m).slice()];
        rt.arena.release(mark);
        return r;
      }
      let values = 0, grad = 0;
      for (let lMax = 0; lMax <= 20; lMax++) {
        const [bv, bg] = run(lMax, xyz);
        let scale = 0;
        for (const x of bg) scale = Math.max(scale, Math.abs(x));
        scale = scale || 1; // lMax = 0: all gradients are zero
        for (let i = 0; i < n; i++) {
          const [sv, sg] = run(lMax, xyz.slice(3 * i, 3 * i + 3));
          const m = (lMax + 1) ** 2;
          sv.forEach((x, k) => (values = Math.max(values, Math.abs(x - bv[i * m + k]))));
          sg.forEach((x, k) => (grad = Math.max(grad, Math.abs(x - bg[3 * i * m + k]) / scale)));
        }
      }
      console.log(JSON.stringify({ variant: rt.variant, values, grad }));
    `;
    const out = execFileSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--input-type=module', '-e', script], { encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').pop()!) as { variant: string; values: number; grad: number };
    expect(result.variant).toBe('relaxed');
    expect(result.values).toBeLessThan(1e-13);
    expect(result.grad).toBeLessThan(1e-13);
  });
});

describe('orthonormality and the addition theorem', () => {
  /**
   * Gram matrix Σ_q w_q Y_i(q) Y_j(q) over a product rule: nT-point Gauss–Legendre in cos θ times
   * nPhi equally spaced φ (weight 2π/nPhi), exact for l, l' ≤ lMax when nT > lMax and nPhi > 2 lMax.
   */
  function gramDeviation(lMax: number, values: (xyz: number[]) => Float64Array): number {
    const nT = lMax + 4;
    const nPhi = 2 * lMax + 3;
    const rule = gaussLegendre(nT);
    const xyz: number[] = [];
    const weight: number[] = [];
    for (let i = 0; i < nT; i++) {
      const t = rule.nodes[i]!;
      const s = Math.sqrt(1 - t * t);
      for (let k = 0; k < nPhi; k++) {
        const phi = (2 * Math.PI * (k + 0.37)) / nPhi;
        xyz.push(s * Math.cos(phi), s * Math.sin(phi), t);
        weight.push((rule.weights[i]! * 2 * Math.PI) / nPhi);
      }
    }
    const y = values(xyz);
    const nLM = sphericalHarmonicsCount(lMax);
    let worst = 0;
    for (let a = 0; a < nLM; a++) {
      for (let b = a; b < nLM; b++) {
        let sum = 0;
        for (let q = 0; q < weight.length; q++) sum += weight[q]! * y[q * nLM + a]! * y[q * nLM + b]!;
        worst = Math.max(worst, Math.abs(sum - (a === b ? 1 : 0)));
      }
    }
    return worst;
  }

  for (let lMax = 0; lMax <= 8; lMax++) {
    test(`∫ Y_lm Y_l'm' dΩ = δ δ for l, l' ≤ ${lMax} (wasm kernel and reference)`, () => {
      expect(gramDeviation(lMax, (xyz) => wasmValues(lMax, xyz))).toBeLessThan(1e-12);
      expect(gramDeviation(lMax, (xyz) => realSphericalHarmonicsReferenceBatch(lMax, xyz))).toBeLessThan(1e-12);
    });
  }

  test('Σ_m Y_lm(a) Y_lm(b) = (2l+1)/(4π) P_l(a·b), l ≤ 20', () => {
    const a = [...SPECIAL, ...randomDirections(100, 21)];
    const b = [...randomDirections(SPECIAL.length / 3, 22), ...randomDirections(100, 23)];
    // a against itself too: Σ_m Y_lm(a)² = (2l+1)/(4π).
    for (const [u, v] of [[a, b], [a, a]] as const) {
      const ya = wasmValues(L_MAX, u);
      const yb = wasmValues(L_MAX, v);
      const nLM = sphericalHarmonicsCount(L_MAX);
      let worst = 0;
      for (let i = 0; i < u.length / 3; i++) {
        const dot = u[3 * i]! * v[3 * i]! + u[3 * i + 1]! * v[3 * i + 1]! + u[3 * i + 2]! * v[3 * i + 2]!;
        for (let l = 0; l <= L_MAX; l++) {
          let sum = 0;
          for (let m = -l; m <= l; m++) sum += ya[i * nLM + lmIndex(l, m)]! * yb[i * nLM + lmIndex(l, m)]!;
          worst = Math.max(worst, Math.abs(sum - ((2 * l + 1) / (4 * Math.PI)) * legendre(l, Math.min(1, Math.max(-1, dot)))));
        }
      }
      expect(worst).toBeLessThan(1e-12);
    }
  });
});

describe('gradients ∂Y_lm(r̂)/∂r', () => {
  const random = rng(31);
  const lengths = Array.from({ length: 20 }, () => 0.5 + 2.5 * random());
  // Random vectors of length 0.5..3, plus vectors along ±z, in the xy-plane and near a pole.
  const vectors = [
    ...randomDirections(20, 32).map((v, k) => v * lengths[Math.floor(k / 3)]!),
    0, 0, 1.3, 0, 0, -0.7, 2, 0, 0, 0.6, -0.8, 0, 1e-7, 0, 2, -0.3, 0.4, 1.2,
  ];
  const n = vectors.length / 3;
  const nLM = sphericalHarmonicsCount(L_MAX);

  test('values equal those of the values-only kernel', () => {
    const { values } = wasmGradients(L_MAX, vectors);
    expect(maxAbsDiff(values, wasmValues(L_MAX, vectors))).toBe(0);
  });

  for (const lMax of [0, 1, 2, 5, 12, 20]) {
    test(`fourth-order central differences, lMax = ${lMax}`, () => {
      const count = sphericalHarmonicsCount(lMax);
      const { grad } = wasmGradients(lMax, vectors);
      const h = 1e-4;
      let worst = 0;
      for (let c = 0; c < 3; c++) {
        const shifted = (d: number): Float64Array => wasmValues(lMax, vectors.map((v, k) => (k % 3 === c ? v + d : v)));
        const p1 = shifted(h), m1 = shifted(-h), p2 = shifted(2 * h), m2 = shifted(-2 * h);
        for (let i = 0; i < n; i++) {
          for (let k = 0; k < count; k++) {
            const j = i * count + k;
            // f' ≈ (8 (f(h) − f(−h)) − (f(2h) − f(−2h))) / (12 h)
            const fd = (8 * (p1[j]! - m1[j]!) - (p2[j]! - m2[j]!)) / (12 * h);
            worst = Math.max(worst, Math.abs(fd - grad[(3 * i + c) * count + k]!));
          }
        }
      }
      expect(worst).toBeLessThan(1e-8);
    });
  }

  test('gradient of the addition theorem: Σ_m ∇_a Y_lm(â) Y_lm(b̂) = (2l+1)/(4π) P′_l(t) (b̂ − t â)/|a|', () => {
    const b = randomDirections(n, 33);
    const { grad } = wasmGradients(L_MAX, vectors);
    const yb = wasmValues(L_MAX, b);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const a = [vectors[3 * i]!, vectors[3 * i + 1]!, vectors[3 * i + 2]!];
      const r = Math.hypot(a[0]!, a[1]!, a[2]!);
      const u = a.map((v) => v / r);
      const t = u[0]! * b[3 * i]! + u[1]! * b[3 * i + 1]! + u[2]! * b[3 * i + 2]!;
      // P′_l by P′_{l+1} = P′_{l−1} + (2l+1) P_l (P′_0 = 0, P′_1 = 1).
      const dP = [0, 1];
      for (let l = 1; l < L_MAX; l++) dP.push(dP[l - 1]! + (2 * l + 1) * legendre(l, t));
      for (let l = 0; l <= L_MAX; l++) {
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          for (let m = -l; m <= l; m++) sum += grad[(3 * i + c) * nLM + lmIndex(l, m)]! * yb[i * nLM + lmIndex(l, m)]!;
          const expected = (((2 * l + 1) / (4 * Math.PI)) * dP[l]! * (b[3 * i + c]! - t * u[c]!)) / r;
          worst = Math.max(worst, Math.abs(sum - expected));
        }
      }
    }
    expect(worst).toBeLessThan(1e-11);
  });

  test('perpendicular to r and scaling as 1/|r|', () => {
    const { grad } = wasmGradients(L_MAX, vectors);
    const doubled = wasmGradients(L_MAX, vectors.map((v) => 2 * v)).grad;
    let radial = 0;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < nLM; k++) {
        let dot = 0;
        for (let c = 0; c < 3; c++) dot += vectors[3 * i + c]! * grad[(3 * i + c) * nLM + k]!;
        radial = Math.max(radial, Math.abs(dot));
      }
    }
    expect(radial).toBeLessThan(1e-12);
    expect(maxAbsDiff(doubled.map((g) => 2 * g), grad)).toBeLessThan(1e-12);
  });

  test('the zero vector gives Y(+z) and a zero gradient', () => {
    const { values, grad } = wasmGradients(4, [0, 0, 0]);
    expect(maxAbsDiff(values, realSphericalHarmonicsReference(4, 0, 0, 1))).toBeLessThan(1e-15);
    expect(grad.every((g) => g === 0)).toBe(true);
  });
});
