// Checks over the paths from task subnets to needs: NET-01..03, EP-07, SG-01/02, NACL-01/02,
// RT-01, TD-02, TD-03. Each is a view of the hops the path engine recorded (support/paths.ts), so no
// finding here can contradict the engine: a start finding names the paths it says do not work.
import type { Inventory } from '../inventory/model';
import type { OperationName } from '../aws/operations';
import { endpointServiceName, endpointsFor, routeTableOf } from '../inventory/queries';
import { describeNeed, type Need } from '../needs';
import { missingReadOf, pathsOf, pathToRemote, type Hop, type Path, type Via } from '../paths';
import { cidrCoversCidr, cidrContainsAddress } from '../network/cidr';
import { describeRoute } from '../network/routes';
import { InputError, PlainError } from '../errors';
import type { Workload } from '../workloads';
import { defineCheck, type Finding, type NeedName } from './finding';
import type { CheckId } from './ids';
import { impactOf } from './impact';
import { createInterfaceEndpointFix, splitByPath, unlessZonesUnread } from './endpoints';
import { createS3GatewayFix, gatewayRouteFix } from '../fixes';
import { blocking, blockerOf, pathRef, pathsToService, unverified, where } from './reach';

const start = (id: CheckId, title: string, risk: string, remediation: string, source: string, extra: { needs?: readonly NeedName[]; reads?: readonly OperationName[] } = {}) =>
  defineCheck({ id, title, kinds: ['start'], severity: 'critical', risk, remediation, source, ...extra });

export const NET_01 = start(
  'NET-01',
  'a public task subnet (default route to an internet gateway) without public IPs leaves no need unreachable',
  'a task without a public IP reaches nothing through an internet gateway: each need with no endpoint or other path times out (CannotPullContainerError, ResourceInitializationError)',
  "serve the needs it names privately (endpoints, the S3 gateway endpoint's route), or run the tasks in private subnets with a NAT gateway",
  'seed 004',
);
export const NET_02 = defineCheck({
  id: 'NET-02',
  title: 'every task subnet has a verified path to every need of the workload',
  // A destination a feature states for the application ("can reach 0.0.0.0/0 on port 443") is not
  // needed to start: its findings are posture, severity from the scenario's tag.
  kinds: ['start', 'posture'],
  severity: 'high',
  risk: "start: a task that cannot reach what it needs before it starts fails with CannotPullContainerError or ResourceInitializationError; posture: the application cannot reach a destination the feature says it must (an external API, for example)",
  remediation: 'follow the blocking hop: npm run explain -- --service <cluster>/<service> shows every path hop by hop',
  source: 'seeds 002, 003, 004',
});
export const NET_03 = defineCheck({
  id: 'NET-03',
  title: "S3 traffic of the task's region leaves every task subnet through the S3 gateway endpoint",
  kinds: ['posture'],
  severity: 'medium',
  needs: ['s3'],
  risk: 'S3 traffic that misses the gateway endpoint goes through the NAT gateway (data-processing charges, internet egress) or nowhere',
  remediation: "add the task subnet's route table to the S3 gateway endpoint, and remove routes more specific than the prefix list that take part of S3 elsewhere",
  source: 'seed 000 G-I, seed 001',
});
export const EP_07 = defineCheck({
  id: 'EP-07',
  title: 'logs, secretsmanager, ssm and kms interface endpoints exist where the workload needs them',
  kinds: ['start', 'posture'],
  severity: 'medium',
  needs: ['logs', 'secretsmanager', 'ssm', 'kms'],
  risk: 'start, where nothing else reaches the service: log streams and secrets time out (ResourceInitializationError); posture, where a NAT gateway carries it: NAT charges and internet egress',
  remediation: 'create the interface endpoint with private DNS in the task zones; where a NAT route exists but is blocked, the finding names the blocker',
  source: 'seed 002',
});
export const SG_01 = start(
  'SG-01',
  'the task security groups allow egress TCP 443 to each destination its paths use',
  'blocked egress makes every pull and secret read on that path time out',
  'add an egress rule for TCP 443 to the destination named (endpoint security group, S3 prefix list, or the internet for NAT paths)',
  'seed 000 step 4, C',
);
export const SG_02 = start(
  'SG-02',
  "each endpoint's security groups allow ingress TCP 443 from the task",
  'the endpoint drops the connection: i/o timeout to its private IPs',
  "add an ingress rule for TCP 443 from the task's security group",
  'seed 000 step 4, C',
);
export const NACL_01 = start(
  'NACL-01',
  'the NACL of every task subnet allows egress TCP 443 and the ephemeral replies back, by rule order',
  'a deny rule numbered below an allow drops the request or its reply: i/o timeout',
  'remove the deny rule named, or add an allow numbered below it',
  'seed 000 F',
  { reads: ['ec2:DescribeNetworkAcls'] },
);
export const NACL_02 = start(
  'NACL-02',
  'the NACL of every endpoint or NAT subnet allows the request in and the reply back',
  'the endpoint or NAT subnet drops the traffic: i/o timeout',
  'remove the deny rule named, or add an allow numbered below it',
  'seed 000 F',
  { reads: ['ec2:DescribeNetworkAcls'] },
);
export const RT_01 = start(
  'RT-01',
  'no route a need depends on is a blackhole; each NAT gateway used is available and in a public subnet',
  'traffic routed to a missing or private target is dropped',
  'replace the blackhole route, or route 0.0.0.0/0 to an available NAT gateway in a public subnet',
  'seed 000 G, seed 004',
);
export const TD_02 = start(
  'TD-02',
  "env-file buckets are in the task's region, or the task subnets have a NAT path",
  'a gateway endpoint reaches only its own region: failed to download env files (RequestCanceled)',
  "move the env file to a bucket in the task's region, or give the task subnets a NAT path",
  'seed 004',
);
export const TD_03 = start(
  'TD-03',
  "images come from ECR in the task's region, or the task subnets have a NAT path",
  "an image outside the region's ECR needs the internet: CannotPullContainerError",
  "replicate the image to the region's ECR, or give the task subnets a NAT path",
  'AWS documentation',
);

