import { AtomenvError } from '../errors.js';
import { getRuntime, type Runtime } from '../wasm/loader.js';
import { checkStructures, type EnvironmentFeatures } from './features.js';
import { checkNonZeroRows, computeLocal } from './localKernel.js';
import { resolveLocalOptions, type GlobalKernelOptions } from './options.js';
import type { SimilarityMatrix } from './similarityMatrix.js';

/** How a structure-pair similarity is made from the local similarity matrix C [nA, nB]. */
export interface PairReduction {
  /** Bytes of wasm scratch memory the reduction needs for an nA × nB pair. */
  workBytes(rt: Runtime, nA: number, nB: number): number;
  /** K(A, B) from C at byte offset `c`; `names` are the two structures, for error messages. */
  reduce(rt: Runtime, nA: number, nB: number, c: number, work: number, names: [string, string]): number;
}

interface Placed {
  name: string;
  rows: number;
  ptr: number;
}

/**
 * The matrix K[i][j] = K(x_i, y_j) between structures, each a [nEnvironments, nFeatures]
 * feature matrix, as DScribe's LocalSimilarityKernel.create: `y` null gives the symmetric
 * x × x matrix (upper triangle computed, mirrored). With `normalizeKernel` (default true),
 * K(A, B) / √(K(A, A) K(B, B)).
 */
export function globalKernel(
  x: readonly EnvironmentFeatures[], y: readonly EnvironmentFeatures[] | null, options: GlobalKernelOptions, reduction: PairReduction,
): SimilarityMatrix {
  const nFeatures = checkStructures(x, 'x', null);
  if (y !== null) checkStructures(y, 'y', nFeatures);
  const local = resolveLocalOptions(options, nFeatures);
  if (local.metric === 'dot') {
    x.forEach((s, k) => checkNonZeroRows(s, `x[${k}]`));
    y?.forEach((s, k) => checkNonZeroRows(s, `y[${k}]`));
  }
  const normalize = options.normalizeKernel ?? true;
  const rt = getRuntime();
  rt.arena.reset();
  const px = place(rt, x, 'x');
  const py = y === null ? px : place(rt, y, 'y');

  /** K(A, B) of two placed structures; the pair's scratch memory is given back afterwards. */
  const pair = (a: Placed, b: Placed): number => {
    const mark = rt.arena.mark();
    const c = rt.arena.allocF64(a.rows * b.rows);
    const localWork = rt.arena.alloc(rt.kernels.soapKernelLocalWorkSize(a.rows, b.rows));
    const work = rt.arena.alloc(reduction.workBytes(rt, a.rows, b.rows));
    computeLocal(rt, local, a.rows, a.ptr, b.rows, b.ptr, nFeatures, c, localWork, a.name, b.name);
    const k = reduction.reduce(rt, a.rows, b.rows, c, work, [a.name, b.name]);
    rt.arena.release(mark);
    return k;
  };

  const [nx, ny] = [px.length, py.length];
  const out = new Float64Array(nx * ny);
  for (let i = 0; i < nx; i++) {
    for (let j = y === null ? i : 0; j < ny; j++) {
      const k = pair(px[i]!, py[j]!);
      out[i * ny + j] = k;
      if (y === null) out[j * ny + i] = k;
    }
  }
  if (normalize) {
    const dx = y === null ? Float64Array.from(px, (_, i) => out[i * ny + i]!) : Float64Array.from(px, (s) => pair(s, s));
    const dy = y === null ? dx : Float64Array.from(py, (s) => pair(s, s));
    checkSelfSimilarities(dx, px);
    if (y !== null) checkSelfSimilarities(dy, py);
    for (let i = 0; i < nx; i++) {
      for (let j = 0; j < ny; j++) out[i * ny + j] = out[i * ny + j]! / Math.sqrt(dx[i]! * dy[j]!);
    }
  }
  return { values: out, shape: [nx, ny] };
}

/** Copies every structure's features into wasm memory (one block per list). */
function place(rt: Runtime, structures: readonly EnvironmentFeatures[], label: string): Placed[] {
  let total = 0;
  for (const s of structures) total += s.values.length;
  const base = rt.arena.allocF64(total);
  const view = rt.arena.f64(base, total);
  let offset = 0;
  return structures.map((s, k) => {
    view.set(s.values, offset);
    const placed = { name: `${label}[${k}]`, rows: s.shape[0], ptr: base + 8 * offset };
    offset += s.values.length;
    return placed;
  });
}

/** Normalising divides by √K(A, A): it must be positive. */
function checkSelfSimilarities(d: Float64Array, structures: readonly Placed[]): void {
  d.forEach((k, i) => {
    if (!(k > 0 && Number.isFinite(k))) {
      throw new AtomenvError(
        'INVALID_PARAMETER',
        `cannot normalise the kernel: the self-similarity of ${structures[i]!.name} is ${k} (it must be > 0); use normalizeKernel: false or another metric`,
      );
    }
  });
}
