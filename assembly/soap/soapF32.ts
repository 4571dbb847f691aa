// Float32 SOAP values (dtype 'float32'): the float64 driver soapCompute (assembly/soap/soap.ts)
// with the expansion and the power spectrum in f32x4 (sphericalExpansionF32.ts,
// powerSpectrumF32.ts, the harmonics four neighbours at a time in sphericalHarmonicsF32.ts) on a
// float32 radial table, writing float32 output. Geometry, weights and the Hermite weights stay
// f64 (rounded once to f32); the averages are summed in f64: 'inner' c̄ = (1/N) Σ_i c_i, 'outer' (1/N) Σ_i p_i, rounded at the end.
// Configuration: the i32/f64 slots of soap.ts, with n_maxP = n_max rounded up to a multiple of 4.
import {
  AVERAGE_INNER, AVERAGE_OUTER, CF_H, CF_INV_H, CF_R_MAX, CF_WEIGHTING, CI_AVERAGE, CI_BLOCKS,
  CI_COEF_DENSITIES, CI_INTERVALS, CI_L_MAX, CI_N_MAX, CI_N_MAX_P, CI_SLOT_DENSITIES,
  CI_SUM_DENSITY, align16,
} from './config';
import { ldf, ldi, sti } from '../memory';
import {
  expansionAccumulateF32, expansionSlotsF32, expansionSumDensitiesF32, harmonicRowF32, setExpansionShapeF32,
} from './sphericalExpansionF32';
import { powerSpectrumF32 } from './powerSpectrumF32';
import { shCoefficients } from './sphericalHarmonics';
import { shCoefficientsF32 } from './sphericalHarmonicsF32';
import { radialWeight, weightIsTrivial } from './weighting';
import { addSelfF32, addTilePairF32, pairRecordBytesF32, selfRadialF32, setPairShapeF32 } from './pairExpansionF32';
import {
  planPairWork, pCoefAll, pUsed, pRec, pRecI, pRecJ, pListF, pListR, pStartF, pStartR, pLocalOf, pTargets, pRecJL, pRecR, pOrder, pBuckets, pSpDensity, pSpWeight, pSelf, pEnd, pRecIL, pTileAtoms, speciesOrder, tileEnd, planPairPath, startPairPath,
} from './pairWork';

// Slots of the i32 and f64 configurations (as in soap.ts).

// Byte offsets of the scratch arrays inside `work` (set by planWorkF32).
let wShCoef: usize = 0;
let wKw: usize = 0;
let wCursor: usize = 0;
let wSlotStart: usize = 0;
let wShCoef32: usize = 0;
let wY: usize = 0;
let wRadial: usize = 0;
let wCoef: usize = 0;
let wCoefSum: usize = 0;
let wEmpty: usize = 0;
let wNoneEmpty: usize = 0;
let wRow: usize = 0;
let wRowSum: usize = 0;
let wEnd: usize = 0;

function planWorkF32(work: usize, kMax: i32, ints: usize, nFeatures: i32): void {
  const nMaxP = ldi(ints, CI_N_MAX_P), lMax = ldi(ints, CI_L_MAX);
  const nLM = <usize>((lMax + 1) * (lMax + 1));
  const channels = <usize>((lMax + 1) * nMaxP);
  const slots = <usize>(kMax + 1);
  const nCoef = <usize>ldi(ints, CI_COEF_DENSITIES);
  const coefCount = nCoef * nLM * <usize>nMaxP;
  let p = align16(work);
  wShCoef = p; p = align16(p + (<usize>((lMax + 1) * (lMax + 2)) << 3));
  wKw = p; p = align16(p + (slots << 3));
  wCursor = p; p = align16(p + (<usize>ldi(ints, CI_SLOT_DENSITIES) << 2));
  wSlotStart = p; p = align16(p + (<usize>(ldi(ints, CI_SLOT_DENSITIES) + 1) << 2));
  wShCoef32 = p; p = align16(p + (<usize>((lMax + 1) * (lMax + 2)) << 2));
  wY = p; p = align16(p + ((slots * <usize>harmonicRowF32(lMax)) << 2));
  wRadial = p; p = align16(p + ((slots * channels) << 2));
  wCoef = p; p = align16(p + (coefCount << 2));
  wCoefSum = p; p = align16(p + (coefCount << 3)); // f64 sum ('inner')
  wEmpty = p; p = align16(p + (nCoef << 2));
  wNoneEmpty = p; p = align16(p + (nCoef << 2));
  wRow = p; p = align16(p + (<usize>nFeatures << 2)); // f32 spectrum of one centre ('outer')
  wRowSum = p; p = align16(p + (<usize>nFeatures << 3)); // f64 sum ('outer')
  wEnd = p;
}

