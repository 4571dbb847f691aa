import { angularBasis, cutoffEnvelope, radialBasis, UNIT_VECTOR_EPSILON } from './edgeBasis.js';
import { angularTriples, symmetrizerTerms, type AngularTriple, type SymmetrizerTerms } from './layout.js';
import type { CACEParams } from './options.js';
import { atomwise } from './readout.js';
import type { CACEResolvedWeights } from './weights.js';

/** The directed edges j → i of a structure (sender j, receiver i) and every atom's element index. */
export interface CACEGraph {
  readonly nAtoms: number;
  /** Index of each atom's element in zs. */
  readonly elem: Int32Array;
  readonly receiver: Int32Array;
  readonly sender: Int32Array;
  /** v_e = r_i − (r_j + T), from the neighbour to the centre, 3 per edge. */
  readonly vectors: Float64Array;
}

/** Per-edge geometry: r, û, R_n f, L_m and their derivatives. */
interface EdgeBasis {
  readonly r: Float64Array;
  readonly rf: Float64Array;
  readonly drf: Float64Array;
  readonly env: Float64Array;
  readonly dEnv: Float64Array;
  readonly ang: Float64Array;
  readonly dAng: Float64Array;
}

/** What the forward pass keeps for the backward pass. */
interface ForwardState {
  readonly edges: EdgeBasis;
  /** Ã^(t) for t = 0..T, each [nAtoms, K, n_ang, C]. */
  readonly At: Float64Array[];
  /** h^(t)_j of the Bchi messages of layer t (length nAtoms), or null. */
  readonly h: (Float64Array | null)[];
  /** node_feats [nAtoms, K, N_sym, C, T+1]. */
  readonly features: Float64Array;
}

/**
 * CACE in plain float64 TypeScript: the representation with message passing, the Atomwise
 * readout, and the analytic backward pass for forces and virial (spec sections 2–9).
 */
export class CACEEngine {
  private readonly triples: AngularTriple[];
  /** l of each angular index m. */
  private readonly lOf: Int32Array;
  private readonly terms: SymmetrizerTerms;
  private readonly norm: number;

  constructor(private readonly p: CACEParams, private readonly w: CACEResolvedWeights) {
    this.triples = angularTriples(p.maxL);
    this.lOf = Int32Array.from(this.triples, (t) => t[0] + t[1] + t[2]);
    this.terms = symmetrizerTerms(p.maxL, p.maxNu);
    this.norm = 1 / Math.sqrt(p.avgNumNeighbors);
  }

  /** node_feats of every atom, [nAtoms, K·N_sym·C·(T+1)] flattened in [k, s, c, t] order. */
  features(g: CACEGraph): Float64Array {
    return this.forward(g).features;
  }

  /** The layer-0 atomic basis before (A) and after (Ã) radial mixing, per atom. */
  atomicBasis(g: CACEGraph): { raw: Float64Array; mixed: Float64Array } {
    const edges = this.edgeBasis(g);
    const raw = this.rawBasis(g, edges);
    return { raw, mixed: this.mix(raw, g.nAtoms) };
  }

  /**
   * Atomic energies y_i, and with `gradients` ∂E/∂v_e for every edge (E = Σ y_i), from which
   * forces and the virial follow.
   */
  energy(g: CACEGraph, gradients: boolean): { atomic: Float64Array; dEdv: Float64Array | null } {
    const layers = this.w.readout;
    if (layers === null) throw new Error('internal: CACEEngine.energy without a readout');
    const st = this.forward(g);
    const F = this.p.numFeatures;
    const atomic = new Float64Array(g.nAtoms);
    const gX = gradients ? new Float64Array(g.nAtoms * F) : null;
    for (let i = 0; i < g.nAtoms; i++) {
      atomic[i] = atomwise(layers, this.w.linear, st.features, i * F, gX === null ? null : gX.subarray(i * F, (i + 1) * F));
    }
    return { atomic, dEdv: gX === null ? null : this.backward(g, st, gX) };
  }

