// SOAP values for a list of centres: spherical expansion (assembly/soap/sphericalExpansion.ts),
// then the power spectrum (assembly/soap/powerSpectrum.ts), with DScribe's averaging:
//   'off'   one spectrum per centre;
//   'inner' spectrum of the mean coefficients c̄ = (1/N) Σ_i c_i;
//   'outer' mean of the per-centre spectra.
// and, in soapGradients, the derivatives with respect to atom positions
// (assembly/soap/powerSpectrumGradient.ts), written straight into the caller's row layout;
// soapBackward / soapBackwardAllAtoms: the backward pass (assembly/soap/backward.ts), the latter
// on the pair path's half list when every atom is a centre.
// Neighbour lists come from assembly/neighbors/cellList.ts with cutoff r_cut + δ.
import {
  AVERAGE_INNER, AVERAGE_OUTER, CF_H, CF_INV_H, CF_R_MAX, CF_WEIGHTING, CI_AVERAGE, CI_BLOCKS,
  CI_COEF_DENSITIES, CI_INTERVALS, CI_L_MAX, CI_N_MAX, CI_N_MAX_P, CI_SLOT_DENSITIES,
  CI_SUM_DENSITY, align16,
} from './config';
import { ldf, ldi, stf, sti } from '../memory';
import { contractSlot, spectrumGradientSlot } from './powerSpectrumGradient';
import { coefficientGradient, pairBackward, slotBackward } from './backward';
import { expansionAccumulate, expansionSlots, expansionSumDensities, setExpansionShape } from './sphericalExpansion';
import { powerSpectrum } from './powerSpectrum';
import { shCoefficients } from './sphericalHarmonics';
import { radialWeight, radialWeightDerivative, weightIsTrivial } from './weighting';
import { addTilePair, pairRecordBytes, setPairShape } from './pairExpansion';
import {
  planPairWork, pCoefAll, pUsed, pRec, pRecI, pRecJ, pListF, pListR, pStartF, pStartR, pLocalOf, pTargets, pRecJL, pRecR, pOrder, pBuckets, pSpDensity, pSpWeight, pSelf, pEnd, pRecIL, pTileAtoms, speciesOrder, tileEnd, planPairPath, startPairPath,
  pTileOrder, pLastTile, pDoneStart, pDoneAtoms, pSlotOf, pFreeSlots, tilesInAtomOrder, tilesInListOrder, completionSteps,
  pTally, slotsInFlight, mostDoneInOneStep, setCoefAll,
} from './pairWork';
import { radialPowerEvaluate, radialPowerWeightedRows, radialTableBytes } from './radialTable';
import { shValuesAndGradientsAt, shValuesAndGradientsPairAt } from './sphericalHarmonics';

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
// Gradient mode only.
let wYPlain: usize = 0;
let wDY: usize = 0;
let wDRadial: usize = 0;
let wGeom: usize = 0;
let wSlotEntry: usize = 0;
let wST: usize = 0;
let wWI: usize = 0;
let wJ: usize = 0;
let wCBar: usize = 0;
let wCBarMean: usize = 0;
let wG: usize = 0;
let wEnd: usize = 0;

function planWork(work: usize, kMax: i32, ints: usize, nFeatures: i32, grad: bool): void {
  const nMaxP = ldi(ints, CI_N_MAX_P), lMax = ldi(ints, CI_L_MAX);
  const nLM = <usize>((lMax + 1) * (lMax + 1));
  const channels = <usize>((lMax + 1) * nMaxP);
  const slots = <usize>(kMax + 1);
  const nCoef = <usize>ldi(ints, CI_COEF_DENSITIES);
  const coefBytes = (nCoef * nLM * <usize>nMaxP) << 3;
  let p = align16(work);
  wShCoef = p; p = align16(p + (<usize>((lMax + 1) * (lMax + 2)) << 3));
  wKw = p; p = align16(p + (slots << 3));
  wCursor = p; p = align16(p + (<usize>ldi(ints, CI_SLOT_DENSITIES) << 2));
  wSlotStart = p; p = align16(p + (<usize>(ldi(ints, CI_SLOT_DENSITIES) + 1) << 2));
  wY = p; p = align16(p + ((slots * nLM) << 3));
  wRadial = p; p = align16(p + ((slots * channels) << 3));
  wCoef = p; p = align16(p + coefBytes);
  wCoefSum = p; p = align16(p + coefBytes);
  wGram = p; p = align16(p + (<usize>(2 * nMaxP * nMaxP) << 3)); // coefficientGradient: G and Gᵀ
  wEmpty = p; p = align16(p + (nCoef << 2));
  wNoneEmpty = p; p = align16(p + (nCoef << 2));
  wRow = p; p = align16(p + (<usize>nFeatures << 3));
  if (grad) {
    wYPlain = p; p = align16(p + ((slots * nLM) << 3));
    wDY = p; p = align16(p + ((3 * slots * nLM) << 3));
    wDRadial = p; p = align16(p + ((slots * channels) << 3));
    wGeom = p; p = align16(p + ((6 * slots) << 3));
    wSlotEntry = p; p = align16(p + (slots << 2));
    wST = p; p = align16(p + ((4 * nCoef * channels) << 3));
    wWI = p; p = align16(p + (channels << 3));
    wJ = p; p = align16(p + (channels << 3));
    wCBar = p; p = align16(p + coefBytes);
    wCBarMean = p; p = align16(p + coefBytes);
    wG = p; p = align16(p + 32);
  }
  wEnd = p;
}

/** Bytes of `pairWork` {@link soapComputeAllAtomsStart} needs: soapPairWorkSize's without the coefficient blocks. */
export function soapPairWorkSizeStreamed(nAtoms: i32, kMax: i32, ints: usize, nSpecies: i32, tile: i32): usize {
  planPairWork(0, nAtoms, kMax, ints, nSpecies, tile, 3, pairRecordBytes(ldi(ints, CI_N_MAX_P), ldi(ints, CI_L_MAX)), 0);
  return pEnd + 64;
}

/** Bytes of `pairWork` {@link soapComputeAllAtoms} needs (tile: atoms per tile). */
export function soapPairWorkSize(nAtoms: i32, kMax: i32, ints: usize, nSpecies: i32, tile: i32): usize {
  planPairWork(0, nAtoms, kMax, ints, nSpecies, tile, 3, pairRecordBytes(ldi(ints, CI_N_MAX_P), ldi(ints, CI_L_MAX)));
  // Measured from 0; from a 16-byte-aligned `pairWork` the records' cache-line alignment (pRec)
  // can take up to 48 bytes more.
  return pEnd + 64;
}

