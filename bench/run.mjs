// `npm run bench [-- --json out.json] [-- --repeats N]`: runs the workloads of
// ../shared/specs/performance.md on the built library (dist/) and prints, for each, the median
// time, µs per atomic environment and the ratio to the peer's figure. Timings only; no asserts.
import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ACSF, SOAP, createPool, init, readStructures } from '../dist/index.node.js';
import { spawnSync } from 'node:child_process';
import { W1, W3, W4, W5 } from './workloads.mjs';
import { benchW7 } from './cace.mjs';
import { median, time as timeWithRepeats, timeAsync as timeAsyncWithRepeats, timeInTurns } from './timing.mjs';

const { values: args } = parseArgs({
  options: { json: { type: 'string' }, repeats: { type: 'string', default: '15' } },
});
const repeats = Math.max(3, Number(args.repeats));
const shared = (rel) => fileURLToPath(new URL(`../../shared/${rel}`, import.meta.url));

/** Median ms of fn over the run's repeats after a 1 s warm-up (bench/timing.mjs). */
const time = (fn) => timeWithRepeats(fn, repeats);
const timeAsync = (fn) => timeAsyncWithRepeats(fn, repeats);

const runtime = await init();
const results = [];

/** The structure repeated na × nb × 1 times. */
function repeat2x2(s) {
  const numbers = [];
  const positions = [];
  const a = s.cell;
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      for (let k = 0; k < s.numbers.length; k++) {
        numbers.push(s.numbers[k]);
        const p = Array.isArray(s.positions[0]) ? s.positions[k] : Array.from(s.positions.slice(3 * k, 3 * k + 3));
        positions.push([0, 1, 2].map((x) => p[x] + i * a[0][x] + j * a[1][x]));
      }
    }
  }
  return { numbers, positions, cell: [a[0].map((v) => 2 * v), a[1].map((v) => 2 * v), a[2]], pbc: s.pbc };
}

{
  const w = W1;
  const [structure] = await readStructures(shared(w.structure));
  const soap = new SOAP(w.descriptor);
  const nEnv = structure.numbers.length;
  results.push({ id: w.id, title: w.title, ms: time(() => soap.create(structure)), nEnv, peer: w.peer, target: w.targetUsPerEnv });
  // The same values computed in float32 (dtype 'float32': f32x4 kernels, float32 output).
  const soap32 = new SOAP({ ...w.descriptor, dtype: 'float32' });
  results.push({ id: `${w.id}/f32`, title: `${w.title}, dtype float32`, ms: time(() => soap32.create(structure)), nEnv, peer: w.peer, target: w.targetUsPerEnv });
  // The same on the relaxed-SIMD build (fused multiply-add; Node 20 needs a V8 flag, which
  // init({ simd: 'relaxed' }) sets, so it runs in a process of its own).
  const relaxed = spawnSync(process.execPath, [fileURLToPath(new URL('./relaxedW1.mjs', import.meta.url)), '--repeats', String(repeats), shared(w.structure)], { encoding: 'utf8' });
  if (relaxed.status !== 0) throw new Error(`W1/relaxed failed: ${relaxed.stderr}`);
  const [relaxedF64, relaxedF32] = relaxed.stdout.trim().split(' ').map(Number);
  results.push({ id: `${w.id}/relaxed`, title: `${w.title}, relaxed-SIMD build (init({ simd: 'relaxed' }))`, ms: relaxedF64, nEnv, peer: w.peer, target: w.targetUsPerEnv });
  results.push({ id: `${w.id}/relaxed-f32`, title: `${w.title}, dtype float32, relaxed-SIMD build`, ms: relaxedF32, nEnv, peer: w.peer, target: w.targetUsPerEnv });
  // W2: the backward pass (forces) and the full sparse gradient array.
  const upstream = new Float64Array(nEnv * soap.numFeatures).fill(1);
  results.push({
    id: 'W2/backward', title: 'W1 + backward pass (dL/dpositions from dL/dfeatures, periodic)',
    ms: time(() => soap.backward(structure, upstream)), nEnv, peer: { name: 'DScribe 2.1.1 (gradients, non-periodic analytic)', usPerEnv: 4968 }, target: 4 * 8,
  });
  results.push({
    id: 'W2/sparse', title: 'W1 + sparse analytic gradients (attach), fresh output array each call',
    ms: time(() => soap.derivatives(structure, { attach: true, layout: 'sparse' })), nEnv, peer: { name: 'DScribe 2.1.1 (gradients, non-periodic analytic)', usPerEnv: 4968 }, target: 250,
  });
  // The same into one reused output buffer: without the OS's first-touch cost of a fresh array.
  const out = soap.derivatives(structure, { attach: true, layout: 'sparse' }).derivatives.values;
  results.push({
    id: 'W2/sparse-out', title: `W1 + sparse analytic gradients into a reused ${(out.length * 8 / 2 ** 20).toFixed(0)} MiB buffer (options.out)`,
    ms: time(() => soap.derivatives(structure, { attach: true, layout: 'sparse', out })), nEnv, peer: { name: 'DScribe 2.1.1 (gradients, non-periodic analytic)', usPerEnv: 4968 }, target: 250,
  });
}

