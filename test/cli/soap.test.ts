import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy } from '../../src/io/npy.js';
import { readStructures } from '../../src/io/readStructures.node.js';
import { init, rematchKernel, SOAP, type DenseDerivatives, type SOAPOptions } from '../../src/index.js';
import { CLI_FIXTURES, ROOT, runCli, stdoutJson, STRUCTURES } from './runCli.js';

const CONFIG = `${CLI_FIXTURES}soap_HCNO.json`;
const ETHANOL = `${STRUCTURES}mol_CH3CH2OH.extxyz`;
const FRAMES = `${CLI_FIXTURES}chno_5frames.extxyz`;
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'atomenv-cli-soap-'));
  await init();
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** The SOAP of a config file (without its "descriptor" key), plus extra options. */
function soapOf(extra: Partial<SOAPOptions> = {}): SOAP {
  const { descriptor, ...options } = JSON.parse(readFileSync(path.join(ROOT, CONFIG), 'utf8')) as Record<string, unknown>;
  expect(descriptor).toBe('soap');
  return new SOAP({ ...(options as unknown as SOAPOptions), ...extra });
}

/** A copy of the fixture config with extra options, written to the temporary folder. */
function configWith(name: string, extra: Record<string, unknown>): string {
  const file = path.join(tmp, name);
  const base = JSON.parse(readFileSync(path.join(ROOT, CONFIG), 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...base, ...extra }));
  return file;
}

describe('atomenv compute with {"descriptor": "soap"}', () => {
  it('prints the values of SOAP.create', async () => {
    const [structure] = await readStructures(path.join(ROOT, ETHANOL));
    const api = soapOf().create(structure!);
    const out = stdoutJson(runCli(['compute', '-c', CONFIG, ETHANOL]));
    expect(out.shape).toEqual(api.shape);
    expect(out.values).toEqual(Array.from(api.values));
  });

  it('--derivatives --attach gives the dense derivatives of SOAP.derivatives', async () => {
    const [structure] = await readStructures(path.join(ROOT, ETHANOL));
    const api = soapOf().derivatives(structure!, { attach: true });
    const out = stdoutJson(runCli(['compute', '-c', CONFIG, '--derivatives', '--attach', ETHANOL]));
    const d = out.derivatives as { shape: number[]; values: number[] };
    expect(d.shape).toEqual((api.derivatives as DenseDerivatives).shape);
    expect(d.values).toEqual(Array.from(api.derivatives.values));
  });

  it('dtype float32 writes a float32 .npy; averaging gives one row per frame', async () => {
    const config = configWith('soap_f32_inner.json', { dtype: 'float32', average: 'inner' });
    const file = path.join(tmp, 'frames.npy');
    const run = runCli(['compute', '-c', config, '-o', file, FRAMES]);
    expect(run.code).toBe(0);
    const npy = decodeNpy(readFileSync(file));
    expect(npy.dtype).toBe('float32');
    const frames = await readStructures(path.join(ROOT, FRAMES));
    const soap = soapOf({ dtype: 'float32', average: 'inner' });
    expect(npy.shape).toEqual([frames.length, soap.numFeatures]);
    const expected = frames.flatMap((f) => Array.from(soap.create(f).values));
    expect(Array.from(npy.values)).toEqual(expected);
  });

  it('atomenv kernel --kernel rematch works on SOAP features like the library', async () => {
    const frames = await readStructures(path.join(ROOT, FRAMES));
    const soap = soapOf();
    const want = rematchKernel(frames.map((f) => soap.create(f) as { values: Float64Array; shape: [number, number] }), null);
    const out = stdoutJson(runCli(['kernel', '-c', CONFIG, '--kernel', 'rematch', FRAMES]));
    expect(out.shape).toEqual([frames.length, frames.length]);
    expect(out.values).toEqual(Array.from(want.values));
  });

  it('rejects a SOAP option it does not know, naming it', () => {
    const config = configWith('soap_typo.json', { r_cut: 4 });
    const run = runCli(['compute', '-c', config, ETHANOL]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/soap has no option "r_cut"/);
  });
});