/** Bytes of scratch {@link soapCompute} (grad 0) or {@link soapGradients} (grad 1) needs for at most kMax neighbours per centre. */
export function soapWorkSize(kMax: i32, ints: usize, nFeatures: i32, grad: i32): usize {
  planWork(0, kMax, ints, nFeatures, grad != 0);
  return wEnd + 16;
}

// Per-call configuration shared by the functions below (set by configure).
let cNMax = 0, cNMaxP = 0, cLMax = 0, cNLM = 0, cSlotDensities = 0, cCoefDensities = 0;
let cSumDensity = -1, cBlocks = 0, cAverage = 0;
let cTrivial = false;
let cWp: usize = 0;

function configure(ints: usize, floats: usize, table: usize): void {
  cNMax = ldi(ints, CI_N_MAX);
  cNMaxP = ldi(ints, CI_N_MAX_P);
  cLMax = ldi(ints, CI_L_MAX);
  cNLM = (cLMax + 1) * (cLMax + 1);
  cSlotDensities = ldi(ints, CI_SLOT_DENSITIES);
  cCoefDensities = ldi(ints, CI_COEF_DENSITIES);
  cSumDensity = ldi(ints, CI_SUM_DENSITY);
  cBlocks = ldi(ints, CI_BLOCKS);
  cAverage = ldi(ints, CI_AVERAGE);
  setExpansionShape(
    cNMaxP, cLMax, cSlotDensities, table, ldi(ints, CI_INTERVALS), ldf(floats, CF_H), ldf(floats, CF_INV_H),
    ldf(floats, CF_R_MAX), wShCoef,
  );
  shCoefficients(cLMax, wShCoef);
  cWp = floats + (<usize>CF_WEIGHTING << 3);
  cTrivial = weightIsTrivial(cWp);
}

/**
 * Slots and coefficients of centre c into wCoef (with mu1nu1's summed density) and the
 * empty-density flags into wEmpty. Returns the number of slots.
 */
function centreExpansion(
  c: i32, centerAtom: usize, offsets: usize, index: usize, disp: usize, density: usize, atomWeight: usize, grad: bool,
): i32 {
  const nSlots = expansionSlots(
    ldi(offsets, c), ldi(offsets, c + 1), ldi(centerAtom, c), index, disp, density, atomWeight, cWp, cTrivial,
    wKw, wCursor, wSlotStart, wY, wRadial, grad, wYPlain, wDY, wDRadial, wGeom, wSlotEntry,
  );
  expansionAccumulate(cSlotDensities, wSlotStart, wY, wRadial, wCoef);
  // Densities without neighbours: their power-spectrum blocks are zero.
  let allEmpty = 1;
  for (let d = 0; d < cSlotDensities; d++) {
    const e = ldi(wSlotStart, d + 1) == ldi(wSlotStart, d) ? 1 : 0;
    sti(wEmpty, d, e);
    allEmpty &= e;
  }
  if (cSumDensity >= 0) {
    expansionSumDensities(cSumDensity, wCoef);
    sti(wEmpty, cSumDensity, allEmpty);
  }
  return nSlots;
}

@inline function addInto(dst: usize, src: usize, bytes: usize): void {
  for (let o: usize = 0; o < bytes; o += 16) v128.store(dst + o, f64x2.add(v128.load(dst + o), v128.load(src + o)));
}

@inline function scaleInPlace(dst: usize, bytes: usize, factor: f64): void {
  const f = f64x2.splat(factor);
  for (let o: usize = 0; o < bytes; o += 16) v128.store(dst + o, f64x2.mul(v128.load(dst + o), f));
}

/**
 * The radial rows of a slot for its gradient: wI = w·I (w·I'(0) at r = 0, with the limit dY of
 * expansionSlots) and J = w'·I + w·I'. Returns the slot's geometry row.
 */
function slotRadialRows(slot: i32, channels: i32): usize {
  const g = wGeom + (<usize>(6 * slot) << 3);
  const w = ldf(g, 3), dw = ldf(g, 4), atCentre = ldf(g, 5) != 0.0;
  const rRow = wRadial + (<usize>(slot * channels) << 3);
  const dRow = wDRadial + (<usize>(slot * channels) << 3);
  for (let k = 0; k < channels; k++) {
    const i = ldf(rRow, k), di = ldf(dRow, k);
    stf(wWI, k, atCentre ? w * di : w * i);
    stf(wJ, k, dw * i + w * di);
  }
  return g;
}

/** Power spectrum of wCoef (empty flags `empty`) to out. */
@inline function spectrumOf(coef: usize, empty: usize, blocks: usize, out: usize): void {
  powerSpectrum(cNMax, cNMaxP, cLMax, cBlocks, blocks, empty, coef, out);
}

/**
 * SOAP power spectra of nCenters centres.
 *
 * centerAtom i32[nCenters] (atom under each centre, −1 for a point), offsets/index/disp: the
 * neighbour list within r_cut + δ (the centre atom itself at zero shift excluded; it is added here
 * at r = 0). density i32[nAtoms]: density of each atom; atomWeight f64[nAtoms]: its species
 * weight. ints/floats: configuration (slots above). table: radial-integral table (padded
 * channels). blocks: power-spectrum blocks. out: f64[nCenters·nFeatures], or f64[nFeatures] when
 * averaged (nFeatures a multiple of 2 or not: the averaging loops use whole f64x2 only over the
 * coefficient arrays). work: soapWorkSize(kMax, ..., 0) bytes, kMax ≥ the largest neighbour count.
 */
export function soapCompute(
  nCenters: i32, centerAtom: usize, offsets: usize, index: usize, disp: usize,
  density: usize, atomWeight: usize, ints: usize, floats: usize, table: usize, blocks: usize,
  out: usize, nFeatures: i32, kMax: i32, work: usize,
): void {
  planWork(work, kMax, ints, nFeatures, false);
  configure(ints, floats, table);
  startAverage(out, nFeatures);
  for (let c = 0; c < nCenters; c++) {
    centreExpansion(c, centerAtom, offsets, index, disp, density, atomWeight, false);
    emitCentre(c, wCoef, blocks, out, nFeatures);
  }
  finishAverage(nCenters, blocks, out, nFeatures);
}

/** Before the centres: zeroes the sums of the averaged modes. */
function startAverage(out: usize, nFeatures: i32): void {
  memory.fill(wNoneEmpty, 0, <usize>cCoefDensities << 2);
  if (cAverage != 0) {
    memory.fill(wCoefSum, 0, <usize>(cCoefDensities * cNLM * cNMaxP) << 3);
    memory.fill(out, 0, <usize>nFeatures << 3);
  }
}

