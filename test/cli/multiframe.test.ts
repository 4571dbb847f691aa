import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy } from '../../src/io/npy.js';
import { apiResults } from './apiReference.js';
import { CLI_FIXTURES, ROOT, runCli, stdoutJson } from './runCli.js';

const CONFIG = `${CLI_FIXTURES}acsf_HCNO.json`;
const FRAMES = `${CLI_FIXTURES}chno_5frames.extxyz`;
let tmp: string;
/** The fixture with frame 2 turned into sulfur (not in species) and a truncated frame 5 appended. */
let broken: string;

/** The frames of an extxyz text, each as its own text. */
function splitFrames(text: string): string[] {
  const lines = text.trimEnd().split('\n');
  const frames: string[] = [];
  for (let i = 0; i < lines.length; ) {
    const n = Number(lines[i]);
    frames.push(`${lines.slice(i, i + n + 2).join('\n')}\n`);
    i += n + 2;
  }
  return frames;
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'atomenv-cli-multi-'));
  const frames = splitFrames(readFileSync(path.join(ROOT, FRAMES), 'utf8'));
  frames[2] = frames[2]!.replace(/\n[A-Z][a-z]?(\s)/, '\nS$1');
  const truncated = frames[0]!.split('\n').slice(0, 4).join('\n');
  broken = path.join(tmp, 'broken.extxyz');
  writeFileSync(broken, frames.join('') + truncated + '\n');
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** Running sums of the counts, starting at 0. */
function offsetsOf(counts: number[]): number[] {
  return counts.reduce((acc, n) => [...acc, acc[acc.length - 1]! + n], [0]);
}

function concat(arrays: Float64Array[]): number[] {
  return arrays.flatMap((a) => Array.from(a));
}

describe('atomenv compute on a multi-frame file', () => {
  it('JSON: values of every frame, concatenated, with offsets consistent with atom counts', async () => {
    const api = await apiResults(CONFIG, FRAMES);
    const out = stdoutJson(runCli(['compute', '-c', CONFIG, FRAMES]));
    expect(out.frames).toBe(5);
    expect(out.failed).toEqual([]);
    expect(out.frame_offsets).toEqual(offsetsOf(api.map((f) => f.nAtoms)));
    expect(out.shape).toEqual([api.reduce((n, f) => n + f.nAtoms, 0), api[0]!.shape[1]]);
    expect(out.values).toEqual(concat(api.map((f) => f.values)));
    expect(out).not.toHaveProperty('derivatives');
  });

  it('JSON: --derivatives gives one dense block per frame', async () => {
    const api = await apiResults(CONFIG, FRAMES, { derivatives: true });
    const out = stdoutJson(runCli(['compute', '-c', CONFIG, '-d', FRAMES]));
    const blocks = out.derivatives as { shape: number[]; values: number[] }[];
    expect(blocks).toHaveLength(5);
    blocks.forEach((block, k) => {
      expect(block.shape).toEqual([api[k]!.nAtoms, api[k]!.nAtoms, 3, api[k]!.shape[1]]);
      expect(block.values).toEqual(Array.from(api[k]!.derivatives!.values));
    });
  });

  it('--centers applies to every frame', async () => {
    const api = await apiResults(CONFIG, FRAMES, { centers: [1, 0] });
    const out = stdoutJson(runCli(['compute', '-c', CONFIG, '--centers', '[1,0]', FRAMES]));
    expect(out.frame_offsets).toEqual([0, 2, 4, 6, 8, 10]);
    expect(out.values).toEqual(concat(api.map((f) => f.values)));
  });

  it('npy: values, int32 frame offsets, failed list and one derivatives file per frame', async () => {
    const api = await apiResults(CONFIG, FRAMES, { derivatives: true });
    const stem = path.join(tmp, 'batch');
    const run = runCli(['compute', '-c', CONFIG, '-d', '-o', `${stem}.npy`, FRAMES]);
    expect(run).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const values = decodeNpy(readFileSync(`${stem}.npy`));
    expect(values.dtype).toBe('float64');
    expect(Array.from(values.values)).toEqual(concat(api.map((f) => f.values)));
    const offsets = decodeNpy(readFileSync(`${stem}.frame_offsets.npy`));
    expect(offsets.dtype).toBe('int32');
    expect(Array.from(offsets.values)).toEqual(offsetsOf(api.map((f) => f.nAtoms)));
    expect(decodeNpy(readFileSync(`${stem}.failed.npy`))).toMatchObject({ dtype: 'int32', shape: [0] });
    api.forEach((frame, k) => {
      const d = decodeNpy(readFileSync(`${stem}.derivatives.${k}.npy`));
      expect(d.shape).toEqual([...frame.derivatives!.shape]);
      expect(Array.from(d.values)).toEqual(Array.from(frame.derivatives!.values));
    });
    expect(existsSync(`${stem}.derivatives.npy`)).toBe(false);
  });
});

describe('atomenv compute on a multi-frame file with bad frames', () => {
  it('JSON: writes the good frames, lists the bad ones, exits 1', async () => {
    const good = await apiResults(CONFIG, FRAMES, { derivatives: true });
    const out = path.join(tmp, 'broken.json');
    const run = runCli(['compute', '-c', CONFIG, '-d', '-o', out, broken]);
    expect(run.code).toBe(1);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^atomenv: .*broken\.extxyz, frame 2: atom \d+ is S, which is not among/);
    expect(lines[1]).toMatch(/^atomenv: .*frame 5: .*frames after it are not read/);
    expect(lines[2]).toBe('atomenv: 2 of 6 frames failed; the results of the other 4 are in the output');
    expect(run.stderr).not.toMatch(/\n\s+at /);

    const doc = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    const ok = [0, 1, 3, 4].map((k) => good[k]!);
    expect(doc.frames).toBe(6);
    expect(doc.failed).toMatchObject([
      { frame: 2, stage: 'compute', code: 'SPECIES_NOT_IN_DESCRIPTOR' },
      { frame: 5, stage: 'read', code: 'PARSE_ERROR' },
    ]);
    const n = good.map((f) => f.nAtoms);
    expect(doc.frame_offsets).toEqual(offsetsOf([n[0]!, n[1]!, 0, n[3]!, n[4]!, 0]));
    expect(doc.values).toEqual(concat(ok.map((f) => f.values)));
    const blocks = doc.derivatives as ({ values: number[] } | null)[];
    expect(blocks.map((b) => b === null)).toEqual([false, false, true, false, false, true]);
    expect(blocks[3]!.values).toEqual(Array.from(good[3]!.derivatives!.values));
  });

  it('npy: writes the good frames and the failed frame indices, exits 1', () => {
    const stem = path.join(tmp, 'broken');
    const run = runCli(['compute', '-c', CONFIG, '-d', '-o', `${stem}.npy`, broken]);
    expect(run.code).toBe(1);
    expect(Array.from(decodeNpy(readFileSync(`${stem}.failed.npy`)).values)).toEqual([2, 5]);
    expect(decodeNpy(readFileSync(`${stem}.frame_offsets.npy`)).shape).toEqual([7]);
    expect([0, 1, 2, 3, 4, 5].map((k) => existsSync(`${stem}.derivatives.${k}.npy`))).toEqual([true, true, false, true, true, false]);
  });
});
