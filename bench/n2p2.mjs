// W6 of ../shared/specs/performance.md: energy + forces with the H2O_RPBE-D3 n2p2 potential on
// its 1 080-atom liquid. `npm run build && node bench/n2p2.mjs [--repeats N] [--json out.json]`.
// Prints the median compute time (potential.compute: neighbour list, symmetry functions,
// networks, forces), the time to load the potential, and the median wall time of the whole
// process `node dist/cli.js predict --potential … <structure>` (--process-runs, default 5; output
// discarded). Then the same compute split across a 2-worker pool (`pool.energy`: each worker
// takes half of the atoms), alternated with single-thread compute in one loop (--pool-repeats,
// default 21): `poolMs` beside `poolComputeMs`. Two workers only speed it up while two cores
// are free.
// Timings only; no asserts.
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createPool, loadPotential, readStructures } from '../dist/index.node.js';
import { median } from './timing.mjs';

const { values: args } = parseArgs({
  options: {
    json: { type: 'string' }, repeats: { type: 'string', default: '15' }, 'process-runs': { type: 'string', default: '5' },
    'pool-repeats': { type: 'string', default: '21' },
  },
});
const repeats = Math.max(3, Number(args.repeats));
const shared = (rel) => fileURLToPath(new URL(`../../shared/${rel}`, import.meta.url));


const t0 = performance.now();
const potential = await loadPotential(shared('data/n2p2/H2O_RPBE-D3'));
const loadMs = performance.now() - t0;
const [structure] = await readStructures(shared('data/n2p2/H2O_RPBE-D3/input.data.H2O_1080_liquid'), 'n2p2');

// Warm up for 1 s: V8 tiers wasm up lazily.
const warmUntil = performance.now() + 1000;
while (performance.now() < warmUntil) potential.compute(structure);
const ms = [];
for (let i = 0; i < repeats; i++) {
  const t = performance.now();
  potential.compute(structure);
  ms.push(performance.now() - t);
}
// The pool: warm up both (the workers tier their wasm up too), then alternate.
const pool = await createPool({ workers: 2 });
const poolWarmUntil = performance.now() + 1500;
while (performance.now() < poolWarmUntil) {
  potential.compute(structure);
  await pool.energy(potential, structure);
}
const poolMs = [], poolComputeMs = [];
for (let i = 0; i < Math.max(3, Number(args['pool-repeats'])); i++) {
  let t = performance.now();
  potential.compute(structure);
  poolComputeMs.push(performance.now() - t);
  t = performance.now();
  await pool.energy(potential, structure);
  poolMs.push(performance.now() - t);
}
await pool.close();
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const processMs = [];
for (let i = 0; i < Math.max(1, Number(args['process-runs'])); i++) {
  const t = performance.now();
  const run = spawnSync(process.execPath, [cli, 'predict', '--potential', shared('data/n2p2/H2O_RPBE-D3'), shared('data/n2p2/H2O_RPBE-D3/input.data.H2O_1080_liquid')], { stdio: ['ignore', 'ignore', 'inherit'] });
  processMs.push(performance.now() - t);
  if (run.status !== 0) throw new Error(`atomenv predict exited with ${run.status}`);
}
const result = {
  id: 'W6', title: 'n2p2 H2O_RPBE-D3, energy + forces, 1 080-atom water liquid',
  nAtoms: structure.numbers.length, computeMs: median(ms), loadPotentialMs: loadMs, processMs: median(processMs),
  peer: { name: 'n2p2 nnp-predict (whole process)', ms: 350 }, targetComputeMs: 40, targetProcessMs: 100,
  poolWorkers: 2, poolMs: median(poolMs), poolComputeMs: median(poolComputeMs),
};
console.log(`${result.id} ${result.title}: compute ${result.computeMs.toFixed(1)} ms (target ≤ ${result.targetComputeMs} ms), load ${loadMs.toFixed(1)} ms, whole process (atomenv predict) ${result.processMs.toFixed(0)} ms (target ≤ ${result.targetProcessMs} ms; nnp-predict ${result.peer.ms} ms)`);
console.log(`${result.id} on a ${result.poolWorkers}-worker pool (pool.energy, half of the atoms each): ${result.poolMs.toFixed(1)} ms, single-thread compute alternated with it ${result.poolComputeMs.toFixed(1)} ms`);
if (args.json) await writeFile(args.json, JSON.stringify(result, null, 2));
