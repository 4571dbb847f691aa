// W10: prints the ms from process start to W1 computed once on a fresh 2-worker pool
// (library import, wasm compile, worker start-up, radial table, one structure), then the ms of
// the same from this script's first line (without Node's own start-up). The pool is started
// first and the descriptor built while its workers boot, as the README recommends.
const t0 = performance.timeOrigin;
const scriptStart = performance.now();
const { SOAP, createPool, init, readStructures } = await import('../dist/index.node.js');
const poolReady = createPool({ workers: 2 });
const [structure] = await readStructures(process.argv[2]);
await init();
const soap = new SOAP({ species: ['H', 'O'], rCut: 5, nMax: 8, lMax: 6, sigma: 0.5, periodic: true });
const pool = await poolReady;
const [result] = await pool.compute(soap, [structure]);
const elapsed = performance.timeOrigin + performance.now() - t0;
await pool.close();
if (!result.ok) throw new Error(result.error.message);
console.log(`${elapsed.toFixed(1)} ${(elapsed - scriptStart).toFixed(1)}`);
