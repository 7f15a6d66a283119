// What the console summary and the JUnit report read from a finished scenario: its check IDs and
// severity (from its tags), what each of its check steps found (the outcome records the After hook
// attached), and its failure message.
import type { formatterHelpers } from '@cucumber/cucumber';
import type { Attachment } from '@cucumber/messages';
import { OUTCOMES_FILE_NAME, type CheckOutcome } from './report';
import type { CheckId } from './checks/ids';
import type { Finding } from './checks/finding';
import { SEVERITIES } from './tags';
import { closestStep } from './util/closest-step';

export interface ScenarioReport {
  name: string;
  /** "features/x.feature:12": the file and the line of the scenario (of its Examples row, for an outline). */
  where: string;
  feature: string;
  status: string;
  /** Failed without a verdict: bad input, a read that failed, a stopped run (JUnit's <error>), not a check that found offenders. */
  notEvaluated: boolean;
  checkIds: string[];
  severity?: string;
  warningOnly: boolean;
  outcomes: CheckOutcome[];
  /** The checks it ran in which account-region, passing or not. */
  evaluated: { account: string; region: string; checkIds: CheckId[] }[];
  /** Findings a failed read kept its checks from verifying, each with the line naming the read (Finding.notEvaluated). */
  unevaluated: UnevaluatedFinding[];
  /** The failure message, when the scenario failed. */
  message?: string;
  /** Text logged by each step (the offender reports), in order. */
  logs: string[];
  /** Steps no step definition matches: "features/x.feature:12: Then every task subnet is covred …". */
  undefinedSteps: { text: string; where: string }[];
}

/** A finding that could not be evaluated, with the account-region its check ran in. */
export interface UnevaluatedFinding {
  finding: Finding & { notEvaluated: string };
  account: string;
  region: string;
}

export type TestCaseAttempt = ReturnType<formatterHelpers.EventDataCollector['getTestCaseAttempts']>[number];

const CHECK_ID = /^[A-Z]+-\d+$/;

export function scenarioReport(attempt: TestCaseAttempt): ScenarioReport {
  const tags = attempt.pickle.tags.map((t) => t.name.slice(1));
  const attachments: Attachment[] = attempt.testCase.testSteps.flatMap((step) => attempt.stepAttachments[step.id] ?? []);
  const records = attachments
    .filter((a) => a.fileName === OUTCOMES_FILE_NAME)
    .map((a) => JSON.parse(decode(a)) as { outcomes: CheckOutcome[]; evaluated?: { account: string; region: string; checkIds: CheckId[] }; notEvaluated?: UnevaluatedFinding['finding'][] });
  const outcomes = records.flatMap((r) => r.outcomes);
  const evaluated = records.flatMap((r) => (r.evaluated ? [r.evaluated] : []));
  const unevaluated = records.flatMap((r) => (r.notEvaluated ?? []).map((finding) => ({ finding, account: r.evaluated?.account ?? 'unknown', region: r.evaluated?.region ?? 'unknown' })));
  const logs = attachments.filter((a) => a.mediaType === 'text/x.cucumber.log+plain').map(decode);
  const { status, message, exception } = attempt.worstTestStepResult;
  return {
    name: attempt.pickle.name,
    feature: attempt.gherkinDocument.feature?.name ?? attempt.pickle.uri,
    status,
    notEvaluated: status === 'FAILED' && exception?.type !== 'CheckFailure',
    checkIds: tags.filter((t) => CHECK_ID.test(t)),
    severity: outcomes[0]?.severity ?? SEVERITIES.find((s) => tags.includes(s)),
    warningOnly: tags.includes('warning'),
    outcomes,
    evaluated,
    unevaluated,
    message: message || undefined,
    logs,
    undefinedSteps: undefinedSteps(attempt),
    where: `${attempt.pickle.uri}:${scenarioLine(attempt) ?? '?'}`,
  };
}

/** One line per step that matches nothing: where it is, and the nearest step of the catalogue. */
export function undefinedStepLines(report: ScenarioReport, expressions: readonly string[]): string[] {
  return report.undefinedSteps.map(({ text, where }) => {
    const keyword = text.split(' ')[0];
    const near = closestStep(text, expressions);
    return `${where}: "${text}" matches no step${near ? `; did you mean "${keyword} ${near}"?` : ''} (every step: docs/STEPS.md)`;
  });
}

/** The patterns of the run's step definitions, as the catalogue lists them. */
export function stepExpressions(library: { stepDefinitions: { pattern: string | RegExp }[] }): string[] {
  return library.stepDefinitions.map((d) => (typeof d.pattern === 'string' ? d.pattern : d.pattern.source));
}

function scenarioLine(attempt: TestCaseAttempt): number | undefined {
  const [scenarioId, rowId] = attempt.pickle.astNodeIds;
  for (const child of attempt.gherkinDocument.feature?.children ?? []) {
    for (const scenario of [child.scenario, ...(child.rule?.children ?? []).map((r) => r.scenario)]) {
      if (scenario?.id !== scenarioId) continue;
      const row = scenario.examples.flatMap((e) => e.tableBody).find((r) => r.id === rowId);
      return (row ?? scenario).location.line;
    }
  }
  return undefined;
}

function undefinedSteps(attempt: TestCaseAttempt): { text: string; where: string }[] {
  const keywords = new Map<string, { keyword: string; line: number }>();
  const doc = attempt.gherkinDocument;
  for (const child of doc.feature?.children ?? []) {
    const steps = [...(child.background?.steps ?? []), ...(child.scenario?.steps ?? []), ...(child.rule?.children ?? []).flatMap((r) => [...(r.background?.steps ?? []), ...(r.scenario?.steps ?? [])])];
    for (const step of steps) keywords.set(step.id, { keyword: step.keyword.trim(), line: step.location.line });
  }
  return attempt.testCase.testSteps.flatMap((testStep) => {
    if (!testStep.pickleStepId || attempt.stepResults[testStep.id]?.status !== 'UNDEFINED') return [];
    const step = attempt.pickle.steps.find((s) => s.id === testStep.pickleStepId)!;
    const source = keywords.get(step.astNodeIds[0]);
    return [{ text: `${source?.keyword ?? ''} ${step.text}`.trim(), where: `${attempt.pickle.uri}:${source?.line ?? '?'}` }];
  });
}

function decode(attachment: Attachment): string {
  return attachment.contentEncoding === 'BASE64' ? Buffer.from(attachment.body, 'base64').toString('utf8') : attachment.body;
}

/** The workloads a finding names: one, or several sharing one offending resource ("a, b"). */
export function workloadsOf(workload: string): string[] {
  return workload.split(', ');
}
