import { AtomenvError } from '../errors.js';
import { UsageError } from './usageError.js';

/** Exit code for bad input and failed runs. */
export const EXIT_FAILURE = 1;
/** Exit code for bad command-line usage. */
export const EXIT_USAGE = 2;

/**
 * The one line (no stack trace) and exit code the CLI reports for a thrown value: usage errors
 * exit 2, atomenv errors 1, anything else is an internal error with a request to report it.
 */
export function describeError(error: unknown): { line: string; exitCode: number } {
  if (error instanceof UsageError) return { line: `atomenv: ${oneLine(error.message)}`, exitCode: EXIT_USAGE };
  if (error instanceof AtomenvError) return { line: `atomenv: ${oneLine(error.message)}`, exitCode: EXIT_FAILURE };
  const message = error instanceof Error ? error.message : String(error);
  return {
    line: `atomenv: internal error: ${oneLine(message)} (please report this bug with the command you ran; ATOMENV_DEBUG=1 shows the stack trace)`,
    exitCode: EXIT_FAILURE,
  };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
