// Random n2p2 potentials (file texts) and structures, and an independent plain-JS reference of
// their energy: brute-force neighbour images, symmetry functions by triplet loops as
// ../shared/specs/n2p2.md defines them (sections 1–7), scaling, dense networks. Used by
// randomPotentials.test.ts (a fast seeded subset) and scripts/fuzzN2p2.mjs (the fuzzer).
// Self-contained on purpose: nothing here comes from src/.
import { rng } from '../helpers/geometry.js';

const Z: Record<string, number> = { H: 1, C: 6, O: 8, S: 16, Cu: 29 };
const LETTERS = ['l', 't', 's', 'p', 'r', 'g', 'c', 'S', 'e', 'h'] as const;
const SUBTYPES = ['p1', 'p2', 'p3', 'p4', 'e', 'p1a', 'p2a', 'p3a', 'p4a', 'ea'] as const;

/** One symmetry function as the reference reads it (lengths in the file's unit, angles in degrees). */
export interface RefFunction {
  element: string;
  type: number;
  e1?: string;
  e2?: string;
  eta: number;
  rs: number;
  lambda: number;
  zeta: number;
  rc: number;
  rl: number;
  left: number;
  right: number;
  sub: string;
}

/** The potential as generated: what the reference needs, and the file texts. */
export interface RandomPotential {
  elements: string[];
  cutoffType: number;
  alpha: number;
  /** Per element (sorted by Z): its functions in n2p2's sorted order. */
  functions: RefFunction[][];
  /** Per element: layer sizes (inputs first, 1 last), activations, weights [n_in × n_out] row-major then biases, per layer. */
  networks: { sizes: number[]; activations: string[]; W: number[][]; b: number[][] }[];
  normalizeNodes: boolean;
  norm: { mean: number; convEnergy: number; convLength: number } | null;
  atomEnergy: Record<string, number>;
  /** Per element and function: x = offset + factor·G. */
  scale: { offset: number[]; factor: number[] }[];
  files: Record<string, string>;
  /** Random structures for it (randomStructure): two of up to maxAtoms atoms, one of 3–6 maxAtoms; scaling.data's statistics were taken over them. */
  structures: RandomStructure[];
  /** A short description for failure messages. */
  summary: string;
}

export interface RandomStructure {
  symbols: string[];
  positions: number[];
  cell?: number[][];
  pbc?: boolean | [boolean, boolean, boolean];
}

type Rand = () => number;
const pick = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
/** A number as the files write it (shortest round-trip text, sometimes in exponent form). */
const num = (x: number, r?: Rand): string => (r !== undefined && r() < 0.2 ? x.toExponential() : String(x));

/** n2p2's order of one element's functions (spec section 4), written independently of src/. */
function compareFunctions(a: RefFunction, b: RefFunction, elements: string[]): number {
  const ei = (s?: string): number => (s === undefined ? -1 : elements.indexOf(s));
  const keys = (f: RefFunction): (number | string)[] => {
    switch (f.type) {
      case 2: return [f.rc, f.eta, f.rs, ei(f.e1)];
      case 3: case 9: return [f.rc, f.eta, f.rs, f.zeta, f.lambda, ei(f.e1), ei(f.e2)];
      case 12: return [f.rc, f.eta, f.rs];
      case 13: return [f.rc, f.eta, f.rs, f.zeta, f.lambda];
      case 20: return [f.sub, ei(f.e1), f.rc, f.rl];
      case 21: case 22: return [f.sub, ei(f.e1), ei(f.e2), f.rc, f.rl, f.left, f.right];
      case 23: return [f.sub, f.rc, f.rl];
      default: return [f.sub, f.rc, f.rl, f.left, f.right];
    }
  };
  if (a.type !== b.type) return a.type - b.type;
  const ka = keys(a), kb = keys(b);
  for (let k = 0; k < ka.length; k++) {
    if (ka[k]! < kb[k]!) return -1;
    if (ka[k]! > kb[k]!) return 1;
  }
  return 0;
}

function functionLine(f: RefFunction, r: Rand): string {
  const n = (x: number): string => num(x, r);
  // The two neighbour elements in either order (n2p2 orders them by Z).
  const pair = r() < 0.5 ? `${f.e1} ${f.e2}` : `${f.e2} ${f.e1}`;
  switch (f.type) {
    case 2: return `${f.element} 2 ${f.e1} ${n(f.eta)} ${n(f.rs)} ${n(f.rc)}`;
    case 3: case 9: return `${f.element} ${f.type} ${pair} ${n(f.eta)} ${n(f.lambda)} ${n(f.zeta)} ${n(f.rc)}${f.rs === 0 && r() < 0.5 ? '' : ` ${n(f.rs)}`}`;
    case 12: return `${f.element} 12 ${n(f.eta)} ${n(f.rs)} ${n(f.rc)}`;
    case 13: return `${f.element} 13 ${n(f.eta)} ${n(f.rs)} ${n(f.lambda)} ${n(f.zeta)} ${n(f.rc)}`;
    case 20: return `${f.element} 20 ${f.e1} ${n(f.rl)} ${n(f.rc)} ${f.sub}`;
    case 21: case 22: return `${f.element} ${f.type} ${pair} ${n(f.rl)} ${n(f.rc)} ${n(f.left)} ${n(f.right)} ${f.sub}`;
    case 23: return `${f.element} 23 ${n(f.rl)} ${n(f.rc)} ${f.sub}`;
    default: return `${f.element} ${f.type} ${n(f.rl)} ${n(f.rc)} ${n(f.left)} ${n(f.right)} ${f.sub}`;
  }
}

