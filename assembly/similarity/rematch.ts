// Regularised-entropy match (REMatch) of two structures from their local similarity matrix C
// [nA, nB] (De, Bartók, Csányi, Ceriotti, PCCP 18, 13754 (2016); DScribe's REMatchKernel):
//   P = argmax_P Σ_ij P_ij (C_ij − α ln P_ij) over P ≥ 0 with row sums 1/nA, column sums 1/nB,
//   K(A, B) = Σ_ij P_ij C_ij.
// Sinkhorn: P = diag(u) E diag(v) with E_ij = exp(−(1 − C_ij)/α), iterating
//   v_j = (1/nB) / Σ_i E_ij u_i,   u_i = (1/nA) / Σ_j E_ij v_j
// from u = 1/nA, v = 1/nB until ε = |Δu|²/|u|² + |Δv|²/|v|² ≤ threshold. As in DScribe, ε is not
// tested after iterations 0, 5, 10, … (0-based), so a run takes at least 2 iterations.
// E is computed as exp((C_ij − max C)/α): a constant factor, which leaves P and the iterates' ε
// unchanged, and keeps E ≤ 1 when C exceeds 1 (linear, polynomial metrics).
import { ldf, stf, sti } from '../memory';

/** Bytes of `work` that {@link soapKernelRematch} needs: E [nA, nB], u [nA], v [nB], t [nB]. */
export function soapKernelRematchWorkSize(nA: i32, nB: i32): usize {
  return (<usize>nA * <usize>nB + <usize>nA + 2 * <usize>nB) << 3;
}

/** Σ_k x_k y_k over n values. */
@inline function dot(x: usize, y: usize, n: i32): f64 {
  let acc = f64x2.splat(0);
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    const o = <usize>k << 3;
    acc = f64x2.add(acc, f64x2.mul(v128.load(x + o), v128.load(y + o)));
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (k < n) s += ldf(x, k) * ldf(y, k);
  return s;
}

/**
 * Σ x² kept as the pair (scale, ssq) with Σ x² = scale² · ssq (the update of LAPACK's dnrm2),
 * which neither overflows nor underflows: `acc` with x added.
 */
@inline function addSquare(acc: v128, x: f64): v128 {
  const a = Math.abs(x), scale = f64x2.extract_lane(acc, 0), ssq = f64x2.extract_lane(acc, 1);
  if (a > scale) {
    const r = scale / a;
    return f64x2.replace_lane(f64x2.splat(a), 1, 1.0 + ssq * r * r);
  }
  if (a > 0) {
    const r = a / scale;
    return f64x2.replace_lane(acc, 1, ssq + r * r);
  }
  return acc;
}

/** Σ d² / Σ y² from two {@link addSquare} pairs. */
@inline function ratioOfSquares(d: v128, y: v128): f64 {
  const r = f64x2.extract_lane(d, 0) / f64x2.extract_lane(y, 0);
  return r * r * (f64x2.extract_lane(d, 1) / f64x2.extract_lane(y, 1));
}

/** t += s · x over n values. */
@inline function axpy(t: usize, s: f64, x: usize, n: i32): void {
  const sv = f64x2.splat(s);
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    const o = <usize>k << 3;
    v128.store(t + o, f64x2.add(v128.load(t + o), f64x2.mul(sv, v128.load(x + o))));
  }
  if (k < n) stf(t, k, ldf(t, k) + s * ldf(x, k));
}

/**
 * REMatch similarity Σ P∘C of a local similarity matrix C [nA, nB] (C order). Writes to
 * status[0] (i32) the iteration count when converged, −maxIterations when ε is still above
 * `threshold` after maxIterations, or 0 when a row or column of E underflows to zero (α too
 * small for the spread of C) or the iteration produced a non-finite value; the result is NaN then.
 */
