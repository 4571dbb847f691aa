/**
 * Plain float64 TypeScript reference of the SOAP power spectrum (DScribe 2.1.1 conventions).
 *
 * Deliberately simple and slow: brute-force neighbours (optionally over periodic images), one
 * spherical-harmonic and radial-integral evaluation per neighbour, and a feature loop driven by
 * {@link soapFeatureTable}. It is the oracle for the fast (wasm) kernel, not a production path.
 *
 * For a centre r_c and density d (a species, or a combination for the compression modes):
 *   c^d_{nlm} = Σ_{j∈d, |r_j − r_c| ≤ r_cut + δ} w_j Y_lm(r̂_j) I_nl(r_j)     (r_j relative to r_c)
 *   p^{d1 d2}_{n n' l} = π √(8/(2l+1)) Σ_m c^{d1}_{nlm} c^{d2}_{n'lm}
 * where I_nl(r) is the radial integral of one unnormalised Gaussian neighbour at distance r.
 */
import { AtomenvError, invalidParameter } from '../errors.js';
import { speciesIndexOfAtoms } from '../descriptors/species.js';
import { normalizeStructure, type NormalizedStructure, type Structure } from '../structure/structure.js';
import { soapFeatureTable, soapNumFeatures } from './layout.js';
import { validateSOAPOptions, type SOAPOptions, type SOAPParams } from './params.js';
import { gtoRadialBasis, type GtoRadialBasis } from './radial/gto.js';
import { polynomialRadialBasis, type PolynomialRadialBasis } from './radial/polynomial.js';
import { createGtoRadialIntegrals } from './radialIntegrals/gtoIntegrals.js';
import { createPolynomialRadialIntegrals } from './radialIntegrals/polynomialIntegrals.js';
import type { RadialIntegralEvaluator } from './radialIntegrals/types.js';
import { realSphericalHarmonicsReference } from './sphericalHarmonics.js';
import { soapWeight } from './weighting.js';

/** Result of {@link soapReferenceSpectrum}: a row-major [nCenters][nFeatures] matrix. */
export interface SOAPReferenceSpectrum {
  /** Row-major values, `values[c * nFeatures + f]`. */
  readonly values: Float64Array;
  /** [nCenters, nFeatures]; with `average` 'inner' or 'outer' a single row: [1, nFeatures]. */
  readonly shape: [number, number];
}

/**
 * Test hooks of {@link soapReferenceSpectrum}: replace the radial basis (e.g. by DScribe's own
 * tabulated β, to separate basis differences from everything else).
 */
export interface SOAPReferenceOverrides {
  /** GTO basis to use instead of `gtoRadialBasis(rCut, nMax, lMax)` (rbf 'gto'). */
  readonly gtoBasis?: GtoRadialBasis;
  /** Polynomial basis to use instead of `polynomialRadialBasis(rCut, nMax)` (rbf 'polynomial'). */
  readonly polynomialBasis?: PolynomialRadialBasis;
}

/** 1/√(4π) = Y_00, the only harmonic that survives for a neighbour on the centre (r = 0). */
const Y00 = 1 / Math.sqrt(4 * Math.PI);

/** The radial-integral evaluator for the basis in `p` (or the override). */
function radialIntegrals(p: SOAPParams, overrides: SOAPReferenceOverrides): RadialIntegralEvaluator {
  if (p.rbf === 'gto') {
    const basis = overrides.gtoBasis ?? gtoRadialBasis(p.rCut, p.nMax, p.lMax);
    if (basis.nMax !== p.nMax || basis.lMax < p.lMax) invalidParameter('soapReferenceSpectrum: gtoBasis does not match nMax/lMax');
    return createGtoRadialIntegrals(basis, p.sigma);
  }
  const basis = overrides.polynomialBasis ?? polynomialRadialBasis(p.rCut, p.nMax);
  if (basis.nMax !== p.nMax) invalidParameter('soapReferenceSpectrum: polynomialBasis does not match nMax');
  return createPolynomialRadialIntegrals(basis, p.lMax, p.sigma);
}

/** Centre positions, flat xyz: every atom (default), atom indices, or Cartesian points. */
function centerPositions(s: NormalizedStructure, centers: ReadonlyArray<number> | ReadonlyArray<ArrayLike<number>> | undefined): Float64Array {
  if (centers === undefined || centers === null) return Float64Array.from(s.positions);
  if (!Array.isArray(centers)) throw new AtomenvError('INVALID_CENTERS', 'centers must be an array of atom indices or of [x, y, z] points');
  const out = new Float64Array(3 * centers.length);
  centers.forEach((c: number | ArrayLike<number>, i: number) => {
    if (typeof c === 'number') {
      if (!Number.isInteger(c) || c < 0 || c >= s.nAtoms) {
        throw new AtomenvError('INVALID_CENTERS', `centers[${i}] = ${c} is not an atom index in 0..${s.nAtoms - 1}`);
      }
      out.set(s.positions.subarray(3 * c, 3 * c + 3), 3 * i);
    } else {
      if (c === null || typeof c !== 'object' || c.length !== 3 || !Array.from(c).every(Number.isFinite)) {
        throw new AtomenvError('INVALID_CENTERS', `centers[${i}] must be an atom index or a finite [x, y, z] point`);
      }
      for (let k = 0; k < 3; k++) out[3 * i + k] = c[k]!;
    }
  });
  return out;
}

