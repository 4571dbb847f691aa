import { isAngular, isCompact, isNarrow, isWeighted, type SymmetryFunctionSpec } from './symmetryFunctionSpec.js';
import { gaussianPowerSource, type KernelTables } from './kernelTables.js';

/** Largest ζ of the triangle path ((1 + λ cos θ)^ζ as a polynomial in cos θ, as the edge path). */
const TRIANGLE_MAX_ZETA = 8;

/** f64 per row of radialPairs. */
const RADIAL_ROW = 8;

/** Tables of the triangle path (assembly/n2p2/angularTriangles.ts; layouts described there). */
export interface TriangleTables {
  /** f64 per union column (by r_c, r_s, η): η, r_s, r_c, base column or −1, power (see gaussianPowerSource), 2η, 2η r_s, 0. */
  columns: Float64Array;
  /** Every column has the same r_c (the backward pass then reads R only and f_c'/f_c per side). */
  oneCutoff: boolean;
  /** i32[E³]: offset into `list` of the element triple (A, B, C) of a < b < c. */
  tri: Int32Array;
  /** i32: per triple nu, then per union column: column, (degree, moment offset) for corners a, b, c. */
  list: Int32Array;
  /** Moments per atom (the widest element's). */
  width: number;
  /** f64 rows (feature column, moment offset, ζ, 2, λ) of every angular function, by element: G = 2 ((1 + λ cos θ)/2)^ζ … */
  sfRows: Float64Array;
  /** i32 per element: first row in sfRows and count. */
  elementSf: Int32Array;
  /** The kernel's element table with no angular classes and only the radial functions' groups. */
  radialElements: Int32Array;
  /**
   * Radial functions by pairs (every radial function type 2; else null: per centre): f64 rows
   * (η, r_s, r_c, feature column of the lower atom's function or −1, the upper atom's or −1,
   * base row or −1, power, 0), the union of A → B and B → A per (η, r_s, r_c), by r_c, r_s, η;
   * a row with a base has exp(−η (r − r_s)²) = (the base row's)^power; radialPairRuns i32[2 E²] each ordered
   * element pair's (A of the lower atom, B of the upper) first row and count.
   */
  radialPairs: Float64Array | null;
  radialPairRuns: Int32Array;
}

/**
 * The triangle path's tables, or null when it does not apply: it needs at least one angular
 * function, every one narrow exp-type (type 3) with integer 1 ≤ ζ ≤ 8 and |λ| ≤ 1, and a
 * cutoff with a vector form (not type 1). Groups are (η, r_s, r_c) per centre element and
 * neighbour-element pair; union columns the distinct (η, r_s, r_c) of all groups.
 */
