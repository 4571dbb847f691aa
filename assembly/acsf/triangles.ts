// G4 values of every atom from the triangles of the neighbour graph, used when the centres are all
// atoms and a centre sees every atom at most once (no two images of one atom within r_c).
//
// A triangle i < j < k with all three sides < r_c adds to G4 of each of its three vertices:
//   the weight W_η = a_η(r_ij) a_η(r_ik) a_η(r_jk), a_η(r) = exp(−η r²) f_c(r), is shared, and each
//   vertex needs q± = 2 (1 ± cos θ) = |û ± û'|² of the unit vectors along its two sides (û_ij, û_ik,
//   û_jk = (d_ik − d_ij)/r_jk; at j the sides point to i and k, at k to i and j).
// So each triangle is visited once (not three times, from each vertex), a_η is evaluated once per
// edge, and no exponential is evaluated per triangle. Triangles are found from the upward lists
// (neighbours with a larger index, grouped by species): for i, each j in i's list, the k in j's
// list that are also in i's (an index map of i's list), branch-free. Vertices i and j sum a run
// of triangles in SIMD registers; the third vertex k is updated per triangle.
//
// Power sums: for λ = ±1 and integer ζ ≤ ZETA_POWERS, 2^{1−ζ} (1 ± cos θ)^ζ = 2^{1−2ζ} q±^ζ, so per
// (atom, species pair, η) the pairs (S+_p, S−_p) = Σ W_η (q+^p, q−^p), p = 1..max ζ, are accumulated
// and each such G4 function is one of them. Every term is ≥ 0 and q± is formed from unit vectors,
// never as 1 ± cos θ from a rounded cosine nor as a signed sum of moments of cos^p θ: a G4 made of
// nearly collinear triplets (1 + λ cos θ ≈ 0) keeps its relative precision. Other G4 functions
// (other λ, ζ not an integer or larger) get a direct slot Σ W_η P^ζ with the non-negative mix
// P = 1 + λ cos θ = ¼(1 + λ) q+ + ¼(1 − λ) q−.
import { ldf, stf, ldi, sti } from '../memory';
import { cutoffOfSquared2x, exp2x, fmadd } from '../math/simdMath';
import { n2, n4, nu4, pG4, pEta4, pMap4, zetaAsInteger } from './state';
import { addEdge, radialScratch } from './edgeRadial';

/**
 * True when no centre sees an atom twice or an image of itself (no two images of one atom within
 * r_c): then an edge of the list is determined by its two atoms. stamp: i32[nAtoms] scratch.
 */
export function neighbourAtomsUnique(nCenters: i32, offsets: usize, index: usize, nAtoms: i32, stamp: usize): bool {
  for (let a = 0; a < nAtoms; a++) sti(stamp, a, -1);
  for (let c = 0; c < nCenters; c++) {
    sti(stamp, c, c);
    const end = ldi(offsets, c + 1);
    for (let e = ldi(offsets, c); e < end; e++) {
      const k = ldi(index, e);
      if (ldi(stamp, k) == c) return false;
      sti(stamp, k, c);
    }
  }
  return true;
}

/** Largest integer ζ taken from the power sums (the others get a direct slot). */
const ZETA_POWERS = 4;

/** ζ of a function read from the power sums (λ = ±1, integer 1 ≤ ζ ≤ ZETA_POWERS), else −1. */
@inline function powerOrder(zeta: f64, lambda: f64): i32 {
  const zi = zetaAsInteger(zeta);
  return zi >= 1 && zi <= ZETA_POWERS && (lambda == 1.0 || lambda == -1.0) ? zi : -1;
}

/** Accumulator slots per (atom, species pair): the power pairs of each η, then one per direct function. */
export function triangleSlots(params: usize, counts: usize): i32 {
  const m4 = ldi(counts, 2), u4 = ldi(counts, 4);
  const pG = params + (<usize>(2 * ldi(counts, 0) + ldi(counts, 1)) << 3);
  const map = counts + 24;
  let slots = 0;
  for (let u = 0; u < u4; u++) {
    let top = 0;
    for (let f = 0; f < m4; f++) {
      const z = powerOrder(ldf(pG, 3 * f + 1), ldf(pG, 3 * f + 2));
      if (ldi(map, f) == u && z > top) top = z;
    }
    slots += 2 * top;
  }
  for (let f = 0; f < m4; f++) if (powerOrder(ldf(pG, 3 * f + 1), ldf(pG, 3 * f + 2)) < 0) slots++;
  return slots;
}

