// EP-01..EP-05: the VPC endpoints a task pulls its image through. Each applies only to workloads
// that have the need (an ECR image or S3 layers in their own region), and decides its kind from the
// path engine: no endpoint and no other path is a start failure; no endpoint while a NAT gateway
// carries the traffic is posture; an endpoint reached only across zones is resilience.
import type { Inventory, RouteTable, VpcEndpoint } from '../inventory/model';
import { endpointServiceName, endpointsFor, endpointZones, routeTableOf } from '../inventory/queries';
import { missingReadOf, type Path } from '../paths';
import type { TaskSubnet, Workload } from '../workloads';
import { defineCheck, type Check, type Finding, type Fix, type NeedName } from './finding';
import { impactOf } from './impact';
import { createS3GatewayFix, gatewayRouteFix, interfaceEndpointFix } from '../fixes';
import { blockerOf, byReachability, howItLeaves, pathRef, pathsToService, subnetList, whyUnreachable } from './reach';

const NAT_COST = 'traffic to an AWS service then leaves the VPC through a NAT or internet gateway: NAT data-processing charges, and it crosses the internet instead of staying on the AWS network';

export const EP_01 = defineCheck({
  id: 'EP-01',
  title: 'an ecr.api interface endpoint exists in the VPC and is available',
  kinds: ['start', 'posture'],
  severity: 'medium',
  needs: ['ecr.api'],
  risk: `start, where nothing else reaches ECR: ${impactOf('ecr.api')}; posture, where a NAT gateway carries it: ${NAT_COST}`,
  remediation: 'create an ecr.api interface endpoint with private DNS and a subnet in every task zone',
  source: 'seeds 000, 002',
});
export const EP_02 = defineCheck({
  id: 'EP-02',
  title: 'an ecr.dkr interface endpoint exists in the VPC and is available',
  kinds: ['start', 'posture'],
  severity: 'medium',
  needs: ['ecr.dkr'],
  risk: `start, where nothing else reaches ECR: ${impactOf('ecr.dkr')}; posture, where a NAT gateway carries it: ${NAT_COST}`,
  remediation: 'create an ecr.dkr interface endpoint with private DNS and a subnet in every task zone',
  source: 'seeds 000, 002',
});
export const EP_03 = defineCheck({
  id: 'EP-03',
  title: 'each needed interface endpoint has a subnet in the availability zone of every task subnet',
  kinds: ['resilience'],
  severity: 'medium',
  needs: ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssm', 'kms'],
  risk: 'tasks in an uncovered zone reach the endpoint across zones: it works, with cross-zone data charges, and an outage of the covered zones cuts them off',
  remediation: 'add a subnet in each task zone to the endpoint (Manage subnets)',
  source: 'seed 000 steps 2-3, D',
});
export const EP_04 = defineCheck({
  id: 'EP-04',
  title: 'needed interface endpoints resolve privately: private DNS on, VPC DNS support and DNS hostnames on',
  kinds: ['start', 'posture'],
  severity: 'medium',
  needs: ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssm', 'kms'],
  risk: 'without private DNS the service name resolves to public addresses and the route table decides: a start failure where that route leads nowhere, NAT charges where a NAT gateway carries it',
  remediation: 'enable private DNS on the endpoint, and DNS support and DNS hostnames on its VPC',
  source: 'seed 000 step 5, B',
});
export const EP_05 = defineCheck({
  id: 'EP-05',
  title: "the S3 gateway endpoint's route is on the route table of every task subnet",
  kinds: ['start', 'posture'],
  severity: 'medium',
  needs: ['s3'],
  risk: `start, where nothing else reaches S3: ${impactOf('s3')}; posture, where a NAT gateway carries it: ${NAT_COST}`,
  remediation: "add every task subnet's route table to the S3 gateway endpoint (or create one)",
  source: 'seed 000 step 6, E, H; seed 001',
});

