// How findings read in the reports (CHECKS.md section 4).
//
// - The failure message (HTML step error, console, JUnit): the check and its severity, one line
//   per offender, then the CLI fixes. Short enough for a CI log.
// - The offender report (a log attachment under the step in the HTML report, and the JUnit test
//   case's output): a table of offenders (workload, resource, AZ, what is wrong), then for each
//   the expected state, why it matters, the console path and the CLI command.
// - The outcome record (JSON, attached by an After hook): what the console summary and the JUnit
//   report group by workload, without parsing text.
import type { CheckId } from './checks/ids';
import { atLeast, SEVERITIES, type Check, type Finding, type Kind, type Severity } from './checks/finding';
import type { Inventory } from './inventory/model';
import type { WaiverStatus } from './waivers';
import { PlainError } from './errors';
import { parseArn } from './util/arn';

export interface ReviewedFinding {
  finding: Finding;
  /** What it is reported as: critical for a start failure, else the scenario's severity tag or the check's own. */
  severity: Severity;
  waiver?: WaiverStatus;
  /** With a baseline (PREFLIGHT_BASELINE): whether its run found it too; with PREFLIGHT_FAIL_ON_NEW_ONLY such a finding does not fail the run. */
  inBaseline?: boolean;
}

/**
 * failed: an offender at or above the run's threshold fails the scenario; below threshold: every
 * offender is below PREFLIGHT_FAIL_ON, reported only; warning: @warning, reported only; waived:
 * every offender has a waiver in force.
 */
export type Verdict = 'failed' | 'below threshold' | 'warning' | 'waived';

/** What one check step found, as every report shows it. */
export interface CheckOutcome {
  checkId: CheckId;
  title: string;
  /** The most severe of its findings. */
  severity: Severity;
  /** The threshold the run fails at (PREFLIGHT_FAIL_ON). */
  failOn: Severity;
  scope: string;
  verdict: Verdict;
  findings: ReviewedFinding[];
  /** PREFLIGHT_FAIL_ON_NEW_ONLY: only findings the baseline did not have fail the run. */
  newOnly?: boolean;
  /** The account-region the findings are of. */
  account?: string;
  region?: string;
}

/** The media type and file name of the outcome records a scenario attaches. */
export const OUTCOMES_MEDIA_TYPE = 'application/json';
export const OUTCOMES_FILE_NAME = 'ecs-preflight-findings.json';

export function outcomeOf(check: Pick<Check, 'id' | 'title'>, scope: string, findings: ReviewedFinding[], options: { warningOnly: boolean; failOn: Severity; newOnly?: boolean }): CheckOutcome {
  const unwaived = findings.filter((f) => f.waiver?.kind !== 'waived');
  const failing = unwaived.filter((f) => counts(f, options));
  const verdict: Verdict = unwaived.length === 0 ? 'waived' : options.warningOnly ? 'warning' : failing.length === 0 ? 'below threshold' : 'failed';
  const severity = SEVERITIES.find((s) => findings.some((f) => f.severity === s)) ?? 'low';
  return { checkId: check.id, title: check.title, severity, failOn: options.failOn, ...(options.newOnly ? { newOnly: true } : {}), scope, verdict, findings };
}

/** Whether an unwaived finding fails the run: at or above the threshold, and new when only new ones count. */
function counts(f: ReviewedFinding, options: { failOn: Severity; newOnly?: boolean }): boolean {
  return atLeast(f.severity, options.failOn) && !(options.newOnly && f.inBaseline);
}

/** Offenders that count against the scenario: those without a waiver in force, at or above the threshold (and new, with PREFLIGHT_FAIL_ON_NEW_ONLY). */
export function failingFindings(outcome: CheckOutcome): ReviewedFinding[] {
  return outcome.findings.filter((f) => countsAgainst(outcome, f));
}

/**
 * Whether one offender of the outcome is among its failingFindings, without listing them: asking
 * `failingFindings(outcome).includes(f)` of each offender made every report quadratic in them (a
 * 2,000-service check with 2,000 offenders built 2,000 lists of 2,000).
 */
export function countsAgainst(outcome: CheckOutcome, f: ReviewedFinding): boolean {
  return f.waiver?.kind !== 'waived' && counts(f, { failOn: outcome.failOn ?? 'low', newOnly: outcome.newOnly });
}

