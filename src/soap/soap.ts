import { atomOrPointCenters, type CenterSpec } from '../descriptors/centers.js';
import { speciesIndexOfAtoms } from '../descriptors/species.js';
import { buildNeighborList, type Centers } from '../neighbors/neighborList.js';
import { checkOverlaps } from '../neighbors/overlap.js';
import { declaredAtomCount, normalizeStructure, type NormalizedStructure, type Structure } from '../structure/structure.js';
import { cellGeometry } from '../structure/cell.js';
import { AtomenvError, invalidParameter } from '../errors.js';
import { currentRuntime, getRuntime, type Runtime } from '../wasm/loader.js';
import {
  derivativesResult, planDerivativeRows, type DenseDerivatives, type DerivativeRows, type DerivativesLayout, type SparseDerivatives,
} from '../gradients/atomGradients.js';
import { soapFeatureTable, soapLocation, soapNumFeatures } from './layout.js';
import { MAX_N_MAX, validateSOAPOptions, type SOAPOptions, type SOAPParams } from './params.js';
import { soapKernelTable, soapKernelTableF32, type SOAPKernelTable, type SOAPKernelTableF32 } from './radialTable.js';
import { reorderAtoms, spatialOrder } from '../structure/spatialOrder.js';

/** The table geometry the kernel configuration needs (float64 or float32 table). */
type TableGeometry = Pick<SOAPKernelTable, 'nMaxPadded' | 'intervals' | 'spacing' | 'invSpacing' | 'rMax'>;

/** Options of {@link SOAP.create}. */
export interface SOAPCreateOptions {
  /** Atom indices and/or Cartesian points [x, y, z] in Å; every atom in order when omitted. */
  centers?: ArrayLike<CenterSpec> | null;
}

/** Options of {@link SOAP.derivatives}. */
export interface SOAPDerivativesOptions extends SOAPCreateOptions {
  /** Each centre on an atom moves with it (DScribe's `attach`; what forces need). Default false. */
  attach?: boolean;
  /** `'dense'` (default): [nCenters, nAtoms, 3, nFeatures]; `'sparse'`: per-centre blocks. */
  layout?: DerivativesLayout;
  /**
   * Where to write the derivative values (reuse one buffer across calls to skip allocating and
   * first-touching a large array); at least as long as the result. The result's `values` is then
   * `out` or its leading subarray.
   */
  out?: Float64Array;
  /**
   * Wasm scratch for derivative rows, in bytes (default 2 MiB): the centres are processed in
   * chunks whose rows fit it (at least one centre per chunk), so memory beyond the output stays
   * bounded.
   */
  chunkBytes?: number;
}

/**
 * Atoms per tile of the pair path (assembly/soap/pairExpansion.ts): the pairs from a tile to
 * every later atom are evaluated together (0.9 KB each for W1's basis). The float64 kernel cuts
 * each species' atoms into tiles of their own; there 16, 24 and 32 measured within 1 % on W1
 * and 8 about 5 % slower (with consecutive-index tiles 8, 16 and 32 were within 3 %).
 */
const PAIR_TILE = 16;

/**
 * Tile of the float64 values pass (soapComputeAllAtoms) on structures whose coefficients exceed
 * the kernel's slot-pass threshold (soapSlotPassAboveBytes, 2 MiB), where it also recycles
 * coefficient slots and emits each spectrum as its atom completes. Every tile adds one group per
 * distinct partner atom to that atom's coefficients (a read-modify-write of its block), so larger
 * tiles mean fewer, larger groups: on the 1 536-atom water box 32 gives ~30 % fewer groups than
 * 16 and a kernel ~3 % faster there and at 6 144 atoms; on W1's 192 atoms it measured ~1 % slower.
 */
const PAIR_TILE_LARGE = 32;

/** Largest scratch of the pair path (bytes); larger structures take the per-centre path. */
const PAIR_WORK_LIMIT = 256 * 1024 * 1024;

/**
 * When `create` streams its values out of wasm memory (float64 values, every atom a centre, and
 * the per-centre path with `average` 'off'): above `aboveBytes` of output rows plus (pair path)
 * every atom's coefficient block, the pair path keeps only the coefficient slots of the atoms in
 * flight and copies the finished spectra out `blockBytes` at a time (at least one tile's atoms),
 * and the per-centre path builds the neighbour list and computes the values of `blockBytes` of
 * rows of centres at a time. The streamed pair path takes at most `slotBytes` of coefficient
 * slots (the atoms in flight: ~30 000 on a 331 776-atom water box, 190 MB); beyond, and when
 * its half list and slots do not fit in wasm memory, the per-centre path runs. Below, one pass
 * with everything in wasm memory (as fast: W5's 6 144 atoms hold 45 MiB of rows). Tests lower
 * both to force the streamed passes. @internal
 */
export const soapStreaming = { aboveBytes: 256 * 1024 * 1024, blockBytes: 16 * 1024 * 1024, slotBytes: 512 * 1024 * 1024 };

/**
 * Default bytes of wasm scratch for derivative rows per chunk of centres: small chunks are
 * copied out while still in cache (W2 sparse: 1-centre and 3 MiB chunks ~5 % faster than 8 MiB,
 * 32 MiB ~10 % slower).
 */
const CHUNK_BYTES = 2 * 1024 * 1024;

/** A run of centres start..end−1 whose output rows are rowBase .. rowBase + rows − 1. */
interface DerivativeChunk {
  readonly start: number;
  readonly end: number;
  readonly rowBase: number;
  readonly rows: number;
}

/**
 * Splits the centres into runs whose rows fit `maxRows` (at least one centre per run). Rows of
 * consecutive centres are consecutive in both layouts; averaged centres share rows: one run.
 */
