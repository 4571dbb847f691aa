// SOAP values for a list of centres: spherical expansion (assembly/soap/sphericalExpansion.ts),
// then the power spectrum (assembly/soap/powerSpectrum.ts), with DScribe's averaging:
//   'off'   one spectrum per centre;
//   'inner' spectrum of the mean coefficients c̄ = (1/N) Σ_i c_i;
//   'outer' mean of the per-centre spectra.
// Neighbour lists come from assembly/neighbors/cellList.ts with cutoff r_cut + δ.
import { ldf, ldi, sti } from '../memory';
import { expansionAccumulate, expansionSlots, expansionSumDensities, setExpansionShape } from './sphericalExpansion';
import { powerSpectrum } from './powerSpectrum';
import { shCoefficients } from './sphericalHarmonics';
import { weightIsTrivial } from './weighting';

// Slots of the i32 configuration.
const CI_N_MAX = 0;
const CI_N_MAX_P = 1;
const CI_L_MAX = 2;
const CI_SLOT_DENSITIES = 3; // densities neighbours go to (species, or 1 for mu2)
const CI_COEF_DENSITIES = 4; // plus mu1nu1's summed density
const CI_SUM_DENSITY = 5; // index of the summed density, or −1
const CI_INTERVALS = 6; // radial table intervals K
const CI_BLOCKS = 7; // power-spectrum blocks
const CI_AVERAGE = 8; // 0 off, 1 inner, 2 outer
// Slots of the f64 configuration; the weighting parameters (assembly/soap/weighting.ts) follow.
const CF_H = 0;
const CF_INV_H = 1;
const CF_R_MAX = 2;
const CF_WEIGHTING = 3;

const AVERAGE_INNER = 1;
const AVERAGE_OUTER = 2;

@inline function align16(n: usize): usize {
  return (n + 15) & ~(<usize>15);
}

// Byte offsets of the scratch arrays inside `work` (set by planWork; see soapWorkSize).
let wShCoef: usize = 0;
let wKw: usize = 0;
let wCursor: usize = 0;
let wSlotStart: usize = 0;
let wY: usize = 0;
let wRadial: usize = 0;
let wCoef: usize = 0;
let wCoefSum: usize = 0;
let wGram: usize = 0;
let wEmpty: usize = 0;
let wNoneEmpty: usize = 0;
let wRow: usize = 0;
let wEnd: usize = 0;

function planWork(work: usize, kMax: i32, ints: usize, nFeatures: i32): void {
  const nMaxP = ldi(ints, CI_N_MAX_P), lMax = ldi(ints, CI_L_MAX);
  const nLM = (lMax + 1) * (lMax + 1);
  const slots = <usize>(kMax + 1);
  const coefBytes = <usize>(ldi(ints, CI_COEF_DENSITIES) * nLM * nMaxP) << 3;
  let p = align16(work);
  wShCoef = p; p = align16(p + (<usize>((lMax + 1) * (lMax + 2)) << 3));
  wKw = p; p = align16(p + (slots << 3));
  wCursor = p; p = align16(p + (<usize>ldi(ints, CI_SLOT_DENSITIES) << 2));
  wSlotStart = p; p = align16(p + (<usize>(ldi(ints, CI_SLOT_DENSITIES) + 1) << 2));
  wY = p; p = align16(p + ((slots * <usize>nLM) << 3));
  wRadial = p; p = align16(p + ((slots * <usize>((lMax + 1) * nMaxP)) << 3));
  wCoef = p; p = align16(p + coefBytes);
  wCoefSum = p; p = align16(p + coefBytes);
  wGram = p; p = align16(p + (<usize>(nMaxP * nMaxP) << 3));
  wEmpty = p; p = align16(p + (<usize>ldi(ints, CI_COEF_DENSITIES) << 2));
  wNoneEmpty = p; p = align16(p + (<usize>ldi(ints, CI_COEF_DENSITIES) << 2));
  wRow = p; p = align16(p + (<usize>nFeatures << 3));
  wEnd = p;
}

/** Bytes of scratch {@link soapCompute} needs for at most kMax neighbours per centre. */
export function soapWorkSize(kMax: i32, ints: usize, nFeatures: i32): usize {
  planWork(0, kMax, ints, nFeatures);
  return wEnd + 16;
}

