// Timing helpers shared by the benchmarks: medians after a warm-up, because V8 runs wasm in its
// baseline compiler first and tiers hot functions up lazily (no on-stack replacement).

/** The median of a list of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Median wall time (ms) of fn over `repeats` runs, after at least 1 s of warm-up calls. */
export function time(fn, repeats) {
  const warmUntil = performance.now() + 1000;
  while (performance.now() < warmUntil) fn();
  const ms = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

/** As {@link time} for an async function. */
export async function timeAsync(fn, repeats) {
  const warmUntil = performance.now() + 1000;
  while (performance.now() < warmUntil) await fn();
  const ms = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}