  private edgeBasis(g: CACEGraph): EdgeBasis {
    const p = this.p;
    const nE = g.receiver.length;
    const nR = p.nRbf, nA = p.nAngular;
    const r = new Float64Array(nE), env = new Float64Array(nE), dEnv = new Float64Array(nE);
    const rf = new Float64Array(nE * nR), drf = new Float64Array(nE * nR);
    const ang = new Float64Array(nE * nA), dAng = new Float64Array(nE * nA * 3);
    const R = new Float64Array(nR), dR = new Float64Array(nR), d = new Float64Array(1), u = new Float64Array(3);
    for (let e = 0; e < nE; e++) {
      const vx = g.vectors[3 * e]!, vy = g.vectors[3 * e + 1]!, vz = g.vectors[3 * e + 2]!;
      const re = Math.sqrt(vx * vx + vy * vy + vz * vz);
      r[e] = re;
      radialBasis(p, this.w.besselFrequencies, re, R, dR);
      const f = cutoffEnvelope(p, re, d);
      env[e] = f;
      dEnv[e] = d[0]!;
      for (let n = 0; n < nR; n++) {
        rf[e * nR + n] = R[n]! * f;
        drf[e * nR + n] = dR[n]! * f + R[n]! * d[0]!;
      }
      const inv = 1 / (re + UNIT_VECTOR_EPSILON);
      u[0] = vx * inv;
      u[1] = vy * inv;
      u[2] = vz * inv;
      angularBasis(this.triples, u, ang.subarray(e * nA, (e + 1) * nA), dAng.subarray(3 * e * nA, 3 * (e + 1) * nA));
    }
    return { r, rf, drf, env, dEnv, ang, dAng };
  }

  /**
   * A_i[n, m, c] = Σ_{e → i} R_n f L_m E_c (optionally weighted per sender by `hOfSender`),
   * through the per-element densities D_i[z, n, m] = Σ_{e: Z_j = z} R_n f L_m, since
   * E_c = s_{Z_j}[a] q_{Z_i}[b] factorises.
   */
  private rawBasis(g: CACEGraph, edges: EdgeBasis, hOfSender: Float64Array | null = null): Float64Array {
    const p = this.p;
    const nR = p.nRbf, nA = p.nAngular, C = p.nChannels, d = p.d, nz = p.zs.length;
    const block = nR * nA * C, dBlock = nR * nA;
    const D = new Float64Array(g.nAtoms * nz * dBlock);
    for (let e = 0; e < g.receiver.length; e++) {
      const scale = hOfSender === null ? 1 : hOfSender[g.sender[e]!]!;
      const base = (g.receiver[e]! * nz + g.elem[g.sender[e]!]!) * dBlock;
      for (let n = 0; n < nR; n++) {
        const rn = edges.rf[e * nR + n]! * scale;
        const o = base + n * nA;
        for (let m = 0; m < nA; m++) D[o + m] += rn * edges.ang[e * nA + m]!;
      }
    }
    const A = new Float64Array(g.nAtoms * block);
    const { sender, receiver } = this.w;
    for (let i = 0; i < g.nAtoms; i++) {
      const q0 = g.elem[i]! * d;
      for (let z = 0; z < nz; z++) {
        const dz = (i * nz + z) * dBlock;
        for (let a = 0; a < d; a++) {
          const sa = sender[z * d + a]!;
          for (let b = 0; b < d; b++) {
            const w = sa * receiver[q0 + b]!;
            const c = a * d + b;
            for (let q = 0; q < dBlock; q++) A[i * block + q * C + c] += w * D[dz + q]!;
          }
        }
      }
    }
    return A;
  }

  /** G_i[z, n, m] = Σ_c gRaw_i[n, m, c] E_c(z, Z_i): a raw-basis gradient seen by an edge from element z. */
  private perElement(g: CACEGraph, gRaw: Float64Array): Float64Array {
    const p = this.p;
    const nR = p.nRbf, nA = p.nAngular, C = p.nChannels, d = p.d, nz = p.zs.length;
    const block = nR * nA * C, dBlock = nR * nA;
    const out = new Float64Array(g.nAtoms * nz * dBlock);
    const { sender, receiver } = this.w;
    for (let i = 0; i < g.nAtoms; i++) {
      const q0 = g.elem[i]! * d;
      for (let z = 0; z < nz; z++) {
        const o = (i * nz + z) * dBlock;
        for (let q = 0; q < dBlock; q++) {
          let acc = 0;
          for (let a = 0; a < d; a++) {
            const sa = sender[z * d + a]!;
            for (let b = 0; b < d; b++) acc += gRaw[i * block + q * C + a * d + b]! * sa * receiver[q0 + b]!;
          }
          out[o + q] = acc;
        }
      }
    }
    return out;
  }

