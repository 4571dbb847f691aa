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

/** Expects `run` to throw an AtomenvError with this code whose message matches every pattern. */
export function expectAtomenvError(run: () => unknown, code: string, ...patterns: (RegExp | string)[]): void {
  const error = catchAtomenvError(run);
  expect(error.code).toBe(code);
  for (const p of patterns) {
    if (typeof p === 'string') expect(error.message).toContain(p);
    else expect(error.message).toMatch(p);
  }
}
