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
import { weightIsTrivial } from './weighting';

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
let wGram: usize = 0;
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
  wGram = p; p = align16(p + (<usize>(nMaxP * nMaxP) << 2));
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
export function soapComputeF32(
  nCenters: i32, centerAtom: usize, offsets: usize, index: usize, disp: usize,
  density: usize, atomWeight: usize, ints: usize, floats: usize, table: usize, blocks: usize,
  out: usize, nFeatures: i32, kMax: i32, work: usize,
): void {
  planWorkF32(work, kMax, ints, nFeatures);
  const nMax = ldi(ints, CI_N_MAX), nMaxP = ldi(ints, CI_N_MAX_P), lMax = ldi(ints, CI_L_MAX);
  const nLM = (lMax + 1) * (lMax + 1);
  const slotDensities = ldi(ints, CI_SLOT_DENSITIES), coefDensities = ldi(ints, CI_COEF_DENSITIES);
  const sumDensity = ldi(ints, CI_SUM_DENSITY), nBlocks = ldi(ints, CI_BLOCKS), average = ldi(ints, CI_AVERAGE);
  setExpansionShapeF32(
    nMaxP, lMax, slotDensities, table, ldi(ints, CI_INTERVALS), ldf(floats, CF_H), ldf(floats, CF_INV_H),
    ldf(floats, CF_R_MAX), wShCoef32,
  );
  shCoefficients(lMax, wShCoef);
  shCoefficientsF32(lMax, wShCoef, wShCoef32);
  const wp = floats + (<usize>CF_WEIGHTING << 3);
  const trivial = weightIsTrivial(wp);
  const coefCount = <usize>(coefDensities * nLM * nMaxP);
  const featureBytes = <usize>nFeatures << 2;
  memory.fill(wNoneEmpty, 0, <usize>coefDensities << 2);
  if (average == AVERAGE_INNER) memory.fill(wCoefSum, 0, coefCount << 3);
  if (average == AVERAGE_OUTER) memory.fill(wRowSum, 0, <usize>nFeatures << 3);
  for (let c = 0; c < nCenters; c++) {
    expansionSlotsF32(
      ldi(offsets, c), ldi(offsets, c + 1), ldi(centerAtom, c), index, disp, density, atomWeight, wp, trivial,
      wKw, wCursor, wSlotStart, wY, wRadial,
    );
    expansionAccumulateF32(slotDensities, wSlotStart, wY, wRadial, wCoef);
    // Densities without neighbours: their power-spectrum blocks are zero.
    let allEmpty = 1;
    for (let d = 0; d < slotDensities; d++) {
      const e = ldi(wSlotStart, d + 1) == ldi(wSlotStart, d) ? 1 : 0;
      sti(wEmpty, d, e);
      allEmpty &= e;
    }
    if (sumDensity >= 0) {
      expansionSumDensitiesF32(sumDensity, wCoef);
      sti(wEmpty, sumDensity, allEmpty);
    }
    if (average == AVERAGE_INNER) {
      // Σ_i c_i in f64 (two f32 lanes promoted at a time).
      for (let i: usize = 0; i < coefCount; i += 2) {
        const s = wCoefSum + (i << 3);
        v128.store(s, f64x2.add(v128.load(s), f64x2.promote_low_f32x4(v128.load64_zero(wCoef + (i << 2)))));
      }
    } else if (average == AVERAGE_OUTER) {
      powerSpectrumF32(nMax, nMaxP, lMax, nBlocks, blocks, wEmpty, wCoef, wGram, wRow);
      for (let f = 0; f < nFeatures; f++) {
        const s = wRowSum + (<usize>f << 3);
        store<f64>(s, load<f64>(s) + <f64>load<f32>(wRow + (<usize>f << 2)));
      }
    } else {
      powerSpectrumF32(nMax, nMaxP, lMax, nBlocks, blocks, wEmpty, wCoef, wGram, out + <usize>c * featureBytes);
    }
  }
  if (average == 0) return;
  if (nCenters == 0) {
    memory.fill(out, 0, featureBytes);
    return;
  }
  const inv = 1.0 / <f64>nCenters;
  if (average == AVERAGE_INNER) {
    // c̄ rounded once to f32 (into wCoef), then its spectrum.
    for (let i: usize = 0; i < coefCount; i++) store<f32>(wCoef + (i << 2), <f32>(load<f64>(wCoefSum + (i << 3)) * inv));
    powerSpectrumF32(nMax, nMaxP, lMax, nBlocks, blocks, wNoneEmpty, wCoef, wGram, out);
  } else {
    for (let f = 0; f < nFeatures; f++) store<f32>(out + (<usize>f << 2), <f32>(load<f64>(wRowSum + (<usize>f << 3)) * inv));
  }
}