  /**
   * Ã[k, m, c] = Σ_n A[n, m, c] W^(l(m))[n, k, c], per atom; with `transpose`, its adjoint
   * ∂/∂A[n, m, c] = Σ_k ∂/∂Ã[k, m, c] W^(l(m))[n, k, c] (the backward pass).
   */
  private mix(input: Float64Array, nAtoms: number, transpose = false): Float64Array {
    const p = this.p;
    const nR = p.nRbf, nA = p.nAngular, C = p.nChannels, K = p.nRadial;
    const out = new Float64Array(nAtoms * (transpose ? nR : K) * nA * C);
    for (let i = 0; i < nAtoms; i++) {
      const ai = i * nR * nA * C, oi = i * K * nA * C;
      for (let m = 0; m < nA; m++) {
        const W = this.w.radialTransform[this.lOf[m]!]!;
        for (let k = 0; k < K; k++) {
          for (let n = 0; n < nR; n++) {
            for (let c = 0; c < C; c++) {
              const a = ai + (n * nA + m) * C + c, t = oi + (k * nA + m) * C + c;
              const w = W[(n * K + k) * C + c]!;
              if (transpose) out[a] += input[t]! * w;
              else out[t] += input[a]! * w;
            }
          }
        }
      }
    }
    return out;
  }

  /** B[k, s, c] = Σ_terms coef Π Ã[k, f, c] per atom. */
  private symmetrize(At: Float64Array, nAtoms: number): Float64Array {
    const p = this.p;
    const nA = p.nAngular, C = p.nChannels, K = p.nRadial, S = p.nSym;
    const { feature, coef, factors } = this.terms;
    const out = new Float64Array(nAtoms * K * S * C);
    for (let i = 0; i < nAtoms; i++) {
      for (let k = 0; k < K; k++) {
        const a0 = (i * K + k) * nA * C, b0 = (i * K + k) * S * C;
        for (let t = 0; t < coef.length; t++) {
          const s = feature[t]!;
          for (let c = 0; c < C; c++) {
            let prod = coef[t]!;
            for (let q = 0; q < 4; q++) {
              const f = factors[4 * t + q]!;
              if (f >= 0) prod *= At[a0 + f * C + c]!;
            }
            out[b0 + s * C + c] += prod;
          }
        }
      }
    }
    return out;
  }

  /** Adds ∂/∂Ã of Σ gB·B to gAt. */
  private symmetrizeBackward(gB: Float64Array, At: Float64Array, nAtoms: number, gAt: Float64Array): void {
    const p = this.p;
    const nA = p.nAngular, C = p.nChannels, K = p.nRadial, S = p.nSym;
    const { feature, coef, factors } = this.terms;
    for (let i = 0; i < nAtoms; i++) {
      for (let k = 0; k < K; k++) {
        const a0 = (i * K + k) * nA * C, b0 = (i * K + k) * S * C;
        for (let t = 0; t < coef.length; t++) {
          const s = feature[t]!;
          for (let c = 0; c < C; c++) {
            const g = gB[b0 + s * C + c]! * coef[t]!;
            if (g === 0) continue;
            for (let q = 0; q < 4; q++) {
              const f = factors[4 * t + q]!;
              if (f < 0) continue;
              let prod = g;
              for (let q2 = 0; q2 < 4; q2++) {
                const f2 = factors[4 * t + q2]!;
                if (q2 !== q && f2 >= 0) prod *= At[a0 + f2 * C + c]!;
              }
              gAt[a0 + f * C + c] += prod;
            }
          }
        }
      }
    }
  }

