import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import type { Inventory } from './inventory/model';
import type { Target } from './target';
import { describeScope, emptyScopeNote, selectWorkloads, unlistedScheduledTasks, type Scope, type Workload } from './workloads';
import { mergeSharedFindings, severityOf, type Check, type Finding, type Severity } from './checks/finding';
import { applicableWorkloads } from './checks/applicability';
import { InputError, PlainError } from './errors';
import { fingerprintOf } from './results';
import type { CheckId } from './checks/ids';
import { assertReadable } from './inventory/denied';
import { CheckFailure, failingFindings, offenderReport, outcomeOf, type CheckOutcome } from './report';
import { localDate, waiverStatus, type Waiver } from './waivers';
import type { ScenarioTags } from './tags';
import { networkPicture } from './picture/network-picture';
import { evidenceLinesFor, evidenceNote, EVD_01 } from './checks/evidence';
import { explainingRun, RUNS } from './checks';

export interface WorldParameters {
  target: Target;
  /** The waivers file (default: PREFLIGHT_WAIVERS, else waivers.json at the repository root). */
  waivers?: string;
  /** The date waivers are judged on, YYYY-MM-DD (default: PREFLIGHT_TODAY, else today's local date). */
  today?: string;
  /** The lowest severity that fails the run (default: PREFLIGHT_FAIL_ON, else high). */
  failOn?: Severity;
  /** The previous run's results.json (default: PREFLIGHT_BASELINE). */
  baseline?: string;
}

/** Pictures attached per failed step at most: enough for a team's services, not a report of megabytes. */
const MAX_PICTURES = 6;


/** Notes about the account already given in this run (each worker is one process; hooks.ts clears it as a run starts). */
const notesGiven = new Set<string>();

export function forgetNotes(): void {
  notesGiven.clear();
}

/** What one scenario knows: the target's inventory (shared, read once) and the scope it chose. */
export class PreflightWorld extends World<WorldParameters> {
  inventory!: Inventory;
  /** The scenario's severity and @warning, read from its tags by the Before hook. */
  tags: ScenarioTags = { warningOnly: false, checkIds: [] };
  waivers: readonly Waiver[] = [];
  today = localDate();
  failOn: Severity = 'high';
  /** Fingerprints of the baseline's findings (PREFLIGHT_BASELINE), and whether only new findings fail the run. */
  baseline?: ReadonlySet<string>;
  newOnly = false;
  /** What each check step found; the After hook attaches them for the console and JUnit reports. */
  readonly outcomes: CheckOutcome[] = [];
  /** The checks this scenario ran, passing or not (results.json: what a baseline's finding must be checked by again to count as fixed). */
  readonly evaluated: CheckId[] = [];
  /** Findings a failed read kept from being verified (each names the action to grant): reported as such, never as findings. */
  readonly notEvaluated: Finding[] = [];
  private scope?: Scope;
  /** Scheduled tasks the scope names but AWS would not list: the services are checked, the scenario cannot pass. */
  private unlisted?: Error;
  private selected?: Workload[];

  constructor(options: IWorldOptions<WorldParameters>) {
    super(options);
  }

  private noteOnce(note: string): void {
    if (notesGiven.has(note)) return;
    notesGiven.add(note);
    this.log(note);
  }

  /** Chooses the scenario's workloads; 'skipped' (with the reason in its log) when a scope spelt right selects none: never a silent pass. */
  selectScope(scope: Scope): 'skipped' | undefined {
    this.scope = scope;
    this.selected = selectWorkloads(this.inventory, scope);
    this.unlisted = unlistedScheduledTasks(this.inventory, scope);
    if (this.unlisted) {
      if (this.selected.length === 0) throw this.unlisted;
      this.log(`note: only the services are checked here: ${this.unlisted.message}`);
    }
    if (this.selected.length === 0) {
      this.log(`skipped: ${emptyScopeNote(this.inventory, scope)}`);
      return 'skipped';
    }
    // CHECKS.md section 0: a subnet running tasks use that the configuration no longer lists is reported.
    for (const workload of this.selected) {
      const stale = workload.taskSubnets.filter((s) => !s.sources.includes('configuration'));
      // Said once per run, in the first scenario that meets it (and once in the console summary), not in every scenario.
      if (stale.length) this.noteOnce(`note: ${workload.id} has running tasks in ${stale.map((s) => `${s.subnet.id} (${s.subnet.availabilityZone})`).join(', ')}, which its network configuration no longer lists; they are checked as task subnets`);
      if (workload.missingSubnetIds.length) this.noteOnce(`note: ${workload.id} names subnets the account does not have: ${workload.missingSubnetIds.join(', ')}`);
    }
    return undefined;
  }

  get workloads(): Workload[] {
    if (!this.selected) {
      throw new InputError(
        'this scenario has no scope: its first step must say which workloads it is about, such as "Given every service in the account" (a mistyped keyword on that line makes Gherkin read it as a description)',
      );
    }
    return this.selected;
  }

