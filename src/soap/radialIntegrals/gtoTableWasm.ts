/**
 * The GTO table built in wasm (assembly/soap/gtoIntegralTable.ts): the same knots, values and
 * midpoint error check as the JavaScript tabulator of `table.ts`, in compiled code, so a cold
 * start does not spend ~15 ms interpreting the build.
 */
import type { Runtime } from '../../wasm/loader.js';
import type { GtoRadialIntegrals } from './gtoIntegrals.js';
import type { TableAttempt } from './table.js';

/** A quintic tabulator of `integrals` on [0, rMax] for `buildRadialIntegralTable`'s `tabulate` option. */
export function wasmGtoTabulator(rt: Runtime, integrals: GtoRadialIntegrals, rMax: number): (intervals: number) => TableAttempt {
  const { nMax, lMax, gamma, coefficient } = integrals;
  const channels = (lMax + 1) * nMax;
  return (intervals) => {
    const { arena, kernels } = rt;
    const mark = arena.mark();
    try {
      const length = (intervals + 1) * 3 * channels;
      const pGamma = arena.allocF64(gamma.length);
      const pCoefficient = arena.allocF64(coefficient.length);
      const pData = arena.allocF64(length);
      const pScale = arena.allocF64(channels);
      const pWork = arena.alloc(kernels.soapGtoIntegralTableWorkSize(nMax, lMax));
      arena.f64(pGamma, gamma.length).set(gamma);
      arena.f64(pCoefficient, coefficient.length).set(coefficient);
      const worst = kernels.soapGtoIntegralTable(nMax, lMax, pGamma, pCoefficient, rMax, intervals, pData, pScale, pWork);
      return { data: arena.f64(pData, length).slice(), scale: arena.f64(pScale, channels).slice(), worst };
    } finally {
      arena.release(mark);
    }
  };
}
