import type { Cell } from '../structure/structure.js';
import { readAllFrames, type FrameReader } from './frames.js';
import { framePositions, withRoomFor } from './framePositions.js';
import type { Line } from './lines.js';
import { fields, parseError, readElement, readReal, readReals, toInteger, type ParseContext, type ParseOptions } from './parseContext.js';
import type { ParsedStructure } from './parsedStructure.js';

/**
 * Parses a VASP 5 POSCAR/CONTCAR text: comment, scale factor (negative: target cell volume),
 * 3 lattice lines, element symbols, counts, optional `Selective dynamics`, `Direct`/`Cartesian`,
 * then one coordinate line per atom. Positions come out Cartesian in Å; pbc is true on all axes.
 * Anything after the coordinates (velocities, …) is ignored.
 */
export function parsePoscar(text: string, options: ParseOptions = {}): ParsedStructure[] {
  return readAllFrames(text, readPoscarFrame, options);
}

/** Frame reader for POSCAR. It consumes the whole input, since the file holds one structure. */
export function* readPoscarFrame(context: ParseContext): FrameReader {
  let last: Line | undefined;
  // Each step of the file asks for one line; the end of the input there is an error.
  function* nextLine(what: string): Generator<void, Line, Line | null> {
    const line = yield;
    if (line === null) {
      throw parseError(context, (last?.number ?? 0) + 1, `unexpected end of input: expected ${what}`);
    }
    last = line;
    return line;
  }

  const first = yield;
  if (first === null) return null;
  last = first;
  const comment = first.text.trim();

  const scaleLine = yield* nextLine('the scale factor (line 2)');
  const scaleTokens = fields(scaleLine.text);
  const scale = readReal(context, scaleLine, scaleTokens[0], 'scale factor');
  if (scale === 0) throw parseError(context, scaleLine.number, 'the scale factor must not be 0');

  const lattice: number[][] = [];
  for (let row = 0; row < 3; row++) {
    const line = yield* nextLine(`lattice vector ${row + 1}`);
    lattice.push(readReals(context, line, fields(line.text), 0, 3, `lattice vector ${row + 1}`));
  }

  const symbolLine = yield* nextLine('the element symbols line');
  const symbolTokens = fields(symbolLine.text);
  if (symbolTokens.length === 0 || symbolTokens.every((t) => toInteger(t) !== undefined)) {
    throw parseError(
      context,
      symbolLine.number,
      'expected the element symbols line (VASP 5); this looks like a VASP 4 POSCAR without element names, ' +
        'which are needed: add a line with the element symbols (e.g. "Si O") above the counts line',
    );
  }
  // VASP 6 may write POTCAR labels such as Si_pv or Si/5f2c…; the element is the part before them.
  const elements = symbolTokens.map((t) => readElement(context, symbolLine, t.split(/[_/]/)[0]!));

  const countLine = yield* nextLine('the atom counts line');
  const countTokens = fields(countLine.text);
  const counts = countTokens.map(toInteger);
  if (countTokens.length !== elements.length || counts.some((c) => c === undefined || c < 0)) {
    throw parseError(
      context,
      countLine.number,
      `expected ${elements.length} atom counts (one per element on line ${symbolLine.number}), got '${countLine.text.trim()}'`,
    );
  }

  let modeLine = yield* nextLine('the coordinate mode line (Direct or Cartesian)');
  if (/^[sS]/.test(modeLine.text.trim())) modeLine = yield* nextLine('the coordinate mode line (Direct or Cartesian)');
  const cartesian = /^[cCkK]/.test(modeLine.text.trim());

  const factor = scale > 0 ? scale : Math.cbrt(-scale / Math.abs(determinant(lattice)));
  if (!Number.isFinite(factor)) {
    throw parseError(context, scaleLine.number, 'a negative scale factor (target volume) needs a non-singular lattice');
  }
  const cell = lattice.map((row) => row.map((v) => v * factor)) as Cell;

  let total = 0;
  for (const c of counts) total += c!;
  const numbers: number[] = [];
  let positions = framePositions(total);
  let element = 0;
  let leftOfElement = counts[0] ?? 0;
  for (let atom = 0; atom < total; atom++) {
    while (leftOfElement === 0) leftOfElement = counts[++element]!;
    leftOfElement--;
    const line = yield* nextLine(`coordinates of atom ${atom} (${total} atoms in total)`);
    const [a, b, c] = readReals(context, line, fields(line.text), 0, 3, `coordinates of atom ${atom}`) as [number, number, number];
    positions = withRoomFor(positions, atom, total);
    numbers.push(elements[element]!);
    for (let k = 0; k < 3; k++) {
      // Cartesian: scaled like the lattice; Direct: fractional coordinates times the scaled cell rows.
      positions[3 * atom + k] = cartesian ? factor * (k === 0 ? a : k === 1 ? b : c) : a * cell[0][k] + b * cell[1][k] + c * cell[2][k];
    }
  }

  while ((yield) !== null) {
    // the rest of the file (velocities, predictor-corrector data) is not needed
  }
  return { numbers, positions, cell, pbc: [true, true, true], info: { comment } };
}

function determinant(m: number[][]): number {
  const [a, b, c] = m as [number[], number[], number[]];
  return (
    a[0]! * (b[1]! * c[2]! - b[2]! * c[1]!) - a[1]! * (b[0]! * c[2]! - b[2]! * c[0]!) + a[2]! * (b[0]! * c[1]! - b[1]! * c[0]!)
  );
}
