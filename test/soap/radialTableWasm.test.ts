import { beforeAll, describe, expect, it } from 'vitest';
import { init, type Runtime } from '../../src/wasm/loader.js';
import { gtoRadialBasis } from '../../src/soap/radial/gto.js';
import { createGtoRadialIntegrals } from '../../src/soap/radialIntegrals/gtoIntegrals.js';
import { wasmGtoTabulator } from '../../src/soap/radialIntegrals/gtoTableWasm.js';
import { buildRadialIntegralTable, evaluate } from '../../src/soap/radialIntegrals/table.js';
import { cutoffPadding } from '../../src/soap/radialIntegrals/types.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await init();
});

describe('GTO radial table built in wasm', () => {
  // W1's parameters, a small l_max and a wide σ with odd n_max.
  const sets = [
    { rCut: 5, nMax: 8, lMax: 6, sigma: 0.5 },
    { rCut: 3, nMax: 3, lMax: 2, sigma: 0.2 },
    { rCut: 6, nMax: 5, lMax: 9, sigma: 1.1 },
  ];
  for (const s of sets) {
    it(`equals the JavaScript build (knots, scale, error, grid) for r_cut ${s.rCut} n_max ${s.nMax} l_max ${s.lMax} σ ${s.sigma}`, () => {
      const integrals = createGtoRadialIntegrals(gtoRadialBasis(s.rCut, s.nMax, s.lMax), s.sigma);
      const rMax = s.rCut + cutoffPadding(s.sigma);
      const js = buildRadialIntegralTable(integrals, rMax);
      const wasm = buildRadialIntegralTable(integrals, rMax, { tabulate: wasmGtoTabulator(rt, integrals, rMax) });
      expect(wasm.intervals).toBe(js.intervals);
      expect(wasm.iterations).toBe(js.iterations);
      expect(wasm.maxRelativeError).toBeLessThanOrEqual(0.5e-10);
      expect(Math.abs(wasm.maxRelativeError - js.maxRelativeError)).toBeLessThan(1e-3 * js.maxRelativeError);
      const m = js.channels;
      for (let c = 0; c < m; c++) {
        expect(Math.abs(wasm.scale[c]! - js.scale[c]!)).toBeLessThanOrEqual(1e-12 * js.scale[c]!);
      }
      // Knot values and derivatives: the same formula with AssemblyScript's exp instead of V8's. Its
      // rounding is amplified by the cancellation in Σ_k C_lnk e^{−γ_kl r²} (Löwdin β alternates in
      // sign; Σ|terms| reaches 10⁴ × the channel's scale for W1's l = 3): against a 50-digit
      // evaluation both builds err by up to ~8e-13 of the scale, and they differ by as much.
      // Scale of I: the table's; of I′ and I″: their largest |knot value| per channel.
      const scales = [js.scale, new Float64Array(m), new Float64Array(m)];
      for (let i = 0; i <= js.intervals; i++) {
        for (let d = 1; d < 3; d++) {
          for (let c = 0; c < m; c++) scales[d]![c] = Math.max(scales[d]![c]!, Math.abs(js.data[(i * 3 + d) * m + c]!));
        }
      }
      let worst = 0;
      for (let i = 0; i <= js.intervals; i++) {
        for (let d = 0; d < 3; d++) {
          for (let c = 0; c < m; c++) {
            const k = (i * 3 + d) * m + c;
            worst = Math.max(worst, Math.abs(wasm.data[k]! - js.data[k]!) / scales[d]![c]!);
          }
        }
      }
      console.log(`wasm vs JS table: worst knot difference ${worst.toExponential(2)} of the channel scale`);
      expect(worst).toBeLessThanOrEqual(1e-12);
      // Interpolating the wasm table meets the 1e-10 bound against the exact integrals off the grid.
      const exact = new Float64Array(m);
      const got = new Float64Array(m);
      for (let r = 0.0137; r < rMax; r += 0.0731) {
        integrals.evaluate(r, exact);
        evaluate(wasm, r, got);
        for (let c = 0; c < m; c++) expect(Math.abs(got[c]! - exact[c]!)).toBeLessThanOrEqual(1e-10 * wasm.scale[c]!);
      }
    });
  }
});