/** The check that states "an <service> interface endpoint exists": EP-01 and EP-02 for ECR's two. */
export function existenceCheck(service: string): Check {
  if (service === 'ecr.api') return EP_01;
  if (service === 'ecr.dkr') return EP_02;
  throw new Error(`no existence check for ${service}: EP-07 states the other endpoints`);
}

function az(taskSubnet: TaskSubnet): string {
  return taskSubnet.subnet.availabilityZone;
}

/** One subnet per zone is what an endpoint takes: the first task subnet in each zone of these paths. */
function subnetsPerZone(paths: Path[]): string[] {
  const byZone = new Map<string, string>();
  for (const p of paths) if (!byZone.has(p.subnet.availabilityZone)) byZone.set(p.subnet.availabilityZone, p.subnet.id);
  return [...byZone.values()];
}

export function createInterfaceEndpointFix(inv: Inventory, workload: Workload, vpcId: string, service: string, paths: Path[]): Fix {
  return interfaceEndpointFix(inv, {
    vpcId,
    service,
    subnetIds: subnetsPerZone(paths),
    taskGroups: workload.network?.securityGroupIds ?? [],
    taskSubnetCidrs: [...new Set(workload.taskSubnets.map((s) => s.subnet.cidrBlock))],
  });
}

/**
 * Findings for a condition that sends a need's traffic away from its endpoint: a start finding for
 * the task subnets that then reach nothing, a posture finding for those a NAT or internet gateway serves.
 */
export function splitByPath(
  base: Pick<Finding, 'checkId' | 'workload' | 'resourceIds' | 'expected' | 'fix'>,
  condition: string,
  service: string,
  paths: Path[],
): Finding[] {
  const { reachable, unreachable: all } = byReachability(paths);
  // Paths only a failed read keeps from being verified say so, apart from those something blocks.
  const unreadable = all.filter((p) => missingReadOf(p));
  const unreachable = all.filter((p) => !missingReadOf(p));
  const findings: Finding[] = [];
  if (unreachable.length) {
    findings.push({
      ...base,
      kind: 'start',
      resourceIds: [...new Set([...base.resourceIds, ...unreachable.map((p) => p.subnet.id)])],
      problem: `${condition}, and tasks in ${subnetList(unreachable)} have no other path to ${service}: ${whyUnreachable(unreachable)}`,
      impact: impactOf(service),
      paths: unreachable.map(pathRef),
    });
  }
  if (unreadable.length) {
    findings.push({
      ...base,
      kind: 'start',
      resourceIds: [...new Set([...base.resourceIds, ...unreadable.map((p) => p.subnet.id)])],
      problem: `${condition}; whether tasks in ${subnetList(unreadable)} reach ${service} otherwise cannot be verified: ${whyUnreachable(unreadable)}`,
      impact: impactOf(service),
      paths: unreadable.map(pathRef),
      notEvaluated: [...new Set(unreadable.map((p) => blockerOf(p)!.text))].join('; '),
    });
  }
  if (reachable.length) {
    findings.push({
      ...base,
      kind: 'posture',
      // What to change and where; the NAT gateways that carry the traffic work, so they are named in the text only.
      resourceIds: [...new Set([...base.resourceIds, ...reachable.map((p) => p.subnet.id)])],
      problem: `${condition}: ${service} traffic leaves ${howItLeaves(reachable)}`,
      impact: `tasks start, but ${NAT_COST}`,
    });
  }
  return findings;
}

