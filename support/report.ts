// How findings read in the HTML and JUnit reports and on the console: one line per offender
// first (what CI shows), then for each offender why it matters and the fix.
import type { CheckInfo, Finding } from './checks/finding';
import { PlainError } from './errors';

export function failureMessage(check: CheckInfo, findings: Finding[]): string {
  const offenders = findings.length === 1 ? '1 offender' : `${findings.length} offenders`;
  const lines = [`${check.id} failed (${check.severity}): ${check.title} — ${offenders}`];
  for (const f of findings) lines.push(`  - ${f.workload}: ${f.problem}`);
  lines.push(DETAILS_SEPARATOR);
  findings.forEach((f, i) => {
    lines.push(`[${i + 1}] ${f.workload}: ${f.resourceIds.join(', ')}`);
    lines.push(`    expected: ${f.expected}`);
    lines.push(`    why:      ${f.impact}`);
    lines.push(`    console:  ${f.fix.console}`);
    lines.push(`    cli:      ${f.fix.cli}`, '');
  });
  return lines.join('\n').trimEnd();
}

const DETAILS_SEPARATOR = '';

/** The offender lines of a failure message (what the console shows) and the CLI fixes from its details. */
export function summaryOf(message: string): { headline: string[]; cliFixes: string[] } {
  const [head, ...details] = message.split(`\n${DETAILS_SEPARATOR}\n`);
  const cliFixes = details.join('\n').split('\n').flatMap((line) => line.match(/^\s+cli:\s+(.*)$/)?.[1] ?? []);
  return { headline: head.split('\n'), cliFixes: [...new Set(cliFixes)] };
}

/** A failed check: its message is the whole story, so reports show no stack trace. */
export class CheckFailure extends PlainError {
  override name = 'CheckFailure';
  constructor(
    readonly check: CheckInfo,
    readonly findings: Finding[],
  ) {
    super(failureMessage(check, findings));
  }
}