function derivativeChunks(
  plan: DerivativeRows, offsets: Int32Array, nAtoms: number, averaged: boolean, maxRows: number,
): DerivativeChunk[] {
  const m = offsets.length - 1;
  if (averaged || m === 0) return [{ start: 0, end: m, rowBase: 0, rows: plan.nRows }];
  const rowStart = (c: number): number => (plan.sparseOffsets === null ? c * nAtoms : plan.sparseOffsets[c]!);
  const chunks: DerivativeChunk[] = [];
  let start = 0;
  while (start < m) {
    let end = start + 1;
    while (end < m && rowStart(end + 1) - rowStart(start) <= maxRows) end++;
    chunks.push({ start, end, rowBase: rowStart(start), rows: rowStart(end) - rowStart(start) });
    start = end;
  }
  return chunks;
}

/** SOAP values with their derivatives with respect to atom positions. */
export interface SOAPWithDerivatives extends SOAPValues {
  readonly derivatives: DenseDerivatives | SparseDerivatives;
}

/** Result of {@link SOAP.backward}. */
export interface SOAPBackward {
  /** ∂L/∂positions, [nAtoms, 3]. */
  readonly positions: Float64Array;
  /**
   * ∂L/∂ε, [3, 3] row-major, for the homogeneous deformation x → x (I + ε) of every position and
   * lattice vector (row vectors): Σ over pairs of d_α ∂L/∂d_β. For an energy E, the stress is
   * strain / volume (and the virial −strain).
   */
  readonly strain: Float64Array;
  /** ∂L/∂cell, [3, 3] (row k = lattice vector k) at fixed Cartesian positions; null when not periodic. */
  readonly cell: Float64Array | null;
}

/** SOAP values: C-order [nCenters, nFeatures] (one row when averaged), in the chosen dtype. */
export interface SOAPValues {
  readonly values: Float64Array | Float32Array;
  readonly shape: [number, number];
}

const WEIGHT_FUNCTION_CODE = { poly: 1, pow: 2, exp: 3 } as const;
const AVERAGE_CODE = { off: 0, inner: 1, outer: 2 } as const;

/**
 * Smooth Overlap of Atomic Positions (Bartók, Kondor, Csányi): the rotation-invariant power
 * spectrum of each centre's neighbour density, with DScribe 2.1.1's definitions, options and
 * feature order, computed in wasm from tabulated radial integrals.
 *
 * ```ts
 * await init();
 * const soap = new SOAP({ species: ['H', 'O'], rCut: 5, nMax: 8, lMax: 6, sigma: 0.5, periodic: true });
 * const { values, shape } = soap.create(structure);
 * ```
 */
export class SOAP {
  /** The validated parameters (species as sorted atomic numbers, derived cutoffs). */
  readonly params: SOAPParams;
  /** Length of one centre's feature vector. */
  readonly numFeatures: number;
  private readonly blocks: Int32Array;
  /** The radial table (built by the wasm kernels: at construction when init() has run, else at first use). */
  private tableCache: SOAPKernelTable | null = null;
  /** The float32 table when dtype is 'float32' (values then computed by soapComputeF32). */
  private tableF32Cache: SOAPKernelTableF32 | null = null;

  /** The config that rebuilds this descriptor elsewhere (a worker, a CLI config file). */
  readonly config: { descriptor: 'soap' } & SOAPOptions;

  constructor(options: SOAPOptions) {
    this.params = validateSOAPOptions(options);
    // Here, not in the validation: a server's cost check sees a huge nMax first (413, not 422).
    if (this.params.nMax > MAX_N_MAX) {
      invalidParameter(`nMax must be ≤ ${MAX_N_MAX} (both radial bases stop being positive definite in float64 far below), got ${this.params.nMax}`);
    }
    // After validation, so bad options get the validator's message.
    this.config = { descriptor: 'soap', ...structuredClone(options) };
    this.numFeatures = soapNumFeatures(this.params);
    this.blocks = spectrumBlocks(this.params);
    // Built now when the runtime is loaded, so parameters that cannot be tabulated fail here.
    const rt = currentRuntime();
    if (rt !== null) this.tables(rt);
  }

  /** The radial table, and the float32 one when dtype is 'float32'. */
  private tables(rt: Runtime): { table: SOAPKernelTable; tableF32: SOAPKernelTableF32 | null } {
    this.tableCache ??= soapKernelTable(rt, this.params);
    if (this.params.dtype === 'float32') this.tableF32Cache ??= soapKernelTableF32(rt, this.params);
    return { table: this.tableCache, tableF32: this.tableF32Cache };
  }

  /** Feature range [start, end) of the block of a pair of species (DScribe's `get_location`). */
  getLocation(species: ReadonlyArray<string | number>): [number, number] {
    return soapLocation(this.params, species);
  }

  /**
   * SOAP vectors of the centres, shape [nCenters, numFeatures]; with `average` 'inner' or
   * 'outer' one row, [1, numFeatures]. Synchronous after `await init()`. With dtype 'float32'
   * the values are computed in float32 (f32x4 kernels, error ≤ 5e-6 of the largest value,
   * see test/soap/float32.test.ts) and returned as they come out of wasm memory.
   */
  create(structure: Structure, options: SOAPCreateOptions = {}): SOAPValues {
    const rt = getRuntime();
    const { tableF32 } = this.tables(rt);
    try {
      // Every atom a centre: the pair path (each pair evaluated once for both atoms), unless the
      // kernel declines (many atoms without spatial locality).
      if (options.centers === undefined || options.centers === null) {
        let pair: SOAPValues | null = null;
        try {
          pair = this.pairValues(rt, structure, tableF32 !== null);
        } catch (error) {
          // The pair path's half list and scratch can outgrow wasm memory where the per-centre
          // path's runs of centres still fit.
          if (!(error instanceof AtomenvError) || error.code !== 'OUT_OF_MEMORY') throw error;
        }
        if (pair !== null) return pair;
      }
      return this.centreValues(rt, structure, options.centers, tableF32);
    } catch (error) {
      throw this.explainOutOfMemory(error, structure, 'create');
    }
  }

