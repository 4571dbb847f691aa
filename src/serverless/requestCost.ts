import { validateACSFOptions, type ACSFOptions } from '../acsf/params.js';
import { acsfNumFeatures } from '../acsf/layout.js';
import { descriptorEntry } from '../descriptors/registry.js';
import { soapNumFeatures } from '../soap/layout.js';
import { validateSOAPOptions, type SOAPOptions } from '../soap/params.js';
import type { NormalizedStructure } from '../structure/structure.js';
import type { DescriptorConfig } from './computeRequest.js';
import { HttpError } from './httpError.js';
import type { ServerlessLimits } from './limits.js';

/** What a request will cost, estimated from its config and structure before anything is built. */
export interface RequestCost {
  /** Result rows (1 for an averaged SOAP) and features per row. */
  rows: number;
  features: number;
  /** Radius of the neighbour sphere in Å (SOAP: r_cut plus the Gaussian padding). */
  cutoff: number;
  /** SOAP radial basis size (0 for ACSF). */
  nMax: number;
  /** Estimated centre–neighbour pairs: what the wasm memory of a computation grows with. */
  neighbourPairs: number;
}

/**
 * Validates the config as the descriptor's constructor would (AtomenvError, 422) without building
 * tables, and estimates the cost. Neighbours per centre: the number density (atoms per cell
 * volume, or per bounding box of sides at least 2 × cutoff without a cell) times the cutoff
 * sphere's volume, at most the number of atoms without periodicity.
 */
export function requestCost(config: DescriptorConfig, structure: NormalizedStructure, nCenters: number): RequestCost {
  const { descriptor: name, ...options } = config;
  descriptorEntry(name, options);
  let features: number;
  let cutoff: number;
  let nMax = 0;
  let averaged = false;
  if (name === 'soap') {
    const p = validateSOAPOptions(options as unknown as SOAPOptions);
    features = soapNumFeatures(p);
    cutoff = p.neighbourCutoff;
    nMax = p.nMax;
    averaged = p.average !== 'off';
  } else {
    const p = validateACSFOptions(options as unknown as ACSFOptions);
    features = acsfNumFeatures(p);
    cutoff = p.rCut;
  }
  const n = structure.nAtoms;
  const periodic = structure.cell !== null && structure.pbc.some(Boolean);
  const volume = periodic ? Math.abs(det3(structure.cell!)) : boxVolume(structure.positions, 2 * cutoff);
  // A singular cell is left for the descriptor to report (SINGULAR_CELL).
  let perCentre = volume > 0 ? (n / volume) * (4 / 3) * Math.PI * cutoff ** 3 : 0;
  if (!periodic) perCentre = Math.min(perCentre, n);
  return { rows: averaged ? 1 : nCenters, features, cutoff, nMax, neighbourPairs: Math.ceil(nCenters * perCentre) };
}

/** Throws a 413 naming the limit when the cost exceeds one. */
export function checkCost(cost: RequestCost, limits: ServerlessLimits): void {
  const fail = (code: 'OUTPUT_TOO_LARGE' | 'TOO_EXPENSIVE', message: string): never => {
    throw new HttpError(413, code, message);
  };
  if (cost.cutoff > limits.maxCutoff) {
    fail('TOO_EXPENSIVE', `the neighbour cutoff is ${round(cost.cutoff)} Å; this server takes at most ${limits.maxCutoff} Å (for SOAP, r_cut plus ~3.7 sigma)`);
  }
  if (cost.nMax > limits.maxNMax) fail('TOO_EXPENSIVE', `nMax is ${cost.nMax}; this server takes at most ${limits.maxNMax}`);
  const size = cost.rows * cost.features;
  if (size > limits.maxOutputValues) {
    fail('OUTPUT_TOO_LARGE', `the result would hold ${cost.rows} × ${cost.features} = ${size} values; this server returns at most ${limits.maxOutputValues} (send fewer centres)`);
  }
  if (cost.neighbourPairs > limits.maxNeighbourPairs) {
    fail(
      'TOO_EXPENSIVE',
      `the request needs about ${cost.neighbourPairs} centre–neighbour pairs within ${round(cost.cutoff)} Å; this server takes at most ${limits.maxNeighbourPairs} (send fewer centres or atoms, or a smaller cutoff)`,
    );
  }
}

function det3(m: Float64Array): number {
  return m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) - m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) + m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!);
}

/** Volume of the atoms' bounding box, each side at least `minSide`. */
function boxVolume(positions: Float64Array, minSide: number): number {
  let volume = 1;
  for (let k = 0; k < 3; k++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = k; i < positions.length; i += 3) {
      lo = Math.min(lo, positions[i]!);
      hi = Math.max(hi, positions[i]!);
    }
    volume *= Math.max(hi - lo, minSide);
  }
  return volume;
}

function round(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x * 100) / 100) : String(x);
}