/**
 * SOAP power spectra of nCenters centres.
 *
 * centerAtom i32[nCenters] (atom under each centre, −1 for a point), offsets/index/disp: the
 * neighbour list within r_cut + δ (the centre atom itself at zero shift excluded; it is added here
 * at r = 0). density i32[nAtoms]: density of each atom; atomWeight f64[nAtoms]: its species
 * weight. ints/floats: configuration (slots above). table: radial-integral table (padded
 * channels). blocks: power-spectrum blocks. out: f64[nCenters·nFeatures], or f64[nFeatures] when
 * averaged. work: soapWorkSize(kMax, ...) bytes, kMax ≥ the largest neighbour count.
 */
export function soapCompute(
  nCenters: i32, centerAtom: usize, offsets: usize, index: usize, disp: usize,
  density: usize, atomWeight: usize, ints: usize, floats: usize, table: usize, blocks: usize,
  out: usize, nFeatures: i32, kMax: i32, work: usize,
): void {
  planWork(work, kMax, ints, nFeatures);
  const nMax = ldi(ints, CI_N_MAX), nMaxP = ldi(ints, CI_N_MAX_P), lMax = ldi(ints, CI_L_MAX);
  const nLM = (lMax + 1) * (lMax + 1);
  const slotDensities = ldi(ints, CI_SLOT_DENSITIES);
  setExpansionShape(
    nMaxP, lMax, slotDensities, table, ldi(ints, CI_INTERVALS), ldf(floats, CF_H), ldf(floats, CF_INV_H),
    ldf(floats, CF_R_MAX), wShCoef,
  );
  shCoefficients(lMax, wShCoef);
  const wp = floats + (<usize>CF_WEIGHTING << 3);
  const trivial = weightIsTrivial(wp);
  const sumDensity = ldi(ints, CI_SUM_DENSITY);
  const nBlocks = ldi(ints, CI_BLOCKS);
  const average = ldi(ints, CI_AVERAGE);
  const coefBytes = <usize>(ldi(ints, CI_COEF_DENSITIES) * nLM * nMaxP) << 3;
  const featureBytes = <usize>nFeatures << 3;

  const nCoefDensities = ldi(ints, CI_COEF_DENSITIES);
  memory.fill(wNoneEmpty, 0, <usize>nCoefDensities << 2);
  if (average != 0) {
    memory.fill(wCoefSum, 0, coefBytes);
    memory.fill(out, 0, featureBytes);
  }
  for (let c = 0; c < nCenters; c++) {
    expansionSlots(
      ldi(offsets, c), ldi(offsets, c + 1), ldi(centerAtom, c), index, disp, density, atomWeight, wp, trivial,
      wKw, wCursor, wSlotStart, wY, wRadial,
    );
    expansionAccumulate(slotDensities, wSlotStart, wY, wRadial, wCoef);
    // Densities without neighbours: their power-spectrum blocks are zero.
    let allEmpty = 1;
    for (let d = 0; d < slotDensities; d++) {
      const e = ldi(wSlotStart, d + 1) == ldi(wSlotStart, d) ? 1 : 0;
      sti(wEmpty, d, e);
      allEmpty &= e;
    }
    if (sumDensity >= 0) {
      expansionSumDensities(sumDensity, wCoef);
      sti(wEmpty, sumDensity, allEmpty);
    }
    if (average == AVERAGE_INNER) {
      for (let o: usize = 0; o < coefBytes; o += 16) {
        v128.store(wCoefSum + o, f64x2.add(v128.load(wCoefSum + o), v128.load(wCoef + o)));
      }
    } else if (average == AVERAGE_OUTER) {
      powerSpectrum(nMax, nMaxP, lMax, nBlocks, blocks, wEmpty, wCoef, wGram, wRow);
      for (let f = 0; f < nFeatures; f++) {
        store<f64>(out + (<usize>f << 3), load<f64>(out + (<usize>f << 3)) + load<f64>(wRow + (<usize>f << 3)));
      }
    } else {
      powerSpectrum(nMax, nMaxP, lMax, nBlocks, blocks, wEmpty, wCoef, wGram, out + <usize>c * featureBytes);
    }
  }
  if (nCenters == 0) return;
  const inv = 1.0 / <f64>nCenters;
  if (average == AVERAGE_INNER) {
    for (let o: usize = 0; o < coefBytes; o += 8) store<f64>(wCoefSum + o, load<f64>(wCoefSum + o) * inv);
    powerSpectrum(nMax, nMaxP, lMax, nBlocks, blocks, wNoneEmpty, wCoefSum, wGram, out);
  } else if (average == AVERAGE_OUTER) {
    for (let f = 0; f < nFeatures; f++) store<f64>(out + (<usize>f << 3), load<f64>(out + (<usize>f << 3)) * inv);
  }
}
