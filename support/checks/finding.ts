// What a check returns: one finding per offender, with the IDs involved, what was expected,
// the error a task would hit, and the fix with the IDs filled in (CHECKS.md section 4).
import type { OperationName } from '../aws/operations';

export type Severity = 'critical' | 'high' | 'medium' | 'low';

export interface CheckInfo {
  id: string;
  title: string;
  severity: Severity;
  /** Why it matters: the failure a task would hit. */
  risk: string;
  /**
   * Reads whose data only some checks need (inventory/load.ts OPTIONAL_READS) that this check
   * uses: if AWS denied one, the check fails naming the action to grant instead of running.
   */
  reads?: readonly OperationName[];
}

export interface Fix {
  /** Where to click: "VPC → Endpoints → vpce-… → Actions → Manage subnets". */
  console: string;
  /** The AWS CLI command with the IDs filled in. */
  cli: string;
}

export interface Finding {
  checkId: string;
  /** "cluster/service" of the workload whose tasks are affected. */
  workload: string;
  /** The resource to change, first; then every other ID involved (subnet, AZ, route table, endpoint). */
  resourceIds: string[];
  /** One line naming the offending IDs. */
  problem: string;
  expected: string;
  impact: string;
  fix: Fix;
}

/** The CLI fragment that pins a command to the inventory's region. */
export function regionFlag(region: string): string {
  return `--region ${region}`;
}

/** One offender shared by several workloads (one endpoint, one route table) is listed once, naming them all. */
export function mergeSharedFindings(findings: Finding[]): Finding[] {
  const merged = new Map<string, Finding>();
  for (const f of findings) {
    const key = `${f.checkId}\n${f.problem}\n${f.fix.cli}`;
    const seen = merged.get(key);
    if (seen) seen.workload = `${seen.workload}, ${f.workload}`;
    else merged.set(key, { ...f });
  }
  return [...merged.values()];
}
