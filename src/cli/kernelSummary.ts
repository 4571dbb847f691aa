import type { SimilarityMatrix } from '../similarity/similarityMatrix.js';
import type { KernelSource } from './kernel.js';
import type { KernelArgs } from './kernelArgs.js';
import { short } from './summary.js';

/** What the summary of `atomenv kernel` reports. */
export interface KernelSummary {
  descriptor: string;
  numFeatures: number;
  args: KernelArgs;
  sources: readonly KernelSource[];
  matrix: SimilarityMatrix;
  seconds: number;
  /** What was written, or null when only the summary was asked for. */
  output: string | null;
}

/** A short human-readable report: inputs, kernel settings, off-diagonal statistics, time, output. */
export function kernelSummaryText(s: KernelSummary): string {
  const n = s.sources.length;
  const atoms = s.sources.reduce((sum, f) => sum + f.atoms, 0);
  const a = s.args;
  const settings = [`metric ${a.metric ?? 'dot'}`];
  for (const key of ['gamma', 'degree', 'coef0', 'zeta', 'alpha', 'threshold'] as const) {
    if (a[key] !== undefined) settings.push(`${key} ${a[key]}`);
  }
  if (!a.normalize) settings.push('not normalised');
  const lines = [
    `atomenv kernel: ${a.kernel} kernel of ${s.descriptor} (${s.numFeatures} features per environment), ${settings.join(', ')}`,
    `input:        ${a.inputs.length} file${a.inputs.length === 1 ? '' : 's'}: ${n} structure${n === 1 ? '' : 's'}, ${atoms} atoms`,
    `matrix:       [${n}, ${n}] float64; ${offDiagonal(s.matrix)}`,
    `time:         ${s.seconds.toFixed(3)} s`,
    s.output !== null
      ? `output:       ${s.output}`
      : 'output:       none written (give -o FILE.json, -o FILE.npy, or -o - for JSON on stdout)',
  ];
  return `${lines.join('\n')}\n`;
}

function offDiagonal(m: SimilarityMatrix): string {
  const [n] = m.shape;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const v = m.values[i * n + j]!;
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
  }
  if (n < 2) return 'one structure';
  return `off-diagonal min ${short(min)}, max ${short(max)}, mean ${short(sum / (n * (n - 1)))}`;
}
