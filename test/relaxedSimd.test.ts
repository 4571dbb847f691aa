import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { sharedPath } from './helpers/shared.js';

// Browsers pick the relaxed-SIMD build (fused multiply-add); Node 20 runs it only with a V8 flag.
// This runs the DScribe ACSF references through that build in a child process with the flag.
test('the relaxed-SIMD build reproduces the DScribe ACSF references', () => {
  const lib = fileURLToPath(new URL('../dist/index.node.js', import.meta.url));
  const script = `
    const { init, ACSF, readStructures } = await import(${JSON.stringify(lib)});
    const { readFileSync } = await import('node:fs');
    const rt = await init({ simd: 'relaxed' });
    const data = JSON.parse(readFileSync(${JSON.stringify(sharedPath('reference/dscribe/acsf_molecules.json'))}, 'utf8'));
    let worst = 0;
    for (const c of data.cases) {
      const [s] = await readStructures(${JSON.stringify(sharedPath(''))} + '/' + c.structure_file);
      const p = c.params;
      const acsf = new ACSF({ species: p.species, rCut: p.r_cut, g2Params: p.g2_params, g3Params: p.g3_params, g4Params: p.g4_params, g5Params: p.g5_params });
      const out = acsf.create(s, { centers: c.create_kwargs.centers }).values;
      const ref = c.output.flat();
      const scale = Math.max(...ref.map(Math.abs));
      ref.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - out[i]) / scale)));
    }
    console.log(JSON.stringify({ variant: rt.variant, worst }));
  `;
  const out = execFileSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--input-type=module', '-e', script], { encoding: 'utf8' });
  const result = JSON.parse(out.trim().split('\n').pop()!);
  expect(result.variant).toBe('relaxed');
  expect(result.worst).toBeLessThan(1e-10);
});

// Without the command-line flag: the Node entry's init({ simd: 'relaxed' }) turns V8's flag on
// itself, and a pool shares the module it compiled (its worker started from `node --input-type=module -e`,
// whose flag a worker thread must not inherit). SOAP values agree with this process's plain
// SIMD build to rounding (fused vs separate multiply-add).
test("the Node entry's init({ simd: 'relaxed' }) enables relaxed SIMD in Node 20 without a flag", async () => {
  const lib = fileURLToPath(new URL('../dist/index.node.js', import.meta.url));
  const file = sharedPath('data/structures/water_64mol_192atoms.extxyz');
  const params = { species: ['H', 'O'], rCut: 5, nMax: 8, lMax: 6, sigma: 0.5, rbf: 'gto', periodic: true };
  const script = `
    const { init, SOAP, createPool, readStructures } = await import(${JSON.stringify(lib)});
    const rt = await init({ simd: 'relaxed' });
    const [s] = await readStructures(${JSON.stringify(file)});
    const soap = new SOAP(${JSON.stringify(params)});
    const values = Array.from(soap.create(s).values.subarray(0, 3 * soap.numFeatures));
    const pool = await createPool({ workers: 1 });
    const [fromPool] = await pool.compute(soap, [s]);
    await pool.close();
    if (!fromPool.ok) throw fromPool.error;
    const poolValues = Array.from(fromPool.value.values.subarray(0, 3 * soap.numFeatures));
    console.log(JSON.stringify({ variant: rt.variant, values, poolValues }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const result = JSON.parse(out.trim().split('\n').pop()!);
  expect(result.variant).toBe('relaxed');
  const { init, SOAP, readStructures } = await import('../src/index.node.js');
  await init();
  const [s] = await readStructures(file);
  const soap = new SOAP(params as ConstructorParameters<typeof SOAP>[0]);
  const plain = soap.create(s).values.subarray(0, 3 * soap.numFeatures);
  const scale = Math.max(...Array.from(plain, Math.abs));
  let worst = 0;
  plain.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - result.values[i]) / scale)));
  expect(worst).toBeLessThan(1e-12);
  expect(result.poolValues).toEqual(result.values);
});
