import { AtomenvError } from '../errors.js';
import { fields, toReal } from '../io/parseContext.js';
import { atomicNumber } from '../structure/elements.js';

/** The n2p2 symmetry-function types atomenv computes (../shared/specs/n2p2.md, sections 2–3). */
export type SymmetryFunctionType = 2 | 3 | 9 | 12 | 13 | 20 | 21 | 22 | 23 | 24 | 25;

/** Core function of a compact (polynomial) symmetry function; the `a` suffix makes the radial windows asymmetric. */
export type CompactSubtype = 'p1' | 'p2' | 'p3' | 'p4' | 'e' | 'p1a' | 'p2a' | 'p3a' | 'p4a' | 'ea';

/**
 * One symmetry function as n2p2 defines it. Lengths are in the potential's length unit, angles
 * in degrees. Which fields are used depends on `type`:
 * - 2: `neighbors [e1]`, `eta`, `rs`, `rc`
 * - 3, 9: `neighbors [e1, e2]`, `eta`, `lambda`, `zeta`, `rc`, `rs` (default 0)
 * - 12: `eta`, `rs`, `rc` (neighbours of every element, weighted by Z)
 * - 13: `eta`, `rs`, `lambda`, `zeta`, `rc` (all pairs, weighted by Z_j Z_k)
 * - 20: `neighbors [e1]`, `rl`, `rc`, `subtype`
 * - 21, 22: `neighbors [e1, e2]`, `rl`, `rc`, `angleLeft`, `angleRight`, `subtype`
 * - 23: `rl`, `rc`, `subtype`;  24, 25: `rl`, `rc`, `angleLeft`, `angleRight`, `subtype`
 */
export interface SymmetryFunctionSpec {
  /** Element of the centre atom. */
  element: string;
  type: SymmetryFunctionType;
  /** Neighbour elements: one for types 2 and 20, two for 3, 9, 21, 22, none for the weighted types. */
  neighbors?: readonly string[];
  eta?: number;
  rs?: number;
  lambda?: number;
  zeta?: number;
  rc: number;
  rl?: number;
  angleLeft?: number;
  angleRight?: number;
  subtype?: CompactSubtype;
  /** 1-based line in input.nn, when the function was read from one. */
  line?: number;
}

/** Largest ζ of the angular types (as ACSF's bound). */
const MAX_ZETA = 1000;

const TYPES: readonly SymmetryFunctionType[] = [2, 3, 9, 12, 13, 20, 21, 22, 23, 24, 25];
const SUBTYPES: readonly string[] = ['p1', 'p2', 'p3', 'p4', 'e', 'p1a', 'p2a', 'p3a', 'p4a', 'ea'];

/** Angular types (sums over neighbour pairs). */
export function isAngular(type: SymmetryFunctionType): boolean {
  return type === 3 || type === 9 || type === 13 || type === 21 || type === 22 || type === 24 || type === 25;
}

/** Types with the r_jk factor ("narrow"). */
export function isNarrow(type: SymmetryFunctionType): boolean {
  return type === 3 || type === 13 || type === 21 || type === 24;
}

/** Types weighted by atomic numbers, over neighbours of every element. */
export function isWeighted(type: SymmetryFunctionType): boolean {
  return type === 12 || type === 13 || type === 23 || type === 24 || type === 25;
}

/** Polynomial types with compact support (ignore the cutoff type). */
export function isCompact(type: SymmetryFunctionType): boolean {
  return type >= 20;
}

/** Number of neighbour elements a type names. */
function neighborCount(type: SymmetryFunctionType): number {
  if (isWeighted(type)) return 0;
  return isAngular(type) ? 2 : 1;
}

/** Fields after `<element> <type>` of each type's line, in file order. */
const LINE_FIELDS: Record<SymmetryFunctionType, readonly string[]> = {
  2: ['e1', 'eta', 'rs', 'rc'],
  3: ['e1', 'e2', 'eta', 'lambda', 'zeta', 'rc', 'rs?'],
  9: ['e1', 'e2', 'eta', 'lambda', 'zeta', 'rc', 'rs?'],
  12: ['eta', 'rs', 'rc'],
  13: ['eta', 'rs', 'lambda', 'zeta', 'rc'],
  20: ['e1', 'rl', 'rc', 'subtype'],
  21: ['e1', 'e2', 'rl', 'rc', 'angleLeft', 'angleRight', 'subtype'],
  22: ['e1', 'e2', 'rl', 'rc', 'angleLeft', 'angleRight', 'subtype'],
  23: ['rl', 'rc', 'subtype'],
  24: ['rl', 'rc', 'angleLeft', 'angleRight', 'subtype'],
  25: ['rl', 'rc', 'angleLeft', 'angleRight', 'subtype'],
};

