// Whether a neighbour list holds a pair closer than a distance: lets the overlap check reuse the
// list a descriptor builds anyway instead of a second cell-list search (see
// src/neighbors/overlap.ts). The search with the overlap distance still decides the error.
import { ldf } from '../memory';

/** 1 if some displacement d_p (f64[3 count] at disp) has |d_p|² ≤ limit2, else 0. */
export function hasPairWithin(count: i32, disp: usize, limit2: f64): i32 {
  for (let p = 0; p < count; p++) {
    const x = ldf(disp, 3 * p), y = ldf(disp, 3 * p + 1), z = ldf(disp, 3 * p + 2);
    if (x * x + y * y + z * z <= limit2) return 1;
  }
  return 0;
}
