/**
 * atomenv for Node: everything of the runtime-neutral entry, plus reading structure files and
 * writing `.npy` files.
 */
export * from './index.js';
export { readStructures, iterateStructures } from './io/readStructures.node.js';
export { writeNpy } from './node/writeNpy.js';
