import type { SOAPOptions } from '../../src/soap/params.js';

/** DScribe's snake_case SOAP arguments as atomenv's camelCase options. */
export function soapOptionsFromDscribe(p: Record<string, any>): SOAPOptions {
  return {
    species: p.species,
    rCut: p.r_cut,
    nMax: p.n_max,
    lMax: p.l_max,
    sigma: p.sigma,
    rbf: p.rbf,
    periodic: p.periodic,
    average: p.average,
    compression: { mode: p.compression.mode, speciesWeighting: p.compression.species_weighting },
    weighting: p.weighting,
    dtype: p.dtype,
  };
}
