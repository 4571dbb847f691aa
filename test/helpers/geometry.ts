/** A deterministic pseudo-random generator (mulberry32) so tests are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** As {@link rng}, with numbers in (−1, 1). */
export function signedRng(seed: number): () => number {
  const next = rng(seed);
  return () => 2 * next() - 1;
}

/** A random proper rotation matrix (row-major), from a random unit quaternion. */
export function randomRotation(random: () => number): number[] {
  const u = [random(), random(), random()];
  const q = [
    Math.sqrt(1 - u[0]!) * Math.sin(2 * Math.PI * u[1]!),
    Math.sqrt(1 - u[0]!) * Math.cos(2 * Math.PI * u[1]!),
    Math.sqrt(u[0]!) * Math.sin(2 * Math.PI * u[2]!),
    Math.sqrt(u[0]!) * Math.cos(2 * Math.PI * u[2]!),
  ];
  const [x, y, z, w] = q as [number, number, number, number];
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
    2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
    2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y),
  ];
}

/** Applies v ↦ R v to each row of a flat list of 3-vectors. */
export function rotate(flatVectors: ArrayLike<number>, R: number[]): Float64Array {
  const out = new Float64Array(flatVectors.length);
  for (let a = 0; a < flatVectors.length; a += 3) {
    for (let i = 0; i < 3; i++) {
      out[a + i] = R[3 * i]! * flatVectors[a]! + R[3 * i + 1]! * flatVectors[a + 1]! + R[3 * i + 2]! * flatVectors[a + 2]!;
    }
  }
  return out;
}

/** Cell rows as a flat row-major array. */
export function flatCell(cell: ArrayLike<ArrayLike<number>>): number[] {
  return [0, 1, 2].flatMap((i) => [cell[i]![0]!, cell[i]![1]!, cell[i]![2]!]);
}

/** The rows of a flat 3×3. */
export function rows3(m: ArrayLike<number>): [[number, number, number], [number, number, number], [number, number, number]] {
  return [
    [m[0]!, m[1]!, m[2]!],
    [m[3]!, m[4]!, m[5]!],
    [m[6]!, m[7]!, m[8]!],
  ];
}
