// TD-01, TD-04, DEP-01 and OBS-01: task definitions, deployment settings and flow logs.
import type { Inventory } from '../inventory/model';
import type { Workload } from '../workloads';
import { defineCheck, regionFlag, type Finding } from './finding';
import { newRevisionCli, toChoose } from '../fixes';

export const TD_01 = defineCheck({
  id: 'TD-01',
  title: 'Fargate task definitions use networkMode awsvpc',
  kinds: ['start'],
  severity: 'critical',
  network: false,
  risk: 'Fargate refuses any other network mode: the task never starts',
  remediation: 'register a new revision with networkMode awsvpc',
  source: 'seed 000 L',
});
export const TD_04 = defineCheck({
  id: 'TD-04',
  title: 'containers that open many connections set a nofile ulimit',
  kinds: ['resilience'],
  severity: 'medium',
  network: false,
  risk: 'the default open-files limit runs out under load: "Cannot assign requested address" and dropped connections',
  remediation: 'set the nofile ulimit (soft and hard) to at least 65536 in a new task definition revision',
  source: 'seed 003',
});
export const DEP_01 = defineCheck({
  id: 'DEP-01',
  title: 'services use the deployment circuit breaker with rollback',
  kinds: ['posture'],
  severity: 'medium',
  network: false,
  risk: 'a deployment whose tasks keep failing loops for up to 15 minutes before anyone is told, instead of rolling back',
  remediation: 'turn on the deployment circuit breaker with rollback',
  source: 'seed 000 ("15 minutes")',
});
export const OBS_01 = defineCheck({
  id: 'OBS-01',
  title: "the workload's VPC has flow logs enabled",
  kinds: ['posture'],
  severity: 'low',
  risk: "without flow logs nobody can see where a task's traffic went when it timed out",
  remediation: 'create a flow log for the VPC (all traffic, to CloudWatch Logs or S3)',
  reads: ['ec2:DescribeFlowLogs'],
  evidence: 'configuration',
  source: 'seed 000 J',
});

/** TD-01: a Fargate workload's task definition uses awsvpc. */
export function fargateUsesAwsvpc(inv: Inventory, workload: Workload): Finding[] {
  const definition = inv.taskDefinitions.get(workload.taskDefinitionArn);
  if (!definition) return [];
  const fargate = workload.fargate || definition.requiresCompatibilities.includes('FARGATE');
  if (!fargate || definition.networkMode === 'awsvpc') return [];
  const name = `${definition.family}:${definition.revision}`;
  return [
    {
      checkId: 'TD-01',
      kind: 'start',
      workload: workload.id,
      resourceIds: [definition.arn],
      problem: `task definition ${name} runs on Fargate with networkMode ${definition.networkMode ?? 'unset (bridge)'}`,
      expected: `${name} with networkMode awsvpc`,
      impact: TD_01.risk,
      fix: {
        console: `ECS → Task definitions → ${definition.family} → Create new revision → Network mode: awsvpc`,
        cli: `${newRevisionCli(workload, definition, '.networkMode = "awsvpc"', regionFlag(inv.region))}  # a service on awsvpc also needs a network configuration: aws ecs update-service … --network-configuration`,
      },
    },
  ];
}

/** TD-04: every container sets nofile to at least `minimum` (soft and hard). */
export function containersRaiseOpenFiles(inv: Inventory, workload: Workload, minimum: number): Finding[] {
  const definition = inv.taskDefinitions.get(workload.taskDefinitionArn);
  if (!definition) return [];
  return definition.containers.flatMap((c) => {
    const nofile = c.ulimits.find((u) => u.name === 'nofile');
    if (nofile && nofile.softLimit >= minimum && nofile.hardLimit >= minimum) return [];
    const name = `${definition.family}:${definition.revision}`;
    return [
      {
        checkId: 'TD-04',
        kind: 'resilience',
        workload: workload.id,
        resourceIds: [definition.arn, c.name],
        problem: nofile
          ? `container ${c.name} of ${name} sets nofile to ${nofile.softLimit}/${nofile.hardLimit}, below ${minimum}`
          : `container ${c.name} of ${name} sets no nofile ulimit, so it runs with the platform's default`,
        expected: `nofile soft and hard limits of at least ${minimum}`,
        impact: TD_04.risk,
        fix: {
          console: `ECS → Task definitions → ${definition.family} → Create new revision → container ${c.name} → Resource limits (ulimits) → nofile ${minimum}/${minimum}`,
          cli: newRevisionCli(
            workload,
            definition,
            `(.containerDefinitions[] | select(.name == "${c.name}")) |= (.ulimits = ([(.ulimits // [])[] | select(.name != "nofile")] + [{"name": "nofile", "softLimit": ${minimum}, "hardLimit": ${minimum}}]))`,
            regionFlag(inv.region),
          ),
        },
      },
    ];
  });
}

