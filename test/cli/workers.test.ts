import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressLine } from '../../src/cli/progress.js';
import { decodeNpy } from '../../src/io/npy.js';
import { CLI_FIXTURES, runCli, STRUCTURES } from './runCli.js';

const SOAP_CONFIG = `${CLI_FIXTURES}soap_HCNO.json`;
const ACSF_CONFIG = `${CLI_FIXTURES}acsf_HCNO.json`;
const FRAMES = `${CLI_FIXTURES}chno_5frames.extxyz`;
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'atomenv-cli-workers-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** The batch of 972 molecules followed by a frame with an element no config has. */
function framesWithABadOne(): string {
  const batch = readFileSync(path.join(STRUCTURES, 'batch_g2_CHNO_972.extxyz'), 'utf8');
  const frames = batch.split(/\n(?=\d+\n)/).slice(0, 40);
  const bad = '2\nProperties=species:S:1:pos:R:3 pbc="F F F"\nH 0 0 0\nXe 1.5 0 0';
  frames.splice(17, 0, bad);
  const file = path.join(tmp, 'with_bad.extxyz');
  writeFileSync(file, `${frames.join('\n').trimEnd()}\n`);
  return file;
}

describe('atomenv compute --workers', () => {
  for (const config of [SOAP_CONFIG, ACSF_CONFIG]) {
    it(`gives the same files as the main thread, failed frame included (${path.basename(config)})`, () => {
      const input = framesWithABadOne();
      const one = path.join(tmp, 'one.npy');
      const two = path.join(tmp, 'two.npy');
      const main = runCli(['compute', '-c', config, '-o', one, input]);
      const pooled = runCli(['compute', '-c', config, '--workers', '2', '-o', two, input]);
      expect(main.code).toBe(1); // one frame failed
      expect(pooled.code).toBe(1);
      expect(pooled.stderr).toMatch(/frame 17: .*Xe/);
      for (const suffix of ['.npy', '.frame_offsets.npy', '.failed.npy']) {
        expect(readFileSync(two.replace('.npy', suffix))).toEqual(readFileSync(one.replace('.npy', suffix)));
      }
      expect(Array.from(decodeNpy(readFileSync(two.replace('.npy', '.failed.npy'))).values)).toEqual([17]);
    });
  }

  it('with --derivatives and JSON output, equals the main thread', () => {
    const main = runCli(['compute', '-c', SOAP_CONFIG, '-d', '--attach', '-o', '-', FRAMES]);
    const pooled = runCli(['compute', '-c', SOAP_CONFIG, '-d', '--attach', '-w', '2', '-o', '-', FRAMES]);
    expect(pooled.code).toBe(0);
    expect(pooled.stdout).toBe(main.stdout);
  });

  it('rejects a bad worker count', () => {
    for (const bad of ['0', 'two', '1.5']) {
      const run = runCli(['compute', '-c', SOAP_CONFIG, '--workers', bad, FRAMES]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--workers must be a whole number/);
    }
    expect(runCli(['compute', '-c', SOAP_CONFIG, '--workers', '-1', FRAMES]).code).toBe(2);
  });

  it('streams .npy output: peak memory does not grow with the number of frames', () => {
    // 3-atom frames with 312 SOAP features: 20 000 frames make a 150 MB values file, which the
    // process would hold (and more) if it kept the values; 2 000 frames make 15 MB.
    const frame = readFileSync(path.join(STRUCTURES, 'mol_H2O.extxyz'), 'utf8').trimEnd();
    const peak = (frames: number, workers: string[]): { mib: number; bytes: number } => {
      const input = path.join(tmp, `water_${frames}.extxyz`);
      writeFileSync(input, `${Array.from({ length: frames }, () => frame).join('\n')}\n`);
      const out = path.join(tmp, `water_${frames}.npy`);
      const run = runCli(['compute', '-c', SOAP_CONFIG, ...workers, '--summary', '-o', out, input]);
      expect(run.code).toBe(0);
      const match = /peak memory (\d+) MiB/.exec(run.stdout);
      expect(match).not.toBeNull();
      const header = readFileSync(out).subarray(0, 128).toString('latin1');
      expect(header).toContain(`'shape': (${3 * frames}, 312)`);
      return { mib: Number(match![1]), bytes: statSync(out).size };
    };
    for (const workers of [[], ['-w', '2']]) {
      const small = peak(2000, workers);
      const big = peak(20000, workers);
      expect(big.bytes).toBeGreaterThan(140e6);
      // The big run writes 135 MB more than the small one; its peak memory stays within 60 MiB.
      expect(big.mib - small.mib).toBeLessThan(60);
    }
  }, 120000);
});

describe('progress line', () => {
  it('shows a bar, percentage, rate and ETA when the input size is known', () => {
    expect(progressLine(50, 500, 0, 2, 250, 1000)).toBe('atomenv: [#####...............]  25% 50 frames, 500 atoms, 25 frames/s, ETA 0:06');
    expect(progressLine(10, 30, 2, 5, 0, null)).toBe('atomenv: 10 frames, 2 failed, 30 atoms, 2 frames/s');
    expect(progressLine(1, 3, 0, 3600, 1, 4)).toMatch(/ETA 3:00:00$/);
  });
});
