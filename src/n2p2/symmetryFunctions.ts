import { atomCenters } from '../descriptors/centers.js';
import { checkOptionKeys } from '../descriptors/optionKeys.js';
import type { DescriptorValues, WithDerivatives } from '../descriptors/results.js';
import { speciesIndexOfAtoms } from '../descriptors/species.js';
import { AtomenvError } from '../errors.js';
import { assembleDerivatives, type DerivativesLayout } from '../gradients/atomGradients.js';
import { buildNeighborList, type NeighborListPtrs } from '../neighbors/neighborList.js';
import { checkOverlaps, checkOverlapsInList, OVERLAP_DISTANCE } from '../neighbors/overlap.js';
import { cellGeometry } from '../structure/cell.js';
import { atomicNumber } from '../structure/elements.js';
import { normalizeStructure, type NormalizedStructure, type Structure } from '../structure/structure.js';
import { getRuntime, type Runtime } from '../wasm/loader.js';
import { parseInputNn } from './inputNn.js';
import { CLASS_STRIDE, packKernelTables, type KernelTables } from './kernelTables.js';
import { packTriangleTables, type TriangleTables } from './triangleTables.js';
import {
  checkSymmetryFunction, maxCutoff, parseSymmetryFunctionLine, sortSymmetryFunctions, type SymmetryFunctionSpec,
} from './symmetryFunctionSpec.js';

/** Options of {@link SymmetryFunctions}. */
export interface SymmetryFunctionsOptions {
  /** Element symbols (any order; sorted by atomic number internally, as n2p2 does). */
  elements: readonly string[];
  /**
   * The functions: objects, or n2p2 lines such as `"H 2 O 0.01 0.0 12.0"` (the
   * `symfunction_short` keyword is optional). Their order does not matter: each element's
   * functions are put in n2p2's sorted order.
   */
  functions: ReadonlyArray<SymmetryFunctionSpec | string>;
  /** n2p2 cutoff type 0–8 (0 HARD, 1 COS, 2 TANHU, 3 TANH, 4 EXP, 5–8 POLY1–4). Default 1. */
  cutoffType?: number;
  /** Inner cutoff fraction α (0 ≤ α < 1) for the types that use it. Default 0. */
  cutoffAlpha?: number;
}

/** The keys of {@link SymmetryFunctionsOptions} (anything else is refused). */
export const SYMMETRY_FUNCTIONS_OPTION_KEYS = ['elements', 'functions', 'cutoffType', 'cutoffAlpha'] as const satisfies readonly (keyof SymmetryFunctionsOptions)[];

/** Options of {@link SymmetryFunctions.create}. */
export interface SymmetryFunctionsCreateOptions {
  /** Atom indices of the centres; all atoms in order when omitted. */
  centers?: ArrayLike<number> | null;
}

/** Options of {@link SymmetryFunctions.derivatives}. */
export interface SymmetryFunctionsDerivativesOptions extends SymmetryFunctionsCreateOptions {
  /** Each centre moves with its atom (what forces need). Default false. */
  attach?: boolean;
  /** `'dense'` (default): [nCenters, nAtoms, 3, nFeatures]; `'sparse'`: per-centre blocks. */
  layout?: DerivativesLayout;
}

/** Neighbour list and kernel inputs of one structure, in the wasm arena. */
export interface PreparedStructure {
  readonly structure: NormalizedStructure;
  readonly nl: NeighborListPtrs;
  readonly ptrs: Record<'atomElement' | 'atomZ' | 'elements' | 'elementRc' | 'classes' | 'lists' | 'classRc' | 'sfs' | 'groups' | 'angles' | 'groupRuns' | 'values' | 'work', number>;
  readonly kMax: number;
}

const CUTOFF_TYPES = 9;

/** Atoms per n2p2EdgeFactors call: a first call tiers up after a few blocks instead of never. */
const EDGE_FACTOR_BLOCK = 64;

/**
 * Atoms per call of the triangle path's whole-structure kernels, for the same reason: a cold
 * W6 compute (1 080 atoms) in one call per kernel ran all of it in V8's baseline tier.
 */
const TRIANGLE_BLOCK = 16;

/** Least bytes by which the triangle path's candidate record reservation grows. */
const RECORD_STEP = 1 << 20;

/** Half edges per n2p2TriangleEdgeFactors call (even): the first run tiers up after a few blocks (W6 cold: one call was 3× its warm time). */
const EDGE_FACTOR_HALF_EDGES = 4096;

/** Largest atom count of the edge path (it needs every atom as a centre and no periodic images). */
const EDGE_PATH_MAX_ATOMS = 2048;

/** Bytes of recorded radial rows per chunk of the triangle path's per-centre passes (as the potential's CACHE_BUDGET). */
const TRIANGLE_CACHE_BUDGET = 64 * 1024;

/**
 * Most wasm memory (the arena's top, bytes) the triangle path may take; where it would pass it, a
 * potential takes the per-centre passes instead (water: 18 kB per atom by triangles, 5 kB per atom
 * per centre at a third of the speed). wasm32 addresses 4 GiB: the triangle path runs while it
 * leaves 1 GiB of it, the margin for the estimate of its tables and for the potential's own
 * arrays (water: up to ≈ 170 000 atoms). Mutable for tests only. @internal
 */
export const trianglePathLimit = { bytes: 3 * 1024 ** 3 };

