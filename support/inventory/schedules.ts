// Raw EventBridge and EventBridge Scheduler shapes → scheduled ECS tasks (seed 004: the service
// started fine while the scheduled task in the same account kept failing).
import type * as events from '@aws-sdk/client-eventbridge';
import type * as scheduler from '@aws-sdk/client-scheduler';
import type * as M from './model';
import { isEcsClusterArn } from '../util/arn';

type EcsTarget = events.EcsParameters | scheduler.EcsParameters;

function network(ecs: EcsTarget): M.AwsVpcConfiguration | undefined {
  const vpc = ecs.NetworkConfiguration?.awsvpcConfiguration;
  return vpc ? { subnetIds: vpc.Subnets ?? [], securityGroupIds: vpc.SecurityGroups ?? [], assignPublicIp: vpc.AssignPublicIp === 'ENABLED' } : undefined;
}

function fromEcsParameters(ecs: EcsTarget, clusterArn: string) {
  return {
    clusterArn,
    taskDefinitionArn: ecs.TaskDefinitionArn ?? '',
    launchType: ecs.LaunchType,
    capacityProviders: (ecs.CapacityProviderStrategy ?? []).map((c) => c.capacityProvider ?? '').filter(Boolean),
    network: network(ecs),
    taskCount: ecs.TaskCount ?? 1,
  };
}

/** The ECS targets of one EventBridge rule. */
export function rulesScheduledTasks(rule: events.Rule, targets: events.Target[]): M.ScheduledTask[] {
  return targets
    .filter((t) => t.EcsParameters && t.Arn)
    .map((t) => ({
      source: 'EventBridge rule' as const,
      name: rule.Name ?? '',
      arn: rule.Arn ?? '',
      state: rule.State,
      expression: rule.ScheduleExpression,
      ...fromEcsParameters(t.EcsParameters!, t.Arn!),
    }));
}

/** A Scheduler schedule whose target runs an ECS task; undefined for any other target. */
export function schedulesScheduledTask(schedule: scheduler.GetScheduleOutput): M.ScheduledTask | undefined {
  const target = schedule.Target;
  if (!target?.EcsParameters || !target.Arn) return undefined;
  return {
    source: 'EventBridge Scheduler schedule',
    name: `${schedule.GroupName ?? 'default'}/${schedule.Name}`,
    arn: schedule.Arn ?? '',
    state: schedule.State,
    expression: schedule.ScheduleExpression,
    ...fromEcsParameters(target.EcsParameters, target.Arn),
  };
}

/** Scheduler's summary names the target ARN: only ECS cluster targets are worth a GetSchedule. */
export function targetsEcsCluster(summary: scheduler.ScheduleSummary): boolean {
  return isEcsClusterArn(summary.Target?.Arn ?? '');
}
