import { AtomenvError } from '../errors.js';
import { atomicNumber } from '../structure/elements.js';
import { normalizeStructure, type Structure } from '../structure/structure.js';
import { getRuntime, init } from '../wasm/loader.js';
import { reorderAtoms, spatialOrder } from '../structure/spatialOrder.js';
import { parseInputNn, type N2p2Settings } from './inputNn.js';
import { ElementNetwork } from './network.js';
import { parseScalingData, scalingDataLines, type SymmetryFunctionStatistics } from './scalingData.js';
import { SymmetryFunctions, type PreparedStructure } from './symmetryFunctions.js';
import { parseWeights, weightsFileName } from './weightsData.js';

/**
 * Bytes of recorded triplet factors per chunk of centres (at least one centre's worth): small
 * enough that the backward pass replays them from the core's L2 cache (W6: −10 % against 16 MiB).
 */
const CACHE_BUDGET = 64 * 1024;

/** The files of an n2p2 potential as texts, by file name: `input.nn`, `scaling.data`, `weights.XXX.data`. */
export type PotentialFiles = Readonly<Record<string, string>>;

/** What {@link N2p2Potential.compute} returns, in the potential's units. */
export interface PotentialResult {
  /** Total energy: Σ atomicEnergies. */
  energy: number;
  /**
   * Per-atom energies NN_i/conv_energy + mean_energy + atom_energy(element); they sum to
   * `energy`. (n2p2's nnatoms.out lists NN_i/conv_energy only.)
   */
  atomicEnergies: Float64Array;
  /** −∂E/∂r, flat [fx0, fy0, fz0, fx1, …]. */
  forces: Float64Array;
  /** For a cell periodic along all three axes: σ = (1/V) ∂E/∂ε (energy per volume), 3×3 row-major (ASE's sign: positive under tension). */
  stress?: Float64Array;
}

/**
 * One part of a structure's result ({@link N2p2Potential.computePart}): the energies of its
 * atoms and the forces and stress of their sum E_part, which act on every atom.
 */
export interface PotentialPart {
  /** Atoms of the whole structure. */
  nAtoms: number;
  /** The part's atoms (input indices). */
  atoms: Int32Array;
  /** Their energies E_i, as in {@link PotentialResult.atomicEnergies}, in the order of `atoms`. */
  atomicEnergies: Float64Array;
  /** −∂E_part/∂r of every atom, flat [fx0, fy0, fz0, fx1, …]. */
  forces: Float64Array;
  /** (1/V) ∂E_part/∂ε (cells periodic along all three axes), 3×3 row-major. */
  stress?: Float64Array;
}

/** Symmetry-function inputs of each atom: raw G and the scaled network input, in n2p2's order. */
export interface PotentialInputs {
  raw: Float64Array[];
  scaled: Float64Array[];
}

/**
 * A Behler–Parrinello neural-network potential in n2p2's file format (short-range 2G-HDNNP).
 * Structures are in the potential's own units (H2O_RPBE-D3: Bohr and Hartree).
 *
 * ```ts
 * const potential = await loadPotential({ 'input.nn': …, 'scaling.data': …, 'weights.001.data': …, 'weights.008.data': … });
 * const { energy, forces } = potential.compute(structure);
 * ```
 */
export class N2p2Potential {
  readonly settings: N2p2Settings;
  /** The file texts it was built from (structured-cloneable: a worker rebuilds it with `new N2p2Potential(files)`). */
  readonly files: PotentialFiles;
  /** The potential's symmetry functions (the network inputs) as a descriptor. */
  readonly descriptor: SymmetryFunctions;
  private readonly networks: ElementNetwork[];
  /** Per element: x = offset + factor·G for each function. */
  private readonly scaleOffset: Float64Array[];
  private readonly scaleFactor: Float64Array[];
  private readonly elementNumbers: number[];