/** Centre c's coefficients (empty flags in wEmpty): its spectrum to its row of out, or into the average. */
function emitCentre(c: i32, coef: usize, blocks: usize, out: usize, nFeatures: i32): void {
  if (cAverage == AVERAGE_INNER) {
    addInto(wCoefSum, coef, <usize>(cCoefDensities * cNLM * cNMaxP) << 3);
  } else if (cAverage == AVERAGE_OUTER) {
    spectrumOf(coef, wEmpty, blocks, wRow);
    for (let f = 0; f < nFeatures; f++) {
      store<f64>(out + (<usize>f << 3), load<f64>(out + (<usize>f << 3)) + load<f64>(wRow + (<usize>f << 3)));
    }
  } else {
    spectrumOf(coef, wEmpty, blocks, out + <usize>c * (<usize>nFeatures << 3));
  }
}

/** After the centres: the averaged row ('inner': spectrum of c̄; 'outer': mean of the spectra). */
function finishAverage(nCenters: i32, blocks: usize, out: usize, nFeatures: i32): void {
  if (nCenters == 0) return;
  const inv = 1.0 / <f64>nCenters;
  if (cAverage == AVERAGE_INNER) {
    scaleInPlace(wCoefSum, <usize>(cCoefDensities * cNLM * cNMaxP) << 3, inv);
    spectrumOf(wCoefSum, wNoneEmpty, blocks, out);
  } else if (cAverage == AVERAGE_OUTER) {
    for (let f = 0; f < nFeatures; f++) store<f64>(out + (<usize>f << 3), load<f64>(out + (<usize>f << 3)) * inv);
  }
}

/**
 * Derivatives of the SOAP values with respect to atom positions, for centres cStart..cEnd−1
 * (values: {@link soapCompute}). rowOfEntry i32[nPairs]: output row of each neighbour-list entry (its atom, in the caller's dense
 * or sparse layout); rowOfCenter i32[nCenters]: row of the centre's own atom when it moves with
 * the centre (attach), else −1; rowOfSelf i32[nCenters]: row of the centre's own atom whatever
 * attach is (−1 for a point centre). Rows rowBase .. rowBase + nRows − 1 must hold every row
 * the chosen centres touch; they go to grad[row − rowBase]. grad: f64[nRows][3][nFeatures], overwritten (rows no centre touches
 * are zeros); written: u8[nRows] scratch. With averaging the
 * rows belong to the single averaged centre and every contribution is scaled by 1/N; 'inner'
 * contracts with the mean coefficients c̄ (two passes over the centres).
 * work: soapWorkSize(kMax, ..., 1) bytes.
 */
export function soapGradients(
  nCenters: i32, centerAtom: usize, offsets: usize, index: usize, disp: usize,
  density: usize, atomWeight: usize, ints: usize, floats: usize, table: usize, blocks: usize,
  out: usize, nFeatures: i32, kMax: i32, work: usize,
  cStart: i32, cEnd: i32, rowOfEntry: usize, rowOfCenter: usize, rowOfSelf: usize, rowBase: i32, nRows: i32, grad: usize,
  written: usize,
): void {
  const rowBytes = <usize>(3 * nFeatures) << 3;
  // Rows are stored on their first write and added to afterwards (written[r] ≠ 0), so the
  // chunk is not zero-filled and its zeros never read; rows no slot wrote are zeroed at the end.
  memory.fill(written, 0, <usize>nRows);
  if (nCenters > 0) gradientRows(
    nCenters, centerAtom, offsets, index, disp, density, atomWeight, ints, floats, table, blocks, out, nFeatures, kMax, work,
    cStart, cEnd, rowOfEntry, rowOfCenter, rowOfSelf, rowBase, grad, written,
  );
  for (let r = 0; r < nRows; r++) {
    if (load<u8>(written + <usize>r) == 0) memory.fill(grad + <usize>r * rowBytes, 0, rowBytes);
  }
}

/** The centres' contributions to the rows of soapGradients (arguments as there). */
function gradientRows(
  nCenters: i32, centerAtom: usize, offsets: usize, index: usize, disp: usize,
  density: usize, atomWeight: usize, ints: usize, floats: usize, table: usize, blocks: usize,
  out: usize, nFeatures: i32, kMax: i32, work: usize,
  cStart: i32, cEnd: i32, rowOfEntry: usize, rowOfCenter: usize, rowOfSelf: usize, rowBase: i32, grad: usize,
  written: usize,
): void {
  const rowBytes = <usize>(3 * nFeatures) << 3;
  planWork(work, kMax, ints, nFeatures, false);
  configure(ints, floats, table);
  // 'inner' contracts with c̄, which needs every centre (soapCompute leaves it in wCoefSum).
  if (cAverage == AVERAGE_INNER) {
    soapCompute(nCenters, centerAtom, offsets, index, disp, density, atomWeight, ints, floats, table, blocks, out, nFeatures, kMax, work);
  }
  planWork(work, kMax, ints, nFeatures, true);
  configure(ints, floats, table);
  const channels = (cLMax + 1) * cNMaxP;
  const scale = cAverage == 0 ? 1.0 : 1.0 / <f64>nCenters;
  // For 'inner', soapCompute left c̄ in wCoefSum, which planWork(…, true) keeps at the same offset.
  for (let c = cStart; c < cEnd; c++) {
    centreExpansion(c, centerAtom, offsets, index, disp, density, atomWeight, true);
    const partner = cAverage == AVERAGE_INNER ? wCoefSum : wCoef;
    const centerRow = ldi(rowOfCenter, c) - rowBase;
    const rowC: usize = centerRow >= 0 ? grad + <usize>centerRow * rowBytes : 0;
    // The centre's row is only subtracted from: zeroed before its first use.
    if (centerRow >= 0 && load<u8>(written + <usize>centerRow) == 0) {
      memory.fill(rowC, 0, rowBytes);
      store<u8>(written + <usize>centerRow, 1);
    }
    const selfRow = ldi(rowOfSelf, c) - rowBase;
    for (let d = 0; d < cSlotDensities; d++) {
      for (let slot = ldi(wSlotStart, d); slot < ldi(wSlotStart, d + 1); slot++) {
        const entry = ldi(wSlotEntry, slot);
        // The centre atom itself moves only when the centre stays (attach false): then it is a
        // neighbour leaving r = 0. With attach it keeps r = 0 and contributes nothing.
        let row: i32;
        if (entry >= 0) row = ldi(rowOfEntry, entry) - rowBase;
        else if (centerRow < 0 && selfRow >= 0) row = selfRow;
        else continue;
        const rowE = grad + <usize>row * rowBytes;
        const first = load<u8>(written + <usize>row) == 0;
        store<u8>(written + <usize>row, 1);
        const g = slotRadialRows(slot, channels);
        const atCentre = ldf(g, 5) != 0.0;
        contractSlot(
          cCoefDensities, cNMaxP, cLMax, partner, wYPlain + (<usize>(slot * cNLM) << 3),
          wDY + (<usize>(3 * slot * cNLM) << 3), wST,
        );
        spectrumGradientSlot(
          cNMax, cNMaxP, cLMax, cBlocks, blocks, nFeatures, d, cSumDensity, wST, wWI, wJ,
          ldf(g, 0), ldf(g, 1), ldf(g, 2), scale, rowE, atCentre ? 0 : rowC, first,
        );
      }
    }
  }
}

