import type { CenterSpec } from '../descriptors/centers.js';
import type { StructureFormat } from '../io/formats.js';
import { invalidRequest } from './httpError.js';

/** A descriptor config as in `desc.json`: `{ descriptor: 'acsf' | 'soap', ...its options }`. */
export interface DescriptorConfig {
  descriptor: string;
  [option: string]: unknown;
}

/** The body of `POST /v1/compute`, checked for its shape (the contents are checked later). */
export interface ComputeRequest {
  config: DescriptorConfig;
  /** Structure text (extxyz, xyz, POSCAR or n2p2, one frame) or a structure object. */
  structure: string | Record<string, unknown>;
  /** Format of a text structure; detected when absent. */
  format: StructureFormat | undefined;
  /** Atom indices, or (SOAP) [x, y, z] points; every atom when null. */
  centers: CenterSpec[] | null;
}

const KEYS = ['config', 'structure', 'format', 'centers'];
const FORMATS: readonly StructureFormat[] = ['extxyz', 'xyz', 'poscar', 'n2p2'];

/** Checks the shape of a parsed JSON body; throws a 400 INVALID_REQUEST naming the field. */
export function parseComputeRequest(body: unknown): ComputeRequest {
  if (!isObject(body)) throw invalidRequest(`the body must be a JSON object {"config", "structure", "centers"?}, got ${kind(body)}`);
  for (const key of Object.keys(body)) {
    if (!KEYS.includes(key)) throw invalidRequest(`unknown field ${JSON.stringify(key)} (the fields: ${KEYS.join(', ')})`);
  }
  const { config, structure, format, centers } = body;
  if (config === undefined) throw invalidRequest('"config" is required: {"descriptor": "acsf" | "soap", ...its options}');
  if (!isObject(config)) throw invalidRequest(`"config" must be an object {"descriptor": ..., ...options}, got ${kind(config)}`);
  if (typeof config.descriptor !== 'string') {
    throw invalidRequest(`"config.descriptor" must be a descriptor name such as "acsf" or "soap", got ${kind(config.descriptor)}`);
  }
  if (structure === undefined) throw invalidRequest('"structure" is required: extxyz or POSCAR text, or {"numbers" | "symbols", "positions", "cell"?, "pbc"?}');
  if (typeof structure !== 'string' && !isObject(structure)) {
    throw invalidRequest(`"structure" must be a string (extxyz or POSCAR text) or a structure object, got ${kind(structure)}`);
  }
  if (format !== undefined) {
    if (typeof structure !== 'string') throw invalidRequest('"format" only applies when "structure" is text');
    if (typeof format !== 'string' || !(FORMATS as readonly string[]).includes(format)) {
      throw invalidRequest(`"format" must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
    }
  }
  return {
    config: config as DescriptorConfig,
    structure,
    format: format as StructureFormat | undefined,
    centers: centers === undefined || centers === null ? null : checkCenters(centers),
  };
}

function checkCenters(centers: unknown): CenterSpec[] {
  if (!Array.isArray(centers)) throw invalidRequest(`"centers" must be an array of atom indices (or, for SOAP, [x, y, z] points), got ${kind(centers)}`);
  centers.forEach((c: unknown, i) => {
    const isIndex = Number.isSafeInteger(c) && (c as number) >= 0;
    const isPoint = Array.isArray(c) && c.length === 3 && c.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (!isIndex && !isPoint) {
      throw invalidRequest(`"centers[${i}]" must be an atom index (an integer ≥ 0) or an [x, y, z] point, got ${JSON.stringify(c)}`);
    }
  });
  return centers as CenterSpec[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A short description of a JSON value's type, for messages. */
function kind(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}