/** Bytes of scratch triangleG4 needs. */
export function triangleWorkSize(params: usize, counts: usize, nSpecies: i32, nEdges: i32, nAtoms: i32, kMax: i32): usize {
  const m4 = ldi(counts, 2), u4 = ldi(counts, 4);
  const slots = <usize>triangleSlots(params, counts);
  const nBlocks = <usize>((nSpecies * (nSpecies + 1)) >> 1);
  const f64s = <usize>nEdges * <usize>(5 + u4) + 6 + <usize>nAtoms * nBlocks * slots + <usize>m4 * 4 + <usize>(u4 + 4) + <usize>(u4 + 4) * <usize>(kMax + 4) + 4 + slots + 2 + <usize>(2 * n2 + 8);
  const i32s = <usize>(nAtoms * (nSpecies + 2) + 2 + nEdges + 2 * kMax + 2) + <usize>(2 * u4 + 4 * m4) + <usize>(nSpecies * nSpecies + nSpecies);
  return (f64s << 3) + (i32s << 2) + 128;
}

// Tables of the current call (in the work area).
let nPowU: usize = 0; // i32[nu4]: number of power pairs of η u (max ζ, or 0)
let dirU: usize = 0; // i32[n4]: η of each direct function
let dirA: usize = 0, dirB: usize = 0, dirZeta: usize = 0; // f64[n4]: P = A q+ + B q−, and ζ
let dirZi: usize = 0; // i32[n4]: ζ as an integer or −1
let nDirect = 0;
let slots = 0;

/**
 * Adds the triangle terms to the G4 values of every atom (row of atom a at values + a·nFeatures)
 * and, when withRadial, the radial terms of each edge (as radialFromEdges, the same sums in the
 * same order, with f_c shared with a_η). offsets/index/disp: the full neighbour list (centre c =
 * atom c); requires neighbourAtomsUnique.
 */
