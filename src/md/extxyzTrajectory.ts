import { normalizeStructure, type Structure } from '../structure/structure.js';
import { elementSymbol } from '../structure/elements.js';

/** Per-atom arrays to write beside the positions (3 numbers per atom each). */
export interface ExtxyzArrays {
  forces?: ArrayLike<number>;
  velocities?: ArrayLike<number>;
}

/**
 * One extended-XYZ frame: atom count, a comment line with `Lattice`/`pbc` (periodic cells),
 * `Properties` and the `info` key=value pairs (e.g. energy, time), then one line per atom.
 * Numbers are written with full precision.
 */
export function formatExtxyzFrame(structure: Structure, info: Record<string, number | string | boolean> = {}, arrays: ExtxyzArrays = {}): string {
  const s = normalizeStructure(structure);
  const n = s.nAtoms;
  const columns: [string, ArrayLike<number>][] = [];
  if (arrays.forces !== undefined) columns.push(['forces', arrays.forces]);
  if (arrays.velocities !== undefined) columns.push(['velocities', arrays.velocities]);
  const props = ['species:S:1', 'pos:R:3', ...columns.map(([name]) => `${name}:R:3`)].join(':');
  const pairs: string[] = [];
  if (s.cell !== null) {
    pairs.push(`Lattice="${Array.from(s.cell, String).join(' ')}"`);
    pairs.push(`pbc="${s.pbc.map((p) => (p ? 'T' : 'F')).join(' ')}"`);
  }
  pairs.push(`Properties=${props}`);
  for (const [key, value] of Object.entries(info)) {
    const text = typeof value === 'boolean' ? (value ? 'T' : 'F') : String(value);
    pairs.push(`${key}=${/[\s"=]/.test(text) || text === '' ? JSON.stringify(text) : text}`);
  }
  const lines = [String(n), pairs.join(' ')];
  for (let i = 0; i < n; i++) {
    const row = [elementSymbol(s.numbers[i]!), s.positions[3 * i], s.positions[3 * i + 1], s.positions[3 * i + 2]];
    for (const [, values] of columns) row.push(values[3 * i]!, values[3 * i + 1]!, values[3 * i + 2]!);
    lines.push(row.join(' '));
  }
  return lines.join('\n') + '\n';
}
