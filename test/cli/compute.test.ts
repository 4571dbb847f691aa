import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy } from '../../src/io/npy.js';
import { apiResults } from './apiReference.js';
import { runCli, stdoutJson, STRUCTURES } from './runCli.js';

const CONFIG = 'examples/acsf.json';
const WATER = 'examples/water_64mol.extxyz';
const ETHANOL_CONFIG = 'test/cli/fixtures/acsf_HCNO.json';
const ETHANOL = `${STRUCTURES}mol_CH3CH2OH.extxyz`;
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'atomenv-cli-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

interface Block {
  shape: number[];
  values: number[];
}

describe('atomenv compute, one frame, JSON', () => {
  it('prints the values of the library API on stdout when stdout is not a terminal', async () => {
    const [api] = await apiResults(CONFIG, WATER);
    const out = stdoutJson(runCli(['compute', '--config', CONFIG, WATER]));
    expect(Object.keys(out)).toEqual(['shape', 'values']);
    expect(out.shape).toEqual([192, api!.shape[1]]);
    expect(out.values).toEqual(Array.from(api!.values));
  });

  it('writes the same document to -o FILE.json as to -o -', () => {
    const file = path.join(tmp, 'water.json');
    const toFile = runCli(['compute', '-c', CONFIG, '-o', file, WATER]);
    expect(toFile).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const toStdout = runCli(['compute', '-c', CONFIG, '-o', '-', WATER]);
    expect(readFileSync(file, 'utf8')).toBe(toStdout.stdout);
  });

  it('--centers keeps the given atoms, in the given order', async () => {
    const centers = [5, 0, 17];
    const [api] = await apiResults(CONFIG, WATER, { centers });
    const out = stdoutJson(runCli(['compute', '-c', CONFIG, '--centers', JSON.stringify(centers), WATER]));
    expect(out.shape).toEqual([3, api!.shape[1]]);
    expect(out.values).toEqual(Array.from(api!.values));
  });

  it('--derivatives adds the dense derivatives of the API', async () => {
    const [api] = await apiResults(ETHANOL_CONFIG, ETHANOL, { derivatives: true });
    const out = stdoutJson(runCli(['compute', '-c', ETHANOL_CONFIG, '--derivatives', ETHANOL]));
    const d = out.derivatives as Block;
    expect(d.shape).toEqual([9, 9, 3, api!.shape[1]]);
    expect(d.shape).toEqual(api!.derivatives!.shape);
    expect(d.values).toEqual(Array.from(api!.derivatives!.values));
    expect(out.values).toEqual(Array.from(api!.values));
  });

  it('--derivatives --attach with --centers in a periodic box matches the API', async () => {
    const centers = [0, 1, 100];
    const [api] = await apiResults(CONFIG, WATER, { centers, derivatives: true, attach: true });
    const out = stdoutJson(runCli(['compute', '-c', CONFIG, '-d', '--attach', '--centers', '[0,1,100]', WATER]));
    const d = out.derivatives as Block;
    expect(d.shape).toEqual([3, 192, 3, api!.shape[1]]);
    expect(d.values).toEqual(Array.from(api!.derivatives!.values));
  });

  it('--summary prints a summary instead of the data', () => {
    const run = runCli(['compute', '-c', CONFIG, '--summary', WATER]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/1 frame, 192 atoms/);
    expect(run.stdout).toMatch(/min .*, max .*, mean /);
    expect(run.stdout).not.toMatch(/"values"/);
  });
});

describe('atomenv compute, one frame, npy', () => {
  it('writes float64 values and derivatives that decode to the API numbers', async () => {
    const [api] = await apiResults(ETHANOL_CONFIG, ETHANOL, { derivatives: true });
    const out = path.join(tmp, 'ethanol.npy');
    const run = runCli(['compute', '-c', ETHANOL_CONFIG, '-d', '-o', out, ETHANOL]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const values = decodeNpy(readFileSync(out));
    expect(values.dtype).toBe('float64');
    expect(values.shape).toEqual([9, api!.shape[1]]);
    expect(Array.from(values.values)).toEqual(Array.from(api!.values));
    const derivatives = decodeNpy(readFileSync(path.join(tmp, 'ethanol.derivatives.npy')));
    expect(derivatives.dtype).toBe('float64');
    expect(derivatives.shape).toEqual([...api!.derivatives!.shape]);
    expect(Array.from(derivatives.values)).toEqual(Array.from(api!.derivatives!.values));
  });

  it('--format npy writes npy whatever the file name', async () => {
    const [api] = await apiResults(CONFIG, WATER);
    const out = path.join(tmp, 'water.bin');
    expect(runCli(['compute', '-c', CONFIG, '--format', 'npy', '-o', out, WATER]).code).toBe(0);
    expect(Array.from(decodeNpy(readFileSync(out)).values)).toEqual(Array.from(api!.values));
  });
});
