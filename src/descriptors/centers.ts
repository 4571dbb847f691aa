import { AtomenvError } from '../errors.js';
import type { Centers } from '../neighbors/neighborList.js';
import { isList, type NormalizedStructure } from '../structure/structure.js';

/** Throws INVALID_CENTERS unless `a` (centres[c]) is an atom index of the structure. */
function checkAtomIndex(structure: NormalizedStructure, a: unknown, c: number): asserts a is number {
  const n = structure.nAtoms;
  if (typeof a !== 'number' || !Number.isInteger(a) || a < 0 || a >= n) {
    throw new AtomenvError(
      'INVALID_CENTERS',
      `centers[${c}] = ${JSON.stringify(a)} is not an atom index (the structure has ${n} atoms, indices 0..${n - 1})`,
    );
  }
}

/** Centres given as atom indices (`undefined`/`null`: every atom, in order). */
export function atomCenters(structure: NormalizedStructure, centers?: ArrayLike<number> | null): Centers {
  const list = centers === undefined || centers === null ? null : centers;
  if (list !== null && !isList(list)) {
    throw new AtomenvError('INVALID_CENTERS', `centers must be an array of atom indices, got ${typeof list === 'object' ? 'a non-array object' : JSON.stringify(list)}`);
  }
  const m = list === null ? structure.nAtoms : list.length;
  const atoms = new Int32Array(m);
  const positions = new Float64Array(3 * m);
  for (let c = 0; c < m; c++) {
    const a = list === null ? c : list[c]!;
    checkAtomIndex(structure, a, c);
    atoms[c] = a;
    positions[3 * c] = structure.positions[3 * a]!;
    positions[3 * c + 1] = structure.positions[3 * a + 1]!;
    positions[3 * c + 2] = structure.positions[3 * a + 2]!;
  }
  return { atoms, positions };
}

/** A centre: an atom index, or a Cartesian point [x, y, z] in Å. */
export type CenterSpec = number | ArrayLike<number>;

/**
 * Centres given as atom indices or Cartesian points, in any mix (`undefined`/`null`: every atom,
 * in order). A point gets atom −1, so no atom is excluded from its neighbours.
 */
export function atomOrPointCenters(structure: NormalizedStructure, centers?: ArrayLike<CenterSpec> | null): Centers {
  if (centers === undefined || centers === null) return atomCenters(structure);
  if (!isList(centers)) {
    throw new AtomenvError('INVALID_CENTERS', 'centers must be an array of atom indices or of [x, y, z] points');
  }
  const m = centers.length;
  const atoms = new Int32Array(m);
  const positions = new Float64Array(3 * m);
  for (let c = 0; c < m; c++) {
    const spec = centers[c];
    if (typeof spec === 'number') {
      checkAtomIndex(structure, spec, c);
      atoms[c] = spec;
      positions.set(structure.positions.subarray(3 * spec, 3 * spec + 3), 3 * c);
      continue;
    }
    if (spec === null || typeof spec !== 'object' || spec.length !== 3) {
      throw new AtomenvError('INVALID_CENTERS', `centers[${c}] must be an atom index or an [x, y, z] point in Å, got ${JSON.stringify(spec)}`);
    }
    for (let k = 0; k < 3; k++) {
      const x = spec[k];
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        throw new AtomenvError('INVALID_CENTERS', `centers[${c}][${k}] must be a finite coordinate in Å, got ${JSON.stringify(x)}`);
      }
      positions[3 * c + k] = x;
    }
    atoms[c] = -1;
  }
  return { atoms, positions };
}