/** EP-01 / EP-02: an available interface endpoint for `service` in the workload's VPC, where the workload needs it. */
export function interfaceEndpointAvailable(inv: Inventory, workload: Workload, service: NeedName): Finding[] {
  const check = existenceCheck(service);
  // A private hosted zone that answers the name (a centralized endpoint) is DNS-02's path, not a missing endpoint.
  const paths = pathsToService(inv, workload, service).filter((p) => !p.hops.some((h) => h.check === 'DNS-02'));
  if (!workload.vpcId || paths.length === 0) return [];
  const endpoints = endpointsFor(inv, workload.vpcId, service, 'Interface');
  if (endpoints.some((e) => e.state === 'available')) return [];
  const name = endpointServiceName(inv.region, service);
  const condition = endpoints.length
    ? `${service} interface endpoint ${endpoints.map((e) => `${e.id} is ${e.state}`).join(', ')}, not available`
    : `${workload.vpcId} has no ${service} interface endpoint`;
  const fix: Fix = endpoints.length
    ? {
        console: `VPC → Endpoints → ${endpoints[0].id} → Details: read the state message; if it is rejected or failed, create the endpoint again`,
        cli: `aws ec2 describe-vpc-endpoints --vpc-endpoint-ids ${endpoints[0].id} --region ${inv.region} --query 'VpcEndpoints[0].[State,LastError]'`,
      }
    : createInterfaceEndpointFix(inv, workload, workload.vpcId, service, paths);
  return unlessZonesUnread(
    inv,
    workload.vpcId,
    service,
    splitByPath(
      { checkId: check.id, workload: workload.id, resourceIds: [...endpoints.map((e) => e.id), workload.vpcId], expected: `an available interface endpoint for ${name} in ${workload.vpcId}`, fix },
      condition,
      service,
      paths,
    ),
  );
}

/**
 * Without the private hosted zones of the VPC (ListHostedZonesByVPC denied, or an older snapshot),
 * a missing endpoint may be served by a centralized one (DNS-02): its start findings could not be
 * evaluated, never a false "no endpoint". Posture findings (a NAT gateway carries it) stand.
 */
export function unlessZonesUnread(inv: Inventory, vpcId: string, service: string, findings: Finding[]): Finding[] {
  const unread = inv.denied?.get('route53:ListHostedZonesByVPC');
  if (!unread) return findings;
  return findings.map((f) =>
    f.kind === 'start' && !f.notEvaluated ? { ...f, notEvaluated: `whether a private hosted zone associated with ${vpcId} sends ${service} to an endpoint elsewhere could not be read (${unread})` } : f,
  );
}

/** EP-03: every task subnet's zone has a subnet of the available `service` endpoint its tasks use. */
export function interfaceEndpointCoversTaskSubnets(inv: Inventory, workload: Workload, service: NeedName): Finding[] {
  const paths = pathsToService(inv, workload, service);
  if (!workload.vpcId || paths.length === 0) return [];
  // No available endpoint is EP-01/EP-02/EP-07's finding, not a zone gap. A private hosted zone may
  // send the name to an endpoint of a hub VPC instead (DNS-02): its zones are what the tasks reach.
  const own: VpcEndpoint | undefined = endpointsFor(inv, workload.vpcId, service, 'Interface').find((e) => e.state === 'available');
  const central = own ? undefined : paths.find((p) => p.via === 'interface endpoint' && p.hops.some((h) => h.check === 'DNS-02'));
  const endpoint = own ?? inv.endpoints.find((e) => e.id === central?.targetId);
  if (!endpoint) return [];
  const covered = new Set(endpointZones(inv, endpoint));
  const zones = [...covered].sort().join(', ') || 'no zone';
  if (endpoint.vpcId !== workload.vpcId) return centralEndpointZoneGaps(inv, workload, service, endpoint, covered, zones);
  return workload.taskSubnets
    .filter((s) => !covered.has(az(s)))
    .map((s): Finding => ({
      checkId: 'EP-03',
      kind: 'resilience',
      workload: workload.id,
      resourceIds: [endpoint.id, s.subnet.id, az(s)],
      problem:
        `${service} endpoint ${endpoint.id} covers ${zones}, not ${az(s)}: tasks in ${s.subnet.id} (${az(s)}${s.sources.includes('configuration') ? '' : ', used by a running task only'})` +
        ` reach it across zones`,
      expected: `${endpoint.id} has a subnet in ${az(s)}`,
      impact: `tasks start today, with cross-zone data charges; if ${zones} ${covered.size === 1 ? 'fails' : 'fail'}, tasks in ${az(s)} lose ${service} too: ${impactOf(service)}`,
      fix: {
        console: `VPC → Endpoints → ${endpoint.id} → Actions → Manage subnets → tick ${s.subnet.id} (${az(s)}) → Save`,
        cli: `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${endpoint.id} --add-subnet-ids ${s.subnet.id} --region ${inv.region}`,
      },
    }));
}

