import { atomCenters } from '../descriptors/centers.js';
import { AtomenvError } from '../errors.js';
import { speciesIndexOfAtoms } from '../descriptors/species.js';
import type { DescriptorValues, WithDerivatives } from '../descriptors/results.js';
import { assembleDerivatives, type DerivativesLayout } from '../gradients/atomGradients.js';
import { buildNeighborList, type NeighborListPtrs } from '../neighbors/neighborList.js';
import { checkOverlaps } from '../neighbors/overlap.js';
import { normalizeStructure, type NormalizedStructure, type Structure } from '../structure/structure.js';
import { getRuntime, type Runtime } from '../wasm/loader.js';
import { acsfLocation, acsfNumFeatures } from './layout.js';
import { validateACSFOptions, type ACSFOptions, type ACSFParams } from './params.js';

/** Largest neighbour count of one centre: the angular pass keeps O(K²) pair lists. */
const MAX_NEIGHBORS = 16384;

/** Options of {@link ACSF.create}. */
export interface ACSFCreateOptions {
  /** Atom indices of the centres; all atoms in order when omitted. */
  centers?: ArrayLike<number> | null;
}

/** Options of {@link ACSF.derivatives}. */
export interface ACSFDerivativesOptions extends ACSFCreateOptions {
  /** Each centre moves with its atom (DScribe's `attach`; what forces need). Default false. */
  attach?: boolean;
  /** `'dense'` (default): [nCenters, nAtoms, 3, nFeatures]; `'sparse'`: per-centre blocks. */
  layout?: DerivativesLayout;
}

/**
 * Behler–Parrinello atom-centred symmetry functions G1–G5 with DScribe's definitions, feature
 * order and parameters, computed in wasm, with analytic gradients.
 *
 * ```ts
 * await init();
 * const acsf = new ACSF({ species: ['H', 'O'], rCut: 6, g2Params: [[1, 0]], g4Params: [[0.005, 1, 1]] });
 * const { values, shape } = acsf.create(structure);
 * ```
 */
export class ACSF {
  /** The validated parameters (species as sorted atomic numbers). */
  readonly params: ACSFParams;
  /** Length of one centre's feature vector. */
  readonly numFeatures: number;
  private readonly packedParams: Float64Array;
  private readonly packedCounts: Int32Array;

  /** The config that rebuilds this descriptor elsewhere (a worker, a CLI config file). */
  readonly config: { descriptor: 'acsf' } & ACSFOptions;

  constructor(options: ACSFOptions) {
    this.params = validateACSFOptions(options);
    // After validation, so bad options get the validator's message.
    this.config = { descriptor: 'acsf', ...structuredClone(options) };
    this.numFeatures = acsfNumFeatures(this.params);
    [this.packedParams, this.packedCounts] = pack(this.params);
  }

  /** Feature range [start, end) of a species (G1–G3) or a pair of species (G4, G5). */
  getLocation(species: string | number | ReadonlyArray<string | number>): [number, number] {
    return acsfLocation(this.params, species);
  }

  /** Descriptor values, shape [nCenters, numFeatures]. Synchronous after `await init()`. */
  create(structure: Structure, options: ACSFCreateOptions = {}): DescriptorValues {
    const rt = getRuntime();
    rt.arena.reset();
    const run = this.run(rt, structure, options.centers, false);
    return { values: rt.arena.f64(run.values, run.nl.nCenters * this.numFeatures).slice(), shape: [run.nl.nCenters, this.numFeatures] };
  }

  /**
   * Descriptor values and their analytic derivatives with respect to every atom position,
   * periodic images included.
   */
  derivatives(structure: Structure, options: ACSFDerivativesOptions = {}): WithDerivatives {
    const rt = getRuntime();
    rt.arena.reset();
    const run = this.run(rt, structure, options.centers, true);
    const m = run.nl.nCenters;
    const values = rt.arena.f64(run.values, m * this.numFeatures).slice();
    const derivatives = assembleDerivatives(
      rt, run.nl, run.structure.nAtoms, this.numFeatures, run.grad, options.attach ?? false, options.layout ?? 'dense',
    );
    return { values, shape: [m, this.numFeatures], derivatives };
  }

  private run(
    rt: Runtime,
    input: Structure,
    centers: ArrayLike<number> | null | undefined,
    withGradients: boolean,
  ): { structure: NormalizedStructure; nl: NeighborListPtrs; values: number; grad: number } {
    const { arena, kernels } = rt;
    const p = this.params;
    const structure = normalizeStructure(input);
    const species = speciesIndexOfAtoms(structure, p.species);
    const centerList = atomCenters(structure, centers);
    checkOverlaps(rt, structure, p.periodic);
    const nl = buildNeighborList(rt, structure, centerList, p.rCut, p.periodic);
    const m = nl.nCenters;
    const kMax = nl.maxNeighbors;
    if (kMax > MAX_NEIGHBORS) {
      throw new AtomenvError(
        'INVALID_PARAMETER',
        `a centre has ${kMax} neighbours within rCut = ${p.rCut} Å (at most ${MAX_NEIGHBORS} are supported: the triplet terms grow with their square)`,
      );
    }
    const pSpecies = arena.allocI32(structure.nAtoms);
    const pParams = arena.allocF64(this.packedParams.length);
    const pCounts = arena.allocI32(this.packedCounts.length);
    const pValues = arena.allocF64(m * this.numFeatures);
    const pGrad = withGradients ? arena.allocF64(nl.count * 3 * this.numFeatures) : 0;
    arena.i32(pCounts, this.packedCounts.length).set(this.packedCounts);
    // Edge mode (see assembly/acsf/triangles.ts) when the centres are all atoms in order.
    const edgeMode = centers === undefined || centers === null ? 1 : 0;
    arena.f64(pParams, this.packedParams.length).set(this.packedParams);
    const pWork = arena.alloc(kernels.acsfWorkSize(kMax, p.species.length, pParams, pCounts, edgeMode ? nl.count : 0, structure.nAtoms));
    arena.i32(pSpecies, structure.nAtoms).set(species);
    kernels.acsfCompute(
      m, nl.centerAtom, nl.offsets, nl.index, nl.disp, pSpecies, p.species.length, pParams, pCounts, p.rCut,
      pValues, this.numFeatures, pGrad, pWork, edgeMode, structure.nAtoms,
    );
    return { structure, nl, values: pValues, grad: pGrad };
  }
}

/** Packs parameters in the layout of assembly/acsf/state.ts (distinct η of G4 and G5 listed once). */
function pack(p: ACSFParams): [Float64Array, Int32Array] {
  const eta4 = [...new Set(p.g4.map((g) => g[0]))];
  const eta5 = [...new Set(p.g5.map((g) => g[0]))];
  const params = [...p.g2.flat(), ...p.g3, ...p.g4.flat(), ...p.g5.flat(), ...eta4, ...eta5];
  const counts = [
    p.g2.length, p.g3.length, p.g4.length, p.g5.length, eta4.length, eta5.length,
    ...p.g4.map((g) => eta4.indexOf(g[0])), ...p.g5.map((g) => eta5.indexOf(g[0])),
  ];
  return [new Float64Array(params), new Int32Array(counts)];
}
