import { rng } from './geometry.js';

/** A random structure of {@link randomCell} (positions and cell rows in Å, or the caller's unit). */
export interface RandomCell {
  numbers: number[];
  positions: number[][];
  cell: number[][] | null;
  pbc: [boolean, boolean, boolean];
}

function cross(a: number[], b: number[]): number[] {
  return [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
}

/** Heights of a cell (distances between opposite faces): V / |a_j × a_k|. */
export function cellHeights(cell: number[][]): number[] {
  const n = cross(cell[1]!, cell[2]!);
  const volume = Math.abs(cell[0]![0]! * n[0]! + cell[0]![1]! * n[1]! + cell[0]![2]! * n[2]!);
  return [0, 1, 2].map((i) => volume / Math.hypot(...cross(cell[(i + 1) % 3]!, cell[(i + 2) % 3]!)));
}

/** Whether p is at least dMin from every atom and image (and its own images from it). */
function farEnough(p: number[], others: number[][], cell: number[][] | null, pbc: boolean[], dMin: number): boolean {
  const h = cell === null ? [1, 1, 1] : cellHeights(cell);
  const range = [0, 1, 2].map((i) => (cell !== null && pbc[i] ? Math.ceil(dMin / h[i]!) + 1 : 0));
  for (let a = -range[0]!; a <= range[0]!; a++) {
    for (let b = -range[1]!; b <= range[1]!; b++) {
      for (let c = -range[2]!; c <= range[2]!; c++) {
        const T = cell === null ? [0, 0, 0] : [0, 1, 2].map((x) => a * cell[0]![x]! + b * cell[1]![x]! + c * cell[2]![x]!);
        if ((a !== 0 || b !== 0 || c !== 0) && Math.hypot(...T) < dMin) return false;
        for (const q of others) if (Math.hypot(p[0]! + T[0]! - q[0]!, p[1]! + T[1]! - q[1]!, p[2]! + T[2]! - q[2]!) < dMin) return false;
      }
    }
  }
  return true;
}

/**
 * A seeded random structure around the cutoff `rc`, where the code paths switch: a cluster, or a
 * triclinic cell (sometimes strongly skewed) whose heights sit just below or above 2 r_c and 3 r_c
 * (or anywhere in 0.4–4.5 r_c), periodic along all or some axes; 1..maxAtoms atoms of `numbers`
 * at least dMin apart (images included), some at r_c (1 ± δ) from another, some moved by whole
 * lattice vectors.
 */
export function randomCell(seed: number, rc: number, numbers: number[], maxAtoms = 16, dMin = 0.9): RandomCell {
  const r = rng(seed);
  let cell: number[][] | null = null;
  let pbc: [boolean, boolean, boolean] = [false, false, false];
  if (r() >= 0.12) {
    const skew = r() < 0.3 ? 2.5 : 0.5;
    cell = [[1, 0, 0], [0, 1, 0], [0, 0, 1]].map((row) => row.map((v) => v + skew * (2 * r() - 1)));
    const h0 = cellHeights(cell);
    if (!(Math.min(...h0) > 0.05)) cell = [[1, 0, 0], [0.3, 1, 0], [0.2, 0.1, 1]];
    const h1 = cellHeights(cell);
    // Scaling lattice vector i scales height i only.
    const target = [0, 1, 2].map(() => {
      const t = r();
      const eps = [1e-9, 1e-6, 1e-3, 0.05][Math.floor(r() * 4)]! * (r() < 0.5 ? -1 : 1);
      return t < 0.25 ? rc * (2 + eps) : t < 0.5 ? rc * (3 + eps) : t < 0.6 ? rc * (0.4 + 1.2 * r()) : rc * (1 + 3.5 * r());
    });
    cell = cell.map((row, i) => row.map((v) => (v * target[i]!) / h1[i]!));
    pbc = r() < 0.6 ? [true, true, true] : [r() < 0.5, r() < 0.5, r() < 0.5];
  }
  const n = 1 + Math.floor(r() * maxAtoms);
  const extent = Math.max(2, Math.cbrt(n) * 2.2);
  const positions: number[][] = [];
  const out: number[] = [];
  const add = (p: number[]): void => {
    if (!farEnough(p, positions, cell, pbc, dMin)) return;
    positions.push(p);
    out.push(numbers[Math.floor(r() * numbers.length)]!);
  };
  for (let tries = 0; positions.length < n && tries < 4000; tries++) {
    if (cell === null) {
      add([extent * r(), extent * r(), extent * r()]);
    } else {
      const f = [r(), r(), r()].map((v, i) => (pbc[i] ? v : 1.3 * v - 0.15));
      add([0, 1, 2].map((x) => f[0]! * cell![0]![x]! + f[1]! * cell![1]![x]! + f[2]! * cell![2]![x]!));
    }
  }
  // Atoms at r_c (1 ± δ) from another, δ from exactly 0 to 1e-3.
  if (positions.length > 0 && r() < 0.4) {
    for (let e = 1 + Math.floor(r() * 3); e > 0; e--) {
      const from = positions[Math.floor(r() * positions.length)]!;
      const delta = [0, 1e-14, 1e-10, 1e-7, 3e-5, 1e-3][Math.floor(r() * 6)]! * (r() < 0.5 ? -1 : 1);
      const u = [2 * r() - 1, 2 * r() - 1, 2 * r() - 1];
      const scale = (rc * (1 + delta)) / Math.hypot(...u);
      add(from.map((v, x) => v + scale * u[x]!));
    }
  }
  if (cell !== null && r() < 0.4) {
    for (const p of positions) {
      if (r() < 0.5) continue;
      for (let i = 0; i < 3; i++) {
        if (!pbc[i]) continue;
        const k = Math.floor(r() * 7) - 3;
        for (let x = 0; x < 3; x++) p[x]! += k * cell[i]![x]!;
      }
    }
  }
  return { numbers: out, positions, cell, pbc };
}

/** `s` with every atom moved by a random whole number (−4..4) of each periodic lattice vector. */
export function shiftedByLattice(s: RandomCell, seed: number): RandomCell {
  const r = rng(seed);
  const positions = s.positions.map((p) => {
    const q = [...p];
    for (let i = 0; i < 3; i++) {
      if (s.cell === null || !s.pbc[i]) continue;
      const k = Math.floor(r() * 9) - 4;
      for (let x = 0; x < 3; x++) q[x]! += k * s.cell[i]![x]!;
    }
    return q;
  });
  return { ...s, positions };
}
