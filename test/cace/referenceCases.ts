import { readSharedJson } from '../helpers/shared.js';
import type { Structure } from '../../src/structure/structure.js';

/** The CACE reference file (CACE code at commit 19ae23c, float64). */
export const CACE_REFERENCE = 'reference/cace/cace_descriptor_lmax3_nu4.json';

export interface CACEReferenceStructure {
  name: string;
  atomic_numbers: number[];
  positions: number[][];
  cell: number[][];
  pbc: boolean[];
  n_edges: number;
  node_feats: unknown;
  A_transformed_layer0: unknown;
  A_raw_layer0?: unknown;
}

export function caceReference(): { model: any; structures: CACEReferenceStructure[] } {
  const ref = readSharedJson(CACE_REFERENCE);
  return { model: ref, structures: ref.structures };
}

/** The reference structure as an atomenv Structure (no cell for molecules). */
export function referenceStructure(s: CACEReferenceStructure): Structure {
  const periodic = s.pbc.some((x) => x);
  return { numbers: s.atomic_numbers, positions: s.positions, cell: periodic ? s.cell : null, pbc: s.pbc as [boolean, boolean, boolean] };
}

/** Nested arrays flattened in C order. */
export function flat(x: unknown): number[] {
  return (x as unknown[]).flat(Infinity as 1) as unknown as number[];
}
