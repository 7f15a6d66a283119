// The console view of a run. While it runs on a terminal: one progress line. At the end: each
// scenario's verdict under its feature, then the findings grouped by workload (each offender with
// its check, severity and CLI fix), then the totals and where the full reports are.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { Formatter, type IFormatterOptions } from '@cucumber/cucumber';
import type { Envelope } from '@cucumber/messages';
import { countsAgainst, summaryOf, waiverNote, type CheckOutcome, type ReviewedFinding } from './report';
import { scenarioReport, stepExpressions, undefinedStepLines, workloadsOf, type ScenarioReport, type UnevaluatedFinding } from './report-data';
import { describeProblem, FeatureProblems } from './feature-problems';
import { collectResults } from './results-report';
import { fingerprintOf, type Results } from './results';
import { SEVERITIES } from './tags';
import { escapeXml } from './util/xml';

const MARK: Record<string, string> = { PASSED: '✔', FAILED: '✘', SKIPPED: '-', UNDEFINED: '?', AMBIGUOUS: '?', PENDING: '…' };

interface Offender {
  outcome: CheckOutcome;
  reviewed: ReviewedFinding;
}

export default class ConsoleSummary extends Formatter {
  static override readonly documentation = 'Scenario verdicts, then offenders and fixes grouped by workload; a progress line on a terminal';

  private readonly progress: boolean;
  private readonly reportFiles: string;
  private readonly pickleNames = new Map<string, string>();
  private readonly testCasePickles = new Map<string, string>();
  private started = 0;
  private summarized = false;
  /** Each finding's change against the baseline, by fingerprint: "new", "still failing since …". */
  private changes = new Map<string, string>();
  private readonly problems = new FeatureProblems();

  constructor(options: IFormatterOptions) {
    super(options);
    // A run over several targets writes each target's reports in its own folder (bin/run-targets.ts says where).
    const dir = process.env.PREFLIGHT_REPORTS_DIR || 'reports';
    // The summary page first: it is the one to open (README).
    this.reportFiles = ((options.parsedArgvOptions as { reports?: string[] }).reports ?? [`${dir}/index.html`, `${dir}/cucumber.html`, `${dir}/junit.xml`]).join(', ');
    // Only a terminal can redraw a line; in a CI log a progress line would be noise.
    this.progress = Boolean((options.stream as { isTTY?: boolean }).isTTY);
    options.eventBroadcaster.on('envelope', (envelope: Envelope) => {
      this.problems.onEnvelope(envelope);
      if (envelope.pickle) this.pickleNames.set(envelope.pickle.id, envelope.pickle.name);
      if (envelope.testCase) this.testCasePickles.set(envelope.testCase.id, envelope.testCase.pickleId);
      if (envelope.testCaseStarted && this.progress) this.showProgress(envelope.testCaseStarted.testCaseId);
      if (envelope.testRunFinished) {
        if (this.progress) this.log('\r\x1b[2K');
        this.printSummary();
        this.summarized = true;
      }
    });
  }

  // A feature file Gherkin cannot parse stops Cucumber before the run starts: say which and where.
  override async finished(): Promise<void> {
    if (!this.summarized) this.printProblems();
    await super.finished();
  }

  /**
   * When a feature file does not parse, Cucumber runs nothing and its HTML report stays empty or
   * cut off: once the process ends (every stream closed), such a report is replaced by a page that
   * says which file and line stopped the run.
   */
  private replaceEmptyHtmlReport(): void {
    const files = this.reportFiles.split(', ');
    const html = files.find((f) => f.endsWith('cucumber.html')) ?? files.find((f) => f.endsWith('.html') && !f.endsWith('index.html'));
    if (!html || this.problems.found.length === 0) return;
    const problems = this.problems.found.map(describeProblem);
    process.on('exit', () => {
      try {
        // Empty, or cut off: Cucumber closes the file before its HTML formatter has written when nothing runs.
        if (statSync(html).size > 0 && /<\/html>\s*$/.test(readFileSync(html, 'utf8'))) return;
      } catch {
        // no report file: nothing to replace
        return;
      }
      writeFileSync(html, problemsPage(problems));
    });
  }

  private printProblems(): void {
    if (this.problems.found.length === 0) return;
    if (!this.summarized) this.replaceEmptyHtmlReport();
    this.log('\nFeature files that could not be run\n');
    for (const p of this.problems.found) this.log(`  ✘ ${describeProblem(p)}\n`);
  }

