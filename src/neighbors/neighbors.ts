import { AtomenvError } from '../errors.js';
import { atomCenters } from '../descriptors/centers.js';
import { normalizeStructure, type Structure } from '../structure/structure.js';
import { getRuntime } from '../wasm/loader.js';
import { buildNeighborList, copyNeighborList, type NeighborList } from './neighborList.js';

/** Options of {@link neighborList}. */
export interface NeighborListOptions {
  /** Atom indices of the centres (all atoms when omitted). */
  centers?: ArrayLike<number> | null;
  /** Use the cell's periodicity (default true; false ignores the cell). */
  periodic?: boolean;
}

/**
 * Every atom and periodic image within `cutoff` (inclusive) of each centre, images of the
 * centre atom included, the centre itself excluded. Positions outside the cell are wrapped
 * first, so no image is lost. O(N) cell-list search in wasm; call `await init()` first.
 */
export function neighborList(structure: Structure, cutoff: number, options: NeighborListOptions = {}): NeighborList {
  const rt = getRuntime();
  if (typeof cutoff !== 'number' || !Number.isFinite(cutoff) || cutoff <= 0) {
    throw new AtomenvError('INVALID_PARAMETER', `neighborList: cutoff must be a finite number of Å > 0, got ${typeof cutoff === 'number' ? cutoff : JSON.stringify(cutoff)}`);
  }
  if (options.periodic !== undefined && typeof options.periodic !== 'boolean') {
    throw new AtomenvError('INVALID_PARAMETER', `neighborList: periodic must be true or false, got ${JSON.stringify(options.periodic)}`);
  }
  rt.arena.reset();
  const s = normalizeStructure(structure);
  const nl = buildNeighborList(rt, s, atomCenters(s, options.centers), cutoff, options.periodic ?? true);
  return copyNeighborList(rt, nl);
}
