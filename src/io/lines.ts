/** One line of input text, without its line ending, and its 1-based line number. */
export interface Line {
  readonly text: string;
  readonly number: number;
}

const BYTE_ORDER_MARK = '\uFEFF';

/**
 * Splits text into lines. `\n` and `\r\n` both end a line; a final line ending does not
 * start an extra empty line. A leading byte-order mark is dropped.
 */
export function* textLines(text: string, firstLine = 1): Generator<Line> {
  let start = text.startsWith(BYTE_ORDER_MARK) ? 1 : 0;
  let number = firstLine;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    yield { text: stripCarriageReturn(text.slice(start, end)), number: number++ };
    start = end + 1;
  }
}

/**
 * Splits a stream of text chunks into lines, with the same rules as {@link textLines}.
 * Only the current unfinished line is buffered.
 */
export async function* streamLines(chunks: AsyncIterable<string>, firstLine = 1): AsyncGenerator<Line> {
  for await (const batch of streamLineBatches(chunks, firstLine)) yield* batch;
}

/**
 * {@link streamLines} a chunk at a time: the lines each chunk completes, as one array (one
 * asynchronous step per chunk instead of per line). A chunk that completes no line gives none.
 */
export async function* streamLineBatches(chunks: AsyncIterable<string>, firstLine = 1): AsyncGenerator<Line[]> {
  let pending = '';
  let number = firstLine;
  let atStart = true;
  for await (let chunk of chunks) {
    if (atStart && chunk.length > 0) {
      if (chunk.startsWith(BYTE_ORDER_MARK)) chunk = chunk.slice(1);
      atStart = false;
    }
    const batch: Line[] = [];
    let start = 0;
    let end = chunk.indexOf('\n');
    while (end >= 0) {
      const text = pending + chunk.slice(start, end);
      pending = '';
      batch.push({ text: stripCarriageReturn(text), number: number++ });
      start = end + 1;
      end = chunk.indexOf('\n', start);
    }
    pending += chunk.slice(start);
    if (batch.length > 0) yield batch;
  }
  if (pending.length > 0) yield [{ text: stripCarriageReturn(pending), number }];
}

/** True for a line holding nothing but whitespace. */
export function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

function stripCarriageReturn(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}