function randomFunction(r: Rand, element: string, elements: string[], radii: number[]): RefFunction {
  const type = pick(r, [2, 2, 3, 9, 12, 13, 20, 21, 22, 23, 24, 25]);
  const rc = pick(r, radii);
  const byZ = (a: string, b: string): [string, string] => (Z[a]! <= Z[b]! ? [a, b] : [b, a]);
  const [e1, e2] = byZ(pick(r, elements), pick(r, elements));
  const f: RefFunction = { element, type, eta: 0, rs: 0, lambda: 1, zeta: 1, rc, rl: 0, left: 0, right: 180, sub: 'p2' };
  if (type === 2 || type === 20) f.e1 = e1;
  if (type === 3 || type === 9 || type === 21 || type === 22) {
    f.e1 = e1;
    f.e2 = e2;
  }
  if (type < 20) {
    f.eta = r() < 0.15 ? 0 : pick(r, [0.01, 0.1, 0.5, 1.3, 3]) * (0.5 + r());
    f.rs = r() < 0.5 ? 0 : r() * rc * 0.7;
    f.lambda = r() < 0.8 ? pick(r, [-1, 1]) : 2 * r() - 1;
    f.zeta = r() < 0.75 ? pick(r, [1, 2, 3, 4, 5, 8, 16]) : 1 + 10 * r();
  } else {
    f.sub = pick(r, SUBTYPES);
    const t = r();
    f.rl = t < 0.5 ? -rc : t < 0.75 ? r() * 0.6 * rc : -r() * rc;
    const w = r();
    if (w < 0.3) [f.left, f.right] = [0, 180];
    else if (w < 0.45) [f.left, f.right] = pick(r, [[-90, 90], [90, 270], [-30, 30], [150, 210]] as [number, number][]);
    else {
      const a = 170 * r(), b = a + 10 + (170 - a) * r();
      [f.left, f.right] = [a, b];
    }
  }
  return f;
}

/**
 * A random valid potential: 1–3 elements, 1–maxFunctions functions per element, 0–4 hidden
 * layers of 1–maxWidth neurons with any activation, random weights, scaling and normalisation
 * options, and structures ({@link RandomPotential.structures}) over which its scaling statistics were taken.
 */