/** Bytes of the triangle path's tables (SymmetryFunctions.triangleSizes). @internal */
export interface TriangleSizes {
  readonly hRun: number; readonly hIdx: number; readonly hEdge: number; readonly hR: number; readonly slot: number; readonly moments: number;
  readonly scratch: number; readonly fac: number; readonly hS: number; readonly hL: number; readonly hFc: number; readonly cache: number;
  readonly slotMap: number; readonly gauss: number; readonly radialPairs: number; readonly recordBlock: number;
  /** The edges sorted by element, until the half list is built (its room is used again). */
  readonly sorted: number;
  /** All of them with room for the small tables: what the path adds to the arena. */
  readonly total: number;
}

/** The triangle path's half-edge count and table sizes (SymmetryFunctions.planTriangles). @internal */
export interface TrianglePlan {
  /** Half edges (neighbours above each atom's index). */
  readonly halfEdges: number;
  readonly sizes: TriangleSizes;
}

/** The edge path's tables in the arena (see assembly/n2p2/angularEdges.ts). @internal */
export interface EdgeTables {
  readonly factors: number;
  /** i32[E × E]: bytes per factor row of each element pair (kernelTables.ts pairStride). */
  readonly pairStride: number;
  /** i32[nAtoms (nElements + 1)]: byte offset (from `factors`) of position 0 of each run's rows. */
  readonly runRowBase: number;
  /** i32[nAtoms + 1]: each atom's slot among the current centre's neighbours, or "none". */
  readonly slotOfAtom: number;
  readonly nAtoms: number;
  /**
   * The list's cutoff², when a periodic axis is less than three cutoffs high (the edge j → k may
   * then join another image of k than the centre sees: each triplet's r_jk is tested); else 0.
   */
  readonly imageCut2: number;
  /** Parallel to the lists: an edge-path class's r_jk group's byte offset in its pair's rows. */
  readonly listColumn: number;
  /** i32[nAtoms (nElements + 1)] and i32[count]: each atom's edges grouped by neighbour element. */
  readonly runStart: number;
  readonly sortedAtom: number;
}

/**
 * n2p2's atom-centred symmetry functions (types 2, 3, 9, 12, 13 and the compact types 20–25,
 * with n2p2's cutoff functions) as a descriptor, computed in wasm with analytic gradients.
 *
 * Feature layout: element e's functions, in n2p2's sorted order, fill columns
 * `getLocation(e)`; a centre's row is zero outside its own element's block.
 *
 * ```ts
 * await init();
 * const sf = new SymmetryFunctions({ elements: ['H', 'O'], cutoffType: 2, functions: ['H 2 O 0.01 0 12', 'O 3 H H 0.01 1 4 12'] });
 * const { values, shape } = sf.create(structure);
 * ```
 */
/** Null pointers for the kernels' edge-path arguments: the general kernel runs. */
const NO_EDGE_TABLES: EdgeTables = { factors: 0, pairStride: 0, runRowBase: 0, slotOfAtom: 0, nAtoms: 0, imageCut2: 0, listColumn: 0, runStart: 0, sortedAtom: 0 };

export class SymmetryFunctions {
  /** Element symbols sorted by atomic number. */
  readonly elements: readonly string[];
  /** Each element's functions in n2p2's sorted order (the neural-network input order). */
  readonly functions: readonly (readonly SymmetryFunctionSpec[])[];
  readonly cutoffType: number;
  readonly cutoffAlpha: number;
  /** Largest cutoff radius of all functions. */
  readonly cutoff: number;
  /** Length of one centre's row: the functions of all elements. */
  readonly numFeatures: number;
  /** The options that rebuild this descriptor elsewhere (a worker, a config file). */
  readonly config: { descriptor: 'n2p2'; elements: string[]; functions: SymmetryFunctionSpec[]; cutoffType: number; cutoffAlpha: number };
  private readonly columnOffsets: number[];
  private readonly tables: KernelTables;
  /** The triangle path's tables (null: it does not apply to these functions). @internal */
  readonly triangleTables: TriangleTables | null;
  private readonly numbers: number[];

