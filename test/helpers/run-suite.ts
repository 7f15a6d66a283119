// Runs the feature files through Cucumber's JavaScript API against one account and returns
// each scenario's verdict and failure message, as the reports would show them.
import { PassThrough } from 'node:stream';
import { loadConfiguration, runCucumber, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import type { Envelope } from '@cucumber/messages';

export interface ScenarioResult {
  status: string;
  message?: string;
  /** What its steps logged: notes, offender reports (including findings reported below the threshold). */
  logs: string[];
}

let support: ISupportCodeLibrary | undefined;

/** The feature files this repository ships and the suite tests hold to their expectations. */
export const SHIPPED_FEATURES = 'features/*.feature';

export async function runSuite(
  account: string,
  files: Record<string, string> = {},
  parameters: Record<string, unknown> = {},
  cwd = process.cwd(),
): Promise<{ success: boolean; scenarios: Map<string, ScenarioResult> }> {
  // The shipped feature files only: a team's own files in a folder under features/ are theirs (docs/GUIDE.md §2).
  const { runConfiguration } = await loadConfiguration(
    { provided: { paths: [SHIPPED_FEATURES], worldParameters: { target: { mode: 'replay', account }, failOn: 'high', ...parameters }, format: [] } },
    { cwd },
  );
  const pickleNames = new Map<string, string>();
  const testCasePickles = new Map<string, string>();
  const startedCases = new Map<string, string>();
  const scenarios = new Map<string, ScenarioResult>();
  const onMessage = (envelope: Envelope) => {
    if (envelope.pickle) pickleNames.set(envelope.pickle.id, envelope.pickle.name);
    if (envelope.testCase) testCasePickles.set(envelope.testCase.id, envelope.testCase.pickleId);
    if (envelope.testCaseStarted) {
      const name = pickleNames.get(testCasePickles.get(envelope.testCaseStarted.testCaseId)!)!;
      startedCases.set(envelope.testCaseStarted.id, name);
      if (scenarios.has(name)) throw new Error(`two scenarios are named "${name}": names must tell scenarios apart`);
      scenarios.set(name, { status: 'PASSED', logs: [] });
    }
    const attachment = envelope.attachment;
    if (attachment?.testCaseStartedId && attachment.mediaType === 'text/x.cucumber.log+plain') {
      scenarios.get(startedCases.get(attachment.testCaseStartedId)!)?.logs.push(attachment.body);
    }
    const finished = envelope.testStepFinished;
    if (finished && finished.testStepResult.status !== 'PASSED') {
      const result = scenarios.get(startedCases.get(finished.testCaseStartedId)!)!;
      if (result.status === 'PASSED') {
        result.status = finished.testStepResult.status;
        result.message = finished.testStepResult.message;
      }
    }
  };
  const quiet = new PassThrough();
  quiet.resume();
  const result = await runCucumber(
    { ...runConfiguration, support: support ?? runConfiguration.support, formats: { ...runConfiguration.formats, stdout: 'summary', files } },
    { cwd, stdout: quiet, stderr: quiet },
    onMessage,
  );
  support = result.support;
  return { success: result.success, scenarios };
}
