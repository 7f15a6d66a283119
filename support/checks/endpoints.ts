// EP-01..EP-05: the VPC endpoints a task in a private subnet pulls its image through.
// Each check is a pure loop over a workload's task subnets; findings name every offender.
import type { Inventory, VpcEndpoint } from '../inventory/model';
import { endpointServiceName, endpointsFor, endpointZones, routeTableOf } from '../inventory/queries';
import { networkFix, type TaskSubnet, type Workload } from '../workloads';
import type { CheckInfo, Finding } from './finding';
import { impactOf } from './impact';

export const EP_01: CheckInfo = {
  id: 'EP-01',
  title: 'an ecr.api interface endpoint exists in the VPC and is available',
  severity: 'critical',
  risk: impactOf('ecr.api'),
};
export const EP_02: CheckInfo = {
  id: 'EP-02',
  title: 'an ecr.dkr interface endpoint exists in the VPC and is available',
  severity: 'critical',
  risk: impactOf('ecr.dkr'),
};
export const EP_03: CheckInfo = {
  id: 'EP-03',
  title: 'each interface endpoint has a subnet in the availability zone of every task subnet',
  severity: 'critical',
  risk: 'tasks placed in an uncovered zone time out pulling images while tasks in other zones start: deployments fail part of the time',
};
export const EP_04: CheckInfo = {
  id: 'EP-04',
  title: 'interface endpoints have private DNS on, in a VPC with DNS support and DNS hostnames',
  severity: 'critical',
  risk: 'without private DNS the service hostname resolves to public addresses, so traffic leaves through NAT or nowhere',
};
export const EP_05: CheckInfo = {
  id: 'EP-05',
  title: "the S3 gateway endpoint's route is on the route table of every task subnet",
  severity: 'critical',
  risk: impactOf('s3'),
};

/** The check that states "an <service> interface endpoint exists": EP-01 and EP-02 for ECR's two, EP-07 for the rest. */
export function existenceCheck(service: string): CheckInfo {
  if (service === 'ecr.api') return EP_01;
  if (service === 'ecr.dkr') return EP_02;
  return { id: 'EP-07', title: `an ${service} interface endpoint exists in the VPC and is available`, severity: 'critical', risk: impactOf(service) };
}

/** A workload without awsvpc subnets cannot be verified: say so rather than pass. */
function withoutSubnets(checkId: string, workload: Workload, region: string): Finding[] {
  if (workload.vpcId) return [];
  return [
    {
      checkId,
      workload: workload.id,
      resourceIds: [workload.arn],
      problem: `${workload.id} has no task subnets (no awsvpc network configuration and no running task with a network interface), so its endpoints cannot be verified`,
      expected: 'a Fargate service with networkConfiguration.awsvpcConfiguration subnets',
      impact: 'the suite cannot tell whether its tasks can start',
      fix: networkFix(workload, region, {}),
    },
  ];
}

function az(taskSubnet: TaskSubnet): string {
  return taskSubnet.subnet.availabilityZone;
}

/** One subnet per uncovered zone is what an endpoint takes; suggest the first task subnet there. */
function subnetsToAdd(subnets: TaskSubnet[]): string[] {
  const byZone = new Map<string, string>();
  for (const s of subnets) if (!byZone.has(az(s))) byZone.set(az(s), s.subnet.id);
  return [...byZone.values()];
}

function createInterfaceEndpointFix(inv: Inventory, workload: Workload, service: string) {
  const securityGroups = workload.network?.securityGroupIds ?? [];
  return {
    console: `VPC → Endpoints → Create endpoint → AWS services → ${endpointServiceName(inv.region, service)} → VPC ${workload.vpcId} → select a subnet in each task zone → Enable DNS name`,
    cli:
      `aws ec2 create-vpc-endpoint --vpc-id ${workload.vpcId} --vpc-endpoint-type Interface --service-name ${endpointServiceName(inv.region, service)}` +
      ` --subnet-ids ${subnetsToAdd(workload.taskSubnets).join(' ')}` +
      (securityGroups.length ? ` --security-group-ids ${securityGroups.join(' ')}` : '') +
      ` --private-dns-enabled --region ${inv.region}`,
  };
}

