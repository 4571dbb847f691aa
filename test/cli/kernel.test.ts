import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KERNEL_OPTIONS } from '../../src/cli/kernelArgs.js';
import { averageKernel, rematchKernel, type DescriptorValues } from '../../src/index.js';
import { decodeNpy } from '../../src/io/npy.js';
import { apiResults } from './apiReference.js';
import { CLI_FIXTURES, runCli, stdoutJson, STRUCTURES } from './runCli.js';

const CONFIG = `${CLI_FIXTURES}acsf_HCNO.json`;
const FRAMES = `${CLI_FIXTURES}chno_5frames.extxyz`;
const ETHANOL = `${STRUCTURES}mol_CH3CH2OH.extxyz`;
const METHANE = `${STRUCTURES}mol_CH4.extxyz`;
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'atomenv-cli-kernel-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** The ACSF features the library gives for every frame of the files, in order. */
async function featuresOf(files: string[]): Promise<DescriptorValues[]> {
  const all: DescriptorValues[] = [];
  for (const file of files) all.push(...(await apiResults(CONFIG, file)).map(({ values, shape }) => ({ values, shape })));
  return all;
}

describe('atomenv kernel, JSON', () => {
  it('writes the average kernel of the library API (default metric dot) for the frames of several files', async () => {
    const files = [FRAMES, ETHANOL, METHANE];
    const want = averageKernel(await featuresOf(files), null);
    const out = stdoutJson(runCli(['kernel', '--config', CONFIG, ...files]));
    expect(Object.keys(out)).toEqual(['shape', 'values', 'structures']);
    expect(out.shape).toEqual([7, 7]);
    expect(out.values).toEqual(Array.from(want.values));
    const sources = [];
    for (const file of files) sources.push(...(await apiResults(CONFIG, file)).map(({ nAtoms }, frame) => ({ file, frame, atoms: nAtoms })));
    expect(sources.map((s) => s.frame)).toEqual([0, 1, 2, 3, 4, 0, 0]);
    expect(out.structures).toEqual(sources);
  });

  it('--kernel rematch with --alpha, --threshold, --metric, --zeta matches the API', async () => {
    const want = rematchKernel(await featuresOf([FRAMES]), null, { alpha: 0.5, threshold: 1e-9, metric: 'dot', zeta: 2 });
    const out = stdoutJson(runCli(['kernel', '-c', CONFIG, '-k', 'rematch', '--alpha', '0.5', '--threshold', '1e-9', '--metric', 'dot', '--zeta', '2', FRAMES]));
    expect(out.values).toEqual(Array.from(want.values));
    // Different frames are told apart; the diagonal is 1.
    const v = out.values as number[];
    for (let i = 0; i < 5; i++) expect(v[6 * i]).toBeCloseTo(1, 14);
    expect(Math.max(...v.filter((_, k) => k % 6 !== 0))).toBeLessThan(0.9999);
  });

  it('--metric polynomial with --gamma, --degree, --coef0 and --no-normalize matches the API', async () => {
    const options = { metric: 'polynomial' as const, gamma: 0.05, degree: 2, coef0: 0.5, normalizeKernel: false };
    const want = averageKernel(await featuresOf([FRAMES]), null, options);
    const out = stdoutJson(runCli(['kernel', '-c', CONFIG, '--metric', 'polynomial', '--gamma', '0.05', '--degree', '2', '--coef0', '0.5', '--no-normalize', FRAMES]));
    expect(out.values).toEqual(Array.from(want.values));
    expect((out.values as number[])[0]).not.toBeCloseTo(1, 3);
  });

  it('-o FILE.json holds the same document as stdout', () => {
    const file = path.join(tmp, 'k.json');
    expect(runCli(['kernel', '-c', CONFIG, '-o', file, FRAMES])).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(file, 'utf8')).toBe(runCli(['kernel', '-c', CONFIG, '-o', '-', FRAMES]).stdout);
  });
});

