// Checks over the paths from task subnets to needs: NET-01..03, EP-07, SG-01/02, NACL-01/02,
// RT-01, TD-02, TD-03. Each is a view of the hops the path engine recorded (support/paths.ts).
import type { Inventory } from '../inventory/model';
import { endpointServiceName, endpointsFor } from '../inventory/queries';
import { describeNeed, type Need } from '../needs';
import { pathsOf, pathToRemote, publicSubnetHop, type Hop, type Path, type Via } from '../paths';
import type { Workload } from '../workloads';
import type { CheckInfo, Finding } from './finding';
import { impactOf } from './impact';

const info = (id: string, title: string, risk: string, severity: CheckInfo['severity'] = 'critical'): CheckInfo => ({ id, title, severity, risk });

export const NET_01 = info('NET-01', 'every task subnet is private, or public with assignPublicIp ENABLED', 'a task in a public subnet without a public IP reaches nothing outside the VPC: image pulls and secrets time out');
export const NET_02 = info('NET-02', 'every task subnet has a verified path to every need of the workload', 'a task that cannot reach what it needs before it starts fails with CannotPullContainerError or ResourceInitializationError');
export const NET_03 = info('NET-03', 'traffic to a given address takes the expected path from every task subnet', 'traffic that takes another path than intended fails or costs NAT data charges (seed 000: S3 layers through the NAT)', 'high');
export const EP_07 = info('EP-07', 'logs, secretsmanager and ssm endpoints exist where the workload needs them and has no NAT path', 'without an endpoint or NAT, log streams and secrets time out: ResourceInitializationError');
export const SG_01 = info('SG-01', 'the task security groups allow egress TCP 443 to each endpoint and to the S3 prefix list', 'blocked egress makes every pull and secret read time out');
export const SG_02 = info('SG-02', "each endpoint's security groups allow ingress TCP 443 from the task", 'the endpoint drops the connection: i/o timeout to its private IPs');
export const NACL_01 = info('NACL-01', 'the NACL of every task subnet allows egress TCP 443 and the ephemeral replies back, by rule order', 'a deny rule numbered below an allow drops the request or its reply: i/o timeout');
export const NACL_02 = info('NACL-02', 'the NACL of every endpoint or NAT subnet allows the request in and the reply back', 'the endpoint or NAT subnet drops the traffic: i/o timeout');
export const RT_01 = info('RT-01', 'no route a need depends on is a blackhole; each NAT gateway used is available and in a public subnet', 'traffic routed to a missing or private target is dropped');
export const TD_02 = info('TD-02', "env-file buckets are in the task's region, or the task subnets have a NAT path", 'a gateway endpoint reaches only its own region: failed to download env files (RequestCanceled)');
export const TD_03 = info('TD-03', "images come from ECR in the task's region, or the task subnets have a NAT path", 'an image outside the region\'s ECR needs the internet: CannotPullContainerError');

export const PATH_CHECKS = [NET_01, NET_02, NET_03, EP_07, SG_01, SG_02, NACL_01, NACL_02, RT_01, TD_02, TD_03];

function impactOfNeed(need: Need | undefined): string {
  if (!need) return 'the traffic the feature states does not get through';
  if (need.kind === 'internet') return `tasks cannot reach the internet: ${need.reasons.join('; ')}`;
  if (need.origins.includes('env file')) return 'ResourceInitializationError: failed to download env files';
  return impactOf(need.service!);
}

function where(path: Path): string {
  return `${path.subnet.id} (${path.subnet.availabilityZone})`;
}

function blocking(hop: Hop): boolean {
  return hop.status === 'blocked' || hop.status === 'unverifiable';
}

/** Findings for one check: every blocking hop of that check on the workload's paths, each listed once. */
function hopFindings(inv: Inventory, workload: Workload, check: string, paths = pathsOf(inv, workload)): Finding[] {
  const findings = new Map<string, Finding>();
  for (const path of paths) {
    for (const hop of path.hops.filter((h) => h.check === check && blocking(h))) {
      const seen = findings.get(hop.text);
      if (seen) {
        if (!seen.resourceIds.includes(path.subnet.id)) seen.resourceIds.push(path.subnet.id);
        continue;
      }
      findings.set(hop.text, {
        checkId: check,
        workload: workload.id,
        resourceIds: [...new Set([...hop.resourceIds, path.subnet.id])],
        problem: `${hop.status === 'unverifiable' ? 'cannot be verified: ' : ''}${hop.text}, on the path from ${where(path)} to ${path.to}`,
        expected: `${path.to} reachable from ${path.subnet.id}`,
        impact: impactOfNeed(path.need),
        fix: hop.fix ?? { console: 'check the resource named above', cli: `aws ec2 describe-route-tables --route-table-ids ${path.routeTableId ?? ''} --region ${inv.region}` },
      });
    }
  }
  return [...findings.values()];
}

