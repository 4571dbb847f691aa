// G4 values of every atom from the triangles of the neighbour graph, used when the centres are all
// atoms and a centre sees every atom at most once (no two images of one atom within r_c).
//
// A triangle i < j < k with all three sides < r_c adds to G4 of each of its three vertices:
//   the weight W_η = a_η(r_ij) a_η(r_ik) a_η(r_jk), a_η(r) = exp(−η r²) f_c(r), is shared, and the
//   cosine at each vertex follows from the three sides: cos θ_i = (r_ij² + r_ik² − r_jk²) / (2 r_ij r_ik).
// So each triangle is visited once (not three times, from each vertex), a_η is evaluated once per
// edge, and no exponential is evaluated per triangle. Triangles are found from the upward lists
// (neighbours with a larger index, grouped by species): for i, each j in i's list, the k in j's
// list that are also in i's (an index map of i's list), branch-free. Vertices i and j sum a run
// of triangles in SIMD registers; the third vertex k is updated per triangle.
//
// Moments: for integer ζ ≤ ZETA_MOMENTS, (1 + λ cos θ)^ζ = Σ_p C(ζ, p) λ^p cos^p θ, so per
// (atom, species pair, η) only S_p = Σ W_η cos^p θ, p = 0..max ζ, is accumulated and every G4
// function with that η is combined from them at the end. Other G4 functions (ζ not an integer,
// or larger) get a direct slot Σ W_η (1 + λ cos θ)^ζ.
import { ldf, stf, ldi, sti } from '../memory';
import { cutoffOfSquared2x, exp2x, fmadd } from '../math/simdMath';
import { n4, nu4, pG4, pEta4, pMap4, zetaAsInteger } from './state';

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

/** Largest integer ζ combined from cos θ moments (the others get a direct slot). */
const ZETA_MOMENTS = 4;

@inline function momentOrder(zeta: f64): i32 {
  const zi = zetaAsInteger(zeta);
  return zi >= 0 && zi <= ZETA_MOMENTS ? zi : -1;
}

/** Accumulator slots per (atom, species pair): moments of each η (padded to pairs), then one per direct function. */
export function triangleSlots(params: usize, counts: usize): i32 {
  const m4 = ldi(counts, 2), u4 = ldi(counts, 4);
  const pG = params + (<usize>(2 * ldi(counts, 0) + ldi(counts, 1)) << 3);
  const map = counts + 24;
  let slots = 0;
  for (let u = 0; u < u4; u++) {
    let top = -1;
    for (let f = 0; f < m4; f++) {
      const z = momentOrder(ldf(pG, 3 * f + 1));
      if (ldi(map, f) == u && z > top) top = z;
    }
    slots += (top + 2) & ~1;
  }
  for (let f = 0; f < m4; f++) if (momentOrder(ldf(pG, 3 * f + 1)) < 0) slots++;
  return slots;
}

/** Bytes of scratch triangleG4 needs. */
export function triangleWorkSize(params: usize, counts: usize, nSpecies: i32, nEdges: i32, nAtoms: i32, kMax: i32): usize {
  const m4 = ldi(counts, 2), u4 = ldi(counts, 4);
  const slots = <usize>triangleSlots(params, counts);
  const nBlocks = <usize>((nSpecies * (nSpecies + 1)) >> 1);
  const f64s = <usize>nEdges * <usize>(5 + u4) + 6 + <usize>nAtoms * nBlocks * slots + <usize>m4 * (ZETA_MOMENTS + 3) + <usize>(u4 + 2) + <usize>(u4 + 2) * <usize>(kMax + 4) + 4 + slots + 2;
  const i32s = <usize>(nAtoms * (nSpecies + 2) + 2 + nEdges + 2 * kMax + 2) + <usize>(2 * u4 + 4 * m4) + <usize>(nSpecies * nSpecies + nSpecies);
  return (f64s << 3) + (i32s << 2) + 128;
}

// Tables of the current call (in the work area).
let nMomU: usize = 0; // i32[nu4]: number of moment slots of η u (max ζ + 1, or 0)
let dirU: usize = 0; // i32[n4]: η of each direct function
let dirLambda: usize = 0, dirZeta: usize = 0; // f64[n4]
let dirZi: usize = 0; // i32[n4]: ζ as an integer or −1
let nDirect = 0;
let slots = 0;

