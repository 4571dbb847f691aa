/**
 * atomenv for Node: everything of the runtime-neutral entry, plus reading structure files and
 * writing `.npy` files.
 */
export * from './index.js';
export { readStructures, iterateStructures } from './io/readStructures.node.js';
export type { ParsedStructure } from './io/parsedStructure.js';
export type { StructureFormat } from './io/formats.js';
export type { NpyDtype } from './io/npy.js';
export { writeNpy } from './node/writeNpy.js';
