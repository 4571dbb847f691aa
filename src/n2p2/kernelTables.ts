import { isAngular, isCompact, isNarrow, isWeighted, type SymmetryFunctionSpec } from './symmetryFunctionSpec.js';

/** The packed tables of assembly/n2p2/symmetryFunctions.ts (layouts described there). */
export interface KernelTables {
  elements: Int32Array;
  elementRc: Float64Array;
  classes: Int32Array;
  /** Per class: its r_jk radial groups, then its angular groups (absolute indices). */
  lists: Int32Array;
  classRc: Float64Array;
  sfs: Float64Array;
  groups: Float64Array;
  angles: Float64Array;
  /** Largest radial-group count of one element. */
  maxGroups: number;
  /**
   * Per-edge factor columns (η, r_s, r_c, 0 each): the distinct r_jk groups of the classes the
   * edge path takes (class field 9 = 1), evaluated once per neighbour-list edge.
   */
  edgeColumns: Float64Array;
  /** Per radial group: its edge column, or −1. */
  groupEdgeColumn: Int32Array;
  /**
   * i32[E × E × columns]: 1 where the edges from an atom of element a to a neighbour of element b
   * need the column (some edge-path class with j of element a and k of element b has its group).
   */
  edgeRunColumns: Int32Array;
  /**
   * i32[G × E]: 1 where group g's radial factor is read at neighbours of element b (radial
   * functions of that neighbour element, angular classes with b as j or k element).
   */
  groupRuns: Int32Array;
  /**
   * Layout of the edge factor rows: i32[E × E] bytes per row of the edges from element a to
   * element b (16 per column the pair needs), i32[E × E × columns] each column's byte offset in
   * such a row (−1: not stored), and parallel to `lists` the byte offset of an edge-path class's
   * r_jk groups in the rows of its pair. With an edge-path class of all pairs (weighted types) every
   * row holds every column.
   */
  pairStride: Int32Array;
  pairColumnOffset: Int32Array;
  listColumn: Int32Array;
}

/** i32 per class: e1, e2, sfStart, sfCount, allNarrow, listStart, jkCount, angCount, vector, edges. */
export const CLASS_STRIDE = 10;

/** Largest power p of an exponential taken as a power of another (MAX_POWER in assembly/n2p2/radialFactor2x.ts). */
const MAX_POWER = 64;

/**
 * The Gaussian exp(−η (r − r_s)²) of factor k as a power of an earlier one: among the factors
 * j < k with `same(j)` (exp-type, same r_s and r_c), the one with η = p η_j, 2 ≤ p ≤ MAX_POWER,
 * of the smallest p; base −1 (power 0) when none. Exponentials then cost a few multiplications
 * instead of an exp each (relative error ≲ p ulp).
 */
export function gaussianPowerSource(
  eta: number, k: number, etaOf: (j: number) => number, same: (j: number) => boolean,
): { base: number; power: number } {
  let base = -1, power = 0;
  for (let j = 0; j < k; j++) {
    const etaJ = etaOf(j);
    if (!same(j) || !(etaJ > 0)) continue;
    const ratio = eta / etaJ, p = Math.round(ratio);
    if (p >= 2 && p <= MAX_POWER && Math.abs(ratio - p) <= 1e-12 * p && (base < 0 || p < power)) {
      base = j;
      power = p;
    }
  }
  return { base, power };
}

/**
 * Power codes of Gaussian factors (rows of `stride` numbers: η at `eta`, r_s and r_c after it):
 * factor g's {@link gaussianPowerSource} s among factors first.. is coded (s − first) · 128 + p
 * in slot `code`; 0 otherwise.
 */
function powerCodes(rows: number[], first: number, count: number, stride: number, eta: number, code: number, expType: (g: number) => boolean): void {
  for (let g = first; g < first + count; g++) {
    rows[stride * g + code] = 0;
    if (!expType(g)) continue;
    const { base, power } = gaussianPowerSource(
      rows[stride * g + eta]!, g - first, (j) => rows[stride * (first + j) + eta]!,
      (j) => expType(first + j) && rows[stride * (first + j) + eta + 1] === rows[stride * g + eta + 1] && rows[stride * (first + j) + eta + 2] === rows[stride * g + eta + 2],
    );
    if (base >= 0) rows[stride * g + code] = base * 128 + power;
  }
}

/** Largest ζ of the edge path (MAX_DEGREE in assembly/n2p2/angularEdges.ts). */
const EDGE_MAX_ZETA = 8;

const CORES: Record<string, number> = { p1: 1, p2: 2, p3: 3, p4: 4, e: 5 };

/**
 * Packs sorted symmetry functions (`sorted[e]`: element e's functions in n2p2 order, whose
 * values go to columns `columnOffsets[e] + position`) into the kernel's tables. Identical radial
 * factors (η, r_s, r_c or window and core) and angular factors are shared, so each is evaluated
 * once per neighbour or triplet.
 */