/** SG-01: one finding per task security group, listing every destination it lets no HTTPS reach, with one command for all. */
export function taskEgressAllowsHttps(inv: Inventory, workload: Workload): Finding[] {
  const byGroup = new Map<string, { hops: Hop[]; subnets: Set<string>; impact: string }>();
  for (const path of pathsOf(inv, workload)) {
    for (const hop of path.hops.filter((h) => h.check === 'SG-01' && blocking(h) && h.rule)) {
      const group = byGroup.get(hop.rule!.groupId) ?? { hops: [], subnets: new Set<string>(), impact: impactOfNeed(path.need) };
      group.hops.push(hop);
      group.subnets.add(path.subnet.id);
      byGroup.set(hop.rule!.groupId, group);
    }
  }
  return [...byGroup].map(([groupId, { hops, subnets, impact }]) => {
    const unique = (values: string[]) => [...new Set(values)];
    const verified = hops.every((h) => h.status === 'blocked');
    return {
      checkId: 'SG-01',
      workload: workload.id,
      resourceIds: [groupId, ...subnets],
      problem: `${verified ? '' : 'cannot be verified: '}no egress rule of the task security groups (${(workload.network?.securityGroupIds ?? []).join(', ')}) allows tcp 443 to ${unique(hops.map((h) => h.rule!.destination)).join('; ')}`,
      expected: 'egress TCP 443 to each endpoint, the S3 prefix list and the internet the task uses',
      impact,
      fix: {
        console: `VPC → Security groups → ${groupId} → Outbound rules → Edit → add HTTPS (TCP 443) to each destination above`,
        cli: `aws ec2 authorize-security-group-egress --group-id ${groupId} --ip-permissions ${unique(hops.map((h) => `'${h.rule!.permission}'`)).join(' ')} --region ${inv.region}`,
      },
    };
  });
}

export const endpointIngressAllowsHttps = (inv: Inventory, w: Workload) => hopFindings(inv, w, 'SG-02');
export const taskSubnetNaclsAllowHttps = (inv: Inventory, w: Workload) => hopFindings(inv, w, 'NACL-01');
export const endpointSubnetNaclsAllowHttps = (inv: Inventory, w: Workload) => hopFindings(inv, w, 'NACL-02');
export const routesLeadSomewhere = (inv: Inventory, w: Workload) => hopFindings(inv, w, 'RT-01');

/** NET-01: public task subnets need public IPs, whatever the task needs. */
export function taskSubnetsPrivateOrPublicIp(inv: Inventory, workload: Workload): Finding[] {
  return workload.taskSubnets.flatMap((s) => {
    const hop = publicSubnetHop(inv, workload, s);
    if (!hop || hop.status === 'ok') return [];
    return [{ checkId: 'NET-01', workload: workload.id, resourceIds: hop.resourceIds, problem: hop.text, expected: `${s.subnet.id} private (0.0.0.0/0 to a NAT gateway or none), or assignPublicIp ENABLED`, impact: NET_01.risk, fix: hop.fix! }];
  });
}

/** NET-02: every (task subnet, need) path is verified reachable. */
export function everyNeedReachable(inv: Inventory, workload: Workload): Finding[] {
  return pathsOf(inv, workload)
    .filter((p) => p.verdict !== 'reachable')
    .map((p) => pathFinding('NET-02', inv, workload, p));
}

function pathFinding(checkId: string, inv: Inventory, workload: Workload, path: Path): Finding {
  const hop = path.hops.find(blocking)!;
  return {
    checkId,
    workload: workload.id,
    resourceIds: [...new Set([path.subnet.id, ...(path.routeTableId ? [path.routeTableId] : []), ...hop.resourceIds])],
    problem: `${where(path)} ${path.verdict === 'blocked' ? 'cannot reach' : 'has no verifiable path to'} ${path.to}${path.need ? ` (${path.need.reasons[0]})` : ''}: ${hop.text}`,
    expected: `a verified path from ${path.subnet.id} to ${path.to}`,
    impact: impactOfNeed(path.need),
    fix: hop.fix ?? { console: `VPC → Route tables → ${path.routeTableId}`, cli: `npm run explain -- --service ${workload.id}` },
  };
}

