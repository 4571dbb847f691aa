import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { loadPotential as loadPotentialNode } from '../../src/index.node.js';
import { loadPotential, N2p2Potential, parseInputNn, parseScalingData, parseWeights } from '../../src/index.js';
import { catchAtomenvError, catchAtomenvErrorAsync, expectAtomenvError } from '../helpers/errors.js';
import { sharedPath } from '../helpers/shared.js';

const dir = 'data/n2p2/H2O_RPBE-D3';
const read = (name: string) => readFileSync(sharedPath(`${dir}/${name}`), 'utf8');
const files = () => ({
  'input.nn': read('input.nn'), 'scaling.data': read('scaling.data'),
  'weights.001.data': read('weights.001.data'), 'weights.008.data': read('weights.008.data'),
});

const MINIMAL = [
  'number_of_elements 2',
  'elements O H',
  'cutoff_type 6 0.2',
  'global_hidden_layers_short 1',
  'global_nodes_short 3',
  'global_activation_short t l',
  'symfunction_short H 2 O 0.01 0.0 6.0',
  'symfunction_short O 2 H 0.01 0.0 6.0   # comment',
  'symfunction_short O 3 H H 0.01 1.0 2.0 6.0',
];
const withLines = (replace: Record<number, string | null>, extra: string[] = []) =>
  [...MINIMAL.map((l, k) => (k in replace ? replace[k] : l)).filter((l) => l !== null), ...extra].join('\n');

describe('input.nn', () => {
  test('the three published potentials', () => {
    for (const name of ['H2O_RPBE-D3', 'Cu2S_PBE', 'Ethylbenzene_SCAN']) {
      const s = parseInputNn(readFileSync(sharedPath(`data/n2p2/${name}/input.nn`), 'utf8'));
      expect(s.normalization).not.toBeNull();
      expect(s.networks.every((n) => n.hiddenNodes.join() === '25,25')).toBe(true);
    }
    const cu2s = parseInputNn(readFileSync(sharedPath('data/n2p2/Cu2S_PBE/input.nn'), 'utf8'));
    expect(cu2s.elements).toEqual(['S', 'Cu']);
    expect(cu2s.scaling.type).toBe('scalesigma');
    expect(cu2s.cutoffType).toBe(6);
    const h2o = parseInputNn(read('input.nn'));
    expect(h2o.scaling).toEqual({ type: 'scalecenter', min: 0, max: 1 });
    expect(h2o.symmetryFunctions).toHaveLength(57);
    expect(h2o.networks[0]!.activations).toEqual(['t', 't', 'l']);
  });

  test('a minimal file: elements sorted by Z, comments, cutoff α, defaults', () => {
    const s = parseInputNn(withLines({}));
    expect(s.elements).toEqual(['H', 'O']);
    expect(s.cutoffAlpha).toBe(0.2);
    expect(s.normalization).toBeNull();
    expect(s.atomEnergies).toEqual({ H: 0, O: 0 });
    expect(s.scaling.type).toBe('none');
    expect(s.symmetryFunctions[2]).toMatchObject({ element: 'O', type: 3, neighbors: ['H', 'H'], rs: 0, line: 9 });
  });

  const cases: [string, string, RegExp][] = [
    ['missing keyword', withLines({ 3: null }), /missing keyword 'global_hidden_layers_short'/],
    ['element count', withLines({ 0: 'number_of_elements 3' }), /line 1: number_of_elements is 3/],
    ['unknown element', withLines({ 1: 'elements O Xx' }), /line 2: unknown element 'Xx'/],
    ['cutoff type', withLines({ 2: 'cutoff_type 9' }), /line 3: cutoff_type 9 is unknown/],
    ['cutoff alpha', withLines({ 2: 'cutoff_type 1 1.5' }), /line 3: the cutoff alpha/],
    ['layer sizes', withLines({ 4: 'global_nodes_short 3 4' }), /line 5: global_nodes_short gives 2 layer sizes/],
    ['activation count', withLines({ 5: 'global_activation_short t' }), /line 6: expected 2 activation letters/],
    ['unknown activation', withLines({ 5: 'global_activation_short q l' }), /line 6: unknown activation 'q'/],
    ['SF type', withLines({ 6: 'symfunction_short H 5 O 0.01 0.0 6.0' }), /line 7: symfunction_short: symmetry-function type '5' is not supported/],
    ['SF field count', withLines({ 6: 'symfunction_short H 2 O 0.01 6.0' }), /line 7: .*type 2 expects/],
    ['SF number', withLines({ 6: 'symfunction_short H 2 O 0.01 abc 6.0' }), /line 7: .*rs is not a number: 'abc'/],
    ['SF element', withLines({ 6: 'symfunction_short H 2 C 0.01 0.0 6.0' }), /line 7: .*neighbour element 'C'/],
    ['SF centre element', withLines({}, ['symfunction_short C 2 H 0.01 0.0 6.0']), /line 10: .*centre element 'C'/],
    ['SF compact window', withLines({}, ['symfunction_short H 20 O 6.0 1.0 p2']), /line 10: .*rl \(6\) must be smaller than rc/],
    ['SF compact subtype', withLines({}, ['symfunction_short H 20 O 0.0 6.0 p7']), /line 10: .*compact subtype 'p7'/],
    ['SF angle window', withLines({}, ['symfunction_short H 21 O O 0.0 6.0 -30 60 p2']), /line 10: .*centred on 0° or 180°/],
    ['element without functions', withLines({ 6: null }), /element H has no symfunction_short line/],
    ['repeated keyword', withLines({}, ['cutoff_type 1']), /line 10: keyword 'cutoff_type' appears again \(first on line 3\)/],
    ['partial normalisation', withLines({}, ['conv_energy 2.0']), /line 10: mean_energy, conv_energy and conv_length must be given together/],
    ['atom energy', withLines({}, ['atom_energy H x']), /line 10: the atom energy is not a number/],
    ['unsupported nnp_type', withLines({}, ['nnp_type 4G-HDNNP']), /line 10: nnp_type '4G-HDNNP' is not supported/],
  ];
  for (const [name, text, pattern] of cases) {
    test(`PARSE_ERROR: ${name}`, () => {
      const error = catchAtomenvError(() => parseInputNn(text, 'my/input.nn'));
      expect(error.code).toBe('PARSE_ERROR');
      expect(error.location.file).toBe('my/input.nn');
      expect(error.message).toMatch(/^my\/input\.nn/);
      expect(error.message).toMatch(pattern);
    });
  }
});