export function packKernelTables(
  sorted: readonly SymmetryFunctionSpec[][], elements: readonly string[], columnOffsets: readonly number[], cutoffType: number,
): KernelTables {
  const elementTable: number[] = [];
  const elementRc: number[] = [];
  const classes: number[] = [];
  const lists: number[] = [];
  const classRc: number[] = [];
  const sfs: number[] = [];
  const groups: number[] = [];
  const angles: number[] = [];
  const angleKeys = new Map<string, number>();
  let maxGroups = 0;
  const edgeColumns: number[] = [];
  const edgeKeys = new Map<string, number>();
  const groupEdgeColumn: number[] = [];
  // [e1, e2, column] of each edge-path class's r_jk groups (−1: every element).
  const edgeUses: [number, number, number][] = [];
  // [group, neighbour element (−1: every element)] where a group's factor rows are read.
  const groupUses: [number, number][] = [];
  const elementIndex = (s: string | undefined): number => (s === undefined ? -1 : elements.indexOf(s));

  sorted.forEach((functions, e) => {
    const groupKeys = new Map<string, number>();
    const groupStart = groups.length / 8;
    const groupOf = (f: SymmetryFunctionSpec): number => {
      const compact = isCompact(f.type);
      const subtype = f.subtype ?? '';
      const core = CORES[subtype.replace(/a$/, '')] ?? 0;
      const asymmetric = subtype.length > 1 && subtype.endsWith('a') ? 1 : 0;
      const row = compact ? [1, 0, 0, f.rc, f.rl!, core, asymmetric, 0] : [0, f.eta!, f.rs!, f.rc, 0, 0, 0, 0];
      const key = row.join('|');
      let g = groupKeys.get(key);
      if (g === undefined) {
        g = groups.length / 8;
        groups.push(...row);
        groupKeys.set(key, g);
      }
      return g;
    };
    const angleOf = (f: SymmetryFunctionSpec): number => {
      let row: number[];
      if (isCompact(f.type)) {
        row = [1, 0, 0, 0, (f.angleLeft! * Math.PI) / 180, (f.angleRight! * Math.PI) / 180, CORES[f.subtype!.replace(/a$/, '')]!, 0];
      } else {
        const zeta = f.zeta!;
        const zetaInt = Number.isInteger(zeta) && zeta >= 1 && zeta <= 1024 ? zeta : -1;
        row = [0, f.lambda!, zeta, zetaInt, 0, 0, 0, 0];
      }
      const key = row.join('|');
      let a = angleKeys.get(key);
      if (a === undefined) {
        a = angles.length / 8;
        angles.push(...row);
        angleKeys.set(key, a);
      }
      return a;
    };
    // Angular rows hold slots into the class's lists: angular group, and r_jk group (−1: wide type).
    const sfRow = (f: SymmetryFunctionSpec, position: number, jkSlot = -1, angSlot = -1): number[] => {
      const angular = isAngular(f.type);
      // 2^(1−ζ) P^ζ = 2 (P/2)^ζ: the angular factor is (P/2)^ζ (symmetryFunctions.ts), so no
      // product passes through subnormals where the value is a normal double (ζ up to 1000).
      const pref = angular && !isCompact(f.type) ? 2 : 1;
      return [
        columnOffsets[e]! + position, isWeighted(f.type) ? -1 : elementIndex(f.neighbors?.[0]), groupOf(f),
        angSlot, pref, jkSlot, isWeighted(f.type) ? 1 : 0, 0,
      ];
    };

    const radialStart = sfs.length / 8;
    functions.forEach((f, position) => {
      if (isAngular(f.type)) return;
      sfs.push(...sfRow(f, position));
      groupUses.push([groupOf(f), isWeighted(f.type) ? -1 : elementIndex(f.neighbors?.[0])]);
    });
    const radialCount = sfs.length / 8 - radialStart;

    // Angular functions grouped by neighbour-element pair (weighted types: all pairs).
    const byClass = new Map<string, { e1: number; e2: number; members: [SymmetryFunctionSpec, number][] }>();
    functions.forEach((f, position) => {
      if (!isAngular(f.type)) return;
      const e1 = isWeighted(f.type) ? -1 : elementIndex(f.neighbors![0]);
      const e2 = isWeighted(f.type) ? -1 : elementIndex(f.neighbors![1]);
      const key = `${e1},${e2}`;
      const entry = byClass.get(key) ?? { e1, e2, members: [] };
      entry.members.push([f, position]);
      byClass.set(key, entry);
    });
    const classStart = classes.length / CLASS_STRIDE;
    for (const { e1, e2, members } of byClass.values()) {
      const sfStart = sfs.length / 8;
      const jkGroups: number[] = [];
      const angs: number[] = [];
      const slot = (list: number[], v: number): number => {
        if (!list.includes(v)) list.push(v);
        return list.indexOf(v);
      };
      for (const [f, position] of members) {
        sfs.push(...sfRow(f, position, isNarrow(f.type) ? slot(jkGroups, groupOf(f)) : -1, slot(angs, angleOf(f))));
        groupUses.push([groupOf(f), e1], [groupOf(f), e2]);
      }
      const allNarrow = members.every(([f]) => isNarrow(f.type)) ? 1 : 0;
      // SIMD path: exp-type functions with integer ζ, and a cutoff with a vector form (all but COS).
      const vector = cutoffType !== 1 && members.every(([f]) => !isCompact(f.type) && Number.isInteger(f.zeta) && f.zeta! >= 1 && f.zeta! <= 1024) ? 1 : 0;
      // Edge path (angularEdges.ts): every function narrow exp-type with |λ| ≤ 1 and ζ ≤ 8, so that
      // (1 + λ cos θ)^ζ is a polynomial in cos θ with small coefficients.
      const edges = vector === 1 && allNarrow === 1 && members.every(([f]) => Math.abs(f.lambda!) <= 1 && f.zeta! <= EDGE_MAX_ZETA) ? 1 : 0;
      if (edges === 1) {
        for (const g of jkGroups) {
          const row = [groups[8 * g + 1]!, groups[8 * g + 2]!, groups[8 * g + 3]!, 0];
          const key = row.join('|');
          let column = edgeKeys.get(key);
          if (column === undefined) {
            column = edgeColumns.length / 4;
            edgeColumns.push(...row);
            edgeKeys.set(key, column);
          }
          groupEdgeColumn[g] = column;
          edgeUses.push([e1, e2, column]);
        }
      }
      classes.push(e1, e2, sfStart, members.length, allNarrow, lists.length, jkGroups.length, angs.length, vector, edges);
      lists.push(...jkGroups, ...angs);
      classRc.push(Math.max(...members.map(([f]) => f.rc)));
    }
    const classCount = classes.length / CLASS_STRIDE - classStart;
    const groupCount = groups.length / 8 - groupStart;
    // Slot 7 of an exp-type group: its power code among the element's groups.
    powerCodes(groups, groupStart, groupCount, 8, 1, 7, (g) => groups[8 * g] === 0);
    maxGroups = Math.max(maxGroups, groupCount);
    // Field 6: every class takes the edge path, whose reads of the group rows stay inside the
    // runs of groupRuns (the kernel then evaluates the rows on those runs only).
    let allEdges = 1;
    for (let c = classStart; c < classStart + classCount; c++) if (classes[c * CLASS_STRIDE + 9] !== 1) allEdges = 0;
    elementTable.push(radialStart, radialCount, classStart, classCount, groupStart, groupCount, allEdges, 0);
    elementRc.push(Math.max(0, ...functions.map((f) => f.rc)));
  });
  const nE = elements.length, nColumns = edgeColumns.length / 4;
  // Slot 3 of an edge column: its power code among the columns.
  powerCodes(edgeColumns, 0, nColumns, 4, 0, 3, () => true);
  const edgeRunColumns = new Int32Array(nE * nE * nColumns);
  for (const [e1, e2, column] of edgeUses) {
    for (let a = 0; a < nE; a++) {
      for (let b = 0; b < nE; b++) if ((e1 < 0 || e1 === a) && (e2 < 0 || e2 === b)) edgeRunColumns[(a * nE + b) * nColumns + column] = 1;
    }
  }
  // Rows hold only the columns of their element pair, unless an all-pairs class takes the edge path.
  const pairStride = new Int32Array(nE * nE), pairColumnOffset = new Int32Array(nE * nE * nColumns).fill(-1);
  const uniform = edgeUses.some(([e1, e2]) => e1 < 0 || e2 < 0);
  for (let pair = 0; pair < nE * nE; pair++) {
    let bytes = 0;
    for (let c = 0; c < nColumns; c++) {
      if (edgeRunColumns[pair * nColumns + c] === 0) continue;
      pairColumnOffset[pair * nColumns + c] = uniform ? 16 * c : bytes;
      bytes += 16;
    }
    pairStride[pair] = uniform ? 16 * nColumns : bytes;
  }
  const listColumn = new Int32Array(lists.length);
  for (let k = 0; k < classes.length / CLASS_STRIDE; k++) {
    const row = k * CLASS_STRIDE;
    if (classes[row + 9] !== 1) continue;
    const e1 = classes[row]!, e2 = classes[row + 1]!;
    for (let s = 0; s < classes[row + 6]!; s++) {
      const column = groupEdgeColumn[lists[classes[row + 5]! + s]!]!;
      listColumn[classes[row + 5]! + s] = uniform ? 16 * column : pairColumnOffset[(e1 * nE + e2) * nColumns + column]!;
    }
  }
  const groupRuns = new Int32Array((groups.length / 8) * nE);
  for (const [g, el] of groupUses) {
    for (let b = 0; b < nE; b++) if (el < 0 || el === b) groupRuns[g * nE + b] = 1;
  }
  return {
    elements: Int32Array.from(elementTable), elementRc: Float64Array.from(elementRc),
    classes: Int32Array.from(classes), lists: Int32Array.from(lists), classRc: Float64Array.from(classRc),
    sfs: Float64Array.from(sfs), groups: Float64Array.from(groups), angles: Float64Array.from(angles), maxGroups,
    edgeColumns: Float64Array.from(edgeColumns),
    groupEdgeColumn: Int32Array.from({ length: groups.length / 8 }, (_, g) => groupEdgeColumn[g] ?? -1),
    edgeRunColumns,
    groupRuns,
    pairStride,
    pairColumnOffset,
    listColumn,
  };
}
