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
    // No stack at all, rather than the message as the stack: Cucumber runs error-stack-parser on
    // every failed step's stack, and on lines without V8 frames its Firefox/Safari regex backtracks
    // catastrophically (minutes for a few long lines with quotes, such as a policy in a fix). With
    // an empty stack it gives up at once, and Cucumber shows the message alone, as before.
    this.stack = '';
  }
}

/**
 * The scenario that met a bad input (a snapshot that cannot be read, no credentials, a broken
 * waivers file): it fails with the input's one line, every later scenario is skipped, and the
 * process exits 2 once the reports are written.
 */
export class RunStopped extends PlainError {
  override name = 'RunStopped';
}

/**
 * A mistake in what a feature file says (a word the steps do not know, a scope naming what the
 * account does not have, a tag that is not a check ID): its scenario fails with the one line, and
 * the run exits 2, since an input is broken rather than the account.
 */
export class InputError extends PlainError {
  override name = 'InputError';
}