/**
 * Adds the triangle terms to the G4 values of every atom (row of atom a at values + a·nFeatures).
 * offsets/index/disp: the full neighbour list (centre c = atom c); requires neighbourAtomsUnique.
 */
export function triangleG4(
  nAtoms: i32, offsets: usize, index: usize, disp: usize, atomSpecies: usize, nSpecies: i32,
  params: usize, counts: usize, rCut: f64, values: usize, nFeatures: i32, angularBase: i32, nAngular: i32,
  kMax: i32, work: usize,
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
  dirLambda = coef + (<usize>(n4 * (ZETA_MOMENTS + 1)) << 3);
  dirZeta = dirLambda + (<usize>n4 << 3);
  const upOff = dirZeta + (<usize>n4 << 3);
  // Per run of ≤ kMax third vertices: cos θ at i and at j, and the weights W_η (rows of L).
  const L = <usize>((kMax + 3) & ~1);
  const cosI = (upOff + 15) & ~(<usize>15), cosJ = cosI + (L << 3), Wl = cosJ + (L << 3);
  const upRun = Wl + ((<usize>nu4 * L) << 3);
  const upAtom = upRun + (<usize>(nAtoms * (nSpecies + 1) + 1) << 2);
  const map = upAtom + (<usize>nEdges << 2);
  const buf = map + (<usize>nAtoms << 2);
  const segEnd = buf + (<usize>(2 * kMax + 2) << 2);
  nMomU = segEnd + (<usize>nSpecies << 2);
  dirU = nMomU + (<usize>nu4 << 2);
  dirZi = dirU + (<usize>n4 << 2);
  const fSlot = dirZi + (<usize>n4 << 2);
  const fTerms = fSlot + (<usize>n4 << 2);
  const blockOf = fTerms + (<usize>n4 << 2);
  // A scratch row for the padding triangle's vertex k.
  const spare = (blockOf + (<usize>(nSpecies * nSpecies) << 2) + 15) & ~(<usize>15);

  buildTables(coef, fSlot, fTerms);
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
  edgeFactors(t, rec, R, rCut);
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
      const a = load<f64>(rij), ia = load<f64>(rij, 8);
      const xij = load<f64>(rij + dOff), yij = load<f64>(rij + dOff, 8), zij = load<f64>(rij + dOff, 16);
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
      const av = f64x2.splat(a), iav = f64x2.splat(ia), half = f64x2.splat(0.5);
      const xv = f64x2.splat(xij), yv = f64x2.splat(yij), zv = f64x2.splat(zij), rc2v = f64x2.splat(rc2);
      const wRow = L << 3;
      for (let x = 0; x < m; x += 2) {
        const tjk0 = ldi(buf, 2 * x), tik0 = ldi(buf, 2 * x + 1);
        const tjk1 = ldi(buf, 2 * x + 2), tik1 = ldi(buf, 2 * x + 3);
        const rik0 = rec + (<usize>(tik0 * R) << 3), rjk0 = rec + (<usize>(tjk0 * R) << 3);
        const rik1 = rec + (<usize>(tik1 * R) << 3), rjk1 = rec + (<usize>(tjk1 * R) << 3);
        // (r², 1/r) of both triangles' sides ik and jk.
        const ik0 = v128.load(rik0), ik1 = v128.load(rik1), jk0 = v128.load(rjk0), jk1 = v128.load(rjk1);
        const b = v128.shuffle<f64>(ik0, ik1, 0, 2), ib = v128.shuffle<f64>(ik0, ik1, 1, 3);
        const c = v128.shuffle<f64>(jk0, jk1, 0, 2), ic = v128.shuffle<f64>(jk0, jk1, 1, 3);
        const off = <usize>x << 3;
        // Image check: |d_ik − d_ij| < r_c, else (another image of k is j's neighbour, rare) the
        // triangle gets weight 0 and cosines 0.
        const q0 = rik0 + dOff, q1 = rik1 + dOff;
        const ex = f64x2.sub(v128.load64_lane(q1, v128.load64_splat(q0), 1), xv);
        const ey = f64x2.sub(v128.load64_lane(q1 + 8, v128.load64_splat(q0 + 8), 1), yv);
        const ez = f64x2.sub(v128.load64_lane(q1 + 16, v128.load64_splat(q0 + 16), 1), zv);
        const inside = f64x2.lt(f64x2.add(f64x2.add(f64x2.mul(ex, ex), f64x2.mul(ey, ey)), f64x2.mul(ez, ez)), rc2v);
        // Law of cosines at each vertex.
        v128.store(cosI + off, v128.and(f64x2.mul(f64x2.mul(half, f64x2.sub(f64x2.add(av, b), c)), f64x2.mul(iav, ib)), inside));
        v128.store(cosJ + off, v128.and(f64x2.mul(f64x2.mul(half, f64x2.sub(f64x2.add(av, c), b)), f64x2.mul(iav, ic)), inside));
        const ck = v128.and(f64x2.mul(f64x2.mul(half, f64x2.sub(f64x2.add(b, c), av)), f64x2.mul(ib, ic)), inside);
        // Vertex k of each triangle (the padding triangle's goes to a scratch row): the moment
        // pairs (S_0, S_1), (S_2, S_3) of both triangles from one vector product each.
        const k0 = accK0 + <usize>ldi(upAtom, tjk0) * aStride;
        const k1 = x + 1 < m ? accK0 + <usize>ldi(upAtom, tjk1) * aStride : spare;
        const ck2 = f64x2.mul(ck, ck);
        let wp = Wl + off, o: usize = 16, s: usize = 0;
        for (let u = 0; u < nu4; u++) {
          const wik = v128.load64_lane(rik1 + o, v128.load64_splat(rik0 + o), 1);
          const wjk = v128.load64_lane(rjk1 + o, v128.load64_splat(rjk0 + o), 1);
          const w = v128.and(f64x2.mul(f64x2.splat(load<f64>(rij + o)), f64x2.mul(wik, wjk)), inside);
          v128.store(wp, w);
          wp += wRow;
          o += 8;
          const np = ldi(nMomU, u);
          if (np == 0) continue;
          // (W cos^p, W cos^{p+1}) for p = 0, 2, …: lane 0 to k0, lane 1 to k1.
          let lo = w, hi = f64x2.mul(w, ck);
          for (let p = 0; ; ) {
            v128.store(k0 + s, f64x2.add(v128.load(k0 + s), v128.shuffle<f64>(lo, hi, 0, 2)));
            v128.store(k1 + s, f64x2.add(v128.load(k1 + s), v128.shuffle<f64>(lo, hi, 1, 3)));
            s += 16;
            p += 2;
            if (p >= np) break;
            lo = f64x2.mul(lo, ck2);
            hi = f64x2.mul(hi, ck2);
          }
        }
        if (nDirect > 0) {
          addDirect(k0 + s, Wl + off, wRow, f64x2.extract_lane(ck, 0));
          addDirect(k1 + s, Wl + off + 8, wRow, f64x2.extract_lane(ck, 1));
        }
      }
      // Vertices i and j: each species' sums in registers.
      let x0 = 0;
      for (let sk = 0; sk < nSpecies; sk++) {
        const x1 = ldi(segEnd, sk);
        if (x1 == x0) continue;
        addRun(x0, x1, cosI, cosJ, Wl, L,
          accI + (<usize>ldi(blockOf, sj * nSpecies + sk) * sStride),
          accJ + (<usize>ldi(blockOf, si * nSpecies + sk) * sStride));
        x0 = x1;
      }
    }
  }

  // G4 = 2^{1−ζ} Σ_p C(ζ, p) λ^p S_p (moments) or 2^{1−ζ} · direct sum.
  for (let i = 0; i < nAtoms; i++) {
    const row = values + (<usize>i * <usize>nFeatures << 3);
    for (let q = 0; q < nSpecies; q++) {
      for (let p = 0; p <= q; p++) {
        const blk = ((q * (q + 1)) >> 1) + p;
        const A = acc + <usize>i * aStride + <usize>blk * sStride;
        const out = angularBase + blk * nAngular;
        for (let f = 0; f < n4; f++) {
          const s0 = ldi(fSlot, f), nt = ldi(fTerms, f);
          let g = 0.0;
          for (let x = 0; x < nt; x++) g += ldf(coef, f * (ZETA_MOMENTS + 1) + x) * ldf(A, s0 + x);
          stf(row, out + f, g);
        }
      }
    }
  }
}

