/**
 * atomenv for Node: everything of the runtime-neutral entry, plus reading structure files and
 * writing `.npy` files.
 */
export * from './index.js';
export { readStructures, iterateStructures } from './io/readStructures.node.js';
export { writeNpy } from './node/writeNpy.js';
// init({ simd: 'relaxed' }) turns on Node 20's relaxed-SIMD flag first.
export { init } from './node/init.js';
// Worker threads instead of the neutral entry's Web Workers (an explicit export wins over `export *`).
export { createPool } from './pool/createPool.node.js';
// n2p2 potentials from a directory path as well as from file texts.
export { loadPotential } from './n2p2/loadPotential.node.js';
