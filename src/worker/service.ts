import { createDescriptor, type Descriptor } from '../descriptors/registry.js';
import type { DescriptorValues, WithDerivatives } from '../descriptors/results.js';
import type { SOAPValues, SOAPWithDerivatives } from '../soap/soap.js';
import type { DerivativesLayout } from '../gradients/atomGradients.js';
import type { Structure } from '../structure/structure.js';
import { init } from '../wasm/loader.js';

/** A descriptor request: `{ descriptor: 'acsf', ...its constructor options }`. */
export interface DescriptorConfig {
  descriptor: string;
  [option: string]: unknown;
}

/** Options of {@link DescriptorService.compute}. */
export interface ComputeOptions {
  centers?: number[] | null;
  /** Also return derivatives with respect to atom positions. */
  derivatives?: boolean;
  attach?: boolean;
  layout?: DerivativesLayout;
}

/**
 * What a worker exposes (through comlink): the same kernels as the main thread, so every
 * descriptor can run off the main thread. The caller compiles the wasm once and passes the
 * `WebAssembly.Module` to {@link init}, which instantiates it in the worker.
 */
export interface DescriptorService {
  init(module?: WebAssembly.Module): Promise<void>;
  compute(config: DescriptorConfig, structure: Structure, options?: ComputeOptions): DescriptorValues | WithDerivatives | SOAPValues | SOAPWithDerivatives;
}

/**
 * A service object for a worker entry point. `transfer(result, buffers)` marks the result's
 * buffers as transferable (comlink's `transfer` in the entry points), so results are not copied.
 */
export function createDescriptorService(transfer: <T>(value: T, buffers: ArrayBuffer[]) => T): DescriptorService {
  // Descriptors are cached by their config, so repeated requests reuse the packed parameters.
  const cache = new Map<string, Descriptor>();
  const descriptorFor = (config: DescriptorConfig): Descriptor => {
    const key = JSON.stringify(config);
    let d = cache.get(key);
    if (d === undefined) {
      const { descriptor, ...options } = config;
      d = createDescriptor(descriptor, options);
      cache.set(key, d);
    }
    return d;
  };
  return {
    async init(module) {
      await init(module === undefined ? {} : { module });
    },
    compute(config, structure, options = {}) {
      const d = descriptorFor(config);
      if (!options.derivatives) {
        const out = d.create(structure, { centers: options.centers ?? null });
        return transfer(out, [out.values.buffer as ArrayBuffer]);
      }
      const out = d.derivatives(structure, { centers: options.centers ?? null, attach: options.attach ?? false, layout: options.layout ?? 'dense' });
      const buffers = [out.values.buffer, out.derivatives.values.buffer] as ArrayBuffer[];
      if (out.derivatives.layout === 'sparse') buffers.push(out.derivatives.offsets.buffer as ArrayBuffer, out.derivatives.atoms.buffer as ArrayBuffer);
      return transfer(out, buffers);
    },
  };
}
