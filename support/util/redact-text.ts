// Free text AWS hands back (a stopped task's reason, a container's reason) can quote what a task
// was given: a registry URL with its credentials, a key=value pair, an access key. Reports and
// snapshots keep the text, never those.
import { REDACTED } from './redacted';

const PATTERNS: [RegExp, string][] = [
  // https://user:password@registry/… → https://REDACTED@registry/…
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:"']+:[^\s/@"']+@/gi, `$1${REDACTED}@`],
  // password=…, "token": "…", SECRET_KEY=…
  [/\b([A-Za-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|credentials?)[A-Za-z0-9_.-]*)(=|"\s*:\s*")([^\s"',;&]+)/gi, `$1$2${REDACTED}`],
  // AWS access key IDs
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, REDACTED],
];

export function redactSecretText(text: string): string {
  return PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}