/** The direct slots at A: += W_η (1 + λ cos)^ζ of each direct function (W_η at W + η·wStride). */
@inline function addDirect(A: usize, W: usize, wStride: usize, c: f64): void {
  let s = A;
  for (let d = 0; d < nDirect; d++) {
    store<f64>(s, load<f64>(s) + load<f64>(W + <usize>ldi(dirU, d) * wStride) * directPower(d, c));
    s += 8;
  }
}

/** (1 + λ_d cos)^ζ_d of direct function d. */
@inline function directPower(d: i32, c: f64): f64 {
  const base = 1.0 + ldf(dirLambda, d) * c;
  const zi = ldi(dirZi, d);
  // base ≥ 0 in exact arithmetic; rounding can give −ε (collinear images), where Math.pow is NaN.
  if (zi < 0) return Math.pow(max(base, 0.0), ldf(dirZeta, d));
  let pw = 1.0, b = base, n = zi;
  while (n > 0) {
    if (n & 1) pw *= b;
    b *= b;
    n >>= 1;
  }
  return pw;
}

@inline function hsum2(a: v128, b: v128): v128 {
  return f64x2.add(v128.shuffle<f64>(a, b, 0, 2), v128.shuffle<f64>(a, b, 1, 3));
}

/**
 * Adds the moments Σ_t W_η,t cos_t^p of triangles x0 ≤ t < x1 (cos at vertex i in cI, at j in
 * cJ; W rows of L) to the slots at AI and AJ, two triangles per step (an odd last one alone).
 */
