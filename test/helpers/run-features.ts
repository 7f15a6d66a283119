// Runs given feature files (written to a temporary folder, or existing ones) through Cucumber's
// JavaScript API against one account, with waivers and "today" as world parameters, and returns
// each scenario's verdict, failure message and attachments, plus whatever the formatters wrote.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfiguration, runCucumber, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import type { Attachment, Envelope } from '@cucumber/messages';

export interface ScenarioRun {
  status: string;
  message?: string;
  attachments: Attachment[];
  /** Text of the log attachments (offender reports, "passed for …" lines). */
  logs: string[];
}

export interface RunOptions {
  account: string;
  waivers?: string;
  today?: string;
  /** PREFLIGHT_FAIL_ON for this run; high (the default) unless given, whatever the environment says. */
  failOn?: 'critical' | 'high' | 'medium' | 'low';
  /** Formatters writing to files: { '/tmp/x.xml': './support/junit-report.ts' }. */
  files?: Record<string, string>;
  /** The stdout formatter, and a stream to capture it (a fake terminal for the progress line). */
  stdout?: { formatter: string; stream: PassThrough };
}

let support: ISupportCodeLibrary | undefined;

/** Writes each { name: text } as a feature file in a fresh folder and returns their paths. */
export function featureFiles(files: Record<string, string>): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-features-'));
  return Object.entries(files).map(([name, text]) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  });
}

export async function runFeatures(paths: string[], options: RunOptions): Promise<{ success: boolean; scenarios: Map<string, ScenarioRun> }> {
  const worldParameters = {
    target: { mode: 'replay', account: options.account },
    ...(options.waivers ? { waivers: options.waivers } : {}),
    ...(options.today ? { today: options.today } : {}),
    failOn: options.failOn ?? 'high',
  };
  const { runConfiguration } = await loadConfiguration({ provided: { paths, worldParameters, format: [] } });
  const pickleNames = new Map<string, string>();
  const testCasePickles = new Map<string, string>();
  const started = new Map<string, string>();
  const scenarios = new Map<string, ScenarioRun>();
  const onMessage = (envelope: Envelope) => {
    if (envelope.pickle) pickleNames.set(envelope.pickle.id, envelope.pickle.name);
    if (envelope.testCase) testCasePickles.set(envelope.testCase.id, envelope.testCase.pickleId);
    if (envelope.testCaseStarted) {
      const name = pickleNames.get(testCasePickles.get(envelope.testCaseStarted.testCaseId)!)!;
      started.set(envelope.testCaseStarted.id, name);
      scenarios.set(name, { status: 'PASSED', attachments: [], logs: [] });
    }
    if (envelope.attachment?.testCaseStartedId) {
      const run = scenarios.get(started.get(envelope.attachment.testCaseStartedId)!)!;
      run.attachments.push(envelope.attachment);
      if (envelope.attachment.mediaType === 'text/x.cucumber.log+plain') run.logs.push(envelope.attachment.body);
    }
    const finished = envelope.testStepFinished;
    if (finished && finished.testStepResult.status !== 'PASSED') {
      const run = scenarios.get(started.get(finished.testCaseStartedId)!)!;
      if (run.status === 'PASSED') {
        run.status = finished.testStepResult.status;
        run.message = finished.testStepResult.message;
      }
    }
  };
  const quiet = new PassThrough();
  quiet.resume();
  const result = await runCucumber(
    {
      ...runConfiguration,
      support: support ?? runConfiguration.support,
      formats: { ...runConfiguration.formats, stdout: options.stdout?.formatter ?? 'summary', files: options.files ?? {} },
    },
    { stdout: options.stdout?.stream ?? quiet, stderr: quiet },
    onMessage,
  );
  support = result.support;
  return { success: result.success, scenarios };
}
