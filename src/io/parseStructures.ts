import { AtomenvError } from '../errors.js';
import { detectFormat, type StructureFormat } from './formats.js';
import { frameReaderFor } from './frameReaderFor.js';
import { readAllFrames } from './frames.js';
import { isBlank } from './lines.js';
import type { ParsedStructure } from './parsedStructure.js';

/**
 * Parses every structure in a text. The format is detected from `options.file` and the content
 * when not given. Throws {@link AtomenvError} (PARSE_ERROR, UNKNOWN_ELEMENT, UNKNOWN_FORMAT)
 * naming the file, line and frame.
 */
export function parseStructures(text: string, format?: StructureFormat, options: { file?: string } = {}): ParsedStructure[] {
  if (typeof text !== 'string') {
    throw new AtomenvError('INVALID_PARAMETER', `parseStructures: text must be a string (decode bytes first), got ${text === null ? 'null' : typeof text}`);
  }
  if (isBlank(text)) {
    throw new AtomenvError('PARSE_ERROR', 'the input is empty (no structures)', options.file !== undefined ? { file: options.file } : {});
  }
  const resolved = format ?? detectFormat(text, options.file);
  return readAllFrames(text, frameReaderFor(resolved), options);
}
