// Löwdin inverse square root S^{-1/2} = V diag(λ^{-1/2}) Vᵀ of a small symmetric positive-definite
// matrix by cyclic Jacobi rotations: the same operations in the same order as
// src/soap/radial/symmetricEigen.ts (so the same doubles), in compiled code: run cold at start-up,
// the JavaScript version spends several ms in the interpreter for the 2 (l_max + 1) 8 × 8
// decompositions of a GTO basis. The TypeScript caller validates the input and words the errors.
//
// Matrices are dense, row-major, n × n, float64; the input must already be exactly symmetric.

/** Unit round-off of float64 (2⁻⁵²). */
const EPSILON: f64 = 2.220446049250313e-16;
/** Smallest positive normal float64; off-diagonal entries below it count as zero. */
const SMALLEST_NORMAL: f64 = 2.2250738585072014e-308;
/** Cyclic sweeps allowed before giving up. */
const MAX_SWEEPS = 100;

/** Status codes of {@link lowdinInverseSqrt} (info holds the numbers the message needs). */
export const LOWDIN_OK = 0;
/** A diagonal entry is not > 0: info[0] = its index, info[1] = its value. */
export const LOWDIN_NONPOSITIVE_DIAGONAL = 1;
/** The unit-diagonal scaled matrix H has a non-finite entry: info[0] = i, info[1] = j. */
export const LOWDIN_SCALED_NOT_FINITE = 2;
/** λ_min(H) ≤ n ε λ_max(H): info[0] = λ_min(H), info[1] = λ_max(H). */
export const LOWDIN_NOT_POSITIVE_DEFINITE = 3;
/** The smallest eigenvalue of S is ≤ 0: info[0] = it. */
export const LOWDIN_NONPOSITIVE_EIGENVALUE = 4;
/** Jacobi did not converge in MAX_SWEEPS sweeps. */
export const LOWDIN_NO_CONVERGENCE = 5;

@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

@inline function st(p: usize, i: i32, x: f64): void {
  store<f64>(p + (<usize>i << 3), x);
}

/**
 * Eigen-decomposition of the symmetric a (n × n, overwritten: its diagonal ends as the
 * eigenvalues) by cyclic Jacobi rotations (Rutishauser's form, Demmel–Veselić skip criterion),
 * accumulating V in v. Then values (ascending, stable order) and vectors (one per column) are
 * written, order: i32[n] scratch. Returns false when it did not converge.
 */
function jacobiEigen(a: usize, n: i32, v: usize, values: usize, vectors: usize, order: usize): bool {
  for (let i = 0; i < n * n; i++) st(v, i, 0.0);
  for (let i = 0; i < n; i++) st(v, i * n + i, 1.0);
  let sweeps = 0;
  for (;;) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = ld(a, p * n + q);
        const app = ld(a, p * n + p);
        const aqq = ld(a, q * n + q);
        const size = Math.abs(apq);
        if (size <= EPSILON * Math.sqrt(Math.abs(app * aqq)) || size < SMALLEST_NORMAL) continue;
        rotated = true;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.abs(theta) > 1e150
          ? 0.5 / theta
          : (theta >= 0 ? 1.0 : -1.0) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        const tau = s / (1 + c);
        st(a, p * n + p, app - t * apq);
        st(a, q * n + q, aqq + t * apq);
        st(a, p * n + q, 0.0);
        st(a, q * n + p, 0.0);
        for (let r = 0; r < n; r++) {
          if (r == p || r == q) continue;
          const arp = ld(a, r * n + p);
          const arq = ld(a, r * n + q);
          const newRp = arp - s * (arq + tau * arp);
          const newRq = arq + s * (arp - tau * arq);
          st(a, r * n + p, newRp);
          st(a, p * n + r, newRp);
          st(a, r * n + q, newRq);
          st(a, q * n + r, newRq);
        }
        for (let r = 0; r < n; r++) {
          const vrp = ld(v, r * n + p);
          const vrq = ld(v, r * n + q);
          st(v, r * n + p, vrp - s * (vrq + tau * vrp));
          st(v, r * n + q, vrq + s * (vrp - tau * vrq));
        }
      }
    }
    if (!rotated) break;
    sweeps++;
    if (sweeps > MAX_SWEEPS) return false;
  }
  // Stable ascending order of the diagonal (insertion sort: the same order as a stable sort).
  for (let j = 0; j < n; j++) {
    const x = ld(a, j * n + j);
    let k = j;
    while (k > 0 && ld(a, load<i32>(order + (<usize>(k - 1) << 2)) * (n + 1)) > x) {
      store<i32>(order + (<usize>k << 2), load<i32>(order + (<usize>(k - 1) << 2)));
      k--;
    }
    store<i32>(order + (<usize>k << 2), j);
  }
  for (let j = 0; j < n; j++) {
    const src = load<i32>(order + (<usize>j << 2));
    st(values, j, ld(a, src * n + src));
    for (let i = 0; i < n; i++) st(vectors, i * n + j, ld(v, i * n + src));
  }
  return true;
}