  /**
   * An OUT_OF_MEMORY error of `method` restated with the atom count, what holds the wasm memory
   * and what to do; any other error as it is.
   */
  private explainOutOfMemory(error: unknown, structure: Structure, method: string): unknown {
    if (!(error instanceof AtomenvError) || error.code !== 'OUT_OF_MEMORY') return error;
    const n = normalizeStructure(structure).nAtoms;
    const held = method === 'create'
      ? `every atom's neighbours within ${this.params.neighbourCutoff.toFixed(2)} Å (28 bytes each, half of them on the pair path) and ~0.2 kB per atom; the output rows (${8 * this.numFeatures} bytes per centre) and coefficients are streamed above ${(soapStreaming.aboveBytes / 2 ** 20).toFixed(0)} MiB`
      : `every centre's neighbours within ${this.params.neighbourCutoff.toFixed(2)} Å (28 bytes each), ${method === 'backward' ? `∂L/∂features (${8 * this.numFeatures} bytes per centre row) and on the pair path two coefficient blocks per atom` : `the values (${8 * this.numFeatures} bytes per centre row) and the derivative rows of a chunk of centres`}`;
    return new AtomenvError(
      'OUT_OF_MEMORY',
      `SOAP.${method} on ${n} atoms: ${error.message}. It holds ${held}: pass \`centers\` in chunks (a few 10 000 atoms each; the results of the chunks are the rows of the whole)`,
    );
  }

  /**
   * Values by the per-centre kernels (soapCompute, soapComputeF32) on a full neighbour list;
   * above {@link soapStreaming}.aboveBytes of rows (average 'off'), list and rows are made for
   * runs of centres one after the other, each run's rows copied out before the next.
   */
  private centreValues(rt: Runtime, structure: Structure, centerSpecs: ArrayLike<CenterSpec> | null | undefined, tableF32: SOAPKernelTableF32 | null): SOAPValues {
    const F = this.numFeatures;
    const bytes = tableF32 !== null ? 4 : 8;
    const setup = this.prepareStructure(rt, structure, centerSpecs, tableF32);
    const m = setup.centers.atoms.length;
    const perRun = this.params.average !== 'off' || m * F * bytes <= soapStreaming.aboveBytes
      ? m
      : Math.max(1, Math.floor(soapStreaming.blockBytes / (F * bytes)));
    const values = perRun === m ? null : tableF32 !== null ? new Float32Array(m * F) : new Float64Array(m * F);
    const mark = rt.arena.mark();
    for (let c0 = 0; c0 < m || c0 === 0; c0 += perRun) {
      const c1 = Math.min(m, c0 + perRun);
      rt.arena.release(mark);
      const part = perRun === m ? setup.centers : { positions: setup.centers.positions.subarray(3 * c0, 3 * c1), atoms: setup.centers.atoms.subarray(c0, c1) };
      const run = this.prepareCentres(rt, setup, part, false, false);
      if (tableF32 !== null) rt.kernels.soapComputeF32(...run.args);
      else rt.kernels.soapCompute(...run.args);
      const out = tableF32 !== null ? rt.arena.f32(run.pOut, run.rows * F) : rt.arena.f64(run.pOut, run.rows * F);
      if (values === null) {
        return { values: tableF32 !== null ? out.slice() : this.output(rt, run.pOut, run.rows), shape: [run.rows, F] };
      }
      values.set(out, c0 * F);
      if (c1 === m) break;
    }
    // dtype 'float32' always has its table: the runs' rows are float32 already.
    return { values: values!, shape: [m, F] };
  }

  /**
   * SOAP vectors and their analytic derivatives with respect to every atom position (periodic
   * images included), for both radial bases and every averaging, compression and weighting
   * mode. Dense layout: [nCenters (1 when averaged), nAtoms, 3, numFeatures], DScribe's; sparse:
   * per-centre blocks of the atoms within reach (see {@link SparseDerivatives}).
   * Derivatives are float64 whatever `dtype` is; with 'float32' the values returned here are
   * the float64 values cast (they can differ from `create`'s float32 computation by its rounding).
   */
  derivatives(structure: Structure, options: SOAPDerivativesOptions = {}): SOAPWithDerivatives {
    const rt = getRuntime();
    const { arena, kernels } = rt;
    // The values as create() computes them (the same path, so the same numbers), before the
    // full neighbour list of the derivatives replaces the pair path's half list in the arena.
    const pair = options.centers === undefined || options.centers === null ? this.pairValues(rt, structure, false) : null;
    const run = this.prepare(rt, structure, options.centers, true);
    const m = run.nCenters;
    const F = this.numFeatures;
    const offsets = arena.i32(run.nl.offsets, m + 1).slice();
    const rowPlan = planDerivativeRows(
      offsets, arena.i32(run.nl.index, run.nl.count).slice(),
      arena.i32(run.nl.centerAtom, m).slice(), run.nAtoms, options.attach ?? false, options.layout ?? 'dense',
      this.params.average !== 'off',
    );
    const rowLength = 3 * F;
    const total = rowPlan.nRows * rowLength;
    const out = options.out ?? new Float64Array(total);
    if (!(out instanceof Float64Array) || out.length < total) {
      invalidParameter(`derivatives: options.out must be a Float64Array of at least ${total} numbers`);
    }
    // Values, then the derivatives in chunks of centres whose rows fit a bounded scratch, so wasm
    // memory holds O(1) besides the output (copied chunk by chunk into `out`).
    let values: Float64Array | Float32Array;
    if (pair !== null) {
      values = this.params.dtype === 'float32' ? Float32Array.from(pair.values) : pair.values;
    } else {
      kernels.soapCompute(...run.args);
      values = this.output(rt, run.pOut, run.rows);
    }
    const chunks = derivativeChunks(rowPlan, offsets, run.nAtoms, this.params.average !== 'off', Math.max(1, Math.floor((options.chunkBytes ?? CHUNK_BYTES) / (8 * rowLength))));
    const maxRows = Math.max(1, ...chunks.map((c) => c.rows));
    const pRowOfEntry = arena.allocI32(run.nl.count);
    const pRowOfCenter = arena.allocI32(m);
    const pRowOfSelf = arena.allocI32(m);
    const pGrad = arena.allocF64(maxRows * rowLength);
    const pWritten = arena.alloc(maxRows);
    arena.i32(pRowOfEntry, run.nl.count).set(rowPlan.rowOfEntry);
    arena.i32(pRowOfCenter, m).set(rowPlan.rowOfCenter);
    arena.i32(pRowOfSelf, m).set(rowPlan.rowOfSelf);
    for (const chunk of chunks) {
      kernels.soapGradients(
        ...run.args, chunk.start, chunk.end, pRowOfEntry, pRowOfCenter, pRowOfSelf, chunk.rowBase, chunk.rows, pGrad, pWritten,
      );
      out.set(arena.f64(pGrad, chunk.rows * rowLength), chunk.rowBase * rowLength);
    }
    const result = out.length === total ? out : out.subarray(0, total);
    return { values, shape: [run.rows, F], derivatives: derivativesResult(rowPlan, run.nAtoms, F, result) };
  }

