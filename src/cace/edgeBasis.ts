import type { CACEParams } from './options.js';
import type { AngularTriple } from './layout.js';

/** In û = v / (r + ε), as the reference code writes it. */
export const UNIT_VECTOR_EPSILON = 1e-9;

/**
 * The radial functions R_n(r) and their r-derivatives (section 3 of the spec), into
 * out[n] and dOut[n]. `frequencies` are the Bessel w_n.
 */
export function radialBasis(p: CACEParams, frequencies: Float64Array, r: number, out: Float64Array, dOut: Float64Array): void {
  const rb = p.radialBasis;
  const n = p.nRbf;
  const rc = p.cutoff;
  switch (rb.type) {
    case 'bessel': {
      // R_n = sqrt(2/r_c) sin(w_n r) / r.
      const pref = Math.sqrt(2 / rc);
      for (let k = 0; k < n; k++) {
        const w = frequencies[k]!;
        const s = Math.sin(w * r);
        out[k] = (pref * s) / r;
        dOut[k] = pref * ((w * Math.cos(w * r)) / r - s / (r * r));
      }
      break;
    }
    case 'gaussian': {
      // exp(−½ (r − μ_n)²/σ²), μ = linspace(start, r_c, n), σ = μ₂ − μ₁.
      const mu = linspace(rb.start, rc, n);
      const sigma = n > 1 ? mu[1]! - mu[0]! : 1;
      for (let k = 0; k < n; k++) {
        const x = r - mu[k]!;
        const g = Math.exp((-0.5 * x * x) / (sigma * sigma));
        out[k] = g;
        dOut[k] = (-x / (sigma * sigma)) * g;
      }
      break;
    }
    case 'gaussianCentered': {
      const sig = linspace(rb.start, rc, n);
      for (let k = 0; k < n; k++) {
        const s2 = sig[k]! * sig[k]!;
        const g = Math.exp((-0.5 * r * r) / s2);
        out[k] = g;
        dOut[k] = (-r / s2) * g;
      }
      break;
    }
    case 'exponentialDecay': {
      const r0 = n === 1 ? [rc / 2] : linspace(0, rc, n + 2).slice(1, -1);
      for (let k = 0; k < n; k++) {
        const g = rb.prefactor * Math.exp(-r / r0[k]!);
        out[k] = g;
        dOut[k] = -g / r0[k]!;
      }
      break;
    }
  }
}

/** torch.linspace(a, b, n). */
export function linspace(a: number, b: number, n: number): number[] {
  if (n === 1) return [a];
  const step = (b - a) / (n - 1);
  // torch fills the first half from a and the second half back from b.
  return Array.from({ length: n }, (_, i) => (i < n / 2 ? a + i * step : b - (n - 1 - i) * step));
}

/** The envelope f(r) and df/dr; both zero for r ≥ r_c. Returns f; writes f' to d[0]. */
export function cutoffEnvelope(p: CACEParams, r: number, d: Float64Array): number {
  const rc = p.cutoff;
  const cf = p.cutoffFn;
  d[0] = 0;
  switch (cf.type) {
    case 'poly': {
      if (r >= rc) return 0;
      // DimeNet: 1 − (p+1)(p+2)/2 x^p + p(p+2) x^(p+1) − p(p+1)/2 x^(p+2), x = r/r_c.
      const q = cf.p;
      const x = r / rc;
      const xp = Math.pow(x, q);
      d[0] = ((-q * (q + 1) * (q + 2)) / (2 * rc)) * Math.pow(x, q - 1) * (1 - x) * (1 - x);
      return 1 - ((q + 1) * (q + 2) / 2) * xp + q * (q + 2) * xp * x - (q * (q + 1) / 2) * xp * x * x;
    }
    case 'cos': {
      if (r >= rc) return 0;
      d[0] = -0.5 * (Math.PI / rc) * Math.sin((Math.PI * r) / rc);
      return 0.5 * (Math.cos((Math.PI * r) / rc) + 1);
    }
    case 'mollifier': {
      if (!(r + cf.eps < rc)) return 0;
      // exp(1 − 1/(1 − r²/r_c²)).
      const y = (r * r) / (rc * rc);
      const f = Math.exp(1 - 1 / (1 - y));
      d[0] = (f * (-2 * r)) / (rc * rc * (1 - y) * (1 - y));
      return f;
    }
    case 'switch': {
      // 1 below `on`, 0 above `off`, fm/(fp + fm) between, fp = e^(−1/x), fm = e^(−1/(1−x)).
      const width = cf.off - cf.on;
      const x = (r - cf.on) / width;
      if (x <= 0) return 1;
      if (x >= 1) return 0;
      const fp = Math.exp(-1 / x);
      const fm = Math.exp(-1 / (1 - x));
      const dfp = fp / (x * x);
      const dfm = -fm / ((1 - x) * (1 - x));
      const s = fp + fm;
      d[0] = (dfm * fp - fm * dfp) / (s * s) / width;
      return fm / s;
    }
  }
}

/**
 * Cartesian monomials L_m(û) = ûx^lx ûy^ly ûz^lz, and (when `grad` is given) their gradient
 * with respect to û, grad[3m + a].
 */
export function angularBasis(triples: readonly AngularTriple[], u: ArrayLike<number>, out: Float64Array, grad: Float64Array | null): void {
  const pw = (x: number, k: number): number => (k <= 0 ? 1 : x ** k);
  for (let m = 0; m < triples.length; m++) {
    const [a, b, c] = triples[m]!;
    const px = pw(u[0]!, a), py = pw(u[1]!, b), pz = pw(u[2]!, c);
    out[m] = px * py * pz;
    if (grad !== null) {
      grad[3 * m] = a === 0 ? 0 : a * pw(u[0]!, a - 1) * py * pz;
      grad[3 * m + 1] = b === 0 ? 0 : b * px * pw(u[1]!, b - 1) * pz;
      grad[3 * m + 2] = c === 0 ? 0 : c * px * py * pw(u[2]!, c - 1);
    }
  }
}