/** Stated application egress ("can reach 0.0.0.0/0 on port 443"): NET-02 for a destination the feature names. */
export const EGRESS = NET_02;

export const PATH_CHECKS = [NET_01, NET_02, NET_03, EP_07, SG_01, SG_02, NACL_01, NACL_02, RT_01, TD_02, TD_03];

function impactOfNeed(need: Need | undefined): string {
  if (!need) return 'the traffic the feature states does not get through';
  if (need.kind === 'internet') return `tasks cannot reach the internet: ${need.reasons.join('; ')}`;
  if (need.origins.includes('env file')) return 'ResourceInitializationError: failed to download env files';
  return impactOf(need.service!);
}

/** Findings for one check: every blocking hop of that check on the workload's paths, each listed once with every path it stops. */
function hopFindings(inv: Inventory, workload: Workload, check: CheckId, paths = pathsOf(inv, workload)): Finding[] {
  const findings = new Map<string, Finding>();
  for (const path of paths) {
    for (const hop of path.hops.filter((h) => h.check === check && blocking(h))) {
      const seen = findings.get(hop.text);
      if (seen) {
        if (!seen.resourceIds.includes(path.subnet.id)) seen.resourceIds.push(path.subnet.id);
        seen.paths!.push(pathRef(path));
        continue;
      }
      findings.set(hop.text, {
        checkId: check,
        kind: 'start',
        workload: workload.id,
        resourceIds: [...new Set([...hop.resourceIds, path.subnet.id])],
        problem: `${hop.status === 'unverifiable' ? unverified(hop.text) : hop.text}, on the path from ${where(path)} to ${path.to}`,
        expected: `${path.to} reachable from ${path.subnet.id}`,
        impact: impactOfNeed(path.need),
        fix: hop.fix ?? { console: 'check the resource named above', cli: `npm run explain -- --service ${workload.id}` },
        paths: [pathRef(path)],
        ...(hop.missingRead ? { notEvaluated: inv.denied?.get(hop.missingRead) ?? `${hop.missingRead} could not be read` } : {}),
      });
    }
  }
  return [...findings.values()];
}