  /** "[3/20] The ecr.dkr interface endpoint …" on one line, redrawn as each scenario starts. */
  private showProgress(testCaseId: string): void {
    this.started++;
    const name = this.pickleNames.get(this.testCasePickles.get(testCaseId) ?? '') ?? '';
    const columns = (this.stream as { columns?: number }).columns ?? 100;
    const line = `[${this.started}/${Math.max(this.testCasePickles.size, this.started)}] ${name}`;
    this.log(`\r\x1b[2K${line.length > columns - 1 ? `${line.slice(0, columns - 2)}…` : line}`);
  }

  private printSummary(): void {
    const reports = this.eventDataCollector
      .getTestCaseAttempts()
      .filter((a) => !a.willBeRetried)
      .map(scenarioReport);
    const results = collectResults(this.eventDataCollector.getTestCaseAttempts());
    this.changes = new Map(results.findings.map((f) => [f.fingerprint, f.change === 'new' ? 'new' : f.change === 'still' ? `still failing since ${f.since?.slice(0, 10)}` : '']));
    this.printScenarios(reports);
    this.printByWorkload(reports);
    this.printFixed(results);
    this.printNotes(reports);
    this.printOtherFailures(reports);
    this.printProblems();
    const counts = new Map<string, number>(['PASSED', 'FAILED'].map((s) => [s, 0]));
    // As JUnit counts them: a scenario that could not be evaluated is not a check that failed.
    for (const r of reports) {
      const status = r.notEvaluated ? 'COULD NOT BE EVALUATED' : r.status;
      counts.set(status, (counts.get(status) ?? 0) + 1);
    }
    for (const [status, n] of counts) if (n === 0) counts.delete(status);
    const warned = reports.filter((r) => r.status === 'PASSED' && r.outcomes.some((o) => o.verdict === 'warning' || o.verdict === 'below threshold')).length;
    // A scenario that failed on its findings may also have findings it could not evaluate: the count says so too.
    const failedAndUnevaluated = reports.filter((r) => r.status === 'FAILED' && !r.notEvaluated && r.unevaluated.length > 0);
    const parts = [...counts].map(([status, n]) =>
      status === 'FAILED' && failedAndUnevaluated.length
        ? `${n} failed (${failedAndUnevaluated.length === n ? (n === 1 ? 'it also has' : 'each also has') : `${failedAndUnevaluated.length} of them also ${failedAndUnevaluated.length === 1 ? 'has' : 'have'}`} findings that could not be evaluated)`
        : `${n} ${status.toLowerCase()}`,
    );
    if (warned) parts.push(`${warned} passed with findings reported below the failure threshold or @warning`);
    const total = reports.length;
    this.log(`\n${total} scenario${total === 1 ? '' : 's'}${total ? `: ${parts.join(', ')}` : ' selected'}. Full reports: ${this.reportFiles}\n`);
  }

  /**
   * Notes about the account, once for the run: subnets running tasks still use, what a check leaves
   * out (IMG-01: other registries, images a pull through cache rule fetches). Not the scheduled tasks
   * AWS would not list: the scenario's failure says so already.
   */
  private printNotes(reports: ScenarioReport[]): void {
    const notes = [...new Set(reports.flatMap((r) => r.logs.filter((l) => l.startsWith('note: ') && !l.startsWith('note: only the services are checked here: '))))];
    if (notes.length === 0) return;
    this.log('\nNotes\n');
    for (const note of notes) this.log(`  ${note.slice('note: '.length)}\n`);
  }

  /** With a baseline: what it had that this run no longer finds. */
  private printFixed(results: Results): void {
    if (!results.baseline) return;
    const news = results.findings.filter((f) => f.change === 'new').length;
    this.log(`\nSince the baseline of ${results.baseline.generatedAt.slice(0, 10)}: ${news} new, ${results.findings.length - news} still failing, ${results.fixed.length} fixed\n`);
    for (const f of results.fixed) this.log(`  ✔ ${f.checkId} fixed  ${f.workload.join(', ')}: ${f.message}\n`);
  }

