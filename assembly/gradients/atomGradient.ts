// Accumulating ∂E/∂r per atom and the virial, shared by the force scatters of the n2p2 paths.
import { ldf, stf } from '../memory';

/** grad[3a .. 3a+2] += (x, y, z). */
@inline export function addAtomGradient(grad: usize, a: i32, x: f64, y: f64, z: f64): void {
  stf(grad, 3 * a, ldf(grad, 3 * a) + x);
  stf(grad, 3 * a + 1, ldf(grad, 3 * a + 1) + y);
  stf(grad, 3 * a + 2, ldf(grad, 3 * a + 2) + z);
}

/** virial (3×3, row-major) += [[v00, v01, v02], [v10, v11, v12], [v20, v21, v22]]. */
@inline export function addVirial(
  virial: usize, v00: f64, v01: f64, v02: f64, v10: f64, v11: f64, v12: f64, v20: f64, v21: f64, v22: f64,
): void {
  stf(virial, 0, ldf(virial, 0) + v00); stf(virial, 1, ldf(virial, 1) + v01); stf(virial, 2, ldf(virial, 2) + v02);
  stf(virial, 3, ldf(virial, 3) + v10); stf(virial, 4, ldf(virial, 4) + v11); stf(virial, 5, ldf(virial, 5) + v12);
  stf(virial, 6, ldf(virial, 6) + v20); stf(virial, 7, ldf(virial, 7) + v21); stf(virial, 8, ldf(virial, 8) + v22);
}