export function randomPotential(seed: number, maxFunctions = 12, maxWidth = 40, maxAtoms = 10): RandomPotential {
  const r = rng(seed);
  const pool = ['H', 'C', 'O', 'S', 'Cu'];
  const count = int(r, 1, 3);
  const chosen: string[] = [];
  while (chosen.length < count) {
    const e = pick(r, pool);
    if (!chosen.includes(e)) chosen.push(e);
  }
  const elements = [...chosen].sort((a, b) => Z[a]! - Z[b]!);
  const cutoffType = int(r, 0, 8);
  const alpha = r() < 0.5 ? 0 : 0.6 * r();
  const radii = Array.from({ length: int(r, 1, 3) }, () => 2.5 + 2.5 * r());
  const functions: RefFunction[][] = [];
  const lines: string[] = [];
  for (const e of elements) {
    const list: RefFunction[] = [];
    const seen = new Set<string>();
    const n = int(r, 1, maxFunctions);
    for (let k = 0; k < 3 * n && list.length < n; k++) {
      const f = randomFunction(r, e, elements, radii);
      const key = JSON.stringify(f);
      if (seen.has(key)) continue;
      seen.add(key);
      list.push(f);
      lines.push(`symfunction_short ${functionLine(f, r)}`);
    }
    functions.push(list.sort((a, b) => compareFunctions(a, b, elements)));
  }
  // Shuffle the lines: the order in the file must not matter.
  for (let k = lines.length - 1; k > 0; k--) {
    const j = Math.floor(r() * (k + 1));
    [lines[k], lines[j]] = [lines[j]!, lines[k]!];
  }

  // Networks: global layout, per-element overrides as n2p2 (v2.3) applies them: an element's
  // layer count can only repeat the global one, element_nodes_short leaves the last hidden layer
  // at its global size and element_activation_short the output at the global activation.
  const width = (): number => (r() < 0.5 ? int(r, 1, 7) : int(r, 1, maxWidth));
  const L = int(r, 0, 4);
  const globalNodes = Array.from({ length: L }, width);
  const globalActs = Array.from({ length: L + 1 }, () => pick(r, LETTERS));
  const input: string[] = [
    '# random potential', `number_of_elements ${elements.length}`, `elements ${[...chosen].join(' ')}`,
    `cutoff_type ${cutoffType}${alpha === 0 && r() < 0.5 ? '' : ` ${num(alpha)}`}`,
    `global_hidden_layers_short ${L}`, `global_nodes_short ${globalNodes.join(' ')}`, `global_activation_short ${globalActs.join(' ')}`,
  ];
  const networks: RandomPotential['networks'] = [];
  const files: Record<string, string> = {};
  const normalizeNodes = r() < 0.25;
  elements.forEach((e, ei) => {
    let hidden = [...globalNodes];
    let acts = [...globalActs];
    if (r() < 0.15) input.push(`element_hidden_layers_short ${e} ${L}`);
    if (L > 0 && r() < 0.3) {
      const given = Array.from({ length: L }, width);
      input.push(`element_nodes_short ${e} ${given.join(' ')}`);
      hidden = [...given.slice(0, L - 1), globalNodes[L - 1]!];
    }
    if (r() < 0.3) {
      const letters = Array.from({ length: L + 1 }, () => pick(r, LETTERS));
      input.push(`element_activation_short ${e} ${letters.join(' ')}`);
      acts = [...letters.slice(0, L), globalActs[L]!];
    }
    const sizes = [functions[ei]!.length, ...hidden, 1];
    const W: number[][] = [], b: number[][] = [];
    for (let l = 1; l < sizes.length; l++) {
      const nIn = sizes[l - 1]!, nOut = sizes[l]!;
      // Arguments of order 1 whatever the width (normalize_nodes divides by n_in anyway).
      const s = (normalizeNodes ? 1.5 : 1.5 / Math.sqrt(nIn));
      const w = Array.from({ length: nIn * nOut }, () => s * (2 * r() - 1));
      const bias = Array.from({ length: nOut }, () => 0.5 * (2 * r() - 1));
      W.push(w);
      b.push(bias);
    }
    networks.push({ sizes, activations: acts, W, b });
  });
  if (normalizeNodes) input.push('normalize_nodes');

  const norm = r() < 0.4 ? { mean: 4 * r() - 2, convEnergy: 0.5 + 2 * r(), convLength: 0.5 + 1.5 * r() } : null;
  if (norm !== null) input.push(`mean_energy ${num(norm.mean)}`, `conv_energy ${num(norm.convEnergy)}`, `conv_length ${num(norm.convLength)}`);
  const atomEnergy: Record<string, number> = {};
  for (const e of elements) {
    atomEnergy[e] = 0;
    if (r() < 0.4) {
      atomEnergy[e] = 10 * r() - 5;
      input.push(`atom_energy ${e} ${num(atomEnergy[e]!)}`);
    }
  }

  // Scaling.
  const type = pick(r, ['none', 'scale', 'center', 'scalecenter', 'scalesigma'] as const);
  if (type === 'scale' || type === 'scalecenter') input.push('scale_symmetry_functions');
  if (type === 'center' || type === 'scalecenter') input.push('center_symmetry_functions');
  // The sigma keyword is ignored next to the other two (n2p2's precedence).
  if (type === 'scalesigma' || (type !== 'none' && r() < 0.2)) input.push('scale_symmetry_functions_sigma');
  let sMin = 0, sMax = 1;
  if (r() < 0.4) {
    sMin = -1 + r();
    input.push(`scale_min_short ${num(sMin)}`);
  }
  if (r() < 0.4) {
    sMax = sMin + 0.5 + r();
    input.push(`scale_max_short ${num(sMax)}`);
  }
  const withSigma = type === 'scalesigma' || r() < 0.5;
  // Statistics as nnp-scaling would find them: over two random structures (widened a little,
  // Gmax > Gmin), so that the network inputs are of order 1.
  const partial = { elements, cutoffType, alpha, functions } as RandomPotential;
  // Two small structures and a larger one (several chunks of centres, parts of a pool).
  const structures = [0, 1].map((k) => randomStructure(seed * 7919 + k, partial, maxAtoms));
  structures.push(randomStructure(seed * 7919 + 2, partial, 6 * maxAtoms, 3 * maxAtoms));
  const samples = structures.flatMap((st) => {
    return referenceFunctions(partial, st).map((g, i) => ({ e: elements.indexOf(st.symbols[i]!), g }));
  });
  const scaling: string[] = ['# scaling data'];
  const scale = functions.map((list, ei) => {
    const offset: number[] = [], factor: number[] = [];
    const rows = samples.filter((x) => x.e === ei).map((x) => x.g);
    list.forEach((_, f) => {
      const values = rows.map((g) => g[f]!);
      const lo = values.length > 0 ? Math.min(...values) : r(), hi = values.length > 0 ? Math.max(...values) : lo + r();
      // Ranges of at least 1e-3 (and 5 % of |G|): a function nearly constant over the samples
      // would scale rounding differences of its G up to order-1 input differences.
      const width = hi - lo, pad = 0.1 * width + 0.05 * Math.max(Math.abs(lo), Math.abs(hi)) + 1e-3;
      const gMin = lo === 0 ? 0 : lo - pad * r(), gMax = hi + pad * (1 + r());
      const gMean = gMin + (gMax - gMin) * (0.3 + 0.4 * r());
      const sigma = (gMax - gMin) * (0.2 + 0.3 * r());
      scaling.push(`${ei + 1} ${f + 1} ${num(gMin, r)} ${num(gMax, r)} ${num(gMean, r)}${withSigma ? ` ${num(sigma, r)}` : ''}`);
      // Spec section 5.
      switch (type) {
        case 'none': offset.push(0); factor.push(1); break;
        case 'center': offset.push(-gMean); factor.push(1); break;
        case 'scale': factor.push((sMax - sMin) / (gMax - gMin)); offset.push(sMin - factor.at(-1)! * gMin); break;
        case 'scalecenter': factor.push((sMax - sMin) / (gMax - gMin)); offset.push(sMin - factor.at(-1)! * gMean); break;
        case 'scalesigma': factor.push((sMax - sMin) / sigma); offset.push(sMin - factor.at(-1)! * gMean); break;
      }
    });
    return { offset, factor };
  });
  // Inputs of order 1 for the first layer: its weights divided by the largest |x| seen (scaling
  // 'none' and 'center' leave G as it is, e.g. Z_j Z_k-weighted sums of several hundred).
  networks.forEach((net, ei) => {
    let xMax = 1;
    for (const { e, g } of samples) if (e === ei) g.forEach((v, f) => (xMax = Math.max(xMax, Math.abs(scale[ei]!.offset[f]! + scale[ei]!.factor[f]! * v))));
    net.W[0] = net.W[0]!.map((w) => w / xMax);
    const text: string[] = ['# weights', '#   value  t index ...'];
    let index = 1;
    for (let l = 1; l < net.sizes.length; l++) {
      const nOut = net.sizes[l]!;
      net.W[l - 1]!.forEach((v, k) => text.push(`${num(v, r)} a ${index++} ${l - 1} ${Math.floor(k / nOut) + 1} ${l} ${(k % nOut) + 1}`));
      net.b[l - 1]!.forEach((v, k) => text.push(`${num(v, r)} b ${index++} ${l} ${k + 1}`));
    }
    files[`weights.${String(Z[elements[ei]!]!).padStart(3, '0')}.data`] = text.join('\n') + '\n';
  });
  files['input.nn'] = [...input, ...lines].join('\n') + '\n';
  if (type !== 'none' || r() < 0.5) files['scaling.data'] = scaling.join('\n') + '\n';
  const summary = `elements ${elements.join(',')}, cutoff ${cutoffType}/${alpha.toFixed(3)}, functions ${functions.map((l) => l.map((f) => f.type).join(' ')).join(' | ')}, `
    + `networks ${networks.map((n) => `${n.sizes.join('-')}:${n.activations.join('')}`).join(' ')}, scaling ${type}, normalize_nodes ${normalizeNodes}, norm ${norm !== null}`;
  return { elements, cutoffType, alpha, functions, networks, normalizeNodes, norm, atomEnergy, scale, files, summary, structures };
}

