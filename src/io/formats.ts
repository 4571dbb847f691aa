import { AtomenvError } from '../errors.js';
import { hasAnyKey, hasKeyValuePairs } from './extxyzComment.js';
import { isBlank, textLines } from './lines.js';
import { toReal } from './parseContext.js';

/** The structure file formats atomenv reads. */
export type StructureFormat = 'extxyz' | 'xyz' | 'poscar' | 'n2p2';

/** How many lines, from the first non-blank one, {@link detectFormat} looks at. */
export const DETECTION_LINES = 2;

/**
 * Guesses the format of a structure file: by the file name first (`.extxyz`; `.xyz`, which is
 * extxyz when its comment line has `Lattice=` or `Properties=`; `POSCAR*`, `CONTCAR*`, `.vasp`,
 * `.poscar`; `input.data*`, `.data`), otherwise by the content. Only the first lines of `text`
 * are looked at. Throws UNKNOWN_FORMAT when neither tells.
 */
export function detectFormat(text: string, fileName?: string): StructureFormat {
  const lines = firstLinesFromContent(text);
  const byName = fileName === undefined ? undefined : formatFromFileName(fileName);
  if (byName === 'xyz') return hasAnyKey(lines[1] ?? '', ['Lattice', 'Properties']) ? 'extxyz' : 'xyz';
  if (byName !== undefined) return byName;
  if (lines.length === 0) throw new AtomenvError('UNKNOWN_FORMAT', 'the input is empty, so its format cannot be detected', fileLocation(fileName));

  const first = lines[0]!.trim();
  if (first.split(/\s+/)[0] === 'begin') return 'n2p2';
  if (/^\d+$/.test(first)) return hasKeyValuePairs(lines[1] ?? '') ? 'extxyz' : 'xyz';
  const second = (lines[1] ?? '').trim().split(/\s+/);
  if (second.length === 1 && toReal(second[0]!) !== undefined) return 'poscar';
  throw new AtomenvError(
    'UNKNOWN_FORMAT',
    'cannot tell the format (expected extxyz, xyz, POSCAR or n2p2 input.data); pass the format explicitly',
    fileLocation(fileName),
  );
}

/**
 * The format a file name implies, or undefined. `xyz` stands for the XYZ family: the caller
 * still has to look at the comment line to tell plain from extended XYZ.
 */
export function formatFromFileName(fileName: string): StructureFormat | undefined {
  const base = fileName.split(/[/\\]/).pop() ?? fileName;
  const lower = base.toLowerCase();
  if (lower.endsWith('.extxyz')) return 'extxyz';
  if (lower.endsWith('.xyz')) return 'xyz';
  if (/^(POSCAR|CONTCAR)/i.test(base) || lower.endsWith('.vasp') || lower.endsWith('.poscar')) return 'poscar';
  if (lower.startsWith('input.data') || lower.endsWith('.data')) return 'n2p2';
  return undefined;
}

/** The first non-blank line and the line after it (content detection looks at nothing else). */
function firstLinesFromContent(text: string): string[] {
  const out: string[] = [];
  for (const line of textLines(text)) {
    if (out.length === 0 && isBlank(line.text)) continue;
    out.push(line.text);
    if (out.length === DETECTION_LINES) break;
  }
  return out;
}

function fileLocation(fileName: string | undefined): { file?: string } {
  return fileName === undefined ? {} : { file: fileName };
}
