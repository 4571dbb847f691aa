// The accuracy bound of SOAP dtype 'float32' (test/soap/float32.test.ts measures it).

/**
 * max |p32 − p64| / max |p64| per structure. The float32 path rounds the radial table, every
 * step of the harmonics' recurrence (error growing about linearly with l: ≤ 1.3e-6 of each l
 * block's own scale up to l = 20) and every multiply-add of c = Σ_j w Y I over the neighbours and
 * of p = Σ_m c c' to f32 (unit roundoff u = 6e-8). The largest features are l = 0 terms c_n0², whose
 * sums over ~50–150 neighbours of one sign accumulate rounding: measured (first run of this file)
 * ≤ 4e-7 on molecules, ~1e-6 on the water boxes and up to 2.9e-6 (3.1e-6 with the relaxed-SIMD
 * build; ≈ 50 u) on fcc Cu, where ~130 neighbours sit on a few shells at identical distances so
 * their rounding errors add coherently. 5e-6 leaves 1.7× over that worst case.
 */
export const FLOAT32_BOUND = 5e-6;