function det3(m: number[][]): number {
  return m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) - m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) + m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
}

/** Distances between opposite faces of a cell. */
function heights(cell: number[][]): number[] {
  const cross = (a: number[], b: number[]): number[] => [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
  const v = Math.abs(det3(cell));
  return [0, 1, 2].map((i) => v / Math.hypot(...cross(cell[(i + 1) % 3]!, cell[(i + 2) % 3]!)));
}

/** Lattice translations T = a·A + b·B + c·C with |a| ≤ n_a on the periodic axes, n_a·h_a > reach. */
function translations(cell: number[][] | undefined, pbc: boolean[], reach: number): number[][] {
  if (cell === undefined) return [[0, 0, 0]];
  const h = heights(cell);
  const n = [0, 1, 2].map((i) => (pbc[i] ? Math.floor(reach / h[i]!) + 1 : 0));
  const out: number[][] = [];
  for (let a = -n[0]!; a <= n[0]!; a++)
    for (let b = -n[1]!; b <= n[1]!; b++)
      for (let c = -n[2]!; c <= n[2]!; c++) out.push([0, 1, 2].map((x) => a * cell[0]![x]! + b * cell[1]![x]! + c * cell[2]![x]!));
  return out;
}

const pbcOf = (s: RandomStructure): boolean[] => (s.cell === undefined ? [false, false, false] : Array.isArray(s.pbc) ? s.pbc : [s.pbc !== false, s.pbc !== false, s.pbc !== false]);

/**
 * A random structure for `potential`: a cluster or a (triclinic, sometimes partly periodic) cell,
 * minAtoms..maxAtoms atoms at least 0.9 apart (images included), of all or only some of the elements.
 */
export function randomStructure(seed: number, potential: RandomPotential, maxAtoms = 10, minAtoms = 1): RandomStructure {
  const r = rng(seed);
  const rcMax = Math.max(...potential.functions.flat().map((f) => f.rc));
  const present = potential.elements.filter(() => r() < 0.7);
  if (present.length === 0) present.push(pick(r, potential.elements));
  let n = int(r, minAtoms, maxAtoms);
  let cell: number[][] | undefined;
  let pbc: [boolean, boolean, boolean] = [true, true, true];
  if (r() >= 0.35) {
    // About 1–2.5 atoms per r_c³ region: a side of (n/density)^(1/3), at least 0.7 r_c; sometimes
    // a cell of 0.45–0.7 r_c with up to 3 atoms (each sees many images of itself).
    const small = r() < 0.15;
    if (small) n = Math.min(n, 3);
    const side = small ? rcMax * (0.45 + 0.25 * r()) : Math.max(0.7 * rcMax, Math.cbrt(n / 0.05));
    const skew = r() < 0.3 ? 0.5 : 0.15;
    cell = [0, 1, 2].map((i) => [0, 1, 2].map((x) => (x === i ? side * (0.8 + 0.4 * r()) : side * skew * (2 * r() - 1))));
    if (Math.min(...heights(cell)) < (small ? 0.35 : 0.6) * rcMax) cell = [[side, 0, 0], [0, side, 0], [0, 0, side]];
    // Some axes not periodic (all of them, sometimes).
    if (r() < 0.2) pbc = [r() < 0.5, r() < 0.7, r() < 0.5];
  }
  const box = cell === undefined ? Math.cbrt(n / 0.04) : 0;
  const T = translations(cell, pbc, 1);
  const symbols: string[] = [];
  const positions: number[] = [];
  for (let tries = 0; symbols.length < n && tries < 20000; tries++) {
    const f = [r(), r(), r()];
    const p = cell === undefined ? f.map((v) => v * box) : [0, 1, 2].map((x) => f[0]! * cell![0]![x]! + f[1]! * cell![1]![x]! + f[2]! * cell![2]![x]!);
    let ok = true;
    for (const t of T) {
      if (Math.hypot(...t) > 0 && Math.hypot(...t) < 0.9) ok = false;
      for (let q = 0; q < symbols.length && ok; q++) {
        if (Math.hypot(p[0]! + t[0]! - positions[3 * q]!, p[1]! + t[1]! - positions[3 * q + 1]!, p[2]! + t[2]! - positions[3 * q + 2]!) < 0.9) ok = false;
      }
    }
    if (!ok) continue;
    // Sometimes outside the cell by a lattice vector (positions are not wrapped).
    if (cell !== undefined && r() < 0.15) {
      const i = int(r, 0, 2), s = r() < 0.5 ? -1 : 1;
      if (pbc[i]) for (let x = 0; x < 3; x++) p[x] = p[x]! + s * cell[i]![x]!;
    }
    symbols.push(pick(r, present));
    positions.push(...p);
  }
  return cell === undefined ? { symbols, positions } : { symbols, positions, cell, pbc };
}

// ---------------------------------------------------------------------------------------------
// The reference (spec sections 1–3, 5–7).

function core(name: string, x: number): number {
  switch (name) {
    case 'p1': return (2 * x - 3) * x * x + 1;
    case 'p2': return ((15 - 6 * x) * x - 10) * x * x * x + 1;
    case 'p3': return (x * (x * (20 * x - 70) + 84) - 35) * x ** 4 + 1;
    case 'p4': return (x * (x * ((315 - 70 * x) * x - 540) + 420) - 126) * x ** 5 + 1;
    default: return Math.exp(1 - 1 / (1 - x * x));
  }
}

function cutoff(type: number, alpha: number, rc: number, r: number): number {
  if (r >= rc) return 0;
  if (type === 0) return 1;
  if (type === 2) return Math.tanh(1 - r / rc) ** 3;
  if (type === 3) return (Math.tanh(1 - r / rc) / Math.tanh(1)) ** 3;
  const ri = alpha * rc;
  if (r < ri) return 1;
  const x = (r - ri) / (rc - ri);
  if (type === 1) return 0.5 * (Math.cos(Math.PI * x) + 1);
  return core(['', '', '', '', 'e', 'p1', 'p2', 'p3', 'p4'][type]!, x);
}

/** Compact window on [lo, hi] at x; `asym` applies (2 − y) y (radial windows of the `a` subtypes). */
function windowValue(sub: string, lo: number, hi: number, x: number, asym: boolean): number {
  const c = 0.5 * (lo + hi), w = 0.5 * (hi - lo);
  let y = Math.abs(x - c) / w;
  if (asym) y = (2 - y) * y;
  return core(sub.replace('a', ''), y);
}

interface Neighbor { r: number; d: number[]; element: string }

/** Raw symmetry functions of every atom (its element's functions in sorted order). */
export function referenceFunctions(p: RandomPotential, s: RandomStructure): number[][] {
  const n = s.symbols.length;
  const all = p.functions.flat();
  const rcMax = Math.max(...all.map((f) => f.rc));
  const pbc = pbcOf(s);
  // Positions may be one lattice vector outside the cell: reach one cell further.
  const T = translations(s.cell, pbc, rcMax + (s.cell === undefined ? 0 : 2 * Math.max(...s.cell.map((v) => Math.hypot(...v)))));
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const nb: Neighbor[] = [];
    for (let j = 0; j < n; j++) {
      for (const t of T) {
        const d = [0, 1, 2].map((x) => s.positions[3 * i + x]! - s.positions[3 * j + x]! - t[x]!);
        const rr = Math.hypot(d[0]!, d[1]!, d[2]!);
        if (rr === 0 || rr > rcMax) continue;
        nb.push({ r: rr, d, element: s.symbols[j]! });
      }
    }
    const list = p.functions[p.elements.indexOf(s.symbols[i]!)]!;
    const g = list.map((f) => functionValue(f, nb, p.cutoffType, p.alpha));
    out.push(g);
  }
  return out;
}