  constructor(options: SymmetryFunctionsOptions) {
    if (options === null || typeof options !== 'object') throw new AtomenvError('INVALID_PARAMETER', 'SymmetryFunctions needs { elements, functions, cutoffType?, cutoffAlpha? }');
    checkOptionKeys('SymmetryFunctions', options, SYMMETRY_FUNCTIONS_OPTION_KEYS);
    const { elements: rawElements, functions, cutoffType = 1, cutoffAlpha = 0 } = options;
    if (!Array.isArray(rawElements) || rawElements.length === 0) throw new AtomenvError('MISSING_PARAMETER', '`elements` must be a non-empty list of element symbols');
    const numbers = rawElements.map((s: unknown) => {
      try {
        return atomicNumber(String(s));
      } catch {
        throw new AtomenvError('UNKNOWN_ELEMENT', `elements: unknown element ${JSON.stringify(s)}`);
      }
    });
    if (new Set(numbers).size !== numbers.length) throw new AtomenvError('INVALID_PARAMETER', 'elements: an element is listed twice');
    const elements = rawElements.map((s, k) => [String(s), numbers[k]!] as const).sort((a, b) => a[1] - b[1]).map(([s]) => s);
    if (!Number.isInteger(cutoffType) || cutoffType < 0 || cutoffType >= CUTOFF_TYPES) {
      throw new AtomenvError('INVALID_PARAMETER', `cutoffType must be an integer 0–8, got ${String(cutoffType)}`);
    }
    if (typeof cutoffAlpha !== 'number' || !(cutoffAlpha >= 0 && cutoffAlpha < 1)) {
      throw new AtomenvError('INVALID_PARAMETER', `cutoffAlpha must satisfy 0 ≤ α < 1, got ${String(cutoffAlpha)}`);
    }
    if (!Array.isArray(functions) || functions.length === 0) throw new AtomenvError('MISSING_PARAMETER', '`functions` must be a non-empty list');
    const specs = functions.map((f: SymmetryFunctionSpec | string, k) => {
      try {
        return checkSymmetryFunction(typeof f === 'string' ? parseSymmetryFunctionLine(f) : f, elements);
      } catch (error) {
        throw new AtomenvError('INVALID_PARAMETER', `functions[${k}]: ${(error as Error).message}`);
      }
    });
    this.elements = elements;
    this.numbers = elements.map(atomicNumber);
    this.cutoffType = cutoffType;
    this.cutoffAlpha = cutoffAlpha;
    this.functions = sortSymmetryFunctions(specs, elements);
    this.cutoff = maxCutoff(specs);
    this.columnOffsets = [];
    let offset = 0;
    for (const list of this.functions) {
      this.columnOffsets.push(offset);
      offset += list.length;
    }
    this.numFeatures = offset;
    this.tables = packKernelTables(this.functions as SymmetryFunctionSpec[][], elements, this.columnOffsets, cutoffType);
    this.triangleTables = packTriangleTables(this.functions, elements, this.columnOffsets, cutoffType, this.tables);
    this.config = { descriptor: 'n2p2', elements: [...elements], functions: structuredClone(specs), cutoffType, cutoffAlpha };
  }

  /** The symmetry functions of an n2p2 `input.nn` text. */
  static fromInputNn(text: string, file = 'input.nn'): SymmetryFunctions {
    const s = parseInputNn(text, file);
    return new SymmetryFunctions({ elements: s.elements, functions: s.symmetryFunctions, cutoffType: s.cutoffType, cutoffAlpha: s.cutoffAlpha });
  }

  /** Column range [start, end) of the functions of centre element `element`. */
  getLocation(element: string): [number, number] {
    const e = this.elements.indexOf(element);
    if (e < 0) throw new AtomenvError('INVALID_PARAMETER', `element '${element}' is not among ${this.elements.join(', ')}`);
    return [this.columnOffsets[e]!, this.columnOffsets[e]! + this.functions[e]!.length];
  }

  /** Values, shape [nCenters, numFeatures]. Synchronous after `await init()`. */
  create(structure: Structure, options: SymmetryFunctionsCreateOptions = {}): DescriptorValues {
    const rt = getRuntime();
    rt.arena.reset();
    const prep = this.prepare(rt, structure, options.centers);
    this.computeValues(rt, prep, 0);
    const m = prep.nl.nCenters;
    return { values: rt.arena.f64(prep.ptrs.values, m * this.numFeatures).slice(), shape: [m, this.numFeatures] };
  }

  /** Values and their analytic derivatives with respect to every atom position (periodic images included). */
  derivatives(structure: Structure, options: SymmetryFunctionsDerivativesOptions = {}): WithDerivatives {
    const rt = getRuntime();
    rt.arena.reset();
    const prep = this.prepare(rt, structure, options.centers);
    const pGrad = rt.arena.allocF64(prep.nl.count * 3 * this.numFeatures);
    this.computeValues(rt, prep, pGrad);
    const m = prep.nl.nCenters;
    const values = rt.arena.f64(prep.ptrs.values, m * this.numFeatures).slice();
    const derivatives = assembleDerivatives(rt, prep.nl, prep.structure.nAtoms, this.numFeatures, pGrad, options.attach ?? false, options.layout ?? 'dense');
    return { values, shape: [m, this.numFeatures], derivatives };
  }

