import { encodeNpy } from '../io/npy.js';

const JSON_TYPE = 'application/json; charset=utf-8';
/** Values per chunk of a streamed JSON array (about 1.5 MB of text). */
const CHUNK_VALUES = 65536;

/** A small JSON response. */
export function jsonResponse(body: unknown, status = 200, headers: Readonly<Record<string, string>> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store', ...headers } });
}

/**
 * `{"shape": [...], "values": [...]}` with every value at full (round-trip) precision, streamed
 * in chunks so that the whole text is never held in memory. Throws if a value is not finite
 * (JSON has no NaN or Infinity); the caller checks before the status line is sent.
 */
export function arrayJsonResponse(values: Float64Array | Float32Array, shape: readonly number[]): Response {
  for (let k = 0; k < values.length; k++) {
    if (!Number.isFinite(values[k]!)) throw new Error(`the result holds a non-finite value at index ${k}`);
  }
  const encoder = new TextEncoder();
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next === 0) controller.enqueue(encoder.encode(`{"shape":${JSON.stringify(shape)},"values":[`));
      const end = Math.min(values.length, next + CHUNK_VALUES);
      // Number → string is the shortest round-trip form, as in JSON.stringify.
      const text = values.subarray(next, end).join(',');
      controller.enqueue(encoder.encode(next > 0 && end > next ? `,${text}` : text));
      next = end;
      if (next >= values.length) {
        controller.enqueue(encoder.encode(']}'));
        controller.close();
      }
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store' } });
}

/** The values as NumPy `.npy` bytes, float32 when the values are float32, else float64. */
export function npyResponse(values: Float64Array | Float32Array, shape: readonly number[]): Response {
  // encodeNpy allocates a fresh ArrayBuffer.
  const bytes = encodeNpy(values, shape) as Uint8Array<ArrayBuffer>;
  return new Response(bytes, {
    status: 200,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.byteLength), 'cache-control': 'no-store' },
  });
}
