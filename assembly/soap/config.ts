// Layout of the configuration arrays the TypeScript side passes to the SOAP drivers
// (assembly/soap/soap.ts, soapF32.ts; written by src/soap/soap.ts).

// Slots of the i32 configuration.
export const CI_N_MAX = 0;
export const CI_N_MAX_P = 1;
export const CI_L_MAX = 2;
export const CI_SLOT_DENSITIES = 3; // densities neighbours go to (species, or 1 for mu2)
export const CI_COEF_DENSITIES = 4; // plus mu1nu1's summed density
export const CI_SUM_DENSITY = 5; // index of the summed density, or −1
export const CI_INTERVALS = 6; // radial table intervals K
export const CI_BLOCKS = 7; // power-spectrum blocks
export const CI_AVERAGE = 8; // 0 off, 1 inner, 2 outer
// Slots of the f64 configuration; the weighting parameters (assembly/soap/weighting.ts) follow.
export const CF_H = 0;
export const CF_INV_H = 1;
export const CF_R_MAX = 2;
export const CF_WEIGHTING = 3;

export const AVERAGE_INNER = 1;
export const AVERAGE_OUTER = 2;

/** n rounded up to a multiple of 16 (scratch arrays are 16-byte aligned for v128). */
@inline export function align16(n: usize): usize {
  return (n + 15) & ~(<usize>15);
}
