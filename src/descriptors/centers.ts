import { AtomenvError } from '../errors.js';
import type { Centers } from '../neighbors/neighborList.js';
import type { NormalizedStructure } from '../structure/structure.js';

/** Centres given as atom indices (`undefined`/`null`: every atom, in order). */
export function atomCenters(structure: NormalizedStructure, centers?: ArrayLike<number> | null): Centers {
  const n = structure.nAtoms;
  const list = centers === undefined || centers === null ? null : centers;
  const m = list === null ? n : list.length;
  const atoms = new Int32Array(m);
  const positions = new Float64Array(3 * m);
  for (let c = 0; c < m; c++) {
    const a = list === null ? c : list[c]!;
    if (typeof a !== 'number' || !Number.isInteger(a) || a < 0 || a >= n) {
      throw new AtomenvError(
        'INVALID_CENTERS',
        `centers[${c}] = ${JSON.stringify(a)} is not an atom index (the structure has ${n} atoms, indices 0..${n - 1})`,
      );
    }
    atoms[c] = a;
    positions[3 * c] = structure.positions[3 * a]!;
    positions[3 * c + 1] = structure.positions[3 * a + 1]!;
    positions[3 * c + 2] = structure.positions[3 * a + 2]!;
  }
  return { atoms, positions };
}