function addRun(x0: i32, x1: i32, cI: usize, cJ: usize, W: usize, L: usize, AI: usize, AJ: usize): void {
  let s: usize = 0;
  const odd = (x1 - x0) & 1, xe = x1 - odd;
  const zero = f64x2.splat(0);
  for (let u = 0; u < nu4; u++) {
    const w = W + ((<usize>u * L) << 3);
    const np = ldi(nMomU, u);
    if (np == 0) continue;
    if (np <= 2) {
      // S_0, S_1 only.
      let i0 = zero, i1 = zero, j1 = zero;
      for (let x = x0; x < xe; x += 2) {
        const off = <usize>x << 3;
        const wt = v128.load(w + off);
        i0 = f64x2.add(i0, wt);
        i1 = fmadd(wt, v128.load(cI + off), i1);
        j1 = fmadd(wt, v128.load(cJ + off), j1);
      }
      if (odd) {
        const off = <usize>xe << 3;
        const wt = v128.load64_zero(w + off);
        i0 = f64x2.add(i0, wt);
        i1 = fmadd(wt, v128.load64_zero(cI + off), i1);
        j1 = fmadd(wt, v128.load64_zero(cJ + off), j1);
      }
      v128.store(AI + s, f64x2.add(v128.load(AI + s), hsum2(i0, i1)));
      v128.store(AJ + s, f64x2.add(v128.load(AJ + s), hsum2(i0, j1)));
    } else if (np <= 4) {
      let i0 = zero, i1 = zero, i2 = zero, j0 = zero, j1 = zero, j2 = zero;
      for (let x = x0; x < xe; x += 2) {
        const off = <usize>x << 3;
        const wt = v128.load(w + off), ci = v128.load(cI + off), cj = v128.load(cJ + off);
        const wi = f64x2.mul(wt, ci), wj = f64x2.mul(wt, cj);
        i0 = f64x2.add(i0, wt);
        i1 = f64x2.add(i1, wi);
        i2 = fmadd(wi, ci, i2);
        j1 = f64x2.add(j1, wj);
        j2 = fmadd(wj, cj, j2);
      }
      if (odd) {
        const off = <usize>xe << 3;
        const wt = v128.load64_zero(w + off), ci = v128.load64_zero(cI + off), cj = v128.load64_zero(cJ + off);
        const wi = f64x2.mul(wt, ci), wj = f64x2.mul(wt, cj);
        i0 = f64x2.add(i0, wt);
        i1 = f64x2.add(i1, wi);
        i2 = fmadd(wi, ci, i2);
        j1 = f64x2.add(j1, wj);
        j2 = fmadd(wj, cj, j2);
      }
      j0 = i0;
      // Slots in pairs (S_0, S_1), (S_2, S_3): vertex i's and j's sums added as vectors.
      v128.store(AI + s, f64x2.add(v128.load(AI + s), hsum2(i0, i1)));
      v128.store(AJ + s, f64x2.add(v128.load(AJ + s), hsum2(j0, j1)));
      if (np > 2) {
        if (np == 4) {
          // S_3 by the scalar loop below (rare).
          addScalarPower(x0, x1, cI, w, AI + s, 3);
          addScalarPower(x0, x1, cJ, w, AJ + s, 3);
        }
        const i2s = f64x2.extract_lane(i2, 0) + f64x2.extract_lane(i2, 1);
        const j2s = f64x2.extract_lane(j2, 0) + f64x2.extract_lane(j2, 1);
        store<f64>(AI + s, load<f64>(AI + s, 16) + i2s, 16);
        store<f64>(AJ + s, load<f64>(AJ + s, 16) + j2s, 16);
      }
    } else {
      for (let p = 0; p < np; p++) {
        addScalarPower(x0, x1, cI, w, AI + s, p);
        addScalarPower(x0, x1, cJ, w, AJ + s, p);
      }
    }
    s += <usize>((np + 1) & ~1) << 3;
  }
  for (let d = 0; d < nDirect; d++) {
    const w = W + ((<usize>ldi(dirU, d) * L) << 3);
    let sumI = 0.0, sumJ = 0.0;
    for (let x = x0; x < x1; x++) {
      sumI += ldf(w, x) * directPower(d, ldf(cI, x));
      sumJ += ldf(w, x) * directPower(d, ldf(cJ, x));
    }
    store<f64>(AI + s, load<f64>(AI + s) + sumI);
    store<f64>(AJ + s, load<f64>(AJ + s) + sumJ);
    s += 8;
  }
}