/**
 * Backward pass: ∂L/∂positions, ∂L/∂ε and ∂L/∂cell from ∂L/∂p, never forming ∂p/∂r.
 *
 * dLdp: f64[nCenters·nFeatures] (one row when averaged). Centres sitting on atoms move with them
 * (DScribe's attach = True, what forces need); point centres stay. positions f64[3·nAtoms] and
 * centerPos f64[3·nCenters]: the coordinates the neighbour list was built from; invCell: f64[9]
 * with s_k = Σ_α x_α invCell[3α + k] (0: no cell). Outputs (overwritten): gradPos f64[3·nAtoms];
 * strain f64[9], ∂L/∂ε_αβ = Σ_pairs d_α ∂L/∂d_β for the deformation x → x (I + ε) of positions
 * and cell (row vectors); cellGrad f64[9], ∂L/∂H_kβ = Σ_pairs n_k ∂L/∂d_β at fixed Cartesian
 * positions (H: lattice vectors as rows, n: the pair's lattice shift). out: scratch for values.
 */
export function soapBackward(
  nCenters: i32, centerAtom: usize, offsets: usize, index: usize, disp: usize,
  density: usize, atomWeight: usize, ints: usize, floats: usize, table: usize, blocks: usize,
  out: usize, nFeatures: i32, kMax: i32, work: usize,
  dLdp: usize, nAtoms: i32, positions: usize, centerPos: usize, invCell: usize,
  gradPos: usize, strain: usize, cellGrad: usize,
): void {
  memory.fill(gradPos, 0, <usize>(3 * nAtoms) << 3);
  memory.fill(strain, 0, 72);
  memory.fill(cellGrad, 0, 72);
  if (nCenters == 0) return;
  planWork(work, kMax, ints, nFeatures, false);
  configure(ints, floats, table);
  if (cAverage == AVERAGE_INNER) {
    // c̄ (left in wCoefSum, kept there by planWork(…, true)).
    soapCompute(nCenters, centerAtom, offsets, index, disp, density, atomWeight, ints, floats, table, blocks, out, nFeatures, kMax, work);
  }
  planWork(work, kMax, ints, nFeatures, true);
  configure(ints, floats, table);
  const channels = (cLMax + 1) * cNMaxP;
  const densityBytes = <usize>(cNLM * cNMaxP) << 3;
  const inv = 1.0 / <f64>nCenters;
  if (cAverage == AVERAGE_INNER) {
    // ∂L/∂c_i = ∂L/∂c̄ / N for every centre.
    coefficientGradient(cNMax, cNMaxP, cLMax, cBlocks, blocks, cCoefDensities, cSumDensity, wCoefSum, dLdp, inv, wGram, wCBarMean);
  }
  for (let c = 0; c < nCenters; c++) {
    centreExpansion(c, centerAtom, offsets, index, disp, density, atomWeight, true);
    let cBar = wCBarMean;
    if (cAverage != AVERAGE_INNER) {
      const row = cAverage == 0 ? dLdp + <usize>c * (<usize>nFeatures << 3) : dLdp;
      coefficientGradient(cNMax, cNMaxP, cLMax, cBlocks, blocks, cCoefDensities, cSumDensity, wCoef, row, cAverage == 0 ? 1.0 : inv, wGram, wCBar);
      cBar = wCBar;
    }
    const ca = ldi(centerAtom, c);
    const cx = ldf(centerPos, 3 * c), cy = ldf(centerPos, 3 * c + 1), cz = ldf(centerPos, 3 * c + 2);
    for (let d = 0; d < cSlotDensities; d++) {
      for (let slot = ldi(wSlotStart, d); slot < ldi(wSlotStart, d + 1); slot++) {
        const entry = ldi(wSlotEntry, slot);
        if (entry < 0) continue; // the centre atom: it moves with the centre, r stays 0
        const g = slotRadialRows(slot, channels);
        const atCentre = ldf(g, 5) != 0.0;
        slotBackward(
          cNMaxP, cLMax, cBar + <usize>d * densityBytes, wWI, wJ, wYPlain + (<usize>(slot * cNLM) << 3),
          wDY + (<usize>(3 * slot * cNLM) << 3), ldf(g, 0), ldf(g, 1), ldf(g, 2), wG,
        );
        const gx = ldf(wG, 0), gy = ldf(wG, 1), gz = ldf(wG, 2);
        const j = ldi(index, entry);
        stf(gradPos, 3 * j, ldf(gradPos, 3 * j) + gx);
        stf(gradPos, 3 * j + 1, ldf(gradPos, 3 * j + 1) + gy);
        stf(gradPos, 3 * j + 2, ldf(gradPos, 3 * j + 2) + gz);
        if (ca >= 0) {
          stf(gradPos, 3 * ca, ldf(gradPos, 3 * ca) - gx);
          stf(gradPos, 3 * ca + 1, ldf(gradPos, 3 * ca + 1) - gy);
          stf(gradPos, 3 * ca + 2, ldf(gradPos, 3 * ca + 2) - gz);
        }
        const dx = ldf(disp, 3 * entry), dy = ldf(disp, 3 * entry + 1), dz = ldf(disp, 3 * entry + 2);
        accumulateOuter(strain, dx, dy, dz, gx, gy, gz);
        if (invCell != 0) {
          // Lattice shift n = (d − (r_j − r_c)) H⁻¹, an integer vector.
          const ex = dx - ldf(positions, 3 * j) + cx, ey = dy - ldf(positions, 3 * j + 1) + cy, ez = dz - ldf(positions, 3 * j + 2) + cz;
          const n0 = Math.round(ex * ldf(invCell, 0) + ey * ldf(invCell, 3) + ez * ldf(invCell, 6));
          const n1 = Math.round(ex * ldf(invCell, 1) + ey * ldf(invCell, 4) + ez * ldf(invCell, 7));
          const n2 = Math.round(ex * ldf(invCell, 2) + ey * ldf(invCell, 5) + ez * ldf(invCell, 8));
          accumulateOuter(cellGrad, n0, n1, n2, gx, gy, gz);
        }
      }
    }
  }
}

