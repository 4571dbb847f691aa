/**
 * SOAP radial bases (DScribe 2.1.1 conventions), built at set-up time in float64:
 * the GTO basis (`rbf="gto"`), the polynomial basis (`rbf="polynomial"`) with DScribe's
 * 100-point Gauss–Legendre radial quadrature, and the symmetric eigen-solver / Löwdin
 * S^{-1/2} they share.
 */
export {
  GTO_DECAY_THRESHOLD,
  GTO_MAX_L_MAX,
  gammaLPlusThreeHalves,
  gtoAlphas,
  gtoOverlapMatrix,
  gtoRadialBasis,
  gtoRadial,
  gtoRadialValues,
  type GtoRadialBasis,
} from './gto.js';
export {
  polynomialOverlapMatrix,
  polynomialRadialBasis,
  polynomialRadial,
  polynomialRadialValues,
  polynomialQuadrature,
  type PolynomialRadialBasis,
} from './polynomial.js';
export {
  DSCRIBE_POLYNOMIAL_QUADRATURE_POINTS,
  gaussLegendre,
  gaussLegendreOnInterval,
  type QuadratureRule,
} from './gaussLegendre.js';
export {
  symmetricEigen,
  inverseSqrtSymmetric,
  scaledConditionNumber,
  type SymmetricEigenResult,
} from './symmetricEigen.js';