  /**
   * ∂L/∂positions ([nAtoms, 3]) and ∂L/∂ε (3×3, Σ_pairs d_α ∂L/∂d_β) from ∂L/∂features
   * ([nCenters, numFeatures]), without forming the derivative array (the backward pass a
   * potential needs). `cell` (the gradient with respect to lattice vectors) is not computed: null.
   */
  backward(structure: Structure, dLdFeatures: ArrayLike<number>, options: SymmetryFunctionsCreateOptions = {}): { positions: Float64Array; strain: Float64Array; cell: null } {
    const rt = getRuntime();
    rt.arena.reset();
    const prep = this.prepare(rt, structure, options.centers);
    const m = prep.nl.nCenters, n = prep.structure.nAtoms;
    if (dLdFeatures === null || typeof dLdFeatures !== 'object' || dLdFeatures.length !== m * this.numFeatures) {
      throw new AtomenvError('INVALID_PARAMETER', `dLdFeatures has ${dLdFeatures?.length ?? String(dLdFeatures)} numbers; ${m} centres × ${this.numFeatures} features need ${m * this.numFeatures}`);
    }
    const { arena, kernels } = rt;
    const pW = arena.allocF64(m * this.numFeatures);
    const pEntry = arena.allocF64(3 * prep.nl.count);
    const pGrad = arena.allocF64(3 * n);
    const pStrain = arena.allocF64(9);
    const w = arena.f64(pW, m * this.numFeatures);
    for (let i = 0; i < w.length; i++) {
      const v: unknown = dLdFeatures[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new AtomenvError('INVALID_PARAMETER', `backward: dLdFeatures[${i}] is ${typeof v === 'number' ? String(v) : JSON.stringify(v) ?? String(v)}, not a finite number`);
      w[i] = v;
    }
    this.computeValues(rt, prep, 0, pW, pEntry);
    kernels.n2p2ScatterForces(m, prep.nl.centerAtom, prep.nl.offsets, prep.nl.index, prep.nl.disp, pEntry, n, pGrad, pStrain);
    return { positions: arena.f64(pGrad, 3 * n).slice(), strain: arena.f64(pStrain, 9).slice(), cell: null };
  }

  /**
   * Lays out a structure's neighbour list and the kernel inputs in the arena (call after
   * `rt.arena.reset()`). Used by {@link create}, {@link derivatives} and the potential.
   * @internal
   */
  prepare(rt: Runtime, input: Structure, centers?: ArrayLike<number> | null): PreparedStructure {
    return this.prepareNormalized(rt, normalizeStructure(input), centers);
  }

  /** {@link prepare} of a structure already normalised (no second copy and check). @internal */
  prepareNormalized(rt: Runtime, structure: NormalizedStructure, centers?: ArrayLike<number> | null): PreparedStructure {
    const { arena, kernels } = rt;
    const atomElement = speciesIndexOfAtoms(structure, this.numbers);
    const centerList = atomCenters(structure, centers);
    // With every atom a centre and a list reaching the overlap distance, the overlap check scans
    // the list instead of a search of its own.
    const checkInList = (centers === undefined || centers === null) && this.cutoff >= OVERLAP_DISTANCE;
    if (!checkInList) checkOverlaps(rt, structure, true);
    const nl = buildNeighborList(rt, structure, centerList, this.cutoff, true);
    if (checkInList) checkOverlapsInList(rt, structure, true, nl);
    const m = nl.nCenters;
    const kMax = nl.maxNeighbors;
    const t = this.tables;
    const ptrs = {
      atomElement: arena.copyIn(atomElement), atomZ: arena.copyIn(structure.numbers), elements: arena.copyIn(t.elements), elementRc: arena.copyIn(t.elementRc),
      classes: arena.copyIn(t.classes), lists: arena.copyIn(t.lists.length > 0 ? t.lists : new Int32Array(1)), classRc: arena.copyIn(t.classRc), sfs: arena.copyIn(t.sfs), groups: arena.copyIn(t.groups), angles: arena.copyIn(t.angles),
      groupRuns: arena.copyIn(t.groupRuns.length > 0 ? t.groupRuns : new Int32Array(1)),
      values: arena.allocF64(m * this.numFeatures),
      work: arena.alloc(kernels.n2p2WorkSize(kMax, t.maxGroups, t.groups.length / 8, t.angles.length / 8, this.elements.length, t.sfs.length / 8, this.numFeatures)),
    };
    return { structure, nl, ptrs, kMax };
  }

  /**
   * Runs the kernel on a prepared structure: values, plus per-entry gradients at `grad` (≠ 0),
   * or, with `dEdG` ≠ 0, the contraction Σ_f ∂E/∂G_f ∂G_f/∂d_e per entry at `entryGrad`.
   * @internal
   */
  computeValues(
    rt: Runtime, prep: PreparedStructure, grad: number, dEdG = 0, entryGrad = 0,
    range: [number, number] = [0, prep.nl.nCenters], cacheMode = 0, cache = 0, edges: EdgeTables | null = null,
  ): void {
    const { nl, ptrs } = prep;
    const t = this.tables;
    const e = edges ?? NO_EDGE_TABLES;
    rt.kernels.n2p2Compute(
      nl.nCenters, nl.centerAtom, nl.offsets, nl.index, nl.disp, ptrs.atomElement, ptrs.atomZ, this.elements.length,
      ptrs.elements, ptrs.elementRc, ptrs.classes, ptrs.lists, ptrs.classRc, ptrs.sfs, ptrs.groups, ptrs.angles,
      this.cutoffType, this.cutoffAlpha, ptrs.values, this.numFeatures, grad, dEdG, entryGrad, ptrs.work, prep.kMax,
      t.maxGroups, t.groups.length / 8, t.angles.length / 8, range[0], range[1], cacheMode, cache,
      e.factors, e.pairStride, e.slotOfAtom, e.nAtoms, e.imageCut2, e.listColumn, e.runStart, e.sortedAtom, ptrs.groupRuns, e.runRowBase, 0, 0,
    );
  }

  /**
   * A potential's passes over all centres in one kernel call (assembly/n2p2/potentialPasses.ts):
   * values, networks and the backward pass chunk by chunk; raw network outputs per centre at
   * `net.energy`, ∂E/∂r per atom at `atomGrad` (3 per atom) and the virial Σ_e d_e ⊗ ∂E/∂d_e at
   * `virial` (9, row-major). `centres`: the centres to run, [start, end) (default all).
   * @internal
   */
  potentialPasses(
    rt: Runtime, prep: PreparedStructure, edges: EdgeTables | null, dEdG: number, atomGrad: number, virial: number, bounds: number, cacheBytes: number, cache: number,
    net: { table: number; normalize: boolean; convEnergy: number; energy: number; scratch: number; chunkAtoms: number },
    centres: readonly [number, number] = [0, prep.nl.nCenters],
  ): void {
    const { nl, ptrs } = prep;
    const t = this.tables;
    const e = edges ?? NO_EDGE_TABLES;
    rt.kernels.n2p2PotentialPasses(
      nl.nCenters, nl.centerAtom, nl.offsets, nl.index, nl.disp, ptrs.atomElement, ptrs.atomZ, this.elements.length,
      ptrs.elements, ptrs.elementRc, ptrs.classes, ptrs.lists, ptrs.classRc, ptrs.sfs, ptrs.groups, ptrs.angles,
      this.cutoffType, this.cutoffAlpha, ptrs.values, this.numFeatures, ptrs.work, prep.kMax,
      t.maxGroups, t.groups.length / 8, t.angles.length / 8, cache,
      e.factors, e.pairStride, e.slotOfAtom, e.nAtoms, e.imageCut2, e.listColumn, e.runStart, e.sortedAtom, ptrs.groupRuns, e.runRowBase,
      dEdG, atomGrad, virial, bounds, cacheBytes, net.table, net.normalize, net.convEnergy, net.energy, net.scratch, net.chunkAtoms,
      centres[0], centres[1],
    );
  }

  /**
   * Whether {@link trianglePasses} applies: triangle tables (narrow type-3 functions only), every
   * atom its own centre, and each periodic axis at least three cutoffs high. @internal
   */
  trianglePathApplies(rt: Runtime, prep: PreparedStructure): boolean {
    const { nl, structure } = prep;
    const n = structure.nAtoms;
    if (this.triangleTables === null || nl.nCenters !== n) return false;
    const geometry = cellGeometry(structure.cell, structure.pbc);
    for (let i = 0; i < 3; i++) if (geometry.periodic[i] && !(geometry.heights[i]! >= 3 * this.cutoff)) return false;
    const centerAtom = rt.arena.i32(nl.centerAtom, n);
    for (let c = 0; c < n; c++) if (centerAtom[c] !== c) return false;
    return true;
  }

  /**
   * The triangle path's plan where it applies ({@link trianglePathApplies}) and its tables fit:
   * the half-edge count and the bytes of its tables; null when they would take the arena's top
   * past {@link trianglePathLimit}.bytes. Allocates nothing. @internal
   */
  planTriangles(rt: Runtime, prep: PreparedStructure): TrianglePlan | null {
    if (!this.trianglePathApplies(rt, prep)) return null;
    const halfEdges = rt.kernels.n2p2TriangleHalfEdgeCount(prep.structure.nAtoms, prep.nl.offsets, prep.nl.index);
    const sizes = this.triangleSizes(rt, prep, halfEdges);
    return rt.arena.mark() + sizes.total > trianglePathLimit.bytes ? null : { halfEdges, sizes };
  }

  /**
   * Bytes of the triangle path's tables for `nh` half edges (the record, the radial pairs' R'
   * and the radial cache as upper bounds; `total` adds room for the small tables). @internal
   */
  triangleSizes(rt: Runtime, prep: PreparedStructure, nh: number): TriangleSizes {
    const tt = this.triangleTables!;
    const n = prep.structure.nAtoms, nE = this.elements.length, kMax = prep.kMax;
    const nCol = tt.columns.length / 8;
    // Per radial-pair run: its longest run of rows.
    let longestRun = 1;
    for (let k = 1; k < tt.radialPairRuns.length; k += 2) longestRun = Math.max(longestRun, tt.radialPairRuns[k]!);
    let radialGroups = 0;
    for (let e = 0; e < nE; e++) radialGroups = Math.max(radialGroups, tt.radialElements[8 * e + 5]!);
    const sizes = {
      hRun: 4 * (n * (nE + 1) + 1), hIdx: 4 * (nh + 1), hEdge: 4 * Math.max(1, nh), hR: 8 * (nh + 1),
      slot: 4 * (n + 1), moments: 8 * (n + 1) * tt.width, scratch: rt.kernels.n2p2TriangleScratch(kMax),
      // (R, R') per column and half edge, R only with one cutoff (f_c'/f_c per half edge in hL).
      fac: (tt.oneCutoff ? 8 : 16) * nCol * (nh + 1), hS: 8 * (nh + 1),
      hL: tt.oneCutoff ? 8 * (nh + 1) : 0, hFc: tt.oneCutoff ? 16 * (nh + 1) : 0,
      // The radial rows' cache (at most the widest element's bound; trianglePasses takes its atoms').
      cache: Math.max(TRIANGLE_CACHE_BUDGET, 2 * radialGroups * 8 * (kMax + 2) + 16), slotMap: 4 * (n + 1),
      gauss: rt.kernels.n2p2TrianglePairRadialScratch(longestRun, kMax),
      // R' per pair of half edges of a run and row (n2p2TrianglePairRadialBytes): at most
      // (nh + n nE) / 2 pairs of the longest run's rows.
      radialPairs: tt.radialPairs === null ? 0 : 16 * longestRun * (nh + n * nE) / 2 + 16,
      // One block of the candidate record: ≤ kMax half edges per atom, nE runs of ≤ kMax candidates each.
      recordBlock: TRIANGLE_BLOCK * kMax * nE * (4 + 8 * (kMax + 1)),
      sorted: 4 * (n * (2 * nE + 1) + 1) + 8 * Math.max(1, prep.nl.count),
      total: 0,
    };
    // The small tables (columns, lists, rows) and 16-byte alignment.
    let total = 65536;
    for (const bytes of Object.values(sizes)) total += bytes;
    sizes.total = total;
    return sizes;
  }

  /**
   * A potential's passes over the whole structure by the triangle path (angularTriangles.ts):
   * radial values per centre and angular values by triangles for every atom, the networks for
   * every atom, then the radial backward pass per centre and the angular one by triangles.
   * Raw network outputs at `net.energy`, ∂E/∂r per atom added at `atomGrad`, the virial at
   * `virial`. Only with a {@link planTriangles} plan of `prep`. False (nothing written to the
   * outputs) when its candidate record would take the arena past {@link trianglePathLimit}.
   * @internal
   */
  trianglePasses(
    rt: Runtime, prep: PreparedStructure, plan: TrianglePlan, dEdG: number, atomGrad: number, virial: number,
    net: { table: number; normalize: boolean; convEnergy: number; energy: number; scratch: number; chunkAtoms: number },
  ): boolean {
    const tt = this.triangleTables!;
    const { nl, structure, ptrs } = prep;
    const n = structure.nAtoms;
    const { arena, kernels } = rt;
    const t = this.tables;
    const nE = this.elements.length, F = this.numFeatures, W = tt.width;
    const nCol = tt.columns.length / 8;
    const { sizes } = plan;
    const radialElements = arena.copyIn(tt.radialElements), tri = arena.copyIn(tt.tri), list = arena.copyIn(tt.list), columns = arena.copyIn(tt.columns);
    const sfRows = arena.copyIn(tt.sfRows), elementSf = arena.copyIn(tt.elementSf);
    // The half list, its nh half edges counted by planTriangles.
    const hRun = arena.alloc(sizes.hRun), hIdx = arena.alloc(sizes.hIdx), hEdge = arena.alloc(sizes.hEdge), hR = arena.alloc(sizes.hR);
    const slot = arena.alloc(sizes.slot);
    const moments = arena.alloc(sizes.moments);
    const scratch = arena.alloc(sizes.scratch);
    const tmp = arena.alloc(32);
    // Each atom's edges by neighbour element (runs, then each run's split at the atom's index),
    // the half list from them; their room is given back.
    const sortedMark = arena.mark();
    const count = Math.max(1, nl.count);
    const runStart = arena.allocI32(n * (2 * nE + 1) + 1), sortedEdge = arena.allocI32(count), sortedAtom = arena.allocI32(count);
    kernels.n2p2SortEdgesByElement(n, nE, nl.offsets, nl.index, ptrs.atomElement, sortedEdge, sortedAtom, runStart);
    const nh = kernels.n2p2TriangleHalfList(n, nE, runStart, sortedEdge, sortedAtom, nl.disp, hRun, hIdx, hEdge, hR);
    arena.release(sortedMark);
    const fac = arena.alloc(sizes.fac);
    const hS = arena.alloc(sizes.hS);
    const columnGauss = arena.alloc(16 * nCol);
    // One cutoff for every column: f_c'/f_c per half edge for the backward pass.
    const hL = tt.oneCutoff ? arena.alloc(sizes.hL) : 0;
    // With it (f_c, f_c') per half edge, which the radial pairs of that r_c reuse.
    const hFc = tt.oneCutoff ? arena.alloc(sizes.hFc) : 0;
    for (let e0 = 0; e0 < Math.max(1, nh); e0 += EDGE_FACTOR_HALF_EDGES) {
      kernels.n2p2TriangleEdgeFactors(e0, Math.min(nh, e0 + EDGE_FACTOR_HALF_EDGES), nh, hR, columns, nCol, this.cutoffType, this.cutoffAlpha, fac, tmp, columnGauss, hL, hFc);
    }
    arena.i32(slot, n + 1).fill(-1);
    arena.f64(hS, nh + 1).fill(0);
    // The radial part per centre as the edge path's passes do it: each chunk's radial rows
    // recorded by the values pass (cacheMode 1; fac only marks "edge tables present", no class
    // takes the edge path) and replayed by the backward pass (cacheMode 2).
    const atomElement = arena.i32(ptrs.atomElement, n).slice();
    const rowBytes = 8 * (prep.kMax + 2);
    const bound = (a: number): number => 2 * tt.radialElements[8 * atomElement[a]! + 5]! * rowBytes + 16;
    let budget = TRIANGLE_CACHE_BUDGET;
    for (let a = 0; a < n; a++) budget = Math.max(budget, bound(a));
    const cache = arena.alloc(budget);
    const slotMap = arena.alloc(sizes.slotMap);
    kernels.n2p2SlotMapInit(n, slotMap);
    const compute = (c0: number, c1: number, dW: number, cacheMode: number, grad: number, vir: number): void => {
      kernels.n2p2Compute(
        n, nl.centerAtom, nl.offsets, nl.index, nl.disp, ptrs.atomElement, ptrs.atomZ, nE,
        radialElements, ptrs.elementRc, ptrs.classes, ptrs.lists, ptrs.classRc, ptrs.sfs, ptrs.groups, ptrs.angles,
        this.cutoffType, this.cutoffAlpha, ptrs.values, F, 0, dW, 0, ptrs.work, prep.kMax,
        t.maxGroups, t.groups.length / 8, t.angles.length / 8, c0, c1, cacheMode, cache,
        fac, 0, slotMap, n, 0, 0, 0, 0, ptrs.groupRuns, 0, grad, vir,
      );
    };
    // Radial functions by pairs (each pair's R once for both atoms) where all are type 2.
    const pairs = tt.radialPairs !== null;
    const radialRows = pairs ? arena.copyIn(tt.radialPairs!) : 0, radialRuns = arena.copyIn(tt.radialPairRuns);
    const gauss = arena.alloc(sizes.gauss);
    const dR = pairs ? arena.alloc(kernels.n2p2TrianglePairRadialBytes(n, nE, ptrs.atomElement, hRun, radialRuns)) : 0;
    // The whole-structure kernels go in blocks of atoms (see n2p2TriangleValues).
    const pairRadial = (dW: number): void => {
      let record = dR;
      for (let a0 = 0; a0 < n; a0 += TRIANGLE_BLOCK) {
        record = kernels.n2p2TrianglePairRadial(
          a0, Math.min(n, a0 + TRIANGLE_BLOCK), n, nE, ptrs.atomElement, hRun, hIdx, hR, radialRows, radialRuns,
          this.cutoffType, this.cutoffAlpha, ptrs.values, F, dW, hS, tmp, gauss, record, hFc, tt.columns[2]!,
        );
      }
    };
    if (pairs) {
      arena.f64(ptrs.values, n * F).fill(0);
      pairRadial(0);
    }
    arena.f64(moments, (n + 1) * W).fill(0);
    // Angular moments of every atom by triangles; the triangles found are recorded for the
    // backward pass. The record is the arena's last block: reserved block by block of atoms as the
    // values pass goes (each block's bound, in steps), so that it takes about what the triangles use.
    const record = arena.mark();
    for (let a0 = 0, at = record; a0 < n; a0 += TRIANGLE_BLOCK) {
      const a1 = Math.min(n, a0 + TRIANGLE_BLOCK);
      const end = at + kernels.n2p2TriangleRecordBytes(a0, a1, nE, ptrs.atomElement, hRun, hIdx, tri, list);
      // Growing wasm memory costs ~0.7 ms a call above a few tens of MiB (V8): the reservation grows
      // by a quarter of the record at least (≈ 30 calls for 10⁹ bytes).
      const top = arena.mark();
      if (end > top) {
        // Past the limit: declined before any result is written (the caller takes the per-centre passes).
        if (end > trianglePathLimit.bytes) return false;
        arena.alloc(Math.max(end - top, Math.min(trianglePathLimit.bytes - top, Math.max(RECORD_STEP, (top - record) / 4))));
      }
      // The end comes back as a wasm i32: unsigned above 2 GiB.
      at = kernels.n2p2TriangleValues(a0, a1, n, nE, ptrs.atomElement, hRun, hIdx, hR, fac, nCol, nh, tri, list, W, moments, slot, scratch, prep.kMax, at, hL !== 0) >>> 0;
    }
    for (let c0 = 0; c0 < n;) {
      let c1 = c0 + 1, used = bound(c0);
      while (c1 < n && used + bound(c1) <= budget) used += bound(c1++);
      // Values: radial, then the angular G from the moments; the networks; the radial backward
      // pass; the coefficients of Q in place of the chunk's moments.
      if (!pairs) compute(c0, c1, 0, 1, 0, 0);
      kernels.n2p2TriangleMoments(c0, c1, ptrs.atomElement, sfRows, elementSf, W, moments, ptrs.values, F, 0);
      kernels.n2p2ChunkNetworks(
        c0, c1, nl.centerAtom, ptrs.atomElement, nE, net.table, ptrs.values, F, net.normalize, net.convEnergy, net.energy, dEdG, net.scratch, net.chunkAtoms,
      );
      if (!pairs) compute(c0, c1, dEdG, 2, atomGrad, virial);
      kernels.n2p2TriangleMoments(c0, c1, ptrs.atomElement, sfRows, elementSf, W, moments, ptrs.values, F, dEdG);
      c0 = c1;
    }
    if (pairs) pairRadial(dEdG);
    // Angular backward by triangles.
    for (let a0 = 0, at = record; a0 < n; a0 += TRIANGLE_BLOCK) {
      at = kernels.n2p2TriangleBackward(a0, Math.min(n, a0 + TRIANGLE_BLOCK), n, nE, ptrs.atomElement, hRun, hIdx, hR, fac, nCol, nh, tri, list, W, moments, scratch, prep.kMax, hS, at, columns, hL);
    }
    kernels.n2p2TriangleEdgeForces(n, nE, hRun, hIdx, hEdge, nl.disp, hS, atomGrad, virial);
    return true;
  }

  /**
   * Tables of the edge path (per-edge r_jk factors and the atom → slot map), or null
   * when it does not apply: it needs every atom as a centre in order, at most 2048 atoms, and a
   * cell at least twice the cutoff high along each periodic axis (each atom seen at most once).
   * @internal
   */
  prepareEdges(rt: Runtime, prep: PreparedStructure): EdgeTables | null {
    const t = this.tables;
    const nColumns = t.edgeColumns.length / 4;
    const { nl, structure } = prep;
    const n = structure.nAtoms;
    if (nColumns === 0 || nl.nCenters !== n || n > EDGE_PATH_MAX_ATOMS) return null;
    const centerAtom = rt.arena.i32(nl.centerAtom, n);
    for (let c = 0; c < n; c++) if (centerAtom[c] !== c) return null;
    const geometry = cellGeometry(structure.cell, structure.pbc);
    for (let i = 0; i < 3; i++) if (geometry.periodic[i] && !(geometry.heights[i]! > 2 * this.cutoff)) return null;
    const { arena, kernels } = rt;
    const columns = arena.copyIn(t.edgeColumns);
    const listColumn = arena.copyIn(t.listColumn), pairStride = arena.copyIn(t.pairStride), pairColumnOffset = arena.copyIn(t.pairColumnOffset);
    const nE = this.elements.length;
    // Per atom its runs by element (nE + 1), then after all atoms each run's split at the atom's index (nE).
    const runStart = arena.allocI32(n * (2 * nE + 1));
    const sortedEdge = arena.allocI32(Math.max(1, nl.count)), sortedAtom = arena.allocI32(Math.max(1, nl.count));
    kernels.n2p2SortEdgesByElement(n, nE, nl.offsets, nl.index, prep.ptrs.atomElement, sortedEdge, sortedAtom, runStart);
    // Each run's rows at its element pair's stride, after a zero row ("no edge") of the widest.
    const runs = arena.i32(runStart, n * (nE + 1)), atomElement = arena.i32(prep.ptrs.atomElement, n);
    const bases = new Int32Array(n * (nE + 1));
    const zeroBytes = Math.max(16, ...t.pairStride);
    let bytes = zeroBytes;
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < nE; b++) {
        const stride = t.pairStride[atomElement[a]! * nE + b]!;
        const at = a * (nE + 1) + b;
        bases[at] = bytes - runs[at]! * stride;
        bytes += (runs[at + 1]! - runs[at]!) * stride;
      }
    }
    const runRowBase = arena.copyIn(bases);
    const factors = arena.alloc(bytes);
    const tmp = arena.alloc(16 * (nColumns + 1));
    // In blocks of atoms (see n2p2EdgeFactors).
    for (let a0 = 0; a0 < n; a0 += EDGE_FACTOR_BLOCK) {
      kernels.n2p2EdgeFactors(
        a0, Math.min(n, a0 + EDGE_FACTOR_BLOCK), nE, prep.ptrs.atomElement, runStart, sortedEdge, nl.disp, columns, nColumns,
        pairColumnOffset, pairStride, runRowBase, zeroBytes, this.cutoffType, this.cutoffAlpha, factors, tmp,
      );
    }
    const slotOfAtom = arena.allocI32(n + 1);
    kernels.n2p2SlotMapInit(n, slotOfAtom);
    let imageCut2 = 0;
    for (let i = 0; i < 3; i++) if (geometry.periodic[i] && !(geometry.heights[i]! >= 3 * this.cutoff)) imageCut2 = this.cutoff * this.cutoff;
    return { factors, pairStride, runRowBase, slotOfAtom, nAtoms: n, imageCut2, listColumn, runStart, sortedAtom };
  }

  /**
   * Upper bound of the bytes the f64x2 angular path (or with `edges`, the edge path where it
   * applies) records per centre (cacheMode 1), from the neighbour counts per element; used to
   * size the chunks of a potential's fused passes. `runStart` (the edge tables' per-atom runs,
   * centre c being atom c) gives the counts per element without a pass over the list.
   * @internal
   */
  cacheBounds(rt: Runtime, prep: PreparedStructure, edges = false, runStart = 0): Float64Array {
    const { nl, ptrs } = prep;
    const m = nl.nCenters, nE = this.elements.length;
    const offsets = rt.arena.i32(nl.offsets, m + 1), index = rt.arena.i32(nl.index, nl.count);
    const centerAtom = rt.arena.i32(nl.centerAtom, m), atomElement = rt.arena.i32(ptrs.atomElement, prep.structure.nAtoms);
    const runs = runStart === 0 ? null : rt.arena.i32(runStart, m * (nE + 1));
    const { elements, classes } = this.tables;
    const out = new Float64Array(m);
    const counts = new Int32Array(nE);
    const pairsBlocks = (n: number): number => Math.ceil((n * n) / 4) + n;
    for (let c = 0; c < m; c++) {
      if (runs !== null) {
        for (let el = 0; el < nE; el++) counts[el] = runs[c * (nE + 1) + el + 1]! - runs[c * (nE + 1) + el]!;
      } else {
        counts.fill(0);
        for (let e = offsets[c]!; e < offsets[c + 1]!; e++) counts[atomElement[index[e]!]!]!++;
      }
      const total = offsets[c + 1]! - offsets[c]!;
      const ce = atomElement[centerAtom[c]!]!;
      // With edges: the radial rows of the centre's groups (2 × groups × (kMax + 2) f64).
      let bytes = edges ? 2 * elements[8 * ce + 5]! * (prep.kMax + 2) * 8 + 16 : 0;
      for (let k = elements[8 * ce + 2]!; k < elements[8 * ce + 2]! + elements[8 * ce + 3]!; k++) {
        const row = k * CLASS_STRIDE;
        const e1 = classes[row]!, e2 = classes[row + 1]!;
        if (edges && classes[row + 9] === 1) {
          // Edge path: per j a 16-byte header and room for every k (+3) at 16 bytes.
          const nJ = e1 < 0 ? total : counts[e1]!, nK = e2 < 0 ? total : counts[e2]!;
          bytes += nJ * 16 * (nK + 4);
          continue;
        }
        if (classes[row + 8] === 0) continue;
        const blocks = e1 < 0 ? pairsBlocks(total) : e1 === e2 ? pairsBlocks(counts[e1]!) : counts[e1]! * Math.ceil(counts[e2]! / 2);
        bytes += blocks * (2 * classes[row + 6]! + 2 * classes[row + 7]!) * 16;
      }
      out[c] = bytes;
    }
    return out;
  }
}
