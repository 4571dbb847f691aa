import type { RunResults } from './runResults.js';

/** What a summary reports about a run. */
export interface RunSummary {
  input: string;
  descriptor: string;
  results: RunResults;
  derivatives: boolean;
  seconds: number;
  /** What was written, or null when only the summary was asked for. */
  output: string | null;
  /** Worker threads used (0 or absent: the main thread). */
  workers?: number;
}

/** A short human-readable report of a run: sizes, value statistics, time and output. */
export function summaryText(run: RunSummary): string {
  const r = run.results;
  const frames = `${r.frames} frame${r.frames === 1 ? '' : 's'}${r.failed.length > 0 ? ` (${r.failed.length} failed)` : ''}`;
  const lines = [
    `atomenv compute: ${run.descriptor}, ${r.numFeatures} features per centre`,
    `input:        ${run.input}: ${frames}, ${r.atoms} atoms`,
    `centres:      ${r.centers}`,
    `values:       [${r.centers}, ${r.numFeatures}] ${r.dtype}; ${statistics(r)}`,
  ];
  if (run.derivatives) lines.push('derivatives:  dense, [centres, atoms, 3, features] per frame');
  lines.push(`time:         ${run.seconds.toFixed(3)} s${run.workers ? ` on ${run.workers} workers` : ''}; peak memory ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  lines.push(
    run.output !== null
      ? `output:       ${run.output}`
      : 'output:       none written (give -o FILE.json, -o FILE.npy, or -o - for JSON on stdout)',
  );
  return `${lines.join('\n')}\n`;
}

function statistics(r: RunResults): string {
  const stats = r.statistics();
  if (stats === null) return 'no values';
  return `min ${short(stats.min)}, max ${short(stats.max)}, mean ${short(stats.mean)}`;
}

/** Six significant digits; exponent notation for very small or large magnitudes. */
export function short(x: number): string {
  const magnitude = Math.abs(x);
  if (x !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) return x.toExponential(4);
  return String(Number(x.toPrecision(6)));
}
