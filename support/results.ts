// The run as data, reports/results.json (docs/RESULTS.md): every finding with a stable fingerprint,
// and, against a baseline (the previous run's results.json), whether it is new or still failing
// and which findings were fixed. Other tools (dashboards, ticketing) read this; JUnit and HTML
// stay as they are.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors';
import type { Finding, Kind, Severity } from './checks/finding';
import type { CheckId } from './checks/ids';

export const RESULTS_SCHEMA = 'ecs-preflight/results';
export const RESULTS_VERSION = 1;

export interface ResultFinding {
  /** Same finding tomorrow, same fingerprint: check, account, region, workloads and resources, whatever the order or the wording. */
  fingerprint: string;
  checkId: CheckId;
  kind: Kind;
  severity: Severity;
  /** Whether it fails the run (at or above PREFLIGHT_FAIL_ON, not waived, not @warning). */
  failing: boolean;
  /** The workloads it concerns ("cluster/service", "rule/name", "schedule/group/name"). */
  workload: string[];
  account: string;
  region: string;
  /** The resource to change first, then every other ID involved. */
  resources: string[];
  message: string;
  expected: string;
  impact: string;
  fix: { console: string; cli: string };
  /** The recent start errors it explains, as EVD-01 shows them beside it. */
  evidence?: string[];
  waiver: null | { state: 'waived' | 'expired'; reason: string; expires: string };
  /** The scenarios that found it: "features/x.feature: name". */
  scenarios: string[];
  /** Against a baseline: first seen in this run, or failing since `since` (the baseline's date, or its own `since`). */
  change?: 'new' | 'still';
  since?: string;
}

/** A finding a failed read kept from being verified: not about the account; `reason` names the read to grant. */
export interface UnevaluatedResult {
  /** The fingerprint it would have as a finding: a baseline's finding it matches is not counted fixed. */
  fingerprint: string;
  checkId: CheckId;
  workload: string[];
  account: string;
  region: string;
  resources: string[];
  message: string;
  reason: string;
  /** The recent start errors it would explain, as EVD-01 shows them beside it. */
  evidence?: string[];
  scenarios: string[];
}

/** A scenario that gave no verdict at all: a read every check of it needs failed, a scope naming what is not there, a step that matches nothing. */
export interface UnevaluatedScenario {
  /** "features/x.feature: name". */
  scenario: string;
  /** "features/x.feature:12". */
  where: string;
  checkIds: string[];
  /** What stopped it, and what to do: its failure's first lines. */
  reason: string;
}

export interface Results {
  schema: typeof RESULTS_SCHEMA;
  version: typeof RESULTS_VERSION;
  generatedAt: string;
  failOn: Severity;
  /** The checks each account-region ran: a finding of the baseline is fixed only if its check ran again there. */
  evaluated: { account: string; region: string; checkIds: CheckId[] }[];
  findings: ResultFinding[];
  /** Against a baseline: its findings this run no longer has, for checks it ran again. */
  fixed: (ResultFinding & { fixedAt: string })[];
  /** What the checks could not evaluate, because a read failed (absent in results written before it was listed). */
  notEvaluated?: UnevaluatedResult[];
  /** Scenarios that gave no verdict at all (absent in results written before they were listed). */
  unevaluatedScenarios?: UnevaluatedScenario[];
  baseline?: { file: string; generatedAt: string };
}

/**
 * A fingerprint that survives reordering and rewording: the check, where, which workloads and which
 * resources, and for a finding about paths the needs they lead to (one subnet's paths to ecr.api and
 * to logs over the same route are two findings). A finding without paths hashes as it always did.
 */
export function fingerprintOf(finding: Pick<Finding, 'checkId' | 'workload' | 'resourceIds' | 'paths'>, account: string, region: string): string {
  const workloads = finding.workload.split(', ').sort();
  const resources = [...new Set(finding.resourceIds)].sort();
  const needs = [...new Set((finding.paths ?? []).map((p) => p.to))].sort();
  return createHash('sha256')
    .update(JSON.stringify([finding.checkId, account, region, workloads, resources, ...(needs.length ? [needs] : [])]))
    .digest('hex')
    .slice(0, 20);
}

/** The previous run's results.json, checked: a file that is not one is a broken input (exit 2), never an empty baseline. */
export function readBaseline(file: string): Results {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `baseline ${file} does not exist: PREFLIGHT_BASELINE names the results.json of an earlier run (or unset it for a first run)`
        : `baseline ${file} is not valid JSON (${(error as Error).message}): use the results.json of an earlier run`,
    );
  }
  const results = data as Partial<Results>;
  if (results?.schema !== RESULTS_SCHEMA || !Array.isArray(results.findings) || !Array.isArray(results.evaluated) || typeof results.generatedAt !== 'string') {
    throw new UsageError(`baseline ${file} is not an ecs-preflight results.json (schema "${RESULTS_SCHEMA}"): use reports/results.json of an earlier run`);
  }
  if (results.version !== RESULTS_VERSION) throw new UsageError(`baseline ${file} has results version ${String(results.version)}; this suite reads version ${RESULTS_VERSION}: run once without PREFLIGHT_BASELINE to start a new baseline`);
  return results as Results;
}

/** Marks each finding new or still failing, and lists the baseline's findings this run fixed. */
export function compareWithBaseline(findings: ResultFinding[], evaluated: Results['evaluated'], baseline: Results, now: string): Pick<Results, 'findings' | 'fixed'> {
  const before = new Map(baseline.findings.map((f) => [f.fingerprint, f]));
  const current = new Set(findings.map((f) => f.fingerprint));
  const ran = (f: ResultFinding) => evaluated.some((e) => e.account === f.account && e.region === f.region && e.checkIds.includes(f.checkId));
  return {
    findings: findings.map((f) => {
      const old = before.get(f.fingerprint);
      return old ? { ...f, change: 'still', since: old.since ?? baseline.generatedAt } : { ...f, change: 'new', since: now };
    }),
    fixed: baseline.findings.filter((f) => !current.has(f.fingerprint) && ran(f)).map((f) => ({ ...f, change: undefined, fixedAt: now })),
  };
}

/**
 * The baseline of one target. PREFLIGHT_BASELINE names a results.json, or a folder of last night's
 * reports: there, the target's own `<name>/results.json` when the run has several targets, else
 * `results.json`. A target with none yet (its first night) runs without a baseline.
 */
export function baselineFor(setting: string | undefined, target: { name?: string }, several: boolean): string | undefined {
  if (!setting) return undefined;
  if (!existsSync(setting) || !statSync(setting).isDirectory()) return setting;
  const file = several && target.name ? path.join(setting, target.name, 'results.json') : path.join(setting, 'results.json');
  return existsSync(file) ? file : undefined;
}
