import { atomCenters } from '../descriptors/centers.js';
import type { DescriptorValues, WithDerivatives } from '../descriptors/results.js';
import { AtomenvError, invalidParameter } from '../errors.js';
import type { NormalizedStructure, Structure } from '../structure/structure.js';
import type { Runtime } from '../wasm/loader.js';
import { caceKernelPlan, caceLayersPlan, type CACEKernelPlan, type CACELayersPlan } from './kernelPlan.js';
import { CACEEngine, type CACEGraph } from './model.js';
import { graphOf, prepareStructure, structureGraph, type PreparedStructure } from './graph.js';
import { optionsFromModelFile, parseModelJson, readModelInput } from './modelFile.js';
import { validateCACEOptions, type CACEOptions, type CACEParams } from './options.js';
import { resolveWeights, type CACEResolvedWeights } from './weights.js';

/** Options of {@link CACE.create}. */
export interface CACECreateOptions {
  /** Atom indices whose rows to return; every atom in order when omitted. */
  centers?: ArrayLike<number> | null;
}

/** The layer-0 atomic basis of every atom (for tests of equivariance and for inspection). */
export interface CACEAtomicBasis {
  /** A_i[n, m, c] before radial mixing: [nAtoms, n_rbf, n_ang, C]. */
  readonly raw: { readonly values: Float64Array; readonly shape: [number, number, number, number] };
  /** Ã_i[k, m, c] after radial mixing: [nAtoms, K, n_ang, C]. */
  readonly mixed: { readonly values: Float64Array; readonly shape: [number, number, number, number] };
}

/** Result of {@link CACE.energy}. */
export interface CACEEnergy {
  /** E = Σ_i (y_i + E0(Z_i)) (in the units the model was trained in; E0 from `atomicEnergies`). */
  readonly energy: number;
  /** y_i + E0(Z_i), one per atom. */
  readonly atomicEnergies: Float64Array;
  /** F = −∂E/∂r, [nAtoms, 3] flattened. */
  readonly forces: Float64Array;
  /**
   * For a periodic cell, (1/V) ∂E/∂ε for a homogeneous strain x → x (I + ε), 3×3 row-major
   * (ASE's sign convention); null otherwise.
   */
  readonly stress: Float64Array | null;
}

/**
 * The Cartesian atomic cluster expansion (B. Cheng, npj Comput. Mater. 10, 157, 2024) as the
 * reference code computes it: element-embedded edge channels, Bessel (or Gaussian) radial
 * functions with a cutoff envelope, Cartesian monomials up to `maxL`, channel-wise radial
 * mixing, symmetrised invariants of body order 1–4, optional message passing, and an optional
 * Atomwise readout with analytic forces.
 *
 * ```ts
 * await init();
 * const cace = await CACE.load('model.json');
 * const { values, shape } = cace.create(structure); // [nAtoms, K·N_sym·d²·(T+1)]
 * const { energy, forces } = cace.energy(structure);
 * ```
 */
export class CACE {
  /** The validated hyperparameters. */
  readonly params: CACEParams;
  /** Length of one atom's feature vector, K · N_sym · d² · (T + 1). */
  readonly numFeatures: number;
  /** The config that rebuilds this descriptor elsewhere (a worker, a CLI config file). */
  readonly config: { descriptor: 'cace' } & CACEOptions;
  private readonly weights: CACEResolvedWeights;
  private readonly engine: CACEEngine;
  private readonly plan: CACEKernelPlan;
  private readonly layersPlan: CACELayersPlan;

  constructor(options: CACEOptions) {
    this.params = validateCACEOptions(options);
    this.weights = resolveWeights(this.params, options.weights);
    // After validation, so bad options get the validator's message; a copy, so later changes to
    // the caller's arrays change neither this model nor its config.
    this.config = { descriptor: 'cace', ...structuredClone(options) };
    this.numFeatures = this.params.numFeatures;
    this.engine = new CACEEngine(this.params, this.weights);
    this.plan = caceKernelPlan(this.params, this.weights);
    this.layersPlan = caceLayersPlan(this.params, this.weights);
  }

  /**
   * Builds a CACE from a model file: an object `{ hyperparameters, parameters }`, its JSON
   * text, or (in Node) a path to the JSON file.
   */
  static async load(model: unknown): Promise<CACE> {
    return CACE.fromModel(await readModelInput(model));
  }

  /** Builds a CACE from a parsed model file object (synchronous {@link load}). */
  static fromModel(model: unknown): CACE {
    return new CACE(optionsFromModelFile(model));
  }

