import { AtomenvError } from '../errors.js';
import { DETECTION_LINES, detectFormat, type StructureFormat } from './formats.js';
import { frameReaderFor } from './frameReaderFor.js';
import { FrameFeeder } from './frames.js';
import { isBlank, streamLines, type Line } from './lines.js';
import type { ParsedStructure } from './parsedStructure.js';

/**
 * Reads structures from a stream of text chunks and yields each frame as soon as its last line
 * has arrived; only the current frame is held in memory. Without a format, it is detected from
 * `options.file` and the first lines. Errors name the file, line and frame as the whole-text
 * parsers do.
 */
export async function* streamStructures(
  chunks: AsyncIterable<string>,
  format?: StructureFormat,
  options: { file?: string } = {},
): AsyncGenerator<ParsedStructure> {
  const lines = streamLines(chunks)[Symbol.asyncIterator]();
  const head = await readDetectionLines(lines);
  if (head.every((line) => isBlank(line.text))) {
    throw new AtomenvError('PARSE_ERROR', 'the input is empty (no structures)', options.file !== undefined ? { file: options.file } : {});
  }
  const resolved = format ?? detectFormat(head.map((line) => line.text).join('\n'), options.file);
  const feeder = new FrameFeeder(frameReaderFor(resolved), options);
  for (const line of head) {
    const frame = feeder.push(line);
    if (frame !== undefined) yield frame;
  }
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    const frame = feeder.push(next.value);
    if (frame !== undefined) yield frame;
  }
  const last = feeder.finish();
  if (last !== undefined) yield last;
}

/** Reads lines up to the first non-blank one and the lines format detection needs after it. */
async function readDetectionLines(lines: AsyncIterator<Line>): Promise<Line[]> {
  const head: Line[] = [];
  let content = 0;
  while (content < DETECTION_LINES) {
    const next = await lines.next();
    if (next.done) break;
    head.push(next.value);
    if (content > 0 || !isBlank(next.value.text)) content++;
  }
  return head;
}
