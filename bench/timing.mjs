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

/**
 * Median wall times (ms) of several functions measured in turns (one call of each per round,
 * the order alternating), after at least 1 s of warm-up calls of each: their ratios then see the
 * same machine state even when it drifts during the run.
 */
export function timeInTurns(fns, repeats) {
  for (const fn of fns) {
    const warmUntil = performance.now() + 1000;
    while (performance.now() < warmUntil) fn();
  }
  const ms = fns.map(() => []);
  for (let i = 0; i < repeats; i++) {
    const order = i % 2 === 0 ? fns.map((_, k) => k) : fns.map((_, k) => fns.length - 1 - k);
    for (const k of order) {
      const t0 = performance.now();
      fns[k]();
      ms[k].push(performance.now() - t0);
    }
  }
  return ms.map(median);
}