/** m[α][β] += a_α b_β (3 × 3, row-major). */
@inline function accumulateOuter(m: usize, a0: f64, a1: f64, a2: f64, b0: f64, b1: f64, b2: f64): void {
  stf(m, 0, ldf(m, 0) + a0 * b0);
  stf(m, 1, ldf(m, 1) + a0 * b1);
  stf(m, 2, ldf(m, 2) + a0 * b2);
  stf(m, 3, ldf(m, 3) + a1 * b0);
  stf(m, 4, ldf(m, 4) + a1 * b1);
  stf(m, 5, ldf(m, 5) + a1 * b2);
  stf(m, 6, ldf(m, 6) + a2 * b0);
  stf(m, 7, ldf(m, 7) + a2 * b1);
  stf(m, 8, ldf(m, 8) + a2 * b2);
}

/**
 * {@link soapCompute} when the centres are the atoms in order (centerAtom[c] = c), from the
 * pairs of the list (assembly/soap/pairExpansion.ts): each pair's radial integrals and harmonics
 * are evaluated once for both atoms. Same arguments as soapCompute, plus atomSpecies i32[nAtoms]
 * (species index of each atom, < nSpecies; density and atomWeight must be functions of it),
 * tile (atoms per tile), pairWork (soapPairWorkSize bytes), halfList (1: the list holds each
 * pair once, buildNeighborList's half mode; 0: a full list, whose upward entries are used) and
 * atomOrder (i32[nCenters], a permutation of the atoms: the tiles take each species' atoms in
 * this order, e.g. a spatial one when the index order has no locality; 0: index order; the
 * rows of `out` stay in index order).
 * Returns 0 without writing `out` when the centres are not the atoms, a full list is not
 * symmetric or many atoms lack spatial locality in that order (then call soapCompute on a full
 * list), else 1.
 */
export function soapComputeAllAtoms(
  nCenters: i32, centerAtom: usize, offsets: usize, index: usize, disp: usize,
  density: usize, atomWeight: usize, ints: usize, floats: usize, table: usize, blocks: usize,
  out: usize, nFeatures: i32, kMax: i32, work: usize,
  atomSpecies: usize, nSpecies: i32, tile: i32, pairWork: usize, halfList: i32, atomOrder: usize,
): i32 {
  return allAtomsPass(
    nCenters, centerAtom, offsets, index, disp, density, atomWeight, ints, floats, table, blocks, out, nFeatures, kMax, work,
    atomSpecies, nSpecies, tile, pairWork, halfList, true, atomOrder,
  );
}

/**
 * soapComputeAllAtoms; with `spectra` false it stops at the coefficients: every atom's in
 * pCoefAll (mu1nu1's summed density included) and, for 'inner', c̄ in wCoefSum; `out` untouched.
 * With `streamed` (spectra, recycled slots) it only plans: the schedule, the slot count and the
 * averages' start, for soapComputeAllAtomsSteps; pairWork then holds no coefficient blocks.
 */
function allAtomsPass(
  nCenters: i32, centerAtom: usize, offsets: usize, index: usize, disp: usize,
  density: usize, atomWeight: usize, ints: usize, floats: usize, table: usize, blocks: usize,
  out: usize, nFeatures: i32, kMax: i32, work: usize,
  atomSpecies: usize, nSpecies: i32, tile: i32, pairWork: usize, halfList: i32, spectra: bool, atomOrder: usize = 0,
  streamed: bool = false,
): i32 {
  const half = halfList != 0;
  const nAtoms = nCenters;
  const recordBytes = pairRecordBytes(ldi(ints, CI_N_MAX_P), ldi(ints, CI_L_MAX));
  if (!planPairPath(pairWork, nCenters, centerAtom, kMax, ints, nSpecies, tile, 3, recordBytes, offsets, index, disp, half, atomOrder, streamed ? 0 : -1)) return 0;
  planWork(work, kMax, ints, nFeatures, false);
  configure(ints, floats, table);
  setPairShape(cNMaxP, cLMax, table, ldi(ints, CI_INTERVALS), ldf(floats, CF_H), ldf(floats, CF_INV_H), ldf(floats, CF_R_MAX), wShCoef);
  const densityBytes = <usize>(cNLM * cNMaxP) << 3;
  const coefBytes = <usize>cCoefDensities * densityBytes;
  // In a structure whose coefficients outgrow the caches (`slots`), the blocks are slots taken
  // when a tile first names an atom and given back once its spectrum is out (claimBlock,
  // emitDone), so only the blocks of the atoms in flight are touched; else block a holds atom
  // a's coefficients (the backward pass reads them all).
  const slots = streamed || (spectra && <u64>nAtoms * <u64>coefBytes > SLOT_PASS_ABOVE_BYTES);
  sSlots = slots;
  startPairPath(nAtoms, nSpecies, atomSpecies, density, atomWeight, coefBytes, cSlotDensities, !slots);
  // The atom itself at r = 0: w Y_00 I_n0(0) (I_nl(0) = 0 for l > 0).
  const channels = (cLMax + 1) * cNMaxP, intervals = ldi(ints, CI_INTERVALS);
  radialPowerEvaluate(table + radialTableBytes(channels, intervals), channels, intervals, ldf(floats, CF_INV_H), ldf(floats, CF_R_MAX), 0.0, pSelf);
  sW0 = cTrivial ? 1.0 : radialWeight(cWp, 0.0);
  sDensity = density;
  sAtomWeight = atomWeight;
  sCoefBytes = coefBytes;
  // Tiles of one species each (pairWork.ts speciesOrder, tileEnd). With slots they are taken in
  // the order of their first atom (tilesInAtomOrder) and each atom's spectrum is emitted right
  // after the last tile that adds to it (completionSteps), so few atoms are in flight at a time;
  // else species after species, and the spectra follow the last tile.
  const listed = speciesOrder(nAtoms, nSpecies, atomSpecies, pTileAtoms, atomOrder);
  const nTiles = slots
    ? tilesInAtomOrder(nAtoms, listed, pTileAtoms, atomSpecies, tile, pLastTile, pTileOrder, atomOrder)
    : tilesInListOrder(listed, pTileAtoms, atomSpecies, tile, pTileOrder);
  if (slots) completionSteps(nAtoms, nTiles, listed, pTileOrder, pTileAtoms, atomSpecies, tile, offsets, index, pLastTile, pDoneStart, pDoneAtoms);
  gListed = listed;
  gTiles = nTiles;
  gTile = tile;
  gHalf = half;
  gOffsets = offsets;
  gIndex = index;
  gDisp = disp;
  gAtomSpecies = atomSpecies;
  gNSpecies = nSpecies;
  // Slots 0 .. nSlots − 1 on the free stack, slot 0 on top (every atom's count, or the most in
  // flight at once when streamed).
  const nSlots = streamed
    ? slotsInFlight(nAtoms, nTiles, listed, pTileOrder, pTileAtoms, atomSpecies, tile, offsets, index, pDoneStart, pTally)
    : nAtoms;
  if (slots) {
    for (let a = 0; a < nAtoms; a++) sti(pSlotOf, a, -1);
    for (let a = 0; a < nSlots; a++) sti(pFreeSlots, a, nSlots - 1 - a);
    sFree = nSlots;
  } else {
    for (let a = 0; a < nAtoms; a++) addSelf(a, pCoefAll + <usize>a * coefBytes);
  }
  if (spectra) startAverage(out, nFeatures);
  if (streamed) {
    gNext = 0;
    gAtoms = nAtoms;
    gSlots = nSlots;
    gMostDone = mostDoneInOneStep(max(nTiles, 1), pDoneStart);
    return 1;
  }
  for (let k = 0; k < max(nTiles, 1); k++) {
    if (k < nTiles) pairStep(k);
    if (slots) {
      for (let q = ldi(pDoneStart, k); q < ldi(pDoneStart, k + 1); q++) {
        const c = ldi(pDoneAtoms, q);
        emitDone(c, blocks, out, nFeatures, c);
      }
    }
  }
  if (!spectra) {
    if (cAverage == AVERAGE_INNER) memory.fill(wCoefSum, 0, coefBytes);
    for (let c = 0; c < nCenters; c++) {
      const coef = pCoefAll + <usize>c * coefBytes;
      if (cSumDensity >= 0) expansionSumDensities(cSumDensity, coef);
      if (cAverage == AVERAGE_INNER) addInto(wCoefSum, coef, coefBytes);
    }
    if (cAverage == AVERAGE_INNER) scaleInPlace(wCoefSum, coefBytes, 1.0 / <f64>nCenters);
    return 1;
  }
  if (!slots) for (let c = 0; c < nCenters; c++) emitDone(c, blocks, out, nFeatures, c);
  finishAverage(nCenters, blocks, out, nFeatures);
  return 1;
}

