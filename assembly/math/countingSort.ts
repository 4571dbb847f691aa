// Stable counting sort of small integer keys, the bucketing step of the cell list, the SOAP pair
// path's radial-table intervals and its completion steps.
import { ldi, sti } from '../memory';

/**
 * order[0..n) = 0..n−1 stably sorted by keys[k] ∈ [0, nKeys); starts[0..nKeys] = where each key's
 * run begins in order (starts[nKeys] = n). keys, order: i32[n]; starts: i32[nKeys + 1].
 */
export function countingSort(n: i32, keys: usize, nKeys: i32, order: usize, starts: usize): void {
  for (let b = 0; b <= nKeys; b++) sti(starts, b, 0);
  for (let k = 0; k < n; k++) {
    const b = ldi(keys, k) + 1;
    sti(starts, b, ldi(starts, b) + 1);
  }
  for (let b = 0; b < nKeys; b++) sti(starts, b + 1, ldi(starts, b + 1) + ldi(starts, b));
  // starts[b] serves as key b's cursor, then is shifted back to its run's beginning.
  for (let k = 0; k < n; k++) {
    const b = ldi(keys, k);
    const at = ldi(starts, b);
    sti(order, at, k);
    sti(starts, b, at + 1);
  }
  for (let b = nKeys; b > 0; b--) sti(starts, b, ldi(starts, b - 1));
  sti(starts, 0, 0);
}
