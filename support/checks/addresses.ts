// NET-04: every task subnet has free addresses for a deployment. Each awsvpc task holds one address
// of its subnet; a deployment starts new tasks before it stops the old ones, so a subnet that has
// room for today's tasks can still run out halfway through a deployment. AvailableIpAddressCount
// (DescribeSubnets) already excludes the addresses today's tasks hold: what a deployment needs on
// top is each workload's share of its peak in the subnet, minus its tasks running there now.
import type { EcsService, Inventory, Subnet } from '../inventory/model';
import { routeTableOf } from '../inventory/queries';
import { canonicalCidr, cidrsOverlap, parseCidr, splitCidr } from '../network/cidr';
import { naclOf } from '../network/nacls';
import { networkFix, selectWorkloads, type Workload } from '../workloads';
import { usesAwsvpc } from './consistency';
import { defineCheck, regionFlag, type Finding, type Fix } from './finding';
import { toChoose } from '../fixes';

export const NET_04 = defineCheck({
  id: 'NET-04',
  title: 'every task subnet has free addresses for a deployment of the workloads that use it',
  kinds: ['resilience'],
  severity: 'high',
  evidence: 'configuration',
  risk: 'a deployment starts its new tasks before it stops the old ones, and each takes a free address of its subnet: a new task that finds none gets no network interface, so the deployment stalls or rolls back (the tasks already running keep theirs)',
  remediation: 'spread the workload over subnets in more zones, lower its maximumPercent, or move it to a larger subnet (a subnet cannot be resized)',
  source: 'CHECKS.md 3.3 (NET-04); ECS DeploymentConfiguration.maximumPercent; EC2 InsufficientFreeAddressesInSubnet',
});

/** AWS reserves the first four addresses and the last one of every subnet. */
const RESERVED = 5;

/** What one workload's deployment (or a scheduled task's run) asks of one subnet. */
export interface SubnetDemand {
  workload: Workload;
  subnet: Subnet;
  /** Its tasks in the subnet at the peak of a deployment (its share of the peak, spread over zones and subnets). */
  share: number;
  /** Its tasks running in the subnet now: their addresses are already taken, so not counted again. */
  running: number;
  /** Addresses it takes beyond those it holds: share − running, never below zero. */
  extra: number;
}

/** How many tasks a workload runs at once at the peak of a deployment, and why; undefined when a deployment needs no address beyond those its tasks hold. */
export function deploymentPeak(workload: Workload): { tasks: number; basis: string } | undefined {
  const task = workload.scheduledTask;
  if (task) {
    if (task.state === 'DISABLED') return undefined;
    return { tasks: task.taskCount, basis: `each run starts ${plural(task.taskCount, 'new task')} (TaskCount ${task.taskCount})` };
  }
  const service = workload.service;
  if (!service || service.desiredCount <= 0) return undefined;
  return servicePeak(service);
}

function servicePeak(service: EcsService): { tasks: number; basis: string } | undefined {
  const desired = service.desiredCount;
  // A daemon's deployment stops each task on its instance before it starts the replacement.
  if (service.schedulingStrategy === 'DAEMON') return undefined;
  if (service.deploymentController === 'CODE_DEPLOY' || service.deploymentController === 'EXTERNAL') {
    // maximumPercent does not apply: a blue/green deployment runs a whole replacement task set beside the original.
    const who = service.deploymentController === 'CODE_DEPLOY' ? 'a CodeDeploy blue/green deployment' : 'an external deployment that scales its new task set to 100%';
    return { tasks: 2 * desired, basis: `${who} runs a replacement task set beside the original: 2 × desired count ${desired}` };
  }
  const strategy = service.deployment.strategy ?? 'ROLLING';
  if (strategy !== 'ROLLING') {
    return { tasks: 2 * desired, basis: `an ECS ${strategy.toLowerCase().replace('_', '/')} deployment runs the new revision at full size beside the old one: 2 × desired count ${desired}` };
  }
  const maximumPercent = service.deployment.maximumPercent ?? 200;
  // ECS rounds the ceiling down; it never runs fewer than the desired count.
  const tasks = Math.max(desired, Math.floor((desired * maximumPercent) / 100));
  return { tasks, basis: `desired count ${desired} × maximumPercent ${maximumPercent} / 100 = ${tasks} tasks at once` };
}

/**
 * The peak's share of each configured subnet: ECS spreads awsvpc tasks evenly over the zones of
 * the subnets, and over the subnets within a zone.
 */
