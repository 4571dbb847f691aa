// `node --experimental-wasm-relaxed-simd bench/sphericalHarmonicsPairs.mjs [--repeats N] [--n N]`:
// throughput of the real spherical harmonics, one vector at a time (shValuesAt,
// shValuesAndGradientsAt) against two at a time (the f64x2 *PairAt versions used by the batch
// kernels), at lMax 6 and 8, in the plain SIMD and (when the runtime accepts it) relaxed-SIMD
// builds. It compiles a small entry module into build/shbench/ that exports the two loops over the
// same assembly/ sources. Timings only; no asserts.
import asc from 'assemblyscript/asc';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: { repeats: { type: 'string', default: '41' }, n: { type: 'string', default: '10000' } },
});
const repeats = Math.max(3, Number(args.repeats));
const n = Number(args.n);

// The scalar loops are the batch kernels as they were before the pair versions: normalise, then one
// scalar call per vector.
const entry = `
import { SH_L_MAX, shCoefficients, shValuesAt, shValuesAndGradientsAt,
  realSphericalHarmonics, realSphericalHarmonicsWithGradients } from '../../assembly/soap/sphericalHarmonics';
export { realSphericalHarmonics, realSphericalHarmonicsWithGradients };
const COEF: usize = memory.data(21 * 22 * 8, 16);
export function heapBase(): usize { return __heap_base; }
// Store-bandwidth ceiling: the same bytes written by plain 16-byte stores (memory.fill may use
// non-temporal stores, which the kernels cannot).
export function fill(p: usize, bytes: usize): void {
  const v = f64x2.splat(1.0);
  for (let i: usize = 0; i < bytes; i += 16) v128.store(p + i, v);
}
export function scalarValues(n: i32, xyz: usize, lMax: i32, out: usize): void {
  if (lMax < 0 || lMax > SH_L_MAX) return;
  shCoefficients(lMax, COEF);
  const nLM = (lMax + 1) * (lMax + 1);
  for (let i = 0; i < n; i++) {
    let x = load<f64>(xyz + (<usize>(3 * i) << 3)), y = load<f64>(xyz + (<usize>(3 * i + 1) << 3)), z = load<f64>(xyz + (<usize>(3 * i + 2) << 3));
    const r2 = x * x + y * y + z * z;
    if (r2 > 0.0) { const inv = 1.0 / Math.sqrt(r2); x *= inv; y *= inv; z *= inv; } else { z = 1.0; }
    shValuesAt(lMax, COEF, x, y, z, out + (<usize>i * <usize>nLM << 3));
  }
}
export function scalarGradients(n: i32, xyz: usize, lMax: i32, out: usize, dOut: usize): void {
  if (lMax < 0 || lMax > SH_L_MAX) return;
  shCoefficients(lMax, COEF);
  const nLM = (lMax + 1) * (lMax + 1);
  for (let i = 0; i < n; i++) {
    let x = load<f64>(xyz + (<usize>(3 * i) << 3)), y = load<f64>(xyz + (<usize>(3 * i + 1) << 3)), z = load<f64>(xyz + (<usize>(3 * i + 2) << 3));
    const r2 = x * x + y * y + z * z;
    let invR = 0.0;
    if (r2 > 0.0) { invR = 1.0 / Math.sqrt(r2); x *= invR; y *= invR; z *= invR; } else { z = 1.0; }
    const row = <usize>i * <usize>nLM;
    shValuesAndGradientsAt(lMax, COEF, x, y, z, invR, out + (row << 3), dOut + (3 * row << 3));
  }
}
`;
await mkdir('build/shbench', { recursive: true });
await writeFile('build/shbench/entry.ts', entry);

async function compile(features) {
  const outFile = `build/shbench/${features.join('-')}.wasm`;
  const flags = ['build/shbench/entry.ts', '-O3', '--runtime', 'stub', '--noAssert', '--converge', '-o', outFile];
  for (const f of features) flags.push('--enable', f);
  const { error, stderr } = await asc.main(flags);
  if (error) throw new Error(`asc: ${error.message}\n${stderr}`);
  return readFile(outFile);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[(s.length - 1) >> 1];
}

const builds = [['simd', await compile(['simd'])], ['relaxed', await compile(['simd', 'relaxed-simd'])]];
const rows = [];
for (const [name, bytes] of builds) {
  if (!WebAssembly.validate(bytes)) {
    console.log(`${name}: not supported by this runtime (Node 20 needs --experimental-wasm-relaxed-simd)`);
    continue;
  }
  const { instance } = await WebAssembly.instantiate(bytes, { env: { abort: () => { throw new Error('abort'); } } });
  const k = instance.exports;
  const lMaxTop = 8;
  const nLM = (lMaxTop + 1) ** 2;
  const base = (k.heapBase() + 15) & ~15;
  const pXyz = base, pOut = pXyz + 24 * n, pGrad = pOut + 8 * n * nLM, end = pGrad + 24 * n * nLM;
  const need = Math.ceil(end / 65536) - k.memory.buffer.byteLength / 65536;
  if (need > 0) k.memory.grow(need);
  const xyz = new Float64Array(k.memory.buffer, pXyz, 3 * n);
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < 3 * n; i++) xyz[i] = 2 * random() - 1;

  for (const lMax of [6, 8]) {
    for (const kind of ['values', 'values+gradients']) {
      const scalar = kind === 'values' ? () => k.scalarValues(n, pXyz, lMax, pOut) : () => k.scalarGradients(n, pXyz, lMax, pOut, pGrad);
      const pair = kind === 'values' ? () => k.realSphericalHarmonics(n, pXyz, lMax, pOut) : () => k.realSphericalHarmonicsWithGradients(n, pXyz, lMax, pOut, pGrad);
      // At least 1 s of warm-up each (V8 tiers wasm up lazily), then alternate the timed runs.
      for (const fn of [scalar, pair]) {
        const until = performance.now() + 1000;
        while (performance.now() < until) fn();
      }
      const ts = [[], []];
      for (let r = 0; r < repeats; r++) {
        [scalar, pair].forEach((fn, j) => {
          const t0 = performance.now();
          fn();
          ts[j].push(performance.now() - t0);
        });
      }
      const [s, p] = ts.map(median);
      // The same output bytes written by plain stores (what the kernels cannot beat once the
      // output no longer fits in the caches).
      const bytes = 8 * n * (lMax + 1) ** 2 * (kind === 'values' ? 1 : 4);
      const fillTimes = [];
      for (let r = 0; r < repeats; r++) {
        const t0 = performance.now();
        k.fill(pOut, bytes);
        fillTimes.push(performance.now() - t0);
      }
      const f = median(fillTimes);
      rows.push({ build: name, lMax, kind, scalarNsPerVector: (1e6 * s) / n, pairNsPerVector: (1e6 * p) / n, speedup: s / p, fillNsPerVector: (1e6 * f) / n });
    }
  }
}
console.log(`n = ${n}, median of ${repeats} runs after 1 s warm-up, ns per vector (fill: plain 16-byte stores of the same output bytes)`);
for (const r of rows) {
  console.log(
    `${r.build.padEnd(8)} lMax ${r.lMax}  ${r.kind.padEnd(17)} scalar ${r.scalarNsPerVector.toFixed(1).padStart(7)}  pair ${r.pairNsPerVector.toFixed(1).padStart(7)}  ×${r.speedup.toFixed(2)}  fill ${r.fillNsPerVector.toFixed(1).padStart(6)}`,
  );
}
