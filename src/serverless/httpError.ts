/** Error codes of the HTTP layer (descriptor and structure errors keep their AtomenvError code). */
export type HttpErrorCode =
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'BODY_TOO_LARGE'
  | 'TOO_MANY_ATOMS'
  | 'OUTPUT_TOO_LARGE'
  | 'TOO_EXPENSIVE'
  | 'INVALID_JSON'
  | 'INVALID_REQUEST'
  | 'INTERNAL_ERROR';

/** A request the handler answers with a 4xx status and a JSON error body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: HttpErrorCode,
    message: string,
    /** Extra response headers (e.g. `Allow` for 405). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** A 400 INVALID_REQUEST: the body is JSON but not a valid compute request. */
export function invalidRequest(message: string): HttpError {
  return new HttpError(400, 'INVALID_REQUEST', message);
}