describe('atomenv kernel, npy and summary', () => {
  it('-o FILE.npy writes the [N, N] float64 matrix', async () => {
    const file = path.join(tmp, 'k.npy');
    const run = runCli(['kernel', '-c', CONFIG, '-k', 'rematch', '--metric', 'rbf', '-o', file, FRAMES, ETHANOL]);
    expect(run).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const npy = decodeNpy(readFileSync(file));
    expect(npy.shape).toEqual([6, 6]);
    expect(npy.dtype).toBe('float64');
    const want = rematchKernel(await featuresOf([FRAMES, ETHANOL]), null, { metric: 'rbf' });
    expect(Array.from(npy.values)).toEqual(Array.from(want.values));
  });

  it('--summary reports the structures, the kernel and the off-diagonal statistics instead of the data', () => {
    const run = runCli(['kernel', '-c', CONFIG, '-k', 'rematch', '--alpha', '0.2', '--summary', FRAMES, METHANE]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/rematch kernel of acsf .*metric dot, alpha 0.2/);
    expect(run.stdout).toMatch(/2 files: 6 structures, 48 atoms/);
    expect(run.stdout).toMatch(/\[6, 6\] float64; off-diagonal min .*, max .*, mean /);
    expect(run.stdout).not.toMatch(/"values"/);
  });
});

describe('atomenv kernel, help and errors', () => {
  it('kernel --help mentions every flag, long and short, and help kernel is the same', () => {
    const run = runCli(['kernel', '--help']);
    expect(run.code).toBe(0);
    for (const [name, option] of Object.entries(KERNEL_OPTIONS)) {
      expect(run.stdout).toContain(`--${name}`);
      if ('short' in option) expect(run.stdout).toContain(`-${option.short}, --${name}`);
    }
    expect(run.stdout).toContain('"structures"');
    expect(runCli(['help', 'kernel']).stdout).toBe(run.stdout);
    expect(runCli(['--help']).stdout).toContain('atomenv kernel --config');
  });

  /** [what, arguments, exit code, a pattern the one-line message must match]. */
  const cases: [string, string[], number, RegExp][] = [
    ['no --config', ['kernel', FRAMES], 2, /--config FILE is required/],
    ['no structure files', ['kernel', '-c', CONFIG], 2, /give the structure files/],
    ['an unknown kernel', ['kernel', '-c', CONFIG, '-k', 'best', FRAMES], 2, /--kernel must be one of average, rematch, got 'best'/],
    ['an unknown metric', ['kernel', '-c', CONFIG, '--metric', 'cosine', FRAMES], 2, /--metric must be one of/],
    ['a non-number', ['kernel', '-c', CONFIG, '--zeta', 'two', FRAMES], 2, /--zeta must be a number, got 'two'/],
    ['--alpha with the average kernel', ['kernel', '-c', CONFIG, '--alpha', '1', FRAMES], 2, /--alpha only applies with --kernel rematch/],
    ['npy on stdout', ['kernel', '-c', CONFIG, '-f', 'npy', FRAMES], 2, /npy output cannot go to stdout/],
    ['an unknown flag', ['kernel', '-c', CONFIG, '--centers', '[0]', FRAMES], 2, /unknown option '--centers'.*kernel --help/],
    ['alpha out of range', ['kernel', '-c', CONFIG, '-k', 'rematch', '--alpha', '0', FRAMES], 1, /alpha must be a finite number > 0, got 0/],
    ['gamma out of range', ['kernel', '-c', CONFIG, '--metric', 'rbf', '--gamma=-1', FRAMES], 1, /gamma must be a finite number > 0, got -1/],
    ['a missing structure file', ['kernel', '-c', CONFIG, FRAMES, 'none.extxyz'], 1, /none\.extxyz: file not found/],
    ['an element outside the species', ['kernel', '-c', 'examples/acsf.json', `${STRUCTURES}mol_H2O.extxyz`, METHANE], 1, /mol_CH4\.extxyz, frame 0: atom 0 is C/],
    ['REMatch that does not converge', ['kernel', '-c', CONFIG, '-k', 'rematch', '--alpha', '0.001', '--threshold', '1e-300', FRAMES], 1, /REMatch of x\[\d\] and x\[\d\]/],
  ];
  for (const [what, args, code, pattern] of cases) {
    it(`${what}: exit ${code}, one line`, () => {
      const run = runCli(args);
      expect(run.code).toBe(code);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(pattern);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/^atomenv: /);
    });
  }

  it('a frame that cannot be read stops the run and nothing is written', () => {
    const bad = path.join(tmp, 'bad.extxyz');
    const good = readFileSync(FRAMES, 'utf8');
    writeFileSync(bad, `${good}3\nProperties=species:S:1:pos:R:3\nO 0 0 0\nH 0 0 1\n`);
    const out = path.join(tmp, 'never.json');
    const run = runCli(['kernel', '-c', CONFIG, '-o', out, bad]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad\.extxyz.*frame 5/);
    expect(() => readFileSync(out)).toThrow();
  });
});