  private forward(g: CACEGraph): ForwardState {
    const p = this.p;
    const nAtoms = g.nAtoms;
    const nA = p.nAngular, C = p.nChannels, K = p.nRadial, S = p.nSym, T = p.numMessagePassing;
    const edges = this.edgeBasis(g);
    const At: Float64Array[] = [this.mix(this.rawBasis(g, edges), nAtoms)];
    const Bs: Float64Array[] = [this.symmetrize(At[0]!, nAtoms)];
    const hs: (Float64Array | null)[] = [];
    const block = K * nA * C;
    for (let t = 0; t < T; t++) {
      const L = this.w.layers[t]!;
      const prev = At[t]!, Bprev = Bs[t]!;
      const next = new Float64Array(nAtoms * block);
      if (L.memory !== null) {
        // M_i = Ã_i μ^(l).
        for (let i = 0; i < nAtoms; i++) {
          for (let k = 0; k < K; k++) for (let m = 0; m < nA; m++) {
            const mu = L.memory[this.lOf[m]!]!;
            const o = i * block + (k * nA + m) * C;
            for (let c = 0; c < C; c++) next[o + c] += prev[o + c]! * mu[k * C + c]!;
          }
        }
      }
      if (L.arPrefactor !== null && L.arInvR0 !== null) {
        // Ar_i = Σ_{j→i} Ã_j p^(l) exp(−r κ^(l)) f(r), scaled by 1/sqrt(avg neighbours).
        for (let e = 0; e < g.receiver.length; e++) {
          const i = g.receiver[e]!, j = g.sender[e]!;
          const re = edges.r[e]!, f = edges.env[e]! * this.norm;
          for (let k = 0; k < K; k++) for (let m = 0; m < nA; m++) {
            const l = this.lOf[m]!;
            const pre = L.arPrefactor[l]!, kap = L.arInvR0[l]!;
            const oi = i * block + (k * nA + m) * C, oj = j * block + (k * nA + m) * C;
            for (let c = 0; c < C; c++) next[oi + c] += prev[oj + c]! * pre[k * C + c]! * Math.exp(-re * kap[k * C + c]!) * f;
          }
        }
      }
      let h: Float64Array | null = null;
      if (L.bchiWeight !== null) {
        // h_j = w · flatten(B^(t)_j) + b; Bχ_i = W-mix(Σ_{j→i} φ_e h_j).
        h = new Float64Array(nAtoms);
        const nB = K * S * C;
        for (let j = 0; j < nAtoms; j++) {
          let acc = L.bchiBias;
          for (let q = 0; q < nB; q++) acc += L.bchiWeight[q]! * Bprev[j * nB + q]!;
          h[j] = acc;
        }
        const mixed = this.mix(this.rawBasis(g, edges, h), nAtoms);
        for (let q = 0; q < next.length; q++) next[q] += mixed[q]! * this.norm;
      }
      hs.push(h);
      At.push(next);
      Bs.push(this.symmetrize(next, nAtoms));
    }
    // node_feats[i, k, s, c, t].
    const features = new Float64Array(nAtoms * p.numFeatures);
    for (let t = 0; t <= T; t++) {
      const B = Bs[t]!;
      for (let q = 0; q < nAtoms * K * S * C; q++) features[q * (T + 1) + t] = B[q]!;
    }
    return { edges, At, h: hs, features };
  }

