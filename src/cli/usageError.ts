/**
 * Bad command-line usage: an unknown flag, a missing argument, a value of the wrong form.
 * The CLI prints its message on one line and exits with code 2.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
