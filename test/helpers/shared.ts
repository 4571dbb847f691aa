import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseStructures } from '../../src/io/parseStructures.js';
import type { Structure } from '../../src/structure/structure.js';

/** Absolute path of a file in ../shared (the read-only data beside the project). */
export function sharedPath(relative: string): string {
  return fileURLToPath(new URL(`../../../shared/${relative}`, import.meta.url));
}

export function readShared(relative: string): Structure[] {
  return parseStructures(readFileSync(sharedPath(relative), 'utf8'), undefined, { file: relative });
}

export function readSharedJson<T = any>(relative: string): T {
  return JSON.parse(readFileSync(sharedPath(relative), 'utf8')) as T;
}

export function sharedStructureFiles(): string[] {
  return readdirSync(sharedPath('data/structures'))
    .filter((f) => f.endsWith('.extxyz'))
    .map((f) => `data/structures/${f}`);
}

/** Max |a − b| over two arrays of equal length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}