// The pair pass's schedule (set by allAtomsPass; pairStep and soapComputeAllAtomsSteps read it).
let gListed = 0, gTiles = 0, gTile = 0, gNSpecies = 0;
let gHalf = false;
let gOffsets: usize = 0, gIndex: usize = 0, gDisp: usize = 0, gAtomSpecies: usize = 0;
// The streamed values pass: the next step, the atoms, its slots and the most atoms one step completes.
let gNext = 0, gAtoms = 0, gSlots = 0, gMostDone = 0;

/** Step k of the pair pass: tile pTileOrder[k] (with slots, a block claimed for every atom it names first) into both atoms of each pair. */
function pairStep(k: i32): void {
  const a0 = ldi(pTileOrder, k);
  const a1 = tileEnd(a0, gListed, pTileAtoms, gAtomSpecies, gTile);
  if (sSlots) {
    for (let t = a0; t < a1; t++) {
      const i = ldi(pTileAtoms, t);
      claimBlock(i);
      const end = ldi(gOffsets, i + 1);
      for (let e = ldi(gOffsets, i); e < end; e++) claimBlock(ldi(gIndex, e));
    }
  }
  addTilePair(
    pTileAtoms + (<usize>a0 << 2), a1 - a0, gHalf, gOffsets, gIndex, gDisp, gAtomSpecies, gNSpecies, cWp, cTrivial,
    pSpDensity, pSpWeight, pCoefAll, sCoefBytes, pUsed, cSlotDensities,
    pRec, pRecI, pRecIL, pRecJ, pListF, pListR, pStartF, pStartR, pRecR, pOrder, pBuckets, pLocalOf, pTargets, pRecJL,
    sSlots ? pSlotOf : 0,
  );
}

/**
 * {@link soapComputeAllAtoms} in parts, so that neither every atom's coefficients nor every
 * spectrum need be in wasm memory at once: this call plans (pairWork: soapPairWorkSizeStreamed
 * bytes; no coefficient blocks) and returns 0 when the pair path declines, else 1 with info
 * (i32[3]) = [coefficient slots soapComputeAllAtomsSteps needs, the most rows one step emits,
 * the address of the atoms in emission order (i32[nAtoms])]. `out` is only used for the
 * averages ('inner', 'outer': their single row, which the steps add to and the last one finishes).
 */
export function soapComputeAllAtomsStart(
  nCenters: i32, centerAtom: usize, offsets: usize, index: usize, disp: usize,
  density: usize, atomWeight: usize, ints: usize, floats: usize, table: usize, blocks: usize,
  out: usize, nFeatures: i32, kMax: i32, work: usize,
  atomSpecies: usize, nSpecies: i32, tile: i32, pairWork: usize, halfList: i32, atomOrder: usize, info: usize,
): i32 {
  if (allAtomsPass(
    nCenters, centerAtom, offsets, index, disp, density, atomWeight, ints, floats, table, blocks, out, nFeatures, kMax, work,
    atomSpecies, nSpecies, tile, pairWork, halfList, true, atomOrder, true,
  ) == 0) return 0;
  sti(info, 0, gSlots);
  sti(info, 1, gMostDone);
  sti(info, 2, <i32>pDoneAtoms);
  return 1;
}

/**
 * The next steps of the pass soapComputeAllAtomsStart planned (nothing else may run in the wasm
 * instance in between), coefficient slots at coefSlots (info[0] blocks): the spectra of the atoms
 * completed go to out's rows 0, 1, … in emission order, as many steps as fit outRows (≥ info[1])
 * rows; with averaging, into the average in out. Returns the rows written: the next ones of the
 * emission order (0 once every step has run).
 */
export function soapComputeAllAtomsSteps(coefSlots: usize, blocks: usize, out: usize, nFeatures: i32, outRows: i32): i32 {
  setCoefAll(coefSlots);
  const steps = max(gTiles, 1);
  if (gNext >= steps) return 0;
  let rows = 0;
  while (gNext < steps) {
    const k = gNext;
    const q0 = ldi(pDoneStart, k), q1 = ldi(pDoneStart, k + 1);
    if (rows > 0 && rows + (q1 - q0) > outRows) break;
    if (k < gTiles) pairStep(k);
    for (let q = q0; q < q1; q++) emitDone(ldi(pDoneAtoms, q), blocks, out, nFeatures, rows++);
    gNext = k + 1;
  }
  if (gNext == steps) finishAverage(gAtoms, blocks, out, nFeatures);
  return rows;
}