export function packTriangleTables(
  sorted: readonly (readonly SymmetryFunctionSpec[])[], elements: readonly string[], columnOffsets: readonly number[],
  cutoffType: number, kernel: KernelTables,
): TriangleTables | null {
  const all = sorted.flat();
  const angular = all.filter((f) => isAngular(f.type));
  if (angular.length === 0 || cutoffType === 1) return null;
  if (!angular.every((f) => f.type === 3 && isNarrow(f.type) && !isWeighted(f.type) && !isCompact(f.type)
    && Number.isInteger(f.zeta) && f.zeta! >= 1 && f.zeta! <= TRIANGLE_MAX_ZETA && Math.abs(f.lambda!) <= 1)) return null;
  const nE = elements.length;
  const columnKeys = new Map<string, number>();
  const columns: number[] = [];
  interface Group { column: number; degree: number; offset: number }
  // Per centre element and unordered neighbour pair (p ≤ q): its groups by union column.
  const groups = new Map<string, Map<number, Group>>();
  const sfRows: number[] = [];
  const elementSf: number[] = [];
  let width = 0;
  sorted.forEach((functions, e) => {
    const first = sfRows.length / 5;
    const members: [SymmetryFunctionSpec, number, Group][] = [];
    const keys: string[] = [];
    functions.forEach((f, position) => {
      if (!isAngular(f.type)) return;
      const [p, q] = f.neighbors!.map((s) => elements.indexOf(s)).sort((x, y) => x - y);
      const key = `${e}|${p}|${q}`;
      const columnKey = `${f.eta}|${f.rs ?? 0}|${f.rc}`;
      let column = columnKeys.get(columnKey);
      if (column === undefined) {
        column = columns.length / 4;
        columns.push(f.eta!, f.rs ?? 0, f.rc, 0);
        columnKeys.set(columnKey, column);
      }
      if (!groups.has(key)) {
        groups.set(key, new Map());
        keys.push(key);
      }
      const byColumn = groups.get(key)!;
      let g = byColumn.get(column);
      if (g === undefined) {
        g = { column, degree: 0, offset: 0 };
        byColumn.set(column, g);
      }
      g.degree = Math.max(g.degree, f.zeta!);
      members.push([f, columnOffsets[e]! + position, g]);
    });
    // Moment offsets: the element's groups one after another.
    let offset = 0;
    for (const key of keys) {
      for (const g of groups.get(key)!.values()) {
        g.offset = offset;
        offset += g.degree + 1;
      }
    }
    width = Math.max(width, offset);
    for (const [f, column, g] of members) sfRows.push(column, g.offset, f.zeta!, 2, f.lambda!);
    elementSf.push(first, sfRows.length / 5 - first);
  });
  // Union columns by r_c, r_s, η (renumbered in the groups), each with the base column and power
  // of its exp(−η (r − r_s)²) where that is a power of an earlier column's (base −1: exp).
  const nColumns = columns.length / 4;
  const order = Array.from({ length: nColumns }, (_, k) => k)
    .sort((x, y) => columns[4 * x + 2]! - columns[4 * y + 2]! || columns[4 * x + 1]! - columns[4 * y + 1]! || columns[4 * x]! - columns[4 * y]!);
  const renumber = new Int32Array(nColumns);
  order.forEach((old, k) => { renumber[old] = k; });
  for (const byColumn of groups.values()) {
    const entries = [...byColumn.values()];
    byColumn.clear();
    for (const g of entries) {
      g.column = renumber[g.column]!;
      byColumn.set(g.column, g);
    }
  }
  const columnRows: number[] = [];
  order.forEach((old, k) => {
    const eta = columns[4 * old]!, rs = columns[4 * old + 1]!, rc = columns[4 * old + 2]!;
    const { base, power } = gaussianPowerSource(eta, k, (j) => columns[4 * order[j]!]!, (j) => columns[4 * order[j]! + 1]! === rs && columns[4 * order[j]! + 2]! === rc);
    columnRows.push(eta, rs, rc, base, power, 2 * eta, 2 * eta * rs, 0);
  });
  const tri = new Int32Array(nE * nE * nE);
  const list: number[] = [];
  for (let A = 0; A < nE; A++) {
    for (let B = 0; B < nE; B++) {
      for (let C = 0; C < nE; C++) {
        tri[(A * nE + B) * nE + C] = list.length;
        const corner = (e: number, p: number, q: number): Map<number, Group> => groups.get(`${e}|${Math.min(p, q)}|${Math.max(p, q)}`) ?? new Map();
        const corners = [corner(A, B, C), corner(B, A, C), corner(C, A, B)];
        const used = [...new Set(corners.flatMap((m) => [...m.keys()]))].sort((x, y) => x - y);
        list.push(used.length);
        for (const column of used) {
          list.push(column);
          for (const m of corners) {
            const g = m.get(column);
            list.push(g === undefined ? -1 : g.degree, g === undefined ? 0 : g.offset);
          }
        }
      }
    }
  }
  // Radial only: no classes, the groups of the radial functions (created first per element).
  const radialElements = Int32Array.from(kernel.elements);
  for (let e = 0; e < nE; e++) {
    const row = 8 * e;
    const radialStart = radialElements[row]!, radialCount = radialElements[row + 1]!, groupStart = radialElements[row + 4]!;
    let radialGroups = 0;
    for (let s = radialStart; s < radialStart + radialCount; s++) radialGroups = Math.max(radialGroups, kernel.sfs[8 * s + 2]! - groupStart + 1);
    radialElements[row + 3] = 0;
    radialElements[row + 5] = radialGroups;
    radialElements[row + 6] = 0;
  }
  const { radialPairs, radialPairRuns } = packRadialPairs(sorted, elements, columnOffsets);
  return {
    radialPairs, radialPairRuns,
    columns: Float64Array.from(columnRows), oneCutoff: order.every((k) => columns[4 * k + 2] === columns[4 * order[0]! + 2]), tri, list: Int32Array.from(list), width: Math.max(1, width),
    sfRows: Float64Array.from(sfRows), elementSf: Int32Array.from(elementSf), radialElements,
  };
}