  /**
   * The backward pass of a model on top of SOAP: given ∂L/∂features (shape of `create`'s
   * output), returns ∂L/∂positions, and for periodic systems ∂L/∂cell and the strain
   * derivative, computed without ever forming the derivative array. Centres given as atom
   * indices move with their atoms (DScribe's `attach: true`, what forces need); point centres
   * stay where they are.
   */
  backward(structure: Structure, dLdFeatures: ArrayLike<number>, options: SOAPCreateOptions = {}): SOAPBackward {
    const rt = getRuntime();
    try {
      // Every atom a centre: the pair path (each pair's radial integrals and harmonics once for
      // both directions), unless it declines or outgrows wasm memory; then the per-centre kernel.
      if (options.centers === undefined || options.centers === null) {
        let pair: SOAPBackward | null = null;
        try {
          if (!this.pairBlocksExceedLimit(rt, structure, 8)) pair = this.withSpatialRetry(structure, (s, order) => this.backwardAllAtoms(rt, s, dLdFeatures, order));
        } catch (error) {
          if (!(error instanceof AtomenvError) || error.code !== 'OUT_OF_MEMORY') throw error;
        }
        if (pair !== null) return pair;
      }
      return this.backwardByCentres(rt, structure, dLdFeatures, options.centers);
    } catch (error) {
      throw this.explainOutOfMemory(error, structure, 'backward');
    }
  }

  /**
   * soapBackward on full neighbour lists; above {@link soapStreaming}.aboveBytes of ∂L/∂features
   * (average 'off') for runs of centres one after the other (each run's list and rows of
   * ∂L/∂features in wasm memory, its gradients added to the others').
   */
  private backwardByCentres(
    rt: Runtime, structure: Structure, dLdFeatures: ArrayLike<number>, centerSpecs: ArrayLike<CenterSpec> | null | undefined,
  ): SOAPBackward {
    const { arena, kernels } = rt;
    const F = this.numFeatures;
    const setup = this.prepareStructure(rt, structure, centerSpecs, null);
    const { s } = setup;
    const m = setup.centers.atoms.length;
    const rows = this.params.average !== 'off' ? 1 : m;
    const expected = rows * F;
    this.checkBackwardShape(dLdFeatures, rows);
    const { inverseCell, pPositions, pInv, pGradPos, pStrain, pCellGrad } = this.backwardBuffers(rt, s);
    const perRun = rows === 1 || 8 * expected <= soapStreaming.aboveBytes ? m : Math.max(1, Math.floor(soapStreaming.blockBytes / (8 * F)));
    const positions = new Float64Array(3 * s.nAtoms), strain = new Float64Array(9), cell = new Float64Array(9);
    const mark = arena.mark();
    for (let c0 = 0; c0 < m || c0 === 0; c0 += perRun) {
      const c1 = Math.min(m, c0 + perRun);
      arena.release(mark);
      const part = perRun === m ? setup.centers : { positions: setup.centers.positions.subarray(3 * c0, 3 * c1), atoms: setup.centers.atoms.subarray(c0, c1) };
      // The values scratch holds one row: soapBackward writes only the 'inner' mean there.
      const run = this.prepareCentres(rt, setup, part, true, false, true);
      const r0 = rows === 1 ? 0 : c0, r1 = rows === 1 ? 1 : c1;
      const pGradIn = arena.allocF64((r1 - r0) * F);
      const pCenterPos = arena.allocF64(3 * (c1 - c0));
      copyFiniteGradient(arena.f64(pGradIn, (r1 - r0) * F), dLdFeatures, r0 * F);
      arena.f64(pCenterPos, 3 * (c1 - c0)).set(part.positions);
      kernels.soapBackward(...run.args, pGradIn, s.nAtoms, pPositions, pCenterPos, pInv, pGradPos, pStrain, pCellGrad);
      if (perRun === m) {
        return {
          positions: arena.f64(pGradPos, 3 * s.nAtoms).slice(),
          strain: arena.f64(pStrain, 9).slice(),
          cell: inverseCell === null ? null : arena.f64(pCellGrad, 9).slice(),
        };
      }
      addInto(positions, arena.f64(pGradPos, 3 * s.nAtoms));
      addInto(strain, arena.f64(pStrain, 9));
      addInto(cell, arena.f64(pCellGrad, 9));
      if (c1 === m) break;
    }
    return { positions, strain, cell: inverseCell === null ? null : cell };
  }

  /** Throws unless ∂L/∂features has the shape of create's output: `rows` × numFeatures numbers. */
  private checkBackwardShape(dLdFeatures: ArrayLike<number>, rows: number): void {
    const F = this.numFeatures;
    if (dLdFeatures === null || typeof dLdFeatures !== 'object' || dLdFeatures.length !== rows * F) {
      invalidParameter(`backward: dLdFeatures must hold ${rows} × ${F} = ${rows * F} numbers (the shape of create's output), got ${dLdFeatures?.length ?? String(dLdFeatures)}`);
    }
  }

