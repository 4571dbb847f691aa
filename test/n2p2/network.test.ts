import { beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/index.js';
import type { ActivationLetter } from '../../src/n2p2/inputNn.js';
import { ElementNetwork } from '../../src/n2p2/network.js';
import { getRuntime } from '../../src/wasm/loader.js';
import { rng } from '../helpers/geometry.js';

// The wasm networks (assembly/n2p2/network.ts, used by N2p2Potential.compute) against the
// TypeScript ElementNetwork: outputs and ∂out/∂x through the input scaling, every activation.

beforeAll(async () => {
  await init();
});

const CASES: { hidden: number[]; activations: ActivationLetter[]; normalize: boolean }[] = [
  { hidden: [25, 25], activations: ['t', 't', 'l'], normalize: false },
  { hidden: [7, 4], activations: ['s', 'p', 'l'], normalize: true },
  { hidden: [6, 5, 3], activations: ['r', 'g', 'c', 'l'], normalize: false },
  { hidden: [5], activations: ['S', 'e'], normalize: true },
  { hidden: [4, 3], activations: ['h', 't', 's'], normalize: false },
];

describe('n2p2 networks in wasm against ElementNetwork', () => {
  for (const { hidden, activations, normalize } of CASES) {
    test(`layers ${hidden.join('-')}, activations ${activations.join('')}, normalize ${normalize}`, () => {
      const rand = rng(hidden.length * 31 + hidden[0]!);
      const inputs = 9, nFeatures = 14, column = 3, nAtoms = 5, convEnergy = 1.7;
      const layout = { hiddenNodes: hidden, activations };
      const values = Float64Array.from({ length: ElementNetwork.parameterCount(inputs, layout) }, () => 0.6 * (rand() - 0.5));
      const net = new ElementNetwork(inputs, layout, values, normalize);
      const G = Float64Array.from({ length: nAtoms * nFeatures }, () => 2 * rand() - 0.5);
      // Atom 2 has a zero input: skipped rows must not change anything.
      G[2 * nFeatures + column + 4] = 0;
      const offset = Float64Array.from({ length: inputs }, () => rand() - 0.5);
      const factor = Float64Array.from({ length: inputs }, () => 0.5 + rand());
      const atoms = Int32Array.from([4, 0, 2]);

      const { arena, kernels } = getRuntime();
      arena.reset();
      const packed = net.pack(arena);
      const pG = arena.allocF64(G.length), pOffset = arena.allocF64(inputs), pFactor = arena.allocF64(inputs);
      const pAtoms = arena.allocI32(atoms.length), pOut = arena.allocF64(nAtoms), pdEdG = arena.allocF64(nAtoms * nFeatures);
      const pScratch = arena.alloc(kernels.n2p2NetworkScratch(packed.width, packed.nLayers));
      arena.f64(pG, G.length).set(G);
      arena.f64(pOffset, inputs).set(offset);
      arena.f64(pFactor, inputs).set(factor);
      arena.i32(pAtoms, atoms.length).set(atoms);
      arena.f64(pdEdG, nAtoms * nFeatures).fill(NaN);
      kernels.n2p2Networks(atoms.length, pAtoms, pG, nFeatures, column, pOffset, pFactor, packed.nLayers, packed.layers, normalize, convEnergy, pOut, pdEdG, pScratch);
      const out = arena.f64(pOut, nAtoms), dEdG = arena.f64(pdEdG, nAtoms * nFeatures);

      const x = new Float64Array(inputs), dx = new Float64Array(inputs);
      for (const a of atoms) {
        for (let f = 0; f < inputs; f++) x[f] = offset[f]! + factor[f]! * G[a * nFeatures + column + f]!;
        const expected = net.evaluate(x, dx);
        expect(Math.abs(out[a]! - expected)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(expected)));
        for (let f = 0; f < nFeatures; f++) {
          const inBlock = f >= column && f < column + inputs;
          const want = inBlock ? (dx[f - column]! * factor[f - column]!) / convEnergy : 0;
          expect(Math.abs(dEdG[a * nFeatures + f]! - want)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(want)));
        }
      }
      // Rows of atoms not in the list are left alone.
      expect(Number.isNaN(dEdG[1 * nFeatures])).toBe(true);
    });
  }
});
