// Which workloads a scenario is about, and the subnets their tasks run in (CHECKS.md section 0):
// the subnets of the network configuration plus those of running tasks' network interfaces.
import { toChoose } from './fixes';
import type { AwsVpcConfiguration, EcsService, Inventory, ScheduledTask, Subnet } from './inventory/model';
import type { Fix } from './checks/finding';
import { InputError } from './errors';
import { closest } from './util/closest';
import { resourceNameOf } from './util/arn';
import { assertReadable, deniedAmong, DeniedReadError, SCHEDULED_TASK_READS } from './inventory/denied';

export type Scope =
  | { kind: 'service'; cluster: string; service: string }
  | { kind: 'cluster'; cluster: string }
  | { kind: 'tag'; key: string; value: string }
  | { kind: 'account' }
  | { kind: 'scheduled tasks' }
  | { kind: 'scheduled task'; name: string }
  | { kind: 'all workloads' };

export type SubnetSource = 'configuration' | 'running task';

export interface TaskSubnet {
  subnet: Subnet;
  sources: SubnetSource[];
}

/** What ECS starts tasks for: a service, or a scheduled task (an EventBridge rule or schedule). */
export interface Workload {
  kind: 'service' | 'scheduled task';
  /** "cluster/service" for a service, as reports name it. */
  id: string;
  arn: string;
  clusterName: string;
  taskDefinitionArn: string;
  network?: AwsVpcConfiguration;
  /** Fargate tasks (launch type or capacity provider): only they get a public IP in awsvpc mode. */
  fargate: boolean;
  /** The service itself, for service-only checks (deployment settings). */
  service?: EcsService;
  /** The rule or schedule that starts it, for a scheduled task. */
  scheduledTask?: ScheduledTask;
  vpcId?: string;
  taskSubnets: TaskSubnet[];
  /** Subnet IDs the workload names that the account does not have. */
  missingSubnetIds: string[];
}

/**
 * For a scope of services and scheduled tasks: why the scheduled tasks are not in it, when their
 * reads failed (denied, or an error after the retries); the services are still evaluated.
 */
export function unlistedScheduledTasks(inv: Inventory, scope: Scope): DeniedReadError | undefined {
  if (scope.kind !== 'all workloads') return undefined;
  const failed = deniedAmong(inv, SCHEDULED_TASK_READS);
  return failed.length ? new DeniedReadError('the scheduled tasks', failed, inv) : undefined;
}

/** A scope that names something the account does not have: the scenario fails, naming it. */
export class ScopeError extends InputError {
  override name = 'ScopeError';
}

export function describeScope(scope: Scope): string {
  switch (scope.kind) {
    case 'service':
      return `service ${scope.cluster}/${scope.service}`;
    case 'cluster':
      return `every service of cluster ${scope.cluster}`;
    case 'tag':
      return `every service tagged ${scope.key}=${scope.value}`;
    case 'account':
      return 'every service in the account';
    case 'scheduled tasks':
      return 'every scheduled task of the account';
    case 'scheduled task':
      return `the scheduled task ${scope.name}`;
    case 'all workloads':
      return 'every service and scheduled task in the account';
  }
}

export function selectWorkloads(inv: Inventory, scope: Scope): Workload[] {
  // Without the EventBridge and Scheduler reads no scheduled task is known: say so, do not pass on none.
  if (scope.kind === 'scheduled tasks' || scope.kind === 'scheduled task') assertReadable(inv, SCHEDULED_TASK_READS, describeScope(scope));
  if (scope.kind === 'account') return inv.services.map((s) => toWorkload(inv, s));
  if (scope.kind === 'scheduled tasks') return inv.scheduledTasks.map((t) => toScheduledWorkload(inv, t));
  // Scheduled tasks that could not be listed leave the services to check (unlistedScheduledTasks says so).
  if (scope.kind === 'all workloads') return [...inv.services.map((s) => toWorkload(inv, s)), ...inv.scheduledTasks.map((t) => toScheduledWorkload(inv, t))];
  if (scope.kind === 'scheduled task') {
    const names = inv.scheduledTasks.map((t) => t.name);
    // A schedule may be named with or without its group ("default/nightly" or "nightly").
    const task = inv.scheduledTasks.find((t) => t.name === scope.name || t.name.split('/').pop() === scope.name);
    if (!task) throw new ScopeError(`no EventBridge rule or schedule "${scope.name}" runs an ECS task in ${inv.account}/${inv.region}${didYouMean(scope.name, names)}; scheduled tasks: ${listOrNone(names.sort())}`);
    return [toScheduledWorkload(inv, task)];
  }
  if (scope.kind === 'tag') {
    const tagged = inv.services.filter((s) => s.tags[scope.key] === scope.value);
    if (tagged.length === 0) assertNoTagTypo(inv, scope.key, scope.value);
    return tagged.map((s) => toWorkload(inv, s));
  }
  const clusterNames = inv.clusters.map((c) => c.name).sort();
  if (!clusterNames.includes(scope.cluster)) {
    throw new ScopeError(`cluster "${scope.cluster}" does not exist in ${inv.account}/${inv.region}${didYouMean(scope.cluster, clusterNames)}; clusters: ${listOrNone(clusterNames)}`);
  }
  const services = inv.services.filter((s) => s.clusterName === scope.cluster);
  if (scope.kind === 'cluster') return services.map((s) => toWorkload(inv, s));
  const service = services.find((s) => s.name === scope.service);
  if (!service) {
    const names = services.map((s) => s.name).sort();
    throw new ScopeError(`service "${scope.service}" does not exist in cluster "${scope.cluster}"${didYouMean(scope.service, names)}; its services: ${listOrNone(names)}`);
  }
  return [toWorkload(inv, service)];
}

