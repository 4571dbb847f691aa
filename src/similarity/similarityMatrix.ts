/** A similarity matrix: C-order [nX, nY] values; element [i, j] compares item i of x with item j of y. */
export interface SimilarityMatrix {
  readonly values: Float64Array;
  readonly shape: [number, number];
}
