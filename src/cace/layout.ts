/**
 * Index layout of CACE (Cheng 2024) as the reference code orders it: the Cartesian angular
 * basis (lx, ly, lz) and the keys of the symmetrised invariants B for ν = 1..4.
 */

/** One Cartesian angular function L_m(û) = ûx^lx ûy^ly ûz^lz. */
export type AngularTriple = readonly [number, number, number];

/**
 * Every (lx, ly, lz) with lx + ly + lz = l for l = 0..maxL: grouped by l ascending, inside a
 * group descending lexicographic in (lx, ly) (the reference's `AngularComponent` order).
 */
export function angularTriples(maxL: number): AngularTriple[] {
  const out: AngularTriple[] = [];
  for (let l = 0; l <= maxL; l++) {
    for (let lx = l; lx >= 0; lx--) for (let ly = l - lx; ly >= 0; ly--) out.push([lx, ly, l - lx - ly]);
  }
  return out;
}

/** n_ang = (maxL+1)(maxL+2)(maxL+3)/6. */
export function angularCount(maxL: number): number {
  return ((maxL + 1) * (maxL + 2) * (maxL + 3)) / 6;
}

/** The symmetriser keys of each ν, in the reference's feature order (dict insertion order). */
export interface SymmetrizerKeys {
  /** ν = 2: L = 1..maxL. */
  readonly nu2: number[];
  /** ν = 3: (l1, l2) with 1 ≤ l1 ≤ l2, l1 + l2 ≤ maxL, lexicographic. */
  readonly nu3: [number, number][];
  /** ν = 4: (l1, l2, d) with 1 ≤ l1 < l2, d ≥ 1, l2 + d ≤ maxL, lexicographic. */
  readonly nu4: [number, number, number][];
}

export function symmetrizerKeys(maxL: number, maxNu: number): SymmetrizerKeys {
  const nu2: number[] = [];
  const nu3: [number, number][] = [];
  const nu4: [number, number, number][] = [];
  if (maxNu >= 2) for (let L = 1; L <= maxL; L++) nu2.push(L);
  if (maxNu >= 3) {
    for (let l1 = 1; l1 <= maxL; l1++) for (let l2 = l1; l1 + l2 <= maxL; l2++) nu3.push([l1, l2]);
  }
  if (maxNu >= 4) {
    for (let l1 = 1; l1 <= maxL; l1++) {
      for (let l2 = l1 + 1; l2 <= maxL; l2++) for (let d = 1; l2 + d <= maxL; d++) nu4.push([l1, l2, d]);
    }
  }
  return { nu2, nu3, nu4 };
}

/** N_sym = 1 + [ν≥2] maxL + [ν≥3] ⌊maxL²/4⌋ + [ν≥4] C(maxL, 3). */
export function symmetrizedCount(maxL: number, maxNu: number): number {
  const k = symmetrizerKeys(maxL, maxNu);
  return 1 + k.nu2.length + k.nu3.length + k.nu4.length;
}

/** Index of (lx, ly, lz) in {@link angularTriples}(maxL), or −1 when |v| > maxL. */
export function angularIndex(maxL: number, lx: number, ly: number, lz: number): number {
  const l = lx + ly + lz;
  if (l > maxL || lx < 0 || ly < 0 || lz < 0) return -1;
  // Groups below l hold angularCount(l − 1) functions; inside the group, lx = l..0 each with
  // l − lx + 1 entries (ly descending).
  let idx = l === 0 ? 0 : angularCount(l - 1);
  for (let x = l; x > lx; x--) idx += l - x + 1;
  return idx + (l - lx - ly);
}

/** Multinomial |v|! / (lx! ly! lz!). */
export function multinomial(lx: number, ly: number, lz: number): number {
  return factorial(lx + ly + lz) / (factorial(lx) * factorial(ly) * factorial(lz));
}

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/**
 * The symmetrisation as a list of monomials: term t of feature s is
 * coef · Π A[m_1] … A[m_ν] (ν factors, −1 padding). `terms` is [nTerms × 4] angular indices,
 * `coef` the multinomial weight, `feature` the s of each term. Every B_s is Σ of its terms.
 */
export interface SymmetrizerTerms {
  readonly nFeatures: number;
  readonly feature: Int32Array;
  readonly coef: Float64Array;
  readonly factors: Int32Array;
}

export function symmetrizerTerms(maxL: number, maxNu: number): SymmetrizerTerms {
  const keys = symmetrizerKeys(maxL, maxNu);
  const triples = angularTriples(maxL);
  const ofNorm = (l: number): AngularTriple[] => triples.filter((t) => t[0] + t[1] + t[2] === l);
  const idx = (v: AngularTriple): number => angularIndex(maxL, v[0], v[1], v[2]);
  const add = (a: AngularTriple, b: AngularTriple): AngularTriple => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
  const mult = (v: AngularTriple): number => multinomial(v[0], v[1], v[2]);
  const feature: number[] = [];
  const coef: number[] = [];
  const factors: number[] = [];
  let s = 0;
  // Terms of one feature with the same factors (as a multiset) share one product: ν = 3 with
  // l1 = l2 has both (v, w) and (w, v); ν = 4 has (v, w, v+u, w+u) = (v, v+u, w, w+u) pairs.
  const seen = new Map<string, number>();
  const push = (c: number, f: number[]): void => {
    const sorted = [...f].sort((a, b) => a - b);
    const key = `${s}:${sorted.join(',')}`;
    const at = seen.get(key);
    if (at !== undefined) {
      coef[at] += c;
      return;
    }
    seen.set(key, coef.length);
    feature.push(s);
    coef.push(c);
    factors.push(...sorted, ...Array(4 - f.length).fill(-1));
  };
  push(1, [0]);
  s++;
  for (const L of keys.nu2) {
    for (const v of ofNorm(L)) push(mult(v), [idx(v), idx(v)]);
    s++;
  }
  for (const [l1, l2] of keys.nu3) {
    for (const v of ofNorm(l1)) for (const w of ofNorm(l2)) push(mult(v) * mult(w), [idx(v), idx(w), idx(add(v, w))]);
    s++;
  }
  for (const [l1, l2, d] of keys.nu4) {
    for (const v of ofNorm(l1)) {
      for (const w of ofNorm(l2)) {
        for (const u of ofNorm(d)) push(mult(v) * mult(w) * mult(u), [idx(v), idx(w), idx(add(v, u)), idx(add(w, u))]);
      }
    }
    s++;
  }
  return { nFeatures: s, feature: Int32Array.from(feature), coef: Float64Array.from(coef), factors: Int32Array.from(factors) };
}
