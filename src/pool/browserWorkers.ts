import * as Comlink from 'comlink';
import type { DescriptorService } from '../worker/service.js';
import type { WorkerHost, WorkerSpawner } from './workerHost.js';

/**
 * Module Web Workers running `workerUrl` (default: the bundled `workers/descriptor.browser.js`
 * next to this module in `dist/`).
 */
export function browserWorkerSpawner(workerUrl: URL | string = new URL('./workers/descriptor.browser.js', import.meta.url)): WorkerSpawner {
  return {
    defaultWorkers: () => Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 2),
    spawn(): WorkerHost {
      const worker = new Worker(workerUrl, { type: 'module' });
      let gone: (reason: string) => void = () => undefined;
      const exited = new Promise<string>((resolve) => {
        gone = resolve;
      });
      // A Web Worker has no exit event: an uncaught error counts as a crash.
      worker.addEventListener('error', (event) => {
        worker.terminate();
        gone(`the worker failed: ${(event as ErrorEvent).message ?? 'error'}`);
      });
      const service = Comlink.wrap<DescriptorService>(worker);
      return {
        service,
        exited,
        async terminate() {
          service[Comlink.releaseProxy]();
          worker.terminate();
          gone('the worker was terminated');
        },
      };
    },
  };
}
