import type { DenseDerivatives } from '../gradients/atomGradients.js';
import type { ParsedStructure } from '../io/parsedStructure.js';
import type { Descriptor } from '../descriptors/registry.js';

/** One frame's results. */
export interface FrameValues {
  /** C order, [nCenters, numFeatures]. */
  values: Float64Array | Float32Array;
  nCenters: number;
  nAtoms: number;
  /** Dense derivatives, or null when not asked for. */
  derivatives: DenseDerivatives | null;
}

/** Computes the descriptor (and, if asked, its dense derivatives) of one frame. */
export function computeFrame(
  descriptor: Descriptor,
  structure: ParsedStructure,
  options: { centers: number[] | null; derivatives: boolean; attach: boolean },
): FrameValues {
  const nAtoms = structure.numbers.length;
  if (!options.derivatives) {
    const { values, shape } = descriptor.create(structure, { centers: options.centers });
    return { values, nCenters: shape[0], nAtoms, derivatives: null };
  }
  const { values, shape, derivatives } = descriptor.derivatives(structure, {
    centers: options.centers,
    attach: options.attach,
    layout: 'dense',
  });
  if (derivatives.layout !== 'dense') throw new Error('the descriptor returned sparse derivatives when dense ones were asked for');
  return { values, nCenters: shape[0], nAtoms, derivatives };
}
