// Free text AWS hands back (a stopped task's reason, a container's reason, a service event) can
// quote what a task was given: a registry URL with its credentials, an Authorization header, a
// key=value pair, a command line's --password, a token. Reports and snapshots keep the text, never
// those. The text is about a failure, so what names the failure (an ARN, an API call, "registry
// auth: …") stays.
import { REDACTED } from './redacted';

/** A key that names a secret whatever separates it from its value: DB_PASS, MYSQL_PWD, X-Api-Key, aws_secret_access_key. */
const SECRET_KEY = /password|passwd|pwd|token|api[_-]?key|apikey|access[_-]?key|secret[_-]?(access[_-]?)?key|client[_-]?secret|private[_-]?key|credential|authorization|(^|[_.-])pass($|[_.-])/i;
/** A key that names a secret only when `=` or a JSON colon gives its value: SECRET=… (not "secret: arn:…", which names one). */
const SECRET_KEY_WITH_EQUALS = /secret/i;
/** Words that say what kind of credential follows, not the credential. */
const SCHEMES = /^(Bearer|Basic|Digest|Token)$/i;

const PATTERNS: [RegExp, string][] = [
  // https://user:password@registry/… → https://REDACTED@registry/…
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:"']+:[^\s/@"']+@/gi, `$1${REDACTED}@`],
  // Authorization: Bearer …, Basic …
  [/\b(Bearer|Basic|Digest)\s+[A-Za-z0-9._~+/=-]{6,}/g, `$1 ${REDACTED}`],
  // --password …, --db-password=…, --token …
  [/(--[a-z0-9-]*(?:password|passwd|pwd|pass|secret|token|api-key|access-key)\b)(=|\s+)(?!-)\S+/gi, `$1$2${REDACTED}`],
  // Tokens recognisable by their shape: GitHub, Slack, JSON Web Tokens.
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})/g, REDACTED],
  // AWS access key IDs
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, REDACTED],
];

/** KEY=value, "key": "value", Header: value, key = value (a URL's scheme is not a key). */
const KEY_VALUE = /\b([A-Za-z][A-Za-z0-9_.-]*)(\s*=\s*|"\s*:\s*"|:\s+|:(?!\/\/)(?=\S))(["']?)([^\s"',;&]+)/g;

function isSecret(key: string, separator: string, value: string): boolean {
  const byEquals = separator.includes('=') || separator.includes('"');
  if (!SECRET_KEY.test(key) && !(byEquals && SECRET_KEY_WITH_EQUALS.test(key))) return false;
  return value !== REDACTED && !value.startsWith('arn:') && !SCHEMES.test(value);
}

/** Each key's value, when the key names a secret; a value that is not one is read again, since it may hold a key of its own ("Reason: token=…"). */
function redactKeyValues(text: string): string {
  const pattern = new RegExp(KEY_VALUE);
  let out = '';
  let last = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const [match, key, separator, quote, value] = m;
    if (isSecret(key, separator, value)) {
      out += `${text.slice(last, m.index)}${key}${separator}${quote}${REDACTED}`;
      last = m.index + match.length;
    } else {
      pattern.lastIndex = m.index + key.length + separator.length;
    }
  }
  return out + text.slice(last);
}

export function redactSecretText(text: string): string {
  return redactKeyValues(PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text));
}
