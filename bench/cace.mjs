// W7 of ../shared/specs/performance.md: the CACE representation with the water example's
// settings (r_c 5.5, 6 Bessel, polynomial envelope p = 6, d = 3, K = 12, max_l 3, ν ≤ 3, no
// message passing: 648 features) on the 192-atom water box, against PyTorch CACE's 410 µs/env
// (f64). Deterministic synthetic weights (no trained model is shipped).
//
//   node bench/cace.mjs [--repeats N]        (after `npm run build`)
//   import { W7, benchW7 } from './cace.mjs'; const rows = await benchW7({ repeats });
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { time } from './timing.mjs';

export const W7 = {
  id: 'W7',
  title: 'CACE representation, water example settings (648 features), water_64mol_192atoms',
  structure: 'data/structures/water_64mol_192atoms.extxyz',
  peer: { name: 'CACE (PyTorch 1.13, f64)', usPerEnv: 410 },
  targetUsPerEnv: 20,
};

/**
 * The water example's representation with reproducible pseudo-random weights; `messagePassing`
 * adds its one Bchi layer (1 296 features), as examples/water_train.py trains it.
 */
export function w7Options(withReadout = false, messagePassing = false) {
  let state = 12345;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const d = 3, nRbf = 6, K = 12, C = d * d, rc = 5.5;
  const weights = {
    'node_embedding_sender.embedding_weights': Array.from({ length: 2 * d }, () => 2 * random() - 1),
    'node_embedding_receiver.embedding_weights': Array.from({ length: 2 * d }, () => 2 * random() - 1),
    'radial_basis.bessel_weights': Array.from({ length: nRbf }, (_, n) => ((n + 1) * Math.PI) / rc),
  };
  for (let l = 0; l <= 3; l++) weights[`radial_transform.weights.${l}`] = Array.from({ length: nRbf * K * C }, random);
  const T = messagePassing ? 1 : 0;
  if (messagePassing) {
    weights['message_passing_list.0.2.hnet.0.linear.weight'] = Array.from({ length: 648 }, () => 0.01 * (2 * random() - 1));
    weights['message_passing_list.0.2.hnet.0.linear.bias'] = [0.1];
  }
  let readout = null;
  if (withReadout) {
    const nIn = 648 * (T + 1);
    readout = { nLayers: 3, nHidden: [32, 16], addLinearNn: true };
    const sizes = [nIn, 32, 16, 1];
    for (let i = 0; i < 3; i++) {
      weights[`output_modules.0.outnet.${i}.linear.weight`] = Array.from({ length: sizes[i] * sizes[i + 1] }, () => (2 * random() - 1) / Math.sqrt(sizes[i]));
      weights[`output_modules.0.outnet.${i}.linear.bias`] = Array.from({ length: sizes[i + 1] }, () => 0.1 * random());
    }
    weights['output_modules.0.linear_nn.linear.weight'] = Array.from({ length: nIn }, () => 0.01 * random());
    weights['output_modules.0.linear_nn.linear.bias'] = [0];
  }
  return {
    zs: [1, 8], nAtomBasis: d, embedReceiverNodes: true, cutoff: rc, radialBasis: { type: 'bessel', n: nRbf },
    cutoffFn: { type: 'poly', p: 6 }, nRadialBasis: K, maxL: 3, maxNu: 3, numMessagePassing: T,
    typeMessagePassing: ['Bchi'], readout, weights,
  };
}

/**
 * Times W7 (create) and, for information, energy + forces of the same representation with the
 * water example's readout, and both with the example's Bchi message-passing layer. Returns rows
 * in bench/run.mjs's shape: { id, title, ms, nEnv, peer, target }.
 */
export async function benchW7({ repeats = 15 } = {}) {
  const { CACE, init, readStructures } = await import('../dist/index.node.js');
  await init();
  const file = fileURLToPath(new URL(`../../shared/${W7.structure}`, import.meta.url));
  const [structure] = await readStructures(file);
  const cace = new CACE(w7Options());
  if (cace.numFeatures !== 648) throw new Error(`W7: expected 648 features, got ${cace.numFeatures}`);
  const nEnv = structure.numbers.length;
  const rows = [{ id: W7.id, title: W7.title, ms: time(() => cace.create(structure), repeats), nEnv, peer: W7.peer, target: W7.targetUsPerEnv }];
  const potential = new CACE(w7Options(true));
  rows.push({
    id: `${W7.id}/energy`, title: 'CACE energy + forces + stress, same representation + Atomwise [32, 16] + linear',
    ms: time(() => potential.energy(structure), Math.max(3, Math.floor(repeats / 3))), nEnv, peer: null, target: null,
  });
  // The water example as trained (one Bchi message-passing layer), for information.
  const mp = new CACE(w7Options(false, true));
  rows.push({
    id: `${W7.id}/mp`, title: 'CACE representation + 1 Bchi message-passing layer (1 296 features)',
    ms: time(() => mp.create(structure), repeats), nEnv, peer: null, target: null,
  });
  const mpPotential = new CACE(w7Options(true, true));
  rows.push({
    id: `${W7.id}/mp-energy`, title: 'CACE energy + forces + stress, the water example with its readout',
    ms: time(() => mpPotential.energy(structure), Math.max(3, Math.floor(repeats / 3))), nEnv, peer: null, target: null,
  });
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { repeats: { type: 'string', default: '15' } } });
  for (const r of await benchW7({ repeats: Math.max(3, Number(values.repeats)) })) {
    const us = (1000 * r.ms) / r.nEnv;
    const ratio = r.peer ? `  ${(us / r.peer.usPerEnv).toFixed(3)}× ${r.peer.name} (${r.peer.usPerEnv} µs/env)` : '';
    console.log(`${r.id.padEnd(10)} ${r.ms.toFixed(3).padStart(9)} ms  ${us.toFixed(2).padStart(8)} µs/env${ratio}${r.target ? `  target ≤ ${r.target}` : ''}  ${r.title}`);
  }
}
