// W1 on the relaxed-SIMD build (fused multiply-add), in a process of its own: the Node entry's
// init({ simd: 'relaxed' }) turns on Node 20's V8 flag for the whole process, which the main
// bench (plain SIMD) must not inherit. Prints the median ms per W1 structure (float64, float32).
import { parseArgs } from 'node:util';
import { SOAP, init, readStructures } from '../dist/index.node.js';
import { W1 } from './workloads.mjs';
import { time } from './timing.mjs';

const { values: args, positionals } = parseArgs({ options: { repeats: { type: 'string', default: '15' } }, allowPositionals: true });
const rt = await init({ simd: 'relaxed' });
if (rt.variant !== 'relaxed') throw new Error(`expected the relaxed build, got ${rt.variant}`);
const [structure] = await readStructures(positionals[0]);
const repeats = Number(args.repeats);
const f64 = new SOAP(W1.descriptor);
const f32 = new SOAP({ ...W1.descriptor, dtype: 'float32' });
console.log(`${time(() => f64.create(structure), repeats)} ${time(() => f32.create(structure), repeats)}`);