export function triangleG4(
  nAtoms: i32, offsets: usize, index: usize, disp: usize, atomSpecies: usize, nSpecies: i32,
  params: usize, counts: usize, rCut: f64, values: usize, nFeatures: i32, angularBase: i32, nAngular: i32,
  kMax: i32, work: usize, withRadial: bool, nRadial: i32,
): void {
  slots = triangleSlots(params, counts);
  const nEdges = ldi(offsets, nAtoms);
  const nBlocks = (nSpecies * (nSpecies + 1)) >> 1;
  // f64 per upward edge: r², 1/r, a_η (η = 0..nu4), d (x y z): one record holds all a triangle
  // step loads of a side (64 bytes for three η).
  const R = 5 + nu4;
  const dOff = <usize>(2 + nu4) << 3;
  // Work layout.
  const rec = (work + 63) & ~(<usize>63); // records on cache lines
  const acc = rec + ((<usize>nEdges * <usize>R + 2) << 3);
  const nAcc = <usize>nAtoms * <usize>nBlocks * <usize>slots;
  const coef = acc + (nAcc << 3);
  dirA = coef + (<usize>n4 << 3);
  dirB = dirA + (<usize>n4 << 3);
  dirZeta = dirB + (<usize>n4 << 3);
  const upOff = dirZeta + (<usize>n4 << 3);
  // Per run of ≤ kMax third vertices: (q+, q−) at i and at j (one v128 per triangle), and the
  // weights W_η (rows of L).
  const L = <usize>((kMax + 3) & ~1);
  const qI = (upOff + 15) & ~(<usize>15), qJ = qI + (L << 4);
  const Wl = qJ + (L << 4);
  const upRun = Wl + ((<usize>nu4 * L) << 3);
  const upAtom = upRun + (<usize>(nAtoms * (nSpecies + 1) + 1) << 2);
  const map = upAtom + (<usize>nEdges << 2);
  const buf = map + (<usize>nAtoms << 2);
  const segEnd = buf + (<usize>(2 * kMax + 2) << 2);
  nPowU = segEnd + (<usize>nSpecies << 2);
  dirU = nPowU + (<usize>nu4 << 2);
  dirZi = dirU + (<usize>n4 << 2);
  const fSlot = dirZi + (<usize>n4 << 2);
  const blockOf = fSlot + (<usize>n4 << 2);
  // A scratch row for the padding triangle's vertex k.
  const spare = (blockOf + (<usize>(nSpecies * nSpecies) << 2) + 15) & ~(<usize>15);
  const radial = withRadial ? (spare + ((<usize>slots + 2) << 3) + 15) & ~(<usize>15) : 0;

  buildTables(coef, fSlot);
  for (let p = 0; p < nSpecies; p++) {
    for (let q = 0; q < nSpecies; q++) {
      const lo = p < q ? p : q, hi = p < q ? q : p;
      sti(blockOf, p * nSpecies + q, ((hi * (hi + 1)) >> 1) + lo);
    }
  }

  // Upward edges i → j (j > i) of each atom, grouped by the species of j (run s of atom i starts
  // at upRun[i (S + 1) + s]), with r², 1/r, d and a_η(r).
  let t = 0;
  const S1 = nSpecies + 1;
  for (let i = 0; i < nAtoms; i++) {
    sti(map, i, -1);
    const begin = ldi(offsets, i), end = ldi(offsets, i + 1);
    for (let sp = 0; sp < nSpecies; sp++) {
      sti(upRun, i * S1 + sp, t);
      for (let e = begin; e < end; e++) {
        const j = ldi(index, e);
        if (j <= i || ldi(atomSpecies, j) != sp) continue;
        const dx = ldf(disp, 3 * e), dy = ldf(disp, 3 * e + 1), dz = ldf(disp, 3 * e + 2);
        const r2 = dx * dx + dy * dy + dz * dz;
        const r = rec + (<usize>(t * R) << 3);
        store<f64>(r, r2);
        store<f64>(r, 1.0 / Math.sqrt(r2), 8);
        store<f64>(r + dOff, dx);
        store<f64>(r + dOff, dy, 8);
        store<f64>(r + dOff, dz, 16);
        sti(upAtom, t, j);
        t++;
      }
    }
    sti(upRun, i * S1 + nSpecies, t);
  }
  edgeFactors(t, rec, R, rCut, radial, upRun, S1, upAtom, atomSpecies, values, nFeatures, nRadial);
  memory.fill(acc, 0, nAcc << 3);

  const rc2 = rCut * rCut;
  const sStride = <usize>slots << 3, aStride = <usize>nBlocks * sStride;
  for (let i = 0; i < nAtoms; i++) {
    const tb = ldi(upRun, i * S1), te = ldi(upRun, i * S1 + nSpecies);
    if (te - tb < 2) continue;
    for (let u = tb; u < te; u++) sti(map, ldi(upAtom, u), u);
    const si = ldi(atomSpecies, i);
    const accI = acc + <usize>i * aStride;
    for (let tij = tb; tij < te; tij++) {
      const j = ldi(upAtom, tij);
      const sj = ldi(atomSpecies, j);
      const rij = rec + (<usize>(tij * R) << 3);
      const ia = load<f64>(rij, 8);
      const xij = load<f64>(rij + dOff), yij = load<f64>(rij + dOff, 8), zij = load<f64>(rij + dOff, 16);
      // û_ij.
      const uxv = f64x2.splat(xij * ia), uyv = f64x2.splat(yij * ia), uzv = f64x2.splat(zij * ia);
      const accJ = acc + <usize>j * aStride;
      const accK0 = acc + <usize>ldi(blockOf, si * nSpecies + sj) * sStride;
      // Third vertices k > j: neighbours of j that are also (upward) neighbours of i, with the
      // image of k seen from i within r_c of j. (A different image of k seen from j would make
      // |d_ik − d_ij| ≥ r_c, as no atom sees two images of k.) j's list is grouped by species;
      // segEnd[s] is the end of species s's triangles in buf.
      // Candidates k in j's list that are also in i's (branch-free). The image check (the image of
      // k seen from i within r_c of j) is done per step below, as a mask on the weights.
      let m = 0;
      for (let sk = 0; sk < nSpecies; sk++) {
        const ke = ldi(upRun, j * S1 + sk + 1);
        for (let tjk = ldi(upRun, j * S1 + sk); tjk < ke; tjk++) {
          const tik = ldi(map, ldi(upAtom, tjk));
          // (tjk, tik) as one 8-byte store; tb ≤ tik < te as one unsigned comparison.
          store<u64>(buf + (<usize>m << 3), <u64><u32>tjk | (<u64><u32>tik << 32));
          m += <i32>(<u32>(tik - tb) < <u32>(te - tb));
        }
        sti(segEnd, sk, m);
      }
      if (m == 0) continue;
      // Two triangles per f64x2 step (an odd count repeats the last one in the padding place).
      if (m & 1) {
        sti(buf, 2 * m, ldi(buf, 2 * m - 2));
        sti(buf, 2 * m + 1, ldi(buf, 2 * m - 1));
      }
      const xv = f64x2.splat(xij), yv = f64x2.splat(yij), zv = f64x2.splat(zij), rc2v = f64x2.splat(rc2);
      const wRow = L << 3;
      for (let x = 0; x < m; x += 2) {
        const tjk0 = ldi(buf, 2 * x), tik0 = ldi(buf, 2 * x + 1);
        const tjk1 = ldi(buf, 2 * x + 2), tik1 = ldi(buf, 2 * x + 3);
        const rik0 = rec + (<usize>(tik0 * R) << 3), rjk0 = rec + (<usize>(tjk0 * R) << 3);
        const rik1 = rec + (<usize>(tik1 * R) << 3), rjk1 = rec + (<usize>(tjk1 * R) << 3);
        // 1/r of both triangles' sides ik and jk.
        const ib = v128.load64_lane(rik1 + 8, v128.load64_splat(rik0 + 8), 1);
        const ic = v128.load64_lane(rjk1 + 8, v128.load64_splat(rjk0 + 8), 1);
        const off = <usize>x << 3;
        // d_ik, and e = d_ik − d_ij (j → k for the image of k seen from i). Image check:
        // |e| < r_c, else (another image of k is j's neighbour, rare) the triangle gets weight 0.
        const q0 = rik0 + dOff, q1 = rik1 + dOff;
        const bx = v128.load64_lane(q1, v128.load64_splat(q0), 1);
        const by = v128.load64_lane(q1 + 8, v128.load64_splat(q0 + 8), 1);
        const bz = v128.load64_lane(q1 + 16, v128.load64_splat(q0 + 16), 1);
        const ex = f64x2.sub(bx, xv), ey = f64x2.sub(by, yv), ez = f64x2.sub(bz, zv);
        const inside = f64x2.lt(fmadd(ez, ez, fmadd(ey, ey, f64x2.mul(ex, ex))), rc2v);
        // Unit vectors û_ik and û_jk, then q± = |û ± û'|² at each vertex (finite for the masked
        // triangles too, whose weight is 0).
        const ukx = f64x2.mul(bx, ib), uky = f64x2.mul(by, ib), ukz = f64x2.mul(bz, ib);
        const ucx = f64x2.mul(ex, ic), ucy = f64x2.mul(ey, ic), ucz = f64x2.mul(ez, ic);
        // i: û_ij ± û_ik.
        const qpi = norm2(f64x2.add(uxv, ukx), f64x2.add(uyv, uky), f64x2.add(uzv, ukz));
        const qmi = norm2(f64x2.sub(uxv, ukx), f64x2.sub(uyv, uky), f64x2.sub(uzv, ukz));
        v128.store(qI + (off << 1), v128.shuffle<f64>(qpi, qmi, 0, 2));
        v128.store(qI + (off << 1), v128.shuffle<f64>(qpi, qmi, 1, 3), 16);
        // j: sides to i (−û_ij) and to k (û_jk).
        const qpj = norm2(f64x2.sub(ucx, uxv), f64x2.sub(ucy, uyv), f64x2.sub(ucz, uzv));
        const qmj = norm2(f64x2.add(ucx, uxv), f64x2.add(ucy, uyv), f64x2.add(ucz, uzv));
        v128.store(qJ + (off << 1), v128.shuffle<f64>(qpj, qmj, 0, 2));
        v128.store(qJ + (off << 1), v128.shuffle<f64>(qpj, qmj, 1, 3), 16);
        // k: sides to i (−û_ik) and to j (−û_jk).
        const qpk = norm2(f64x2.add(ukx, ucx), f64x2.add(uky, ucy), f64x2.add(ukz, ucz));
        const qmk = norm2(f64x2.sub(ukx, ucx), f64x2.sub(uky, ucy), f64x2.sub(ukz, ucz));
        // Vertex k of each triangle (the padding triangle's goes to a scratch row): the power
        // pairs (W q+^p, W q−^p) of both triangles from one vector product each.
        const k0 = accK0 + <usize>ldi(upAtom, tjk0) * aStride;
        const k1 = x + 1 < m ? accK0 + <usize>ldi(upAtom, tjk1) * aStride : spare;
        let wp = Wl + off, o: usize = 16, s: usize = 0;
        for (let u = 0; u < nu4; u++) {
          const wik = v128.load64_lane(rik1 + o, v128.load64_splat(rik0 + o), 1);
          const wjk = v128.load64_lane(rjk1 + o, v128.load64_splat(rjk0 + o), 1);
          const w = v128.and(f64x2.mul(f64x2.splat(load<f64>(rij + o)), f64x2.mul(wik, wjk)), inside);
          v128.store(wp, w);
          wp += wRow;
          o += 8;
          const np = ldi(nPowU, u);
          if (np == 0) continue;
          // (W q+^p, W q−^p) for p = 1..np: lane 0 to k0, lane 1 to k1.
          let lo = f64x2.mul(w, qpk), hi = f64x2.mul(w, qmk);
          for (let p = 1; ; p++) {
            v128.store(k0 + s, f64x2.add(v128.load(k0 + s), v128.shuffle<f64>(lo, hi, 0, 2)));
            v128.store(k1 + s, f64x2.add(v128.load(k1 + s), v128.shuffle<f64>(lo, hi, 1, 3)));
            s += 16;
            if (p >= np) break;
            lo = f64x2.mul(lo, qpk);
            hi = f64x2.mul(hi, qmk);
          }
        }
        if (nDirect > 0) {
          addDirect(k0 + s, Wl + off, wRow, f64x2.extract_lane(qpk, 0), f64x2.extract_lane(qmk, 0));
          addDirect(k1 + s, Wl + off + 8, wRow, f64x2.extract_lane(qpk, 1), f64x2.extract_lane(qmk, 1));
        }
      }
      // Vertices i and j: each species' sums in registers.
      let x0 = 0;
      for (let sk = 0; sk < nSpecies; sk++) {
        const x1 = ldi(segEnd, sk);
        if (x1 == x0) continue;
        addRun(x0, x1, qI, qJ, Wl, L,
          accI + (<usize>ldi(blockOf, sj * nSpecies + sk) * sStride),
          accJ + (<usize>ldi(blockOf, si * nSpecies + sk) * sStride));
        x0 = x1;
      }
    }
  }

  // G4 = 2^{1−2ζ} S±_ζ (power sums) or 2^{1−ζ} · direct sum.
  for (let i = 0; i < nAtoms; i++) {
    const row = values + (<usize>i * <usize>nFeatures << 3);
    for (let q = 0; q < nSpecies; q++) {
      for (let p = 0; p <= q; p++) {
        const blk = ((q * (q + 1)) >> 1) + p;
        const A = acc + <usize>i * aStride + <usize>blk * sStride;
        const out = angularBase + blk * nAngular;
        for (let f = 0; f < n4; f++) stf(row, out + f, ldf(coef, f) * ldf(A, ldi(fSlot, f)));
      }
    }
  }
}

