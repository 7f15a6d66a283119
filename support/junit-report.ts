// The JUnit report for CI. Test cases are named "<check ID>: <scenario>". A failed check's
// <failure message> is its headline (naming the resources to change) and one line per offender,
// which is what CI lists; its body adds the CLI fixes; a scenario that could not be evaluated is an
// <error>. The test case's <system-out> carries the detail: each step's verdict, then the offender
// report (resource, zone, expected state, why it matters, console path and CLI command). Findings
// that do not fail the run (@warning, waived, below PREFLIGHT_FAIL_ON) make a <skipped> case that
// says so, not a plain pass. Cucumber's own junit formatter has no place for the detail, hence this one.
import type { IFormatterOptions } from '@cucumber/cucumber';
import { ReportFile } from './report-file';
import type { Envelope, GherkinDocument, TestStepResult } from '@cucumber/messages';
import { summaryOf, type CheckOutcome } from './report';
import { scenarioReport, stepExpressions, undefinedStepLines, type TestCaseAttempt } from './report-data';
import { describeProblem, FeatureProblems, type FeatureProblem } from './feature-problems';
import { collectResults } from './results-report';
import { escapeXml } from './util/xml';

export default class JunitReport extends ReportFile {
  static override readonly documentation = 'JUnit XML: one line per offender in the failure message, the detail in the test case output';

  private readonly suiteName: string;
  private readonly problems = new FeatureProblems();

  constructor(options: IFormatterOptions) {
    super(options);
    this.suiteName = (options.parsedArgvOptions.junit as { suiteName?: string } | undefined)?.suiteName ?? 'ecs-preflight';
  }

  protected override onEnvelope(envelope: Envelope): void {
    this.problems.onEnvelope(envelope);
  }

  protected override render(): string {
    return this.xml();
  }

