import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter.js';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ACSF, SOAP, init, wasmBytes, type WithDerivatives } from '../../src/index.js';
import type { DescriptorService } from '../../src/worker/service.js';
import { readShared } from '../helpers/shared.js';

// The built worker bundle (npm test builds first).
const workerFile = fileURLToPath(new URL('../../dist/workers/descriptor.node.js', import.meta.url));
let worker: Worker;
let service: Comlink.Remote<DescriptorService>;

beforeAll(async () => {
  await init();
  worker = new Worker(workerFile);
  service = Comlink.wrap<DescriptorService>(nodeEndpoint(worker));
  // Compile once here, instantiate in the worker.
  await service.init(await WebAssembly.compile(wasmBytes('simd')));
});

afterAll(async () => {
  service[Comlink.releaseProxy]();
  await worker.terminate();
});

const config = { descriptor: 'acsf', species: ['H', 'O'], rCut: 5, periodic: true, g2Params: [[0.5, 0]], g4Params: [[0.01, 2, -1]] };

test('a worker computes the same ACSF values and gradients as the main thread', async () => {
  const water = readShared('data/structures/water_64mol_192atoms.extxyz')[0]!;
  const { descriptor: _name, ...options } = config;
  const local = new ACSF(options as never);
  const remote = await service.compute(config, water, { centers: [0, 5, 17] });
  expect(Array.from(remote.values)).toEqual(Array.from(local.create(water, { centers: [0, 5, 17] }).values));
  const remoteGrad = (await service.compute(config, water, { centers: [3], derivatives: true, attach: true, layout: 'sparse' })) as WithDerivatives;
  const localGrad = local.derivatives(water, { centers: [3], attach: true, layout: 'sparse' });
  expect(Array.from(remoteGrad.derivatives.values)).toEqual(Array.from(localGrad.derivatives.values));
});

test('a worker computes the same SOAP values (float32 too) and gradients as the main thread', async () => {
  const water = readShared('data/structures/water_64mol_192atoms.extxyz')[0]!;
  const options = { species: ['H', 'O'], rCut: 4, nMax: 4, lMax: 4, sigma: 0.5, periodic: true };
  const local = new SOAP(options);
  const remote = await service.compute({ descriptor: 'soap', ...options }, water, { centers: [0, 5, 17] });
  expect(Array.from(remote.values)).toEqual(Array.from(local.create(water, { centers: [0, 5, 17] }).values));
  const remote32 = await service.compute({ descriptor: 'soap', ...options, dtype: 'float32' }, water, { centers: [2] });
  expect(remote32.values).toBeInstanceOf(Float32Array);
  const remoteGrad = (await service.compute({ descriptor: 'soap', ...options }, water, { centers: [3], derivatives: true, attach: true, layout: 'sparse' })) as WithDerivatives;
  const localGrad = local.derivatives(water, { centers: [3], attach: true, layout: 'sparse' });
  expect(Array.from(remoteGrad.derivatives.values)).toEqual(Array.from(localGrad.derivatives.values));
});

test('errors in a worker reach the caller with their message', async () => {
  const bad = { symbols: ['H', 'C'], positions: [[0, 0, 0], [1, 0, 0]] };
  await expect(service.compute({ ...config, periodic: false }, bad)).rejects.toThrow(/atom 1 is C/);
});
