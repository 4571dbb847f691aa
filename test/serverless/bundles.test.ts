import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACSF, decodeNpy, init, parseStructures, type ACSFOptions } from '../../src/index.js';
import { ROOT } from '../cli/runCli.js';

const EDGE_RUNTIME = fileURLToPath(new URL('./fixtures/edgeRuntime.mjs', import.meta.url));
const WATER = readFileSync(path.join(ROOT, 'examples/water_64mol.extxyz'), 'utf8');
const CONFIG = JSON.parse(readFileSync(path.join(ROOT, 'examples/acsf.json'), 'utf8')) as Record<string, unknown>;
const NEUTRAL = ['dist/serverless.js', 'dist/index.workerd.js', 'dist/index.edge-light.js', 'dist/serverless.workerd.js', 'dist/serverless.edge-light.js'];

let expected: { values: number[]; shape: number[] };
beforeAll(async () => {
  await init();
  const { descriptor: _, ...options } = CONFIG;
  const out = new ACSF(options as unknown as ACSFOptions).create(parseStructures(WATER)[0]!, { centers: [0, 7] });
  expected = { values: Array.from(out.values), shape: out.shape };
});

/** Runs an edge bundle's default `fetch` in a child Node with edge-like wasm loading. */
function edgeFetch(bundle: string, request: { path: string; method?: string; headers?: Record<string, string>; body?: string }, nodeArgs: string[] = []) {
  const run = spawnSync(process.execPath, [...nodeArgs, EDGE_RUNTIME, path.join(ROOT, bundle), JSON.stringify(request)], { encoding: 'utf8', cwd: ROOT });
  if (run.status !== 0) throw new Error(`edge runtime failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as { status: number; contentType: string; body: string };
}

describe('serverless bundles and package exports', () => {
  it('every package export target exists', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    const targets: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') targets.push(v);
      else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(pkg.exports);
    for (const target of targets) expect(existsSync(path.join(ROOT, target)), target).toBe(true);
    const conditions = Object.keys(pkg.exports['./serverless'] as object);
    for (const c of ['workerd', 'edge-light', 'deno', 'node', 'default']) expect(conditions).toContain(c);
  });

  it('the neutral and edge bundles reach no Node built-in', () => {
    for (const bundle of NEUTRAL) expect(readFileSync(path.join(ROOT, bundle), 'utf8'), bundle).not.toMatch(/from\s*["']node:|require\(["']node:/);
  });

  it('the edge bundles import the wasm beside them as a module', () => {
    for (const [bundle, specifier] of [
      ['dist/serverless.workerd.js', './atomenv.simd.wasm'],
      ['dist/index.workerd.js', './atomenv.simd.wasm'],
      ['dist/serverless.edge-light.js', './atomenv.simd.wasm?module'],
      ['dist/index.edge-light.js', './atomenv.simd.wasm?module'],
    ] as const) {
      expect(readFileSync(path.join(ROOT, bundle), 'utf8')).toContain(`from "${specifier}"`);
    }
  });

  it('dist/serverless.js computes with init() from the embedded bytes (Node, Deno)', async () => {
    const lib = (await import(pathToFileURL(path.join(ROOT, 'dist/serverless.js')).href)) as typeof import('../../src/serverless/index.js');
    const handler = lib.createHandler();
    const response = await handler(
      new Request('http://localhost/v1/compute', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ config: CONFIG, structure: WATER, centers: [0, 7] }),
      }),
    );
    expect(await response.json()).toEqual(expected);
  });

  it.each(['dist/serverless.workerd.js', 'dist/serverless.edge-light.js'])(
    '%s: the default { fetch } computes with the imported module, never compiling bytes',
    (bundle) => {
      expect(edgeFetch(bundle, { path: '/v1/health' }).status).toBe(200);
      const body = JSON.stringify({ config: CONFIG, structure: WATER, centers: [0, 7] });
      const asJson = edgeFetch(bundle, { path: '/v1/compute', method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(asJson.status).toBe(200);
      expect(JSON.parse(asJson.body)).toEqual(expected);
      const asNpy = edgeFetch(bundle, {
        path: '/v1/compute',
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/octet-stream' },
        body,
      });
      expect(asNpy.contentType).toBe('application/octet-stream');
      const npy = decodeNpy(new Uint8Array(Buffer.from(asNpy.body, 'base64')));
      expect({ shape: npy.shape, values: Array.from(npy.values) }).toEqual(expected);
    },
  );

  it.each(['dist/index.workerd.js', 'dist/index.edge-light.js'])('%s: init() takes the imported module', (bundle) => {
    const run = spawnSync(process.execPath, [EDGE_RUNTIME, path.join(ROOT, bundle), 'init'], { encoding: 'utf8', cwd: ROOT });
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as { variant: string; values: number[] };
    expect(out.variant).toBe('external');
    expect(out.values).toHaveLength(4);
  });

  it('the edge-runtime simulation does refuse wasm compiled from bytes (dist/serverless.js fails there)', () => {
    const run = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `
        WebAssembly.compile = () => { throw new Error('no compile'); };
        const { createHandler } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/serverless.js')).href)});
        const r = await createHandler({ onError: () => {} })(new Request('http://x/v1/compute', { method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ config: { descriptor: 'acsf', species: ['H'], rCut: 3 }, structure: { symbols: ['H'], positions: [[0, 0, 0]] } }) }));
        process.stdout.write(String(r.status));`],
      { encoding: 'utf8' },
    );
    expect(run.stdout).toBe('500');
  });

  it.each(['workerd', 'edge-light'])('examples/serverless/cloudflare/worker.js runs with the %s condition of the package exports', (condition) => {
    const body = JSON.stringify({ config: CONFIG, structure: WATER, centers: [0, 7] });
    const request = { path: '/v1/compute', method: 'POST', headers: { 'content-type': 'application/json' }, body };
    const out = edgeFetch('examples/serverless/cloudflare/worker.js', request, [`--conditions=${condition}`]);
    expect(out.status).toBe(200);
    expect(JSON.parse(out.body)).toEqual(expected);
  });

  it('examples/serverless/node/server.mjs serves through the "node" export', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'examples/serverless/node/server.mjs')], { cwd: ROOT, env: { ...process.env, PORT: '0' } });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          const match = /listening on (http:\/\/\S+)/.exec(d);
          if (match !== null) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`the example exited with ${code}`)));
      });
      const response = await fetch(`${url}/v1/compute`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ config: CONFIG, structure: WATER, centers: [0, 7] }),
      });
      expect(await response.json()).toEqual(expected);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
  });
});