/** EP-01 / EP-02 (and EP-07 for other services): an available interface endpoint for `service` in the workload's VPC. */
export function interfaceEndpointAvailable(inv: Inventory, workload: Workload, service: string): Finding[] {
  const checkId = existenceCheck(service).id;
  if (!workload.vpcId) return withoutSubnets(checkId, workload, inv.region);
  const endpoints = endpointsFor(inv, workload.vpcId, service, 'Interface');
  if (endpoints.some((e) => e.state === 'available')) return [];
  if (endpoints.length === 0) {
    return [
      {
        checkId,
        workload: workload.id,
        resourceIds: [workload.vpcId],
        problem: `${workload.vpcId} has no ${service} interface endpoint`,
        expected: `an available interface endpoint for ${endpointServiceName(inv.region, service)} in ${workload.vpcId}`,
        impact: impactOf(service),
        fix: createInterfaceEndpointFix(inv, workload, service),
      },
    ];
  }
  return endpoints.map((e) => ({
    checkId,
    workload: workload.id,
    resourceIds: [e.id, workload.vpcId!],
    problem: `${service} interface endpoint ${e.id} in ${workload.vpcId} is ${e.state}, not available`,
    expected: `${e.id} in state available`,
    impact: impactOf(service),
    fix: {
      console: `VPC → Endpoints → ${e.id} → Details: read the state message; if it is rejected or failed, create the endpoint again`,
      cli: `aws ec2 describe-vpc-endpoints --vpc-endpoint-ids ${e.id} --region ${inv.region} --query 'VpcEndpoints[0].[State,LastError]'`,
    },
  }));
}

/** EP-03: every task subnet's availability zone has a subnet of an available `service` endpoint. */
export function interfaceEndpointCoversTaskSubnets(inv: Inventory, workload: Workload, service: string): Finding[] {
  if (!workload.vpcId) return withoutSubnets('EP-03', workload, inv.region);
  const available = endpointsFor(inv, workload.vpcId, service, 'Interface').filter((e) => e.state === 'available');
  if (available.length === 0) {
    return [
      {
        checkId: 'EP-03',
        workload: workload.id,
        resourceIds: [workload.vpcId, ...workload.taskSubnets.map((s) => s.subnet.id)],
        problem: `no available ${service} interface endpoint in ${workload.vpcId}, so no task subnet is covered (${workload.taskSubnets.map((s) => `${s.subnet.id} ${az(s)}`).join(', ')})`,
        expected: `an available ${service} interface endpoint with a subnet in ${[...new Set(workload.taskSubnets.map(az))].join(', ')}`,
        impact: impactOf(service),
        fix: createInterfaceEndpointFix(inv, workload, service),
      },
    ];
  }
  const covered = new Set(available.flatMap((e) => endpointZones(inv, e)));
  const uncovered = workload.taskSubnets.filter((s) => !covered.has(az(s)));
  const endpoint: VpcEndpoint = available[0];
  const zones = [...covered].sort().join(', ') || 'no zone';
  const addByZone = new Map(subnetsToAdd(uncovered).map((id) => [inv.subnets.get(id)!.availabilityZone, id]));
  return uncovered.map((s) => {
    const table = routeTableOf(inv, s.subnet).table;
    const add = addByZone.get(az(s))!;
    return {
      checkId: 'EP-03',
      workload: workload.id,
      resourceIds: [endpoint.id, s.subnet.id, az(s), ...(table ? [table.id] : [])],
      problem:
        `task subnet ${s.subnet.id} (${az(s)}, route table ${table?.id ?? 'none'}${s.sources.includes('configuration') ? '' : ', used by a running task only'})` +
        ` is not covered by ${service} endpoint ${endpoint.id}, which covers ${zones}`,
      expected: `${endpoint.id} has a subnet in ${az(s)}`,
      impact: `tasks placed in ${az(s)} fail while others start: ${impactOf(service)}`,
      fix: {
        console: `VPC → Endpoints → ${endpoint.id} → Actions → Manage subnets → tick ${add} (${az(s)}) → Save`,
        cli: `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${endpoint.id} --add-subnet-ids ${add} --region ${inv.region}`,
      },
    };
  });
}