/** Bytes of scratch {@link soapComputeF32} needs for at most kMax neighbours per centre. */
export function soapWorkSizeF32(kMax: i32, ints: usize, nFeatures: i32): usize {
  planWorkF32(0, kMax, ints, nFeatures);
  return wEnd + 16;
}

/**
 * SOAP power spectra of nCenters centres in float32: the arguments of soapCompute
 * (assembly/soap/soap.ts) with table = the f32 radial table (n_maxP a multiple of 4, in
 * ints[1]), out = f32[nCenters·nFeatures] (f32[nFeatures] when averaged) and
 * work = soapWorkSizeF32(kMax, ints, nFeatures) bytes.
 */
// Per-call configuration (set by configureF32).
let cNMax = 0, cNMaxP = 0, cLMax = 0, cNLM = 0, cSlotDensities = 0, cCoefDensities = 0;
let cSumDensity = -1, cBlocks = 0, cAverage = 0;
let cTrivial = false;
let cWp: usize = 0;

function configureF32(ints: usize, floats: usize, table: usize): void {
  cNMax = ldi(ints, CI_N_MAX);
  cNMaxP = ldi(ints, CI_N_MAX_P);
  cLMax = ldi(ints, CI_L_MAX);
  cNLM = (cLMax + 1) * (cLMax + 1);
  cSlotDensities = ldi(ints, CI_SLOT_DENSITIES);
  cCoefDensities = ldi(ints, CI_COEF_DENSITIES);
  cSumDensity = ldi(ints, CI_SUM_DENSITY);
  cBlocks = ldi(ints, CI_BLOCKS);
  cAverage = ldi(ints, CI_AVERAGE);
  setExpansionShapeF32(
    cNMaxP, cLMax, cSlotDensities, table, ldi(ints, CI_INTERVALS), ldf(floats, CF_H), ldf(floats, CF_INV_H),
    ldf(floats, CF_R_MAX), wShCoef32,
  );
  shCoefficients(cLMax, wShCoef);
  shCoefficientsF32(cLMax, wShCoef, wShCoef32);
  cWp = floats + (<usize>CF_WEIGHTING << 3);
  cTrivial = weightIsTrivial(cWp);
}

/** Before the centres: zeroes the f64 sums of the averaged modes. */
function startAverageF32(nFeatures: i32): void {
  memory.fill(wNoneEmpty, 0, <usize>cCoefDensities << 2);
  if (cAverage == AVERAGE_INNER) memory.fill(wCoefSum, 0, <usize>(cCoefDensities * cNLM * cNMaxP) << 3);
  if (cAverage == AVERAGE_OUTER) memory.fill(wRowSum, 0, <usize>nFeatures << 3);
}

/**
 * Centre c's f32 coefficients `coef`, whose species densities d were empty when used[d] = 0
 * (mu1nu1's summed density is formed here): its spectrum to its row of out, or into the average.
 */
