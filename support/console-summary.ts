// The console view of a run: one line per scenario under its feature, each failure's offenders
// and CLI fixes beneath it, then the totals and where the full reports are.
import { Formatter, type IFormatterOptions } from '@cucumber/cucumber';
import type { Envelope } from '@cucumber/messages';
import { summaryOf } from './report';

const MARK: Record<string, string> = { PASSED: '✔', FAILED: '✘', SKIPPED: '-', UNDEFINED: '?', AMBIGUOUS: '?', PENDING: '…' };

export default class ConsoleSummary extends Formatter {
  static override readonly documentation = 'Scenario verdicts with offenders and fixes, grouped by feature';

  constructor(options: IFormatterOptions) {
    super(options);
    options.eventBroadcaster.on('envelope', (envelope: Envelope) => {
      if (envelope.testRunFinished) this.printSummary();
    });
  }

  private printSummary(): void {
    const counts = new Map<string, number>();
    let feature: string | undefined;
    for (const attempt of this.eventDataCollector.getTestCaseAttempts()) {
      if (attempt.willBeRetried) continue;
      const name = attempt.gherkinDocument.feature?.name ?? attempt.pickle.uri;
      if (name !== feature) this.log(`${feature === undefined ? '' : '\n'}${name}\n`);
      feature = name;
      const { status, message } = attempt.worstTestStepResult;
      counts.set(status, (counts.get(status) ?? 0) + 1);
      const ids = attempt.pickle.tags.map((t) => t.name.slice(1)).filter((t) => /^[A-Z]+-\d+$/.test(t));
      this.log(`  ${MARK[status] ?? status} ${ids.length ? `${ids.join(' ')}  ` : ''}${attempt.pickle.name}\n`);
      if (status === 'UNDEFINED') this.log(`      no step matches one of its lines: see docs/STEPS.md or run with --format snippets\n`);
      if (!message) continue;
      const { headline, cliFixes } = summaryOf(message);
      for (const line of headline) this.log(`      ${line}\n`);
      for (const cli of cliFixes) this.log(`      fix: ${cli}\n`);
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const parts = [...counts].map(([status, n]) => `${n} ${status.toLowerCase()}`).join(', ');
    this.log(`\n${total} scenario${total === 1 ? '' : 's'}${total ? `: ${parts}` : ' selected'}. Full reports: reports/cucumber.html, reports/junit.xml\n`);
  }
}