/** Bytes of `work` {@link lowdinInverseSqrt} needs for order n. */
export function lowdinInverseSqrtWorkSize(n: i32): usize {
  return (<usize>(4 * n * n + 2 * n) << 3) + (<usize>n << 2) + 16;
}

/**
 * S^{-1/2} of the symmetric n × n matrix s (row-major, exactly symmetric) into out (n × n),
 * after the checks of inverseSqrtSymmetric: a positive diagonal, then the unit-diagonal scaling
 * H = D^{-1/2} S D^{-1/2} must have λ_min(H) > n ε λ_max(H), then λ_min(S) > 0. Returns a
 * LOWDIN_* status; info: f64[2] with the numbers of a failed check. work:
 * lowdinInverseSqrtWorkSize(n) bytes.
 */
export function lowdinInverseSqrt(n: i32, s: usize, out: usize, info: usize, work: usize): i32 {
  const nn = <usize>(n * n) << 3;
  const a = (work + 15) & ~(<usize>15);
  const v = a + nn;
  const vectors = v + nn;
  const scaled = vectors + nn;
  const values = scaled + nn;
  const invSqrt = values + (<usize>n << 3);
  const order = invSqrt + (<usize>n << 3);
  for (let i = 0; i < n; i++) {
    const d = ld(s, i * n + i);
    if (!(d > 0)) {
      st(info, 0, <f64>i);
      st(info, 1, d);
      return LOWDIN_NONPOSITIVE_DIAGONAL;
    }
  }
  // Eigenvalues of H (unitDiagonalEigenvalues).
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) st(scaled, i * n + j, ld(s, i * n + j) / Math.sqrt(ld(s, i * n + i) * ld(s, j * n + j)));
  }
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      if (!isFinite(ld(scaled, i * n + j)) || !isFinite(ld(scaled, j * n + i))) {
        st(info, 0, <f64>i);
        st(info, 1, <f64>j);
        return LOWDIN_SCALED_NOT_FINITE;
      }
    }
  }
  if (!jacobiEigen(scaled, n, v, values, vectors, order)) return LOWDIN_NO_CONVERGENCE;
  const hMin = ld(values, 0), hMax = ld(values, n - 1);
  if (!(hMin > <f64>n * EPSILON * hMax)) {
    st(info, 0, hMin);
    st(info, 1, hMax);
    return LOWDIN_NOT_POSITIVE_DEFINITE;
  }
  memory.copy(a, s, nn);
  if (!jacobiEigen(a, n, v, values, vectors, order)) return LOWDIN_NO_CONVERGENCE;
  if (!(ld(values, 0) > 0)) {
    st(info, 0, ld(values, 0));
    return LOWDIN_NONPOSITIVE_EIGENVALUE;
  }
  for (let j = 0; j < n; j++) st(invSqrt, j, 1 / Math.sqrt(ld(values, j)));
  // (S^{-1/2})_{ik} = Σ_j V_ij λ_j^{-1/2} V_kj, upper triangle mirrored.
  for (let i = 0; i < n; i++) {
    for (let k = i; k < n; k++) {
      let sum = 0.0;
      for (let j = 0; j < n; j++) sum += ld(vectors, i * n + j) * ld(invSqrt, j) * ld(vectors, k * n + j);
      st(out, i * n + k, sum);
      st(out, k * n + i, sum);
    }
  }
  return LOWDIN_OK;
}