/**
 * Parses the fields of a `symfunction_short` line (with or without the keyword, comment already
 * removed). Throws an Error with a message naming the bad field; callers add the location.
 */
export function parseSymmetryFunctionLine(text: string): SymmetryFunctionSpec {
  let tokens = fields(text);
  if (tokens[0] === 'symfunction_short') tokens = tokens.slice(1);
  if (tokens.length < 2) throw new Error('a symmetry function needs at least `<element> <type>`');
  const [element, typeToken] = tokens as [string, string];
  const type = Number(typeToken) as SymmetryFunctionType;
  if (!/^\d+$/.test(typeToken) || !TYPES.includes(type)) {
    throw new Error(`symmetry-function type '${typeToken}' is not supported (supported: ${TYPES.join(', ')})`);
  }
  const names = LINE_FIELDS[type];
  const required = names.filter((n) => !n.endsWith('?')).length;
  const rest = tokens.slice(2);
  if (rest.length < required || rest.length > names.length) {
    const usage = names.map((n) => (n.endsWith('?') ? `[${n.slice(0, -1)}]` : n)).join(' ');
    throw new Error(`type ${type} expects \`<element> ${type} ${usage}\`, got ${rest.length} fields after the type`);
  }
  const spec: SymmetryFunctionSpec = { element, type, rc: NaN };
  const neighbors: string[] = [];
  names.forEach((rawName, k) => {
    const name = rawName.replace('?', '');
    const token = rest[k];
    if (token === undefined) return;
    if (name === 'e1' || name === 'e2') {
      neighbors.push(token);
    } else if (name === 'subtype') {
      spec.subtype = token as CompactSubtype;
    } else {
      const value = toReal(token);
      if (value === undefined) throw new Error(`${name} is not a number: '${token}'`);
      (spec as unknown as Record<string, number>)[name] = value;
    }
  });
  if (neighbors.length > 0) spec.neighbors = neighbors;
  return spec;
}

/**
 * Checks a symmetry function against `elements` (the potential's element symbols) and fills
 * defaults (rs = 0 for types 3 and 9). Returns a copy with the two neighbour elements of an
 * angular type ordered by atomic number, as n2p2 stores them. Throws Error naming the problem.
 */
export function checkSymmetryFunction(input: SymmetryFunctionSpec, elements: readonly string[]): SymmetryFunctionSpec {
  const spec: SymmetryFunctionSpec = { ...input, ...(input.neighbors ? { neighbors: [...input.neighbors] } : {}) };
  if (!TYPES.includes(spec.type)) throw new Error(`symmetry-function type ${String(spec.type)} is not supported (supported: ${TYPES.join(', ')})`);
  if (!elements.includes(spec.element)) throw new Error(`centre element '${spec.element}' is not among the elements (${elements.join(', ')})`);
  const n = neighborCount(spec.type);
  const given = spec.neighbors ?? [];
  if (given.length !== n) throw new Error(`type ${spec.type} needs ${n} neighbour element(s), got ${given.length}`);
  for (const e of given) {
    if (!elements.includes(e)) throw new Error(`neighbour element '${e}' is not among the elements (${elements.join(', ')})`);
  }
  if (n === 2 && atomicNumber(given[0]!) > atomicNumber(given[1]!)) spec.neighbors = [given[1]!, given[0]!];
  if (n === 0) delete spec.neighbors;
  const finite = (name: keyof SymmetryFunctionSpec): number => {
    const v = spec[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`type ${spec.type} needs a finite ${name}, got ${String(v)}`);
    return v;
  };
  const rc = finite('rc');
  if (!(rc > 0)) throw new Error(`rc must be positive, got ${rc}`);
  if (!isCompact(spec.type)) {
    if (finite('eta') < 0) throw new Error(`eta must be ≥ 0, got ${spec.eta}`);
    if ((spec.type === 3 || spec.type === 9) && spec.rs === undefined) spec.rs = 0;
    finite('rs');
    if (isAngular(spec.type)) {
      finite('lambda');
      if (!(finite('zeta') >= 1)) throw new Error(`zeta must be ≥ 1, got ${spec.zeta}`);
      // The kernels take 2^(1−ζ) P^ζ as 2 (P/2)^ζ (no overflow, and no subnormal intermediate
      // where the value is a normal double); the bound stays ACSF's: the textbook form, with P^ζ
      // up to 2^ζ, overflows float64 from ζ ≈ 1024.
      if (spec.zeta! > MAX_ZETA) throw new Error(`zeta must be ≤ ${MAX_ZETA} (2^ζ overflows float64), got ${spec.zeta}`);
    }
  } else {
    if (!SUBTYPES.includes(spec.subtype as string)) {
      throw new Error(`compact subtype '${String(spec.subtype)}' is not one of ${SUBTYPES.join(', ')}`);
    }
    const rl = finite('rl');
    if (!(rl < rc)) throw new Error(`rl (${rl}) must be smaller than rc (${rc})`);
    if (isAngular(spec.type)) {
      const left = finite('angleLeft'), right = finite('angleRight');
      if (!(left < right)) throw new Error(`the left angle (${left}°) must be smaller than the right angle (${right}°)`);
      const centre = (left + right) / 2;
      if ((left < 0 || right > 180) && centre !== 0 && centre !== 180) {
        throw new Error(`an angle window beyond 0°..180° must be centred on 0° or 180° (got ${left}°..${right}°)`);
      }
    }
  }
  return spec;
}

