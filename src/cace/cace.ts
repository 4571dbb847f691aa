import { atomCenters } from '../descriptors/centers.js';
import type { DescriptorValues, WithDerivatives } from '../descriptors/results.js';
import { AtomenvError, invalidParameter } from '../errors.js';
import { buildNeighborList } from '../neighbors/neighborList.js';
import { checkOverlaps } from '../neighbors/overlap.js';
import { elementSymbol } from '../structure/elements.js';
import { normalizeStructure, type NormalizedStructure, type Structure } from '../structure/structure.js';
import { getRuntime } from '../wasm/loader.js';
import { CACEEngine, type CACEGraph } from './model.js';
import { optionsFromModelFile, readModelInput } from './modelFile.js';
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
  /** E = Σ_i y_i (in the units the model was trained in). */
  readonly energy: number;
  /** y_i, one per atom. */
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

  constructor(options: CACEOptions) {
    this.params = validateCACEOptions(options);
    this.weights = resolveWeights(this.params, options.weights);
    this.config = { descriptor: 'cace', ...options };
    this.numFeatures = this.params.numFeatures;
    this.engine = new CACEEngine(this.params, this.weights);
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

  /** Whether the model has a readout, so that {@link energy} works. */
  get hasReadout(): boolean {
    return this.params.readout !== null;
  }

  /**
   * node_feats of the atoms, [nCenters, numFeatures] in the reference's [k, s, c, t] order.
   * Synchronous after `await init()`.
   */
  create(structure: Structure, options: CACECreateOptions = {}): DescriptorValues {
    const { s, graph } = this.graph(structure);
    const all = this.engine.features(graph);
    return this.rows(s, all, options.centers);
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
    const { s, graph, volume } = this.graph(structure);
    const { atomic, dEdv } = this.engine.energy(graph, true);
    const forces = new Float64Array(3 * s.nAtoms);
    const strain = new Float64Array(9);
    const g = dEdv!;
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
    for (let i = 0; i < s.nAtoms; i++) energy += atomic[i]!;
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

  /** The directed edges within the cutoff (periodic images along periodic axes). */
  private graph(structure: Structure): { s: NormalizedStructure; graph: CACEGraph; volume: number | null } {
    const rt = getRuntime();
    const { arena } = rt;
    arena.reset();
    const s = normalizeStructure(structure);
    const zIndex = new Map(this.params.zs.map((z, i) => [z, i]));
    const elem = new Int32Array(s.nAtoms);
    for (let a = 0; a < s.nAtoms; a++) {
      const e = zIndex.get(s.numbers[a]!);
      if (e === undefined) {
        throw new AtomenvError(
          'SPECIES_NOT_IN_DESCRIPTOR',
          `atom ${a} is ${elementSymbol(s.numbers[a]!)}, which is not among the model's elements (${this.params.zs.map(elementSymbol).join(', ')})`,
          { atom: a },
        );
      }
      elem[a] = e;
    }
    checkOverlaps(rt, s, true);
    const nl = buildNeighborList(rt, s, atomCenters(s), this.params.cutoff, true);
    const offsets = arena.i32(nl.offsets, s.nAtoms + 1);
    const index = arena.i32(nl.index, nl.count);
    const disp = arena.f64(nl.disp, 3 * nl.count);
    const receiver = new Int32Array(nl.count), sender = new Int32Array(nl.count), vectors = new Float64Array(3 * nl.count);
    for (let c = 0; c < s.nAtoms; c++) {
      for (let q = offsets[c]!; q < offsets[c + 1]!; q++) {
        receiver[q] = c;
        sender[q] = index[q]!;
        // The list holds r_j + T − r_i; CACE's edge vector points from the neighbour to the centre.
        vectors[3 * q] = -disp[3 * q]!;
        vectors[3 * q + 1] = -disp[3 * q + 1]!;
        vectors[3 * q + 2] = -disp[3 * q + 2]!;
      }
    }
    const periodic = s.cell !== null && (s.pbc[0] || s.pbc[1] || s.pbc[2]);
    let volume: number | null = null;
    if (periodic) {
      const c = s.cell!;
      volume = Math.abs(c[0]! * (c[4]! * c[8]! - c[5]! * c[7]!) - c[1]! * (c[3]! * c[8]! - c[5]! * c[6]!) + c[2]! * (c[3]! * c[7]! - c[4]! * c[6]!));
    }
    return { s, graph: { nAtoms: s.nAtoms, elem, receiver, sender, vectors }, volume };
  }
}