/** EP-03 for an endpoint of a hub VPC that a private hosted zone points at: a subnet of the hub in each task zone. */
function centralEndpointZoneGaps(inv: Inventory, workload: Workload, service: NeedName, endpoint: VpcEndpoint, covered: Set<string>, zones: string[] | string): Finding[] {
  const missing = [...new Set(workload.taskSubnets.map(az).filter((zone) => !covered.has(zone)))];
  return missing.map((zone): Finding => {
    const stranded = workload.taskSubnets.filter((s) => az(s) === zone).map((s) => s.subnet.id);
    const hubSubnet = [...inv.subnets.values()].find((s) => s.vpcId === endpoint.vpcId && s.availabilityZone === zone);
    return {
      checkId: 'EP-03',
      kind: 'resilience',
      workload: workload.id,
      resourceIds: [endpoint.id, ...stranded, zone],
      problem: `${service} is answered by a private hosted zone with ${endpoint.id} in ${endpoint.vpcId}, which covers ${zones}, not ${zone}: tasks in ${stranded.join(', ')} reach it across zones`,
      expected: `${endpoint.id} has a subnet in ${zone}`,
      impact: `tasks start today, with cross-zone data charges; if ${zones} fail, tasks in ${zone} lose ${service} too: ${impactOf(service)}`,
      fix: {
        console: `VPC → Endpoints → ${endpoint.id} → Actions → Manage subnets → tick a subnet of ${endpoint.vpcId} in ${zone} → Save`,
        cli: `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${endpoint.id} --add-subnet-ids ${hubSubnet?.id ?? `<subnet-of-${endpoint.vpcId}-in-${zone}>`} --region ${inv.region}`,
      },
    };
  });
}

/** EP-04: the available `service` endpoints resolve privately; where they do not, the route table decides what happens. */
export function interfaceEndpointPrivateDns(inv: Inventory, workload: Workload, service: NeedName): Finding[] {
  const paths = pathsToService(inv, workload, service);
  if (!workload.vpcId || paths.length === 0) return [];
  const vpc = inv.vpcs.get(workload.vpcId);
  const endpoint = endpointsFor(inv, workload.vpcId, service, 'Interface').find((e) => e.state === 'available');
  const bypassing = paths.filter((p) => p.via !== 'interface endpoint');
  if (!vpc || bypassing.length === 0) return [];
  if (!vpc.dnsSupport) {
    // The path engine blocks every path of a VPC without DNS support: nothing resolves.
    return splitByPath(
      {
        checkId: 'EP-04',
        workload: workload.id,
        resourceIds: [vpc.id],
        expected: `DNS support enabled on ${vpc.id}`,
        fix: {
          console: `VPC → Your VPCs → ${vpc.id} → Actions → Edit VPC settings → Enable DNS resolution → Save`,
          cli: `aws ec2 modify-vpc-attribute --vpc-id ${vpc.id} --enable-dns-support '{"Value":true}' --region ${inv.region}`,
        },
      },
      `DNS support is off on ${vpc.id}`,
      service,
      bypassing,
    );
  }
  if (!endpoint) return []; // no endpoint to resolve to: EP-01/EP-02/EP-07
  const findings: Finding[] = [];
  if (!endpoint.privateDnsEnabled) {
    findings.push(
      ...splitByPath(
        {
          checkId: 'EP-04',
          workload: workload.id,
          resourceIds: [endpoint.id, vpc.id],
          expected: `private DNS enabled on ${endpoint.id}`,
          fix: {
            console: `VPC → Endpoints → ${endpoint.id} → Actions → Modify private DNS name → Enable for this endpoint → Save`,
            cli: `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${endpoint.id} --private-dns-enabled --region ${inv.region}`,
          },
        },
        `${service} endpoint ${endpoint.id} has private DNS off, so the ${service} name resolves to public addresses`,
        service,
        bypassing,
      ),
    );
  } else if (!vpc.dnsHostnames) {
    findings.push(
      ...splitByPath(
        {
          checkId: 'EP-04',
          workload: workload.id,
          resourceIds: [vpc.id, endpoint.id],
          expected: `DNS hostnames enabled on ${vpc.id}`,
          fix: {
            console: `VPC → Your VPCs → ${vpc.id} → Actions → Edit VPC settings → Enable DNS hostnames → Save`,
            cli: `aws ec2 modify-vpc-attribute --vpc-id ${vpc.id} --enable-dns-hostnames '{"Value":true}' --region ${inv.region}`,
          },
        },
        `${vpc.id} has DNS hostnames off, so the private DNS name of ${endpoint.id} does not resolve`,
        service,
        bypassing,
      ),
    );
  }
  return findings;
}

