// How findings read in the HTML and JUnit reports and on the console: one line per offender
// first (what CI shows), then for each offender why it matters and the fix.
import type { CheckInfo, Finding } from './checks/finding';
import { PlainError } from './errors';

export function failureMessage(check: CheckInfo, findings: Finding[]): string {
  const offenders = findings.length === 1 ? '1 offender' : `${findings.length} offenders`;
  const lines = [`${check.id} failed (${check.severity}): ${check.title} — ${offenders}`];
  for (const f of findings) lines.push(`  - ${f.workload}: ${f.problem}`);
  findings.forEach((f, i) => {
    lines.push('', `[${i + 1}] ${f.workload}: ${f.resourceIds.join(', ')}`);
    lines.push(`    expected: ${f.expected}`);
    lines.push(`    why:      ${f.impact}`);
    lines.push(`    console:  ${f.fix.console}`);
    lines.push(`    cli:      ${f.fix.cli}`);
  });
  return lines.join('\n');
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
