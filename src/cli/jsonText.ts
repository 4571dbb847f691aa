import { stringifyJson } from '../io/json.js';
import type { TextSink } from './textSink.js';

/** Numbers per piece when a typed array is written out. */
const CHUNK = 1 << 16;
/** Characters collected before they are handed to the sink. */
const FLUSH_AT = 1 << 20;

/**
 * Writes a value as JSON (full-precision numbers, as {@link stringifyJson}) to a sink in pieces,
 * so that large typed arrays never become one huge string. Objects, arrays, typed arrays and
 * JSON primitives are supported; `undefined` object values are left out.
 */
export async function writeJson(value: unknown, sink: TextSink): Promise<void> {
  const out = new Pieces();
  // The text is built synchronously and handed over in blocks of about FLUSH_AT characters
  // (an await per number costs more than writing it).
  for (const block of emit(value, out)) await sink.write(block);
  if (out.size > 0) await sink.write(out.take());
}

/** Adds value's JSON text to out, yielding a block of text whenever a typed array has filled one. */
function* emit(value: unknown, out: Pieces): Generator<string, void, undefined> {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const array = value as unknown as Float64Array;
    out.add('[');
    for (let start = 0; start < array.length; start += CHUNK) {
      const piece = stringifyJson(array.subarray(start, start + CHUNK)).slice(1, -1);
      out.add(start === 0 ? piece : `,${piece}`);
      if (out.size >= FLUSH_AT) yield out.take();
    }
    out.add(']');
  } else if (Array.isArray(value)) {
    out.add('[');
    for (let k = 0; k < value.length; k++) {
      if (k > 0) out.add(',');
      const item: unknown = value[k] ?? null;
      if (item !== null && typeof item === 'object') yield* emit(item, out);
      else out.add(stringifyJson(item));
    }
    out.add(']');
  } else if (value !== null && typeof value === 'object') {
    out.add('{');
    let first = true;
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      out.add(`${first ? '' : ','}${JSON.stringify(key)}:`);
      yield* emit(item, out);
      first = false;
    }
    out.add('}');
  } else {
    out.add(stringifyJson(value));
  }
}

/** Collects small pieces of text until they are taken as one block. */
class Pieces {
  private parts: string[] = [];
  size = 0;

  add(text: string): void {
    this.parts.push(text);
    this.size += text.length;
  }

  take(): string {
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    return text;
  }
}