{
  const w = W4;
  const frames = await readStructures(shared(w.structure));
  const soap = new SOAP(w.descriptor);
  const nEnv = frames.reduce((n, f) => n + f.numbers.length, 0);
  const ms = time(() => {
    for (const f of frames) soap.create(f);
  });
  results.push({ id: w.id, title: w.title, ms, nEnv, peer: w.peer, target: w.targetUsPerEnv });
}

{
  // W4 on a 2-worker pool: structures in, results (values) back in the caller's hands.
  const w = W4;
  const frames = await readStructures(shared(w.structure));
  const nEnv = frames.reduce((n, f) => n + f.numbers.length, 0);
  const pool = await createPool({ workers: 2 });
  const config = { descriptor: 'soap', ...w.descriptor };
  const ms = await timeAsync(async () => {
    const results = await pool.compute(config, frames);
    if (!results.every((r) => r.ok)) throw new Error('W4: an item failed');
  });
  await pool.close();
  results.push({ id: 'W4/pool2', title: `${w.title.replace(', one thread', '')}, 2-worker pool (target ≤ 50 ms)`, ms, nEnv, peer: { name: 'DScribe 2.1.1 (2 processes, 768 ms)', usPerEnv: (768 * 1000) / 6648 }, target: (50 * 1000) / 6648 });
}

{
  // W8: W1 settings on the 1 536-atom box, 1 vs 2 workers (speed-up target ≥ 1.8): each worker
  // takes a quarter of the centres.
  const w = W5;
  const [structure] = await readStructures(shared(w.structure));
  const n = structure.numbers.length;
  const quarters = [0, 1, 2, 3].map((q) => ({ structure, centers: Array.from({ length: n / 4 }, (_, i) => q * (n / 4) + i) }));
  const config = { descriptor: 'soap', ...w.descriptor };
  const msFor = async (workers) => {
    const pool = await createPool({ workers });
    const ms = await timeAsync(async () => {
      const r = await pool.compute(config, quarters);
      if (!r.every((x) => x.ok)) throw new Error('W8: an item failed');
    });
    await pool.close();
    return ms;
  };
  const one = await msFor(1);
  const two = await msFor(2);
  results.push({ id: 'W8/1', title: 'W1 settings on water_512mol_1536atoms, 1 worker', ms: one, nEnv: n, peer: null, target: null });
  results.push({ id: 'W8/2', title: `W1 settings on water_512mol_1536atoms, 2 workers: speed-up ${(one / two).toFixed(2)}× (target ≥ 1.8×)`, ms: two, nEnv: n, peer: null, target: null });
}

{
  // W10: cold start in a fresh process: load the library, compile, start a 2-worker pool, W1 once.
  const script = fileURLToPath(new URL('./coldStart.mjs', import.meta.url));
  const runs = [];
  const fromScript = [];
  for (let i = 0; i < 5; i++) {
    const out = spawnSync(process.execPath, [script, shared(W1.structure)], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`W10 failed: ${out.stderr}`);
    const [wall, script_] = out.stdout.trim().split(' ').map(Number);
    runs.push(wall);
    fromScript.push(script_);
  }
  results.push({ id: 'W10', title: 'cold start from process start: Node start-up, import, compile, 2-worker pool, W1 once (target ≤ 150 ms)', ms: median(runs), nEnv: 192, peer: null, target: null });
  results.push({ id: 'W10/lib', title: 'the same from the script\'s first line (import, compile, pool, W1 once; without Node\'s start-up)', ms: median(fromScript), nEnv: 192, peer: null, target: null });
}

