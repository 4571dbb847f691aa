import { AtomenvError } from '../errors.js';
import { textLines } from '../io/lines.js';
import { fields, toInteger, toReal } from '../io/parseContext.js';
import { atomicNumber } from '../structure/elements.js';
import { checkSymmetryFunction, parseSymmetryFunctionLine, type SymmetryFunctionSpec } from './symmetryFunctionSpec.js';

/** Activation letters of n2p2 (NeuralNetwork.cpp). */
export type ActivationLetter = 'l' | 't' | 's' | 'p' | 'r' | 'g' | 'c' | 'S' | 'e' | 'h';
const ACTIVATIONS = 'ltsprgcSeh';

/** How symmetry functions are scaled before they enter the network (section 5 of the spec). */
export type ScalingType = 'none' | 'scale' | 'center' | 'scalecenter' | 'scalesigma';

/** Network layout of one element: hidden-layer sizes and one activation per hidden layer plus the output. */
export interface NetworkLayout {
  hiddenNodes: number[];
  activations: ActivationLetter[];
}

/** Unit conversion of a normalised potential: E' = (E − N·meanEnergy)·convEnergy, r' = r·convLength. */
export interface Normalization {
  meanEnergy: number;
  convEnergy: number;
  convLength: number;
}

/** What atomenv uses of an n2p2 `input.nn`. */
export interface N2p2Settings {
  /** Element symbols sorted by atomic number (n2p2's element order). */
  elements: string[];
  cutoffType: number;
  cutoffAlpha: number;
  /** Symmetry functions in file order, validated; each has `line`. */
  symmetryFunctions: SymmetryFunctionSpec[];
  /** Network layout per element, in `elements` order. */
  networks: NetworkLayout[];
  /** Present when mean_energy, conv_energy and conv_length all are. */
  normalization: Normalization | null;
  /** atom_energy offsets per element (0 when absent). */
  atomEnergies: Record<string, number>;
  scaling: { type: ScalingType; min: number; max: number };
  normalizeNodes: boolean;
}

interface Entry {
  tokens: string[];
  line: number;
}

/**
 * Reads an n2p2 / RuNNer `input.nn`. Keywords atomenv does not need (training settings) are
 * ignored. Malformed or inconsistent content throws PARSE_ERROR naming `file` and the line.
 */
