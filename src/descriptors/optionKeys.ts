import { invalidParameter } from '../errors.js';

/**
 * Refuses keys of a descriptor's options object that it does not take: a typo or DScribe's
 * snake_case name (`r_cut`, `n_max`) would otherwise be ignored and the default used.
 */
export function checkOptionKeys(owner: string, options: object, keys: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (keys.includes(key)) continue;
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const hint = camel !== key && keys.includes(camel) ? ` (did you mean '${camel}'?)` : '';
    invalidParameter(`${owner}: unknown option '${key}'${hint}; its options: ${keys.join(', ')}`);
  }
}
