import { beforeAll, describe, expect, test } from 'vitest';
import { AtomenvError } from '../../src/errors.js';
import { SymmetryFunctions } from '../../src/n2p2/symmetryFunctions.js';
import { checkOverlaps, OVERLAP_DISTANCE } from '../../src/neighbors/overlap.js';
import { normalizeStructure, type Structure } from '../../src/structure/structure.js';
import { init, type Runtime } from '../../src/wasm/loader.js';

// The n2p2 descriptor checks overlaps by scanning its own neighbour list (checkOverlapsInList);
// errors must be those of the separate search (checkOverlaps), and near misses must pass.
let rt: Runtime;
beforeAll(async () => {
  rt = await init();
});

const sf = (): SymmetryFunctions => new SymmetryFunctions({ elements: ['H', 'O'], cutoffType: 1, functions: ['H 2 O 0.01 0 6', 'O 2 H 0.01 0 6', 'O 3 H H 0.01 1 4 6'] });

/** A periodic box of 40 atoms on a jittered grid, 9 Å wide. */
function box(): { symbols: string[]; positions: number[][]; cell: number[][]; pbc: boolean } {
  const positions: number[][] = [];
  const symbols: string[] = [];
  for (let a = 0; a < 40; a++) {
    positions.push([(a % 4) * 2.2 + 0.1 * Math.sin(a), (Math.floor(a / 4) % 4) * 2.2 + 0.1 * Math.cos(a), Math.floor(a / 16) * 3.1 + 0.05 * a]);
    symbols.push(a % 3 === 0 ? 'O' : 'H');
  }
  return { symbols, positions, cell: [[8.8, 0, 0], [0, 8.8, 0], [0, 0, 9.3]], pbc: true };
}

function errorOf(run: () => void): AtomenvError | null {
  try {
    run();
  } catch (e) {
    if (e instanceof AtomenvError) return e;
    throw e;
  }
  return null;
}

describe('overlap check from the descriptor neighbour list', () => {
  test('two atoms at one position: the same error as the separate search', () => {
    const s = box();
    s.positions[29] = [...s.positions[11]!];
    const fromList = errorOf(() => sf().create(s as Structure));
    rt.arena.reset();
    const separate = errorOf(() => checkOverlaps(rt, normalizeStructure(s as Structure), true));
    expect(fromList?.code).toBe('OVERLAPPING_ATOMS');
    expect(separate).not.toBeNull();
    expect(fromList!.message).toBe(separate!.message);
    expect(fromList!.message).toContain('atoms 11 and 29');
  });

  test('an atom at its periodic image across the boundary: named as by the search', () => {
    const s = box();
    s.positions[7] = [s.positions[2]![0]! + 8.8, s.positions[2]![1]!, s.positions[2]![2]!];
    const fromList = errorOf(() => sf().create(s as Structure));
    rt.arena.reset();
    const separate = errorOf(() => checkOverlaps(rt, normalizeStructure(s as Structure), true));
    expect(fromList?.code).toBe('OVERLAPPING_ATOMS');
    expect(fromList!.message).toBe(separate!.message);
  });

  test('a pair between the overlap distance and twice it passes (the scan flags it, the search clears it)', () => {
    const s = box();
    s.positions[29] = [s.positions[11]![0]! + 1.5 * OVERLAP_DISTANCE, s.positions[11]![1]!, s.positions[11]![2]!];
    const values = sf().create(s as Structure).values;
    expect(values.every(Number.isFinite)).toBe(true);
  });

  test('explicit centres still check every atom', () => {
    const s = box();
    s.positions[29] = [...s.positions[11]!];
    const error = errorOf(() => sf().create(s as Structure, { centers: [0, 1] }));
    expect(error?.code).toBe('OVERLAPPING_ATOMS');
  });
});