  /**
   * Builds a CACE from a descriptor config (CLI config files, worker requests): either the
   * constructor's options, or `{ model }` with a model file's object or JSON text (read the file
   * first; a path is only accepted by the asynchronous {@link load}).
   */
  static fromConfig(options: Record<string, unknown>): CACE {
    if (options === null || typeof options !== 'object') invalidParameter('CACE config must be an object');
    if (!Object.hasOwn(options, 'model')) return new CACE(options as unknown as CACEOptions);
    const extra = Object.keys(options).filter((k) => k !== 'model');
    if (extra.length > 0) invalidParameter(`CACE config: "model" comes with no other option (got ${extra.join(', ')})`);
    const model = options.model;
    if (typeof model === 'string') {
      if (!model.trimStart().startsWith('{')) {
        invalidParameter(`CACE config: "model" is a path (${model}); read the file and pass its JSON, or use await CACE.load(path)`);
      }
      return CACE.fromModel(parseModelJson(model, 'the "model" text'));
    }
    return CACE.fromModel(model);
  }

  /** Whether the model has a readout, so that {@link energy} works. */
  get hasReadout(): boolean {
    return this.params.readout !== null;
  }

  /**
   * node_feats of the atoms, [nCenters, numFeatures] in the reference's [k, s, c, t] order.
   * Synchronous after `await init()`.
   */
  create(structure: Structure, options: CACECreateOptions = {}): DescriptorValues {
    const { s, values } = this.wasmFeatures(structure);
    return this.rows(s, values, options.centers);
  }

  /** The layer-0 atomic basis A (before mixing) and Ã (after) of every atom. */
  atomicBasis(structure: Structure): CACEAtomicBasis {
    const { s, graph } = this.graph(structure);
    const p = this.params;
    const { raw, mixed } = this.engine.atomicBasis(graph);
    return {
      raw: { values: raw, shape: [s.nAtoms, p.nRbf, p.nAngular, p.nChannels] },
      mixed: { values: mixed, shape: [s.nAtoms, p.nRadial, p.nAngular, p.nChannels] },
    };
  }

  /** Total and per-atom energies, forces and (periodic cells) stress, from the readout. */
  energy(structure: Structure): CACEEnergy {
    if (this.params.readout === null) {
      invalidParameter('CACE.energy: this model has no readout (hyperparameters.readout is null): it is a descriptor only');
    }
    const { s, graph, atomic, dEdv, volume } = this.wasmEnergy(structure);
    const forces = new Float64Array(3 * s.nAtoms);
    const strain = new Float64Array(9);
    const g = dEdv;
    for (let e = 0; e < graph.receiver.length; e++) {
      const i = graph.receiver[e]!, j = graph.sender[e]!;
      for (let a = 0; a < 3; a++) {
        // v = r_i − r_j − T: ∂E/∂r_i = +∂E/∂v, ∂E/∂r_j = −∂E/∂v; F = −∂E/∂r.
        forces[3 * i + a] -= g[3 * e + a]!;
        forces[3 * j + a] += g[3 * e + a]!;
        for (let b = 0; b < 3; b++) strain[3 * a + b] += graph.vectors[3 * e + a]! * g[3 * e + b]!;
      }
    }
    let energy = 0;
    for (let i = 0; i < s.nAtoms; i++) {
      atomic[i] += this.params.atomicEnergies[graph.elem[i]!]!;
      energy += atomic[i]!;
    }
    return { energy, atomicEnergies: atomic, forces, stress: volume === null ? null : strain.map((x) => x / volume) };
  }

  /** Per-feature derivatives are not implemented; forces come from {@link energy}. */
  derivatives(_structure: Structure, _options: unknown = {}): WithDerivatives {
    throw new AtomenvError('INVALID_PARAMETER', 'CACE gives forces through energy(); per-feature derivatives are not implemented');
  }

  /** Rows of `centers` (all atoms by default) of the per-atom features. */
  private rows(s: NormalizedStructure, all: Float64Array, centers: ArrayLike<number> | null | undefined): DescriptorValues {
    const F = this.numFeatures;
    if (centers === undefined || centers === null) return { values: all, shape: [s.nAtoms, F] };
    const list = atomCenters(s, centers).atoms;
    const out = new Float64Array(list.length * F);
    for (let c = 0; c < list.length; c++) out.set(all.subarray(list[c]! * F, (list[c]! + 1) * F), c * F);
    return { values: out, shape: [list.length, F] };
  }

  /** Element indices, overlap check and the neighbour list (left in wasm memory). */
  private prepare(structure: Structure): PreparedStructure {
    return prepareStructure(this.params, structure);
  }

