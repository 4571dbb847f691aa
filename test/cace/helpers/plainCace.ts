/**
 * A straightforward float64 CACE written from the spec alone (nested arrays, plain loops, no
 * code shared with src/cace): energies for checking the library's model path. Bessel radial
 * basis, polynomial or cosine envelope only.
 */
import { bruteForceNeighbors } from '../../helpers/bruteForce.js';
import type { Structure } from '../../../src/structure/structure.js';

type Triple = [number, number, number];

function param(model: any, name: string): number[] {
  const p = model.parameters.find((q: any) => q.name === name || q.name === `representation.${name}`);
  if (p === undefined) throw new Error(`plainCace: no parameter ${name}`);
  return p.values_c_order;
}

function fact(n: number): number {
  return n <= 1 ? 1 : n * fact(n - 1);
}

/** Per-atom energies of `structure` under the model file `model` (numbers must be given). */
export function plainCaceEnergies(model: any, structure: Structure & { numbers: number[] }): { atomic: number[]; features: number[][] } {
  const h = model.hyperparameters;
  const zs: number[] = h.zs;
  const d: number = h.n_atom_basis;
  const C = d * d;
  const rc: number = h.cutoff;
  const nR: number = h.n_rbf;
  const K: number = h.n_radial_basis ?? nR;
  const maxL: number = h.max_l;
  const maxNu: number = h.max_nu;
  const T: number = h.num_message_passing ?? 0;
  const types: string[] = h.mp_types ?? [];
  const norm = 1 / Math.sqrt(h.avg_num_neighbors ?? 10);

  // The angular list, grouped by l, descending (lx, ly).
  const tri: Triple[] = [];
  for (let l = 0; l <= maxL; l++) for (let lx = l; lx >= 0; lx--) for (let ly = l - lx; ly >= 0; ly--) tri.push([lx, ly, l - lx - ly]);
  const key = (t: Triple): string => t.join(',');
  const where = new Map(tri.map((t, m) => [key(t), m]));
  const ofNorm = (l: number): Triple[] => tri.filter((t) => t[0] + t[1] + t[2] === l);
  const mult = (t: Triple): number => fact(t[0] + t[1] + t[2]) / (fact(t[0]) * fact(t[1]) * fact(t[2]));
  const plus = (a: Triple, b: Triple): Triple => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];

  const Ws = param(model, 'node_embedding_sender.embedding_weights');
  const Wr = h.embed_receiver_nodes ? param(model, 'node_embedding_receiver.embedding_weights') : Ws;
  const freq = param(model, 'radial_basis.bessel_weights');
  const Wmix = Array.from({ length: maxL + 1 }, (_, l) => param(model, `radial_transform.weights.${l}`));
  const elem = structure.numbers.map((z) => zs.indexOf(z));
  const n = elem.length;

  const envelope = (r: number): number => {
    if (r >= rc) return 0;
    if (h.cutoff_fn[0] === 'cos') return 0.5 * (Math.cos((Math.PI * r) / rc) + 1);
    const p = h.cutoff_fn[1];
    const x = r / rc;
    return 1 - ((p + 1) * (p + 2) / 2) * x ** p + p * (p + 2) * x ** (p + 1) - (p * (p + 1) / 2) * x ** (p + 2);
  };

  // Edges j → i with v = r_i − (r_j + T).
  const nbrs = bruteForceNeighbors(structure, rc, true);
  const edges: { i: number; j: number; r: number; u: number[] }[] = [];
  for (let i = 0; i < n; i++) {
    for (const q of nbrs[i]!) {
      const v = [-q.d[0], -q.d[1], -q.d[2]];
      const r = Math.hypot(v[0]!, v[1]!, v[2]!);
      if (r >= rc) continue;
      edges.push({ i, j: q.j, r, u: v.map((x) => x / (r + 1e-9)) });
    }
  }
  // φ_e[n][m][c].
  const phi = edges.map((e) => {
    const f = envelope(e.r);
    return Array.from({ length: nR }, (_, k) => {
      const R = (Math.sqrt(2 / rc) * Math.sin(freq[k]! * e.r)) / e.r;
      return tri.map((t) => {
        const L = e.u[0]! ** t[0] * e.u[1]! ** t[1] * e.u[2]! ** t[2];
        const out: number[] = [];
        for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) out.push(R * f * L * Ws[elem[e.j]! * d + a]! * Wr[elem[e.i]! * d + b]!);
        return out;
      });
    });
  });
  const zeros3 = (a: number, b: number, c: number): number[][][] => Array.from({ length: a }, () => Array.from({ length: b }, () => new Array(c).fill(0)));
  const mixTo = (A: number[][][]): number[][][] => {
    const out = zeros3(K, tri.length, C);
    for (let k = 0; k < K; k++) for (let m = 0; m < tri.length; m++) {
      const l = tri[m]![0] + tri[m]![1] + tri[m]![2];
      for (let c = 0; c < C; c++) for (let q = 0; q < nR; q++) out[k]![m]![c] += A[q]![m]![c]! * Wmix[l]![(q * K + k) * C + c]!;
    }
    return out;
  };
  const symm = (At: number[][][]): number[][][] => {
    // B[k][s][c].
    return At.map((Ak) => {
      const rows: number[][] = [];
      const val = (t: Triple, c: number): number => Ak[where.get(key(t))!]![c]!;
      rows.push(Array.from({ length: C }, (_, c) => val([0, 0, 0], c)));
      if (maxNu >= 2) for (let L = 1; L <= maxL; L++) rows.push(Array.from({ length: C }, (_, c) => ofNorm(L).reduce((acc, v) => acc + mult(v) * val(v, c) ** 2, 0)));
      if (maxNu >= 3) {
        for (let l1 = 1; l1 <= maxL; l1++) for (let l2 = l1; l1 + l2 <= maxL; l2++) {
          rows.push(Array.from({ length: C }, (_, c) => {
            let acc = 0;
            for (const v of ofNorm(l1)) for (const w of ofNorm(l2)) acc += mult(v) * mult(w) * val(v, c) * val(w, c) * val(plus(v, w), c);
            return acc;
          }));
        }
      }
      if (maxNu >= 4) {
        for (let l1 = 1; l1 <= maxL; l1++) for (let l2 = l1 + 1; l2 <= maxL; l2++) for (let dd = 1; l2 + dd <= maxL; dd++) {
          rows.push(Array.from({ length: C }, (_, c) => {
            let acc = 0;
            for (const v of ofNorm(l1)) for (const w of ofNorm(l2)) for (const u of ofNorm(dd)) {
              acc += mult(v) * mult(w) * mult(u) * val(v, c) * val(w, c) * val(plus(v, u), c) * val(plus(w, u), c);
            }
            return acc;
          }));
        }
      }
      return rows;
    });
  };

  const A0 = Array.from({ length: n }, () => zeros3(nR, tri.length, C));
  edges.forEach((e, q) => {
    for (let k = 0; k < nR; k++) for (let m = 0; m < tri.length; m++) for (let c = 0; c < C; c++) A0[e.i]![k]![m]![c] += phi[q]![k]![m]![c]!;
  });
  let At = A0.map(mixTo);
  const Bs: number[][][][][] = [At.map(symm)];
  for (let t = 0; t < T; t++) {
    const B = Bs[t]!;
    const next = Array.from({ length: n }, () => zeros3(K, tri.length, C));
    const lOf = (m: number): number => tri[m]![0] + tri[m]![1] + tri[m]![2];
    if (types.includes('M')) {
      const mu = Array.from({ length: maxL + 1 }, (_, l) => param(model, `message_passing_list.${t}.0.memory_coef.${l}`));
      for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) for (let m = 0; m < tri.length; m++) for (let c = 0; c < C; c++) {
        next[i]![k]![m]![c] += At[i]![k]![m]![c]! * mu[lOf(m)]![k * C + c]!;
      }
    }
    if (types.includes('Ar')) {
      const pp = Array.from({ length: maxL + 1 }, (_, l) => param(model, `message_passing_list.${t}.1.prefactor.${l}`));
      const kk = Array.from({ length: maxL + 1 }, (_, l) => param(model, `message_passing_list.${t}.1.invr0.${l}`));
      for (const e of edges) {
        for (let k = 0; k < K; k++) for (let m = 0; m < tri.length; m++) for (let c = 0; c < C; c++) {
          const l = lOf(m);
          next[e.i]![k]![m]![c] += norm * At[e.j]![k]![m]![c]! * pp[l]![k * C + c]! * Math.exp(-e.r * kk[l]![k * C + c]!) * envelope(e.r);
        }
      }
    }
    if (types.includes('Bchi')) {
      const w = param(model, `message_passing_list.${t}.2.hnet.0.linear.weight`);
      const b = param(model, `message_passing_list.${t}.2.hnet.0.linear.bias`)[0]!;
      const hj = B.map((Bj) => b + Bj.flat(2).reduce((acc, x, q) => acc + x * w[q]!, 0));
      const raw = Array.from({ length: n }, () => zeros3(nR, tri.length, C));
      edges.forEach((e, q) => {
        for (let k = 0; k < nR; k++) for (let m = 0; m < tri.length; m++) for (let c = 0; c < C; c++) raw[e.i]![k]![m]![c] += phi[q]![k]![m]![c]! * hj[e.j]!;
      });
      raw.map(mixTo).forEach((X, i) => {
        for (let k = 0; k < K; k++) for (let m = 0; m < tri.length; m++) for (let c = 0; c < C; c++) next[i]![k]![m]![c] += norm * X[k]![m]![c]!;
      });
    }
    At = next;
    Bs.push(At.map(symm));
  }
  // x_i in [k, s, c, t] order.
  const features = Array.from({ length: n }, (_, i) => {
    const x: number[] = [];
    const Bi = Bs.map((B) => B[i]!);
    for (let k = 0; k < K; k++) for (let s = 0; s < Bi[0]![k]!.length; s++) for (let c = 0; c < C; c++) for (let t = 0; t <= T; t++) x.push(Bi[t]![k]![s]![c]!);
    return x;
  });
  const ro = h.readout;
  if (ro === null || ro === undefined) return { atomic: [], features };
  const sizes = [features[0]!.length, ...ro.n_hidden, 1];
  const atomic = features.map((x) => {
    let a = x;
    for (let li = 0; li + 1 < sizes.length; li++) {
      const W = param(model, `output_modules.0.outnet.${li}.linear.weight`);
      const bb = param(model, `output_modules.0.outnet.${li}.linear.bias`);
      const z = Array.from({ length: sizes[li + 1]! }, (_, o) => bb[o]! + a.reduce((acc, xi, q) => acc + W[o * sizes[li]! + q]! * xi, 0));
      a = li + 2 < sizes.length ? z.map((zz) => zz / (1 + Math.exp(-zz))) : z;
    }
    let y = a[0]!;
    if (ro.add_linear_nn) {
      const W = param(model, 'output_modules.0.linear_nn.linear.weight');
      y += param(model, 'output_modules.0.linear_nn.linear.bias')[0]! + x.reduce((acc, xi, q) => acc + W[q]! * xi, 0);
    }
    return y;
  });
  return { atomic, features };
}