/** SG-01: one finding per task security group, listing every destination it lets no HTTPS reach, with one command for all. */
export function taskEgressAllowsHttps(inv: Inventory, workload: Workload): Finding[] {
  const byGroup = new Map<string, { hops: Hop[]; paths: Path[]; impact: string }>();
  for (const path of pathsOf(inv, workload)) {
    for (const hop of path.hops.filter((h) => h.check === 'SG-01' && blocking(h) && h.rule)) {
      const group = byGroup.get(hop.rule!.groupId) ?? { hops: [], paths: [], impact: impactOfNeed(path.need) };
      group.hops.push(hop);
      group.paths.push(path);
      byGroup.set(hop.rule!.groupId, group);
    }
  }
  return [...byGroup].map(([groupId, { hops, paths, impact }]) => {
    const unique = (values: string[]) => [...new Set(values)];
    const verified = hops.every((h) => h.status === 'blocked');
    return {
      checkId: 'SG-01',
      kind: 'start',
      workload: workload.id,
      resourceIds: [groupId, ...unique(paths.map((p) => p.subnet.id))],
      problem: `${verified ? '' : 'cannot be verified: '}no egress rule of the task security groups (${(workload.network?.securityGroupIds ?? []).join(', ')}) allows tcp 443 to ${unique(hops.map((h) => h.rule!.destination)).join('; ')}`,
      expected: 'egress TCP 443 to each endpoint, the S3 prefix list and the internet the task uses',
      impact,
      fix: {
        console: `VPC → Security groups → ${groupId} → Outbound rules → Edit → add HTTPS (TCP 443) to each destination above`,
        cli: `aws ec2 authorize-security-group-egress --group-id ${groupId} --ip-permissions ${unique(hops.map((h) => `'${h.rule!.permission}'`)).join(' ')} --region ${inv.region}`,
      },
      paths: paths.map(pathRef),
    };
  });
}

export const endpointIngressAllowsHttps = (inv: Inventory, w: Workload) => hopFindings(inv, w, 'SG-02');
export const taskSubnetNaclsAllowHttps = (inv: Inventory, w: Workload) => hopFindings(inv, w, 'NACL-01');
export const endpointSubnetNaclsAllowHttps = (inv: Inventory, w: Workload) => hopFindings(inv, w, 'NACL-02');
export const routesLeadSomewhere = (inv: Inventory, w: Workload) => hopFindings(inv, w, 'RT-01');

/** NET-01: a public task subnet without public IPs fails only for the needs that have no other path; it names them. */
export function taskSubnetsPrivateOrPublicIp(inv: Inventory, workload: Workload): Finding[] {
  const bySubnet = new Map<string, { hop: Hop; paths: Path[] }>();
  for (const path of pathsOf(inv, workload)) {
    const hop = path.hops.find((h) => h.check === 'NET-01' && h.status === 'blocked');
    if (!hop) continue;
    const entry = bySubnet.get(path.subnet.id) ?? { hop, paths: [] };
    entry.paths.push(path);
    bySubnet.set(path.subnet.id, entry);
  }
  return [...bySubnet.values()].map(({ hop: first, paths }) => {
    const subnet = paths[0].subnet;
    // One fix for every need it strands: a need only a public IP or NAT reaches decides it.
    const outside = paths.find((p) => !p.need || p.need.kind === 'internet' || p.need.region !== inv.region);
    const hop = outside?.hops.find((h) => h.check === 'NET-01' && h.status === 'blocked') ?? first;
    const needs = paths.map((p) => p.to);
    return {
      checkId: 'NET-01',
      kind: 'start',
      workload: workload.id,
      resourceIds: [...new Set(paths.flatMap((p) => p.hops.filter((h) => h.check === 'NET-01' && h.status === 'blocked').flatMap((h) => h.resourceIds)))],
      problem: `${subnet.id} (${subnet.availabilityZone}) is a public subnet and its tasks get no public IP, so ${needs.join(', ')} ${needs.length === 1 ? 'has' : 'have'} no path from it: ${paths.map((p) => p.hops.find((h) => h.check === 'NET-01' && h.status === 'blocked')!.text).filter((t, i, all) => all.indexOf(t) === i).join('; ')}`,
      expected: `every need reachable from ${subnet.id} without a public IP (an endpoint, the S3 gateway endpoint's route, IPv6 egress), or private subnets with a NAT gateway`,
      impact: NET_01.risk,
      fix: hop.fix!,
      paths: paths.map(pathRef),
    };
  });
}

