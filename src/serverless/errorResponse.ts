import { AtomenvError, type AtomenvErrorCode } from '../errors.js';
import { HttpError } from './httpError.js';
import { jsonResponse } from './responses.js';

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/** AtomenvError codes that are the client's fault (bad config, structure or centres): 422. */
const UNPROCESSABLE: ReadonlySet<AtomenvErrorCode> = new Set<AtomenvErrorCode>([
  'INVALID_STRUCTURE', 'UNKNOWN_ELEMENT', 'SPECIES_NOT_IN_DESCRIPTOR', 'NON_FINITE_POSITION', 'OVERLAPPING_ATOMS',
  'SINGULAR_CELL', 'INVALID_PARAMETER', 'MISSING_PARAMETER', 'INVALID_CENTERS', 'PARSE_ERROR', 'UNKNOWN_FORMAT', 'NOT_CONVERGED',
]);

/**
 * The response for a thrown value: {@link HttpError} with its status; an AtomenvError about the
 * input 422 (OUT_OF_MEMORY 413) with its code and message; anything else a generic 500 whose body
 * says nothing of the error (no message, no stack), after `report(error)` has seen it.
 */
export function errorResponse(error: unknown, report: (error: unknown) => void): Response {
  if (error instanceof HttpError) return errorJson(error.status, error.code, error.message, error.headers);
  if (error instanceof AtomenvError && UNPROCESSABLE.has(error.code)) return errorJson(422, error.code, error.message);
  if (error instanceof AtomenvError && error.code === 'OUT_OF_MEMORY') {
    return errorJson(413, error.code, 'the request needs more memory than this server has: send fewer atoms or centres');
  }
  try {
    report(error);
  } catch {
    // A failing logger must not turn a 500 into an unhandled rejection.
  }
  return errorJson(500, 'INTERNAL_ERROR', 'internal error');
}

function errorJson(status: number, code: string, message: string, headers: Readonly<Record<string, string>> = {}): Response {
  const body: ErrorBody = { error: { code, message } };
  return jsonResponse(body, status, headers);
}