  /**
   * Builds a potential from file texts (synchronous; call `await init()` before computing).
   * `directory`, when given, prefixes the file names in error messages.
   */
  constructor(files: PotentialFiles, directory?: string) {
    const label = (name: string): string => (directory === undefined ? name : `${directory.replace(/[\\/]+$/, '')}/${name}`);
    if (files === null || typeof files !== 'object') throw new AtomenvError('INVALID_PARAMETER', 'a potential needs its files: { "input.nn": text, "scaling.data": text, "weights.XXX.data": text, … }');
    const text = (name: string): string => {
      const t = files[name];
      if (typeof t !== 'string') throw new AtomenvError('FILE_NOT_FOUND', `the potential has no ${name} (files given: ${Object.keys(files).join(', ') || 'none'})`, { file: label(name) });
      return t;
    };
    this.files = Object.fromEntries(Object.entries(files).filter(([name]) => name === 'input.nn' || name === 'scaling.data' || /^weights\.\d{3}\.data$/.test(name)));
    const settings = parseInputNn(text('input.nn'), label('input.nn'));
    this.settings = settings;
    this.descriptor = new SymmetryFunctions({
      elements: settings.elements, functions: settings.symmetryFunctions, cutoffType: settings.cutoffType, cutoffAlpha: settings.cutoffAlpha,
    });
    const counts = this.descriptor.functions.map((f) => f.length);
    this.elementNumbers = settings.elements.map(atomicNumber);
    this.networks = settings.elements.map((_, e) => {
      const file = weightsFileName(this.elementNumbers[e]!);
      const layout = settings.networks[e]!;
      const values = parseWeights(text(file), ElementNetwork.parameterCount(counts[e]!, layout), label(file));
      return new ElementNetwork(counts[e]!, layout, values, settings.normalizeNodes);
    });
    const { type, min: sMin, max: sMax } = settings.scaling;
    const stats: SymmetryFunctionStatistics[][] = type === 'none'
      ? counts.map((n) => Array.from({ length: n }, () => ({ min: 0, max: 0, mean: 0, sigma: NaN })))
      : parseScalingData(text('scaling.data'), counts, label('scaling.data'));
    if (type === 'scalesigma' && stats.some((list) => list.some((s) => Number.isNaN(s.sigma)))) {
      throw new AtomenvError('PARSE_ERROR', 'scale_symmetry_functions_sigma needs the Gsigma column (6th) on every line', { file: label('scaling.data') });
    }
    this.scaleOffset = [];
    this.scaleFactor = [];
    // scaling.data's line of element e's function f (for errors): its data lines are in that order.
    const dataLines = type === 'none' ? [] : scalingDataLines(text('scaling.data'));
    const lineOf = (e: number, f: number): { file: string; line?: number } => {
      const line = dataLines[counts.slice(0, e).reduce((a, b) => a + b, 0) + f];
      return line === undefined ? { file: label('scaling.data') } : { file: label('scaling.data'), line };
    };
    for (const [e, list] of stats.entries()) {
      const offset = new Float64Array(list.length), factor = new Float64Array(list.length);
      list.forEach((s, f) => {
        // x = Smin + k (G − shift) as in section 5 of the spec; k = 0 for a constant input:
        // Gmax = Gmin, or Gsigma = 0 with scale_symmetry_functions_sigma.
        if (type === 'scalesigma' && !(s.sigma >= 0)) {
          throw new AtomenvError('PARSE_ERROR', `Gsigma must be ≥ 0 (scale_symmetry_functions_sigma divides by it), got ${s.sigma}`, lineOf(e, f));
        }
        const range = type === 'scalesigma' ? s.sigma : s.max - s.min;
        const k = range > 0 ? (sMax - sMin) / range : 0;
        if (!Number.isFinite(k)) {
          throw new AtomenvError('PARSE_ERROR', `the scaling factor of element ${e + 1}'s symmetry function ${f + 1} is not finite: (scale_max_short − scale_min_short)/${type === 'scalesigma' ? 'Gsigma' : '(Gmax − Gmin)'} = ${sMax - sMin}/${range}`, lineOf(e, f));
        }
        switch (type) {
          case 'none': factor[f] = 1; offset[f] = 0; break;
          case 'center': factor[f] = 1; offset[f] = -s.mean; break;
          case 'scale': factor[f] = k; offset[f] = sMin - k * s.min; break;
          default: factor[f] = k; offset[f] = sMin - k * s.mean; break;
        }
      });
      this.scaleOffset.push(offset);
      this.scaleFactor.push(factor);
    }
  }

  /** Element symbols the potential knows, sorted by atomic number. */
  get elements(): readonly string[] {
    return this.settings.elements;
  }

  /** Largest symmetry-function cutoff, in the potential's length unit. */
  get cutoff(): number {
    return this.descriptor.cutoff;
  }

