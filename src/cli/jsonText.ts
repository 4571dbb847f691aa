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
  const out = new Pieces(sink);
  await emit(value, out);
  await out.flush();
}

async function emit(value: unknown, out: Pieces): Promise<void> {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const array = value as unknown as Float64Array;
    out.add('[');
    for (let start = 0; start < array.length; start += CHUNK) {
      const piece = stringifyJson(array.subarray(start, start + CHUNK)).slice(1, -1);
      await out.addLarge(start === 0 ? piece : `,${piece}`);
    }
    out.add(']');
  } else if (Array.isArray(value)) {
    out.add('[');
    for (let k = 0; k < value.length; k++) {
      if (k > 0) out.add(',');
      await emit(value[k] ?? null, out);
    }
    out.add(']');
  } else if (value !== null && typeof value === 'object') {
    out.add('{');
    let first = true;
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      out.add(`${first ? '' : ','}${JSON.stringify(key)}:`);
      await emit(item, out);
      first = false;
    }
    out.add('}');
  } else {
    out.add(stringifyJson(value));
  }
}

/** Collects small pieces of text and passes them on to the sink in large writes. */
class Pieces {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly sink: TextSink) {}

  add(text: string): void {
    this.parts.push(text);
    this.size += text.length;
  }

  /** Adds a piece and writes out once enough has been collected. */
  async addLarge(text: string): Promise<void> {
    this.add(text);
    if (this.size >= FLUSH_AT) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    await this.sink.write(text);
  }
}