/**
 * Lattice translations to try, flat xyz, starting with (0, 0, 0). As DScribe: along each periodic
 * axis i, n_i = ceil(cutoff / h_i) copies each way, h_i = V / |a_j × a_k| (perpendicular height).
 */
function imageShifts(s: NormalizedStructure, periodic: boolean, cutoff: number): Float64Array {
  if (!periodic || s.cell === null || !(s.pbc[0] || s.pbc[1] || s.pbc[2])) return new Float64Array(3);
  const a = [0, 1, 2].map((i) => Array.from(s.cell!.subarray(3 * i, 3 * i + 3)));
  const cross = (u: number[], v: number[]): number[] => [u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!];
  const norm = (u: number[]): number => Math.hypot(u[0]!, u[1]!, u[2]!);
  const c12 = cross(a[1]!, a[2]!);
  const volume = Math.abs(a[0]![0]! * c12[0]! + a[0]![1]! * c12[1]! + a[0]![2]! * c12[2]!);
  if (!(volume > 0)) throw new AtomenvError('SINGULAR_CELL', 'the cell has zero volume');
  const faces = [c12, cross(a[2]!, a[0]!), cross(a[0]!, a[1]!)];
  const reps = [0, 1, 2].map((i) => (s.pbc[i] ? Math.ceil(cutoff / (volume / norm(faces[i]!))) : 0));
  const shifts: number[] = [0, 0, 0];
  for (let i = -reps[0]!; i <= reps[0]!; i++) {
    for (let j = -reps[1]!; j <= reps[1]!; j++) {
      for (let k = -reps[2]!; k <= reps[2]!; k++) {
        if (i === 0 && j === 0 && k === 0) continue;
        for (let x = 0; x < 3; x++) shifts.push(i * a[0]![x]! + j * a[1]![x]! + k * a[2]![x]!);
      }
    }
  }
  return Float64Array.from(shifts);
}

/**
 * SOAP power spectrum by the textbook formulas, in float64 (see the module comment).
 *
 * Supports rbf 'gto' and 'polynomial', every compression mode (with `speciesWeighting`),
 * `weighting`, `average` 'off' / 'inner' / 'outer', and `periodic` (brute-force image loop).
 * The smooth `cutoff` option is not supported (DScribe has none).
 *
 * @param options SOAP options as for the public API (validated with `validateSOAPOptions`).
 * @param structure the atoms.
 * @param centers atom indices or Cartesian points [x, y, z] in Å; default every atom in order.
 * @param overrides test hooks (replace the radial basis).
 * @returns `values` row-major with `shape` [nCenters, nFeatures] ([1, nFeatures] when averaged).
 * @throws AtomenvError for invalid options, structures, centres, or atoms of other species.
 */