/** |v|² of a vector of two lanes per component. */
@inline function norm2(x: v128, y: v128, z: v128): v128 {
  return fmadd(z, z, fmadd(y, y, f64x2.mul(x, x)));
}

/** The direct slots at A: += W_η P^ζ of each direct function (W_η at W + η·wStride; q+, q− of the vertex). */
@inline function addDirect(A: usize, W: usize, wStride: usize, qp: f64, qm: f64): void {
  let s = A;
  for (let d = 0; d < nDirect; d++) {
    store<f64>(s, load<f64>(s) + load<f64>(W + <usize>ldi(dirU, d) * wStride) * directPower(d, qp, qm));
    s += 8;
  }
}

/** P^ζ_d of direct function d, P = 1 + λ_d cos θ = A_d q+ + B_d q− (≥ 0: no cancellation, never NaN). */
@inline function directPower(d: i32, qp: f64, qm: f64): f64 {
  const base = ldf(dirA, d) * qp + ldf(dirB, d) * qm;
  const zi = ldi(dirZi, d);
  if (zi < 0) return Math.pow(base, ldf(dirZeta, d));
  let pw = 1.0, b = base, n = zi;
  while (n > 0) {
    if (n & 1) pw *= b;
    b *= b;
    n >>= 1;
  }
  return pw;
}

