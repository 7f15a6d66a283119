// What the console summary and the JUnit report read from a finished scenario: its check IDs and
// severity (from its tags), what each of its check steps found (the outcome records the After hook
// attached), and its failure message.
import type { formatterHelpers } from '@cucumber/cucumber';
import type { Attachment } from '@cucumber/messages';
import { OUTCOMES_FILE_NAME, type CheckOutcome } from './report';
import { SEVERITIES } from './tags';

export interface ScenarioReport {
  name: string;
  feature: string;
  status: string;
  checkIds: string[];
  severity?: string;
  warningOnly: boolean;
  outcomes: CheckOutcome[];
  /** The failure message, when the scenario failed. */
  message?: string;
  /** Text logged by each step (the offender reports), in order. */
  logs: string[];
}

export type TestCaseAttempt = ReturnType<formatterHelpers.EventDataCollector['getTestCaseAttempts']>[number];

const CHECK_ID = /^[A-Z]+-\d+$/;

export function scenarioReport(attempt: TestCaseAttempt): ScenarioReport {
  const tags = attempt.pickle.tags.map((t) => t.name.slice(1));
  const attachments: Attachment[] = attempt.testCase.testSteps.flatMap((step) => attempt.stepAttachments[step.id] ?? []);
  const outcomes = attachments.filter((a) => a.fileName === OUTCOMES_FILE_NAME).flatMap((a) => (JSON.parse(decode(a)) as { outcomes: CheckOutcome[] }).outcomes);
  const logs = attachments.filter((a) => a.mediaType === 'text/x.cucumber.log+plain').map(decode);
  const { status, message } = attempt.worstTestStepResult;
  return {
    name: attempt.pickle.name,
    feature: attempt.gherkinDocument.feature?.name ?? attempt.pickle.uri,
    status,
    checkIds: tags.filter((t) => CHECK_ID.test(t)),
    severity: outcomes[0]?.severity ?? SEVERITIES.find((s) => tags.includes(s)),
    warningOnly: tags.includes('warning'),
    outcomes,
    message: message || undefined,
    logs,
  };
}

function decode(attachment: Attachment): string {
  return attachment.contentEncoding === 'BASE64' ? Buffer.from(attachment.body, 'base64').toString('utf8') : attachment.body;
}

/** The workloads a finding names: one, or several sharing one offending resource ("a, b"). */
export function workloadsOf(workload: string): string[] {
  return workload.split(', ');
}
