import { AtomenvError } from '../errors.js';
import { readExtxyzHeader, type ExtxyzHeader } from './extxyzHeader.js';
import { framePositions, withRoomFor } from './framePositions.js';
import { nextNonBlankLine, readAllFrames, type FrameReader } from './frames.js';
import type { Line } from './lines.js';
import { fields, parseError, readElement, readReal, type ParseContext, type ParseOptions } from './parseContext.js';
import type { ParsedStructure } from './parsedStructure.js';

/** `extxyz` reads the comment line as key=value pairs; `xyz` keeps it as free text. */
export type XyzFlavour = 'extxyz' | 'xyz';

/**
 * Parses an extended XYZ text (one or more frames). Each frame is an atom-count line, a comment
 * line of key=value pairs (`Lattice`, `Properties`, `pbc`, anything else goes into `info`) and
 * one line per atom.
 */
export function parseExtxyz(text: string, options: ParseOptions = {}): ParsedStructure[] {
  return readAllFrames(text, readExtxyzFrame, options);
}

/** Frame reader for extended XYZ. */
export function readExtxyzFrame(context: ParseContext): FrameReader {
  return readXyzFamilyFrame(context, 'extxyz');
}

const PLAIN_COLUMNS = { count: 4, speciesColumn: 0, speciesType: 'S', positionColumn: 1, spec: '' } as const;

/** Frame reader shared by extended and plain XYZ; they differ only in the comment line. */
export function* readXyzFamilyFrame(context: ParseContext, flavour: XyzFlavour): FrameReader {
  const countLine = yield* nextNonBlankLine();
  if (countLine === null) return null;
  const count = readAtomCount(context, countLine);
  const commentLine = yield;
  if (commentLine === null) {
    throw parseError(context, countLine.number + 1, `unexpected end of input: the comment line after the atom count on line ${countLine.number} is missing`);
  }
  const header: ExtxyzHeader =
    flavour === 'xyz'
      ? { pbc: [false, false, false], columns: { ...PLAIN_COLUMNS }, info: { comment: commentLine.text.trim() } }
      : readHeaderAt(context, commentLine);
  const { columns } = header;
  const layout = flavour === 'xyz' ? 'species x y z' : `Properties=${columns.spec}`;

  const numbers: number[] = [];
  let positions = framePositions(count);
  let lastLine = commentLine.number;
  for (let atom = 0; atom < count; atom++) {
    const line = yield;
    if (line === null) {
      throw parseError(
        context,
        lastLine + 1,
        `unexpected end of input: the atom count on line ${countLine.number} says ${count} atoms but only ${atom} atom lines follow`,
      );
    }
    lastLine = line.number;
    const tokens = fields(line.text);
    if (tokens.length < columns.count) {
      throw parseError(context, line.number, `expected ${columns.count} columns (${layout}), got ${tokens.length}`);
    }
    const species = tokens[columns.speciesColumn]!;
    if (columns.speciesType === 'I' && !/^\d+$/.test(species)) {
      throw parseError(context, line.number, `expected an atomic number in the species column, got '${species}'`);
    }
    numbers.push(readElement(context, line, species));
    positions = withRoomFor(positions, atom, count);
    for (let k = 0; k < 3; k++) {
      positions[3 * atom + k] = readReal(context, line, tokens[columns.positionColumn + k], `${'xyz'[k]} coordinate of atom ${atom}`);
    }
  }
  return {
    numbers,
    positions,
    ...(header.cell !== undefined ? { cell: header.cell } : {}),
    pbc: header.pbc,
    info: header.info,
  };
}

function readAtomCount(context: ParseContext, line: Line): number {
  const text = line.text.trim();
  if (!/^\d+$/.test(text)) throw parseError(context, line.number, `expected the number of atoms, got '${text}'`);
  return Number(text);
}

function readHeaderAt(context: ParseContext, line: Line): ExtxyzHeader {
  try {
    return readExtxyzHeader(line.text);
  } catch (error) {
    if (error instanceof AtomenvError) throw parseError(context, line.number, error.message, error.code);
    throw error;
  }
}