/**
 * Adds the power pairs Σ_t W_η,t (q+_t^p, q−_t^p) of triangles x0 ≤ t < x1 ((q+, q−) at vertex i
 * in QI, at j in QJ, one v128 per triangle; W rows of L) to the slots at AI and AJ: each pair is
 * one vector, so a run (a few triangles) needs no horizontal sums and no odd tail.
 */
function addRun(x0: i32, x1: i32, QI: usize, QJ: usize, W: usize, L: usize, AI: usize, AJ: usize): void {
  let s: usize = 0;
  const zero = f64x2.splat(0);
  for (let u = 0; u < nu4; u++) {
    const w = W + ((<usize>u * L) << 3);
    const np = ldi(nPowU, u);
    if (np == 0) continue;
    if (np == 2 && u + 2 < nu4 && ldi(nPowU, u + 1) == 1 && ldi(nPowU, u + 2) == 1) {
      // η u with two power pairs (ζ 1 and 2) and the next two η with one each (the typical
      // G4 set) in one pass: eight sums in registers, q± loaded once per triangle.
      const w1 = w + (L << 3), w2 = w1 + (L << 3);
      let ai = zero, ai2 = zero, aj = zero, aj2 = zero, bi = zero, bj = zero, ci = zero, cj = zero;
      for (let x = x0; x < x1; x++) {
        const xo = <usize>x << 3;
        const qi = v128.load(QI + (xo << 1)), qj = v128.load(QJ + (xo << 1));
        const wt = v128.load64_splat(w + xo);
        const ti = f64x2.mul(wt, qi), tj = f64x2.mul(wt, qj);
        ai = f64x2.add(ai, ti);
        aj = f64x2.add(aj, tj);
        ai2 = fmadd(ti, qi, ai2);
        aj2 = fmadd(tj, qj, aj2);
        const wt1 = v128.load64_splat(w1 + xo);
        bi = fmadd(wt1, qi, bi);
        bj = fmadd(wt1, qj, bj);
        const wt2 = v128.load64_splat(w2 + xo);
        ci = fmadd(wt2, qi, ci);
        cj = fmadd(wt2, qj, cj);
      }
      v128.store(AI + s, f64x2.add(v128.load(AI + s), ai));
      v128.store(AJ + s, f64x2.add(v128.load(AJ + s), aj));
      v128.store(AI + s, f64x2.add(v128.load(AI + s, 16), ai2), 16);
      v128.store(AJ + s, f64x2.add(v128.load(AJ + s, 16), aj2), 16);
      v128.store(AI + s, f64x2.add(v128.load(AI + s, 32), bi), 32);
      v128.store(AJ + s, f64x2.add(v128.load(AJ + s, 32), bj), 32);
      v128.store(AI + s, f64x2.add(v128.load(AI + s, 48), ci), 48);
      v128.store(AJ + s, f64x2.add(v128.load(AJ + s, 48), cj), 48);
      s += 64;
      u += 2;
      continue;
    }
    if (np == 1 && u + 1 < nu4 && ldi(nPowU, u + 1) == 1) {
      // Two η of one power pair each (the usual ζ = 1 functions) in one pass.
      const w2 = w + (L << 3);
      let ai = zero, aj = zero, bi = zero, bj = zero;
      for (let x = x0; x < x1; x++) {
        const wt = v128.load64_splat(w + (<usize>x << 3)), wt2 = v128.load64_splat(w2 + (<usize>x << 3));
        const qi = v128.load(QI + (<usize>x << 4)), qj = v128.load(QJ + (<usize>x << 4));
        ai = fmadd(wt, qi, ai);
        aj = fmadd(wt, qj, aj);
        bi = fmadd(wt2, qi, bi);
        bj = fmadd(wt2, qj, bj);
      }
      v128.store(AI + s, f64x2.add(v128.load(AI + s), ai));
      v128.store(AJ + s, f64x2.add(v128.load(AJ + s), aj));
      v128.store(AI + s, f64x2.add(v128.load(AI + s, 16), bi), 16);
      v128.store(AJ + s, f64x2.add(v128.load(AJ + s, 16), bj), 16);
      s += 32;
      u++;
      continue;
    }
    if (np == 1) {
      let ai = zero, aj = zero;
      for (let x = x0; x < x1; x++) {
        const wt = v128.load64_splat(w + (<usize>x << 3));
        ai = fmadd(wt, v128.load(QI + (<usize>x << 4)), ai);
        aj = fmadd(wt, v128.load(QJ + (<usize>x << 4)), aj);
      }
      v128.store(AI + s, f64x2.add(v128.load(AI + s), ai));
      v128.store(AJ + s, f64x2.add(v128.load(AJ + s), aj));
    } else if (np == 2) {
      let ai = zero, ai2 = zero, aj = zero, aj2 = zero;
      for (let x = x0; x < x1; x++) {
        const wt = v128.load64_splat(w + (<usize>x << 3));
        const qi = v128.load(QI + (<usize>x << 4)), qj = v128.load(QJ + (<usize>x << 4));
        const ti = f64x2.mul(wt, qi), tj = f64x2.mul(wt, qj);
        ai = f64x2.add(ai, ti);
        aj = f64x2.add(aj, tj);
        ai2 = fmadd(ti, qi, ai2);
        aj2 = fmadd(tj, qj, aj2);
      }
      v128.store(AI + s, f64x2.add(v128.load(AI + s), ai));
      v128.store(AJ + s, f64x2.add(v128.load(AJ + s), aj));
      v128.store(AI + s, f64x2.add(v128.load(AI + s, 16), ai2), 16);
      v128.store(AJ + s, f64x2.add(v128.load(AJ + s, 16), aj2), 16);
    } else {
      addPowerPairs(x0, x1, QI, w, AI + s, np);
      addPowerPairs(x0, x1, QJ, w, AJ + s, np);
    }
    s += <usize>np << 4;
  }
  for (let d = 0; d < nDirect; d++) {
    const w = W + ((<usize>ldi(dirU, d) * L) << 3);
    let sumI = 0.0, sumJ = 0.0;
    for (let x = x0; x < x1; x++) {
      const qi = QI + (<usize>x << 4), qj = QJ + (<usize>x << 4);
      sumI += ldf(w, x) * directPower(d, load<f64>(qi), load<f64>(qi, 8));
      sumJ += ldf(w, x) * directPower(d, load<f64>(qj), load<f64>(qj, 8));
    }
    store<f64>(AI + s, load<f64>(AI + s) + sumI);
    store<f64>(AJ + s, load<f64>(AJ + s) + sumJ);
    s += 8;
  }
}