{
  // W9: W1 in headless Chromium (one Web Worker) against Node (one worker thread, same path).
  const chromium = '/usr/bin/chromium';
  if (existsSync(chromium)) {
    const { chromium: launcher } = await import('playwright-core');
    const { serveStatic } = await import('../scripts/staticServer.mjs');
    const root = fileURLToPath(new URL('../', import.meta.url));
    const { server, url } = await serveStatic(root, fileURLToPath(new URL('../../shared/', import.meta.url)));
    const browser = await launcher.launch({ executablePath: chromium, args: ['--no-sandbox'] });
    const page = await browser.newPage();
    await page.goto(`${url}/bench/browser/w9.html`);
    await page.waitForFunction(() => window.w9 !== undefined, null, { timeout: 120000 });
    const [structure] = await readStructures(shared(W1.structure));
    const pool = await createPool({ workers: 1 });
    const config = { descriptor: 'soap', ...W1.descriptor };
    const nodeRun = async () => {
      const t0 = performance.now();
      await pool.compute(config, [structure]);
      return performance.now() - t0;
    };
    // Warm both up for 1 s, then alternate browser and Node calls (paired under the same load).
    const warmUntil = performance.now() + 1000;
    while (performance.now() < warmUntil) {
      await page.evaluate(() => window.runW9());
      await nodeRun();
    }
    const browserMs = [];
    const nodeMsAll = [];
    for (let i = 0; i < Math.max(repeats, 21); i++) {
      browserMs.push(await page.evaluate(() => window.runW9()));
      nodeMsAll.push(await nodeRun());
    }
    await pool.close();
    await browser.close();
    server.close();
    const ms = median(browserMs);
    const nodeMs = median(nodeMsAll);
    results.push({ id: 'W9/node', title: 'W1 in one Node worker thread (through the pool)', ms: nodeMs, nEnv: 192, peer: null, target: null });
    results.push({ id: 'W9/chromium', title: `W1 in one Chromium Web Worker: ${(ms / nodeMs).toFixed(2)}× Node (target ≤ 1.2×)`, ms, nEnv: 192, peer: null, target: null });
  } else {
    console.log('W9 skipped: /usr/bin/chromium is missing');
  }
}

{
  const w = W5;
  const [structure] = await readStructures(shared(w.structure));
  const soap = new SOAP(w.descriptor);
  const big = repeat2x2(structure);
  // The two sizes in turns, so that their ratio sees one machine state.
  const sizes = [[structure, 1536], [big, 6144]];
  const ms = timeInTurns(sizes.map(([s]) => () => soap.create(s)), repeats);
  sizes.forEach(([, n], k) => {
    results.push({ id: `${w.id}/${n}`, title: `${w.title}: ${n} atoms`, ms: ms[k], nEnv: n, peer: { name: 'DScribe 2.1.1', usPerEnv: w.peers[n] }, target: null });
  });
}

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

// W7: CACE representation (water example settings) and, beside it, energies and forces.
results.push(...(await benchW7({ repeats })));

{
  // W6: n2p2 H2O_RPBE-D3 energy + forces on the 1 080-atom liquid (bench/n2p2.mjs in its own
  // process), and `atomenv predict` on it as a whole process (n2p2's nnp-predict: 350 ms).
  const json = join(tmpdir(), `atomenv-w6-${process.pid}.json`);
  const out = spawnSync(process.execPath, [fileURLToPath(new URL('./n2p2.mjs', import.meta.url)), '--repeats', String(repeats), '--json', json], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`W6 failed: ${out.stderr}`);
  const w6 = JSON.parse(await readFile(json, 'utf8'));
  const nnpUs = (350 * 1000) / w6.nAtoms;
  results.push({ id: 'W6', title: `${w6.title}: compute (target ≤ ${w6.targetComputeMs} ms)`, ms: w6.computeMs, nEnv: w6.nAtoms, peer: { name: 'n2p2 nnp-predict (whole process, 350 ms)', usPerEnv: nnpUs }, target: null });
  results.push({ id: 'W6/pool2', title: `${w6.title}: pool.energy on a 2-worker pool (single-thread compute alternated with it: ${w6.poolComputeMs.toFixed(1)} ms)`, ms: w6.poolMs, nEnv: w6.nAtoms, peer: null, target: null });
  results.push({ id: 'W6/cli', title: 'atomenv predict on it, whole process (target ≤ 100 ms)', ms: w6.processMs, nEnv: w6.nAtoms, peer: { name: 'n2p2 nnp-predict (whole process, 350 ms)', usPerEnv: nnpUs }, target: null });
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
{
  const [w1, a, b] = ['W1', 'W5/1536', 'W5/6144'].map((id) => results.find((r) => r.id === id));
  console.log(`W5 cost per environment 6144 vs 1536 atoms: ${(b.usPerEnv / a.usPerEnv).toFixed(3)}× (target ≤ 1.1×)`);
  // performance.md words W5's target against W1's 192-atom box; timed in another window than W5.
  console.log(`W5 cost per environment 6144 atoms vs W1's 192: ${(b.usPerEnv / w1.usPerEnv).toFixed(3)}× (performance.md: ≤ 1.1× of the cost at 192)`);
}
if (args.json) {
  await writeFile(args.json, JSON.stringify({ variant: runtime.variant, node: process.versions.node, repeats, results }, null, 2));
}