function emitCentreF32(c: i32, coef: usize, used: usize, blocks: usize, out: usize, nFeatures: i32): void {
  // Densities without neighbours: their power-spectrum blocks are zero.
  let allEmpty = 1;
  for (let d = 0; d < cSlotDensities; d++) {
    const e = ldi(used, d) == 0 ? 1 : 0;
    sti(wEmpty, d, e);
    allEmpty &= e;
  }
  if (cSumDensity >= 0) {
    expansionSumDensitiesF32(cSumDensity, coef);
    sti(wEmpty, cSumDensity, allEmpty);
  }
  if (cAverage == AVERAGE_INNER) {
    // Σ_i c_i in f64 (two f32 lanes promoted at a time).
    const coefCount = <usize>(cCoefDensities * cNLM * cNMaxP);
    for (let i: usize = 0; i < coefCount; i += 2) {
      const s = wCoefSum + (i << 3);
      v128.store(s, f64x2.add(v128.load(s), f64x2.promote_low_f32x4(v128.load64_zero(coef + (i << 2)))));
    }
  } else if (cAverage == AVERAGE_OUTER) {
    powerSpectrumF32(cNMax, cNMaxP, cLMax, cBlocks, blocks, wEmpty, coef, wRow);
    for (let f = 0; f < nFeatures; f++) {
      const s = wRowSum + (<usize>f << 3);
      store<f64>(s, load<f64>(s) + <f64>load<f32>(wRow + (<usize>f << 2)));
    }
  } else {
    powerSpectrumF32(cNMax, cNMaxP, cLMax, cBlocks, blocks, wEmpty, coef, out + <usize>c * (<usize>nFeatures << 2));
  }
}

/** After the centres: the averaged row, rounded to f32 ('inner': spectrum of c̄; 'outer': mean of the spectra). */
function finishAverageF32(nCenters: i32, blocks: usize, out: usize, nFeatures: i32): void {
  if (cAverage == 0) return;
  if (nCenters == 0) {
    memory.fill(out, 0, <usize>nFeatures << 2);
    return;
  }
  const inv = 1.0 / <f64>nCenters;
  if (cAverage == AVERAGE_INNER) {
    // c̄ rounded once to f32 (into wCoef), then its spectrum.
    const coefCount = <usize>(cCoefDensities * cNLM * cNMaxP);
    for (let i: usize = 0; i < coefCount; i++) store<f32>(wCoef + (i << 2), <f32>(load<f64>(wCoefSum + (i << 3)) * inv));
    powerSpectrumF32(cNMax, cNMaxP, cLMax, cBlocks, blocks, wNoneEmpty, wCoef, out);
  } else {
    for (let f = 0; f < nFeatures; f++) store<f32>(out + (<usize>f << 2), <f32>(load<f64>(wRowSum + (<usize>f << 3)) * inv));
  }
}

/**
 * SOAP power spectra of nCenters centres in float32: the arguments of soapCompute
 * (assembly/soap/soap.ts) with table = the f32 radial table (n_maxP a multiple of 4, in
 * ints[1]), out = f32[nCenters·nFeatures] (f32[nFeatures] when averaged) and
 * work = soapWorkSizeF32(kMax, ints, nFeatures) bytes.
 */
export function soapComputeF32(
  nCenters: i32, centerAtom: usize, offsets: usize, index: usize, disp: usize,
  density: usize, atomWeight: usize, ints: usize, floats: usize, table: usize, blocks: usize,
  out: usize, nFeatures: i32, kMax: i32, work: usize,
): void {
  planWorkF32(work, kMax, ints, nFeatures);
  configureF32(ints, floats, table);
  startAverageF32(nFeatures);
  for (let c = 0; c < nCenters; c++) {
    expansionSlotsF32(
      ldi(offsets, c), ldi(offsets, c + 1), ldi(centerAtom, c), index, disp, density, atomWeight, cWp, cTrivial,
      wKw, wCursor, wSlotStart, wY, wRadial,
    );
    expansionAccumulateF32(cSlotDensities, wSlotStart, wY, wRadial, wCoef);
    // Slot counts per density (into wCursor, free after the slots are filled).
    for (let d = 0; d < cSlotDensities; d++) sti(wCursor, d, ldi(wSlotStart, d + 1) - ldi(wSlotStart, d));
    emitCentreF32(c, wCoef, wCursor, blocks, out, nFeatures);
  }
  finishAverageF32(nCenters, blocks, out, nFeatures);
}

