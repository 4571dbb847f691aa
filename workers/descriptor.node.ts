// Node worker_threads entry point: exposes the descriptor service over comlink.
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter.js';
import { parentPort } from 'node:worker_threads';
import { createDescriptorService } from '../src/worker/service.js';

if (parentPort === null) throw new Error('atomenv: workers/descriptor.node.js must run in a worker thread');
Comlink.expose(createDescriptorService(Comlink.transfer), nodeEndpoint(parentPort));