  /** Energy, per-atom energies, forces and (periodic cells) stress. Synchronous after `await init()`. */
  compute(structure: Structure): PotentialResult {
    const run = this.passesExplained(structure, 0, 1);
    const { n, order, out, atomGrad } = run;
    const atomicEnergies = new Float64Array(n);
    for (let i = 0; i < n; i++) atomicEnergies[order[i]!] = out[i]!;
    let energy = 0;
    for (let i = 0; i < n; i++) energy += atomicEnergies[i]!;
    const result: PotentialResult = { energy, atomicEnergies, forces: forcesInInputOrder(atomGrad, order) };
    if (run.stress !== null) result.stress = run.stress;
    return result;
  }

  /**
   * Part `part` of `parts` of {@link compute}: the atoms are split into `parts` contiguous runs of
   * the spatial order (the ones a worker of a pool takes), and this part holds its atoms'
   * energies and the forces and stress of their sum, E_part = Σ_{i in part} E_i (acting on every
   * atom). {@link combinePotentialParts} of parts 0 … parts−1 equals `compute` up to rounding
   * (forces and stress are sums of the parts'). Each part builds the whole neighbour list; only
   * the per-centre passes are split.
   */
  computePart(structure: Structure, part: number, parts: number): PotentialPart {
    if (!Number.isInteger(parts) || parts < 1 || !Number.isInteger(part) || part < 0 || part >= parts) {
      throw new AtomenvError('INVALID_PARAMETER', `computePart: part must be an integer in [0, parts) and parts an integer ≥ 1, got part ${part} of ${parts}`);
    }
    const run = this.passesExplained(structure, part, parts);
    const { n, order, out, atomGrad, start } = run;
    const atoms = Int32Array.from(order.subarray(start, start + out.length));
    const result: PotentialPart = { nAtoms: n, atoms, atomicEnergies: Float64Array.from(out), forces: forcesInInputOrder(atomGrad, order) };
    if (run.stress !== null) result.stress = run.stress;
    return result;
  }

  /** {@link passes}; running out of wasm memory says what holds it and what to do. */
  private passesExplained(structure: Structure, part: number, parts: number): ReturnType<N2p2Potential['passes']> {
    try {
      return this.passes(structure, part, parts);
    } catch (error) {
      if (!(error instanceof AtomenvError) || error.code !== 'OUT_OF_MEMORY') throw error;
      const n = normalizeStructure(structure).nAtoms;
      throw new AtomenvError(
        'OUT_OF_MEMORY',
        `the n2p2 potential on ${n} atoms: ${error.message}. It holds every atom's neighbours within the cutoff (${this.cutoff} in the potential's length unit; ≈ 40 bytes each) and a few kB per atom; `
        + 'computePart and pool workers hold the whole neighbour list too: compute the structure in spatial pieces (each with a margin of one cutoff whose atoms\' energies are dropped)',
      );
    }
  }

