// Shared by the float64 and float32 power-spectrum kernel tests: the kernels' cases and block lists.

/** One kernel call: basis, densities, blocks (d1, d2, symmetric) and empty flags per density. */
export interface SpectrumCase {
  nMax: number;
  lMax: number;
  densities: number;
  /** (d1, d2, symmetric) per block. */
  blocks: number[];
  empty: number[];
}

/** Every (t1 ≤ t2) block of s species ('off' compression). */
export function offBlocks(s: number): number[] {
  const blocks: number[] = [];
  for (let t1 = 0; t1 < s; t1++) for (let t2 = t1; t2 < s; t2++) blocks.push(t1, t2, t1 === t2 ? 1 : 0);
  return blocks;
}
