import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, STRUCTURES } from './runCli.js';

const CONFIG = 'examples/acsf.json';
const WATER = 'examples/water_64mol.extxyz';
const HEADER = '3\nProperties=species:S:1:pos:R:3 pbc="F F F"\n';
let tmp: string;
const file = (name: string) => path.join(tmp, name);

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'atomenv-cli-errors-'));
  const files: Record<string, string> = {
    'malformed.json': '{"descriptor": "acsf", "species": ["H", "O"],',
    'array.json': '[1, 2]',
    'unknown.json': '{"descriptor": "bessel", "species": ["H"], "rCut": 4}',
    'nodescriptor.json': '{"species": ["H", "O"], "rCut": 4}',
    'rcut0.json': '{"descriptor": "acsf", "species": ["H", "O"], "rCut": 0}',
    'rcutneg.json': '{"descriptor": "acsf", "species": ["H", "O"], "rCut": -2}',
    'typo.json': '{"descriptor": "acsf", "species": ["H", "O"], "r_cut": 4}',
    'Honly.json': '{"descriptor": "acsf", "species": ["H"], "rCut": 4, "g2Params": [[1, 0]]}',
    'unknown_element.extxyz': `${HEADER}O 0 0 0\nQq 0 0 1\nH 0 1 0\n`,
    'truncated.extxyz': `${HEADER}O 0 0 0\nH 0 0 1\n`,
    'nan.extxyz': `${HEADER}O 0 0 0\nH 0 0 NaN\nH 0 1 0\n`,
    'empty.extxyz': '',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(file(name), text);
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** [what, arguments, exit code, a pattern the message must match]. */
const cases: [string, () => string[], number, RegExp][] = [
  ['a missing structure file', () => ['compute', '-c', CONFIG, file('none.extxyz')], 1, /none\.extxyz: file not found/],
  ['a missing config file', () => ['compute', '-c', file('none.json'), WATER], 1, /none\.json: config file not found/],
  ['malformed config JSON', () => ['compute', '-c', file('malformed.json'), WATER], 1, /malformed\.json: malformed JSON/],
  ['a config that is not an object', () => ['compute', '-c', file('array.json'), WATER], 1, /must be a JSON object/],
  ['an unknown descriptor', () => ['compute', '-c', file('unknown.json'), WATER], 1, /unknown descriptor "bessel" \(known: acsf, soap, cace, n2p2, n2p2Potential\)/],
  ['a config without "descriptor"', () => ['compute', '-c', file('nodescriptor.json'), WATER], 1, /needs "descriptor"/],
  ['rCut = 0', () => ['compute', '-c', file('rcut0.json'), WATER], 1, /rcut0\.json: rCut must be a positive/],
  ['rCut < 0', () => ['compute', '-c', file('rcutneg.json'), WATER], 1, /rCut must be a positive/],
  ['an unknown config key', () => ['compute', '-c', file('typo.json'), WATER], 1, /acsf has no option "r_cut"/],
  ['an unknown element in the structure file', () => ['compute', '-c', CONFIG, file('unknown_element.extxyz')], 1, /line 4, frame 0: unknown element 'Qq'/],
  ['an element not in species', () => ['compute', '-c', file('Honly.json'), WATER], 1, /frame 0: atom 0 is O, which is not among the descriptor's species \(H\)/],
  ['a truncated extxyz', () => ['compute', '-c', CONFIG, file('truncated.extxyz')], 1, /truncated\.extxyz, line \d+, frame 0: .*3 atoms/],
  ['a NaN coordinate', () => ['compute', '-c', CONFIG, file('nan.extxyz')], 1, /line 4, frame 0: .*'NaN'/],
  ['an empty structure file', () => ['compute', '-c', CONFIG, file('empty.extxyz')], 1, /empty/],
  ['a centre beyond the atoms', () => ['compute', '-c', CONFIG, '--centers', '[0,192]', WATER], 1, /centers\[1\] = 192 is not an atom index/],
  ['a missing output directory', () => ['compute', '-c', CONFIG, '-o', file('no/such/dir/out.json'), WATER], 1, /directory .* does not exist/],
  ['an unknown flag', () => ['compute', '-c', CONFIG, '--bogus', WATER], 2, /unknown option '--bogus'/],
  ['an unknown command', () => ['frobnicate'], 2, /unknown command 'frobnicate'/],
  ['no --config', () => ['compute', WATER], 2, /--config FILE is required/],
  ['--config without a value', () => ['compute', '--config'], 2, /--config needs a value/],
  ['no structure file', () => ['compute', '-c', CONFIG], 2, /give the structure file/],
  ['two structure files', () => ['compute', '-c', CONFIG, WATER, WATER], 2, /give one structure file, got 2/],
  ['malformed --centers', () => ['compute', '-c', CONFIG, '--centers', '0,1', WATER], 2, /--centers must be a JSON array/],
  ['negative --centers', () => ['compute', '-c', CONFIG, '--centers', '[-1]', WATER], 2, /non-negative integers/],
  ['--format npy to stdout', () => ['compute', '-c', CONFIG, '--format', 'npy', WATER], 2, /npy output cannot go to stdout/],
  ['an unknown --format', () => ['compute', '-c', CONFIG, '--format', 'csv', WATER], 2, /--format must be one of json, npy/],
  ['an unknown --input-format', () => ['compute', '-c', CONFIG, '--input-format', 'pdb', WATER], 2, /--input-format must be one of/],
  ['--attach without --derivatives', () => ['compute', '-c', CONFIG, '--attach', WATER], 2, /--attach only applies with --derivatives/],
];

describe('atomenv reports bad input on one line, without a stack trace', () => {
  it.each(cases)('%s', (_what, args, code, pattern) => {
    const run = runCli(args());
    expect(run.code).toBe(code);
    expect(run.stdout).toBe('');
    expect(run.stderr.endsWith('\n')).toBe(true);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^atomenv: /);
    expect(lines[0]).toMatch(pattern);
    expect(run.stderr).not.toMatch(/\bat .*:\d+:\d+/);
  });

  it('uses the shared data files too: a crystal whose elements are not in species', () => {
    const run = runCli(['compute', '-c', CONFIG, `${STRUCTURES}xtal_NaCl_rocksalt_cubic.extxyz`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^atomenv: .*is (Na|Cl), which is not among the descriptor's species \(H, O\)\n$/);
  });
});

describe('describeError', () => {
  it('reports an internal error on one line with a request to report it', async () => {
    const { describeError } = await import('../../src/cli/reportError.js');
    const { line, exitCode } = describeError(new TypeError('x is undefined\n    at foo (a.js:1:2)'));
    expect(exitCode).toBe(1);
    expect(line).toMatch(/^atomenv: internal error: x is undefined .*report/);
    expect(line).not.toContain('\n');
  });
});