function functionValue(f: RefFunction, nb: Neighbor[], cutoffType: number, alpha: number): number {
  const fc = (r: number): number => cutoff(cutoffType, alpha, f.rc, r);
  const gauss = (r: number): number => Math.exp(-f.eta * (r - f.rs) ** 2);
  const pairOk = (a: string, b: string): boolean => (a === f.e1 && b === f.e2) || (a === f.e2 && b === f.e1);
  let sum = 0;
  if (f.type === 2 || f.type === 12) {
    for (const q of nb) {
      if (q.r >= f.rc || (f.type === 2 && q.element !== f.e1)) continue;
      sum += (f.type === 12 ? Z[q.element]! : 1) * gauss(q.r) * fc(q.r);
    }
    return sum;
  }
  if (f.type === 20 || f.type === 23) {
    for (const q of nb) {
      if (!(q.r > f.rl && q.r < f.rc) || (f.type === 20 && q.element !== f.e1)) continue;
      sum += (f.type === 23 ? Z[q.element]! : 1) * windowValue(f.sub, f.rl, f.rc, q.r, f.sub.endsWith('a'));
    }
    return sum;
  }
  const narrow = f.type === 3 || f.type === 13 || f.type === 21 || f.type === 24;
  const weighted = f.type === 13 || f.type === 24 || f.type === 25;
  for (let a = 0; a < nb.length; a++) {
    for (let b = a + 1; b < nb.length; b++) {
      const j = nb[a]!, k = nb[b]!;
      if (!weighted && !pairOk(j.element, k.element)) continue;
      const w = weighted ? Z[j.element]! * Z[k.element]! : 1;
      const djk = [0, 1, 2].map((x) => j.d[x]! - k.d[x]!);
      const rjk2 = djk[0]! ** 2 + djk[1]! ** 2 + djk[2]! ** 2, rjk = Math.sqrt(rjk2);
      const cos = (j.d[0]! * k.d[0]! + j.d[1]! * k.d[1]! + j.d[2]! * k.d[2]!) / j.r / k.r;
      if (f.type < 20) {
        if (j.r >= f.rc || k.r >= f.rc || (narrow && !(rjk2 < f.rc * f.rc))) continue;
        const P = 1 + f.lambda * cos;
        if (P <= 0) continue;
        // 2^(1−ζ) P^ζ as 2 (P/2)^ζ.
        const ang = 2 * (P / 2) ** f.zeta;
        const radial = Math.exp(-f.eta * ((j.r - f.rs) ** 2 + (k.r - f.rs) ** 2 + (narrow ? (rjk - f.rs) ** 2 : 0)));
        sum += w * ang * radial * fc(j.r) * fc(k.r) * (narrow ? fc(rjk) : 1);
      } else {
        if (!(j.r > f.rl && j.r < f.rc && k.r > f.rl && k.r < f.rc)) continue;
        if (narrow) {
          if (!(rjk2 < f.rc * f.rc)) continue;
          if (f.rl > 0 ? !(rjk2 > f.rl * f.rl) : !(rjk > 0)) continue;
        }
        // n2p2 drops collinear triplets (cos θ = ±1, spec section 3); a periodic image pair at ±T
        // rounds cos θ a few ulps either side of −1, so (as atomenv does) within 1e-12 counts as collinear.
        if (Math.abs(cos) > 1 - 1e-12) continue;
        const theta = Math.acos(cos);
        const lo = (f.left * Math.PI) / 180, hi = (f.right * Math.PI) / 180;
        if (theta < lo || theta > hi) continue;
        const asym = f.sub.endsWith('a');
        const rad = windowValue(f.sub, f.rl, f.rc, j.r, asym) * windowValue(f.sub, f.rl, f.rc, k.r, asym) * (narrow ? windowValue(f.sub, f.rl, f.rc, rjk, asym) : 1);
        sum += w * rad * windowValue(f.sub, lo, hi, theta, false);
      }
    }
  }
  return sum;
}

