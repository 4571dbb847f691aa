import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/index.js';
import { N2p2Potential } from '../../src/n2p2/potential.js';
import { catchAtomenvError } from '../helpers/errors.js';
import { randomPotential, type RandomPotential } from './randomPotential.js';

// Malformed or odd potential files, made from random valid potentials (randomPotential.ts): each
// must give an AtomenvError naming the file, line or element, or (where the file is valid) a
// finite result; never a crash, a hang or NaN.

beforeAll(async () => {
  await init();
});

/** The first seed whose potential satisfies `want` (deterministic). */
function potentialWhere(want: (p: RandomPotential) => boolean): RandomPotential {
  for (let seed = 1; seed < 2000; seed++) {
    const p = randomPotential(seed, 4, 6, 4);
    if (want(p)) return p;
  }
  throw new Error('no such potential among the seeds');
}

const twoElements = potentialWhere((p) => p.elements.length === 2 && p.networks.every((n) => n.sizes.length > 2) && 'scaling.data' in p.files && p.norm === null && !/^scale_min_short/m.test(p.files['input.nn']!));
const sigmaScaled = potentialWhere((p) => /^scale_symmetry_functions_sigma$/m.test(p.files['input.nn']!) && !/^(scale|center)_symmetry_functions$/m.test(p.files['input.nn']!));
const rangeScaled = potentialWhere((p) => /^scale_symmetry_functions$/m.test(p.files['input.nn']!));

/** Replaces the k-th data line (not blank, not a comment) of a text. */
function withDataLine(text: string, k: number, line: string): string {
  const lines = text.split('\n');
  const data = lines.flatMap((l, i) => (l.trim() !== '' && !l.trim().startsWith('#') ? [i] : []));
  lines[data[k]!] = line;
  return lines.join('\n');
}

/** Builds the potential from mutated files and computes its first structure. */
function run(p: RandomPotential, mutate: (files: Record<string, string>) => void, structure: object = p.structures[0]!): ReturnType<N2p2Potential['compute']> {
  const files = { ...p.files };
  mutate(files);
  return new N2p2Potential(files).compute(structure as never);
}

function expectError(p: RandomPotential, mutate: (files: Record<string, string>) => void, code: string, ...patterns: RegExp[]): void {
  const error = catchAtomenvError(() => run(p, mutate));
  expect(error.code).toBe(code);
  for (const pattern of patterns) expect(error.message).toMatch(pattern);
}

const weightFiles = (p: RandomPotential): string[] => Object.keys(p.files).filter((k) => k.startsWith('weights.')).sort();

describe('malformed weight files', () => {
  const p = twoElements;
  const [w0, w1] = weightFiles(p) as [string, string];
  test('missing for an element', () => expectError(p, (f) => delete f[w1], 'FILE_NOT_FOUND', new RegExp(`^${w1.replace(/\./g, '\\.')}: the potential has no ${w1.replace(/\./g, '\\.')}`)));
  test('too few and too many values', () => {
    expectError(p, (f) => (f[w0] = f[w0]!.split('\n').slice(0, -2).join('\n')), 'PARSE_ERROR', new RegExp(`^${w0.replace(/\./g, '\\.')}, line \\d+: \\d+ values, but the network`));
    expectError(p, (f) => (f[w0] += '0.5\n'), 'PARSE_ERROR', /line \d+: more values than the \d+ weights and biases/);
  });
  for (const token of ['nan', 'NaN', 'inf', '-Infinity', '1e999', '0x10', '1,5']) {
    test(`a weight '${token}'`, () => expectError(p, (f) => (f[w0] = withDataLine(f[w0]!, 2, `${token} a 3 0 1 1 3`)), 'PARSE_ERROR', new RegExp(`, line 5: a weight is not a number: '${token.replace('+', '\\+')}'`)));
  }
  test('an empty file names the file, no line 0', () => {
    const error = catchAtomenvError(() => run(p, (f) => (f[w0] = '')));
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toMatch(new RegExp(`^${w0.replace(/\./g, '\\.')}: 0 values, but the network`));
  });
  test('Fortran exponents and CRLF line endings read as the original', () => {
    const reference = run(p, () => {}).energy;
    expect(run(p, (f) => (f[w0] = f[w0]!.replace(/\n/g, '\r\n'))).energy).toBe(reference);
    expect(run(p, (f) => (f[w0] = f[w0]!.replace(/^(-?\d+\.\d+)e([-+]?\d+)/gm, '$1D$2'))).energy).toBe(reference);
  });
});