  private xml(): string {
    const attempts = this.eventDataCollector.getTestCaseAttempts().filter((a) => !a.willBeRetried);
    const expressions = stepExpressions(this.supportCodeLibrary);
    const cases = [...this.problems.found.map(problemCase), ...attempts.map((a) => testCase(a, expressions))];
    const count = (kind: Case['kind']) => cases.filter((c) => c.kind === kind).length;
    const time = cases.reduce((t, c) => t + c.seconds, 0);
    // Against a baseline, the same counts the console gives: new, still failing, fixed.
    const results = process.env.PREFLIGHT_BASELINE ? collectResults(attempts) : undefined;
    const properties = results?.baseline
      ? [
          '  <properties>',
          `    <property name="ecs-preflight.baseline" value="${attr(results.baseline.generatedAt)}"/>`,
          `    <property name="ecs-preflight.new" value="${results.findings.filter((f) => f.change === 'new').length}"/>`,
          `    <property name="ecs-preflight.still-failing" value="${results.findings.filter((f) => f.change === 'still').length}"/>`,
          `    <property name="ecs-preflight.fixed" value="${results.fixed.length}"/>`,
          '  </properties>',
        ]
      : [];
    return [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<testsuite name="${attr(this.suiteName)}" tests="${cases.length}" failures="${count('failure')}" skipped="${count('skipped')}" errors="${count('error')}" time="${time.toFixed(3)}">`,
      ...properties,
      ...cases.map((c) => c.xml),
      '</testsuite>',
      '',
    ].join('\n');
  }
}

/**
 * failure: a check found offenders that fail the run; error: the scenario could not be evaluated
 * (bad input, a denied read, a step that matches nothing); skipped: not run, or it found only what
 * does not fail the run (@warning, waived, below PREFLIGHT_FAIL_ON), which CI should not show as a
 * plain pass.
 */
interface Case {
  xml: string;
  kind: 'passed' | 'failure' | 'error' | 'skipped';
  seconds: number;
}

function testCase(attempt: TestCaseAttempt, expressions: readonly string[]): Case {
  const report = scenarioReport(attempt);
  const results = attempt.testCase.testSteps.map((s) => attempt.stepResults[s.id]).filter(Boolean);
  const seconds = results.reduce((t, r) => t + durationSeconds(r), 0);
  const worst = attempt.worstTestStepResult;
  const failed = worst.status !== 'PASSED' && worst.status !== 'SKIPPED';
  const type = worst.exception?.type ?? worst.status.toLowerCase();
  const reportedOnly = worst.status === 'PASSED' && report.outcomes.length > 0;
  const kind: Case['kind'] = failed ? (type === 'CheckFailure' ? 'failure' : 'error') : worst.status === 'SKIPPED' || reportedOnly ? 'skipped' : 'passed';
  // The check ID leads the name: titles are edited, the ID is what a trend is tracked by.
  const name = report.checkIds.length ? `${report.checkIds.join(' ')}: ${report.name}` : report.name;
  const [file, line] = report.where.split(/:(?=[^:]*$)/);
  const lines = [`  <testcase classname="${attr(report.feature)}" name="${attr(name)}" file="${attr(file)}" line="${attr(line)}" time="${seconds.toFixed(3)}">`];
  if (failed) {
    const undefinedLines = undefinedStepLines(report, expressions);
    const message = worst.message ?? (undefinedLines.length ? undefinedLines.join('\n') : worst.status.toLowerCase());
    const headline = summaryOf(message).headline;
    // The first line names what to change, so a CI list of failures reads as a list of resources.
    const resources = [...new Set(report.outcomes.flatMap((o) => o.findings.filter((f) => f.waiver?.kind !== 'waived').map((f) => f.finding.resourceIds[0])).filter(Boolean))];
    const first = resources.length ? `${headline[0]} [${resources.slice(0, 5).join(', ')}${resources.length > 5 ? ', …' : ''}]` : headline[0];
    const tag = kind === 'failure' ? 'failure' : 'error';
    lines.push(`    <${tag} type="${attr(type)}" message="${attr([first, ...headline.slice(1)].join('\n'))}">${cdata(message)}</${tag}>`);
  }
  if (worst.status === 'SKIPPED') {
    const why = report.logs.find((l) => l.startsWith('skipped: '))?.slice('skipped: '.length) ?? 'not run: an earlier scenario stopped the run';
    lines.push(`    <skipped message="${attr(why)}"/>`);
  }
  else if (reportedOnly) lines.push(`    <skipped message="${attr(reportedReason(report.outcomes))}"/>`);
  const about = [report.checkIds.join(' '), report.severity && `severity ${report.severity}`, report.warningOnly && '@warning: findings are reported, the run does not fail'].filter(Boolean).join(' · ');
  const output = [...(about ? [about, ''] : []), ...stepLines(attempt), ...report.logs.flatMap((log) => ['', log])].join('\n');
  lines.push(`    <system-out>${cdata(output)}</system-out>`, '  </testcase>');
  return { xml: lines.join('\n'), kind, seconds };
}

/** A feature file that could not run: an error case named after the file and line. */
function problemCase(p: FeatureProblem): Case {
  const name = `${p.file}${p.line ? `:${p.line}` : ''}`;
  return {
    kind: 'error',
    seconds: 0,
    xml: [`  <testcase classname="feature files" name="${attr(name)}" time="0.000">`, `    <error type="FeatureFileError" message="${attr(describeProblem(p))}"/>`, '  </testcase>'].join('\n'),
  };
}

/** Why a scenario with findings passed: what CI shows beside the skipped case. */
function reportedReason(outcomes: CheckOutcome[]): string {
  const verdicts = new Set(outcomes.map((o) => o.verdict));
  const offenders = outcomes.reduce((n, o) => n + o.findings.length, 0);
  const why = [
    ...(verdicts.has('warning') ? ['@warning: reported, does not fail the run'] : []),
    ...(verdicts.has('below threshold') ? ['below PREFLIGHT_FAIL_ON: reported, does not fail the run'] : []),
    ...(verdicts.has('waived') ? ['every offender waived'] : []),
  ];
  return `passed with ${offenders} offender${offenders === 1 ? '' : 's'} reported (${why.join('; ')})`;
}

/** "Then every task subnet is covered by the ecr.api interface endpoint........failed", as Cucumber's JUnit report writes it. */
function stepLines(attempt: TestCaseAttempt): string[] {
  const keywords = stepKeywords(attempt.gherkinDocument);
  return attempt.testCase.testSteps.flatMap((step) => {
    if (!step.pickleStepId) return [];
    const pickleStep = attempt.pickle.steps.find((s) => s.id === step.pickleStepId)!;
    const keyword = keywords.get(pickleStep.astNodeIds[0]) ?? '';
    const status = (attempt.stepResults[step.id]?.status ?? 'UNKNOWN').toLowerCase();
    const text = `${keyword.trim()} ${pickleStep.text}`;
    return [`${text}${'.'.repeat(Math.max(2, 76 - text.length))}${status}`];
  });
}

function stepKeywords(document: GherkinDocument): Map<string, string> {
  const keywords = new Map<string, string>();
  const visit = (children: readonly { background?: { steps: readonly { id: string; keyword: string }[] }; scenario?: { steps: readonly { id: string; keyword: string }[] }; rule?: { children: readonly unknown[] } }[]) => {
    for (const child of children) {
      for (const step of [...(child.background?.steps ?? []), ...(child.scenario?.steps ?? [])]) keywords.set(step.id, step.keyword);
      if (child.rule) visit(child.rule.children as typeof children);
    }
  };
  visit(document.feature?.children ?? []);
  return keywords;
}

function durationSeconds(result: TestStepResult): number {
  return (result.duration?.seconds ?? 0) + (result.duration?.nanos ?? 0) / 1e9;
}

/** XML 1.0 allows neither most control characters nor, in CDATA, the sequence "]]>". */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '').replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '');
}

function attr(text: string): string {
  // Line breaks and tabs as references: a parser turns them into spaces otherwise.
  return escapeXml(clean(text)).replace(/[\n\r\t]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function cdata(text: string): string {
  return `<![CDATA[${clean(text).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}
