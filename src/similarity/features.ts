import type { DescriptorValues } from '../descriptors/results.js';
import { invalidParameter } from '../errors.js';

/**
 * The local features of one structure: a C-order [nEnvironments, nFeatures] matrix, one row per
 * environment (what a descriptor's `create` returns).
 */
export type EnvironmentFeatures = DescriptorValues;

/**
 * Checks a list of structures' features for the kernels: well-formed shapes, at least one
 * environment and one feature, the same feature count as `nFeatures` (or as the first
 * structure when null), finite values. `label` names the list in messages (`x`, `y`).
 * Returns the feature count. Throws INVALID_PARAMETER naming the structure.
 */
export function checkStructures(structures: readonly EnvironmentFeatures[], label: string, nFeatures: number | null): number {
  if (!Array.isArray(structures)) invalidParameter(`${label} must be an array of structures' features ({ values, shape })`);
  if (structures.length === 0) invalidParameter(`${label} holds no structures`);
  let n = nFeatures;
  structures.forEach((s, k) => {
    n = checkFeatures(s, `${label}[${k}]`, n);
  });
  return n!;
}

/** Checks one [nEnvironments, nFeatures] matrix (see {@link checkStructures}); returns nFeatures. */
export function checkFeatures(s: EnvironmentFeatures, name: string, nFeatures: number | null): number {
  const shape = (s as Partial<EnvironmentFeatures> | null)?.shape;
  const values = (s as Partial<EnvironmentFeatures> | null)?.values;
  if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    invalidParameter(`${name}: shape must be [nEnvironments, nFeatures], got ${JSON.stringify(shape)}`);
  }
  if (!(values instanceof Float64Array)) {
    const hint = (values as unknown) instanceof Float32Array ? " (SOAP with dtype 'float32' gives a Float32Array: pass { values: Float64Array.from(values), shape })" : '';
    invalidParameter(`${name}: values must be a Float64Array${hint}`);
  }
  const [rows, cols] = shape;
  if (values.length !== rows * cols) {
    invalidParameter(`${name}: ${values.length} values do not fill the shape [${rows}, ${cols}]`);
  }
  if (rows === 0) invalidParameter(`${name} has no environments (shape [0, ${cols}])`);
  if (cols === 0) invalidParameter(`${name} has no features (shape [${rows}, 0])`);
  if (nFeatures !== null && cols !== nFeatures) {
    invalidParameter(`${name} has ${cols} features per environment, the other structures ${nFeatures}`);
  }
  for (let k = 0; k < values.length; k++) {
    if (!Number.isFinite(values[k]!)) {
      invalidParameter(`${name}: feature ${k % cols} of environment ${Math.floor(k / cols)} is ${values[k]}`);
    }
  }
  return cols;
}