/** Bytes of `pairWork` {@link soapComputeAllAtomsF32} needs (tile: atoms per tile). */
export function soapPairWorkSizeF32(nAtoms: i32, kMax: i32, ints: usize, nSpecies: i32, tile: i32): usize {
  planPairWork(0, nAtoms, kMax, ints, nSpecies, tile, 2, pairRecordBytesF32(ldi(ints, CI_N_MAX_P), ldi(ints, CI_L_MAX)));
  // Measured from 0; from a 16-byte-aligned `pairWork` the records' cache-line alignment (pRec)
  // can take up to 48 bytes more.
  return pEnd + 64;
}

/**
 * {@link soapComputeF32} when the centres are the atoms in order, from the pairs of the list
 * (assembly/soap/pairExpansionF32.ts); arguments and declining (returns 0, `out` untouched) as
 * soapComputeAllAtoms of soap.ts, with pairWork = soapPairWorkSizeF32 bytes.
 */
export function soapComputeAllAtomsF32(
  nCenters: i32, centerAtom: usize, offsets: usize, index: usize, disp: usize,
  density: usize, atomWeight: usize, ints: usize, floats: usize, table: usize, blocks: usize,
  out: usize, nFeatures: i32, kMax: i32, work: usize,
  atomSpecies: usize, nSpecies: i32, tile: i32, pairWork: usize, halfList: i32,
): i32 {
  const half = halfList != 0;
  const nAtoms = nCenters;
  const recordBytes = pairRecordBytesF32(ldi(ints, CI_N_MAX_P), ldi(ints, CI_L_MAX));
  if (!planPairPath(pairWork, nCenters, centerAtom, kMax, ints, nSpecies, tile, 2, recordBytes, offsets, index, disp, half)) return 0;
  planWorkF32(work, kMax, ints, nFeatures);
  configureF32(ints, floats, table);
  setPairShapeF32(cNMaxP, cLMax, table, ldi(ints, CI_INTERVALS), ldf(floats, CF_H), ldf(floats, CF_INV_H), ldf(floats, CF_R_MAX), wShCoef32);
  const densityBytes = <usize>(cNLM * cNMaxP) << 2;
  const coefBytes = <usize>cCoefDensities * densityBytes;
  startPairPath(nAtoms, nSpecies, atomSpecies, density, atomWeight, coefBytes, cSlotDensities);
  selfRadialF32(pSelf);
  const w0 = cTrivial ? 1.0 : radialWeight(cWp, 0.0);
  for (let a = 0; a < nAtoms; a++) {
    const w = ldf(atomWeight, a) * w0;
    if (w == 0.0) continue;
    const d = ldi(density, a);
    const u = a * cSlotDensities + d;
    sti(pUsed, u, ldi(pUsed, u) + 1);
    addSelfF32(pCoefAll + <usize>a * coefBytes + <usize>d * densityBytes, w, pSelf);
  }
  // Tiles of one species each (pairWork.ts speciesOrder, tileEnd).
  const listed = speciesOrder(nAtoms, nSpecies, atomSpecies, pTileAtoms);
  for (let a0 = 0; a0 < listed;) {
    const a1 = tileEnd(a0, listed, pTileAtoms, atomSpecies, tile);
    addTilePairF32(
      pTileAtoms + (<usize>a0 << 2), a1 - a0, half, offsets, index, disp, atomSpecies, nSpecies, cWp, cTrivial,
      pSpDensity, pSpWeight, pCoefAll, coefBytes, pUsed, cSlotDensities,
      pRec, pRecI, pRecIL, pRecJ, pListF, pListR, pStartF, pStartR, pRecR, pOrder, pBuckets, pLocalOf, pTargets, pRecJL,
    );
    a0 = a1;
  }
  startAverageF32(nFeatures);
  for (let c = 0; c < nCenters; c++) {
    emitCentreF32(c, pCoefAll + <usize>c * coefBytes, pUsed + (<usize>(c * cSlotDensities) << 2), blocks, out, nFeatures);
  }
  finishAverageF32(nCenters, blocks, out, nFeatures);
  return 1;
}