/** NET-02: every (task subnet, need) path is verified reachable. */
export function everyNeedReachable(inv: Inventory, workload: Workload): Finding[] {
  return pathsOf(inv, workload)
    .filter((p) => p.verdict !== 'reachable')
    .map((p) => pathFinding('NET-02', inv, workload, p));
}

function pathFinding(checkId: CheckId, inv: Inventory, workload: Workload, path: Path): Finding {
  const hop = blockerOf(path)!;
  return {
    checkId,
    kind: 'start',
    workload: workload.id,
    resourceIds: [...new Set([path.subnet.id, ...(path.routeTableId ? [path.routeTableId] : []), ...hop.resourceIds])],
    problem: `${where(path)} ${path.verdict === 'blocked' ? 'cannot reach' : 'has no verifiable path to'} ${path.to}${path.need ? ` (${path.need.reasons[0]})` : ''}: ${hop.text}`,
    expected: `a verified path from ${path.subnet.id} to ${path.to}`,
    impact: impactOfNeed(path.need),
    fix: hop.fix ?? { console: `VPC → Route tables → ${path.routeTableId}`, cli: `npm run explain -- --service ${workload.id}` },
    paths: [pathRef(path)],
    ...notEvaluatedOf(inv, path),
  };
}

/** For a path only a failed read keeps from being verified: that read's one line. */
export function notEvaluatedOf(inv: Inventory, path: Path): { notEvaluated?: string } {
  const op = missingReadOf(path);
  return op ? { notEvaluated: inv.denied?.get(op) ?? `${op} could not be read` } : {};
}

/**
 * Application egress a feature states ("can reach 0.0.0.0/0 on port 443", seed 003). Tasks start
 * without it, so a finding is posture: the feature's own requirement is not met.
 */
export function remoteReachable(inv: Inventory, workload: Workload, remote: string, port: number): Finding[] {
  return workload.taskSubnets
    .map((s) => pathToRemote(inv, workload, s, remote, port))
    .filter((p) => p.verdict !== 'reachable')
    .map((p) => ({ ...pathFinding('NET-02', inv, workload, p), kind: 'posture' as const, paths: undefined, impact: `the application cannot reach ${remote} on port ${port}, which the feature says it must` }));
}

/** "goes through NAT gateway nat-…", "goes nowhere (blackhole route to nat-…)". */
function wayOf(path: Path): string {
  const target = path.targetId && path.targetId !== 'local' ? path.targetId : undefined;
  if (path.via === 'nowhere') return `goes nowhere${target ? ` (its route to ${target} is a blackhole)` : ''}`;
  return `goes through ${path.via}${target ? ` ${target}` : ''}`;
}

/** The route kinds a feature can name for NET-03. */
export type ExpectedPath = { via: Via; service?: string; label: string };

function s3PrefixList(inv: Inventory) {
  return [...inv.prefixLists.values()].find((l) => l.name === endpointServiceName(inv.region, 's3'));
}

/**
 * NET-03 for one address a feature names. For the S3 gateway endpoint, an address outside the
 * region's S3 ranges is a mistake in the feature (it rightly goes elsewhere), not a finding.
 */
