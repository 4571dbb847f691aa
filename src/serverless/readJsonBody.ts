import { HttpError } from './httpError.js';

/**
 * Reads a request body as JSON: 415 unless `Content-Type` is `application/json` (any charset
 * parameter must be utf-8), 413 when `Content-Length` or the bytes read exceed `maxBytes` (the
 * stream is cancelled at once), 400 INVALID_JSON for bytes that are not UTF-8 JSON.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  checkContentType(request.headers.get('content-type'));
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  const bytes = await readBytes(request, maxBytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'the body is not valid UTF-8');
  }
  if (text.trim() === '') throw new HttpError(400, 'INVALID_JSON', 'the body is empty: send a JSON object {"config", "structure", "centers"?}');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, 'INVALID_JSON', `the body is not valid JSON: ${(error as Error).message}`);
  }
}

function checkContentType(header: string | null): void {
  const [type = '', ...params] = (header ?? '').split(';').map((s) => s.trim().toLowerCase());
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (type !== 'application/json' || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new HttpError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `send the body as JSON with Content-Type: application/json, got ${header === null ? 'no Content-Type' : JSON.stringify(header)}`,
    );
  }
}

/** The body's bytes, stopping (and cancelling the stream) as soon as there are more than `maxBytes`. */
async function readBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      throw new HttpError(400, 'INVALID_REQUEST', 'the request body could not be read to its end (connection closed?)');
    }
    const { done, value } = chunk;
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, 'BODY_TOO_LARGE', `the body is larger than the limit of ${maxBytes} bytes`);
}