/** Application egress a feature states ("can reach 0.0.0.0/0 on port 443", seed 003): NET-02 for that destination. */
export function remoteReachable(inv: Inventory, workload: Workload, remote: string, port: number): Finding[] {
  return workload.taskSubnets
    .map((s) => pathToRemote(inv, workload, s, remote, port))
    .filter((p) => p.verdict !== 'reachable')
    .map((p) => pathFinding('NET-02', inv, workload, p));
}

/** The route kinds a feature can name for NET-03. */
export type ExpectedPath = { via: Via; service?: string; label: string };

/** NET-03: from every task subnet, the address goes through the expected kind of target. */
export function addressGoesThrough(inv: Inventory, workload: Workload, address: string, port: number, expected: ExpectedPath): Finding[] {
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
      workload: workload.id,
      resourceIds: [s.subnet.id, table, ...(path.targetId ? [path.targetId] : [])],
      problem: `from ${where(path)}, ${address}:${port} goes through ${path.via}${path.targetId && path.targetId !== 'local' ? ` ${path.targetId}` : ''}, not ${expected.label}: ${route?.text ?? 'no route evidence'}`,
      expected: `${address}:${port} through ${expected.label} from ${s.subnet.id}`,
      impact: NET_03.risk,
      fix:
        gateway && expected.via === 'gateway endpoint'
          ? {
              console: `VPC → Endpoints → ${gateway.id} → Route tables → Manage route tables → tick ${table}`,
              cli: `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${gateway.id} --add-route-table-ids ${table} --region ${inv.region}`,
            }
          : { console: `VPC → Route tables → ${table} → Routes`, cli: `npm run explain -- --service ${workload.id} --to ${address}:${port}` },
    });
  }
  return findings;
}

/** EP-07: logs, secretsmanager and ssm have an endpoint, or the subnet reaches them over NAT anyway. */
export function supportingEndpointsWhereNeeded(inv: Inventory, workload: Workload): Finding[] {
  // One finding per missing endpoint, naming every task subnet it leaves stranded.
  const missing = new Map<string, { vpcId: string; need: Need; subnets: Path['subnet'][] }>();
  for (const path of pathsOf(inv, workload)) {
    const need = path.need;
    if (!need?.service || !['logs', 'secretsmanager', 'ssm'].includes(need.service) || need.region !== inv.region) continue;
    if (path.verdict === 'reachable') continue;
    // An endpoint that exists but is not reached is for NET-02, SG and NACL checks to explain.
    if (endpointsFor(inv, path.subnet.vpcId, need.service, 'Interface').some((e) => e.state === 'available')) continue;
    const key = `${path.subnet.vpcId} ${need.service}`;
    const entry = missing.get(key) ?? { vpcId: path.subnet.vpcId, need, subnets: [] };
    entry.subnets.push(path.subnet);
    missing.set(key, entry);
  }
  const groups = workload.network?.securityGroupIds ?? [];
  return [...missing.values()].map(({ vpcId, need, subnets }) => {
    const name = endpointServiceName(inv.region, need.service!);
    const ids = subnets.map((s) => s.id);
    return {
      checkId: 'EP-07',
      workload: workload.id,
      resourceIds: [vpcId, ...ids],
      problem: `${vpcId} has no ${need.service} interface endpoint, and task subnets ${subnets.map((s) => `${s.id} (${s.availabilityZone})`).join(', ')} have no NAT path either (${need.reasons[0]})`,
      expected: `an available ${name} interface endpoint with private DNS, or a NAT path`,
      impact: impactOf(need.service!),
      fix: {
        console: `VPC → Endpoints → Create endpoint → ${name} → VPC ${vpcId} → subnets ${ids.join(', ')} → Enable DNS name`,
        cli: `aws ec2 create-vpc-endpoint --vpc-id ${vpcId} --vpc-endpoint-type Interface --service-name ${name} --subnet-ids ${ids.join(' ')} --private-dns-enabled${groups.length ? ` --security-group-ids ${groups.join(' ')}` : ''} --region ${inv.region}`,
      },
    };
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

function originFindings(inv: Inventory, workload: Workload, checkId: string, origin: 'env file' | 'image', why: (need: Need) => string): Finding[] {
  const outside = (need: Need) => need.origins.includes(origin) && (need.kind === 'internet' || need.region !== inv.region);
  return pathsOf(inv, workload)
    .filter((p) => p.need && outside(p.need) && p.verdict !== 'reachable')
    .map((p) => {
      const finding = pathFinding(checkId, inv, workload, p);
      return { ...finding, problem: `${where(p)} cannot reach ${describeNeed(p.need!)} for ${p.need!.reasons.filter((r) => r.startsWith(origin)).join('; ')}: ${why(p.need!)}, and ${p.hops.find(blocking)!.text}` };
    });
}