describe('malformed input.nn', () => {
  const p = twoElements;
  const e = p.elements[0]!;
  const inp = (pattern: RegExp, replacement: string) => (f: Record<string, string>) => (f['input.nn'] = f['input.nn']!.replace(pattern, replacement));
  const add = (line: string) => (f: Record<string, string>) => (f['input.nn'] += `${line}\n`);
  const cases: [string, (f: Record<string, string>) => void, RegExp][] = [
    ['an unknown activation letter', inp(/global_activation_short \S/, 'global_activation_short x'), /input\.nn, line \d+: unknown activation 'x'/],
    ['an activation name', inp(/global_activation_short \S/, 'global_activation_short tanh'), /unknown activation 'tanh'/],
    ['an unknown per-element activation', add(`element_activation_short ${e} ${'q '.repeat(p.networks[0]!.sizes.length - 1)}`), /line \d+: unknown activation 'q'/],
    ['fewer layer sizes than layers', inp(/global_nodes_short (\d+)( \d+)*/, 'global_nodes_short'), /global_nodes_short gives 0 layer sizes/],
    ['a layer of 0 neurons', inp(/global_nodes_short \d+/, 'global_nodes_short 0'), /node count must be an integer ≥ 1, got '0'/],
    ['a fractional layer size', inp(/global_nodes_short \d+/, 'global_nodes_short 3.5'), /got '3\.5'/],
    ['an element the potential lacks', add('element_hidden_layers_short Fe 1'), /element 'Fe' is not among the elements/],
    ['a NaN cutoff radius', add(`symfunction_short ${e} 2 ${e} 0.1 0 nan`), /line \d+: symfunction_short: rc is not a number: 'nan'/],
    ['an infinite η', add(`symfunction_short ${e} 2 ${e} inf 0 3`), /eta is not a number: 'inf'/],
    ['ζ < 1', add(`symfunction_short ${e} 3 ${e} ${e} 0.1 1 0.5 3`), /zeta must be ≥ 1, got 0\.5/],
    ['a NaN atom energy', add(`atom_energy ${e} nan`), /the atom energy is not a number: 'nan'/],
    ['an infinite mean energy', add('mean_energy inf\nconv_energy 1\nconv_length 1'), /mean_energy is not a number: 'inf'/],
    ['conv_energy 0', add('mean_energy 0\nconv_energy 0\nconv_length 1'), /conv_energy must be positive, got 0/],
    ['a NaN scale_min_short', add('scale_min_short nan'), /scale_min_short is not a number: 'nan'/],
  ];
  for (const [name, mutate, pattern] of cases) test(name, () => expectError(p, mutate, 'PARSE_ERROR', /^input\.nn/, pattern));
  test('a duplicated symmetry function is one more input: the weight count tells', () => {
    expectError(p, (f) => (f['input.nn'] += `${f['input.nn']!.split('\n').find((l) => l.startsWith(`symfunction_short ${e} `))}\n`), 'PARSE_ERROR', /^weights\.\d{3}\.data, line \d+: \d+ values, but the network in input\.nn has \d+/);
  });
});

