/**
 * Stable error codes. Code that catches an {@link AtomenvError} can branch on `code`;
 * the message is for people and may be reworded.
 */
export type AtomenvErrorCode =
  | 'NOT_INITIALIZED'
  | 'WASM_UNAVAILABLE'
  | 'INVALID_STRUCTURE'
  | 'UNKNOWN_ELEMENT'
  | 'SPECIES_NOT_IN_DESCRIPTOR'
  | 'NON_FINITE_POSITION'
  | 'OVERLAPPING_ATOMS'
  | 'SINGULAR_CELL'
  | 'INVALID_PARAMETER'
  | 'MISSING_PARAMETER'
  | 'INVALID_CENTERS'
  | 'PARSE_ERROR'
  | 'UNKNOWN_FORMAT'
  | 'FILE_NOT_FOUND'
  | 'IO_ERROR'
  | 'OUT_OF_MEMORY'
  | 'WORKER_CRASHED'
  | 'ABORTED'
  | 'NOT_CONVERGED'
  | 'RUNTIME_RELEASED';

/** Where an error happened, when it is about a file, a line or an atom. */
export interface ErrorLocation {
  /** File path, when the input came from a file. */
  file?: string;
  /** 1-based line number in the file. */
  line?: number;
  /** 0-based index of the frame in a multi-frame input. */
  frame?: number;
  /** 0-based atom index in the structure. */
  atom?: number;
}

/**
 * The only error type atomenv throws on bad input. `code` is stable; `location` says where
 * (file, line, frame, atom) when known, and the message repeats it in words.
 */
export class AtomenvError extends Error {
  readonly code: AtomenvErrorCode;
  readonly location: ErrorLocation;

  constructor(code: AtomenvErrorCode, message: string, location: ErrorLocation = {}) {
    super(withLocation(message, location));
    this.name = 'AtomenvError';
    this.code = code;
    this.location = location;
  }

  /** A copy of this error with more location detail (e.g. the file name, once known). */
  at(location: ErrorLocation): AtomenvError {
    const merged = { ...location, ...this.location };
    return new AtomenvError(this.code, this.message.replace(locationPrefix(this.location), ''), merged);
  }
}

function locationPrefix(loc: ErrorLocation): string {
  const parts: string[] = [];
  if (loc.file !== undefined) parts.push(loc.file);
  if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  if (loc.frame !== undefined) parts.push(`frame ${loc.frame}`);
  return parts.length > 0 ? `${parts.join(', ')}: ` : '';
}

function withLocation(message: string, loc: ErrorLocation): string {
  return locationPrefix(loc) + message;
}

/** Throws an INVALID_PARAMETER AtomenvError (the usual failure of parameter validation). */
export function invalidParameter(message: string): never {
  throw new AtomenvError('INVALID_PARAMETER', message);
}