function activate(letter: string, x: number): number {
  switch (letter) {
    case 'l': return x;
    case 't': return Math.tanh(x);
    case 's': return x > 35 ? 1 : x < -35 ? 0 : 1 / (1 + Math.exp(-x));
    case 'p': return x > 35 ? x : x < -35 ? 0 : Math.log(1 + Math.exp(x));
    case 'r': return Math.max(0, x);
    case 'g': return Math.exp(-0.5 * x * x);
    case 'c': return Math.cos(x);
    case 'S': return x > 35 ? 0 : x < -35 ? 1 : 1 - 1 / (1 + Math.exp(-x));
    case 'e': return Math.exp(-x);
    default: return x * x;
  }
}

/** Smallest |argument| of a ReLU unit since {@link reluMargin} last reset it. */
let nearestKink = Infinity;

/** Network output for scaled input x (spec section 7). */
function networkValue(net: RandomPotential['networks'][number], x: number[], normalizeNodes: boolean): number {
  let y = x;
  for (let l = 1; l < net.sizes.length; l++) {
    const nIn = net.sizes[l - 1]!, nOut = net.sizes[l]!;
    const next: number[] = [];
    for (let k = 0; k < nOut; k++) {
      let z = net.b[l - 1]![k]!;
      for (let j = 0; j < nIn; j++) z += net.W[l - 1]![j * nOut + k]! * y[j]!;
      const arg = normalizeNodes ? z / nIn : z;
      if (net.activations[l - 1] === 'r') nearestKink = Math.min(nearestKink, Math.abs(arg));
      next.push(activate(net.activations[l - 1]!, arg));
    }
    y = next;
  }
  return y[0]!;
}