export function soapKernelRematch(
  nA: i32, nB: i32, c: usize, alpha: f64, threshold: f64, maxIterations: i32, work: usize, status: usize,
): f64 {
  const nm = nA * nB;
  const e = work, u = e + (<usize>nm << 3), v = u + (<usize>nA << 3), t = v + (<usize>nB << 3);
  let cMax = -Infinity;
  for (let k = 0; k < nm; k++) cMax = Math.max(cMax, ldf(c, k));
  const rowBytes = <usize>nB << 3;
  const inv = 1.0 / alpha;
  for (let k = 0; k < nm; k++) stf(e, k, Math.exp((ldf(c, k) - cMax) * inv));
  // Every row and column of E needs a positive sum, or the marginals cannot be met.
  for (let j = 0; j < nB; j++) stf(t, j, 0);
  for (let i = 0; i < nA; i++) {
    const row = e + <usize>i * rowBytes;
    let s = 0.0;
    for (let j = 0; j < nB; j++) s += ldf(row, j);
    if (!(s > 0)) return failed(status, 0);
    axpy(t, 1.0, row, nB);
  }
  for (let j = 0; j < nB; j++) if (!(ldf(t, j) > 0)) return failed(status, 0);

  const ea = 1.0 / <f64>nA, eb = 1.0 / <f64>nB;
  for (let i = 0; i < nA; i++) stf(u, i, ea);
  for (let j = 0; j < nB; j++) stf(v, j, eb);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    // t = Eᵀu, accumulated row by row; then v = (1/nB)/t.
    for (let j = 0; j < nB; j++) stf(t, j, 0);
    for (let i = 0; i < nA; i++) axpy(t, ldf(u, i), e + <usize>i * rowBytes, nB);
    // Each sum of squares also as scale² · ssq (no overflow), for when plain squares leave the
    // double range: u and v span e^(±spread/α) after the shift by max C, so already for
    // spread/α > ~354 a plain d² or v² overflows (or underflows) though u, v and P are finite.
    let dv = 0.0, vv = 0.0;
    let dvScaled = f64x2.splat(0), vvScaled = f64x2.splat(0);
    for (let j = 0; j < nB; j++) {
      const vNew = eb / ldf(t, j), d = vNew - ldf(v, j);
      dv += d * d;
      vv += vNew * vNew;
      dvScaled = addSquare(dvScaled, d);
      vvScaled = addSquare(vvScaled, vNew);
      stf(v, j, vNew);
    }
    // u = (1/nA)/(E v).
    let du = 0.0, uu = 0.0;
    let duScaled = f64x2.splat(0), uuScaled = f64x2.splat(0);
    for (let i = 0; i < nA; i++) {
      const uNew = ea / dot(e + <usize>i * rowBytes, v, nB), d = uNew - ldf(u, i);
      du += d * d;
      uu += uNew * uNew;
      duScaled = addSquare(duScaled, d);
      uuScaled = addSquare(uuScaled, uNew);
      stf(u, i, uNew);
    }
    let err = du / uu + dv / vv;
    // The plain sums where they are representable (the usual case, unchanged); else the scaled ones.
    if (!isFinite(err) || uu == 0 || vv == 0) err = ratioOfSquares(duScaled, uuScaled) + ratioOfSquares(dvScaled, vvScaled);
    // NaN: a non-finite u or v (a row or column of E too small); +∞ (a huge step) just does not pass.
    if (isNaN(err)) return failed(status, 0);
    const tested = iterations % 5 != 0;
    iterations++;
    if (tested && err <= threshold) {
      converged = true;
      break;
    }
  }
  if (!converged) return failed(status, -maxIterations);
  sti(status, 0, iterations);
  // Σ_ij u_i E_ij v_j C_ij.
  let sum = 0.0;
  for (let i = 0; i < nA; i++) {
    const row = e + <usize>i * rowBytes, crow = c + <usize>i * rowBytes;
    let s = 0.0;
    for (let j = 0; j < nB; j++) s += ldf(row, j) * ldf(v, j) * ldf(crow, j);
    sum += ldf(u, i) * s;
  }
  return sum;
}

@inline function failed(status: usize, code: i32): f64 {
  sti(status, 0, code);
  return NaN;
}