  private printScenarios(reports: ScenarioReport[]): void {
    let feature: string | undefined;
    for (const r of reports) {
      if (r.feature !== feature) this.log(`${feature === undefined ? '' : '\n'}${r.feature}\n`);
      feature = r.feature;
      const warning = r.status === 'PASSED' && r.outcomes.some((o) => o.verdict === 'warning' || o.verdict === 'below threshold');
      const mark = warning ? '⚠' : (MARK[r.status] ?? r.status);
      const label = [r.checkIds.join(' '), r.severity].filter(Boolean).join(' ');
      this.log(`  ${mark} ${label ? `${label}  ` : ''}${r.name}${noteOf(r)}\n`);
      for (const line of undefinedStepLines(r, stepExpressions(this.supportCodeLibrary))) this.log(`      ${line}\n`);
      const skipped = r.status === 'SKIPPED' ? r.logs.find((l) => l.startsWith('skipped: ')) : undefined;
      if (skipped) this.log(`      ${skipped}\n`);
      for (const line of unevaluatedLines(r)) this.log(`      ${line}\n`);
    }
  }

  /** Every offender under each workload it concerns: what to change for one service, in one place. */
  private printByWorkload(reports: ScenarioReport[]): void {
    const byWorkload = new Map<string, Offender[]>();
    const seen = new Set<string>();
    for (const outcome of reports.flatMap((r) => r.outcomes)) {
      for (const reviewed of outcome.findings) {
        for (const workload of workloadsOf(reviewed.finding.workload)) {
          // Two scenarios stating the same check over overlapping scopes find the same offender: list it once.
          const key = `${workload}\n${outcome.checkId}\n${reviewed.finding.problem}`;
          if (seen.has(key)) continue;
          seen.add(key);
          byWorkload.set(workload, [...(byWorkload.get(workload) ?? []), { outcome, reviewed }]);
        }
      }
    }
    // What a failed read kept a check from verifying, under the workloads it concerns, after what was found.
    const unevaluated = new Map<string, UnevaluatedFinding[]>();
    for (const item of reports.flatMap((r) => r.unevaluated)) {
      for (const workload of workloadsOf(item.finding.workload)) {
        const key = `${workload}\n${item.finding.checkId}\n${item.finding.problem}`;
        if (seen.has(key)) continue;
        seen.add(key);
        unevaluated.set(workload, [...(unevaluated.get(workload) ?? []), item]);
        if (!byWorkload.has(workload)) byWorkload.set(workload, []);
      }
    }
    if (byWorkload.size === 0) return;
    this.log('\nFindings by workload\n');
    for (const [workload, offenders] of [...byWorkload].sort(([a], [b]) => a.localeCompare(b))) {
      const failing = offenders.filter(isFailing);
      const checks = new Set(failing.map((o) => o.outcome.checkId));
      const waived = offenders.filter((o) => o.reviewed.waiver?.kind === 'waived').length;
      const reported = offenders.length - failing.length - waived;
      const unverified = [...(unevaluated.get(workload) ?? [])];
      const tally = [
        failing.length ? `${plural(failing.length, 'offender')} failing ${plural(checks.size, 'check')}` : 'nothing failing',
        ...(reported ? [`${reported} reported, not failing`] : []),
        ...(waived ? [`${waived} waived`] : []),
        ...(unverified.length ? [`${unverified.length} could not be evaluated`] : []),
      ].join(', ');
      this.log(`\n${workload}: ${tally}\n`);
      // After what fails the run, before what is only reported: each could be a start failure nobody has verified.
      const sayUnverified = () => {
        for (const { finding } of unverified.splice(0)) {
          this.log(`  ? ${finding.checkId} could not be evaluated  ${finding.problem}\n`);
          this.log(`      because ${finding.notEvaluated}\n`);
          for (const evidence of (finding.evidence ?? []).slice(0, 1)) this.log(`      ${evidence}\n`);
        }
      };
      let previousFix: string | undefined;
      for (const { outcome, reviewed } of offenders.sort(byUrgency)) {
        const waived = reviewed.waiver?.kind === 'waived';
        const failing = isFailing({ outcome, reviewed });
        if (!failing && unverified.length) {
          sayUnverified();
          previousFix = undefined;
        }
        const mark = waived ? '◌' : failing ? '✘' : '⚠';
        const change = this.changes.get(fingerprintOf(reviewed.finding, outcome.account ?? 'unknown', outcome.region ?? 'unknown'));
        const label = `${reviewed.finding.kind} · ${reviewed.severity}${change ? `, ${change}` : ''}${waived ? ', waived' : failing ? '' : outcome.verdict === 'warning' ? ', @warning' : ', below PREFLIGHT_FAIL_ON'}`;
        this.log(`  ${mark} ${outcome.checkId} ${label}  ${reviewed.finding.problem}${waiverNote(reviewed.waiver)}\n`);
        // The newest evidence only: the reports list each (EVD-01).
        const [evidence, ...more] = (reviewed.finding.evidence ?? []).filter((l) => !l.startsWith('evidence: and '));
        if (evidence) this.log(`      ${more.length ? evidence.replace(/ \(EVD-01\)$/, ` (EVD-01; ${more.length} more in the reports)`) : evidence}\n`);
        const fix = reviewed.finding.fix.cli;
        if (!waived) this.log(`      fix: ${fix === previousFix ? 'the same command as above' : fix}\n`);
        previousFix = waived ? undefined : fix;
      }
      sayUnverified();
    }
  }