  /** ∂E/∂v_e for every edge from ∂E/∂features (gX, [nAtoms, F]). */
  private backward(g: CACEGraph, st: ForwardState, gX: Float64Array): Float64Array {
    const p = this.p;
    const nAtoms = g.nAtoms;
    const nR = p.nRbf, nA = p.nAngular, C = p.nChannels, K = p.nRadial, S = p.nSym, T = p.numMessagePassing;
    const nE = g.receiver.length;
    const block = K * nA * C, nB = K * S * C;
    const { edges } = st;
    // ∂E/∂B^(t) from the features ([k, s, c, t] order).
    const gB: Float64Array[] = [];
    for (let t = 0; t <= T; t++) {
      const b = new Float64Array(nAtoms * nB);
      for (let q = 0; q < nAtoms * nB; q++) b[q] = gX[q * (T + 1) + t]!;
      gB.push(b);
    }
    const gAt: Float64Array[] = st.At.map((a) => new Float64Array(a.length));
    const gR = new Float64Array(nE);
    // Per layer, ∂E/∂(raw Bχ) as seen per sender element (see perElement).
    const gDh: (Float64Array | null)[] = Array(T).fill(null);
    const nz = p.zs.length, dBlock = nR * nA;
    for (let t = T; t >= 1; t--) {
      this.symmetrizeBackward(gB[t]!, st.At[t]!, nAtoms, gAt[t]!);
      const L = this.w.layers[t - 1]!;
      const prev = st.At[t - 1]!, gNext = gAt[t]!, gPrev = gAt[t - 1]!;
      if (L.memory !== null) {
        for (let i = 0; i < nAtoms; i++) {
          for (let k = 0; k < K; k++) for (let m = 0; m < nA; m++) {
            const mu = L.memory[this.lOf[m]!]!;
            const o = i * block + (k * nA + m) * C;
            for (let c = 0; c < C; c++) gPrev[o + c] += gNext[o + c]! * mu[k * C + c]!;
          }
        }
      }
      if (L.arPrefactor !== null && L.arInvR0 !== null) {
        for (let e = 0; e < nE; e++) {
          const i = g.receiver[e]!, j = g.sender[e]!;
          const re = edges.r[e]!, f = edges.env[e]!, df = edges.dEnv[e]!;
          let acc = 0;
          for (let k = 0; k < K; k++) for (let m = 0; m < nA; m++) {
            const l = this.lOf[m]!;
            const pre = L.arPrefactor[l]!, kap = L.arInvR0[l]!;
            const oi = i * block + (k * nA + m) * C, oj = j * block + (k * nA + m) * C;
            for (let c = 0; c < C; c++) {
              const kc = kap[k * C + c]!;
              const ex = Math.exp(-re * kc) * pre[k * C + c]! * this.norm;
              gPrev[oj + c] += gNext[oi + c]! * ex * f;
              // d/dr [exp(−r κ) f] = exp(−r κ) (f' − κ f).
              acc += gNext[oi + c]! * prev[oj + c]! * ex * (df - kc * f);
            }
          }
          gR[e] += acc;
        }
      }
      if (L.bchiWeight !== null) {
        const gRaw = this.mix(gNext, nAtoms, true);
        for (let q = 0; q < gRaw.length; q++) gRaw[q] *= this.norm;
        // ∂E/∂h_j = Σ_{e: j→i} Σ gRaw_i φ_e = Σ_e Σ_{n,m} R_n f L_m G_i[Z_j, n, m]; then ∂E/∂B^(t−1)_j += ∂E/∂h_j w.
        const G = this.perElement(g, gRaw);
        gDh[t - 1] = G;
        const gh = new Float64Array(nAtoms);
        for (let e = 0; e < nE; e++) {
          const base = (g.receiver[e]! * nz + g.elem[g.sender[e]!]!) * dBlock;
          let acc = 0;
          for (let n = 0; n < nR; n++) {
            let dot = 0;
            for (let m = 0; m < nA; m++) dot += G[base + n * nA + m]! * edges.ang[e * nA + m]!;
            acc += dot * edges.rf[e * nR + n]!;
          }
          gh[g.sender[e]!] += acc;
        }
        const gBp = gB[t - 1]!;
        for (let j = 0; j < nAtoms; j++) for (let q = 0; q < nB; q++) gBp[j * nB + q] += gh[j]! * L.bchiWeight[q]!;
      }
    }
    this.symmetrizeBackward(gB[0]!, st.At[0]!, nAtoms, gAt[0]!);
    const gA0 = this.mix(gAt[0]!, nAtoms, true);
    // Per edge: P[n, m] = Σ_c ∂E/∂φ_e[n, m, c] E_c = G0_i[Z_j] + Σ_t h^(t)_j Gh^(t)_i[Z_j], with
    // ∂E/∂φ_e = gA0_i + Σ_t h^(t)_j gBχ^(t)_i; then through R_n f, L_m and û.
    const G0 = this.perElement(g, gA0);
    const dEdv = new Float64Array(3 * nE);
    const P = new Float64Array(nR * nA);
    for (let e = 0; e < nE; e++) {
      const j = g.sender[e]!;
      const base = (g.receiver[e]! * nz + g.elem[j]!) * dBlock;
      for (let q = 0; q < dBlock; q++) P[q] = G0[base + q]!;
      for (let t = 0; t < T; t++) {
        const Gh = gDh[t];
        if (Gh === null) continue;
        const h = st.h[t]![j]!;
        for (let q = 0; q < dBlock; q++) P[q] += h * Gh[base + q]!;
      }
      let gr = gR[e]!;
      const gu = [0, 0, 0];
      for (let n = 0; n < nR; n++) {
        let gRf = 0;
        for (let m = 0; m < nA; m++) gRf += P[n * nA + m]! * edges.ang[e * nA + m]!;
        gr += gRf * edges.drf[e * nR + n]!;
      }
      for (let m = 0; m < nA; m++) {
        let gL = 0;
        for (let n = 0; n < nR; n++) gL += P[n * nA + m]! * edges.rf[e * nR + n]!;
        for (let a = 0; a < 3; a++) gu[a] += gL * edges.dAng[3 * (e * nA + m) + a]!;
      }
      // û = v/(r + ε): ∂û_a/∂v_b = δ_ab/(r + ε) − v_a v_b / (r (r + ε)²); ∂r/∂v = v/r.
      const re = edges.r[e]!;
      const v0 = g.vectors[3 * e]!, v1 = g.vectors[3 * e + 1]!, v2 = g.vectors[3 * e + 2]!;
      const inv = 1 / (re + UNIT_VECTOR_EPSILON);
      const vgu = v0 * gu[0]! + v1 * gu[1]! + v2 * gu[2]!;
      const radial = gr / re - (vgu * inv * inv) / re;
      dEdv[3 * e] = gu[0]! * inv + radial * v0;
      dEdv[3 * e + 1] = gu[1]! * inv + radial * v1;
      dEdv[3 * e + 2] = gu[2]! * inv + radial * v2;
    }
    return dEdv;
  }
}