/** NN_i/conv_energy of every atom: its energy without the constant offsets. */
function networkEnergies(p: RandomPotential, s: RandomStructure): number[] {
  return referenceFunctions(p, s).map((g, i) => {
    const e = p.elements.indexOf(s.symbols[i]!);
    const { offset, factor } = p.scale[e]!;
    const x = g.map((v, f) => offset[f]! + factor[f]! * v);
    return networkValue(p.networks[e]!, x, p.normalizeNodes) / (p.norm?.convEnergy ?? 1);
  });
}

/** Per-atom energies E_i = NN_i/conv_energy + mean_energy + atom_energy (spec section 6). */
export function referenceEnergies(p: RandomPotential, s: RandomStructure): number[] {
  return networkEnergies(p, s).map((e, i) => e + (p.norm?.mean ?? 0) + p.atomEnergy[s.symbols[i]!]!);
}

/** Σ_i |NN_i/conv_energy|: the size of the energy that finite differences round. */
export function networkEnergyScale(p: RandomPotential, s: RandomStructure): number {
  return networkEnergies(p, s).reduce((a, b) => a + Math.abs(b), 0);
}

/**
 * Smallest |argument| of any ReLU unit of the structure's atoms (∞ without ReLU): the energy has
 * a kink where one crosses 0, and differences across it are not derivatives.
 */
export function reluMargin(p: RandomPotential, s: RandomStructure): number {
  nearestKink = Infinity;
  networkEnergies(p, s);
  return nearestKink;
}

/**
 * Rounding noise of the reference energy Σ NN_i/conv_energy: its spread over small rigid
 * rotations of the structure (positions and cell; 1e-6 to 1e-5 rad), which leave the exact
 * energy unchanged but round every coordinate differently. (Translations leave the differences
 * r_i − r_j rounded alike too often.)
 */
export function energyNoise(p: RandomPotential, s: RandomStructure): number {
  const rotate = (v: number[], [ax, ay, az]: number[], angle: number): number[] => {
    // Rodrigues: v cos θ + (a × v) sin θ + a (a · v)(1 − cos θ), a a unit axis.
    const c = Math.cos(angle), sn = Math.sin(angle), dot = ax! * v[0]! + ay! * v[1]! + az! * v[2]!;
    const cross = [ay! * v[2]! - az! * v[1]!, az! * v[0]! - ax! * v[2]!, ax! * v[1]! - ay! * v[0]!];
    return [0, 1, 2].map((k) => v[k]! * c + cross[k]! * sn + [ax!, ay!, az!][k]! * dot * (1 - c));
  };
  const energy = (axis: number[], angle: number): number => {
    const n = Math.hypot(...axis), a = axis.map((x) => x / n);
    const positions: number[] = [];
    for (let i = 0; i < s.symbols.length; i++) positions.push(...rotate(s.positions.slice(3 * i, 3 * i + 3), a, angle));
    const cell = s.cell?.map((row) => rotate(row, a, angle));
    return networkEnergies(p, { ...s, positions, ...(cell !== undefined ? { cell } : {}) }).reduce((x, y) => x + y, 0);
  };
  const values = [energy([1, 0, 0], 0), energy([1, 2, 3], 1e-6), energy([-2, 1, 0.5], 3e-6), energy([0.3, -1, 2], 1e-5), energy([2, 2, -1], 7e-6)];
  return Math.max(...values) - Math.min(...values);
}

