// INV-01: the workload's configuration describes resources that exist and belong together. An
// account read mid-change (a subnet whose VPC was just deleted) or a service configured with
// subnets of two VPCs is named once, as itself; the other checks do not evaluate such a workload,
// so that no finding states facts about missing resources and no fix spans two VPCs.
import { toChoose } from '../fixes';
import type { Inventory } from '../inventory/model';
import { networkFix, type Workload } from '../workloads';
import { defineCheck, type Finding } from './finding';
import { resourceNameOf } from '../util/arn';

export const INV_01 = defineCheck({
  id: 'INV-01',
  title: "the workload's configuration is consistent: its subnets and security groups exist and lie in one VPC, its task definition exists",
  kinds: ['start'],
  severity: 'critical',
  network: false,
  evidence: 'configuration',
  risk: 'ECS cannot place a task on subnets or security groups that do not exist or span VPCs: the deployment fails before any task starts, and nothing else about its network can be stated',
  remediation: "point the workload's network configuration at existing subnets and security groups of one VPC",
  source: 'CHECKS.md INV-01',
});

/** What is inconsistent about a workload's configuration, one line each; empty when it is consistent. */
export function inconsistenciesOf(inv: Inventory, workload: Workload): string[] {
  const problems: string[] = [];
  if (!inv.taskDefinitions.has(workload.taskDefinitionArn)) problems.push(`task definition ${workload.taskDefinitionArn} does not exist in ${inv.account}/${inv.region}`);
  if (!usesAwsvpc(inv, workload)) return problems;
  if (workload.missingSubnetIds.length) problems.push(`subnets ${workload.missingSubnetIds.join(', ')} do not exist`);
  if (workload.taskSubnets.length === 0 && workload.missingSubnetIds.length === 0) problems.push('its awsvpc network configuration names no subnet');
  for (const s of workload.taskSubnets) {
    if (!inv.vpcs.has(s.subnet.vpcId)) problems.push(`subnet ${s.subnet.id} names ${s.subnet.vpcId}, which does not exist`);
  }
  const vpcs = vpcsOf(workload);
  if (vpcs.size > 1) problems.push(`its subnets lie in ${vpcs.size} VPCs: ${[...vpcs].map(([vpc, subnets]) => `${vpc} (${subnets.join(', ')})`).join('; ')}`);
  for (const id of workload.network?.securityGroupIds ?? []) {
    const group = inv.securityGroups.get(id);
    if (!group) problems.push(`security group ${id} does not exist`);
    else if (vpcs.size === 1 && !vpcs.has(group.vpcId)) problems.push(`security group ${id} is in ${group.vpcId}, its subnets in ${[...vpcs.keys()][0]}`);
  }
  return problems;
}

/** awsvpc tasks have their own network interface in the task subnets; bridge and host tasks use their instance's. */
export function usesAwsvpc(inv: Inventory, workload: Workload): boolean {
  const mode = inv.taskDefinitions.get(workload.taskDefinitionArn)?.networkMode;
  return mode === undefined ? workload.network !== undefined : mode === 'awsvpc';
}

function vpcsOf(workload: Workload): Map<string, string[]> {
  const vpcs = new Map<string, string[]>();
  for (const s of workload.taskSubnets) vpcs.set(s.subnet.vpcId, [...(vpcs.get(s.subnet.vpcId) ?? []), s.subnet.id]);
  return vpcs;
}

/** INV-01: one finding per inconsistent workload, naming every inconsistency; its fix stays within one VPC. */
export function configurationConsistent(inv: Inventory, workload: Workload): Finding[] {
  const problems = inconsistenciesOf(inv, workload);
  if (problems.length === 0) return [];
  // The fix keeps the subnets and groups of the VPC most of the existing subnets are in.
  const vpcs = [...vpcsOf(workload)].filter(([vpc]) => inv.vpcs.has(vpc)).sort((a, b) => b[1].length - a[1].length);
  const [vpc, subnets] = vpcs[0] ?? [undefined, []];
  const groups = (workload.network?.securityGroupIds ?? []).filter((id) => inv.securityGroups.get(id)?.vpcId === vpc);
  const network = {
    subnetIds: vpc ? subnets : [toChoose('SUBNETS', 'subnets of one VPC, comma-separated')],
    securityGroupIds: groups.length ? groups : [toChoose('SECURITY_GROUPS', vpc ? `security groups of ${vpc}, comma-separated` : 'security groups of the VPC of those subnets, comma-separated')],
    assignPublicIp: workload.network?.assignPublicIp ?? false,
  };
  const fix = usesAwsvpc(inv, workload)
    ? networkFix({ ...workload, network }, inv.region, {})
    : { console: `ECS → Task definitions → ${resourceNameOf(workload.taskDefinitionArn)}`, cli: `aws ecs describe-task-definition --task-definition ${workload.taskDefinitionArn} --region ${inv.region}` };
  return [
    {
      checkId: 'INV-01',
      kind: 'start',
      workload: workload.id,
      resourceIds: [workload.arn, ...workload.missingSubnetIds, ...workload.taskSubnets.map((s) => s.subnet.id), ...(workload.network?.securityGroupIds ?? []).filter((id) => !inv.securityGroups.has(id))],
      problem: `${workload.id} is configured inconsistently: ${problems.join('; ')}`,
      expected: vpc ? `existing subnets and security groups of one VPC (such as ${vpc}: ${subnets.join(', ')})` : 'existing subnets and security groups of one VPC, and an existing task definition',
      impact: INV_01.risk,
      fix: { ...fix, console: `${fix.console} (keep only resources of ${vpc ?? 'one VPC'})` },
    },
  ];
}