// The pair path's self term and coefficient slots (set by allAtomsPass).
let sW0 = 0.0;
let sDensity: usize = 0;
let sAtomWeight: usize = 0;
let sCoefBytes: usize = 0;
/** Free slots on the stack pFreeSlots[0 .. sFree): the last one given back is taken first, while still in cache. */
let sFree = 0;
/** Whether the blocks are slots (else block a is atom a's). */
let sSlots = false;

/**
 * Coefficient bytes of all atoms above which the values pass recycles slots. Below, every block
 * stays in L2/L3 anyway and one pass species after species with the spectra at the end measured
 * ~2 % faster (W1, 192 atoms, 1.2 MB); at 1 536 atoms (9.6 MB) and 6 144 the slots' kernel is
 * ~3–7 % faster.
 */
const SLOT_PASS_ABOVE_BYTES: u64 = 2 << 20;

/** {@link SLOT_PASS_ABOVE_BYTES} for the facade, which picks the tile size by the same rule. */
export function soapSlotPassAboveBytes(): f64 {
  return <f64>SLOT_PASS_ABOVE_BYTES;
}

/** Atom a's term at r = 0 into its block: w_a w(0) Y_00 I_n0(0) (I_nl(0) = 0 for l > 0), counted in pUsed. */
function addSelf(a: i32, block: usize): void {
  const w = ldf(sAtomWeight, a) * sW0;
  if (w == 0.0) return;
  const d = ldi(sDensity, a);
  const u = a * cSlotDensities + d;
  sti(pUsed, u, ldi(pUsed, u) + 1);
  const row = block + <usize>d * (<usize>(cNLM * cNMaxP) << 3);
  const wy = w * Y00_SELF;
  for (let n = 0; n < cNMaxP; n++) stf(row, n, ldf(row, n) + wy * ldf(pSelf, n));
}

/** A slot for atom a's coefficients unless it has one: zeroed, then its self term. Returns the block. */
@inline function claimBlock(a: i32): usize {
  let slot = ldi(pSlotOf, a);
  if (slot < 0) {
    slot = ldi(pFreeSlots, --sFree);
    sti(pSlotOf, a, slot);
    const block = pCoefAll + <usize>slot * sCoefBytes;
    memory.fill(block, 0, sCoefBytes);
    addSelf(a, block);
    return block;
  }
  return pCoefAll + <usize>slot * sCoefBytes;
}

/**
 * Atom c's coefficients are complete (pair path): its empty-density flags from pUsed, then
 * emitCentre; with slots, its slot is given back.
 */
function emitDone(c: i32, blocks: usize, out: usize, nFeatures: i32, row: i32): void {
  const coef = sSlots ? claimBlock(c) : pCoefAll + <usize>c * sCoefBytes;
  let allEmpty = 1;
  for (let d = 0; d < cSlotDensities; d++) {
    const e = ldi(pUsed, c * cSlotDensities + d) == 0 ? 1 : 0;
    sti(wEmpty, d, e);
    allEmpty &= e;
  }
  if (cSumDensity >= 0) {
    expansionSumDensities(cSumDensity, coef);
    sti(wEmpty, cSumDensity, allEmpty);
  }
  emitCentre(row, coef, blocks, out, nFeatures);
  if (sSlots) {
    sti(pFreeSlots, sFree++, ldi(pSlotOf, c));
    sti(pSlotOf, c, -1);
  }
}

/**
 * {@link soapBackward} when every atom is a centre, from a half neighbour list (each pair once):
 * the coefficients of all atoms come from {@link soapComputeAllAtoms}, ∂L/∂c of every atom is
 * formed once, and each pair's I, I', Y and ∂Y serve both directions (assembly/soap/backward.ts
 * pairBackward). Same arguments as soapComputeAllAtoms with halfList 1, then soapBackward's
 * dLdp, positions, invCell and outputs, and cBarAll: f64[nAtoms · coefficient block] scratch
 * (one block for 'inner'). work: soapWorkSize(kMax, …, 1) bytes. Returns 0 (outputs unspecified)
 * when the pair path declines; then call soapBackward on a full list.
 */
export function soapBackwardAllAtoms(
  nCenters: i32, centerAtom: usize, offsets: usize, index: usize, disp: usize,
  density: usize, atomWeight: usize, ints: usize, floats: usize, table: usize, blocks: usize,
  out: usize, nFeatures: i32, kMax: i32, work: usize,
  atomSpecies: usize, nSpecies: i32, tile: i32, pairWork: usize,
  dLdp: usize, positions: usize, invCell: usize, gradPos: usize, strain: usize, cellGrad: usize, cBarAll: usize,
): i32 {
  const nAtoms = nCenters;
  memory.fill(gradPos, 0, <usize>(3 * nAtoms) << 3);
  memory.fill(strain, 0, 72);
  memory.fill(cellGrad, 0, 72);
  if (nAtoms == 0) return 1;
  // Coefficients of every atom into pCoefAll (mu1nu1's sum included); for 'inner' c̄ in wCoefSum.
  if (allAtomsPass(
    nCenters, centerAtom, offsets, index, disp, density, atomWeight, ints, floats, table, blocks, out, nFeatures, kMax, work,
    atomSpecies, nSpecies, tile, pairWork, 1, false,
  ) == 0) return 0;
  planWork(work, kMax, ints, nFeatures, true);
  configure(ints, floats, table);
  const coefBytes = <usize>(cCoefDensities * cNLM * cNMaxP) << 3;
  const inv = 1.0 / <f64>nAtoms;
  // ∂L/∂c of each atom (one shared block for 'inner': ∂L/∂c_i = ∂L/∂c̄ / N).
  let cBarStride = coefBytes;
  if (cAverage == AVERAGE_INNER) {
    coefficientGradient(cNMax, cNMaxP, cLMax, cBlocks, blocks, cCoefDensities, cSumDensity, wCoefSum, dLdp, inv, wGram, cBarAll);
    cBarStride = 0;
  } else {
    for (let a = 0; a < nAtoms; a++) {
      const row = cAverage == 0 ? dLdp + <usize>a * (<usize>nFeatures << 3) : dLdp;
      coefficientGradient(cNMax, cNMaxP, cLMax, cBlocks, blocks, cCoefDensities, cSumDensity, pCoefAll + <usize>a * coefBytes, row, cAverage == 0 ? 1.0 : inv, wGram, cBarAll + <usize>a * coefBytes);
    }
  }
  bPower = table + radialTableBytes((cLMax + 1) * cNMaxP, ldi(ints, CI_INTERVALS));
  bInvH = ldf(floats, CF_INV_H);
  bRMax = ldf(floats, CF_R_MAX);
  bIntervals = ldi(ints, CI_INTERVALS);
  // Harmonics two pairs at a time (f64x2 lanes): a pair waits in slot 0 until a partner comes.
  let pendingI = -1, pendingE = -1;
  for (let i = 0; i < nAtoms; i++) {
    for (let e = ldi(offsets, i); e < ldi(offsets, i + 1); e++) {
      const dx = ldf(disp, 3 * e), dy = ldf(disp, 3 * e + 1), dz = ldf(disp, 3 * e + 2);
      const r2 = dx * dx + dy * dy + dz * dz;
      if (r2 == 0.0) continue; // excluded by the overlap check; r stays 0 anyway
      if (pairWeightFactor(ldi(index, e), Math.sqrt(r2), atomWeight) == 0.0 && pairWeightFactor(i, Math.sqrt(r2), atomWeight) == 0.0) continue;
      if (pendingE < 0) {
        pendingI = i;
        pendingE = e;
        continue;
      }
      const pe = pendingE;
      const ax = ldf(disp, 3 * pe), ay = ldf(disp, 3 * pe + 1), az = ldf(disp, 3 * pe + 2);
      const aInv = 1.0 / Math.sqrt(ax * ax + ay * ay + az * az), bInv = 1.0 / Math.sqrt(r2);
      shValuesAndGradientsPairAt(
        cLMax, wShCoef, ax * aInv, ay * aInv, az * aInv, aInv, dx * bInv, dy * bInv, dz * bInv, bInv,
        wYPlain, wDY, wYPlain + (<usize>cNLM << 3), wDY + (<usize>(3 * cNLM) << 3),
      );
      pairForce(0, pendingI, pe, index, disp, density, atomWeight, positions, invCell, cBarAll, cBarStride, gradPos, strain, cellGrad);
      pairForce(1, i, e, index, disp, density, atomWeight, positions, invCell, cBarAll, cBarStride, gradPos, strain, cellGrad);
      pendingE = -1;
    }
  }
  if (pendingE >= 0) {
    const pe = pendingE;
    const ax = ldf(disp, 3 * pe), ay = ldf(disp, 3 * pe + 1), az = ldf(disp, 3 * pe + 2);
    const aInv = 1.0 / Math.sqrt(ax * ax + ay * ay + az * az);
    shValuesAndGradientsAt(cLMax, wShCoef, ax * aInv, ay * aInv, az * aInv, aInv, wYPlain, wDY);
    pairForce(0, pendingI, pe, index, disp, density, atomWeight, positions, invCell, cBarAll, cBarStride, gradPos, strain, cellGrad);
  }
  return 1;
}