  /**
   * What both backward kernels take besides ∂L/∂features: the positions and, for a periodic
   * structure, the inverse cell (0 otherwise) in wasm memory, and room for the three gradients.
   */
  private backwardBuffers(rt: Runtime, s: NormalizedStructure) {
    const { arena } = rt;
    const periodic = this.params.periodic && s.cell !== null && (s.pbc[0] || s.pbc[1] || s.pbc[2]);
    const inverseCell = periodic ? cellGeometry(s.cell, s.pbc).inverse : null;
    const pPositions = arena.allocF64(3 * s.nAtoms);
    const pInv = inverseCell === null ? 0 : arena.allocF64(9);
    const pGradPos = arena.allocF64(3 * s.nAtoms);
    const pStrain = arena.allocF64(9);
    const pCellGrad = arena.allocF64(9);
    arena.f64(pPositions, 3 * s.nAtoms).set(s.positions);
    if (inverseCell !== null) arena.f64(pInv, 9).set(inverseCell);
    return { inverseCell, pPositions, pInv, pGradPos, pStrain, pCellGrad };
  }

  /**
   * The backward pass on the pair path: soapBackwardAllAtoms on a half list; null when it
   * declines (its scratch past {@link PAIR_WORK_LIMIT}, or no locality). `order`: the structure
   * is the caller's with atom k being the caller's atom order[k] (dLdFeatures and the position
   * gradients are mapped back).
   */
  private backwardAllAtoms(rt: Runtime, structure: Structure, dLdFeatures: ArrayLike<number>, order: Int32Array | null): SOAPBackward | null {
    const { arena, kernels } = rt;
    // The values scratch holds one row: the kernel writes none.
    const run = this.prepare(rt, structure, null, true, null, true, true);
    const F = this.numFeatures;
    this.checkBackwardShape(dLdFeatures, run.rows);
    // Before ∂L/∂features is copied in: a scratch too large declines at once.
    const work = this.pairWork(rt, run, false, PAIR_TILE);
    if (work === null) return null;
    const pGradIn = arena.allocF64(run.rows * F);
    const { inverseCell, pPositions, pInv, pGradPos, pStrain, pCellGrad } = this.backwardBuffers(rt, run.structure);
    // ∂L/∂c of every atom: one coefficient block each.
    const pCBarAll = arena.alloc(this.coefficientBlockBytes(rt) * (this.params.average === 'inner' ? 1 : run.nAtoms));
    const gradIn = arena.f64(pGradIn, run.rows * F);
    if (order !== null && run.rows > 1) {
      // Row k of the reordered atoms is the caller's row order[k].
      for (let k = 0; k < run.rows; k++) copyFiniteGradient(gradIn.subarray(k * F, (k + 1) * F), dLdFeatures, order[k]! * F);
    } else {
      copyFiniteGradient(gradIn, dLdFeatures, 0);
    }
    const nS = this.params.species.length;
    const done = kernels.soapBackwardAllAtoms(
      ...run.args, work.pSpecies, nS, PAIR_TILE, work.pPairWork, pGradIn, pPositions, pInv, pGradPos, pStrain, pCellGrad, pCBarAll,
    );
    if (done === 0) return null;
    return {
      positions: callerOrder(arena.f64(pGradPos, 3 * run.nAtoms), 3, order),
      strain: arena.f64(pStrain, 9).slice(),
      cell: inverseCell === null ? null : arena.f64(pCellGrad, 9).slice(),
    };
  }

  /**
   * `attempt` on the structure; when it declines (null: many atoms whose neighbours are far apart
   * in the index order, which the pair path's tiles need close), once more with the atoms in the
   * order of a spatial grid, order[k] being the caller's index of atom k. The first attempt has
   * validated the structure, so errors name the caller's indices.
   */
  private withSpatialRetry<T>(structure: Structure, attempt: (s: Structure, order: Int32Array | null) => T | null): T | null {
    const first = attempt(structure, null);
    if (first !== null) return first;
    const s = normalizeStructure(structure);
    const order = spatialOrder(s, this.params.neighbourCutoff / 2, this.params.periodic ? s.pbc : [false, false, false]);
    return attempt(reorderAtoms(s, order), order);
  }

  /**
   * Values of every atom (in the output dtype when `f32`, else float64) from a half neighbour list
   * by the pair kernels (soapComputeAllAtoms or its float32 twin; float64 above
   * {@link soapStreaming}.aboveBytes in parts, streamAllAtoms); null when they decline (then the
   * per-centre kernels must run on a full list).
   */
  private pairValues(rt: Runtime, structure: Structure, f32: boolean): SOAPValues | null {
    const table = f32 ? this.tables(rt).tableF32 : null;
    // The float32 pass keeps every atom's block: beyond the limit, no half list is built in vain.
    if (f32 && this.pairBlocksExceedLimit(rt, structure, 4)) return null;
    // Set when the streamed pass declines for its slots: in the spatial order it has counted them already.
    let tooManySlots = false;
    return this.withSpatialRetry(structure, (s, order) => {
      if (tooManySlots) return null;
      const setup = this.prepareStructure(rt, s, null, table);
      const streamed = !f32 && this.streams(rt, setup.s.nAtoms);
      const run = this.prepareCentres(rt, setup, setup.centers, false, true, streamed);
      if (streamed) {
        const values = this.streamAllAtoms(rt, run, order === null, order);
        if (values === 'too many slots') tooManySlots = true;
        return values === 'too many slots' ? null : values;
      }
      const F = this.numFeatures;
      if (!this.computeAllAtoms(rt, run, f32, order === null)) return null;
      const n = run.rows * F;
      const out = f32 ? rt.arena.f32(run.pOut, n) : rt.arena.f64(run.pOut, n);
      return { values: callerOrder(out, F, run.rows === 1 ? null : order), shape: [run.rows, F] };
    });
  }