/**
 * n2p2's order of the symmetry functions of one centre element (section 4 of the spec): type,
 * then the type's keys; element indices (position in `elements`, sorted by Z) compare last.
 */
export function compareSymmetryFunctions(a: SymmetryFunctionSpec, b: SymmetryFunctionSpec, elements: readonly string[]): number {
  const ei = (s: string | undefined): number => (s === undefined ? -1 : elements.indexOf(s));
  const byNumber = (...pairs: [number | undefined, number | undefined][]): number => {
    for (const [x, y] of pairs) {
      if (x! < y!) return -1;
      if (x! > y!) return 1;
    }
    return 0;
  };
  let c = byNumber([ei(a.element), ei(b.element)], [a.type, b.type]);
  if (c !== 0) return c;
  const [a1, a2] = [ei(a.neighbors?.[0]), ei(a.neighbors?.[1])];
  const [b1, b2] = [ei(b.neighbors?.[0]), ei(b.neighbors?.[1])];
  switch (a.type) {
    case 2:
      return byNumber([a.rc, b.rc], [a.eta, b.eta], [a.rs, b.rs], [a1, b1]);
    case 3:
    case 9:
      return byNumber([a.rc, b.rc], [a.eta, b.eta], [a.rs, b.rs], [a.zeta, b.zeta], [a.lambda, b.lambda], [a1, b1], [a2, b2]);
    case 12:
      return byNumber([a.rc, b.rc], [a.eta, b.eta], [a.rs, b.rs]);
    case 13:
      return byNumber([a.rc, b.rc], [a.eta, b.eta], [a.rs, b.rs], [a.zeta, b.zeta], [a.lambda, b.lambda]);
    default:
      c = compareStrings(a.subtype!, b.subtype!);
      if (c !== 0) return c;
      switch (a.type) {
        case 20:
          return byNumber([a1, b1], [a.rc, b.rc], [a.rl, b.rl]);
        case 21:
        case 22:
          return byNumber([a1, b1], [a2, b2], [a.rc, b.rc], [a.rl, b.rl], [a.angleLeft, b.angleLeft], [a.angleRight, b.angleRight]);
        case 23:
          return byNumber([a.rc, b.rc], [a.rl, b.rl]);
        default:
          return byNumber([a.rc, b.rc], [a.rl, b.rl], [a.angleLeft, b.angleLeft], [a.angleRight, b.angleRight]);
      }
  }
}

/** Byte-wise string order (std::string operator<). */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The symmetry functions of each element in n2p2's sorted order (the network input order).
 * std::sort is not stable, but functions that compare equal are identical, so the order of
 * equal keys cannot matter.
 */
export function sortSymmetryFunctions(
  functions: readonly SymmetryFunctionSpec[],
  elements: readonly string[],
): SymmetryFunctionSpec[][] {
  return elements.map((e) => functions.filter((f) => f.element === e).sort((a, b) => compareSymmetryFunctions(a, b, elements)));
}

/** Largest cutoff radius of a list of symmetry functions (0 for none). */
export function maxCutoff(functions: readonly SymmetryFunctionSpec[]): number {
  return functions.reduce((m, f) => Math.max(m, f.rc), 0);
}

/** INVALID_PARAMETER error for a user-given symmetry function. */
export function invalidFunction(index: number, message: string): AtomenvError {
  return new AtomenvError('INVALID_PARAMETER', `functions[${index}]: ${message}`);
}
