/**
 * A problem with what the user gave us (a snapshot, a target, credentials, a feature's words).
 * It is shown as its one-line message, never with a stack trace, and a run ends with exit code 2.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Exit code for a run that could not evaluate anything: bad input, not failing checks. */
export const USAGE_EXIT_CODE = 2;

/**
 * A scenario failure whose message says everything (a check's offenders, a word a feature got
 * wrong): reports show the message alone, without a stack trace.
 */
export class PlainError extends Error {
  constructor(message: string) {
    super(message);
    this.stack = message;
  }
}
