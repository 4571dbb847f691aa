import { elementSymbol } from '../structure/elements.js';
import { normalizeStructure, type Structure } from '../structure/structure.js';

/**
 * Per-atom arrays to write after species and pos, by column name (e.g. `forces`, `velocities`,
 * `energies`): each holds k numbers per atom (k = length / atoms, e.g. 3 for vectors).
 */
export type ExtxyzArrays = Readonly<Record<string, ArrayLike<number> | undefined>>;

/** Values allowed in the comment line: numbers and booleans as they are, strings quoted when needed. */
export type ExtxyzInfo = Readonly<Record<string, number | boolean | string>>;

/**
 * One frame in extended XYZ, as ASE and atomenv's reader understand it: the atom count, a
 * comment line with `Lattice=` and `pbc=` (when there is a cell), `Properties=species:S:1:pos:R:3…`
 * and the `info` keys, then one line per atom. Numbers are written in their shortest
 * round-trip form, so reading the frame back gives the same float64 values.
 */
export function formatExtxyzFrame(structure: Structure, info: ExtxyzInfo = {}, arrays: ExtxyzArrays = {}): string {
  const s = normalizeStructure(structure);
  const n = s.nAtoms;
  const columns: { name: string; width: number; values: ArrayLike<number> }[] = [];
  for (const [name, values] of Object.entries(arrays)) {
    if (values === undefined) continue;
    const width = n === 0 ? 1 : values.length / n;
    if (!Number.isInteger(width) || width < 1) {
      throw new RangeError(`extxyz column ${name} has ${values.length} values, not a whole number per atom for ${n} atoms`);
    }
    columns.push({ name, width, values });
  }
  const keys: string[] = [];
  if (s.cell !== null) keys.push(`Lattice="${Array.from(s.cell, String).join(' ')}"`);
  keys.push(`Properties=${['species:S:1', 'pos:R:3', ...columns.map((c) => `${c.name}:R:${c.width}`)].join(':')}`);
  for (const [key, value] of Object.entries(info)) keys.push(`${key}=${infoValue(value)}`);
  if (s.cell !== null) keys.push(`pbc="${s.pbc.map((p) => (p ? 'T' : 'F')).join(' ')}"`);

  const lines = [String(n), keys.join(' ')];
  for (let i = 0; i < n; i++) {
    const fields: (string | number)[] = [elementSymbol(s.numbers[i]!), s.positions[3 * i]!, s.positions[3 * i + 1]!, s.positions[3 * i + 2]!];
    for (const c of columns) for (let k = 0; k < c.width; k++) fields.push(c.values[c.width * i + k]!);
    lines.push(fields.join(' '));
  }
  return `${lines.join('\n')}\n`;
}

function infoValue(value: number | boolean | string): string {
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (typeof value === 'number') return String(value);
  return /[\s"=]/.test(value) || value === '' ? `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : value;
}
