import type { Cell } from '../structure/structure.js';
import { nextNonBlankLine, readAllFrames, type FrameReader } from './frames.js';
import { isBlank, type Line } from './lines.js';
import { fields, parseError, readElement, readReal, readReals, toReal, type ParseContext, type ParseOptions } from './parseContext.js';
import type { ParsedStructure } from './parsedStructure.js';

/**
 * Parses an n2p2 / RuNNer `input.data` text: blocks of `begin`, `comment …`, 0 or 3 `lattice`
 * lines, `atom x y z element charge n fx fy fz` lines, `energy E`, `charge Q`, `end`. Units are
 * kept as in the file. `info` gets `energy`, `charge`, `comment`, per-atom `forces` (3N) and
 * `charges` (N), and `set` when `begin` names one (`begin set=train`).
 */
export function parseN2p2(text: string, options: ParseOptions = {}): ParsedStructure[] {
  return readAllFrames(text, readN2p2Frame, options);
}

const ATOM_FIELDS = 10;

/** Frame reader for n2p2 `input.data`. */
export function* readN2p2Frame(context: ParseContext): FrameReader {
  const begin = yield* nextNonBlankLine();
  if (begin === null) return null;
  const beginTokens = fields(begin.text);
  if (beginTokens[0] !== 'begin') throw parseError(context, begin.number, `expected 'begin', got '${begin.text.trim()}'`);

  const info: Record<string, unknown> = {};
  for (const token of beginTokens.slice(1)) {
    if (token.startsWith('set=')) info['set'] = token.slice(4);
  }
  const lattice: number[][] = [];
  const numbers: number[] = [];
  const positions: number[] = [];
  const forces: number[] = [];
  const charges: number[] = [];
  for (;;) {
    const line = yield;
    if (line === null) {
      throw parseError(context, begin.number, `unexpected end of input: the structure that begins on line ${begin.number} has no 'end'`);
    }
    if (isBlank(line.text)) continue;
    const tokens = fields(line.text);
    const keyword = tokens[0]!;
    switch (keyword) {
      case 'comment':
        info['comment'] = line.text.trim().slice('comment'.length).trim();
        break;
      case 'lattice':
        if (lattice.length === 3) throw parseError(context, line.number, 'more than 3 lattice lines');
        lattice.push(readReals(context, line, tokens, 1, 3, `lattice vector ${lattice.length + 1}`));
        break;
      case 'atom': {
        if (tokens.length < ATOM_FIELDS) {
          throw parseError(context, line.number, `expected ${ATOM_FIELDS} fields (atom x y z element charge n fx fy fz), got ${tokens.length}`);
        }
        const atom = numbers.length;
        // Messages built only on failure (a template per atom cost allocations at start-up).
        for (let k = 0; k < 3; k++) positions.push(readAtomReal(context, line, tokens[1 + k], 'position', atom, k));
        numbers.push(readElement(context, line, tokens[4]!));
        charges.push(readAtomReal(context, line, tokens[5], 'charge', atom, -1));
        for (let k = 0; k < 3; k++) forces.push(readAtomReal(context, line, tokens[7 + k], 'force', atom, k));
        break;
      }
      case 'energy':
        info['energy'] = readReal(context, line, tokens[1], 'energy');
        break;
      case 'charge':
        info['charge'] = readReal(context, line, tokens[1], 'charge');
        break;
      case 'end': {
        if (lattice.length !== 0 && lattice.length !== 3) {
          throw parseError(context, line.number, `expected 0 or 3 lattice lines, got ${lattice.length}`);
        }
        info['forces'] = Float64Array.from(forces);
        info['charges'] = Float64Array.from(charges);
        const periodic = lattice.length === 3;
        return {
          numbers,
          positions: Float64Array.from(positions),
          ...(periodic ? { cell: lattice as Cell } : {}),
          pbc: [periodic, periodic, periodic],
          info,
        };
      }
      case 'begin':
        throw parseError(context, line.number, `'begin' inside the structure that begins on line ${begin.number} (missing 'end')`);
      default:
        throw parseError(
          context,
          line.number,
          `unknown keyword '${keyword}' (expected begin, comment, lattice, atom, energy, charge or end)`,
        );
    }
  }
}

/** {@link readReal} of an atom line's number, naming it as `readReals` does: "position of atom 3 component 2". */
function readAtomReal(context: ParseContext, line: Line, token: string | undefined, what: 'position' | 'charge' | 'force', atom: number, k: number): number {
  const value = token === undefined ? undefined : toReal(token);
  if (value !== undefined) return value;
  const name = what === 'position' ? `position of atom ${atom} component ${k + 1}` : what === 'charge' ? `charge of atom ${atom}` : `force on atom ${atom} component ${k + 1}`;
  return readReal(context, line, token, name);
}
