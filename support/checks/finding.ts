// A check's metadata and what it returns: one finding per offender, with its kind, the IDs
// involved, what was expected, the error a task would hit, and the fix with the IDs filled in
// (CHECKS.md sections 3 and 4).
import type { OperationName } from '../aws/operations';
import type { CheckId, Kind } from './ids';

export type { CheckId, Kind } from './ids';

export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** Most severe first. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

/** A need a check is about (CHECKS.md section 1): an AWS service of the task's region by its endpoint name, or the internet. */
export type NeedName = 'ecr.api' | 'ecr.dkr' | 's3' | 'logs' | 'secretsmanager' | 'ssm' | 'kms' | 'internet';

export interface Check {
  id: CheckId;
  title: string;
  /** The kinds its findings can have: EP-01 is start where nothing else reaches ECR, posture where a NAT gateway does. */
  kinds: readonly Kind[];
  /** Severity of its resilience and posture findings when the scenario has no severity tag. Start findings are always critical. */
  severity: Severity;
  /** It applies only to workloads with one of these needs in their own region; absent: to every workload. */
  needs?: readonly NeedName[];
  /** About the task's own network interface (subnets, endpoints, security groups, NACLs): awsvpc workloads only. */
  network: boolean;
  /** Why it matters: the failure or the cost it is about. */
  risk: string;
  /** What to do, in one line; each finding carries the console path and CLI command with its IDs. */
  remediation: string;
  /**
   * Reads whose data only some checks need (inventory/load.ts OPTIONAL_READS) that this check
   * uses: if AWS denied one, the check fails naming the action to grant instead of running.
   */
  reads?: readonly OperationName[];
  /**
   * Optional reads it uses item by item: if AWS denied one, only the findings that need its data
   * could not be evaluated (each naming the action to grant); the check still runs.
   */
  readsPerItem?: readonly OperationName[];
  /** The incident write-ups (shared/seeds) or documents it comes from. */
  source: string;
  /**
   * What shows its start findings: the path engine (each names the paths it says fail, and the
   * engine must agree), the policy evaluator, or the configuration itself; EVD-01's, the account's
   * own records of what happened.
   */
  evidence: 'path engine' | 'policy evaluator' | 'configuration' | 'stopped tasks and service events';
}

/** Metadata with its defaults: a check is about the network, shown by the path engine, unless it says otherwise. */
export function defineCheck(check: Omit<Check, 'network' | 'evidence'> & Partial<Pick<Check, 'network' | 'evidence'>>): Check {
  return { network: true, evidence: check.network === false ? 'configuration' : 'path engine', ...check };
}

export interface Fix {
  /** Where to click: "VPC → Endpoints → vpce-… → Actions → Manage subnets". */
  console: string;
  /** The AWS CLI command with the IDs filled in. */
  cli: string;
}

/** A (task subnet, need) pair the path engine decided; a start finding about the network names the pairs it is about. */
export interface PathRef {
  subnetId: string;
  /** The need's key ("s3@ap-northeast-2"), or the address a feature names. */
  to: string;
}

export interface Finding {
  checkId: CheckId;
  kind: Kind;
  /** "cluster/service" of the workload whose tasks are affected. */
  workload: string;
  /** The resource to change, first; then every other ID involved (subnet, AZ, route table, endpoint). */
  resourceIds: string[];
  /** One line naming the offending IDs. */
  problem: string;
  expected: string;
  impact: string;
  fix: Fix;
  /** For a start finding about reachability: the paths it says do not work (the path engine must agree). */
  paths?: PathRef[];
  /**
   * Set when only a read that failed (denied, or unanswered) keeps these paths from being verified:
   * the check could not evaluate them, which is not a finding about the account. Its one line.
   */
  notEvaluated?: string;
  /**
   * EVD-01's lines for the recent start errors this finding explains ("evidence: task 3f2a… stopped
   * 2026-12-02 08:41 UTC: …"), set by the world when it reports the finding.
   */
  evidence?: string[];
}

/** The severity a finding is reported with: a start failure is critical whatever the scenario says. */
export function severityOf(finding: Pick<Finding, 'kind'>, check: Pick<Check, 'severity'>, scenarioSeverity: Severity | undefined): Severity {
  return finding.kind === 'start' ? 'critical' : (scenarioSeverity ?? check.severity);
}

/** The CLI fragment that pins a command to the inventory's region. */
export function regionFlag(region: string): string {
  return `--region ${region}`;
}

/** One offender shared by several workloads (one endpoint, one route table) is listed once, naming them all. */
export function mergeSharedFindings(findings: Finding[]): Finding[] {
  const merged = new Map<string, Finding>();
  for (const f of findings) {
    const key = `${f.checkId}\n${f.kind}\n${f.problem}\n${f.fix.cli}`;
    const seen = merged.get(key);
    if (seen) {
      seen.workload = `${seen.workload}, ${f.workload}`;
      if (f.paths) seen.paths = [...(seen.paths ?? []), ...f.paths];
    } else merged.set(key, { ...f });
  }
  return [...merged.values()];
}
