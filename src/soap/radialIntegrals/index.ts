/**
 * SOAP radial integrals I_nl(r) (set-up time, float64): scaled modified spherical Bessel
 * functions, exact GTO integrals, DScribe-quadrature polynomial integrals, and Hermite tables.
 */
export { scaledSphericalBesselI, scaledSphericalBesselIDerivative } from './besselI.js';
export { createGtoRadialIntegrals, gtoRadialIntegrals, type GtoRadialIntegrals } from './gtoIntegrals.js';
export {
  createPolynomialRadialIntegrals,
  polynomialRadialIntegrals,
  type PolynomialRadialIntegrals,
} from './polynomialIntegrals.js';
export {
  buildRadialIntegralTable,
  evaluate as evaluateRadialIntegralTable,
  gtoRadialIntegralTable,
  polynomialRadialIntegralTable,
  type RadialIntegralTable,
  type RadialIntegralTableOptions,
} from './table.js';
export { cutoffPadding, type RadialIntegralEvaluator } from './types.js';
