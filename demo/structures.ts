import { elementSymbol, parseStructures, type ParsedStructure } from '../src/index.js';

/** The structures of one file, with what the form needs to know about them. */
export interface LoadedStructures {
  /** File name (or "example"). */
  readonly source: string;
  readonly structures: ParsedStructure[];
  /** A short label per structure: its `name` key, its comment, or "#k". */
  readonly names: string[];
  /** Every element of the file, by atomic number. */
  readonly species: string[];
  readonly atoms: number;
  /** Some structure has a cell and periodic boundaries. */
  readonly periodic: boolean;
}

/**
 * Parses an extxyz/xyz/POSCAR/n2p2 text (format detected from the name and content). Throws the
 * library's AtomenvError, naming the file, line and frame, for a malformed file.
 */
export function loadStructures(text: string, source: string): LoadedStructures {
  const structures = parseStructures(text, undefined, { file: source });
  const numbers = new Set<number>();
  let atoms = 0;
  for (const s of structures) {
    for (const z of s.numbers) numbers.add(z);
    atoms += s.numbers.length;
  }
  return {
    source,
    structures,
    names: structures.map(label),
    species: [...numbers].sort((a, b) => a - b).map(elementSymbol),
    atoms,
    periodic: structures.some((s) => s.cell !== undefined && s.pbc.some(Boolean)),
  };
}

function label(s: ParsedStructure, k: number): string {
  for (const key of ['name', 'comment']) {
    const value = s.info[key];
    if (typeof value === 'string' && value.trim() !== '') {
      const text = value.trim();
      return text.length > 24 ? `${text.slice(0, 23)}…` : text;
    }
  }
  return `#${k}`;
}

/** The chemical symbol of every atom of the structures, in order. */
export function atomSymbols(loaded: LoadedStructures): string[] {
  return loaded.structures.flatMap((s) => s.numbers.map(elementSymbol));
}
