import type * as Comlink from 'comlink';
import type { DescriptorService } from '../worker/service.js';

/**
 * One worker as the pool sees it: its comlink proxy, a promise that settles when the worker is
 * gone (crashed, exited or terminated), and a way to terminate it. comlink does not reject a
 * pending call when its worker dies, so the pool races every call against `exited`.
 */
export interface WorkerHost {
  readonly service: Comlink.Remote<DescriptorService>;
  /** Resolves (with a reason) once the worker is gone. */
  readonly exited: Promise<string>;
  /** Stops the worker (a running wasm call included) and frees its resources. */
  terminate(): Promise<void>;
}

/** Starts workers for a runtime (Node worker_threads or browser Web Workers). */
export interface WorkerSpawner {
  spawn(): WorkerHost;
  /** Workers to start when the caller does not say: the machine's available parallelism. */
  defaultWorkers(): number;
}