/** "start · critical": what a finding claims and how severe it is. */
export function kindLabel(finding: { kind: Kind }, severity: Severity): string {
  return `${finding.kind} · ${severity}`;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "(waiver expired 2026-01-31: <reason>)" after an offender whose waiver no longer holds. */
export function waiverNote(waiver: WaiverStatus | undefined): string {
  if (!waiver) return '';
  return waiver.kind === 'expired'
    ? ` [waiver expired on ${waiver.waiver.expires}: ${waiver.waiver.reason}]`
    : ` [waived until ${waiver.waiver.expires}: ${waiver.waiver.reason}]`;
}

/** The headline, one line per offender with its kind and severity, then each distinct CLI fix. */
export function failureMessage(check: Pick<Check, 'id' | 'title'>, severity: Severity, findings: ReviewedFinding[]): string {
  const lines = [`${check.id} failed (${severity}): ${check.title} — ${count(findings.length, 'offender')}`];
  for (const { finding, severity: s, waiver, inBaseline } of findings) {
    const change = inBaseline === undefined ? '' : inBaseline ? ' · still failing' : ' · new';
    lines.push(`  - [${kindLabel(finding, s)}${change}] ${finding.workload}: ${finding.problem}${waiverNote(waiver)}`);
    for (const line of finding.evidence ?? []) lines.push(`      ${line}`);
  }
  for (const cli of new Set(findings.map((f) => f.finding.fix.cli))) lines.push(`fix: ${cli}`);
  return lines.join('\n');
}

/** The offender lines of a failure message (what the console and JUnit show), without their evidence lines, and its CLI fixes. */
export function summaryOf(message: string): { headline: string[]; cliFixes: string[] } {
  const lines = message.split('\n');
  // The evidence under an offender (EVD-01) stays in the full message, not in the one-line-per-offender summary.
  const headline = lines.filter((l) => !l.startsWith('fix: ') && !/^ +evidence: /.test(l));
  const cliFixes = lines.flatMap((l) => (l.startsWith('fix: ') ? [l.slice('fix: '.length)] : []));
  return { headline, cliFixes };
}

/** A failed check: its message is the whole story, so reports show no stack trace. */
export class CheckFailure extends PlainError {
  override name = 'CheckFailure';
  constructor(
    readonly outcome: CheckOutcome,
    /** What the check could not evaluate besides (scheduled tasks AWS would not list): said after the offenders. */
    notEvaluated?: string,
  ) {
    const failing = failingFindings(outcome);
    const reported = outcome.findings.filter((f) => f.waiver?.kind !== 'waived' && !countsAgainst(outcome, f)).length;
    const message = failureMessage({ id: outcome.checkId, title: outcome.title }, SEVERITIES.find((s) => failing.some((f) => f.severity === s)) ?? outcome.severity, failing);
    // The headline says what else the log holds, so "1 offender" here and "2 offenders" there agree.
    const headed = reported ? message.replace(/\n|$/, ` (and ${reported} more below PREFLIGHT_FAIL_ON, reported in the log)$&`) : message;
    super(notEvaluated ? headed.replace(/(\nfix: |$)/, `\n  not evaluated: ${notEvaluated}$1`) : headed);
  }
}

const VERDICT_LINE: Record<Verdict, string> = {
  failed: 'FAILED',
  'below threshold': 'REPORTED — below the failure threshold of the run (PREFLIGHT_FAIL_ON), not failing it',
  warning: 'WARNING — reported, not failing the run (@warning)',
  waived: 'WAIVED — every offender has a waiver in force',
};

/**
 * The offender report: a table of offenders, then how to fix each. Plain monospaced text, so it
 * reads the same in the HTML report (where it shows inline under the step) and in a CI log.
 */
export function offenderReport(outcome: CheckOutcome, inv: Inventory): string {
  const { findings } = outcome;
  const lines = [
    `${outcome.checkId} · ${outcome.severity} · ${outcome.newOnly && outcome.verdict === 'below threshold' ? 'REPORTED — below PREFLIGHT_FAIL_ON or already in the baseline (PREFLIGHT_FAIL_ON_NEW_ONLY), not failing the run' : VERDICT_LINE[outcome.verdict]} · ${count(findings.length, 'offender')}`,
    `${outcome.title}`,
    `Scope: ${outcome.scope}`,
    '',
    ...table(
      ['#', 'kind', 'workload', 'resource', 'AZ', 'what is wrong'],
      [2, 19, 26, 22, 15, 30],
      findings.map((reviewed, i) => [
        String(i + 1),
        `${kindLabel(reviewed.finding, reviewed.severity)}${outcome.verdict === 'failed' && reviewed.waiver?.kind !== 'waived' && !countsAgainst(outcome, reviewed) ? ' (reported, not failing)' : ''}`,
        reviewed.finding.workload,
        shortResource(reviewed.finding.resourceIds[0] ?? ''),
        zonesOf(reviewed.finding, inv).join(' ') || '–',
        `${waiverLabel(reviewed.waiver)}${reviewed.finding.problem}`,
      ]),
    ),
    '',
    'How to fix',
  ];
  findings.forEach(({ finding, waiver }, i) => {
    lines.push(
      '',
      `${String(i + 1).padStart(2)}  ${finding.resourceIds[0] ?? finding.workload}`,
      ...(waiver ? labelled('waiver', waiverDetail(waiver)) : []),
      ...labelled('expected', finding.expected),
      ...labelled('why', finding.impact),
      ...(finding.evidence ?? []).flatMap((line) => labelled('evidence', line.replace(/^evidence: /, ''))),
      ...labelled('console', finding.fix.console),
      // The command stays on one line so that it copies whole.
      `    ${'cli'.padEnd(9)} ${finding.fix.cli}`,
    );
  });
  return lines.join('\n');
}

/** An ARN by its resource part ("service/prod/api"), so that the column stays readable; the fix section has it whole. */
function shortResource(id: string): string {
  return parseArn(id)?.resource ?? id;
}

function waiverLabel(waiver: WaiverStatus | undefined): string {
  if (!waiver) return '';
  return waiver.kind === 'waived' ? `[WAIVED until ${waiver.waiver.expires}] ` : `[WAIVER EXPIRED ${waiver.waiver.expires}] `;
}

function waiverDetail(waiver: WaiverStatus): string {
  return waiver.kind === 'waived'
    ? `waived until ${waiver.waiver.expires}: ${waiver.waiver.reason}`
    : `EXPIRED on ${waiver.waiver.expires}, so this fails again: ${waiver.waiver.reason}`;
}

function labelled(label: string, text: string): string[] {
  return wrap(text, 96).map((line, i) => `    ${(i === 0 ? label : '').padEnd(9)} ${line}`);
}

/** The availability zones a finding is about: those of the subnets it names, and any zone it names itself. */
export function zonesOf(finding: Finding, inv: Inventory): string[] {
  const zones = finding.resourceIds.flatMap((id) => inv.subnets.get(id)?.availabilityZone ?? (/^[a-z]{2}(?:-[a-z]+)+-\d[a-z]$/.test(id) ? [id] : []));
  return [...new Set(zones)].sort();
}

/** A plain-text table whose cells wrap within their column. */
export function table(header: string[], widths: number[], rows: string[][]): string[] {
  const render = (cells: string[][]) => {
    const height = Math.max(...cells.map((c) => c.length));
    return Array.from({ length: height }, (_, line) =>
      cells
        .map((c, col) => (c[line] ?? '').padEnd(widths[col]))
        .join('  ')
        .trimEnd(),
    );
  };
  return [
    ...render(header.map((h) => [h])),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.flatMap((row) => render(row.map((cell, col) => wrap(cell, widths[col])))),
  ];
}

/** Breaks text into lines of at most `width` characters, at spaces, else after a "/", "," or ":", else anywhere. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    while (rest.length > 0) {
      const room = width - (line ? line.length + 1 : 0);
      if (rest.length <= room) {
        line = line ? `${line} ${rest}` : rest;
        rest = '';
      } else if (line) {
        lines.push(line);
        line = '';
      } else {
        const cut = Math.max(...['/', ',', ':'].map((c) => rest.lastIndexOf(c, width - 1))) + 1 || width;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}