/** Slot p at A += Σ_{x0 ≤ t < x1} W_t cos_t^p. */
function addScalarPower(x0: i32, x1: i32, c: usize, w: usize, A: usize, p: i32): void {
  let sum = 0.0;
  for (let x = x0; x < x1; x++) {
    let t = ldf(w, x);
    const cx = ldf(c, x);
    for (let k = 0; k < p; k++) t *= cx;
    sum += t;
  }
  stf(A, p, ldf(A, p) + sum);
}

/** Moment counts per η, the direct functions, and each function's combination coefficients. */
function buildTables(coef: usize, fSlot: usize, fTerms: usize): void {
  let s = 0;
  for (let u = 0; u < nu4; u++) {
    let top = -1;
    for (let f = 0; f < n4; f++) {
      const z = momentOrder(ldf(pG4, 3 * f + 1));
      if (ldi(pMap4, f) == u && z > top) top = z;
    }
    sti(nMomU, u, top + 1);
    for (let f = 0; f < n4; f++) {
      const zeta = ldf(pG4, 3 * f + 1), lambda = ldf(pG4, 3 * f + 2);
      const z = momentOrder(zeta);
      if (ldi(pMap4, f) != u || z < 0) continue;
      // 2^{1−ζ} C(ζ, p) λ^p, p = 0..ζ.
      sti(fSlot, f, s);
      sti(fTerms, f, z + 1);
      let c = Math.pow(2.0, 1.0 - zeta);
      for (let p = 0; p <= z; p++) {
        stf(coef, f * (ZETA_MOMENTS + 1) + p, c);
        c = c * lambda * <f64>(z - p) / <f64>(p + 1);
      }
    }
    s += (top + 2) & ~1;
  }
  nDirect = 0;
  for (let f = 0; f < n4; f++) {
    const zeta = ldf(pG4, 3 * f + 1);
    if (momentOrder(zeta) >= 0) continue;
    sti(dirU, nDirect, ldi(pMap4, f));
    stf(dirLambda, nDirect, ldf(pG4, 3 * f + 2));
    stf(dirZeta, nDirect, zeta);
    sti(dirZi, nDirect, zetaAsInteger(zeta));
    sti(fSlot, f, s + nDirect);
    sti(fTerms, f, 1);
    stf(coef, f * (ZETA_MOMENTS + 1), Math.pow(2.0, 1.0 - zeta));
    nDirect++;
  }
}

/** a_η(r) = exp(−η r²) f_c(r) into each record (r² at 0, a_η at 2 + u), two edges per step. */
function edgeFactors(count: i32, rec: usize, R: i32, rCut: f64): void {
  const piOverRc2 = f64x2.splat(Math.PI * Math.PI / (rCut * rCut));
  const stride = <usize>R << 3;
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
  }
}
