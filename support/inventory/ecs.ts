// Raw ECS API shapes → inventory model. Environment values are never kept: only the ARNs a task
// names (secrets, env files) matter to the checks, and reports must not carry values.
import type * as ecs from '@aws-sdk/client-ecs';
import type * as M from './model';

export function toEcsService(s: ecs.Service, cluster: M.EcsCluster): M.EcsService {
  const vpc = s.networkConfiguration?.awsvpcConfiguration;
  const breaker = s.deploymentConfiguration?.deploymentCircuitBreaker;
  return {
    arn: s.serviceArn!,
    name: s.serviceName!,
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    launchType: s.launchType,
    capacityProviders: (s.capacityProviderStrategy ?? []).map((c) => c.capacityProvider!).filter(Boolean),
    taskDefinitionArn: s.taskDefinition!,
    network: vpc
      ? { subnetIds: vpc.subnets ?? [], securityGroupIds: vpc.securityGroups ?? [], assignPublicIp: vpc.assignPublicIp === 'ENABLED' }
      : undefined,
    desiredCount: s.desiredCount ?? 0,
    schedulingStrategy: s.schedulingStrategy ?? 'REPLICA',
    deploymentController: s.deploymentController?.type ?? 'ECS',
    deployment: {
      circuitBreaker: breaker ? { enable: breaker.enable ?? false, rollback: breaker.rollback ?? false } : undefined,
      minimumHealthyPercent: s.deploymentConfiguration?.minimumHealthyPercent,
      maximumPercent: s.deploymentConfiguration?.maximumPercent,
      strategy: s.deploymentConfiguration?.strategy,
    },
    tags: Object.fromEntries((s.tags ?? []).map((t) => [t.key ?? '', t.value ?? ''])),
  };
}

export function toEcsTask(t: ecs.Task): M.EcsTask {
  const eni = t.attachments?.find((a) => a.type === 'ElasticNetworkInterface');
  const detail = (name: string) => eni?.details?.find((d) => d.name === name)?.value;
  return {
    arn: t.taskArn!,
    clusterArn: t.clusterArn!,
    group: t.group,
    taskDefinitionArn: t.taskDefinitionArn!,
    lastStatus: t.lastStatus,
    availabilityZone: t.availabilityZone,
    subnetId: detail('subnetId'),
    networkInterfaceId: detail('networkInterfaceId'),
  };
}

export function toTaskDefinition(d: ecs.TaskDefinition): M.TaskDefinition {
  return {
    arn: d.taskDefinitionArn!,
    family: d.family!,
    revision: d.revision ?? 0,
    networkMode: d.networkMode,
    requiresCompatibilities: d.requiresCompatibilities ?? [],
    executionRoleArn: d.executionRoleArn,
    taskRoleArn: d.taskRoleArn,
    containers: (d.containerDefinitions ?? []).map((c) => ({
      name: c.name ?? '',
      image: c.image ?? '',
      essential: c.essential ?? true,
      logDriver: c.logConfiguration?.logDriver,
      logOptions: c.logConfiguration?.options ?? {},
      secretRefs: (c.secrets ?? []).map((s) => s.valueFrom!).filter(Boolean),
      environmentFileArns: (c.environmentFiles ?? []).filter((f) => f.type === 's3').map((f) => f.value!),
      repositoryCredentialsArn: c.repositoryCredentials?.credentialsParameter,
      ulimits: (c.ulimits ?? []).map((u) => ({ name: u.name!, softLimit: u.softLimit!, hardLimit: u.hardLimit! })),
    })),
  };
}

/** A stopped task as evidence: why it stopped, never its overrides or environment. */
export function toStoppedTask(t: ecs.Task): M.StoppedTask {
  const eni = t.attachments?.find((a) => a.type === 'ElasticNetworkInterface');
  return {
    arn: t.taskArn!,
    clusterArn: t.clusterArn!,
    group: t.group,
    startedBy: t.startedBy,
    taskDefinitionArn: t.taskDefinitionArn!,
    stopCode: t.stopCode,
    stoppedReason: t.stoppedReason,
    // A task still stopping has no stoppedAt yet: when ECS began to stop it is its time.
    stoppedAt: isoOf(t.stoppedAt ?? t.stoppingAt),
    startedAt: isoOf(t.startedAt),
    subnetId: eni?.details?.find((d) => d.name === 'subnetId')?.value,
    availabilityZone: t.availabilityZone,
    containers: (t.containers ?? []).map((c) => ({ name: c.name ?? '', reason: c.reason, exitCode: c.exitCode })),
  };
}

export function toServiceEvents(s: ecs.Service): M.ServiceEvent[] {
  return (s.events ?? []).flatMap((e) => (e.createdAt && e.message ? [{ serviceArn: s.serviceArn!, id: e.id ?? '', createdAt: isoOf(e.createdAt)!, message: e.message }] : []));
}

/** The SDK gives dates; a replayed snapshot may hand back its ISO strings. */
function isoOf(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