export function subnetShares(inv: Inventory, workload: Workload, peak: number): Map<string, number> {
  const subnets = [...new Set(workload.network?.subnetIds ?? [])].flatMap((id) => inv.subnets.get(id) ?? []);
  const byZone = new Map<string, Subnet[]>();
  for (const s of subnets) byZone.set(s.availabilityZone, [...(byZone.get(s.availabilityZone) ?? []), s]);
  const shares = new Map<string, number>();
  const perZone = Math.ceil(peak / Math.max(byZone.size, 1));
  for (const inZone of byZone.values()) for (const s of inZone) shares.set(s.id, Math.ceil(perZone / inZone.length));
  return shares;
}

// Every awsvpc workload's demand by subnet, built once per inventory (rebuilt if its lists are
// replaced or grow: tests edit the inventories they build). Scoped scenarios still count the
// workloads outside their scope: they share the subnets all the same.
const demandIndex = new WeakMap<Inventory, { key: unknown[]; bySubnet: Map<string, SubnetDemand[]> }>();

export function demandsBySubnet(inv: Inventory): Map<string, SubnetDemand[]> {
  const key = [inv.services, inv.services.length, inv.scheduledTasks, inv.scheduledTasks.length, inv.tasks, inv.tasks.length, inv.subnets, inv.subnets.size];
  const known = demandIndex.get(inv);
  if (known && known.key.every((k, i) => k === key[i])) return known.bySubnet;
  const running = new Map<string, number>();
  for (const t of inv.tasks) {
    if (!t.subnetId || !t.group || t.lastStatus === 'STOPPED') continue;
    const k = `${t.clusterArn} ${t.group} ${t.subnetId}`;
    running.set(k, (running.get(k) ?? 0) + 1);
  }
  const bySubnet = new Map<string, SubnetDemand[]>();
  for (const workload of selectWorkloads(inv, { kind: 'all workloads' })) {
    if (!usesAwsvpc(inv, workload)) continue;
    const peak = deploymentPeak(workload);
    if (!peak) continue;
    for (const [subnetId, share] of subnetShares(inv, workload, peak.tasks)) {
      // A scheduled run starts new tasks whatever runs now; a service's running tasks already hold their addresses.
      const service = workload.service;
      const now = service ? (running.get(`${service.clusterArn} service:${service.name} ${subnetId}`) ?? 0) : 0;
      const demand = { workload, subnet: inv.subnets.get(subnetId)!, share, running: now, extra: Math.max(0, share - now) };
      const list = bySubnet.get(subnetId);
      if (list) list.push(demand);
      else bySubnet.set(subnetId, [demand]);
    }
  }
  demandIndex.set(inv, { key, bySubnet });
  return bySubnet;
}

/**
 * NET-04: in every subnet the workload's deployment places tasks in, the free addresses cover the
 * extra addresses of every workload there that could deploy at the same time.
 */
export function subnetsHaveRoomForDeployment(inv: Inventory, workload: Workload): Finding[] {
  const peak = deploymentPeak(workload);
  if (!peak) return [];
  const demands = demandsBySubnet(inv);
  const findings: Finding[] = [];
  for (const subnetId of new Set(workload.network?.subnetIds ?? [])) {
    const here = demands.get(subnetId) ?? [];
    const own = here.find((d) => d.workload.id === workload.id);
    if (!own || own.extra === 0) continue;
    const subnet = own.subnet;
    const where = `${subnet.id} (${subnet.availabilityZone})`;
    const free = subnet.availableIpAddressCount;
    if (free === undefined) {
      findings.push({
        ...findingBase(workload, subnet),
        problem: `the free addresses of ${where} are unknown: DescribeSubnets gave no AvailableIpAddressCount`,
        expected: `room for ${plural(own.extra, 'new task')} of ${workload.id}`,
        impact: NET_04.risk,
        fix: { console: `VPC → Subnets → ${subnet.id} → Available IPv4 addresses`, cli: `aws ec2 describe-subnets --subnet-ids ${subnet.id} --query "Subnets[].AvailableIpAddressCount" ${regionFlag(inv.region)}` },
        notEvaluated: `ec2:DescribeSubnets returned no AvailableIpAddressCount for ${subnet.id}`,
      });
      continue;
    }
    const others = here.filter((d) => d !== own && d.extra > 0);
    const needed = own.extra + others.reduce((sum, d) => sum + d.extra, 0);
    if (needed <= free) continue;
    // Only what is true whatever else the run finds: the tasks running now already hold their addresses.
    const starts = workload.scheduledTask
      ? `a run of ${workload.id} starts ${plural(own.extra, 'task')}`
      : `today's tasks hold their addresses, but a deployment of ${workload.id} starts up to ${plural(own.extra, 'new task')}`;
    const shared = others.length
      ? `; ${others.map((d) => `${d.workload.id} (${d.extra})`).join(', ')} ${others.length === 1 ? 'places' : 'place'} tasks there too, and if ${others.length === 1 ? `it ${others[0].workload.scheduledTask ? 'runs' : 'deploys'}` : `they ${others.some((d) => d.workload.scheduledTask) ? 'deploy or run' : 'deploy'}`} at the same time the subnet needs ${needed}`
      : '';
    findings.push({
      ...findingBase(workload, subnet),
      problem: `${starts} in ${where}, which has ${plural(free, 'free address', 'free addresses')}${own.extra > free ? '' : ' (enough for it alone)'}${shared}`,
      expected: `at least ${needed} free addresses in ${subnet.id}: ${[own, ...others].map((d) => `${d.workload.id} ${d.extra} (${shareText(d)})`).join('; ')}; ${peak.basis} for ${workload.id}`,
      impact: workload.scheduledTask
        ? `each run starts its tasks at once, and each takes a free address of its subnet: the tasks that find none stop in PROVISIONING with InsufficientFreeAddressesInSubnet ("The specified subnet does not have enough free addresses to satisfy the request"), and that run's work is not done`
        : `${NET_04.risk}. The new tasks that find no address stop in PROVISIONING with InsufficientFreeAddressesInSubnet ("The specified subnet does not have enough free addresses to satisfy the request") and the service's events say it was unable to place a task`,
      fix: roomFix(inv, workload, subnet, { own, others, free, needed }),
    });
  }
  return findings;
}

