import { readXyzFamilyFrame } from './extxyz.js';
import { readAllFrames, type FrameReader } from './frames.js';
import type { ParseContext, ParseOptions } from './parseContext.js';
import type { ParsedStructure } from './parsedStructure.js';

/**
 * Parses a plain XYZ text (one or more frames): an atom-count line, a free-text comment line
 * (kept as `info.comment`) and `symbol x y z` lines (extra columns ignored). No cell.
 */
export function parseXyz(text: string, options: ParseOptions = {}): ParsedStructure[] {
  return readAllFrames(text, readXyzFrame, options);
}

/** Frame reader for plain XYZ. */
export function readXyzFrame(context: ParseContext): FrameReader {
  return readXyzFamilyFrame(context, 'xyz');
}