describe('scaling.data', () => {
  const good = '# header\n1 1 0 1 0.5 0.1\n2 1 0 2 1 0.2\n2 2 0 3 1\n';
  test('reads statistics in order; sigma is optional', () => {
    const s = parseScalingData(good, [1, 2]);
    expect(s[1]![1]).toEqual({ min: 0, max: 3, mean: 1, sigma: NaN });
    expect(s[0]![0]!.sigma).toBe(0.1);
  });
  const cases: [string, string, RegExp][] = [
    ['field count', '1 1 0 1\n', /line 1: expected 'e_index sf_index Gmin Gmax Gmean \[Gsigma\]'/],
    ['order', '1 1 0 1 0.5\n2 2 0 1 0.5\n2 1 0 1 0.5\n', /line 2: expected element 2, symmetry function 1/],
    ['number', '1 1 0 x 0.5\n', /line 1: Gmax is not a number: 'x'/],
    ['too many', good + '2 3 0 1 0.5\n', /line 5: more lines than symmetry functions \(3/],
    ['too few', '1 1 0 1 0.5\n', /element 2 has 0 lines but input.nn defines 2/],
    ['min above max', '1 1 2 1 0.5\n', /line 1: Gmin \(2\) is larger than Gmax/],
  ];
  for (const [name, text, pattern] of cases) {
    test(`PARSE_ERROR: ${name}`, () => expectAtomenvError(() => parseScalingData(text, [1, 2], 'scaling.data'), 'PARSE_ERROR', 'scaling.data', pattern));
  }
});

describe('weights.XXX.data', () => {
  test('first column only, comments skipped', () => {
    expect(Array.from(parseWeights('# c\n 1.5 a 1 0 1 1 1\n-2e-1 b 2 1 1\n', 2, 'w'))).toEqual([1.5, -0.2]);
  });
  test('PARSE_ERROR: too few, too many, not a number', () => {
    expectAtomenvError(() => parseWeights('1\n2\n', 3, 'weights.001.data'), 'PARSE_ERROR', 'weights.001.data, line 2', '2 values, but the network in input.nn has 3');
    expectAtomenvError(() => parseWeights('1\n2\n3\n', 2, 'weights.001.data'), 'PARSE_ERROR', 'line 3', 'more values than the 2');
    expectAtomenvError(() => parseWeights('1\nx\n', 2, 'weights.001.data'), 'PARSE_ERROR', 'line 2', "a weight is not a number: 'x'");
  });
});

describe('loadPotential', () => {
  test('from file texts (the browser path) and from a directory give the same numbers', async () => {
    const a = await loadPotential(files());
    const b = await loadPotentialNode(sharedPath(dir));
    const water = { symbols: ['O', 'H', 'H'], positions: [0, 0, 0, 1.8, 0, 0, -0.5, 1.7, 0] };
    expect(a.compute(water).energy).toBe(b.compute(water).energy);
    // A worker can rebuild the potential from its file texts.
    const c = new N2p2Potential(structuredClone(b.files));
    expect(c.compute(water).energy).toBe(b.compute(water).energy);
  });
  test('a weights file with the wrong count names the file and line', async () => {
    const f = files();
    f['weights.008.data'] = f['weights.008.data'].split('\n').slice(0, -3).join('\n');
    const error = await catchAtomenvErrorAsync(() => loadPotential(f));
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toMatch(/^weights\.008\.data, line \d+: 1449 values, but the network in input.nn has 1451/);
  });
  test('missing files and directories', async () => {
    const f: Record<string, string> = files();
    delete f['weights.001.data'];
    expect((await catchAtomenvErrorAsync(() => loadPotential(f))).code).toBe('FILE_NOT_FOUND');
    expect(catchAtomenvError(() => new N2p2Potential(f)).message).toMatch(/the potential has no weights\.001\.data/);
    const missing = await catchAtomenvErrorAsync(() => loadPotentialNode(sharedPath('data/n2p2/nope')));
    expect(missing.code).toBe('FILE_NOT_FOUND');
    // The browser entry takes no paths.
    expect((await catchAtomenvErrorAsync(() => loadPotential(sharedPath(dir) as never))).code).toBe('INVALID_PARAMETER');
  });
  test('a structure with an element the potential lacks', async () => {
    const p = await loadPotential(files());
    expectAtomenvError(() => p.compute({ symbols: ['O', 'C'], positions: [0, 0, 0, 2, 0, 0] }), 'SPECIES_NOT_IN_DESCRIPTOR', 'atom 1 is C');
  });
  test('scaling errors name scaling.data', async () => {
    const f = files();
    f['scaling.data'] = f['scaling.data'].replace(/\n\s*2\s+30\s.*\n?$/, '\n');
    const error = await catchAtomenvErrorAsync(() => loadPotential(f));
    expect(error.message).toMatch(/^scaling\.data, line \d+: element 2 has 29 lines but input.nn defines 30/);
  });
});
