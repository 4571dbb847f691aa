// dtype 'float32': SOAP values computed by the f32x4 kernels (assembly/soap/soapF32.ts) against
// the float64 path on the shared structures, within FLOAT32_BOUND (test/helpers/float32.ts).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/wasm/loader.js';
import { SOAP, type SOAPCreateOptions } from '../../src/soap/soap.js';
import type { SOAPOptions } from '../../src/soap/params.js';
import { normalizeStructure, type Structure } from '../../src/structure/structure.js';
import { maxAbs, maxAbsDiff, readShared, sharedPath, sharedStructureFiles } from '../helpers/shared.js';
import { randomRotation, rng, rotate } from '../helpers/geometry.js';
import { FLOAT32_BOUND } from '../helpers/float32.js';


const relative = (a: ArrayLike<number>, ref: ArrayLike<number>): number => maxAbsDiff(a, ref) / maxAbs(ref);

beforeAll(async () => {
  await init();
});

const report: string[] = [];
let worst = 0;
afterAll(() => console.log(`SOAP float32 vs float64 (max|diff| / max|p64|), worst ${worst.toExponential(2)}:\n${report.join('\n')}`));

/** The f32 and f64 values of `options` on `structure`, with shape, order and the bound checked. */
function compare(label: string, options: SOAPOptions, structure: Structure, createOptions?: SOAPCreateOptions): number {
  const f64 = new SOAP({ ...options, dtype: 'float64' });
  const f32 = new SOAP({ ...options, dtype: 'float32' });
  const a = f64.create(structure, createOptions);
  const b = f32.create(structure, createOptions);
  expect(b.values).toBeInstanceOf(Float32Array);
  expect(b.shape).toEqual(a.shape);
  expect(f32.numFeatures).toBe(f64.numFeatures);
  // Feature by feature (same order), within the bound of the structure's scale.
  const scale = maxAbs(a.values);
  for (let i = 0; i < a.values.length; i++) {
    const x = a.values[i]!, y = b.values[i]!;
    if (!(Math.abs(y - x) <= FLOAT32_BOUND * scale)) expect.fail(`${label}: feature ${i}: ${y} vs ${x}`);
  }
  const rel = relative(b.values, a.values);
  worst = Math.max(worst, rel);
  report.push(`${label.padEnd(72)} ${rel.toExponential(2)}`);
  expect(rel).toBeLessThanOrEqual(FLOAT32_BOUND);
  return rel;
}

const speciesOf = (s: Structure): number[] => [...new Set(normalizeStructure(s).numbers)].sort((x, y) => x - y);
const isPeriodic = (s: Structure): boolean => normalizeStructure(s).cell !== null;