  /**
   * The passes over the centres of part `part` of `parts` (all: 0 of 1), in the spatial order:
   * the part's atomic energies (`out`, from centre `start` on), ∂E/∂r of every atom (spatial
   * order; a view into the arena) and the stress of the part (periodic cells).
   */
  private passes(structure: Structure, part: number, parts: number, triangles = true): {
    n: number; order: Int32Array; start: number; out: Float64Array; atomGrad: Float64Array; stress: Float64Array | null;
  } {
    const rt = getRuntime();
    const { arena, kernels } = rt;
    arena.reset();
    const sf = this.descriptor;
    const F = sf.numFeatures;
    // Atoms renumbered in spatial order (results mapped back by the callers): each centre's
    // values and gradients are the same, only the memory traffic changes.
    const input = normalizeStructure(structure);
    const order = spatialOrder(input, sf.cutoff / 4);
    let prep: PreparedStructure;
    try {
      prep = sf.prepareNormalized(rt, reorderAtoms(input, order));
    } catch (error) {
      // Errors name atoms: rerun in the input's order so that they name the caller's indices.
      if (!(error instanceof AtomenvError) || error.code === 'OUT_OF_MEMORY') throw error;
      arena.reset();
      sf.prepareNormalized(rt, input);
      throw error;
    }
    const n = prep.structure.nAtoms;
    // The part's centres: a contiguous run of the spatial order (neighbouring atoms together).
    const start = Math.floor((part * n) / parts), end = Math.floor(((part + 1) * n) / parts);
    const atomElement = arena.i32(prep.ptrs.atomElement, n).slice();
    const norm = this.settings.normalization;
    const convEnergy = norm?.convEnergy ?? 1;
    const meanEnergy = norm?.meanEnergy ?? 0;
    const columns = this.settings.elements.map((e) => sf.getLocation(e)[0]);

    // Centres go in chunks: a values pass that records the per-triplet factors of the f64x2
    // path, the networks for the chunk's atoms (∂E/∂G in physical units), then a backward pass
    // that replays the recorded factors instead of recomputing them.
    // The edge path (per-edge r_jk factors looked up per triplet) records only its packed
    // triplet lists; the f64x2 path its per-triplet factors. All chunks go in one kernel call
    // (assembly/n2p2/potentialPasses.ts).
    // The whole structure at once by triangles (one part only), where that path applies.
    // It declines (plan null) where its tables would take more than trianglePathLimit.
    const plan = parts === 1 && triangles ? sf.planTriangles(rt, prep) : null;
    const edges = plan !== null ? null : sf.prepareEdges(rt, prep);
    const bounds = plan !== null ? new Float64Array(n) : sf.cacheBounds(rt, prep, edges !== null, edges?.runStart ?? 0);
    let cacheBytes = 0;
    for (let c = start; c < end; c++) cacheBytes = Math.max(cacheBytes, bounds[c]!);
    cacheBytes = plan !== null ? 16 : Math.max(cacheBytes, CACHE_BUDGET);
    const pdEdG = arena.allocF64(n * F);
    const pAtomGrad = arena.allocF64(3 * n);
    const pVirial = arena.allocF64(9);
    const pCache = arena.alloc(cacheBytes);
    // The networks in wasm: weights, input scaling, each element's atoms of a chunk, raw outputs.
    const nets = this.networks.map((net) => net.pack(arena));
    // Per element its input scaling: offsets then factors.
    const pScale = this.scaleOffset.map((offset) => arena.allocF64(2 * offset.length));
    let width = 0, maxLayers = 0;
    for (const net of nets) {
      width = Math.max(width, net.width);
      maxLayers = Math.max(maxLayers, net.nLayers);
    }
    const pNetScratch = arena.alloc(kernels.n2p2NetworkScratch(width, maxLayers));
    const pChunkAtoms = arena.allocI32(n);
    const pOut = arena.allocF64(n);
    const pBounds = arena.allocF64(n);
    // Per element: first column, scale offsets, scale factors, layer count, layer table, 0.
    const pNets = arena.allocI32(6 * nets.length);
    // Views after the last allocation (growing memory detaches earlier ones).
    this.scaleOffset.forEach((offset, e) => {
      const scale = arena.f64(pScale[e]!, 2 * offset.length);
      scale.set(offset);
      scale.set(this.scaleFactor[e]!, offset.length);
    });
    arena.f64(pBounds, n).set(bounds);
    arena.f64(pAtomGrad, 3 * n).fill(0);
    arena.f64(pVirial, 9).fill(0);
    arena.i32(pNets, 6 * nets.length).set(nets.flatMap((net, e) => [columns[e]!, pScale[e]!, pScale[e]! + 8 * this.scaleOffset[e]!.length, net.nLayers, net.layers, 0]));
    const net = { table: pNets, normalize: this.settings.normalizeNodes, convEnergy, energy: pOut, scratch: pNetScratch, chunkAtoms: pChunkAtoms };
    if (plan !== null) {
      // Its record outgrew the limit (nothing written yet): again by the per-centre passes.
      if (!sf.trianglePasses(rt, prep, plan, pdEdG, pAtomGrad, pVirial, net)) return this.passes(structure, part, parts, false);
    } else sf.potentialPasses(rt, prep, edges, pdEdG, pAtomGrad, pVirial, pBounds, cacheBytes, pCache, net, [start, end]);
    // E_i = NN_i/conv_energy + mean_energy + atom_energy(element).
    const raw = arena.f64(pOut, n);
    const out = new Float64Array(end - start);
    for (let c = start; c < end; c++) {
      out[c - start] = raw[c]! / convEnergy + meanEnergy + this.settings.atomEnergies[this.settings.elements[atomElement[c]!]!]!;
    }
    let stress: Float64Array | null = null;
    const cell = prep.structure.cell;
    if (cell !== null && prep.structure.pbc.every((p) => p)) {
      const volume = Math.abs(
        cell[0]! * (cell[4]! * cell[8]! - cell[5]! * cell[7]!) - cell[1]! * (cell[3]! * cell[8]! - cell[5]! * cell[6]!) + cell[2]! * (cell[3]! * cell[7]! - cell[4]! * cell[6]!),
      );
      const virial = arena.f64(pVirial, 9);
      stress = Float64Array.from(virial, (v) => v / volume);
    }
    return { n, order, start, out, atomGrad: arena.f64(pAtomGrad, 3 * n), stress };
  }