export function addressGoesThrough(inv: Inventory, workload: Workload, address: string, port: number, expected: ExpectedPath): Finding[] {
  if (expected.service === 's3') {
    const list = s3PrefixList(inv);
    if (!list) throw new PlainError(`the inventory of ${inv.account}/${inv.region} has no S3 prefix list (${endpointServiceName(inv.region, 's3')}), so "${address}" cannot be checked against S3's ranges`);
    if (!list.cidrs.some((c) => cidrContainsAddress(c, address))) {
      throw new InputError(
        `${address} is not an S3 address of ${inv.region} (it is in none of the ${list.cidrs.length} ranges of ${list.id}), so no S3 gateway endpoint would carry it: ` +
          `name an address of the region's S3 ranges (such as ${list.cidrs[0]?.split('/')[0]}), or use the step "S3 traffic from every task subnet goes through the S3 gateway endpoint"`,
      );
    }
  }
  // A workload that reads nothing from S3 has no S3 traffic to route.
  if (expected.service === 's3' && pathsToService(inv, workload, 's3').length === 0) return [];
  const findings: Finding[] = [];
  for (const s of workload.taskSubnets) {
    const path = pathToRemote(inv, workload, s, address, port);
    const endpoint = path.via === 'gateway endpoint' || path.via === 'interface endpoint' ? inv.endpoints.find((e) => e.id === path.targetId) : undefined;
    const serviceMatches = !expected.service || endpoint?.serviceName === endpointServiceName(inv.region, expected.service);
    if (path.via === expected.via && serviceMatches) continue;
    const route = path.hops.find((h) => h.check === 'RT-01' || h.check === 'NET-02');
    const table = path.routeTableId ?? 'its route table';
    const gateway = expected.service ? endpointsFor(inv, s.subnet.vpcId, expected.service, 'Gateway')[0] : undefined;
    findings.push({
      checkId: 'NET-03',
      kind: 'posture',
      workload: workload.id,
      resourceIds: [table, s.subnet.id, ...(path.targetId && path.targetId !== 'local' ? [path.targetId] : [])],
      problem: `from ${where(path)}, ${address}:${port} ${wayOf(path)}, not through ${expected.label}: ${route?.text ?? 'no route evidence'}`,
      expected: `${address}:${port} through ${expected.label} from ${s.subnet.id}`,
      impact: NET_03.risk,
      fix:
        gateway && expected.via === 'gateway endpoint'
          ? gatewayRouteFix(inv, gateway.id, table)
          : { console: `VPC → Route tables → ${table} → Routes`, cli: `npm run explain -- --service ${workload.id} --to ${address}:${port}` },
    });
  }
  return findings;
}

/**
 * NET-03 as the default features state it: on the route table of every task subnet, the region's
 * whole S3 prefix list goes to an available S3 gateway endpoint, and no route at least as specific
 * as one of its ranges (a static route wins a tie) takes part of it elsewhere.
 */
export function s3PrefixListThroughGateway(inv: Inventory, workload: Workload): Finding[] {
  if (!workload.vpcId || pathsToService(inv, workload, 's3').length === 0) return [];
  // AWS lists its prefix lists in every region; a snapshot without it still shows which route goes to the endpoint.
  const list = s3PrefixList(inv) ?? { id: `the S3 prefix list (${endpointServiceName(inv.region, 's3')})`, cidrs: [] as string[] };
  const gateways = endpointsFor(inv, workload.vpcId, 's3', 'Gateway').filter((e) => e.state === 'available');
  const tables = new Map<string, { table: NonNullable<ReturnType<typeof routeTableOf>['table']>; subnets: string[] }>();
  for (const s of workload.taskSubnets) {
    const { table } = routeTableOf(inv, s.subnet);
    if (!table) continue;
    const entry = tables.get(table.id) ?? { table, subnets: [] };
    entry.subnets.push(`${s.subnet.id} (${s.subnet.availabilityZone})`);
    tables.set(table.id, entry);
  }
  const findings: Finding[] = [];
  for (const { table, subnets } of tables.values()) {
    const listRoute = table.routes.find((r) => r.destination.kind === 'prefix-list' && r.target.kind === 'gateway-endpoint' && r.state === 'active' && gateways.some((g) => g.id === r.target.id));
    const base = { checkId: 'NET-03' as const, kind: 'posture' as const, workload: workload.id, impact: NET_03.risk, expected: `${list.id} (S3 in ${inv.region}) -> an S3 gateway endpoint on ${table.id}, with no route taking part of it elsewhere` };
    if (!listRoute) {
      const gateway = gateways[0];
      findings.push({
        ...base,
        resourceIds: [table.id, ...(gateway ? [gateway.id] : [workload.vpcId])],
        problem: `route table ${table.id} (task subnets ${subnets.join(', ')}) has no route for ${list.id} to ${gateway ? `S3 gateway endpoint ${gateway.id}` : 'an S3 gateway endpoint'}: S3 traffic in ${inv.region} follows its other routes`,
        fix: gateway ? gatewayRouteFix(inv, gateway.id, table.id) : createS3GatewayFix(inv, workload.vpcId, table.id),
      });
      continue;
    }
    for (const route of table.routes) {
      if (route === listRoute || route.destination.kind !== 'cidr' || route.state !== 'active') continue;
      const cidr = route.destination.cidr;
      const taken = list.cidrs.filter((c) => cidrCoversCidr(c, cidr));
      if (taken.length === 0) continue;
      findings.push({
        ...base,
        resourceIds: [table.id, route.target.id],
        problem: `route table ${table.id} (task subnets ${subnets.join(', ')}) sends ${describeRoute(route)}, which is at least as specific as ${taken.join(', ')} of ${list.id}: that part of S3 bypasses ${listRoute.target.id}`,
        fix: {
          console: `VPC → Route tables → ${table.id} → Routes → Edit routes → remove ${describeRoute(route)}`,
          cli: `aws ec2 delete-route --route-table-id ${table.id} --destination-cidr-block ${cidr} --region ${inv.region}`,
        },
      });
    }
  }
  return findings;
}