/** DEP-01: services roll back failing deployments, and can start a new task before stopping an old one. */
export function deploymentRollsBack(inv: Inventory, workload: Workload): Finding[] {
  const service = workload.service;
  if (!service) return [];
  const { circuitBreaker, minimumHealthyPercent = 100, maximumPercent = 200 } = service.deployment;
  const fix = {
    console: `ECS → Clusters → ${service.clusterName} → Services → ${service.name} → Update service → Deployment options → Deployment circuit breaker: on, Rollback on failures`,
    cli: `aws ecs update-service --cluster ${service.clusterName} --service ${service.name} --deployment-configuration "deploymentCircuitBreaker={enable=true,rollback=true},maximumPercent=${Math.max(maximumPercent, 200)},minimumHealthyPercent=${Math.min(minimumHealthyPercent, 100)}" --region ${inv.region}`,
  };
  const findings: Finding[] = [];
  if (!circuitBreaker?.enable || !circuitBreaker.rollback) {
    findings.push({
      checkId: 'DEP-01',
      kind: 'posture',
      workload: workload.id,
      resourceIds: [service.arn],
      problem: `service ${workload.id} ${circuitBreaker?.enable ? 'has the circuit breaker on but without rollback' : 'has no deployment circuit breaker'}`,
      expected: 'deploymentCircuitBreaker {enable: true, rollback: true}',
      impact: DEP_01.risk,
      fix,
    });
  }
  if (maximumPercent <= 100 && minimumHealthyPercent >= 100) {
    findings.push({
      checkId: 'DEP-01',
      kind: 'posture',
      workload: workload.id,
      resourceIds: [service.arn],
      problem: `service ${workload.id} has maximumPercent ${maximumPercent} and minimumHealthyPercent ${minimumHealthyPercent}: a deployment can neither add a task nor stop one`,
      expected: 'maximumPercent above 100 or minimumHealthyPercent below 100',
      impact: DEP_01.risk,
      fix,
    });
  }
  return findings;
}

/** OBS-01: an active flow log on the workload's VPC, or on every one of its task subnets. */
export function vpcHasFlowLogs(inv: Inventory, workload: Workload): Finding[] {
  if (!workload.vpcId) return [];
  const active = inv.flowLogs.filter((f) => (f.status ?? 'ACTIVE') === 'ACTIVE');
  if (active.some((f) => f.resourceId === workload.vpcId)) return [];
  if (workload.taskSubnets.length > 0 && workload.taskSubnets.every((s) => active.some((f) => f.resourceId === s.subnet.id))) return [];
  return [
    {
      checkId: 'OBS-01',
      kind: 'posture',
      workload: workload.id,
      resourceIds: [workload.vpcId],
      problem: `VPC ${workload.vpcId} has no active flow log`,
      expected: `an ACTIVE flow log on ${workload.vpcId}`,
      impact: OBS_01.risk,
      fix: {
        console: `VPC → Your VPCs → ${workload.vpcId} → Flow logs → Create flow log → Filter: All → CloudWatch Logs`,
        cli: `aws ec2 create-flow-logs --resource-type VPC --resource-ids ${workload.vpcId} --traffic-type ALL --log-destination-type cloud-watch-logs --log-group-name /vpc/flow-logs/${workload.vpcId} --deliver-logs-permission-arn "${flowLogsRoleOf(inv) ?? toChoose('FLOW_LOGS_ROLE', 'the ARN of a role vpc-flow-logs.amazonaws.com may assume, allowed logs:CreateLogStream and logs:PutLogEvents')}" --region ${inv.region}`,
      },
    },
  ];
}

/** A role of the account that VPC Flow Logs may assume, to deliver to CloudWatch Logs with. */
function flowLogsRoleOf(inv: Inventory): string | undefined {
  return [...inv.roles.values()].find((r) => JSON.stringify(r.trustPolicy ?? {}).includes('vpc-flow-logs.amazonaws.com'))?.arn;
}

