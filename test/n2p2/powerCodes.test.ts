import { describe, expect, test } from 'vitest';
import { SymmetryFunctions } from '../../src/n2p2/symmetryFunctions.js';
import type { KernelTables } from '../../src/n2p2/kernelTables.js';

// Gaussian factors exp(−η (r − r_s)²) whose η is an integer multiple p ≤ 64 of an earlier one of
// the same r_s and r_c are evaluated as powers of it (kernelTables.ts powerCodes: source · 128 + p).
// The values themselves are checked against n2p2 (symfuncReference, h2oReference) and against the
// general kernel (edgePath); here, which factors get a code.

const tablesOf = (functions: string[]): KernelTables =>
  (new SymmetryFunctions({ elements: ['H', 'O'], functions, cutoffType: 2 }) as unknown as { tables: KernelTables }).tables;

/** [η, r_s, r_c, code] of each radial group. */
function groupCodes(t: KernelTables): number[][] {
  const rows: number[][] = [];
  for (let g = 0; g < t.groups.length / 8; g++) rows.push([t.groups[8 * g + 1]!, t.groups[8 * g + 2]!, t.groups[8 * g + 3]!, t.groups[8 * g + 7]!]);
  return rows;
}

describe('n2p2 power codes of Gaussian factors', () => {
  test('integer multiples of an earlier η with the same r_s and r_c, from the largest such η', () => {
    const t = tablesOf(['H 2 O 0.01 0.0 6.0', 'H 2 O 0.03 0.0 6.0', 'H 2 O 0.06 0.0 6.0', 'H 2 O 0.07 0.0 6.0', 'H 2 O 0.7 0.0 6.0']);
    expect(groupCodes(t)).toEqual([
      [0.01, 0, 6, 0],
      [0.03, 0, 6, 0 * 128 + 3],
      [0.06, 0, 6, 1 * 128 + 2],
      [0.07, 0, 6, 0 * 128 + 7],
      // 0.7 = 10 × 0.07 (the largest source), not 70 × 0.01.
      [0.7, 0, 6, 3 * 128 + 10],
    ]);
  });

  test('no code across different r_s or r_c, for non-integer ratios or powers above 64', () => {
    const t = tablesOf(['H 2 O 0.01 0.0 6.0', 'H 2 O 0.02 0.5 6.0', 'H 2 O 0.02 0.0 5.0', 'H 2 O 0.025 0.0 6.0', 'H 2 O 0.67 0.0 6.0']);
    expect(groupCodes(t).map((row) => row[3])).toEqual([0, 0, 0, 0, 0]);
  });

  test('edge columns of the angular r_jk factors', () => {
    const t = tablesOf(['O 3 H H 0.01 1.0 1.0 6.0', 'O 3 H H 0.03 1.0 1.0 6.0', 'O 3 H H 0.045 -1.0 1.0 6.0']);
    const columns = Array.from({ length: t.edgeColumns.length / 4 }, (_, c) => Array.from(t.edgeColumns.subarray(4 * c, 4 * c + 4)));
    expect(columns).toEqual([[0.01, 0, 6, 0], [0.03, 0, 6, 3], [0.045, 0, 6, 0]]);
  });
});
