// Linear-memory layout: static data ends at __heap_base; everything above it is a scratch
// arena that the TypeScript side lays out per call (see src/wasm/arena.ts). Kernels never
// allocate: they receive pointers.

/** First free byte above the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

// Typed loads and stores at element index i of an array starting at byte address p.
@inline export function ldf(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
@inline export function stf(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}
@inline export function ldi(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}
@inline export function sti(p: usize, i: i32, v: i32): void {
  store<i32>(p + (<usize>i << 2), v);
}
