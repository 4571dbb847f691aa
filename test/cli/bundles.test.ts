import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy } from '../../src/io/npy.js';
import { CLI, ROOT } from './runCli.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'atomenv-bundles-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('the bundles of scripts/bundle.mjs', () => {
  it('dist/index.js reaches no Node built-in', () => {
    const text = readFileSync(path.join(ROOT, 'dist/index.js'), 'utf8');
    expect(text).not.toMatch(/from\s*["']node:|require\(["']node:/);
  });

  it('dist/index.js parses structure text and computes descriptors without file access', async () => {
    const lib = (await import(pathToFileURL(path.join(ROOT, 'dist/index.js')).href)) as typeof import('../../src/index.js');
    await lib.init();
    const text = readFileSync(path.join(ROOT, 'examples/water_64mol.extxyz'), 'utf8');
    expect(lib.detectFormat(text)).toBe('extxyz');
    const [water] = lib.parseStructures(text);
    const acsf = new lib.ACSF({ species: ['H', 'O'], rCut: 5, periodic: true, g2Params: [[1, 0]], g4Params: [[0.01, 1, 1]] });
    const { values, shape } = acsf.create(water!, { centers: [0, 1] });
    expect(shape).toEqual([2, acsf.numFeatures]);
    const npy = lib.decodeNpy(lib.encodeNpy(values, shape, 'float32'));
    expect(npy.dtype).toBe('float32');
    expect(Array.from(npy.values)).toEqual(Array.from(Float32Array.from(values)));
  });

  it('dist/cli.js is an executable script', () => {
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(CLI).mode & 0o111).not.toBe(0);
  });

  it('dist/index.node.js reads structure files and writes .npy files', async () => {
    const lib = (await import(pathToFileURL(path.join(ROOT, 'dist/index.node.js')).href)) as typeof import('../../src/index.node.js');
    await lib.init();
    const frames = await lib.readStructures(path.join(ROOT, 'examples/water_64mol.extxyz'));
    const streamed = [];
    for await (const frame of lib.iterateStructures(path.join(ROOT, 'examples/water_64mol.extxyz'))) streamed.push(frame);
    expect(streamed).toHaveLength(frames.length);
    const acsf = new lib.ACSF({ species: ['H', 'O'], rCut: 5, g2Params: [[1, 0]] });
    const { values, shape } = acsf.create(frames[0]!);
    const out = path.join(tmp, 'v.npy');
    await lib.writeNpy(out, values, shape);
    const back = decodeNpy(readFileSync(out));
    expect(back.shape).toEqual(shape);
    expect(Array.from(back.values)).toEqual(Array.from(values));
    await expect(lib.writeNpy(path.join(tmp, 'no/dir/v.npy'), values, shape)).rejects.toMatchObject({ code: 'IO_ERROR' });
  });

  it('type declarations are emitted for both entries', () => {
    expect(statSync(path.join(ROOT, 'dist/types/index.d.ts')).isFile()).toBe(true);
    expect(readFileSync(path.join(ROOT, 'dist/types/index.node.d.ts'), 'utf8')).toContain('writeNpy');
  });
});