describe('malformed scaling.data', () => {
  const p = twoElements;
  test('missing', () => expectError(p, (f) => delete f['scaling.data'], 'FILE_NOT_FOUND', /scaling\.data/));
  test('too few lines', () => expectError(p, (f) => (f['scaling.data'] = f['scaling.data']!.split('\n').slice(0, -2).join('\n')), 'PARSE_ERROR', /^scaling\.data, line \d+: element 2 has \d+ lines but input\.nn defines/));
  test('empty: names the file, no line 0', () => expectError(p, (f) => (f['scaling.data'] = ''), 'PARSE_ERROR', /^scaling\.data: element 1 has 0 lines/));
  test('a fractional index', () => expectError(p, (f) => (f['scaling.data'] = withDataLine(f['scaling.data']!, 0, '1 1.5 0 1 0.5 0.1')), 'PARSE_ERROR', /line 2: the element and symmetry-function indices must be integers/));
  test('a NaN statistic', () => expectError(p, (f) => (f['scaling.data'] = withDataLine(f['scaling.data']!, 0, '1 1 0 1 nan 0.1')), 'PARSE_ERROR', /line 2: Gmean is not a number: 'nan'/));

  // scale_symmetry_functions_sigma divides by Gsigma: 0 (a function constant over the training
  // set) gave NaN energies and forces, a negative σ was taken as it is.
  test('Gsigma 0 with scale_symmetry_functions_sigma: a constant input, as Gmax = Gmin with scale_symmetry_functions', () => {
    const r = run(sigmaScaled, (f) => (f['scaling.data'] = f['scaling.data']!.replace(/^(1 1 \S+ \S+ \S+) \S+$/m, '$1 0')));
    expect(Number.isFinite(r.energy) && r.forces.every(Number.isFinite)).toBe(true);
    // The same as a potential whose first input has a zero scaling factor: smin + 0·G.
    const q = run(sigmaScaled, (f) => (f['scaling.data'] = f['scaling.data']!.replace(/^(1 1 \S+ \S+ \S+) \S+$/m, '$1 1e300')));
    expect(Math.abs(r.energy - q.energy)).toBeLessThanOrEqual(1e-12 * Math.abs(q.energy));
  });
  test('a negative Gsigma with scale_symmetry_functions_sigma', () => {
    expectError(sigmaScaled, (f) => (f['scaling.data'] = f['scaling.data']!.replace(/^(1 1 \S+ \S+ \S+) \S+$/m, '$1 -0.5')), 'PARSE_ERROR', /^scaling\.data, line 2: Gsigma must be ≥ 0 \(scale_symmetry_functions_sigma divides by it\), got -0\.5/);
  });
  test('a scaling factor that overflows (Gsigma or Gmax − Gmin below ~1e-308)', () => {
    expectError(sigmaScaled, (f) => (f['scaling.data'] = f['scaling.data']!.replace(/^(1 1 \S+ \S+ \S+) \S+$/m, '$1 1e-320')), 'PARSE_ERROR', /^scaling\.data, line 2: the scaling factor of element 1's symmetry function 1 is not finite/);
    expectError(rangeScaled, (f) => (f['scaling.data'] = f['scaling.data']!.replace(/^1 1 .*$/m, '1 1 0 1e-320 0')), 'PARSE_ERROR', /^scaling\.data, line 2: the scaling factor of element 1's symmetry function 1 is not finite/);
  });
});

describe('odd structures', () => {
  const p = twoElements;
  test('an element the potential lacks names the atom', () => {
    const s = p.structures[0]!;
    const error = catchAtomenvError(() => run(p, () => {}, { ...s, symbols: ['Fe', ...s.symbols.slice(1)] }));
    expect(error.code).toBe('SPECIES_NOT_IN_DESCRIPTOR');
    expect(error.message).toMatch(/atom 0 is Fe/);
  });
  test('atoms of one element only, and no atoms', () => {
    const s = p.structures[0]!;
    const r = run(p, () => {}, { ...s, symbols: s.symbols.map(() => p.elements[1]!) });
    expect(Number.isFinite(r.energy)).toBe(true);
    expect(run(p, () => {}, { symbols: [], positions: [] }).energy).toBe(0);
  });
  test('a NaN coordinate', () => {
    const s = p.structures[0]!;
    expect(catchAtomenvError(() => run(p, () => {}, { ...s, positions: [NaN, ...s.positions.slice(1)] })).code).toBe('NON_FINITE_POSITION');
  });
});
