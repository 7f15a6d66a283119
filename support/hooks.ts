import path from 'node:path';
import { After, Before, BeforeAll } from '@cucumber/cucumber';
import { forgetNotes, type PreflightWorld, type WorldParameters } from './world';
import { inventoryOf } from './target';
import { RunStopped, UsageError } from './errors';
import { exitWithUsageError } from './exit-code';
import { readScenarioTags } from './tags';
import { DEFAULT_WAIVERS_FILE, isDate, localDate, readWaivers, type Waiver } from './waivers';
import { CHECKS } from './checks';
import { OUTCOMES_FILE_NAME, OUTCOMES_MEDIA_TYPE } from './report';
import { SEVERITIES, type Severity } from './checks/finding';
import { closest } from './util/closest';
import { baselineFor, readBaseline, type Results } from './results';

/** The bad input that stopped the run, once one did. */
let stopped: UsageError | undefined;

/**
 * Bad input ends the run with one line and exit code 2: nothing can be evaluated. The run is not
 * cut short, so that the formatters still write a JUnit file and an HTML report that say why: this
 * scenario fails with the line (an <error> in JUnit), the later ones are skipped, and the exit code
 * becomes 2 as the process ends.
 */
function stopOnUsageError(error: unknown): never {
  if (!(error instanceof UsageError)) throw error;
  if (!stopped) {
    stopped = error;
    process.stderr.write(`ecs-preflight: ${error.message}\n`);
    exitWithUsageError();
  }
  throw new RunStopped(`the run stopped: ${error.message}`);
}

const waiverFiles = new Map<string, Waiver[]>();

/** The run's waivers, read and checked once per process. */
function waiversOf(parameters: WorldParameters): Waiver[] {
  const named = parameters.waivers ?? process.env.PREFLIGHT_WAIVERS;
  const file = named ? path.resolve(named) : DEFAULT_WAIVERS_FILE;
  let waivers = waiverFiles.get(file);
  if (!waivers) {
    waivers = readWaivers(file, Boolean(named), [...CHECKS.keys()]);
    waiverFiles.set(file, waivers);
  }
  return waivers;
}

/** The date waivers are judged on: fixed by PREFLIGHT_TODAY or the `today` world parameter (tests, "what expires next week?"), else today. */
function todayOf(parameters: WorldParameters): string {
  const given = parameters.today ?? process.env.PREFLIGHT_TODAY;
  if (given === undefined || given === '') return localDate();
  if (!isDate(given)) throw new UsageError(`PREFLIGHT_TODAY (or the "today" world parameter) must be a date written YYYY-MM-DD, not "${given}"`);
  return given;
}

/** The lowest severity that fails the run: PREFLIGHT_FAIL_ON (or the "failOn" world parameter), default high. */
function failOnOf(parameters: WorldParameters): Severity {
  const given = parameters.failOn ?? process.env.PREFLIGHT_FAIL_ON;
  if (given === undefined || given === '') return 'high';
  const word = given.toLowerCase();
  if ((SEVERITIES as readonly string[]).includes(word)) return word as Severity;
  const suggestion = closest(word, SEVERITIES);
  throw new UsageError(`PREFLIGHT_FAIL_ON must be one of ${SEVERITIES.join(', ')}, not "${given}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`);
}

/** The baseline (PREFLIGHT_BASELINE or the "baseline" world parameter), checked once: a broken one stops the run here. */
const baselines = new Map<string, Results>();
function baselineOf(parameters: WorldParameters): Results | undefined {
  const file = baselineFor(parameters.baseline ?? process.env.PREFLIGHT_BASELINE, {}, false);
  if (!file) return undefined;
  if (!baselines.has(file)) baselines.set(file, readBaseline(path.resolve(file)));
  return baselines.get(file);
}

/** PREFLIGHT_FAIL_ON_NEW_ONLY=1: only findings the baseline did not have fail the run (adopting the suite on an account with old debt). */
function newOnlyOf(baselineSetting: string | undefined): boolean {
  const value = process.env.PREFLIGHT_FAIL_ON_NEW_ONLY;
  if (value === undefined || value === '' || value === '0') return false;
  if (value !== '1') throw new UsageError(`PREFLIGHT_FAIL_ON_NEW_ONLY must be 1 (only new findings fail the run) or 0, not "${value}"`);
  if (!baselineSetting) throw new UsageError('PREFLIGHT_FAIL_ON_NEW_ONLY=1 needs PREFLIGHT_BASELINE, the results.json of an earlier run (or the folder it will be in): new is judged against it');
  return true;
}

// A program may run Cucumber more than once (the targets runner, the tests): each run says its notes once.
BeforeAll(forgetNotes);

// Tags first: a mistyped severity fails its scenario with one line before anything is read. Then
// the first scenario of each worker reads the inventory and the waivers; the rest share them. A bad
// target or waivers file stops the run there; a run that selects no scenario reads nothing.
// No Cucumber timeout: the first scenario waits for the account to be read, which takes as long as
// AWS takes (latency, throttling back-off); the loader bounds it itself (PREFLIGHT_LOAD_TIMEOUT_MS,
// per-call timeouts and attempts), so a slow account is never turned into failed checks.
Before({ timeout: -1 }, async function (this: PreflightWorld, { pickle }) {
  if (stopped) return 'skipped';
  this.tags = readScenarioTags(pickle.tags.map((t) => t.name));
  this.inventory = (await inventoryOf(this.parameters.target).catch(stopOnUsageError)).inventory;
  try {
    this.waivers = waiversOf(this.parameters);
    this.today = todayOf(this.parameters);
    this.failOn = failOnOf(this.parameters);
    const baseline = baselineOf(this.parameters);
    this.newOnly = newOnlyOf(this.parameters.baseline ?? process.env.PREFLIGHT_BASELINE);
    // A folder without last night's file yet (the first night): everything is new.
    if (baseline || this.newOnly) this.baseline = new Set(baseline?.findings.map((f) => f.fingerprint) ?? []);
  } catch (error) {
    stopOnUsageError(error);
  }
});

// The findings of the scenario as data, for the console summary and the JUnit report (the HTML
// report shows it folded away under the scenario's hooks).
After(function (this: PreflightWorld, { result }) {
  // A step that matches nothing is a mistake in the feature, not a finding: the run exits 2.
  if (result?.status === 'UNDEFINED' || result?.status === 'AMBIGUOUS') exitWithUsageError();
  // So is a scope naming what the account does not have, or a word the steps do not know.
  if (result?.status === 'FAILED' && ['InputError', 'ScopeError'].includes(result.exception?.type ?? '')) exitWithUsageError();
  // Passing checks too: results.json marks a baseline's finding fixed only if its check ran again.
  if (this.outcomes.length > 0 || this.evaluated.length > 0) {
    const evaluated = this.inventory ? { account: this.inventory.account, region: this.inventory.region, checkIds: this.evaluated } : undefined;
    this.attach(JSON.stringify({ outcomes: this.outcomes, evaluated, notEvaluated: this.notEvaluated }), { mediaType: OUTCOMES_MEDIA_TYPE, fileName: OUTCOMES_FILE_NAME });
  }
});
