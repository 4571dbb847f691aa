// W10: prints the ms from process start to W1 computed once on a fresh 2-worker pool
// (library import, wasm compile, worker start-up, radial table, one structure), then the ms of
// the same from this script's first line (without Node's own start-up).
const t0 = performance.timeOrigin;
const scriptStart = performance.now();
const { createPool, readStructures } = await import('../dist/index.node.js');
const [structure] = await readStructures(process.argv[2]);
const pool = await createPool({ workers: 2 });
const [result] = await pool.compute({ descriptor: 'soap', species: ['H', 'O'], rCut: 5, nMax: 8, lMax: 6, sigma: 0.5, periodic: true }, [structure]);
const elapsed = performance.timeOrigin + performance.now() - t0;
await pool.close();
if (!result.ok) throw new Error(result.error.message);
console.log(`${elapsed.toFixed(1)} ${(elapsed - scriptStart).toFixed(1)}`);
