#!/usr/bin/env node
// Seeded differential fuzzing of random n2p2 potentials against the plain-JS reference of
// test/n2p2/randomPotential.ts (runs test/n2p2/randomPotentials.test.ts with more seeds).
// Usage: node scripts/fuzzN2p2.mjs [cases=500] [firstSeed=1000] [--full]
//   --full: larger potentials (12 functions, widths to 40, 10 atoms) and every force component.
// Needs the wasm built (npm run build). Not part of CI.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const full = args.includes('--full');
const [cases = '500', seed = '1000'] = args.filter((a) => !a.startsWith('--'));
const result = spawnSync('npx', ['vitest', 'run', 'test/n2p2/randomPotentials.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_CASES: cases, FUZZ_SEED: seed, ...(full ? { FUZZ_FULL: '1' } : {}) },
});
process.exit(result.status ?? 1);
