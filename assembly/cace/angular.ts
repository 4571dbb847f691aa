// Cartesian angular basis L_m(û) = ûx^lx ûy^ly ûz^lz (spec section 4), built one factor at a time:
// L_m = L_parent(m) · û_axis(m), in the order of src/cace/layout.ts (parents come first).
import { ldf, ldi, stf } from '../memory';

export function angularMonomials(ux: f64, uy: f64, uz: f64, nAng: i32, nAngP: i32, parent: usize, axis: usize, out: usize): void {
  stf(out, 0, 1.0);
  for (let m = 1; m < nAng; m++) {
    const a = ldi(axis, m);
    const u = a == 0 ? ux : a == 1 ? uy : uz;
    stf(out, m, ldf(out, ldi(parent, m)) * u);
  }
  for (let m = nAng; m < nAngP; m++) stf(out, m, 0.0);
}
