import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter.js';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DescriptorService } from '../worker/service.js';
import type { WorkerHost, WorkerSpawner } from './workerHost.js';

/**
 * Worker threads running `workerUrl` (default: the bundled `workers/descriptor.node.cjs` next
 * to this module in `dist/`, the CommonJS build of `workers/descriptor.node.js`, which a
 * thread starts sooner).
 */
export function nodeWorkerSpawner(workerUrl: URL | string = new URL('./workers/descriptor.node.cjs', import.meta.url)): WorkerSpawner {
  return {
    defaultWorkers: () => Math.max(1, availableParallelism()),
    spawn(): WorkerHost {
      // A thread inherits the process's execArgv; `--input-type` (valid only with -e or stdin, as
      // in `node --input-type=module -e …`) would make it exit before loading the worker file.
      const worker = new Worker(workerUrl, { execArgv: process.execArgv.filter((a) => !a.startsWith('--input-type')) });
      const exited = new Promise<string>((resolve) => {
        worker.once('exit', (code) => resolve(`the worker exited with code ${code}`));
      });
      // An uncaught error in the worker is followed by 'exit'; listening keeps it from being
      // rethrown in the main thread.
      worker.on('error', () => undefined);
      const service = Comlink.wrap<DescriptorService>(nodeEndpoint(worker));
      return {
        service,
        exited,
        async terminate() {
          service[Comlink.releaseProxy]();
          await worker.terminate();
        },
      };
    },
  };
}
