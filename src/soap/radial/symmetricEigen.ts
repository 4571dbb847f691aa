/**
 * Eigen-decomposition of small real symmetric matrices by cyclic Jacobi rotations, and the
 * Löwdin inverse square root S^{-1/2} used to orthonormalise the SOAP radial bases.
 *
 * Matrices are dense, row-major, n × n (`a[i * n + j]` is row i, column j), float64.
 * Set-up-time code: O(n³) per sweep, meant for n ≲ 30.
 */
import { invalidParameter } from '../../errors.js';

/** Unit round-off of float64 (2⁻⁵², the gap between 1 and the next double). */
const FLOAT64_EPSILON = Number.EPSILON;

/** Smallest positive normal float64; off-diagonal entries below it are treated as zero. */
const SMALLEST_NORMAL = 2.2250738585072014e-308;

/** Cyclic sweeps allowed before giving up (Jacobi converges quadratically: ~6–10 are typical). */
const MAX_SWEEPS = 100;

/** Result of {@link symmetricEigen}. */
export interface SymmetricEigenResult {
  /** Matrix order n. */
  readonly n: number;
  /** The n eigenvalues λ_j, ascending. */
  readonly values: Float64Array;
  /**
   * Orthonormal eigenvectors, n × n row-major, **one eigenvector per column**:
   * `vectors[i * n + j]` is component i of the eigenvector of `values[j]`, so A = V Λ Vᵀ.
   */
  readonly vectors: Float64Array;
  /** Number of cyclic Jacobi sweeps performed. */
  readonly sweeps: number;
}

/** Checks shape, finiteness and symmetry; returns a symmetrised float64 copy. */
export function symmetricCopy(matrix: ArrayLike<number>, n: number, what: string): Float64Array {
  if (!Number.isInteger(n) || n < 1) invalidParameter(`${what}: matrix order must be a positive integer, got ${n}`);
  if (matrix.length !== n * n) invalidParameter(`${what}: expected ${n}×${n} = ${n * n} entries, got ${matrix.length}`);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const upper = matrix[i * n + j]!;
      const lower = matrix[j * n + i]!;
      if (!Number.isFinite(upper) || !Number.isFinite(lower)) {
        invalidParameter(`${what}: entry (${i}, ${j}) is not a finite number`);
      }
      // Allow only round-off asymmetry (a few ulp), then use the mean of the two triangles.
      if (Math.abs(upper - lower) > 8 * FLOAT64_EPSILON * Math.max(Math.abs(upper), Math.abs(lower))) {
        invalidParameter(`${what}: matrix is not symmetric, entry (${i}, ${j}) = ${upper} but (${j}, ${i}) = ${lower}`);
      }
      const mean = upper === lower ? upper : 0.5 * (upper + lower);
      a[i * n + j] = mean;
      a[j * n + i] = mean;
    }
  }
  return a;
}

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix by cyclic two-sided Jacobi rotations.
 *
 * Each rotation in the (p, q) plane zeroes a_pq (Rutishauser's stable form: t = tan φ with
 * θ = (a_qq − a_pp) / (2 a_pq), t = sign θ / (|θ| + √(θ² + 1))). A pair is skipped once
 * |a_pq| ≤ ε √|a_pp a_qq| (Demmel–Veselić criterion), which for a positive-definite matrix gives
 * every eigenvalue — even tiny ones of a badly graded matrix — to high *relative* accuracy
 * (≈ ε · cond of the unit-diagonal scaled matrix), not just to ε · ‖A‖.
 *
 * @param matrix n × n symmetric matrix, row-major (length n²). Only round-off asymmetry is accepted.
 * @param n matrix order.
 * @returns eigenvalues ascending, eigenvectors as the columns of `vectors` (A = V Λ Vᵀ, VᵀV = I).
 * @throws AtomenvError `INVALID_PARAMETER` if the input is not a finite symmetric n × n matrix.
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number): SymmetricEigenResult {
  const a = symmetricCopy(matrix, n, 'symmetricEigen');
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;

  let sweeps = 0;
  for (;;) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        const app = a[p * n + p]!;
        const aqq = a[q * n + q]!;
        const size = Math.abs(apq);
        if (size <= FLOAT64_EPSILON * Math.sqrt(Math.abs(app * aqq)) || size < SMALLEST_NORMAL) continue;
        rotated = true;

        // tan φ of the rotation that annihilates a_pq (the smaller of the two roots).
        const theta = (aqq - app) / (2 * apq);
        const t =
          Math.abs(theta) > 1e150
            ? 0.5 / theta
            : (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1); // cos φ
        const s = t * c; // sin φ
        const tau = s / (1 + c); // tan(φ/2), for the a' = a ± s (… ∓ τ …) update form

        a[p * n + p] = app - t * apq;
        a[q * n + q] = aqq + t * apq;
        a[p * n + q] = 0;
        a[q * n + p] = 0;
        for (let r = 0; r < n; r++) {
          if (r === p || r === q) continue;
          const arp = a[r * n + p]!;
          const arq = a[r * n + q]!;
          const newRp = arp - s * (arq + tau * arp);
          const newRq = arq + s * (arp - tau * arq);
          a[r * n + p] = newRp;
          a[p * n + r] = newRp;
          a[r * n + q] = newRq;
          a[q * n + r] = newRq;
        }
        // Accumulate V ← V · J(p, q, φ).
        for (let r = 0; r < n; r++) {
          const vrp = v[r * n + p]!;
          const vrq = v[r * n + q]!;
          v[r * n + p] = vrp - s * (vrq + tau * vrp);
          v[r * n + q] = vrq + s * (vrp - tau * vrq);
        }
      }
    }
    if (!rotated) break;
    sweeps++;
    if (sweeps > MAX_SWEEPS) jacobiDidNotConverge(n);
  }

  // Sort ascending, permuting the eigenvector columns alongside.
  const order = Array.from({ length: n }, (_, j) => j).sort((i, j) => a[i * n + i]! - a[j * n + j]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const src = order[j]!;
    values[j] = a[src * n + src]!;
    for (let i = 0; i < n; i++) vectors[i * n + j] = v[i * n + src]!;
  }
  return { n, values, vectors, sweeps };
}

