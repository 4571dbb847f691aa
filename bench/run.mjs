// `npm run bench [-- --json out.json] [-- --repeats N]`: runs the workloads of
// ../shared/specs/performance.md on the built library (dist/) and prints, for each, the median
// time, µs per atomic environment and the ratio to the peer's figure. Timings only; no asserts.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ACSF, init, readStructures } from '../dist/index.node.js';
import { W3 } from './workloads.mjs';

const { values: args } = parseArgs({
  options: { json: { type: 'string' }, repeats: { type: 'string', default: '15' } },
});
const repeats = Math.max(3, Number(args.repeats));
const shared = (rel) => fileURLToPath(new URL(`../../shared/${rel}`, import.meta.url));

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Median wall time of fn over `repeats` runs, after at least 1 s of warm-up calls: V8 runs wasm
 * in its baseline compiler first and tiers hot functions up lazily (no on-stack replacement).
 */
function time(fn) {
  const warmUntil = performance.now() + 1000;
  while (performance.now() < warmUntil) fn();
  const ms = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

const runtime = await init();
const results = [];

{
  const w = W3;
  const [structure] = await readStructures(shared(w.structure));
  const acsf = new ACSF(w.descriptor);
  const nEnv = structure.numbers.length;
  const ms = time(() => acsf.create(structure));
  results.push({ id: w.id, title: w.title, ms, nEnv, peer: w.peer, target: w.targetUsPerEnv });
  const msGrad = time(() => acsf.derivatives(structure, { attach: true, layout: 'sparse' }));
  results.push({ id: `${w.id}+grad`, title: `${w.title}, with sparse analytic gradients`, ms: msGrad, nEnv, peer: null, target: null });
}

console.log(`atomenv bench (wasm build: ${runtime.variant}, Node ${process.versions.node}, median of ${repeats})`);
for (const r of results) {
  const us = (1000 * r.ms) / r.nEnv;
  r.usPerEnv = us;
  r.speedupVsPeer = r.peer ? r.peer.usPerEnv / us : null;
  const peer = r.peer ? `  ${r.peer.name} ${r.peer.usPerEnv} µs/env → ${r.speedupVsPeer.toFixed(1)}× faster` : '';
  const target = r.target ? `  (target ≤ ${r.target} µs/env)` : '';
  console.log(`${r.id.padEnd(8)} ${r.ms.toFixed(2).padStart(9)} ms  ${us.toFixed(2).padStart(8)} µs/env${peer}${target}`);
  console.log(`         ${r.title}`);
}
if (args.json) {
  await writeFile(args.json, JSON.stringify({ variant: runtime.variant, node: process.versions.node, repeats, results }, null, 2));
}