/** EP-05: S3 in the task's region goes through the gateway endpoint from every task subnet's route table. */
export function s3GatewayOnTaskRouteTables(inv: Inventory, workload: Workload): Finding[] {
  const paths = pathsToService(inv, workload, 's3');
  if (!workload.vpcId || paths.length === 0) return [];
  const vpcId = workload.vpcId;
  const gateway = endpointsFor(inv, vpcId, 's3', 'Gateway').find((e) => e.state === 'available');
  const missing = paths.filter((p) => p.via !== 'gateway endpoint');
  // One finding per route table: adding the table to the endpoint fixes every subnet it serves.
  const byTable = new Map<string, { table?: RouteTable; explicit: boolean; paths: Path[] }>();
  for (const p of missing) {
    const { table, explicit } = routeTableOf(inv, p.subnet);
    const key = table?.id ?? `none:${p.subnet.id}`;
    const entry = byTable.get(key) ?? { table, explicit, paths: [] };
    entry.paths.push(p);
    byTable.set(key, entry);
  }
  const service = endpointServiceName(inv.region, 's3');
  return [...byTable.values()].flatMap(({ table, explicit, paths: tablePaths }) => {
    const which = table ? `${table.id}${explicit ? '' : ", the VPC's main table (no explicit association)"}` : 'no route table';
    const blackhole = table?.routes.find((r) => r.target.kind === 'gateway-endpoint' && r.target.id === gateway?.id && r.state !== 'active');
    const condition = !gateway
      ? `${vpcId} has no available S3 gateway endpoint (task route table ${which})`
      : blackhole
        ? `route table ${which} has a blackhole S3 route to ${gateway.id}`
        : `route table ${which} has no route to S3 gateway endpoint ${gateway.id}`;
    const fix: Fix = !table
      ? { console: `VPC → Route tables → create a table for ${vpcId} → Subnet associations → ${tablePaths[0].subnet.id}`, cli: `aws ec2 describe-route-tables --filters Name=vpc-id,Values=${vpcId} --region ${inv.region}` }
      : gateway
        ? gatewayRouteFix(inv, gateway.id, table.id)
        : createS3GatewayFix(inv, vpcId, table.id);
    return splitByPath(
      {
        checkId: 'EP-05',
        workload: workload.id,
        resourceIds: [...(table ? [table.id] : []), ...(gateway ? [gateway.id] : [vpcId])],
        expected: `a route for the S3 prefix list to ${gateway?.id ?? `an S3 gateway endpoint (${service})`} on ${table?.id ?? 'the route table of each task subnet'}`,
        fix,
      },
      condition,
      's3',
      tablePaths,
    );
  });
}
