// The kernel typings come from the bindings asc generates (see scripts/buildWasm.mjs).
export type { KernelExports } from './kernels.generated.js';
