import { AtomenvError, invalidParameter } from '../errors.js';
import { checkOptionKeys } from '../descriptors/optionKeys.js';
import { sortedSpecies } from '../descriptors/species.js';

/** Parameters of {@link ACSF}: DScribe's `ACSF(...)` arguments in camelCase. */
export interface ACSFOptions {
  /** Elements the descriptor covers (symbols or atomic numbers, any order). */
  species: ReadonlyArray<string | number>;
  /** Cutoff radius r_c in Å (> 0). */
  rCut: number;
  /** G2 functions, one `[η (Å⁻²), R_s (Å)]` per row. */
  g2Params?: ReadonlyArray<readonly [number, number]> | null;
  /** G3 functions, one κ (Å⁻¹) each. */
  g3Params?: readonly number[] | null;
  /** G4 functions, one `[η, ζ, λ]` per row. */
  g4Params?: ReadonlyArray<readonly [number, number, number]> | null;
  /** G5 functions, one `[η, ζ, λ]` per row. */
  g5Params?: ReadonlyArray<readonly [number, number, number]> | null;
  /** Use the cell and its periodic images (default false, as in DScribe). */
  periodic?: boolean;
}

/** The keys of {@link ACSFOptions} (anything else is refused). */
export const ACSF_OPTION_KEYS = ['species', 'rCut', 'g2Params', 'g3Params', 'g4Params', 'g5Params', 'periodic'] as const satisfies readonly (keyof ACSFOptions)[];

/** Validated ACSF parameters. */
export interface ACSFParams {
  readonly species: number[];
  readonly rCut: number;
  readonly g2: [number, number][];
  readonly g3: number[];
  readonly g4: [number, number, number][];
  readonly g5: [number, number, number][];
  readonly periodic: boolean;
}

/** Largest ζ of G4/G5: 2^ζ stays finite in float64. */
const MAX_ZETA = 1000;

function rows(name: string, value: unknown, width: number): number[][] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) invalidParameter(`${name} must be a list of [${width === 2 ? 'η, R_s' : 'η, ζ, λ'}] rows`);
  return value.map((row: unknown, i: number) => {
    if (!Array.isArray(row) || row.length !== width || !row.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      invalidParameter(`${name}[${i}] must be ${width} finite numbers, got ${JSON.stringify(row)}`);
    }
    return row as number[];
  });
}

/** Checks ACSF options and returns them normalised; throws INVALID_PARAMETER / MISSING_PARAMETER. */
export function validateACSFOptions(options: ACSFOptions): ACSFParams {
  if (options === null || typeof options !== 'object') {
    throw new AtomenvError('MISSING_PARAMETER', 'ACSF needs an options object { species, rCut, ... }');
  }
  checkOptionKeys('ACSF', options, ACSF_OPTION_KEYS);
  const species = sortedSpecies(options.species);
  if (options.rCut === undefined || options.rCut === null) {
    throw new AtomenvError('MISSING_PARAMETER', 'ACSF needs `rCut` (cutoff radius in Å)');
  }
  if (typeof options.rCut !== 'number' || !Number.isFinite(options.rCut) || options.rCut <= 0) {
    invalidParameter(`rCut must be a positive number of Å, got ${JSON.stringify(options.rCut)}`);
  }
  const g2 = rows('g2Params', options.g2Params, 2) as [number, number][];
  g2.forEach(([eta], i) => eta < 0 && invalidParameter(`g2Params[${i}]: η must be ≥ 0, got ${eta}`));
  let g3: number[] = [];
  if (options.g3Params !== undefined && options.g3Params !== null) {
    if (!Array.isArray(options.g3Params)) invalidParameter('g3Params must be a list of κ values');
    g3 = options.g3Params.map((k: unknown, i: number) => {
      if (typeof k !== 'number' || !Number.isFinite(k)) invalidParameter(`g3Params[${i}] must be a finite number, got ${JSON.stringify(k)}`);
      return k;
    });
  }
  const angular = (name: string, value: unknown): [number, number, number][] => {
    const r = rows(name, value, 3) as [number, number, number][];
    r.forEach(([eta, zeta, lambda], i) => {
      if (eta < 0) invalidParameter(`${name}[${i}]: η must be ≥ 0, got ${eta}`);
      if (zeta < 1) invalidParameter(`${name}[${i}]: ζ must be ≥ 1, got ${zeta}`);
      // 2^(1−ζ) (1 + λ cos θ)^ζ: above ~1024 the power overflows float64 and the product is NaN.
      if (zeta > MAX_ZETA) invalidParameter(`${name}[${i}]: ζ must be ≤ ${MAX_ZETA} (2^ζ overflows float64), got ${zeta}`);
      if (lambda < -1 || lambda > 1) invalidParameter(`${name}[${i}]: λ must be in [−1, 1], got ${lambda}`);
    });
    return r;
  };
  const g4 = angular('g4Params', options.g4Params);
  const g5 = angular('g5Params', options.g5Params);
  if (options.periodic !== undefined && typeof options.periodic !== 'boolean') {
    invalidParameter(`periodic must be true or false, got ${JSON.stringify(options.periodic)}`);
  }
  return { species, rCut: options.rCut, g2, g3, g4, g5, periodic: options.periodic ?? false };
}