// Table geometry of soapBackwardAllAtoms (set once per call).
let bInvH = 0.0, bRMax = 0.0, bIntervals = 0;
let bPower: usize = 0;

/** Species weight of atom a as the neighbour at distance r, or 0 when its weight a·w(r) is 0 (no slot). */
@inline function pairWeightFactor(a: i32, r: f64, atomWeight: usize): f64 {
  const aw = ldf(atomWeight, a);
  return aw * (cTrivial ? 1.0 : radialWeight(cWp, r)) != 0.0 ? aw : 0.0;
}

/**
 * Both directions of the pair of list entry e (atom i, neighbour j, d = disp[e]) with the
 * harmonics in slot `slot` of wYPlain / wDY: G = g_{i→j} − g_{j→i} (pairBackward) to j, −G to i,
 * d ⊗ G to the strain and n ⊗ G to the cell gradient.
 */
function pairForce(
  slot: i32, i: i32, e: i32, index: usize, disp: usize, density: usize, atomWeight: usize,
  positions: usize, invCell: usize, cBarAll: usize, cBarStride: usize, gradPos: usize, strain: usize, cellGrad: usize,
): void {
  const channels = (cLMax + 1) * cNMaxP;
  const densityBytes = <usize>(cNLM * cNMaxP) << 3;
  const j = ldi(index, e);
  const dx = ldf(disp, 3 * e), dy = ldf(disp, 3 * e + 1), dz = ldf(disp, 3 * e + 2);
  const r = Math.sqrt(dx * dx + dy * dy + dz * dz), invR = 1.0 / r;
  const fJ = pairWeightFactor(j, r, atomWeight), fI = pairWeightFactor(i, r, atomWeight);
  const ww = cTrivial ? 1.0 : radialWeight(cWp, r);
  const dw = cTrivial ? 0.0 : radialWeightDerivative(cWp, r);
  radialPowerWeightedRows(bPower, channels, bIntervals, bInvH, bRMax, r, ww, dw, wWI, wJ);
  pairBackward(
    cNMaxP, cLMax, cBarAll + <usize>i * cBarStride + <usize>ldi(density, j) * densityBytes,
    cBarAll + <usize>j * cBarStride + <usize>ldi(density, i) * densityBytes,
    fJ, fI, wWI, wJ, wYPlain + (<usize>(slot * cNLM) << 3), wDY + (<usize>(3 * slot * cNLM) << 3),
    dx * invR, dy * invR, dz * invR, wG,
  );
  const gx = ldf(wG, 0), gy = ldf(wG, 1), gz = ldf(wG, 2);
  stf(gradPos, 3 * j, ldf(gradPos, 3 * j) + gx);
  stf(gradPos, 3 * j + 1, ldf(gradPos, 3 * j + 1) + gy);
  stf(gradPos, 3 * j + 2, ldf(gradPos, 3 * j + 2) + gz);
  stf(gradPos, 3 * i, ldf(gradPos, 3 * i) - gx);
  stf(gradPos, 3 * i + 1, ldf(gradPos, 3 * i + 1) - gy);
  stf(gradPos, 3 * i + 2, ldf(gradPos, 3 * i + 2) - gz);
  accumulateOuter(strain, dx, dy, dz, gx, gy, gz);
  if (invCell != 0) {
    // Lattice shift n = (d − (r_j − r_i)) H⁻¹ of the pair's forward direction.
    const ex = dx - ldf(positions, 3 * j) + ldf(positions, 3 * i);
    const ey = dy - ldf(positions, 3 * j + 1) + ldf(positions, 3 * i + 1);
    const ez = dz - ldf(positions, 3 * j + 2) + ldf(positions, 3 * i + 2);
    const n0 = Math.round(ex * ldf(invCell, 0) + ey * ldf(invCell, 3) + ez * ldf(invCell, 6));
    const n1 = Math.round(ex * ldf(invCell, 1) + ey * ldf(invCell, 4) + ez * ldf(invCell, 7));
    const n2 = Math.round(ex * ldf(invCell, 2) + ey * ldf(invCell, 5) + ez * ldf(invCell, 8));
    accumulateOuter(cellGrad, n0, n1, n2, gx, gy, gz);
  }
}

/** Y_00 = 1/√(4π). */
const Y00_SELF: f64 = 0.28209479177387814;