/**
 * F = −∂E/∂r from the fourth-order central differences D of the reference energy (without its
 * constant offsets) at steps h, h/2, h/4, the last Richardson-extrapolated (truncation O(h⁶)
 * where E is smooth enough); `error` = max(|D(h/4) − D(h/2)|, |D(h/2) − D(h)|) bounds the
 * truncation error also where the differences are not yet in their asymptotic regime or E is
 * only C¹ or C² (p1/p2 windows and cutoffs). Rounding adds about ε Σ_i |E_i − offsets| / (h/4). Only the listed components (atom·3 + axis), the rest NaN.
 */
export function referenceForces(p: RandomPotential, s: RandomStructure, components: number[], h = 2e-3): { forces: Float64Array; error: Float64Array } {
  const forces = new Float64Array(s.positions.length).fill(NaN);
  const error = new Float64Array(s.positions.length).fill(NaN);
  for (const c of components) {
    const at = (dx: number): number => {
      const positions = [...s.positions];
      positions[c] = positions[c]! + dx;
      return networkEnergies(p, { ...s, positions }).reduce((x, y) => x + y, 0);
    };
    const d = (step: number): number => (8 * (at(step) - at(-step)) - (at(2 * step) - at(-2 * step))) / (12 * step);
    const [coarse, mid, fine] = [d(h), d(h / 2), d(h / 4)];
    forces[c] = -(fine + (fine - mid) / 15);
    error[c] = Math.max(Math.abs(fine - mid), Math.abs(mid - coarse));
  }
  return { forces, error };
}

/**
 * (1/V) ∂E/∂ε_ab (row-major 3×3, components ab = 3a + b listed, the rest NaN) for a cell periodic
 * along all axes, by the differences of {@link referenceForces}: positions and cell rows strained
 * as v → (I + ε) v.
 */
export function referenceStress(p: RandomPotential, s: RandomStructure, components: number[], h = 2e-3): { stress: Float64Array; error: Float64Array } {
  const cell = s.cell!;
  const volume = Math.abs(det3(cell));
  const stress = new Float64Array(9), error = new Float64Array(9);
  stress.fill(NaN);
  error.fill(NaN);
  for (const ab of components) {
    const a = Math.floor(ab / 3), b = ab % 3;
    const strain = (v: number[], e: number): number[] => v.map((x, k) => (k === a ? x + e * v[b]! : x));
    const at = (e: number): number => {
      const positions: number[] = [];
      for (let i = 0; i < s.symbols.length; i++) positions.push(...strain(s.positions.slice(3 * i, 3 * i + 3), e));
      return networkEnergies(p, { ...s, positions, cell: cell.map((row) => strain(row, e)) }).reduce((x, y) => x + y, 0);
    };
    const d = (step: number): number => (8 * (at(step) - at(-step)) - (at(2 * step) - at(-2 * step))) / (12 * step);
    const [coarse, mid, fine] = [d(h), d(h / 2), d(h / 4)];
    stress[ab] = (fine + (fine - mid) / 15) / volume;
    error[ab] = Math.max(Math.abs(fine - mid), Math.abs(mid - coarse)) / volume;
  }
  return { stress, error };
}

/**
 * Distance from the structure's pair distances to the nearest radius where a function of the
 * potential is not smooth (the hard cutoff's step at r_c): finite differences need h well below it.
 */
export function distanceToSteps(p: RandomPotential, s: RandomStructure): number {
  if (p.cutoffType !== 0) return Infinity;
  const radii = [...new Set(p.functions.flat().filter((f) => f.type < 20).map((f) => f.rc))];
  if (radii.length === 0) return Infinity;
  const rcMax = Math.max(...p.functions.flat().map((f) => f.rc));
  const T = translations(s.cell, pbcOf(s), 2 * rcMax + (s.cell === undefined ? 0 : 2 * Math.max(...s.cell.map((v) => Math.hypot(...v)))));
  let best = Infinity;
  const n = s.symbols.length;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      for (const t of T) {
        const rr = Math.hypot(...[0, 1, 2].map((x) => s.positions[3 * i + x]! - s.positions[3 * j + x]! - t[x]!));
        for (const rc of radii) best = Math.min(best, Math.abs(rr - rc));
      }
  return best;
}

/** Debug: reference network outputs NN_i for given scaled inputs. */
export function referenceNetwork(p: RandomPotential, element: string, x: number[]): number {
  return networkValue(p.networks[p.elements.indexOf(element)]!, x, p.normalizeNodes);
}