export function soapReferenceSpectrum(
  options: SOAPOptions,
  structure: Structure,
  centers?: number[] | number[][],
  overrides: SOAPReferenceOverrides = {},
): SOAPReferenceSpectrum {
  const p = validateSOAPOptions(options);
  if (p.cutoff !== null) invalidParameter('soapReferenceSpectrum: the smooth `cutoff` option is not supported');
  const s = normalizeStructure(structure);
  const speciesOf = speciesIndexOfAtoms(s, p.species);
  const { nMax, lMax } = p;
  const nS = p.species.length;
  const nLM = (lMax + 1) * (lMax + 1);
  const evaluator = radialIntegrals(p, overrides);
  const table = soapFeatureTable(p);
  const nFeatures = soapNumFeatures(p);
  if (table.length !== nFeatures) throw new Error('soapReferenceSpectrum: feature table length mismatch');

  // Densities: one per species; 'mu1nu1' adds the all-species sum (index nS); 'mu2' has one.
  const nDensities = p.compression === 'mu2' ? 1 : p.compression === 'mu1nu1' ? nS + 1 : nS;
  const sumDensity = nS;
  const densityOf = (z: number | 'all' | 'sum_all'): number =>
    z === 'all' ? 0 : z === 'sum_all' ? sumDensity : p.species.indexOf(z);
  // Coefficient layout: coef[(d * nLM + lm) * nMax + n], lm = l² + l + m.
  const coefSize = nDensities * nLM * nMax;

  const centerXyz = centerPositions(s, centers);
  const nCenters = centerXyz.length / 3;
  const shifts = imageShifts(s, p.periodic, p.neighbourCutoff);
  const cut2 = p.neighbourCutoff * p.neighbourCutoff;
  const radial = new Float64Array((lMax + 1) * nMax);

  /** c^d_{nlm} of one centre. */
  function coefficients(cx: number, cy: number, cz: number): Float64Array {
    const coef = new Float64Array(coefSize);
    for (let a = 0; a < s.nAtoms; a++) {
      const speciesWeight = p.speciesWeights === null ? 1 : p.speciesWeights[speciesOf[a]!]!;
      const d = p.compression === 'mu2' ? 0 : speciesOf[a]!;
      for (let t = 0; t < shifts.length; t += 3) {
        const x = s.positions[3 * a]! + shifts[t]! - cx;
        const y = s.positions[3 * a + 1]! + shifts[t + 1]! - cy;
        const z = s.positions[3 * a + 2]! + shifts[t + 2]! - cz;
        const r2 = x * x + y * y + z * z;
        if (r2 > cut2) continue; // inclusive test |r|² ≤ (r_cut + δ)²
        const r = Math.sqrt(r2);
        const w = speciesWeight * soapWeight(p.weighting, r);
        if (w === 0) continue;
        evaluator.evaluate(r, radial);
        // At r = 0 the direction is undefined; only Y_00 = 1/√(4π) is non-zero (I_nl(0) = 0 for l > 0).
        let ylm: Float64Array;
        if (r === 0) {
          ylm = new Float64Array(nLM);
          ylm[0] = Y00;
        } else {
          ylm = realSphericalHarmonicsReference(lMax, x, y, z);
        }
        for (let l = 0; l <= lMax; l++) {
          for (let lm = l * l; lm <= l * l + 2 * l; lm++) {
            const base = (d * nLM + lm) * nMax;
            for (let n = 0; n < nMax; n++) coef[base + n] += w * ylm[lm]! * radial[l * nMax + n]!;
          }
        }
      }
    }
    if (p.compression === 'mu1nu1') {
      // Sum over species: c^Σ_{nlm} = Σ_Z c^Z_{nlm}.
      for (let d = 0; d < nS; d++) {
        for (let i = 0; i < nLM * nMax; i++) coef[sumDensity * nLM * nMax + i] += coef[d * nLM * nMax + i]!;
      }
    }
    return coef;
  }

  /** Writes p_f = π √(8/(2l+1)) Σ_m c^{d1}_{nlm} c^{d2}_{n'lm} for every feature f into out[offset..]. */
  function spectrum(coef: Float64Array, out: Float64Array, offset: number): void {
    for (let f = 0; f < nFeatures; f++) {
      const { z1, z2, l, n, n2 } = table[f]!;
      const d1 = densityOf(z1);
      const d2 = densityOf(z2);
      let sum = 0;
      for (let lm = l * l; lm <= l * l + 2 * l; lm++) {
        sum += coef[(d1 * nLM + lm) * nMax + n]! * coef[(d2 * nLM + lm) * nMax + n2]!;
      }
      out[offset + f] = Math.PI * Math.sqrt(8 / (2 * l + 1)) * sum;
    }
  }

  if (p.average === 'off') {
    const values = new Float64Array(nCenters * nFeatures);
    for (let c = 0; c < nCenters; c++) {
      spectrum(coefficients(centerXyz[3 * c]!, centerXyz[3 * c + 1]!, centerXyz[3 * c + 2]!), values, c * nFeatures);
    }
    return { values, shape: [nCenters, nFeatures] };
  }
  const values = new Float64Array(nFeatures);
  if (nCenters === 0) return { values, shape: [1, nFeatures] };
  if (p.average === 'inner') {
    // c̄ = mean_i c_i, then one spectrum of c̄.
    const mean = new Float64Array(coefSize);
    for (let c = 0; c < nCenters; c++) {
      const coef = coefficients(centerXyz[3 * c]!, centerXyz[3 * c + 1]!, centerXyz[3 * c + 2]!);
      for (let i = 0; i < coefSize; i++) mean[i] += coef[i]! / nCenters;
    }
    spectrum(mean, values, 0);
  } else {
    // 'outer': mean over centres of the spectra.
    const row = new Float64Array(nFeatures);
    for (let c = 0; c < nCenters; c++) {
      spectrum(coefficients(centerXyz[3 * c]!, centerXyz[3 * c + 1]!, centerXyz[3 * c + 2]!), row, 0);
      for (let f = 0; f < nFeatures; f++) values[f] += row[f]! / nCenters;
    }
  }
  return { values, shape: [1, nFeatures] };
}
