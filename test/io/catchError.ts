import { expect } from 'vitest';
import { AtomenvError } from '../../src/errors.js';

/** Runs `run`, expects it to throw an AtomenvError and returns that error. */
export function catchAtomenvError(run: () => unknown): AtomenvError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AtomenvError);
    return error as AtomenvError;
  }
  throw new Error('expected an AtomenvError, but nothing was thrown');
}

/** Awaits `run`, expects it to reject with an AtomenvError and returns that error. */
export async function catchAtomenvErrorAsync(run: () => Promise<unknown>): Promise<AtomenvError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(AtomenvError);
    return error as AtomenvError;
  }
  throw new Error('expected an AtomenvError, but nothing was thrown');
}
