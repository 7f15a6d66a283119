// reports/results.json: the run as data (support/results.ts, docs/RESULTS.md). One entry per
// finding, whichever scenarios found it; against PREFLIGHT_BASELINE, each marked new or still
// failing, and the baseline's findings this run fixed listed.
import path from 'node:path';
import { ReportFile } from './report-file';
import { countsAgainst, summaryOf } from './report';
import { scenarioReport, type TestCaseAttempt } from './report-data';
import { baselineFor, compareWithBaseline, fingerprintOf, readBaseline, RESULTS_SCHEMA, RESULTS_VERSION, type ResultFinding, type Results, type UnevaluatedResult, type UnevaluatedScenario } from './results';
import type { Severity } from './checks/finding';

export default class ResultsReport extends ReportFile {
  static override readonly documentation = 'reports/results.json: every finding with a stable fingerprint, new/still/fixed against PREFLIGHT_BASELINE';

  protected override render(): string {
    return `${JSON.stringify(collectResults(this.eventDataCollector.getTestCaseAttempts()), null, 2)}\n`;
  }
}

/** The run's results from Cucumber's test case attempts: what results.json, the console and JUnit say. */
export function collectResults(attempts: readonly TestCaseAttempt[]): Results {
  const now = new Date().toISOString();
  const byFingerprint = new Map<string, ResultFinding>();
  const unevaluated = new Map<string, UnevaluatedResult>();
  const evaluated = new Map<string, { account: string; region: string; checkIds: Set<string> }>();
  const unevaluatedScenarios: UnevaluatedScenario[] = [];
  let failOn: Severity = 'high';
  for (const attempt of attempts.filter((a) => !a.willBeRetried)) {
    const report = scenarioReport(attempt);
    const scenario = `${attempt.pickle.uri}: ${report.name}`;
    // Failed without any check's verdict: nothing was found, and nothing passed.
    if (report.status !== 'PASSED' && report.status !== 'SKIPPED' && report.outcomes.every((o) => o.verdict !== 'failed') && report.message) {
      unevaluatedScenarios.push({ scenario, where: report.where, checkIds: report.checkIds, reason: summaryOf(report.message).headline.join(' ').replace(/\s+/g, ' ').trim() });
    }
    for (const e of report.evaluated) {
      const key = `${e.account} ${e.region}`;
      const entry = evaluated.get(key) ?? { account: e.account, region: e.region, checkIds: new Set<string>() };
      e.checkIds.forEach((id) => entry.checkIds.add(id));
      evaluated.set(key, entry);
    }
    for (const { finding, account, region } of report.unevaluated) {
      const fingerprint = fingerprintOf(finding, account, region);
      const seen = unevaluated.get(fingerprint);
      if (seen) {
        if (!seen.scenarios.includes(scenario)) seen.scenarios.push(scenario);
        continue;
      }
      unevaluated.set(fingerprint, { fingerprint, checkId: finding.checkId, workload: finding.workload.split(', '), account, region, resources: finding.resourceIds, message: finding.problem, reason: finding.notEvaluated, ...(finding.evidence?.length ? { evidence: finding.evidence } : {}), scenarios: [scenario] });
    }
    for (const outcome of report.outcomes) {
      failOn = outcome.failOn;
      const account = outcome.account ?? 'unknown';
      const region = outcome.region ?? 'unknown';
      for (const reviewed of outcome.findings) {
        const { finding, severity, waiver } = reviewed;
        const failing = outcome.verdict === 'failed' && countsAgainst(outcome, reviewed);
        const fingerprint = fingerprintOf(finding, account, region);
        const seen = byFingerprint.get(fingerprint);
        if (seen) {
          if (!seen.scenarios.includes(scenario)) seen.scenarios.push(scenario);
          seen.failing ||= failing;
          continue;
        }
        byFingerprint.set(fingerprint, {
          fingerprint,
          checkId: finding.checkId,
          kind: finding.kind,
          severity,
          failing,
          workload: finding.workload.split(', '),
          account,
          region,
          resources: finding.resourceIds,
          message: finding.problem,
          expected: finding.expected,
          impact: finding.impact,
          fix: finding.fix,
          ...(finding.evidence?.length ? { evidence: finding.evidence } : {}),
          waiver: waiver ? { state: waiver.kind, reason: waiver.waiver.reason, expires: waiver.waiver.expires } : null,
          scenarios: [scenario],
        });
      }
    }
  }
  const evaluatedList = [...evaluated.values()].map((e) => ({ account: e.account, region: e.region, checkIds: [...e.checkIds].sort() as Results['evaluated'][number]['checkIds'] }));
  const findings = [...byFingerprint.values()];
  const notEvaluated = [...unevaluated.values()];
  const results: Results = { schema: RESULTS_SCHEMA, version: RESULTS_VERSION, generatedAt: now, failOn, evaluated: evaluatedList, findings, fixed: [], notEvaluated, unevaluatedScenarios };
  const file = baselineFor(process.env.PREFLIGHT_BASELINE, {}, false);
  if (!file) return results;
  let baseline: Results;
  try {
    baseline = readBaseline(path.resolve(file));
  } catch {
    return results; // a broken baseline stopped the run already, with its one line
  }
  const compared = compareWithBaseline(findings, evaluatedList, baseline, now);
  // A baseline finding this run could not evaluate is not known to be fixed.
  const fixed = compared.fixed.filter((f) => !unevaluated.has(f.fingerprint));
  return { ...results, ...compared, fixed, baseline: { file, generatedAt: baseline.generatedAt } };
}