/**
 * A tag scope that selects nothing because of a typo fails, naming what exists: a key the account
 * has under other values, or a key close to one it has. A tag the account does not use at all
 * selects nothing, which the scenario reports as not applicable (world.ts), never as a pass.
 */
function assertNoTagTypo(inv: Inventory, key: string, value: string): void {
  const values = new Map<string, Set<string>>();
  for (const s of inv.services) for (const [k, v] of Object.entries(s.tags)) values.set(k, (values.get(k) ?? new Set()).add(v));
  const known = values.get(key);
  if (known) {
    const list = [...known].sort();
    throw new ScopeError(`no service in ${inv.account}/${inv.region} is tagged ${key}=${value}${didYouMean(value, list).replace(/"([^"]*)"/, `"${key}=$1"`)}; its services are tagged ${key}=${list.join(`, ${key}=`)}`);
  }
  const near = closest(key, [...values.keys()]) ?? [...values.keys()].find((k) => k.toLowerCase() === key.toLowerCase());
  if (near) {
    throw new ScopeError(`no service in ${inv.account}/${inv.region} has the tag key "${key}" (did you mean "${near}"?); tag keys there: ${listOrNone([...values.keys()].sort())}`);
  }
}

/** Why a scope that is spelt right selects nothing, for the scenario's log; undefined when it selects something. */
export function emptyScopeNote(inv: Inventory, scope: Scope): string {
  const where = `${inv.account}/${inv.region}`;
  switch (scope.kind) {
    case 'tag':
      return `no service in ${where} is tagged ${scope.key}=${scope.value} (no service there has a "${scope.key}" tag): the scenario does not apply to this account`;
    case 'cluster':
      return `cluster "${scope.cluster}" has no service in ${where}: the scenario has nothing to check`;
    case 'scheduled tasks':
      return `no EventBridge rule or schedule runs an ECS task in ${where}: the scenario has nothing to check`;
    default:
      return `${describeScope(scope)} selects no workload in ${where}: the scenario has nothing to check`;
  }
}

function didYouMean(word: string, names: string[]): string {
  const suggestion = closest(word, names);
  return suggestion ? ` (did you mean "${suggestion}"?)` : '';
}

function listOrNone(names: string[]): string {
  return names.length ? names.join(', ') : '(none)';
}

function toWorkload(inv: Inventory, service: EcsService): Workload {
  const sources = new Map<string, SubnetSource[]>();
  const add = (id: string, source: SubnetSource) => {
    const list = sources.get(id) ?? [];
    if (!list.includes(source)) list.push(source);
    sources.set(id, list);
  };
  for (const id of service.network?.subnetIds ?? []) add(id, 'configuration');
  for (const subnetId of runningTaskSubnets(inv, service)) add(subnetId, 'running task');
  const { taskSubnets, missingSubnetIds } = resolveSubnets(inv, sources);
  return {
    kind: 'service',
    id: `${service.clusterName}/${service.name}`,
    arn: service.arn,
    clusterName: service.clusterName,
    taskDefinitionArn: service.taskDefinitionArn,
    network: service.network,
    fargate: service.launchType === 'FARGATE' || service.capacityProviders.some((c) => c.startsWith('FARGATE')),
    service,
    vpcId: taskSubnets[0]?.subnet.vpcId,
    taskSubnets,
    missingSubnetIds,
  };
}