function findingBase(workload: Workload, subnet: Subnet): Pick<Finding, 'checkId' | 'kind' | 'workload' | 'resourceIds'> {
  return { checkId: 'NET-04', kind: 'resilience', workload: workload.id, resourceIds: [subnet.id, workload.arn] };
}

function shareText(d: SubnetDemand): string {
  return d.workload.scheduledTask ? `${d.share} per run` : `${d.share} at the peak, ${d.running} running there now`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The fixes that make room, most direct first: another zone, a lower maximumPercent, a larger subnet. */
function roomFix(inv: Inventory, workload: Workload, subnet: Subnet, room: { own: SubnetDemand; others: SubnetDemand[]; free: number; needed: number }): Fix {
  const options: Fix[] = [];
  // What is left of the subnet for this workload when the others deploy at the same time.
  const left = room.free - (room.needed - room.own.extra);
  const spread = otherZoneSubnet(inv, workload, subnet, room.own.running, left);
  if (spread) {
    const subnets = [...(workload.network?.subnetIds ?? []), spread.id].join(',');
    const fix = networkFix(workload, inv.region, { subnets });
    options.push({ console: `${fix.console} → add ${spread.id} (${spread.availabilityZone}), keeping the subnets and security groups it has`, cli: fix.cli });
  }
  const service = workload.service;
  const lower = service && lowerMaximumPercent(inv, workload, service, subnet, room.own.running, left);
  if (service && lower !== undefined) {
    options.push({
      console: `ECS → Clusters → ${service.clusterName} → Services → ${service.name} → Update service → Deployment options → Max running tasks % ${lower}`,
      cli: `aws ecs update-service --cluster ${service.clusterName} --service ${service.name} --deployment-configuration "${deploymentConfiguration(service, lower)}" ${regionFlag(inv.region)}`,
    });
  }
  const task = workload.scheduledTask;
  const fewer = task && fewerTasksPerRun(inv, workload, task.taskCount, subnet, left);
  if (task && fewer !== undefined) {
    const name = task.name.split('/').pop()!;
    options.push(
      task.source === 'EventBridge rule'
        ? {
            console: `Amazon EventBridge → Rules → ${name} → Targets → Edit → ECS task → Count ${fewer}`,
            cli: `aws events list-targets-by-rule --rule ${name} ${regionFlag(inv.region)}  # then aws events put-targets with EcsParameters.TaskCount=${fewer}`,
          }
        : {
            console: `Amazon EventBridge → Schedules → ${task.name} → Edit → Target: Task count ${fewer}`,
            cli: `aws scheduler get-schedule --name ${name} --group-name ${task.name.split('/')[0]} ${regionFlag(inv.region)}  # then aws scheduler update-schedule with Target.EcsParameters.TaskCount=${fewer}`,
          },
    );
  }
  options.push(largerSubnetFix(inv, workload, subnet, room));
  return {
    console: options.map((o, i) => `${options.length > 1 ? `(${i + 1}) ` : ''}${o.console}`).join('; or '),
    cli: options.map((o) => o.cli).join('  # or: '),
  };
}

/**
 * A subnet of the workload's VPC in a zone it does not use, that another workload already runs
 * tasks in (so its routes serve tasks), and with which the deployment fits: its share in `subnet`
 * within `left` and its share in the new one within what the others there leave.
 */
function otherZoneSubnet(inv: Inventory, workload: Workload, subnet: Subnet, running: number, left: number): Subnet | undefined {
  const ids = workload.network?.subnetIds ?? [];
  const own = ids.flatMap((id) => inv.subnets.get(id) ?? []);
  const zones = new Set(own.map((s) => s.availabilityZone));
  const demands = demandsBySubnet(inv);
  const used = new Set<string>();
  for (const list of demands.values()) for (const d of list) if (d.workload.id !== workload.id) used.add(d.subnet.id);
  for (const t of inv.tasks) if (t.subnetId) used.add(t.subnetId);
  const peak = deploymentPeak(workload)!.tasks;
  const fits = (candidate: Subnet) => {
    const shares = subnetShares(inv, { ...workload, network: { ...workload.network!, subnetIds: [...ids, candidate.id] } }, peak);
    const othersThere = (demands.get(candidate.id) ?? []).filter((d) => d.workload.id !== workload.id).reduce((sum, d) => sum + d.extra, 0);
    return (shares.get(subnet.id) ?? 0) - running <= left && (shares.get(candidate.id) ?? 0) <= (candidate.availableIpAddressCount ?? 0) - othersThere;
  };
  return [...used]
    .flatMap((id) => inv.subnets.get(id) ?? [])
    .filter((s) => s.vpcId === own[0]?.vpcId && !zones.has(s.availabilityZone))
    .sort((a, b) => (b.availableIpAddressCount ?? 0) - (a.availableIpAddressCount ?? 0) || a.id.localeCompare(b.id))
    .find(fits);
}

/**
 * The highest maximumPercent below the current one (as ECS rounds it: the lowest percent giving
 * that peak) whose deployment fits in `room` addresses of the subnet and still starts at least one
 * new task before it stops an old one; undefined when none does.
 */
function lowerMaximumPercent(inv: Inventory, workload: Workload, service: EcsService, subnet: Subnet, running: number, room: number): number | undefined {
  if (service.schedulingStrategy === 'DAEMON' || service.deploymentController !== 'ECS' || (service.deployment.strategy ?? 'ROLLING') !== 'ROLLING') return undefined;
  const desired = service.desiredCount;
  const tasksAt = (percent: number) => Math.floor((desired * percent) / 100);
  for (let percent = (service.deployment.maximumPercent ?? 200) - 1; tasksAt(percent) > desired; percent--) {
    const tasks = tasksAt(percent);
    if ((subnetShares(inv, workload, tasks).get(subnet.id) ?? 0) - running > room) continue;
    // The lowest percent with the same peak reads best: 120 rather than 129 for 10 tasks.
    while (tasksAt(percent - 1) === tasks) percent--;
    return percent;
  }
  return undefined;
}

/** The most tasks per run, below `count`, whose share of the subnet fits in `room`; undefined when none does. */
function fewerTasksPerRun(inv: Inventory, workload: Workload, count: number, subnet: Subnet, room: number): number | undefined {
  for (let tasks = count - 1; tasks >= 1; tasks--) if ((subnetShares(inv, workload, tasks).get(subnet.id) ?? 0) <= room) return tasks;
  return undefined;
}

/** A new, larger subnet in the same zone from a free block of the VPC, with the short subnet's route table, then the workload moved onto it. */
function largerSubnetFix(inv: Inventory, workload: Workload, subnet: Subnet, room: { free: number; needed: number }): Fix {
  const usable = 2 ** (32 - parseCidr(subnet.cidrBlock).prefixLength) - RESERVED;
  const wanted = usable - room.free + room.needed;
  let prefix = parseCidr(subnet.cidrBlock).prefixLength - 1;
  while (prefix > 16 && 2 ** (32 - prefix) - RESERVED < wanted) prefix--;
  const vpc = inv.vpcs.get(subnet.vpcId);
  const taken = [...inv.subnets.values()].filter((s) => s.vpcId === subnet.vpcId && s.cidrBlock).map((s) => s.cidrBlock);
  const block = (vpc?.cidrBlocks ?? []).map((c) => freeBlock(c, prefix, taken)).find(Boolean);
  const region = regionFlag(inv.region);
  const { table, explicit } = routeTableOf(inv, subnet);
  const acl = naclOf(inv, subnet.id);
  const replaced = (workload.network?.subnetIds ?? []).map((id) => (id === subnet.id ? '$NEW' : id)).join(',');
  const move = networkFix(workload, inv.region, { subnets: replaced });
  const withTable = explicit && table ? ` && aws ec2 associate-route-table --route-table-id ${table.id} --subnet-id "$NEW" ${region}` : '';
  const aclNote = acl && !acl.isDefault ? `, network ACL ${acl.id}` : '';
  if (!block) {
    return {
      console: `VPC → Your VPCs → ${subnet.vpcId} → Actions → Edit CIDRs → Add a CIDR block, then create a /${prefix} subnet in ${subnet.availabilityZone} (a subnet cannot be resized; ${subnet.vpcId} has no free /${prefix})`,
      cli: `aws ec2 associate-vpc-cidr-block --vpc-id ${subnet.vpcId} --cidr-block "${toChoose('CIDR', 'a free range of your address plan')}" ${region}  # then a /${prefix} subnet in ${subnet.availabilityZone} with route table ${table?.id ?? 'of ' + subnet.id}`,
    };
  }
  return {
    console: `VPC → Subnets → Create subnet → VPC ${subnet.vpcId}, zone ${subnet.availabilityZone}, IPv4 CIDR ${block} (a subnet cannot be resized) → give it what ${subnet.id} has (route table ${table?.id ?? 'main'}${aclNote}) → then ${move.console}: replace ${subnet.id} with it`,
    // Scheduler's command is a comment to complete by hand: name the subnets it needs.
    cli: `NEW=$(aws ec2 create-subnet --vpc-id ${subnet.vpcId} --availability-zone ${subnet.availabilityZone} --cidr-block ${block} --query Subnet.SubnetId --output text ${region})${withTable} && ${move.cli}${move.cli.includes('$NEW') ? '' : ` (subnets ${replaced})`}`,
  };
}

/** The first block of `prefix` inside `cidr` that overlaps none of `taken`; undefined when there is none. */
export function freeBlock(cidr: string, prefix: number, taken: string[]): string | undefined {
  const block = parseCidr(cidr);
  if (block.family !== 'ipv4' || block.prefixLength > prefix) return undefined;
  const overlapping = taken.filter((t) => cidrsOverlap(block, t));
  if (overlapping.length === 0) return `${block.network.toString()}/${prefix}`;
  if (block.prefixLength === prefix) return undefined;
  const halves = splitCidr(block)!;
  for (const half of halves) {
    const found = freeBlock(canonicalCidr(half), prefix, overlapping);
    if (found) return found;
  }
  return undefined;
}

/** A task subnet's free addresses and what a deployment of each workload there would take on top, in words (npm run explain). */
export function describeRoom(inv: Inventory, subnet: Subnet): string {
  const where = `${subnet.id} (${subnet.availabilityZone}, ${subnet.cidrBlock})`;
  if (subnet.availableIpAddressCount === undefined) return `${where}: free addresses unknown (DescribeSubnets gave no AvailableIpAddressCount)`;
  const demands = (demandsBySubnet(inv).get(subnet.id) ?? []).filter((d) => d.extra > 0);
  const needed = demands.reduce((sum, d) => sum + d.extra, 0);
  const short = needed - subnet.availableIpAddressCount;
  const what = demands.length
    ? `; ${demands.length > 1 ? 'deploying or running at once, they take' : demands[0].workload.scheduledTask ? 'a run takes' : 'a deployment takes'} ${needed} more (${demands.map((d) => `${d.workload.id} ${d.extra}`).join(', ')}): ${short > 0 ? `${short} short` : 'enough'}`
    : '; no deployment here takes more than its tasks hold';
  return `${where}: ${plural(subnet.availableIpAddressCount, 'free address', 'free addresses')}${what}`;
}

/**
 * The service's deployment configuration with another maximumPercent, written out whole: the other
 * settings are passed as they are, so that changing one does not reset the circuit breaker.
 */
function deploymentConfiguration(service: EcsService, maximumPercent: number): string {
  const { circuitBreaker, minimumHealthyPercent } = service.deployment;
  return [
    `maximumPercent=${maximumPercent}`,
    ...(minimumHealthyPercent !== undefined ? [`minimumHealthyPercent=${minimumHealthyPercent}`] : []),
    ...(circuitBreaker ? [`deploymentCircuitBreaker={enable=${circuitBreaker.enable},rollback=${circuitBreaker.rollback}}`] : []),
  ].join(',');
}
