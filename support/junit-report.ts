// The JUnit report for CI. A failed check's <failure message> is its headline and one line per
// offender, which is what CI lists; its body adds the CLI fixes; the test case's <system-out>
// carries the detail: each step's verdict, then the offender report (resource, zone, expected
// state, why it matters, console path and CLI command). @warning findings and waived ones appear
// in <system-out> of a passing test case. Cucumber's own junit formatter has no place for the
// detail, hence this one.
import { Formatter, type IFormatterOptions } from '@cucumber/cucumber';
import type { Envelope, GherkinDocument, TestStepResult } from '@cucumber/messages';
import { summaryOf } from './report';
import { scenarioReport, type TestCaseAttempt } from './report-data';

export default class JunitReport extends Formatter {
  static override readonly documentation = 'JUnit XML: one line per offender in the failure message, the detail in the test case output';

  private readonly suiteName: string;

  constructor(options: IFormatterOptions) {
    super(options);
    this.suiteName = (options.parsedArgvOptions.junit as { suiteName?: string } | undefined)?.suiteName ?? 'ecs-preflight';
    options.eventBroadcaster.on('envelope', (envelope: Envelope) => {
      if (envelope.testRunFinished) this.log(this.xml());
    });
  }

  private xml(): string {
    const attempts = this.eventDataCollector.getTestCaseAttempts().filter((a) => !a.willBeRetried);
    const cases = attempts.map((a) => testCase(a));
    const failures = cases.filter((c) => c.failed).length;
    const skipped = cases.filter((c) => c.skipped).length;
    const time = cases.reduce((t, c) => t + c.seconds, 0);
    return [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<testsuite name="${attr(this.suiteName)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}" errors="0" time="${time.toFixed(3)}">`,
      ...cases.map((c) => c.xml),
      '</testsuite>',
      '',
    ].join('\n');
  }
}

function testCase(attempt: TestCaseAttempt): { xml: string; failed: boolean; skipped: boolean; seconds: number } {
  const report = scenarioReport(attempt);
  const results = attempt.testCase.testSteps.map((s) => attempt.stepResults[s.id]).filter(Boolean);
  const seconds = results.reduce((t, r) => t + durationSeconds(r), 0);
  const worst = attempt.worstTestStepResult;
  const failed = worst.status !== 'PASSED' && worst.status !== 'SKIPPED';
  const skipped = worst.status === 'SKIPPED';
  const lines = [`  <testcase classname="${attr(report.feature)}" name="${attr(report.name)}" time="${seconds.toFixed(3)}">`];
  if (failed) {
    const message = worst.message ?? worst.status.toLowerCase();
    const type = worst.exception?.type ?? worst.status.toLowerCase();
    lines.push(`    <failure type="${attr(type)}" message="${attr(summaryOf(message).headline.join('\n'))}">${cdata(message)}</failure>`);
  }
  if (skipped) lines.push('    <skipped/>');
  const about = [report.checkIds.join(' '), report.severity && `severity ${report.severity}`, report.warningOnly && '@warning: findings are reported, the run does not fail'].filter(Boolean).join(' · ');
  const output = [...(about ? [about, ''] : []), ...stepLines(attempt), ...report.logs.flatMap((log) => ['', log])].join('\n');
  lines.push(`    <system-out>${cdata(output)}</system-out>`, '  </testcase>');
  return { xml: lines.join('\n'), failed, skipped, seconds };
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
  return clean(text).replace(/[&<>"\n\r\t]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' })[c]!);
}

function cdata(text: string): string {
  return `<![CDATA[${clean(text).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}
