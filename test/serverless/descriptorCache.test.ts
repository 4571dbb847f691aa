import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/index.js';
import { DescriptorCache } from '../../src/serverless/descriptorCache.js';

const ACSF = { descriptor: 'acsf', species: ['H'], rCut: 3, g2Params: [[1, 0]] };

beforeAll(async () => {
  await init();
});

describe('DescriptorCache', () => {
  it('reuses descriptors, drops the least recently used, and remembers rejected configs', () => {
    const cache = new DescriptorCache(2);
    const a = cache.get(ACSF);
    expect(cache.get({ ...ACSF })).toBe(a);
    const b = cache.get({ ...ACSF, rCut: 4 });
    cache.get(ACSF); // a is now the most recent
    cache.get({ ...ACSF, rCut: 5 }); // drops b
    expect(cache.get(ACSF)).toBe(a);
    expect(cache.get({ ...ACSF, rCut: 4 })).not.toBe(b);
    const bad = { ...ACSF, rCut: -1 };
    let first: unknown;
    try {
      cache.get(bad);
    } catch (error) {
      first = error;
    }
    expect(first).toMatchObject({ code: 'INVALID_PARAMETER' });
    expect(() => cache.get(bad)).toThrow(first as Error);
  });
});
