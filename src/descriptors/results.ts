import type { DenseDerivatives, SparseDerivatives } from '../gradients/atomGradients.js';

/** Descriptor values: a C-order [nCenters, nFeatures] array. */
export interface DescriptorValues {
  readonly values: Float64Array;
  readonly shape: [number, number];
}

/** Descriptor values with their derivatives with respect to atom positions. */
export interface WithDerivatives extends DescriptorValues {
  readonly derivatives: DenseDerivatives | SparseDerivatives;
}
