import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/index.js';
import type { ActivationLetter } from '../../src/n2p2/inputNn.js';
import { ElementNetwork } from '../../src/n2p2/network.js';
import { getRuntime } from '../../src/wasm/loader.js';
import { rng } from '../helpers/geometry.js';

// n2p2Networks lays its rows out with each layer's width padded to even; the scratch size
// (n2p2NetworkScratch) must count that padding. With an odd layer wider than the inputs (one
// input and one hidden node, or three) the scratch was too small, the kernel wrote past it into
// the next allocation (a potential's chunk atom list) and compute failed with "memory access out
// of bounds" from about nine atoms on. Here the scratch is followed by a guard that must stay intact.

beforeAll(async () => {
  await init();
});

const CASES: { inputs: number; hidden: number[]; activations: ActivationLetter[] }[] = [
  { inputs: 1, hidden: [1], activations: ['l', 'l'] },
  { inputs: 1, hidden: [3], activations: ['t', 'l'] },
  { inputs: 2, hidden: [3, 5], activations: ['t', 's', 'l'] },
  { inputs: 3, hidden: [7, 1], activations: ['p', 't', 'l'] },
];

describe('n2p2 network scratch', () => {
  for (const { inputs, hidden, activations } of CASES) {
    test(`${inputs} input(s), layers ${hidden.join('-')}: the kernel stays inside n2p2NetworkScratch bytes and matches ElementNetwork`, () => {
      const rand = rng(7 * inputs + hidden[0]!);
      const layout = { hiddenNodes: hidden, activations };
      const values = Float64Array.from({ length: ElementNetwork.parameterCount(inputs, layout) }, () => rand() - 0.5);
      const net = new ElementNetwork(inputs, layout, values, false);
      const nAtoms = 3;
      const G = Float64Array.from({ length: nAtoms * inputs }, () => rand());
      const { arena, kernels } = getRuntime();
      arena.reset();
      const packed = net.pack(arena);
      const pG = arena.allocF64(G.length), pOffset = arena.allocF64(inputs), pFactor = arena.allocF64(inputs);
      const pAtoms = arena.allocI32(nAtoms), pOut = arena.allocF64(nAtoms), pdEdG = arena.allocF64(nAtoms * inputs);
      const pScratch = arena.alloc(kernels.n2p2NetworkScratch(packed.width, packed.nLayers));
      const guardLength = 64;
      const pGuard = arena.allocF64(guardLength);
      arena.f64(pG, G.length).set(G);
      arena.f64(pOffset, inputs).fill(0);
      arena.f64(pFactor, inputs).fill(1);
      arena.i32(pAtoms, nAtoms).set([0, 1, 2]);
      arena.f64(pGuard, guardLength).fill(12345.5);
      kernels.n2p2Networks(nAtoms, pAtoms, pG, inputs, 0, pOffset, pFactor, packed.nLayers, packed.layers, false, 1, pOut, pdEdG, pScratch);
      expect(Array.from(arena.f64(pGuard, guardLength)).every((v) => v === 12345.5)).toBe(true);
      const out = arena.f64(pOut, nAtoms).slice();
      for (let a = 0; a < nAtoms; a++) {
        const expected = net.evaluate(G.subarray(a * inputs, (a + 1) * inputs));
        expect(Math.abs(out[a]! - expected)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(expected)));
      }
    });
  }
});