/** Pairs p = 1..np at A (slots 2(p − 1), 2p − 1) += Σ_{x0 ≤ t < x1} W_t (q+_t, q−_t)^p (ζ 3 and 4: rare). */
function addPowerPairs(x0: i32, x1: i32, Q: usize, w: usize, A: usize, np: i32): void {
  for (let x = x0; x < x1; x++) {
    const q = v128.load(Q + (<usize>x << 4));
    let t = f64x2.mul(v128.load64_splat(w + (<usize>x << 3)), q);
    let a = A;
    for (let p = 1; ; p++) {
      v128.store(a, f64x2.add(v128.load(a), t));
      if (p >= np) break;
      t = f64x2.mul(t, q);
      a += 16;
    }
  }
}

/** Power pairs per η, the direct functions, and each function's slot and coefficient. */
function buildTables(coef: usize, fSlot: usize): void {
  let s = 0;
  for (let u = 0; u < nu4; u++) {
    let top = 0;
    for (let f = 0; f < n4; f++) {
      const z = powerOrder(ldf(pG4, 3 * f + 1), ldf(pG4, 3 * f + 2));
      if (ldi(pMap4, f) == u && z > top) top = z;
    }
    sti(nPowU, u, top);
    for (let f = 0; f < n4; f++) {
      const zeta = ldf(pG4, 3 * f + 1), lambda = ldf(pG4, 3 * f + 2);
      const z = powerOrder(zeta, lambda);
      if (ldi(pMap4, f) != u || z < 0) continue;
      // 2^{1−ζ} (1 ± cos θ)^ζ = 2^{1−2ζ} q±^ζ: slot 2(ζ − 1) for λ = 1, 2ζ − 1 for λ = −1.
      sti(fSlot, f, s + 2 * (z - 1) + (lambda < 0 ? 1 : 0));
      stf(coef, f, Math.pow(2.0, 1.0 - 2.0 * zeta));
    }
    s += 2 * top;
  }
  nDirect = 0;
  for (let f = 0; f < n4; f++) {
    const zeta = ldf(pG4, 3 * f + 1), lambda = ldf(pG4, 3 * f + 2);
    if (powerOrder(zeta, lambda) >= 0) continue;
    sti(dirU, nDirect, ldi(pMap4, f));
    // 1 + λ cos θ = ¼(1 + λ) q+ + ¼(1 − λ) q−.
    stf(dirA, nDirect, 0.25 * (1.0 + lambda));
    stf(dirB, nDirect, 0.25 * (1.0 - lambda));
    stf(dirZeta, nDirect, zeta);
    sti(dirZi, nDirect, zetaAsInteger(zeta));
    sti(fSlot, f, s + nDirect);
    stf(coef, f, Math.pow(2.0, 1.0 - zeta));
    nDirect++;
  }
}

