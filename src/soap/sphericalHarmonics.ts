/**
 * Reference real spherical harmonics in plain TypeScript (polar angles, associated Legendre
 * functions, cos/sin), independent of the Cartesian recurrences of the wasm kernel
 * (assembly/soap/sphericalHarmonics.ts). Used by tests and set-up code.
 *
 * Convention (shared with the kernel): orthonormal on the unit sphere, index lm = l² + l + m,
 *   Y_l0 = N_l0 P_l0(cos θ),  Y_lm = √2 N_lm P_lm(cos θ) cos(mφ),  Y_l−m = √2 N_lm P_lm(cos θ) sin(mφ)
 * for m > 0, with N_lm = √((2l+1)/(4π) (l−m)!/(l+m)!) and P_lm without the Condon–Shortley phase.
 */

/** Number of (l, m) pairs for l = 0..lMax: (lMax + 1)². */
export function sphericalHarmonicsCount(lMax: number): number {
  return (lMax + 1) * (lMax + 1);
}

/** Index of Y_lm in the output rows: l² + l + m. */
export function lmIndex(l: number, m: number): number {
  return l * l + l + m;
}

/**
 * Associated Legendre functions P_lm(t), 0 ≤ m ≤ l ≤ lMax, without the Condon–Shortley phase, at
 * t = cos θ with s = sin θ ≥ 0, by the standard recurrences
 *   P_mm = (2m−1)!! s^m,  P_{m+1,m} = (2m+1) t P_mm,  (l−m) P_lm = (2l−1) t P_{l−1,m} − (l+m−1) P_{l−2,m}.
 * Returns a Float64Array with P_lm at l(l+1)/2 + m.
 */
export function associatedLegendre(lMax: number, t: number, s: number): Float64Array {
  const p = new Float64Array(((lMax + 1) * (lMax + 2)) / 2);
  const at = (l: number, m: number): number => (l * (l + 1)) / 2 + m;
  let pmm = 1;
  for (let m = 0; m <= lMax; m++) {
    if (m > 0) pmm *= (2 * m - 1) * s;
    p[at(m, m)] = pmm;
    if (m < lMax) p[at(m + 1, m)] = (2 * m + 1) * t * pmm;
    for (let l = m + 2; l <= lMax; l++) {
      p[at(l, m)] = ((2 * l - 1) * t * p[at(l - 1, m)]! - (l + m - 1) * p[at(l - 2, m)]!) / (l - m);
    }
  }
  return p;
}

/** Legendre polynomial P_l(t) by (j+1) P_{j+1} = (2j+1) t P_j − j P_{j−1}. */
export function legendre(l: number, t: number): number {
  let previous = 1;
  let current = t;
  if (l === 0) return 1;
  for (let j = 1; j < l; j++) {
    const next = ((2 * j + 1) * t * current - j * previous) / (j + 1);
    previous = current;
    current = next;
  }
  return current;
}

/**
 * Real orthonormal spherical harmonics Y_lm, l = 0..lMax, of the direction of (x, y, z) (any
 * length > 0), from θ = atan2(√(x²+y²), z) and φ = atan2(y, x).
 *
 * @returns Float64Array[(lMax+1)²] with Y_lm at l² + l + m.
 */
export function realSphericalHarmonicsReference(lMax: number, x: number, y: number, z: number): Float64Array {
  const theta = Math.atan2(Math.hypot(x, y), z);
  const phi = Math.atan2(y, x);
  const p = associatedLegendre(lMax, Math.cos(theta), Math.sin(theta));
  const out = new Float64Array(sphericalHarmonicsCount(lMax));
  for (let l = 0; l <= lMax; l++) {
    // (l−m)!/(l+m)! built up as m grows: ratio_m = ratio_{m−1} / ((l+m)(l−m+1)).
    let ratio = 1;
    for (let m = 0; m <= l; m++) {
      if (m > 0) ratio /= (l + m) * (l - m + 1);
      const norm = Math.sqrt(((2 * l + 1) / (4 * Math.PI)) * ratio);
      const v = norm * p[(l * (l + 1)) / 2 + m]!;
      if (m === 0) {
        out[lmIndex(l, 0)] = v;
      } else {
        out[lmIndex(l, m)] = Math.SQRT2 * v * Math.cos(m * phi);
        out[lmIndex(l, -m)] = Math.SQRT2 * v * Math.sin(m * phi);
      }
    }
  }
  return out;
}

/**
 * {@link realSphericalHarmonicsReference} for n vectors packed as xyz = [x0, y0, z0, x1, …].
 *
 * @returns Float64Array[n][(lMax+1)²] (row-major), the layout of the wasm kernel.
 */
export function realSphericalHarmonicsReferenceBatch(lMax: number, xyz: ArrayLike<number>): Float64Array {
  const n = Math.floor(xyz.length / 3);
  const nLM = sphericalHarmonicsCount(lMax);
  const out = new Float64Array(n * nLM);
  for (let i = 0; i < n; i++) {
    out.set(realSphericalHarmonicsReference(lMax, xyz[3 * i]!, xyz[3 * i + 1]!, xyz[3 * i + 2]!), i * nLM);
  }
  return out;
}
