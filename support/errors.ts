/**
 * A problem with what the user gave us (a snapshot, a target, credentials, a feature's words).
 * It is shown as its one-line message, never with a stack trace, and a run ends with exit code 2.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Exit code for a run that could not evaluate anything: bad input, not failing checks. */
export const USAGE_EXIT_CODE = 2;