/** A scheduled task's subnets are those of its target's network configuration: it has no long-running tasks to look at. */
function toScheduledWorkload(inv: Inventory, task: ScheduledTask): Workload {
  const sources = new Map<string, SubnetSource[]>((task.network?.subnetIds ?? []).map((id) => [id, ['configuration']]));
  const { taskSubnets, missingSubnetIds } = resolveSubnets(inv, sources);
  return {
    kind: 'scheduled task',
    id: `${task.source === 'EventBridge rule' ? 'rule' : 'schedule'}/${task.name}`,
    arn: task.arn,
    clusterName: resourceNameOf(task.clusterArn),
    taskDefinitionArn: task.taskDefinitionArn,
    network: task.network,
    fargate: task.launchType === 'FARGATE' || task.capacityProviders.some((c) => c.startsWith('FARGATE')),
    scheduledTask: task,
    vpcId: taskSubnets[0]?.subnet.vpcId,
    taskSubnets,
    missingSubnetIds,
  };
}

function resolveSubnets(inv: Inventory, sources: Map<string, SubnetSource[]>): { taskSubnets: TaskSubnet[]; missingSubnetIds: string[] } {
  const taskSubnets: TaskSubnet[] = [];
  const missingSubnetIds: string[] = [];
  for (const [id, from] of sources) {
    const subnet = inv.subnets.get(id);
    if (subnet) taskSubnets.push({ subnet, sources: from });
    else missingSubnetIds.push(id);
  }
  taskSubnets.sort((a, b) => a.subnet.availabilityZone.localeCompare(b.subnet.availabilityZone) || a.subnet.id.localeCompare(b.subnet.id));
  return { taskSubnets, missingSubnetIds };
}

// The subnets of running tasks by cluster and task group, indexed once per inventory (which is never
// changed once loaded): scanning every task for every service made each scope quadratic.
const taskSubnetIndex = new WeakMap<Inventory, Map<string, string[]>>();

function runningTaskSubnets(inv: Inventory, service: EcsService): string[] {
  let index = taskSubnetIndex.get(inv);
  if (!index) {
    index = new Map();
    for (const task of inv.tasks) {
      if (!task.subnetId || !task.group) continue;
      const key = `${task.clusterArn} ${task.group}`;
      const subnets = index.get(key);
      if (subnets) subnets.push(task.subnetId);
      else index.set(key, [task.subnetId]);
    }
    taskSubnetIndex.set(inv, index);
  }
  return index.get(`${service.clusterArn} service:${service.name}`) ?? [];
}

/** Where and how to change a workload's subnets, security groups or public IP setting. */
export function networkFix(workload: Workload, region: string, change: { subnets?: string; assignPublicIp?: 'ENABLED' | 'DISABLED' }): Fix {
  const subnets = change.subnets ?? (workload.network?.subnetIds.join(',') || toChoose('SUBNETS', 'the task subnets, comma-separated'));
  const groups = workload.network?.securityGroupIds.join(',') ?? '';
  const assign = change.assignPublicIp ?? (workload.network?.assignPublicIp ? 'ENABLED' : 'DISABLED');
  const [cluster, name] = [workload.clusterName, workload.id.split('/').pop()];
  return workload.service
    ? {
        console: `ECS → Clusters → ${cluster} → Services → ${name} → Update service → Networking`,
        cli: `aws ecs update-service --cluster ${cluster} --service ${name} --network-configuration "awsvpcConfiguration={subnets=[${subnets}],securityGroups=[${groups}],assignPublicIp=${assign}}" --region ${region}`,
      }
    : workload.scheduledTask?.source === 'EventBridge rule'
      ? {
          console: `Amazon EventBridge → Rules → ${name} → Targets → Edit → ECS task → Compute options: subnets ${subnets}, auto-assign public IP ${assign}`,
          cli: `aws events list-targets-by-rule --rule ${name} --region ${region}  # then aws events put-targets with EcsParameters.NetworkConfiguration.awsvpcConfiguration={Subnets=[${subnets}],AssignPublicIp=${assign}}`,
        }
      : {
          console: `Amazon EventBridge → Schedules → ${workload.scheduledTask?.name} → Edit → Target: subnets ${subnets}, auto-assign public IP ${assign}`,
          cli: `aws scheduler get-schedule --name ${name} --group-name ${workload.scheduledTask?.name.split('/')[0] ?? 'default'} --region ${region}  # then aws scheduler update-schedule with the new awsvpcConfiguration`,
        };
}