  /**
   * Runs a check over every workload in scope it applies to: workloads without the needs it is
   * about, network checks on workloads that do not use awsvpc, and workloads whose configuration
   * INV-01 finds inconsistent are left out, each said once in the log. Findings are reported (a
   * table of offenders and a network picture per workload concerned) and fail the step when one
   * is at or above the run's threshold, unless a waiver is in force or the scenario is @warning.
   */
  async expectNoFindings(check: Check, run: (inventory: Inventory, workload: Workload) => Finding[] | Promise<Finding[]>): Promise<void> {
    // A scenario tagged @EP-01 whose step runs EP-02 would report under the wrong ID (waivers, JUnit, docs).
    if (this.tags.checkIds.length > 0 && !this.tags.checkIds.includes(check.id)) {
      throw new InputError(`this scenario is tagged ${this.tags.checkIds.map((id) => `@${id}`).join(' ')} but its steps run ${check.id}: tag it with the check its steps run (docs/CHECKS.md)`);
    }
    // A check whose data AWS denied fails naming the action to grant; it must not pass on nothing.
    assertReadable(this.inventory, check.reads, check.id);
    const { applicable, notes } = applicableWorkloads(this.inventory, this.workloads, check);
    this.evaluated.push(check.id);
    for (const note of notes) this.log(note);
    // One workload at a time: the checks compute (paths, IAM simulation) and wait for nothing, so
    // running 2,000 at once gained no time; it kept every workload's half-made questions alive at
    // once, which the garbage collector moved to the old generation (150 MB more at the peak).
    const perWorkload: Finding[][] = [];
    for (const workload of applicable) perWorkload.push(await run(this.inventory, workload));
    const all = mergeSharedFindings(perWorkload.flat());
    // Paths only a failed read keeps from being verified are not findings about the account: the check says it could not evaluate them.
    const findings = all.filter((f) => !f.notEvaluated);
    const unverified = all.filter((f) => f.notEvaluated);
    // What the account recorded beside the findings that explain it (EVD-01).
    // Under one that could not be evaluated too: the stopped tasks are what is known of it.
    for (const f of [...findings, ...unverified]) {
      const evidence = evidenceLinesFor(this.inventory, applicable, f);
      if (evidence.length) f.evidence = evidence;
    }
    for (const f of unverified) this.log(`not evaluated: ${f.workload}: ${f.problem}, because ${f.notEvaluated}${(f.evidence ?? []).map((l) => `\n    ${l}`).join('')}`);
    this.notEvaluated.push(...unverified);
    const scope = describeScope(this.scope!);
    const gaps = [
      ...(this.unlisted ? [this.unlisted.message] : []),
      ...(unverified.length ? [`${unverified.length} of its findings could not be evaluated, because ${[...new Set(unverified.map((f) => f.notEvaluated))].join('; ')}`] : []),
    ].join('; and ');
    // What could not be evaluated keeps the scenario from passing, after what could be was checked and reported.
    const unevaluated = gaps
      ? new PlainError(`${check.id} ${findings.length ? 'found only findings below the failure threshold (in the log)' : 'found nothing'} where it could evaluate, but ${gaps}`)
      : undefined;
    if (findings.length === 0) {
      // Say what was checked: a scope that selects nothing passes, but visibly.
      this.log(`${check.id} passed for ${scope}: ${applicable.map((w) => w.id).join(', ') || 'no workload in this scope has what it checks, nothing was checked'}`);
      if (unevaluated) throw unevaluated;
      return;
    }
    const { account, region } = this.inventory;
    const reviewed = findings.map((finding) => ({
      finding,
      severity: severityOf(finding, check, this.tags.severity),
      waiver: waiverStatus(finding, this.waivers, this.today),
      ...(this.baseline ? { inBaseline: this.baseline.has(fingerprintOf(finding, account, region)) } : {}),
    }));
    const outcome = { ...outcomeOf(check, scope, reviewed, { warningOnly: this.tags.warningOnly, failOn: this.failOn, newOnly: this.newOnly }), account, region };
    this.outcomes.push(outcome);
    this.log(offenderReport(outcome, this.inventory));
    if (check.evidence === 'path engine') this.attachPictures(outcome);
    if (outcome.verdict === 'failed') throw new CheckFailure(outcome, gaps || undefined);
    if (unevaluated) throw unevaluated;
  }

  /**
   * EVD-01: every recent start error of the workloads in scope is explained by a finding of the same
   * run. Each workload's evidence is noted first (what explains each error, the other stops ignored).
   */
  async expectStartErrorsExplained(): Promise<void> {
    const { applicable } = applicableWorkloads(this.inventory, this.workloads, EVD_01);
    for (const workload of applicable) {
      const note = await evidenceNote(this.inventory, workload, explainingRun);
      if (note) this.log(note);
    }
    await this.expectNoFindings(EVD_01, RUNS['EVD-01']);
  }

  /** The network picture of each workload the findings name, with the resources they name outlined. */
  private attachPictures(outcome: CheckOutcome): void {
    const workloadsOf = (f: Finding) => f.workload.split(', ');
    const named = new Set(outcome.findings.flatMap((f) => workloadsOf(f.finding)));
    const drawable = this.workloads.filter((w) => named.has(w.id) && w.taskSubnets.length > 0);
    for (const workload of drawable.slice(0, MAX_PICTURES)) {
      // Outlined: what the fixes of the failing findings change, not the context they name (route tables of an uncovered zone, a NAT that works).
      const failing = failingFindings(outcome);
      const highlight = (failing.length ? failing : outcome.findings)
        .filter((f) => workloadsOf(f.finding).includes(workload.id))
        .flatMap((f) => f.finding.resourceIds.filter((id) => f.finding.fix.cli.includes(id) || f.finding.fix.console.includes(id)));
      this.attach(Buffer.from(networkPicture(this.inventory, workload, { highlight })), {
        mediaType: 'image/svg+xml',
        fileName: `Network picture of ${workload.id} (click to open)`,
      });
    }
    if (drawable.length > MAX_PICTURES) {
      this.log(`${drawable.length - MAX_PICTURES} more workloads are named here without a picture: npm run explain -- --service <cluster>/<service> shows any of them`);
    }
  }
}

setWorldConstructor(PreflightWorld);
