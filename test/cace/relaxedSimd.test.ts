import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { sharedPath } from '../helpers/shared.js';
import { CACE_REFERENCE } from './referenceCases.js';

// Browsers pick the relaxed-SIMD build (fused multiply-add); Node 20 runs it only with a V8
// flag. The CACE reference features through that build, in a child process with the flag.
test('the relaxed-SIMD build reproduces the CACE reference features', () => {
  const lib = fileURLToPath(new URL('../../dist/index.node.js', import.meta.url));
  const script = `
    const { init, CACE } = await import(${JSON.stringify(lib)});
    const { readFileSync } = await import('node:fs');
    const rt = await init({ simd: 'relaxed' });
    const ref = JSON.parse(readFileSync(${JSON.stringify(sharedPath(CACE_REFERENCE))}, 'utf8'));
    const cace = CACE.fromModel(ref);
    let worst = 0;
    for (const s of ref.structures) {
      const periodic = s.pbc.some((x) => x);
      const out = cace.create({ numbers: s.atomic_numbers, positions: s.positions, cell: periodic ? s.cell : null, pbc: s.pbc }).values;
      const expected = s.node_feats.flat(Infinity);
      const scale = Math.max(...expected.map(Math.abs));
      expected.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - out[i]) / scale)));
    }
    console.log(JSON.stringify({ variant: rt.variant, worst }));
  `;
  const out = execFileSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--input-type=module', '-e', script], { encoding: 'utf8' });
  const result = JSON.parse(out.trim().split('\n').pop()!);
  expect(result.variant).toBe('relaxed');
  expect(result.worst).toBeLessThan(1e-12);
});