/**
 * a_η(r) = exp(−η r²) f_c(r) into each record (r² at 0, a_η at 2 + u), two edges per step; when
 * radial ≠ 0 (scratch for radialScratch), also each edge's radial terms into both atoms' rows.
 */
function edgeFactors(
  count: i32, rec: usize, R: i32, rCut: f64, radial: usize, upRun: usize, S1: i32, upAtom: usize,
  atomSpecies: usize, values: usize, nFeatures: i32, nRadial: i32,
): void {
  const piOverRc2 = f64x2.splat(Math.PI * Math.PI / (rCut * rCut));
  const stride = <usize>R << 3;
  const rsV = radial != 0 ? radialScratch(radial) : 0;
  const nPairs = n2 >> 1, rowBytes = <usize>nFeatures << 3;
  let ia = 0; // atom of record e: upRun[ia S1] ≤ e < upRun[(ia + 1) S1]
  for (let e = 0; e < count; e += 2) {
    const p0 = rec + <usize>e * stride;
    const p1 = e + 1 < count ? p0 + stride : p0;
    const x = v128.load64_lane(p1, v128.load64_splat(p0), 1);
    const fc = cutoffOfSquared2x(x, piOverRc2);
    for (let u = 0; u < nu4; u++) {
      const w = f64x2.mul(exp2x(f64x2.mul(f64x2.splat(-ldf(pEta4, u)), x)), fc);
      const o = <usize>(2 + u) << 3;
      v128.store64_lane(p0 + o, w, 0);
      v128.store64_lane(p1 + o, w, 1);
    }
    if (radial == 0) continue;
    const rr = f64x2.sqrt(x);
    while (ldi(upRun, (ia + 1) * S1) <= e) ia++;
    addEdge(ia, ldi(upAtom, e), f64x2.extract_lane(rr, 0), f64x2.extract_lane(fc, 0), atomSpecies, values, rowBytes, nRadial, radial, rsV, nPairs);
    if (e + 1 >= count) continue;
    while (ldi(upRun, (ia + 1) * S1) <= e + 1) ia++;
    addEdge(ia, ldi(upAtom, e + 1), f64x2.extract_lane(rr, 1), f64x2.extract_lane(fc, 1), atomSpecies, values, rowBytes, nRadial, radial, rsV, nPairs);
  }
}