  /** Whether the float64 pair path on `nAtoms` atoms streams (soapStreaming): its rows and coefficient blocks exceed aboveBytes. */
  private streams(rt: Runtime, nAtoms: number): boolean {
    const rows = this.params.average === 'off' ? nAtoms : 1;
    return nAtoms * this.coefficientBlockBytes(rt) + 8 * rows * this.numFeatures > soapStreaming.aboveBytes;
  }

  /**
   * The float64 pair path in parts (soapComputeAllAtomsStart, then soapComputeAllAtomsSteps until
   * done): coefficient slots only for the atoms in flight, the finished spectra copied to the
   * result a block of rows at a time (row of atom k to the caller's row order[k]). Null when the
   * kernel declines (also in the spatial order, with `spatialRetry`), 'too many slots' when its
   * slots would pass {@link soapStreaming}.slotBytes (in the index order, and with `spatialRetry`
   * in the spatial one too).
   */
  private streamAllAtoms(
    rt: Runtime, run: ReturnType<SOAP['prepare']>, spatialRetry: boolean, order: Int32Array | null,
  ): SOAPValues | null | 'too many slots' {
    const { arena, kernels } = rt;
    const F = this.numFeatures;
    const nS = this.params.species.length;
    const tile = PAIR_TILE_LARGE;
    const pInts = run.args[7];
    const workBytes = kernels.soapPairWorkSizeStreamed(run.nAtoms, run.nl.maxNeighbors, pInts, nS, tile);
    if (workBytes > PAIR_WORK_LIMIT) return null;
    const pSpecies = arena.allocI32(run.nAtoms);
    arena.i32(pSpecies, run.nAtoms).set(run.species);
    const pPairWork = arena.alloc(workBytes);
    const pInfo = arena.allocI32(3);
    const coefBytes = this.coefficientBlockBytes(rt);
    const fits = (): boolean => arena.i32(pInfo, 1)[0]! * coefBytes <= soapStreaming.slotBytes;
    let started = kernels.soapComputeAllAtomsStart(...run.args, pSpecies, nS, tile, pPairWork, 1, 0, pInfo) !== 0;
    // Declined in the index order (no locality there), or too many atoms in flight at once (a
    // slab across the box): once more in the order of a spatial grid (bins of half the cutoff).
    if ((!started || !fits()) && spatialRetry) {
      const s = run.structure;
      const spatial = spatialOrder(s, this.params.neighbourCutoff / 2, this.params.periodic ? s.pbc : [false, false, false]);
      const pOrder = arena.allocI32(run.nAtoms);
      arena.i32(pOrder, run.nAtoms).set(spatial);
      started = kernels.soapComputeAllAtomsStart(...run.args, pSpecies, nS, tile, pPairWork, 1, pOrder, pInfo) !== 0;
    }
    if (!started) return null;
    if (!fits()) return 'too many slots';
    const [slots, mostDone, pDoneSigned] = arena.i32(pInfo, 3) as unknown as [number, number, number];
    const pDone = pDoneSigned >>> 0; // an address above 2 GiB comes back negative from i32
    const averaged = this.params.average !== 'off';
    const blockRows = averaged ? 0x7fffffff : Math.max(mostDone, Math.floor(soapStreaming.blockBytes / (8 * F)));
    // On a cache line: each (l, m) row of n_maxP = 8 float64 coefficients is then one line.
    const pSlots = Math.ceil(arena.alloc(slots * coefBytes + 48) / 64) * 64;
    const pBlock = averaged ? run.pOut : arena.allocF64(blockRows * F);
    const pBlocks = run.args[10];
    const values = new Float64Array(run.rows * F);
    for (let done = 0; ;) {
      const rows = kernels.soapComputeAllAtomsSteps(pSlots, pBlocks, pBlock, F, blockRows);
      if (rows === 0) break;
      if (!averaged) {
        const block = arena.f64(pBlock, rows * F);
        const atoms = arena.i32(pDone + 4 * done, rows);
        // Runs of rows whose atoms follow each other (most, in the index order) in one copy.
        for (let r = 0; r < rows;) {
          const a = atoms[r]!;
          let end = r + 1;
          if (order === null) while (end < rows && atoms[end] === a + end - r) end++;
          values.set(block.subarray(r * F, end * F), (order === null ? a : order[a]!) * F);
          r = end;
        }
      }
      done += rows;
    }
    if (averaged) values.set(arena.f64(run.pOut, F));
    return { values, shape: [run.rows, F] };
  }

  /**
   * Runs the pair kernel on a run prepared with a half list; false when it declined. With
   * `spatialRetry` (float64 only), a decline in the atoms' index order (no locality there) is
   * followed by one more call on the same run, list and scratch, the tiles taking the atoms in the
   * order of a spatial grid (bins of half the neighbour cutoff, as withSpatialRetry's) and the
   * rows staying in the atoms' order: neither the list nor the structure is rebuilt and nothing
   * is permuted back (shuffled 1 536-atom water box ~29.6 → ~26.0 µs/env).
   */
  private computeAllAtoms(rt: Runtime, run: ReturnType<SOAP['prepare']>, f32 = false, spatialRetry = false): boolean {
    const large = !f32 && run.nAtoms * this.coefficientBlockBytes(rt) > rt.kernels.soapSlotPassAboveBytes();
    const tile = large ? PAIR_TILE_LARGE : PAIR_TILE;
    const work = this.pairWork(rt, run, f32, tile);
    if (work === null) return false;
    const nS = this.params.species.length;
    if (f32) return rt.kernels.soapComputeAllAtomsF32(...run.args, work.pSpecies, nS, tile, work.pPairWork, 1) !== 0;
    if (rt.kernels.soapComputeAllAtoms(...run.args, work.pSpecies, nS, tile, work.pPairWork, 1, 0) !== 0) return true;
    if (!spatialRetry) return false;
    const s = run.structure;
    const order = spatialOrder(s, this.params.neighbourCutoff / 2, this.params.periodic ? s.pbc : [false, false, false]);
    const pOrder = rt.arena.allocI32(run.nAtoms);
    rt.arena.i32(pOrder, run.nAtoms).set(order);
    return rt.kernels.soapComputeAllAtoms(...run.args, work.pSpecies, nS, tile, work.pPairWork, 1, pOrder) !== 0;
  }