/** EP-04: private DNS on the available `service` endpoints, and DNS support and hostnames on their VPC. */
export function interfaceEndpointPrivateDns(inv: Inventory, workload: Workload, service: string): Finding[] {
  if (!workload.vpcId) return withoutSubnets('EP-04', workload, inv.region);
  const vpc = inv.vpcs.get(workload.vpcId);
  const available = endpointsFor(inv, workload.vpcId, service, 'Interface').filter((e) => e.state === 'available');
  const findings: Finding[] = [];
  const base = { checkId: 'EP-04', workload: workload.id, impact: `${impactOf(service)}; without private DNS the default hostname resolves to public addresses` };
  if (available.length === 0) {
    findings.push({
      ...base,
      resourceIds: [workload.vpcId],
      problem: `no available ${service} interface endpoint in ${workload.vpcId} to resolve privately`,
      expected: `an available ${service} interface endpoint with private DNS enabled`,
      fix: createInterfaceEndpointFix(inv, workload, service),
    });
  }
  for (const e of available.filter((x) => !x.privateDnsEnabled)) {
    findings.push({
      ...base,
      resourceIds: [e.id, workload.vpcId],
      problem: `${service} endpoint ${e.id} has private DNS disabled`,
      expected: `private DNS enabled on ${e.id}`,
      fix: {
        console: `VPC → Endpoints → ${e.id} → Actions → Modify private DNS name → Enable for this endpoint → Save`,
        cli: `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${e.id} --private-dns-enabled --region ${inv.region}`,
      },
    });
  }
  for (const [attribute, on, flag] of [
    ['DNS support', vpc?.dnsSupport, 'enable-dns-support'],
    ['DNS hostnames', vpc?.dnsHostnames, 'enable-dns-hostnames'],
  ] as const) {
    if (on) continue;
    findings.push({
      ...base,
      resourceIds: [workload.vpcId],
      problem: `VPC ${workload.vpcId} has ${attribute} disabled, so private DNS names of its endpoints do not resolve`,
      expected: `${attribute} enabled on ${workload.vpcId}`,
      fix: {
        console: `VPC → Your VPCs → ${workload.vpcId} → Actions → Edit VPC settings → Enable ${attribute} → Save`,
        cli: `aws ec2 modify-vpc-attribute --vpc-id ${workload.vpcId} --${flag} '{"Value":true}' --region ${inv.region}`,
      },
    });
  }
  return findings;
}

/** EP-05: an available S3 gateway endpoint whose route is on the route table of every task subnet. */
export function s3GatewayOnTaskRouteTables(inv: Inventory, workload: Workload): Finding[] {
  if (!workload.vpcId) return withoutSubnets('EP-05', workload, inv.region);
  const gateways = endpointsFor(inv, workload.vpcId, 's3', 'Gateway').filter((e) => e.state === 'available');
  const tables = [...new Set(workload.taskSubnets.flatMap((s) => routeTableOf(inv, s.subnet).table?.id ?? []))];
  if (gateways.length === 0) {
    return [
      {
        checkId: 'EP-05',
        workload: workload.id,
        resourceIds: [workload.vpcId, ...tables],
        problem: `${workload.vpcId} has no available S3 gateway endpoint (task route tables: ${tables.join(', ') || 'none'})`,
        expected: `an S3 gateway endpoint ${endpointServiceName(inv.region, 's3')} on ${tables.join(', ')}`,
        impact: impactOf('s3'),
        fix: {
          console: `VPC → Endpoints → Create endpoint → ${endpointServiceName(inv.region, 's3')} (type Gateway) → VPC ${workload.vpcId} → route tables ${tables.join(', ')}`,
          cli: `aws ec2 create-vpc-endpoint --vpc-id ${workload.vpcId} --vpc-endpoint-type Gateway --service-name ${endpointServiceName(inv.region, 's3')} --route-table-ids ${tables.join(' ')} --region ${inv.region}`,
        },
      },
    ];
  }
  const gatewayIds = new Set(gateways.map((g) => g.id));
  const findings: Finding[] = [];
  for (const s of workload.taskSubnets) {
    const { table, explicit } = routeTableOf(inv, s.subnet);
    const route = table?.routes.find((r) => r.target.kind === 'gateway-endpoint' && gatewayIds.has(r.target.id));
    if (route?.state === 'active') continue;
    const endpoint = gateways[0];
    const which = table ? `${table.id}${explicit ? '' : ", the VPC's main table (no explicit association)"}` : 'no route table';
    findings.push({
      checkId: 'EP-05',
      workload: workload.id,
      resourceIds: [...(table ? [table.id] : []), s.subnet.id, s.subnet.availabilityZone, endpoint.id],
      problem: route
        ? `task subnet ${s.subnet.id} (${s.subnet.availabilityZone}) uses route table ${which}, whose S3 route to ${route.target.id} is a blackhole`
        : `task subnet ${s.subnet.id} (${s.subnet.availabilityZone}) uses route table ${which}, which has no route to S3 gateway endpoint ${endpoint.id}`,
      expected: `a route ${endpoint.id} for the S3 prefix list on ${table?.id ?? `the route table of ${s.subnet.id}`}`,
      impact: impactOf('s3'),
      fix: table
        ? {
            console: `VPC → Endpoints → ${endpoint.id} → Route tables → Manage route tables → tick ${table.id} → Modify route tables`,
            cli: `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${endpoint.id} --add-route-table-ids ${table.id} --region ${inv.region}`,
          }
        : {
            console: `VPC → Route tables → create a table for ${s.subnet.vpcId} → Subnet associations → ${s.subnet.id}`,
            cli: `aws ec2 describe-route-tables --filters Name=vpc-id,Values=${s.subnet.vpcId} --region ${inv.region}`,
          },
    });
  }
  return findings;
}