/** Eigenvalues (ascending) of H = D^{-1/2} S D^{-1/2}, D = diag S (diagonal assumed > 0). */
function unitDiagonalEigenvalues(s: Float64Array, n: number): Float64Array {
  const scaled = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      scaled[i * n + j] = s[i * n + j]! / Math.sqrt(s[i * n + i]! * s[j * n + j]!);
    }
  }
  return symmetricEigen(scaled, n).values;
}

/**
 * Condition number κ(H) = λ_max(H) / λ_min(H) of the unit-diagonal scaling H = D^{-1/2} S D^{-1/2}
 * (D = diag S) of a symmetric matrix. For a positive-definite S this, not κ(S), bounds how
 * accurately S^{-1/2} can be formed from float64 entries (relative error ≈ ε κ(H)).
 *
 * @param matrix n × n symmetric matrix, row-major.
 * @param n matrix order.
 * @returns κ(H), or `Infinity` when S is not positive definite (a diagonal entry or λ_min(H) ≤ 0).
 */
export function scaledConditionNumber(matrix: ArrayLike<number>, n: number): number {
  const s = symmetricCopy(matrix, n, 'scaledConditionNumber');
  for (let i = 0; i < n; i++) if (!(s[i * n + i]! > 0)) return Infinity;
  const values = unitDiagonalEigenvalues(s, n);
  return values[0]! > 0 ? values[n - 1]! / values[0]! : Infinity;
}