  /**
   * Whether every atom's coefficient block (`valueBytes` per coefficient) alone passes
   * {@link PAIR_WORK_LIMIT}: the pair passes that keep them all (float32 values, backward)
   * would decline after building their half list (twice, with the spatial retry).
   */
  private pairBlocksExceedLimit(rt: Runtime, structure: Structure, valueBytes: number): boolean {
    // The declared count: the structure is validated (once) when the pass prepares it.
    return (declaredAtomCount(structure) ?? 0) * (this.coefficientBlockBytes(rt) / 8) * valueBytes > PAIR_WORK_LIMIT;
  }

  /** Bytes of one atom's float64 coefficients in the kernels: densities × (l_max+1)² × n_maxP. */
  private coefficientBlockBytes(rt: Runtime): number {
    const p = this.params;
    const coefDensities = (p.compression === 'mu2' ? 1 : p.species.length) + (p.compression === 'mu1nu1' ? 1 : 0);
    return 8 * coefDensities * (p.lMax + 1) ** 2 * this.tables(rt).table.nMaxPadded;
  }

  /**
   * The pair kernels' inputs besides the run's: every atom's species and their scratch, which
   * holds every atom's coefficients (6 KB per atom for W1's basis in float64); null above
   * {@link PAIR_WORK_LIMIT} (the per-centre path runs then).
   */
  private pairWork(rt: Runtime, run: ReturnType<SOAP['prepare']>, f32: boolean, tile: number): { pSpecies: number; pPairWork: number } | null {
    const { arena, kernels } = rt;
    const nS = this.params.species.length;
    const pInts = run.args[7];
    const bytes = (f32 ? kernels.soapPairWorkSizeF32 : kernels.soapPairWorkSize)(run.nAtoms, run.nl.maxNeighbors, pInts, nS, tile);
    if (bytes > PAIR_WORK_LIMIT) return null;
    const pSpecies = arena.allocI32(run.nAtoms);
    arena.i32(pSpecies, run.nAtoms).set(run.species);
    return { pSpecies, pPairWork: arena.alloc(bytes) };
  }

  /**
   * The float64 table in wasm memory: the Hermite knots (gradients), followed by the same
   * polynomials in the power basis of t that the values kernels evaluate by Horner.
   */
  private residentTable(rt: Runtime): number {
    const { arena, kernels } = rt;
    const t = this.tables(rt).table;
    const m = (this.params.lMax + 1) * t.nMaxPadded;
    const hermiteBytes = 8 * t.data.length;
    return arena.resident(`soap-table:${t.key}`, hermiteBytes + kernels.radialPowerTableBytes(m, t.intervals), (ptr) => {
      arena.f64(ptr, t.data.length).set(t.data);
      kernels.radialTableToPowerBasis(ptr, m, t.intervals, t.spacing, ptr + hermiteBytes);
    });
  }

  /** Copies the values out of wasm memory in the chosen dtype. */
  private output(rt: Runtime, pOut: number, rows: number): Float64Array | Float32Array {
    const out = rt.arena.f64(pOut, rows * this.numFeatures);
    return this.params.dtype === 'float32' ? Float32Array.from(out) : out.slice();
  }

  /**
   * Validates the input, builds the neighbour list and lays out the kernel arguments. `oneRow`:
   * `out` holds one row whatever the centres (the averages'; for the streamed pair pass, whose
   * rows go to a block of their own, and the backward passes, which write none or the mean).
   */
  private prepare(
    rt: Runtime, structure: Structure, centerSpecs: ArrayLike<CenterSpec> | null | undefined, grad: boolean,
    tableF32: SOAPKernelTableF32 | null = null, half = false, oneRow = false,
  ) {
    const setup = this.prepareStructure(rt, structure, centerSpecs, tableF32);
    return this.prepareCentres(rt, setup, setup.centers, grad, half, oneRow);
  }

  /**
   * What every run of centres shares: the table, the validated structure and centres (overlaps
   * checked), and in the arena each atom's density and weight and the configuration.
   */
  private prepareStructure(
    rt: Runtime, structure: Structure, centerSpecs: ArrayLike<CenterSpec> | null | undefined, tableF32: SOAPKernelTableF32 | null,
  ) {
    const p = this.params;
    const { arena } = rt;
    arena.reset();
    const { table } = this.tables(rt);
    const t: TableGeometry = tableF32 ?? table;
    const pTable = tableF32 !== null
      ? arena.resident(`soap-table:${tableF32.key}`, 4 * tableF32.data.length, (ptr) => arena.f32(ptr, tableF32.data.length).set(tableF32.data))
      : this.residentTable(rt);

    const s = normalizeStructure(structure);
    const species = speciesIndexOfAtoms(s, p.species);
    const centers = atomOrPointCenters(s, centerSpecs);
    checkOverlaps(rt, s, p.periodic);

    const ints = this.kernelConfig(t);
    const floats = this.floats(t);
    const pDensity = arena.allocI32(s.nAtoms);
    const pAtomWeight = arena.allocF64(s.nAtoms);
    const pInts = arena.allocI32(ints.length);
    const pFloats = arena.allocF64(floats.length);
    const pBlocks = arena.allocI32(this.blocks.length);
    arena.i32(pInts, ints.length).set(ints);
    const density = arena.i32(pDensity, s.nAtoms);
    const atomWeight = arena.f64(pAtomWeight, s.nAtoms);
    for (let a = 0; a < s.nAtoms; a++) {
      density[a] = p.compression === 'mu2' ? 0 : species[a]!;
      atomWeight[a] = p.speciesWeights === null ? 1 : p.speciesWeights[species[a]!]!;
    }
    arena.f64(pFloats, floats.length).set(floats);
    arena.i32(pBlocks, this.blocks.length).set(this.blocks);
    return { s, species, centers, f32: tableF32 !== null, pTable, pDensity, pAtomWeight, pInts, pFloats, pBlocks };
  }

