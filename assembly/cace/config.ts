// Slots of the i32 and f64 configuration arrays of caceCompute (filled by src/cace/kernelPlan.ts).
export const CI_NZ = 0; // number of elements in zs
export const CI_D = 1; // embedding dimension d (C = d²)
export const CI_NR = 2; // radial functions n_rbf
export const CI_NR_P = 3; // n_rbf rounded up to even
export const CI_K = 4; // mixed radial channels K
export const CI_NANG = 5; // angular functions n_ang
export const CI_NANG_P = 6; // n_ang rounded up to even
export const CI_NSYM = 7; // symmetrised features N_sym
export const CI_NTERMS = 8; // monomials of the symmetriser
export const CI_RADIAL = 9; // RADIAL_* below
export const CI_CUTOFF = 10; // CUTOFF_* below
export const CI_MAX_L = 11;
export const CI_LENGTH = 12;

export const CF_RC = 0; // r_c
export const CF_RADIAL = 1; // radial scalar: Bessel sqrt(2/r_c); Gaussian 1/σ²; exponential prefactor
export const CF_CUT_A = 2; // poly p; mollifier eps; switch on
export const CF_CUT_B = 3; // switch off
export const CF_LENGTH = 4;

export const RADIAL_BESSEL = 0;
export const RADIAL_GAUSSIAN = 1;
export const RADIAL_GAUSSIAN_CENTERED = 2;
export const RADIAL_EXPONENTIAL_DECAY = 3;

export const CUTOFF_POLY = 0;
export const CUTOFF_COS = 1;
export const CUTOFF_MOLLIFIER = 2;
export const CUTOFF_SWITCH = 3;

@inline export function align16(p: usize): usize {
  return (p + 15) & ~(<usize>15);
}
