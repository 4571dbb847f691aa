// Building the quintic Hermite table of the GTO radial integrals (the same table and error check
// as src/soap/radialIntegrals/table.ts, whose JavaScript builder this replaces for the GTO basis:
// run cold at start-up, that one spends ~15 ms boxing doubles; compiled code takes ~1 ms).
//
// Exact integrals (src/soap/radialIntegrals/gtoIntegrals.ts):
//   I_nl(r) = r^l S_0,   S_p = Σ_k C_{lnk} γ_{kl}^p e^{−γ_{kl} r²}
//   I'  = l r^{l−1} S_0 − 2 r^{l+1} S_1
//   I'' = l(l−1) r^{l−2} S_0 − 2(2l+1) r^l S_1 + 4 r^{l+2} S_2
// gamma[l·n_max + k] = γ_{kl}, coefficient[(l·n_max + n)·n_max + k] = C_{lnk}.
// Table layout: data[(i·3 + d)·M + l·n_max + n], knots r_i = i h (i = 0..K), M = (l_max+1)·n_max.

/** Writes I, I', I'' of every channel at r to value[c], d1[c], d2[c] (c = l·n_max + n); gauss holds n_max scratch. */
function gtoIntegralsAt(
  nMax: i32, lMax: i32, gamma: usize, coefficient: usize, r: f64, value: usize, d1: usize, d2: usize, gauss: usize,
): void {
  const r2 = r * r;
  let rl = 1.0; // r^l
  let rlm1 = 0.0; // r^{l−1} (only used with the factor l)
  let rlm2 = 0.0; // r^{l−2} (only used with the factor l(l−1))
  for (let l = 0; l <= lMax; l++) {
    if (l >= 1) {
      rlm2 = rlm1;
      rlm1 = rl;
      rl *= r;
    }
    const g = gamma + (<usize>(l * nMax) << 3);
    for (let k = 0; k < nMax; k++) store<f64>(gauss + (<usize>k << 3), Math.exp(-load<f64>(g + (<usize>k << 3)) * r2));
    for (let n = 0; n < nMax; n++) {
      const row = coefficient + (<usize>((l * nMax + n) * nMax) << 3);
      let s0 = 0.0;
      let s1 = 0.0;
      let s2 = 0.0;
      for (let k = 0; k < nMax; k++) {
        const term = load<f64>(row + (<usize>k << 3)) * load<f64>(gauss + (<usize>k << 3));
        const gk = load<f64>(g + (<usize>k << 3));
        s0 += term;
        s1 += term * gk;
        s2 += term * gk * gk;
      }
      const c = <usize>(l * nMax + n) << 3;
      const fl = <f64>l;
      store<f64>(value + c, rl * s0);
      store<f64>(d1 + c, fl * rlm1 * s0 - 2.0 * rl * r * s1);
      store<f64>(d2 + c, fl * (fl - 1.0) * rlm2 * s0 - 2.0 * (2.0 * fl + 1.0) * rl * s1 + 4.0 * rl * r2 * s2);
    }
  }
}

/** Scratch bytes {@link soapGtoIntegralTable} needs: 4 channel arrays and n_max Gaussians. */
export function soapGtoIntegralTableWorkSize(nMax: i32, lMax: i32): i32 {
  return 8 * (4 * (lMax + 1) * nMax + nMax);
}

/**
 * Fills the K-interval table of [0, r_max] (data: (K+1)·3·M doubles) and checks it at the
 * interval midpoints, where Hermite errors peak: scale[c] = max |I_c| over knots and midpoints;
 * returns max over channels of max |interpolated − exact| / scale[c] (channels with scale 0 skipped).
 */
export function soapGtoIntegralTable(
  nMax: i32, lMax: i32, gamma: usize, coefficient: usize, rMax: f64, intervals: i32, data: usize, scale: usize, work: usize,
): f64 {
  const m = (lMax + 1) * nMax;
  const block = <usize>(3 * m) << 3;
  const h = rMax / <f64>intervals;
  const exact = work;
  const exact1 = exact + (<usize>m << 3);
  const exact2 = exact1 + (<usize>m << 3);
  const error = exact2 + (<usize>m << 3);
  const gauss = error + (<usize>m << 3);
  for (let i = 0; i <= intervals; i++) {
    const r = i == intervals ? rMax : <f64>i * h;
    const at = data + <usize>i * block;
    gtoIntegralsAt(nMax, lMax, gamma, coefficient, r, at, at + (<usize>m << 3), at + (<usize>(2 * m) << 3), gauss);
  }
  for (let c = 0; c < m; c++) {
    let s = 0.0;
    for (let i = 0; i <= intervals; i++) s = Math.max(s, Math.abs(load<f64>(data + <usize>i * block + (<usize>c << 3))));
    store<f64>(scale + (<usize>c << 3), s);
    store<f64>(error + (<usize>c << 3), 0.0);
  }
  // Quintic Hermite weights at t = ½ (h, h² folded in): H0 = H5 = ½, H1 = −H4 = 5/32, H2 = H3 = 1/64.
  const w0 = 0.5;
  const w1 = h * 0.15625;
  const w2 = h * h * 0.015625;
  for (let i = 0; i < intervals; i++) {
    gtoIntegralsAt(nMax, lMax, gamma, coefficient, (<f64>i + 0.5) * h, exact, exact1, exact2, gauss);
    const a = data + <usize>i * block;
    const b = a + block;
    for (let c = 0; c < m; c++) {
      const o = <usize>c << 3;
      const mo = <usize>m << 3;
      const interpolated =
        w0 * (load<f64>(a + o) + load<f64>(b + o)) + w1 * (load<f64>(a + mo + o) - load<f64>(b + mo + o)) +
        w2 * (load<f64>(a + 2 * mo + o) + load<f64>(b + 2 * mo + o));
      const x = load<f64>(exact + o);
      store<f64>(scale + o, Math.max(load<f64>(scale + o), Math.abs(x)));
      store<f64>(error + o, Math.max(load<f64>(error + o), Math.abs(interpolated - x)));
    }
  }
  let worst = 0.0;
  for (let c = 0; c < m; c++) {
    const s = load<f64>(scale + (<usize>c << 3));
    if (s > 0) worst = Math.max(worst, load<f64>(error + (<usize>c << 3)) / s);
  }
  return worst;
}