  /** Energies and ∂E/∂v of every edge by the wasm kernel (assembly/cace/cace.ts, caceEnergy). */
  private wasmEnergy(structure: Structure): { s: NormalizedStructure; graph: CACEGraph; atomic: Float64Array; dEdv: Float64Array; volume: number | null } {
    const prepared = this.prepare(structure);
    const { s, graph, volume } = graphOf(prepared);
    const { rt, nl } = prepared;
    const { arena, kernels } = rt;
    const k = this.plan;
    const ro = k.readout!;
    const { put64, put32 } = arenaWriters(rt);
    const pElem = put32(graph.elem), pInts = put32(k.ints), pFloats = put64(k.floats), pRad = put64(k.radParams);
    const pSender = put64(k.sender), pMix = put64(k.mixing), pL = put32(k.lOf);
    const pArity = put32(k.arity), pFactors = put32(k.factors), pCoef = put64(k.coef), pFeature = put32(k.feature);
    const pSizes = put32(ro.sizes), pW = put64(ro.weights), pB = put64(ro.biases);
    const pLin = ro.linearWeight === null ? 0 : put64(ro.linearWeight);
    const pDIdx = put32(k.dIdx), pDFac = put64(k.dFac);
    const kMax = nl.maxNeighbors;
    const m = this.layersPlan;
    const T = this.params.numMessagePassing;
    const pFlags = put32(m.flags), pMu = put64(m.mu), pPre = put64(m.pre), pKappa = put64(m.kappa);
    const pHW = put64(m.hW), pHB = put64(m.hB);
    const pEnergies = arena.allocF64(s.nAtoms);
    const pDedv = arena.allocF64(3 * nl.count);
    const pWork = arena.alloc(kernels.caceEnergyWorkSize(pInts, kMax, s.nAtoms, nl.count, T, ro.hidden + ro.maxWidth));
    kernels.caceEnergy(
      s.nAtoms, nl.offsets, nl.index, nl.disp, pElem, pInts, pFloats, pRad, pSender, pMix, pL,
      pArity, pFactors, pCoef, pFeature, kMax, T, pFlags, pMu, pPre, pKappa, pHW, pHB, m.norm,
      ro.sizes.length - 1, pSizes, pW, pB, pLin, ro.linearBias, ro.maxWidth, ro.hidden, pDIdx, pDFac, pEnergies, pDedv, pWork,
    );
    return { s, graph, atomic: arena.f64(pEnergies, s.nAtoms).slice(), dEdv: arena.f64(pDedv, 3 * nl.count).slice(), volume };
  }

  /** Features of every atom by the wasm kernels (assembly/cace/cace.ts), message passing included. */
  private wasmFeatures(structure: Structure): { s: NormalizedStructure; values: Float64Array } {
    const { rt, s, elem, nl } = this.prepare(structure);
    const { arena, kernels } = rt;
    const k = this.plan;
    const { put64, put32 } = arenaWriters(rt);
    const pElem = put32(elem), pInts = put32(k.ints), pFloats = put64(k.floats), pRad = put64(k.radParams);
    const pSender = put64(k.sender), pMix = put64(k.mixing);
    const pL = put32(k.lOf), pArity = put32(k.arity), pFactors = put32(k.factors), pCoef = put64(k.coef), pFeature = put32(k.feature);
    const F = this.numFeatures;
    const pOut = arena.allocF64(s.nAtoms * F);
    const kMax = nl.maxNeighbors;
    const T = this.params.numMessagePassing;
    if (T === 0) {
      const pWork = arena.alloc(kernels.caceWorkSize(pInts, kMax));
      kernels.caceCompute(
        s.nAtoms, nl.offsets, nl.index, nl.disp, pElem, pInts, pFloats, pRad, pSender, pMix, pL,
        pArity, pFactors, pCoef, pFeature, pOut, F, 1, kMax, pWork,
      );
    } else {
      const m = this.layersPlan;
      const pFlags = put32(m.flags), pMu = put64(m.mu), pPre = put64(m.pre), pKappa = put64(m.kappa);
      const pHW = put64(m.hW), pHB = put64(m.hB);
      const pWork = arena.alloc(kernels.caceLayersWorkSize(pInts, kMax, s.nAtoms, T));
      kernels.caceComputeLayers(
        s.nAtoms, nl.offsets, nl.index, nl.disp, pElem, pInts, pFloats, pRad, pSender, pMix, pL,
        pArity, pFactors, pCoef, pFeature, pOut, F, kMax, T, pFlags, pMu, pPre, pKappa, pHW, pHB, m.norm, pWork,
      );
    }
    return { s, values: arena.f64(pOut, s.nAtoms * F).slice() };
  }

  /** The directed edges as plain arrays, for the TypeScript engine. */
  private graph(structure: Structure): { s: NormalizedStructure; graph: CACEGraph; volume: number | null } {
    return structureGraph(this.params, structure);
  }
}

/** Copies typed arrays into the arena, returning their offsets. */
function arenaWriters(rt: Runtime): { put64(a: Float64Array): number; put32(a: Int32Array): number } {
  const { arena } = rt;
  return {
    put64(a) {
      const ptr = arena.allocF64(a.length);
      arena.f64(ptr, a.length).set(a);
      return ptr;
    },
    put32(a) {
      const ptr = arena.allocI32(a.length);
      arena.i32(ptr, a.length).set(a);
      return ptr;
    },
  };
}

