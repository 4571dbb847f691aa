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
}

/** A short human-readable report of a run: sizes, value statistics, time and output. */
export function summaryText(run: RunSummary): string {
  const r = run.results;
  const frames = `${r.frames} frame${r.frames === 1 ? '' : 's'}${r.failed.length > 0 ? ` (${r.failed.length} failed)` : ''}`;
  const lines = [
    `atomenv compute: ${run.descriptor}, ${r.numFeatures} features per centre`,
    `input:        ${run.input}: ${frames}, ${r.atoms} atoms`,
    `centres:      ${r.centers}`,
    `values:       [${r.centers}, ${r.numFeatures}] ${r.dtype}; ${statistics(r.values())}`,
  ];
  if (run.derivatives) lines.push('derivatives:  dense, [centres, atoms, 3, features] per frame');
  lines.push(`time:         ${run.seconds.toFixed(3)} s`);
  lines.push(
    run.output !== null
      ? `output:       ${run.output}`
      : 'output:       none written (give -o FILE.json, -o FILE.npy, or -o - for JSON on stdout)',
  );
  return `${lines.join('\n')}\n`;
}

function statistics(values: Float64Array | Float32Array): string {
  if (values.length === 0) return 'no values';
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return `min ${short(min)}, max ${short(max)}, mean ${short(sum / values.length)}`;
}

/** Six significant digits; exponent notation for very small or large magnitudes. */
export function short(x: number): string {
  const magnitude = Math.abs(x);
  if (x !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) return x.toExponential(4);
  return String(Number(x.toPrecision(6)));
}