export function parseInputNn(text: string, file = 'input.nn'): N2p2Settings {
  const fail = (line: number | undefined, message: string): never => {
    throw new AtomenvError('PARSE_ERROR', message, line === undefined ? { file } : { file, line });
  };
  const single = new Map<string, Entry>();
  const multi = new Map<string, Entry[]>();
  const MULTI = new Set(['symfunction_short', 'atom_energy', 'element_hidden_layers_short', 'element_nodes_short', 'element_activation_short']);
  for (const { text: raw, number } of textLines(text)) {
    const hash = raw.indexOf('#');
    const tokens = fields(hash >= 0 ? raw.slice(0, hash) : raw);
    if (tokens.length === 0) continue;
    const key = tokens[0]!;
    if (MULTI.has(key)) {
      const list = multi.get(key) ?? [];
      list.push({ tokens, line: number });
      multi.set(key, list);
    } else {
      const previous = single.get(key);
      if (previous !== undefined && KNOWN.has(key)) fail(number, `keyword '${key}' appears again (first on line ${previous.line})`);
      single.set(key, { tokens, line: number });
    }
  }
  const required = (key: string): Entry => single.get(key) ?? fail(undefined, `missing keyword '${key}'`);
  const real = (entry: Entry, k: number, what: string): number => {
    const token = entry.tokens[k];
    const v = token === undefined ? undefined : toReal(token);
    if (v === undefined || !Number.isFinite(v)) {
      return fail(entry.line, token === undefined ? `'${entry.tokens[0]}' needs ${what}` : `${what} is not a number: '${token}'`);
    }
    return v;
  };
  const integer = (entry: Entry, k: number, what: string, min: number): number => {
    const token = entry.tokens[k];
    const v = token === undefined ? undefined : toInteger(token);
    if (v === undefined || v < min) return fail(entry.line, `${what} must be an integer ≥ ${min}, got '${token ?? ''}'`);
    return v;
  };

  const nnpType = single.get('nnp_type');
  if (nnpType !== undefined && !['2G-HDNNP', '2', 'short'].includes(nnpType.tokens[1] ?? '')) {
    fail(nnpType.line, `nnp_type '${nnpType.tokens[1] ?? ''}' is not supported (only short-range 2G-HDNNP potentials)`);
  }

  // Elements, sorted by atomic number.
  const elementsEntry = required('elements');
  const symbols = elementsEntry.tokens.slice(1);
  if (symbols.length === 0) fail(elementsEntry.line, "'elements' lists no element");
  const numbers = symbols.map((s) => {
    try {
      return atomicNumber(s);
    } catch {
      return fail(elementsEntry.line, `unknown element '${s}'`);
    }
  });
  if (new Set(numbers).size !== numbers.length) fail(elementsEntry.line, "'elements' lists an element twice");
  const elements = symbols.map((s, k) => [s, numbers[k]!] as const).sort((a, b) => a[1] - b[1]).map(([s]) => s);
  const countEntry = required('number_of_elements');
  const count = integer(countEntry, 1, 'number_of_elements', 1);
  if (count !== elements.length) fail(countEntry.line, `number_of_elements is ${count} but 'elements' (line ${elementsEntry.line}) lists ${elements.length}`);
  const elementOf = (entry: Entry, token: string | undefined): string => {
    if (token === undefined) return fail(entry.line, `'${entry.tokens[0]}' needs an element`);
    return elements.includes(token) ? token : fail(entry.line, `element '${token}' is not among the elements (${elements.join(', ')})`);
  };

  // Cutoff function.
  const cutoffEntry = required('cutoff_type');
  const cutoffType = integer(cutoffEntry, 1, 'cutoff_type', 0);
  if (cutoffType > 8) fail(cutoffEntry.line, `cutoff_type ${cutoffType} is unknown (0–8)`);
  const cutoffAlpha = cutoffEntry.tokens.length > 2 ? real(cutoffEntry, 2, 'the cutoff alpha') : 0;
  if (!(cutoffAlpha >= 0 && cutoffAlpha < 1)) fail(cutoffEntry.line, `the cutoff alpha must satisfy 0 ≤ α < 1, got ${cutoffAlpha}`);

  // Symmetry functions.
  const symmetryFunctions: SymmetryFunctionSpec[] = [];
  for (const entry of multi.get('symfunction_short') ?? []) {
    try {
      const spec = checkSymmetryFunction(parseSymmetryFunctionLine(entry.tokens.join(' ')), elements);
      symmetryFunctions.push({ ...spec, line: entry.line });
    } catch (error) {
      fail(entry.line, `symfunction_short: ${(error as Error).message}`);
    }
  }
  for (const e of elements) {
    if (!symmetryFunctions.some((f) => f.element === e)) fail(undefined, `element ${e} has no symfunction_short line`);
  }

  // Network layout: global, then per-element overrides.
  const layersEntry = required('global_hidden_layers_short');
  const layers = integer(layersEntry, 1, 'global_hidden_layers_short', 0);
  const nodesEntry = required('global_nodes_short');
  const nodes = nodesEntry.tokens.slice(1).map((_, k) => integer(nodesEntry, k + 1, `hidden layer ${k + 1}'s node count`, 1));
  if (nodes.length !== layers) fail(nodesEntry.line, `global_nodes_short gives ${nodes.length} layer sizes but global_hidden_layers_short (line ${layersEntry.line}) is ${layers}`);
  const activationEntry = required('global_activation_short');
  const activationsOf = (entry: Entry, from: number, n: number): ActivationLetter[] => {
    const letters = entry.tokens.slice(from);
    if (letters.length !== n) fail(entry.line, `expected ${n} activation letters (one per hidden layer and one for the output), got ${letters.length}`);
    for (const a of letters) if (a.length !== 1 || !ACTIVATIONS.includes(a)) fail(entry.line, `unknown activation '${a}' (known: ${[...ACTIVATIONS].join(' ')})`);
    return letters as ActivationLetter[];
  };
  const activations = activationsOf(activationEntry, 1, layers + 1);
  const networks: NetworkLayout[] = elements.map(() => ({ hiddenNodes: [...nodes], activations: [...activations] }));
  // Per-element overrides as n2p2's Mode::setupNeuralNetwork applies them: an element whose
  // layer count differs from the global one gets none of the global sizes and activations, and
  // the two per-element keywords below never set its last hidden layer's size nor its output
  // activation, so n2p2 rejects it; only the global layer count can be repeated.
  for (const entry of multi.get('element_hidden_layers_short') ?? []) {
    const element = elementOf(entry, entry.tokens[1]);
    const n = integer(entry, 2, 'the number of hidden layers', 0);
    if (n !== layers) {
      fail(entry.line, `element ${element}: ${n} hidden layers, but n2p2 takes an element's last hidden layer size and output activation only from the global keywords, so its layer count must be global_hidden_layers_short's (${layers})`);
    }
  }
  for (const entry of multi.get('element_nodes_short') ?? []) {
    const net = networks[elements.indexOf(elementOf(entry, entry.tokens[1]))]!;
    const given = entry.tokens.slice(2).map((_, k) => integer(entry, k + 2, `hidden layer ${k + 1}'s node count`, 1));
    if (given.length !== net.hiddenNodes.length) fail(entry.line, `expected ${net.hiddenNodes.length} layer sizes, got ${given.length}`);
    // The loop stops one layer early: the last hidden layer keeps its global size.
    for (let k = 0; k + 1 < given.length; k++) net.hiddenNodes[k] = given[k]!;
  }
  for (const entry of multi.get('element_activation_short') ?? []) {
    const net = networks[elements.indexOf(elementOf(entry, entry.tokens[1]))]!;
    // One letter per hidden layer and one for the output, but the output keeps the global
    // activation (the loop stops before the output layer).
    const letters = activationsOf(entry, 2, net.hiddenNodes.length + 1);
    net.activations = [...letters.slice(0, -1), net.activations.at(-1)!];
  }

  // Units and offsets.
  const normKeys = ['mean_energy', 'conv_energy', 'conv_length'] as const;
  const normEntries = normKeys.map((k) => single.get(k));
  let normalization: Normalization | null = null;
  if (normEntries.every((e) => e !== undefined)) {
    const [mean, ce, cl] = normEntries.map((e, k) => real(e!, 1, normKeys[k]!)) as [number, number, number];
    if (!(ce > 0)) fail(normEntries[1]!.line, `conv_energy must be positive, got ${ce}`);
    if (!(cl > 0)) fail(normEntries[2]!.line, `conv_length must be positive, got ${cl}`);
    normalization = { meanEnergy: mean, convEnergy: ce, convLength: cl };
  } else if (normEntries.some((e) => e !== undefined)) {
    const present = normEntries.find((e) => e !== undefined)!;
    fail(present.line, `mean_energy, conv_energy and conv_length must be given together (missing: ${normKeys.filter((_, k) => normEntries[k] === undefined).join(', ')})`);
  }
  const atomEnergies: Record<string, number> = Object.fromEntries(elements.map((e) => [e, 0]));
  for (const entry of multi.get('atom_energy') ?? []) {
    atomEnergies[elementOf(entry, entry.tokens[1])] = real(entry, 2, 'the atom energy');
  }

  // Scaling.
  const scale = single.has('scale_symmetry_functions');
  const center = single.has('center_symmetry_functions');
  const sigma = single.has('scale_symmetry_functions_sigma');
  // n2p2's precedence (Mode::setupSymmetryFunctionScaling): the sigma keyword counts only
  // without both of the others.
  const type: ScalingType = scale ? (center ? 'scalecenter' : 'scale') : center ? 'center' : sigma ? 'scalesigma' : 'none';
  const min = single.has('scale_min_short') ? real(single.get('scale_min_short')!, 1, 'scale_min_short') : 0;
  const max = single.has('scale_max_short') ? real(single.get('scale_max_short')!, 1, 'scale_max_short') : 1;

  return {
    elements, cutoffType, cutoffAlpha, symmetryFunctions, networks, normalization, atomEnergies,
    scaling: { type, min, max }, normalizeNodes: single.has('normalize_nodes'),
  };
}

/** Keywords that may appear once (a repeat is an error; unknown keywords may repeat). */
const KNOWN = new Set([
  'number_of_elements', 'elements', 'cutoff_type', 'global_hidden_layers_short', 'global_nodes_short',
  'global_activation_short', 'mean_energy', 'conv_energy', 'conv_length', 'scale_min_short', 'scale_max_short',
  'nnp_type',
]);
