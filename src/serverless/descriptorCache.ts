import { createDescriptor, type Descriptor } from '../descriptors/registry.js';
import { AtomenvError } from '../errors.js';
import type { DescriptorConfig } from './computeRequest.js';

/**
 * The descriptors of the most recently used configs (least recently used dropped first), so that
 * repeated requests reuse the validated parameters and tables without growing without bound.
 * A config the registry rejected is remembered too (its AtomenvError is thrown again), since
 * finding out can take long (e.g. a SOAP radial table that does not converge).
 */
export class DescriptorCache {
  private readonly entries = new Map<string, Descriptor | AtomenvError>();

  constructor(private readonly capacity = 8) {}

  /** The descriptor of `config`, built by the registry on a miss (its errors propagate). */
  get(config: DescriptorConfig): Descriptor {
    const key = JSON.stringify(config);
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      if (hit instanceof AtomenvError) throw hit;
      return hit;
    }
    const { descriptor, ...options } = config;
    let built: Descriptor | AtomenvError;
    try {
      built = createDescriptor(descriptor, options);
    } catch (error) {
      if (!(error instanceof AtomenvError)) throw error;
      built = error;
    }
    this.entries.set(key, built);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    if (built instanceof AtomenvError) throw built;
    return built;
  }
}