/** The shared structures (first frame; the 972-molecule batch: its first three). */
const STRUCTURES: Array<{ name: string; structure: Structure }> = sharedStructureFiles().flatMap((file) => {
  const frames = readShared(file);
  const name = file.replace(/^.*\//, '').replace(/\.extxyz$/, '');
  const n = name.startsWith('batch') ? 3 : 1;
  return frames.slice(0, n).map((structure, i) => ({ name: n > 1 ? `${name}[${i}]` : name, structure }));
});
/** The large boxes (1 536 and 1 728 atoms) run a reduced matrix. */
const isLarge = (s: Structure): boolean => normalizeStructure(s).nAtoms > 1000;

const SIZES = { gto: [[8, 6], [5, 4], [3, 7], [9, 3]], polynomial: [[6, 5], [5, 4], [3, 2]] } as const;
const COMPRESSIONS = ['off', 'crossover', 'mu1nu1', 'mu2'] as const;
const AVERAGES = ['off', 'inner', 'outer'] as const;

describe('SOAP dtype float32 vs float64 on the shared structures', () => {
  for (const { name, structure } of STRUCTURES) {
    it(name, () => {
      const species = speciesOf(structure);
      const periodic = isPeriodic(structure);
      for (const rbf of ['gto', 'polynomial'] as const) {
        for (const [nMax, lMax] of SIZES[rbf]) {
          const options: SOAPOptions = { species, rCut: 5, nMax, lMax, sigma: 0.5, rbf, periodic };
          if (isLarge(structure)) {
            if (nMax === SIZES[rbf][0][0]) compare(`${name} ${rbf} ${nMax}/${lMax}`, options, structure);
            continue;
          }
          for (const mode of COMPRESSIONS) {
            for (const average of AVERAGES) {
              compare(`${name} ${rbf} ${nMax}/${lMax} ${mode} ${average}`, { ...options, compression: { mode }, average }, structure);
            }
          }
        }
      }
    });
  }
});

describe('SOAP dtype float32: options', () => {
  const molecule = readShared('data/structures/mol_CH3CONH2.extxyz')[0]!;
  const triclinic = readShared('data/structures/xtal_triclinic_Si2O2_small_rattled.extxyz')[0]!;
  const base: SOAPOptions = { species: ['H', 'C', 'N', 'O'], rCut: 4, nMax: 7, lMax: 5, sigma: 0.4 };

  it('weighting, species weights and the smooth cutoff, every compression and averaging', () => {
    for (const rbf of ['gto', 'polynomial'] as const) {
      for (const weighting of [
        { function: 'poly', r0: 3, c: 1, m: 2 },
        { function: 'pow', r0: 2, c: 1, d: 1, m: 3, w0: 0.5 },
        { function: 'exp', r0: 1.5, c: 2, d: 1 },
      ] as const) {
        for (const mode of COMPRESSIONS) {
          for (const average of AVERAGES) {
            compare(`molecule ${rbf} ${weighting.function} ${mode} ${average}`, {
              ...base, rbf, weighting, average, cutoff: { width: 1 },
              compression: { mode, speciesWeighting: { H: 0.4, C: 1.7, N: 0.9, O: 1.3 } },
            }, molecule);
          }
        }
      }
      compare(`triclinic ${rbf} mu1nu1 weighted`, {
        species: ['O', 'Si'], rCut: 4.2, nMax: 3, lMax: 4, sigma: 0.6, rbf, periodic: true,
        compression: { mode: 'mu1nu1', speciesWeighting: { O: 0.7, Si: 1.3 } },
        weighting: { function: 'pow', r0: 2, c: 1, d: 1, m: 3, w0: 0.5 },
      }, triclinic);
    }
  });

  it('edge sizes: n_max 1 and 2, l_max 0, l_max 12 and 16, n_max 10 (an 8 + 4 wide tail)', () => {
    const cu = readShared('data/structures/xtal_Cu_fcc_prim.extxyz')[0]!;
    for (const [rbf, nMax, lMax] of [['gto', 1, 0], ['gto', 2, 0], ['polynomial', 1, 3], ['gto', 10, 16], ['polynomial', 4, 12]] as const) {
      for (const average of ['off', 'inner'] as const) {
        compare(`molecule ${rbf} ${nMax}/${lMax} ${average}`, { ...base, rCut: 5, sigma: 0.5, rbf, nMax, lMax, average }, molecule);
        compare(`Cu fcc ${rbf} ${nMax}/${lMax} ${average}`, { species: ['Cu'], rCut: 5, nMax, lMax, sigma: 0.5, rbf, periodic: true, average }, cu);
      }
    }
  });

  it('each l block within the bound of its own largest value up to l_max 20 (f32 harmonic recurrence)', () => {
    const water = readShared('data/structures/water_64mol_192atoms.extxyz')[0]!;
    const nMax = 4, lMax = 20;
    const options: SOAPOptions = { species: ['H', 'O'], rCut: 5, nMax, lMax, sigma: 0.5, periodic: true, compression: { mode: 'mu2' } };
    const a = new SOAP(options).create(water);
    const b = new SOAP({ ...options, dtype: 'float32' }).create(water);
    const [rows, F] = a.shape;
    const per = (nMax * (nMax + 1)) / 2; // mu2: one symmetric block, l-major
    const perL: string[] = [];
    for (let l = 0; l <= lMax; l++) {
      let scale = 0, diff = 0;
      for (let row = 0; row < rows; row++) {
        for (let k = 0; k < per; k++) {
          const i = row * F + l * per + k;
          scale = Math.max(scale, Math.abs(a.values[i]!));
          diff = Math.max(diff, Math.abs(a.values[i]! - b.values[i]!));
        }
      }
      perL.push(`${l}: ${(diff / scale).toExponential(1)}`);
      expect(diff / scale).toBeLessThanOrEqual(FLOAT32_BOUND);
    }
    report.push(`water mu2 4/20, per l block: ${perL.join(', ')}`);
  });

  it('point centres (far away, on an atom, between atoms) and atom centres, mixed', () => {
    const s = normalizeStructure(molecule);
    const onAtom3 = Array.from(s.positions.subarray(9, 12));
    const centers = { centers: [[100, -50, 30], 3, onAtom3, [0.3, 0.2, -0.1]] };
    for (const rbf of ['gto', 'polynomial'] as const) {
      for (const average of AVERAGES) compare(`points ${rbf} ${average}`, { ...base, rbf, average }, molecule, centers);
    }
    const f32 = new SOAP({ ...base, dtype: 'float32' });
    const out = f32.create(molecule, centers);
    const f = f32.numFeatures;
    expect(maxAbs(out.values.subarray(0, f))).toBe(0); // no neighbour
    expect(Array.from(out.values.subarray(f, 2 * f))).toEqual(Array.from(f32.create(molecule, { centers: [3] }).values));
    // No centres: an empty result, or one zero row when averaged.
    expect(f32.create(molecule, { centers: [] }).shape).toEqual([0, f]);
    const averaged = new SOAP({ ...base, dtype: 'float32', average: 'inner' }).create(molecule, { centers: [] });
    expect(averaged.shape).toEqual([1, f]);
    expect(maxAbs(averaged.values)).toBe(0);
  });

  it('is invariant under rotation, reflection and translation to float32 precision', () => {
    for (const rbf of ['gto', 'polynomial'] as const) {
      const soap = new SOAP({ ...base, rbf, dtype: 'float32' });
      const before = soap.create(molecule).values;
      const reference = new SOAP({ ...base, rbf }).create(molecule).values;
      const s = normalizeStructure(molecule);
      const random = rng(11);
      for (let trial = 0; trial < 3; trial++) {
        const moved = rotate(s.positions, randomRotation(random));
        for (let a = 0; a < moved.length; a += 3) {
          moved[a] = -moved[a]! + 1.3;
          moved[a + 1] += 2.1;
          moved[a + 2] -= 0.7;
        }
        const after = soap.create({ numbers: s.numbers, positions: moved }).values;
        // Both are within the bound of the float64 values, so of each other within twice it.
        expect(relative(after, before)).toBeLessThan(2 * FLOAT32_BOUND);
        expect(relative(after, reference)).toBeLessThan(FLOAT32_BOUND);
      }
    }
  });

  it('getLocation and the feature layout equal the float64 path; blocks of absent species are exact zeros', () => {
    const withS: SOAPOptions = { ...base, species: ['H', 'C', 'N', 'O', 'S'] };
    const a = new SOAP(withS), b = new SOAP({ ...withS, dtype: 'float32' });
    expect(b.numFeatures).toBe(a.numFeatures);
    for (const pair of [['H', 'H'], ['C', 'O'], ['N', 'H'], ['O', 'O'], ['S', 'H'], ['S', 'S']]) expect(b.getLocation(pair)).toEqual(a.getLocation(pair));
    for (const mode of ['off', 'crossover', 'mu1nu1'] as const) {
      compare(`absent S ${mode}`, { ...withS, compression: { mode } }, molecule);
      const soap = new SOAP({ ...withS, compression: { mode }, dtype: 'float32' });
      const p32 = soap.create(molecule).values;
      const [start, end] = soap.getLocation(['S', 'S']);
      for (let row = 0; row < p32.length / soap.numFeatures; row++) {
        expect(maxAbs(p32.subarray(row * soap.numFeatures + start, row * soap.numFeatures + end))).toBe(0);
      }
    }
  });

  it('derivatives stay float64 (values cast from float64), create is float32', () => {
    const soap = new SOAP({ ...base, nMax: 3, lMax: 2, dtype: 'float32' });
    const d = soap.derivatives(molecule);
    expect(d.derivatives.values).toBeInstanceOf(Float64Array);
    expect(d.values).toBeInstanceOf(Float32Array);
    expect(relative(soap.create(molecule).values, d.values)).toBeLessThan(FLOAT32_BOUND);
  });
});

// The relaxed-SIMD build (fused multiply-adds in the f32x4 kernels) in a child process with V8's flag.
it('the relaxed-SIMD build stays within the bound', () => {
  const lib = fileURLToPath(new URL('../../dist/index.node.js', import.meta.url));
  const script = `
    const { init, SOAP, readStructures } = await import(${JSON.stringify(lib)});
    const rt = await init({ simd: 'relaxed' });
    let worst = 0;
    for (const file of ['xtal_Cu_fcc_cubic_2x2x2', 'water_64mol_192atoms', 'mol_CH3CONH2']) {
      const [s] = await readStructures(${JSON.stringify(sharedPath('data/structures'))} + '/' + file + '.extxyz');
      const species = [...new Set(s.numbers)];
      for (const [rbf, nMax, lMax] of [['gto', 9, 3], ['gto', 8, 6], ['polynomial', 5, 4]]) {
        for (const average of ['off', 'inner', 'outer']) {
          const o = { species, rCut: 5, nMax, lMax, sigma: 0.5, rbf, periodic: !!s.cell, average };
          const a = new SOAP(o).create(s).values, b = new SOAP({ ...o, dtype: 'float32' }).create(s).values;
          let scale = 0, diff = 0;
          for (let i = 0; i < a.length; i++) { scale = Math.max(scale, Math.abs(a[i])); diff = Math.max(diff, Math.abs(a[i] - b[i])); }
          worst = Math.max(worst, diff / scale);
        }
      }
    }
    console.log(JSON.stringify({ variant: rt.variant, worst }));
  `;
  const out = execFileSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--input-type=module', '-e', script], { encoding: 'utf8' });
  const result = JSON.parse(out.trim().split('\n').pop()!);
  report.push(`${'relaxed-SIMD build, worst'.padEnd(72)} ${result.worst.toExponential(2)}`);
  expect(result.variant).toBe('relaxed');
  expect(result.worst).toBeLessThanOrEqual(FLOAT32_BOUND);
});
