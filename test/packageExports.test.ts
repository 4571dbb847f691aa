// The specifiers the README gives users resolve through package.json `exports` (by the package's
// own name, as an installed package would be imported) to files that `npm pack` ships.
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter.js';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { expect, it } from 'vitest';
import { ACSF, init, wasmBytes } from '../src/index.js';
import type { DescriptorService } from '../src/worker/service.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; files: string[] };
// Resolving from inside the package by its own name goes through `exports`, as for a user.
const resolve = createRequire(path.join(ROOT, 'package.json')).resolve;

const DOCUMENTED = [
  'atomenv',
  'atomenv/serverless',
  'atomenv/wasm/simd.wasm',
  'atomenv/wasm/relaxed.wasm',
  'atomenv/workers/descriptor.node.js',
  'atomenv/workers/descriptor.node.cjs',
  'atomenv/workers/descriptor.browser.js',
  'atomenv/package.json',
];

it.each(DOCUMENTED)('%s resolves by package name to a shipped file', (specifier) => {
  expect(pkg.name).toBe('atomenv');
  const file = resolve(specifier);
  expect(existsSync(file), file).toBe(true);
  const relative = path.relative(ROOT, file).split(path.sep).join('/');
  // npm always packs package.json; everything else must be under `files`.
  const shipped = relative === 'package.json' || pkg.files.some((entry) => relative === entry || relative.startsWith(`${entry}/`));
  expect(shipped, relative).toBe(true);
});

it('the worker entry reached by package name computes over comlink', async () => {
  await init();
  const worker = new Worker(resolve('atomenv/workers/descriptor.node.js'));
  const service = Comlink.wrap<DescriptorService>(nodeEndpoint(worker));
  try {
    await service.init(await WebAssembly.compile(wasmBytes('simd')));
    const options = { species: ['H'], rCut: 3, g2Params: [[1, 0]] as [number, number][] };
    const h2 = { symbols: ['H', 'H'], positions: [[0, 0, 0], [0, 0, 0.74]] };
    const remote = await service.compute({ descriptor: 'acsf', ...options }, h2);
    expect(Array.from(remote.values)).toEqual(Array.from(new ACSF(options).create(h2).values));
  } finally {
    service[Comlink.releaseProxy]();
    await worker.terminate();
  }
});
