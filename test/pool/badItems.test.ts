import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/index.js';
import { createPool } from '../../src/pool/createPool.node.js';
import type { Pool, PoolInput } from '../../src/pool/pool.js';

// The built worker (npm run build), as in pool.test.ts.
const WORKER = new URL('../../dist/workers/descriptor.node.js', import.meta.url);
const water = { symbols: ['O', 'H', 'H'], positions: [[0, 0, 0.12], [0, 0.76, -0.47], [0, -0.76, -0.47]] };
const soap = { descriptor: 'soap', species: ['H', 'O'], rCut: 4, nMax: 2, lMax: 1, periodic: true };

let pool: Pool;
beforeAll(async () => {
  await init();
  pool = await createPool({ workers: 1, workerUrl: WORKER });
});
afterAll(async () => {
  await pool.close();
});

describe('pool: bad items are reported, the others finish', () => {
  it('a null item no longer rejects the whole batch with a TypeError', async () => {
    const inputs = [water, null, { ...water, cell: [[3, 0, 0], [0, 3, 0], [0, 0, 1e-14]], pbc: true }, water] as unknown as PoolInput[];
    const results = await pool.compute(soap, inputs);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'INVALID_STRUCTURE', 'SINGULAR_CELL', 'ok']);
    const streamed: string[] = [];
    for await (const r of pool.stream(soap, inputs)) streamed.push(r.ok ? 'ok' : r.error.code);
    expect(streamed).toEqual(['ok', 'INVALID_STRUCTURE', 'SINGULAR_CELL', 'ok']);
  });

  it('a SOAP nMax far too large is an INVALID_PARAMETER per item (was a RangeError rejecting the call)', async () => {
    const results = await pool.compute({ ...soap, nMax: 1e9 }, [water]);
    expect(results[0]!.ok).toBe(false);
    if (!results[0]!.ok) {
      expect(results[0]!.error.code).toBe('INVALID_PARAMETER');
      expect(results[0]!.error.message).toContain('nMax must be ≤ 200');
    }
  });
});