/**
 * Löwdin inverse square root of a symmetric positive-definite matrix:
 * S^{-1/2} = V diag(λ^{-1/2}) Vᵀ (the unique symmetric positive-definite root, i.e. what
 * DScribe's `sqrtm(inv(S))` approximates). Eigenvalues come from {@link symmetricEigen}.
 *
 * S is refused unless it is *numerically* positive definite: every diagonal entry > 0, and the
 * unit-diagonal scaled matrix H = D^{-1/2} S D^{-1/2} (D = diag S) has λ_min(H) > n ε λ_max(H).
 * Below that, the sign of the smallest eigenvalue is not determined by the float64 entries and
 * S^{-1/2} would be noise (DScribe either fails with a complex β or returns such noise).
 *
 * @param matrix n × n symmetric matrix, row-major.
 * @param n matrix order.
 * @param description what S is, for the error message (e.g. "overlap matrix of the GTO radial basis
 *   (r_cut = 5 Å, n_max = 8, l = 0)").
 * @returns S^{-1/2}, n × n row-major, symmetric.
 * @throws AtomenvError `INVALID_PARAMETER` naming `description` if S is not (numerically)
 *   positive definite, not symmetric or not finite.
 */
export function inverseSqrtSymmetric(matrix: ArrayLike<number>, n: number, description = 'matrix'): Float64Array {
  const s = symmetricCopy(matrix, n, description);

  // Positive definiteness needs a positive diagonal; then judge on the scaled matrix H.
  for (let i = 0; i < n; i++) {
    const d = s[i * n + i]!;
    if (!(d > 0)) nonPositiveDiagonal(description, i, d);
  }
  const hValues = unitDiagonalEigenvalues(s, n);
  const hMin = hValues[0]!;
  const hMax = hValues[n - 1]!;
  if (!(hMin > n * FLOAT64_EPSILON * hMax)) numericallyIndefinite(description, n, hMin, hMax);

  const { values, vectors } = symmetricEigen(s, n);
  if (!(values[0]! > 0)) nonPositiveEigenvalue(description, values[0]!);
  const invSqrt = new Float64Array(n);
  for (let j = 0; j < n; j++) invSqrt[j] = 1 / Math.sqrt(values[j]!);

  // (S^{-1/2})_{ik} = Σ_j V_ij λ_j^{-1/2} V_kj; fill the upper triangle and mirror it.
  const result = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = i; k < n; k++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += vectors[i * n + j]! * invSqrt[j]! * vectors[k * n + j]!;
      result[i * n + k] = sum;
      result[k * n + i] = sum;
    }
  }
  return result;
}

/** The error of a diagonal entry S_ii = d ≤ 0 (inverseSqrtSymmetric and its wasm twin). */
export function nonPositiveDiagonal(description: string, i: number, d: number): never {
  invalidParameter(
    `${description}: S is not positive definite (diagonal entry ${i} is ${d}); ` +
      'its inverse square root (Löwdin β = S^{-1/2}) would not be real',
  );
}

/** The error of λ_min(H) ≤ n ε λ_max(H) for the unit-diagonal scaling H of S. */
export function numericallyIndefinite(description: string, n: number, hMin: number, hMax: number): never {
  const problem =
    hMin <= 0
      ? `has a non-positive eigenvalue (${hMin.toExponential(3)} after scaling to unit diagonal)`
      : `is numerically singular (condition number ${(hMax / hMin).toExponential(2)} after scaling ` +
        `to unit diagonal, above 1/(n ε) = ${(1 / (n * FLOAT64_EPSILON)).toExponential(2)})`;
  invalidParameter(
    `${description}: S is not positive definite in float64 — it ${problem}; ` +
      'the Löwdin factors β = S^{-1/2} cannot be computed reliably (DScribe’s sqrtm(inv(S)) is complex or noise here)',
  );
}

/** The error of a smallest eigenvalue λ ≤ 0 of S. */
export function nonPositiveEigenvalue(description: string, value: number): never {
  invalidParameter(
    `${description}: S is not positive definite (smallest eigenvalue ${value.toExponential(3)}); ` +
      'the Löwdin factors β = S^{-1/2} would not be real',
  );
}

/** The error of a Jacobi iteration that did not converge. */
export function jacobiDidNotConverge(n: number): never {
  invalidParameter(`symmetricEigen: Jacobi iteration did not converge in ${MAX_SWEEPS} sweeps (n = ${n})`);
}

/** S^{-1/2} of an n × n matrix with a description of S for errors ({@link inverseSqrtSymmetric}'s signature). */
export type InverseSqrt = (matrix: ArrayLike<number>, n: number, description?: string) => Float64Array;