  /** Failures that are not findings: a scope naming what does not exist, a mistyped word or tag, a step that matches nothing. */
  private printOtherFailures(reports: ScenarioReport[]): void {
    const others = reports.filter((r) => r.status !== 'PASSED' && r.outcomes.every((o) => o.verdict !== 'failed') && r.message);
    if (others.length === 0) return;
    this.log('\nOther failures\n');
    for (const r of others) {
      this.log(`  ${MARK[r.status] ?? r.status} ${r.name} (${r.where})\n`);
      for (const line of summaryOf(r.message!).headline) this.log(`      ${line}\n`);
    }
  }
}

/** A page that needs nothing but itself: what stopped the run, file and line. */
function problemsPage(problems: string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><title>ecs-preflight: feature files that could not be run</title>',
    '<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}li{margin:.5rem 0;font-family:monospace}h1{color:#c62828}</style></head><body>',
    '<h1>No scenario ran: feature files could not be read</h1>',
    '<p>Cucumber runs nothing while a feature file does not parse. Fix each line below (docs/GUIDE.md), then run again. Exit code 2.</p>',
    `<ul>${problems.map((p) => `<li>${escapeXml(p)}</li>`).join('')}</ul>`,
    '</body></html>',
    '',
  ].join('\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** An offender that fails the run: its scenario failed, it has no waiver in force, and it is at or above the threshold. */
function isFailing({ outcome, reviewed }: Offender): boolean {
  return outcome.verdict === 'failed' && countsAgainst(outcome, reviewed);
}

/** Failing offenders first, most severe first; then those only reported; waived ones last. Otherwise in run order. */
function byUrgency(a: Offender, b: Offender): number {
  const rank = (o: Offender) => (o.reviewed.waiver?.kind === 'waived' ? 20 : (isFailing(o) ? 0 : 10) + SEVERITIES.indexOf(o.reviewed.severity));
  return rank(a) - rank(b);
}

/** At most this many reasons under a scenario line; every one is under its workload. */
const MAX_REASONS = 3;

/** Under a scenario with findings it could not evaluate: each distinct read that kept it from them. */
function unevaluatedLines(r: ScenarioReport): string[] {
  const reasons = [...new Set(r.unevaluated.map((u) => u.finding.notEvaluated))];
  const lines = reasons.slice(0, MAX_REASONS).map((reason) => `not evaluated: ${reason}`);
  const more = reasons.length - MAX_REASONS;
  if (more > 0) lines.push(`not evaluated: ${more} more reason${more === 1 ? '' : 's'}, under Findings by workload`);
  return lines;
}

function noteOf(r: ScenarioReport): string {
  const count = (verdict: CheckOutcome['verdict']) => r.outcomes.filter((o) => o.verdict === verdict).reduce((n, o) => n + o.findings.length, 0);
  const waived = r.outcomes.flatMap((o) => o.findings).filter((f) => f.waiver?.kind === 'waived').length;
  const notes = [
    ...(count('warning') ? [`warning: ${count('warning')} offender${count('warning') === 1 ? '' : 's'}, does not fail the run`] : []),
    ...(count('below threshold') ? [`${count('below threshold')} offender${count('below threshold') === 1 ? '' : 's'} reported below PREFLIGHT_FAIL_ON, does not fail the run`] : []),
    ...(waived ? [`${waived} offender${waived === 1 ? '' : 's'} waived`] : []),
    ...(r.unevaluated.length ? [`${r.unevaluated.length} finding${r.unevaluated.length === 1 ? '' : 's'} could not be evaluated`] : []),
  ];
  return notes.length ? `  (${notes.join('; ')})` : '';
}