  /** The neighbour list of `centers` (some or all of setup's), the output rows, the scratch and the kernel arguments. */
  private prepareCentres(
    rt: Runtime, setup: ReturnType<SOAP['prepareStructure']>, centers: Centers, grad: boolean, half: boolean, oneRow = false,
  ) {
    const p = this.params;
    const { arena, kernels } = rt;
    const { s, pInts } = setup;
    const nl = buildNeighborList(rt, s, centers, p.neighbourCutoff, p.periodic, half);
    const m = nl.nCenters;
    const kMax = nl.maxNeighbors;
    const rows = p.average !== 'off' ? 1 : m;
    const pOut = arena.alloc((setup.f32 ? 4 : 8) * (oneRow ? 1 : rows) * this.numFeatures);
    const pWork = arena.alloc(
      setup.f32 ? kernels.soapWorkSizeF32(kMax, pInts, this.numFeatures) : kernels.soapWorkSize(kMax, pInts, this.numFeatures, grad ? 1 : 0),
    );
    const args = [
      m, nl.centerAtom, nl.offsets, nl.index, nl.disp, setup.pDensity, setup.pAtomWeight, pInts, setup.pFloats, setup.pTable, setup.pBlocks,
      pOut, this.numFeatures, kMax, pWork,
    ] as const;
    return {
      args, nl, nCenters: m, nAtoms: s.nAtoms, rows, pOut, structure: s, centerPositions: centers.positions, species: setup.species,
    };
  }

  /** i32 configuration of assembly/soap/soap.ts. */
  private kernelConfig(t: TableGeometry): Int32Array {
    const p = this.params;
    const nS = p.species.length;
    const slotDensities = p.compression === 'mu2' ? 1 : nS;
    const mu1nu1 = p.compression === 'mu1nu1';
    return Int32Array.of(
      p.nMax, t.nMaxPadded, p.lMax, slotDensities, slotDensities + (mu1nu1 ? 1 : 0), mu1nu1 ? nS : -1,
      t.intervals, this.blocks.length / 3, AVERAGE_CODE[p.average],
    );
  }

  /** f64 configuration: table geometry, then the weighting (assembly/soap/weighting.ts). */
  private floats(t: TableGeometry): Float64Array {
    const w = this.params.weighting;
    const cutoff = this.params.cutoff;
    return Float64Array.of(
      t.spacing, t.invSpacing, t.rMax,
      w?.function ? WEIGHT_FUNCTION_CODE[w.function] : 0, w?.r0 ?? 0, w?.c ?? 0, w?.d ?? 0, w?.m ?? 0,
      w?.w0 !== null && w?.w0 !== undefined ? 1 : 0, w?.w0 ?? 0,
      cutoff?.width ?? 0, this.params.neighbourCutoff,
    );
  }
}

/**
 * The power spectrum as blocks (d1, d2, symmetric) of densities, in DScribe's feature order
 * (its size checked against {@link soapNumFeatures}, which test/soap checks against {@link soapFeatureTable}): 'off' every species pair t1 ≤ t2; 'crossover' the
 * same-species pairs; 'mu1nu1' each species with the summed density (index S); 'mu2' the single
 * density.
 */
function spectrumBlocks(p: SOAPParams): Int32Array {
  const nS = p.species.length;
  const blocks: number[] = [];
  switch (p.compression) {
    case 'off':
      for (let t1 = 0; t1 < nS; t1++) for (let t2 = t1; t2 < nS; t2++) blocks.push(t1, t2, t1 === t2 ? 1 : 0);
      break;
    case 'crossover':
      for (let t = 0; t < nS; t++) blocks.push(t, t, 1);
      break;
    case 'mu1nu1':
      for (let t = 0; t < nS; t++) blocks.push(t, nS, 0);
      break;
    case 'mu2':
      blocks.push(0, 0, 1);
      break;
  }
  // The block list must enumerate exactly the layout's features.
  let count = 0;
  for (let b = 0; b < blocks.length; b += 3) {
    count += (p.lMax + 1) * (blocks[b + 2] ? (p.nMax * (p.nMax + 1)) / 2 : p.nMax * p.nMax);
  }
  if (count !== soapNumFeatures(p)) throw new Error('internal: SOAP block list does not match the feature layout');
  return Int32Array.from(blocks);
}

/** dst[i] = src[from + i], refusing a value that is not a finite number (named by its index in src). */
function copyFiniteGradient(dst: Float64Array, src: ArrayLike<number>, from: number): void {
  for (let i = 0; i < dst.length; i++) {
    const v = src[from + i]!;
    if (!Number.isFinite(v)) invalidParameter(`backward: dLdFeatures[${from + i}] is ${v}, not a finite number`);
    dst[i] = v;
  }
}

/** a += b elementwise. */
function addInto(a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < a.length; i++) a[i]! += b[i]!;
}

/**
 * A copy of rows of `width` values in the caller's atom order: row k goes to row order[k]
 * (order null: already in the caller's order).
 */
function callerOrder<T extends Float64Array | Float32Array>(rows: T, width: number, order: Int32Array | null): T {
  if (order === null) return rows.slice() as T;
  const out = (rows instanceof Float32Array ? new Float32Array(rows.length) : new Float64Array(rows.length)) as T;
  for (let k = 0; k < order.length; k++) out.set(rows.subarray(k * width, (k + 1) * width), order[k]! * width);
  return out;
}
