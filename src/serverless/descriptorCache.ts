import { createDescriptor, type Descriptor } from '../descriptors/registry.js';
import type { DescriptorConfig } from './computeRequest.js';

/**
 * The descriptors of the most recently used configs (least recently used dropped first), so that
 * repeated requests reuse the validated parameters and tables without growing without bound.
 */
export class DescriptorCache {
  private readonly entries = new Map<string, Descriptor>();

  constructor(private readonly capacity = 8) {}

  /** The descriptor of `config`, built by the registry on a miss (its errors propagate). */
  get(config: DescriptorConfig): Descriptor {
    const key = JSON.stringify(config);
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const { descriptor, ...options } = config;
    const built = createDescriptor(descriptor, options);
    this.entries.set(key, built);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return built;
  }
}
