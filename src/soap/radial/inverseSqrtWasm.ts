/**
 * {@link inverseSqrtSymmetric} by the wasm kernel assembly/math/inverseSqrtSymmetric.ts: the same
 * checks, operations and errors (the same doubles), in compiled code, so building a radial basis
 * at start-up does not spend milliseconds interpreting the Jacobi sweeps.
 */
import { invalidParameter } from '../../errors.js';
import type { Runtime } from '../../wasm/loader.js';
import {
  jacobiDidNotConverge, nonPositiveDiagonal, nonPositiveEigenvalue, numericallyIndefinite, symmetricCopy,
  type InverseSqrt,
} from './symmetricEigen.js';

// Status codes of lowdinInverseSqrt (assembly/math/inverseSqrtSymmetric.ts).
const NONPOSITIVE_DIAGONAL = 1;
const SCALED_NOT_FINITE = 2;
const NOT_POSITIVE_DEFINITE = 3;
const NONPOSITIVE_EIGENVALUE = 4;
const NO_CONVERGENCE = 5;

/** An {@link InverseSqrt} that runs in the wasm kernels of `rt`. */
export function wasmInverseSqrt(rt: Runtime): InverseSqrt {
  return (matrix, n, description = 'matrix') => {
    const s = symmetricCopy(matrix, n, description);
    const { arena, kernels } = rt;
    const mark = arena.mark();
    try {
      const pS = arena.allocF64(n * n);
      const pOut = arena.allocF64(n * n);
      const pInfo = arena.allocF64(2);
      const pWork = arena.alloc(kernels.lowdinInverseSqrtWorkSize(n));
      arena.f64(pS, n * n).set(s);
      const status = kernels.lowdinInverseSqrt(n, pS, pOut, pInfo, pWork);
      const [a, b] = arena.f64(pInfo, 2);
      switch (status) {
        case 0:
          return arena.f64(pOut, n * n).slice();
        case NONPOSITIVE_DIAGONAL:
          return nonPositiveDiagonal(description, a!, b!);
        case SCALED_NOT_FINITE:
          return invalidParameter(`symmetricEigen: entry (${a}, ${b}) is not a finite number`);
        case NOT_POSITIVE_DEFINITE:
          return numericallyIndefinite(description, n, a!, b!);
        case NONPOSITIVE_EIGENVALUE:
          return nonPositiveEigenvalue(description, a!);
        case NO_CONVERGENCE:
          return jacobiDidNotConverge(n);
        default:
          throw new Error(`internal: lowdinInverseSqrt returned status ${status}`);
      }
    } finally {
      arena.release(mark);
    }
  };
}