/**
 * The radial functions by pairs (see TriangleTables.radialPairs): for the half edge a → b
 * (elements A, B), R(r) = exp(−η (r − r_s)²) f_c(r) once per distinct (η, r_s, r_c) of A's
 * functions towards B and B's towards A, added to both atoms' columns.
 */
function packRadialPairs(
  sorted: readonly (readonly SymmetryFunctionSpec[])[], elements: readonly string[], columnOffsets: readonly number[],
): { radialPairs: Float64Array | null; radialPairRuns: Int32Array } {
  const nE = elements.length;
  const runs = new Int32Array(2 * nE * nE);
  if (sorted.some((functions) => functions.some((f) => !isAngular(f.type) && f.type !== 2))) return { radialPairs: null, radialPairRuns: runs };
  // Per centre element and neighbour element: its type-2 functions' (key, feature column).
  const towards = (e: number, other: number): { key: string; f: SymmetryFunctionSpec; column: number }[] => {
    const out: { key: string; f: SymmetryFunctionSpec; column: number }[] = [];
    sorted[e]!.forEach((f, position) => {
      if (f.type === 2 && elements.indexOf(f.neighbors![0]!) === other) out.push({ key: `${f.eta}|${f.rs ?? 0}|${f.rc}`, f, column: columnOffsets[e]! + position });
    });
    return out;
  };
  const rows: number[] = [];
  for (let A = 0; A < nE; A++) {
    for (let B = 0; B < nE; B++) {
      const lower = towards(A, B), upper = towards(B, A);
      // Pair the lower atom's functions with the upper's of the same (η, r_s, r_c), each used once.
      const entries: { f: SymmetryFunctionSpec; a: number; b: number }[] = lower.map(({ f, column }) => ({ f, a: column, b: -1 }));
      for (const u of upper) {
        const match = entries.find((x, k) => x.b < 0 && lower[k] !== undefined && lower[k]!.key === u.key);
        if (match !== undefined) match.b = u.column;
        else entries.push({ f: u.f, a: -1, b: u.column });
      }
      // By r_c, r_s, η: f_c once per r_c; exp(−η (r − r_s)²) as a power p of an earlier row's
      // with the same r_s and r_c (gaussianPowerSource).
      entries.sort((x, y) => x.f.rc - y.f.rc || (x.f.rs ?? 0) - (y.f.rs ?? 0) || x.f.eta! - y.f.eta!);
      runs[2 * (A * nE + B)] = rows.length / RADIAL_ROW;
      runs[2 * (A * nE + B) + 1] = entries.length;
      entries.forEach((x, k) => {
        const { base, power } = gaussianPowerSource(x.f.eta!, k, (j) => entries[j]!.f.eta!, (j) => entries[j]!.f.rc === x.f.rc && (entries[j]!.f.rs ?? 0) === (x.f.rs ?? 0));
        rows.push(x.f.eta!, x.f.rs ?? 0, x.f.rc, x.a, x.b, base, power, 0);
      });
    }
  }
  return { radialPairs: Float64Array.from(rows), radialPairRuns: runs };
}