/** EP-07: logs, secretsmanager, ssm and kms: an endpoint, else start where nothing reaches them, posture where a NAT gateway does. */
export function supportingEndpointsWhereNeeded(inv: Inventory, workload: Workload, services: readonly NeedName[] = ['logs', 'secretsmanager', 'ssm', 'kms']): Finding[] {
  if (!workload.vpcId) return [];
  const vpcId = workload.vpcId;
  return services.flatMap((service) => {
    // A private hosted zone that answers the name (a centralized endpoint) is DNS-02's path, not a missing endpoint.
    const paths = pathsToService(inv, workload, service).filter((p) => !p.hops.some((h) => h.check === 'DNS-02'));
    if (paths.length === 0) return [];
    if (endpointsFor(inv, vpcId, service, 'Interface').some((e) => e.state === 'available')) return []; // reached or not, NET-02, SG and NACL explain it
    const reasons = paths[0].need!.reasons[0];
    return unlessZonesUnread(
      inv,
      vpcId,
      service,
      splitByPath(
        {
          checkId: 'EP-07',
          workload: workload.id,
          resourceIds: [vpcId],
          expected: `an available ${endpointServiceName(inv.region, service)} interface endpoint with private DNS`,
          fix: createInterfaceEndpointFix(inv, workload, vpcId, service, paths),
        },
        `${vpcId} has no ${service} interface endpoint (${reasons})`,
        service,
        paths,
      ),
    );
  });
}

/** TD-02: env files in another region's bucket need a NAT (or IGW) path from every task subnet. */
export function envFileBucketsReachable(inv: Inventory, workload: Workload): Finding[] {
  return originFindings(inv, workload, 'TD-02', 'env file', (need) =>
    need.region
      ? `bucket in ${need.region}, outside the task's region ${inv.region}: a gateway endpoint cannot reach it`
      : `bucket region unknown (${need.unknown})`,
  );
}

/** TD-03: images outside the region's ECR need a NAT (or IGW) path from every task subnet. */
export function imagesReachable(inv: Inventory, workload: Workload): Finding[] {
  return originFindings(inv, workload, 'TD-03', 'image', (need) =>
    need.kind === 'internet' ? 'the image is not in a private ECR registry' : `the registry is in ${need.region}, not ${inv.region}`,
  );
}

function originFindings(inv: Inventory, workload: Workload, checkId: CheckId, origin: 'env file' | 'image', why: (need: Need) => string): Finding[] {
  const outside = (need: Need) => need.origins.includes(origin) && (need.kind === 'internet' || need.region !== inv.region);
  return pathsOf(inv, workload)
    .filter((p) => p.need && outside(p.need) && p.verdict !== 'reachable')
    .map((p) => {
      const finding = pathFinding(checkId, inv, workload, p);
      return { ...finding, problem: `${where(p)} cannot reach ${describeNeed(p.need!)} for ${p.need!.reasons.filter((r) => r.startsWith(origin)).join('; ')}: ${why(p.need!)}, and ${blockerOf(p)!.text}` };
    });
}
