import { AtomenvError } from '../errors.js';
import { DETECTION_LINES, detectFormat, type StructureFormat } from './formats.js';
import { frameReaderFor } from './frameReaderFor.js';
import { FrameFeeder } from './frames.js';
import { isBlank, streamLineBatches, type Line } from './lines.js';
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
  // Lines arrive a chunk at a time (an asynchronous step per line cost ~µs each at start-up).
  const batches = streamLineBatches(chunks)[Symbol.asyncIterator]();
  const { head, rest } = await readDetectionLines(batches);
  if (head.every((line) => isBlank(line.text))) {
    throw new AtomenvError('PARSE_ERROR', 'the input is empty (no structures)', options.file !== undefined ? { file: options.file } : {});
  }
  const resolved = format ?? detectFormat(head.map((line) => line.text).join('\n'), options.file);
  const feeder = new FrameFeeder(frameReaderFor(resolved), options);
  // A frame is handed out before the next line is read (a broken next frame throws after it).
  function* feed(lines: readonly Line[], from: number): Generator<ParsedStructure> {
    for (let k = from; k < lines.length; k++) {
      const frame = feeder.push(lines[k]!);
      if (frame !== undefined) yield frame;
    }
  }
  yield* feed(head, 0);
  if (rest !== null) yield* feed(rest.lines, rest.from);
  for (let next = await batches.next(); !next.done; next = await batches.next()) yield* feed(next.value, 0);
  const last = feeder.finish();
  if (last !== undefined) yield last;
}

/**
 * Reads lines up to the first non-blank one and the lines format detection needs after it;
 * `rest` is the last batch read and where its lines after the head start.
 */
async function readDetectionLines(batches: AsyncIterator<Line[]>): Promise<{ head: Line[]; rest: { lines: Line[]; from: number } | null }> {
  const head: Line[] = [];
  let content = 0;
  while (content < DETECTION_LINES) {
    const next = await batches.next();
    if (next.done) break;
    const lines = next.value;
    for (let k = 0; k < lines.length; k++) {
      head.push(lines[k]!);
      if (content > 0 || !isBlank(lines[k]!.text)) content++;
      if (content >= DETECTION_LINES) return { head, rest: k + 1 < lines.length ? { lines, from: k + 1 } : null };
    }
  }
  return { head, rest: null };
}
