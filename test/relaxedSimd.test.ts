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