  /** Raw and scaled symmetry functions of every atom (its element's functions, in n2p2's order). */
  inputs(structure: Structure): PotentialInputs {
    const sf = this.descriptor;
    const values = sf.create(structure).values;
    const raw: Float64Array[] = [];
    const scaled: Float64Array[] = [];
    const numbers = normalizeNumbers(structure);
    for (let i = 0; i < numbers.length; i++) {
      const e = this.elementNumbers.indexOf(numbers[i]!);
      const [start, end] = sf.getLocation(this.settings.elements[e]!);
      const g = values.slice(i * sf.numFeatures + start, i * sf.numFeatures + end);
      raw.push(g);
      scaled.push(g.map((v, f) => this.scaleOffset[e]![f]! + this.scaleFactor[e]![f]! * v));
    }
    return { raw, scaled };
  }
}

/** F = −∂E/∂r in the input's order from ∂E/∂r in the spatial order (`order[i]`: input index of atom i). */
function forcesInInputOrder(atomGrad: Float64Array, order: Int32Array): Float64Array {
  const n = order.length;
  const forces = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const a = order[i]!;
    forces[3 * a] = -atomGrad[3 * i]!;
    forces[3 * a + 1] = -atomGrad[3 * i + 1]!;
    forces[3 * a + 2] = -atomGrad[3 * i + 2]!;
  }
  return forces;
}

/**
 * The result of a whole structure from its parts ({@link N2p2Potential.computePart} of parts
 * 0 … P−1, any order): energies gathered, forces and stress summed, E = Σ_i E_i in atom order.
 */
export function combinePotentialParts(parts: readonly PotentialPart[]): PotentialResult {
  if (parts.length === 0) throw new AtomenvError('INVALID_PARAMETER', 'combinePotentialParts: no parts');
  const n = parts[0]!.nAtoms;
  const atomicEnergies = new Float64Array(n);
  const seen = new Uint8Array(n);
  // The first part's arrays are copied, not added to zeros (0 + (−0) would turn −0 into 0).
  const forces = Float64Array.from(parts[0]!.forces);
  const stress = parts[0]!.stress === undefined ? undefined : Float64Array.from(parts[0]!.stress);
  parts.forEach((p, k) => {
    if (p.nAtoms !== n || p.forces.length !== 3 * n || (p.stress === undefined) !== (stress === undefined)) {
      throw new AtomenvError('INVALID_PARAMETER', `combinePotentialParts: part ${k} is of another structure (${p.nAtoms} atoms, first part ${n})`);
    }
    p.atoms.forEach((a, i) => {
      atomicEnergies[a] = p.atomicEnergies[i]!;
      seen[a]!++;
    });
    if (k === 0) return;
    for (let i = 0; i < 3 * n; i++) forces[i]! += p.forces[i]!;
    if (stress !== undefined) for (let i = 0; i < 9; i++) stress[i]! += p.stress![i]!;
  });
  const missing = seen.findIndex((count) => count !== 1);
  if (missing >= 0) throw new AtomenvError('INVALID_PARAMETER', `combinePotentialParts: atom ${missing} is in ${seen[missing]} parts (must be in exactly one)`);
  let energy = 0;
  for (let i = 0; i < n; i++) energy += atomicEnergies[i]!;
  const result: PotentialResult = { energy, atomicEnergies, forces };
  if (stress !== undefined) result.stress = stress;
  return result;
}

function normalizeNumbers(structure: Structure): number[] {
  if (structure.numbers !== undefined && structure.numbers !== null) return Array.from(structure.numbers);
  return (structure.symbols ?? []).map(atomicNumber);
}

/**
 * Loads an n2p2 potential from its file texts (`{ 'input.nn': text, 'scaling.data': text,
 * 'weights.001.data': text, … }`) and initialises the wasm module. In Node, the `atomenv` entry's
 * `loadPotential` also takes a directory path.
 */
export async function loadPotential(files: PotentialFiles): Promise<N2p2Potential> {
  if (typeof files === 'string') {
    throw new AtomenvError('INVALID_PARAMETER', 'loadPotential: pass the file texts ({ "input.nn": text, … }); a directory path works only in Node');
  }
  await init();
  return new N2p2Potential(files);
}
