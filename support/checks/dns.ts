// DNS-01 and DNS-02: who answers a task's DNS questions for AWS service names, and where the
// answer leads. DNS-01 reads the VPC's own configuration (DHCP options, Resolver rules): servers
// the suite cannot see make the names "cannot be verified", never a pass. DNS-02 is a view of the
// paths the engine draws through a private hosted zone (support/paths.ts, hostedZonePath).
import type { Inventory, Vpc } from '../inventory/model';
import { endpointsFor } from '../inventory/queries';
import { needsOf } from '../needs';
import { pathsOf, type Hop, type Path } from '../paths';
import { dnsServersOf, resolutionOf, resolverFix, resolverAddressOf, serviceHost, AMAZON_DNS_LINK_LOCAL, describeResolver, type Resolution } from '../network/dns';
import type { Workload } from '../workloads';
import { defineCheck, type Finding } from './finding';
import { impactOf } from './impact';
import { blockerOf, pathRef, where } from './reach';

export const DNS_01 = defineCheck({
  id: 'DNS-01',
  title: 'every workload VPC resolves AWS service names through the Amazon DNS server',
  kinds: ['start'],
  severity: 'critical',
  risk: 'DNS servers or Resolver rules that do not answer AWS service names as the Amazon DNS server would (private endpoint addresses, or at all) make pulls and log streams fail before the task starts: CannotPullContainerError, ResourceInitializationError',
  remediation: 'use AmazonProvidedDNS in the DHCP option set, or a Route 53 Resolver system rule for <region>.amazonaws.com; or have the DNS team forward AWS names to the Amazon DNS server',
  source: 'issue 14; Amazon VPC User Guide, "DHCP option sets"; Route 53 Developer Guide, "Resolving DNS queries between VPCs and your network"',
  reads: ['ec2:DescribeDhcpOptions', 'route53resolver:ListResolverRules', 'route53resolver:ListResolverRuleAssociations'],
  evidence: 'configuration',
});

export const DNS_02 = defineCheck({
  id: 'DNS-02',
  title: 'AWS service names that a private hosted zone overrides lead to a working endpoint',
  kinds: ['start'],
  severity: 'critical',
  needs: ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssm', 'kms'],
  risk: 'a private hosted zone associated with the VPC answers the service name: a zone without the record answers NXDOMAIN, and a record pointing at an endpoint the tasks cannot reach (no transit gateway route, a security group that does not admit them) times out',
  remediation: 'follow the hop named: add the record, the transit gateway route or the security group rule; npm run explain -- --service <cluster>/<service> shows every hop',
  source: 'issue 14; AWS Whitepaper "Building a Scalable and Secure Multi-VPC AWS Network Infrastructure", centralized interface endpoints',
  reads: ['route53:ListHostedZonesByVPC', 'route53:ListResourceRecordSets', 'ec2:DescribeTransitGatewayAttachments', 'ec2:SearchTransitGatewayRoutes'],
});

/** The service names the workload's tasks ask DNS for, with the need each is for. */
function namesOf(inv: Inventory, workload: Workload): { host: string; service: string }[] {
  return needsOf(inv, workload).flatMap((need) => {
    const host = serviceHost(inv, need);
    return host ? [{ host, service: `${need.service} in ${need.region}` }] : [];
  });
}

/**
 * What a resolver the suite cannot see would cost if it answered badly: the error of the first
 * need it leaves unverified (or it answers for), said as a condition, never as what happens now.
 */
function unseenResolverImpact(inv: Inventory, workload: Workload, unverified: Path[]): string {
  const service = unverified.find((p) => p.need?.service)?.need?.service ?? needsOf(inv, workload).find((n) => serviceHost(inv, n))?.service;
  return `if those servers answer with public addresses (or not at all), ${service ? impactOf(service) : 'tasks reach AWS services by the route table instead of their endpoints'}`;
}

/** The VPC's available interface endpoint for a service of its region whose private DNS answers, as the path engine asks. */
function privateEndpoint(inv: Inventory, vpc: Vpc, service: string | undefined) {
  if (!service || !vpc.dnsSupport || !vpc.dnsHostnames) return undefined;
  return endpointsFor(inv, vpc.id, service, 'Interface').find((e) => e.state === 'available' && e.privateDnsEnabled);
}

/** The workload's paths whose name DNS-01's resolver answers and that it leaves unverified. */
function unverifiedBy(inv: Inventory, workload: Workload): Path[] {
  return pathsOf(inv, workload).filter((p) => p.hops.some((h) => h.check === 'DNS-01' && h.status === 'unverifiable'));
}

/** DNS-01: the DHCP option set names the Amazon DNS server, and no forwarding rule takes an AWS service name the tasks need. */
export function namesResolveThroughAws(inv: Inventory, workload: Workload): Finding[] {
  const vpc = workload.vpcId ? inv.vpcs.get(workload.vpcId) : undefined;
  if (!vpc) return [];
  const names = namesOf(inv, workload);
  const subnets = workload.taskSubnets.map((s) => s.subnet.id);
  const amazon = `${vpc.cidrBlocks[0] ? `${resolverAddressOf(vpc.cidrBlocks[0])} or ` : ''}${AMAZON_DNS_LINK_LOCAL}`;
  const unverified = unverifiedBy(inv, workload);
  const consequence = unverified.length
    ? `; so whether ${[...new Set(unverified.map((p) => p.to))].join(', ')} ${unverified.length === 1 ? 'is' : 'are'} reached from ${[...new Set(unverified.map(where))].join(', ')} cannot be verified`
    : '';
  const dns = dnsServersOf(inv, vpc);
  if (dns.custom) {
    const resolution = { by: 'custom-dns' as const, options: dns.options!, servers: dns.servers };
    return [
      {
        checkId: 'DNS-01',
        kind: 'start',
        workload: workload.id,
        resourceIds: [dns.options!.id, vpc.id, ...subnets],
        problem:
          `cannot be verified: ${vpc.id} resolves names through ${describeResolver(resolution)}, not the Amazon DNS server (${amazon}): ` +
          `the suite cannot see whether they answer ${[...new Set(names.map((n) => n.host))].join(', ') || 'AWS service names'} as the Amazon DNS server would${consequence}`,
        expected: `DHCP option set of ${vpc.id} with domain-name-servers AmazonProvidedDNS, or DNS servers that forward amazonaws.com to ${amazon}`,
        impact: unseenResolverImpact(inv, workload, unverified),
        fix: resolverFix(inv, vpc, resolution),
        ...(unverified.length ? { paths: unverified.map(pathRef) } : {}),
      },
    ];
  }
  // Forwarding rules that take a needed name away from the Amazon DNS server, one finding per rule.
  const byRule = new Map<string, { resolution: Extract<Resolution, { by: 'forward-rule' }>; hosts: string[] }>();
  for (const { host } of names) {
    const need = needsOf(inv, workload).find((n) => serviceHost(inv, n) === host);
    const own = need?.region === inv.region ? privateEndpoint(inv, vpc, need.service) : undefined;
    const resolution = resolutionOf(inv, vpc, host, own);
    if (resolution.by !== 'forward-rule') continue;
    const entry = byRule.get(resolution.rule.id) ?? { resolution, hosts: [] };
    if (!entry.hosts.includes(host)) entry.hosts.push(host);
    byRule.set(resolution.rule.id, entry);
  }
  return [...byRule.values()].map(({ resolution, hosts }) => {
    const paths = unverified.filter((p) => p.hops.some((h) => h.check === 'DNS-01' && h.resourceIds.includes(resolution.rule.id)));
    return {
      checkId: 'DNS-01',
      kind: 'start',
      workload: workload.id,
      resourceIds: [resolution.rule.id, vpc.id, ...subnets],
      problem:
        `cannot be verified: ${describeResolver(resolution)}, is associated with ${vpc.id}: ${hosts.join(', ')} ${hosts.length === 1 ? 'is' : 'are'} answered by those servers, not the Amazon DNS server, ` +
        `and the suite cannot see what they answer${consequence}`,
      expected: `no forwarding rule associated with ${vpc.id} covers the AWS service names its tasks need (or a system rule for ${inv.region}.amazonaws.com gives them back)`,
      impact: unseenResolverImpact(inv, workload, paths.length ? paths : unverified),
      fix: resolverFix(inv, vpc, resolution),
      ...(paths.length ? { paths: paths.map(pathRef) } : {}),
    };
  });
}

/** Whether a path's name is answered by a private hosted zone (DNS-02's hop is on it). */
export function servedByHostedZone(path: Path): boolean {
  return path.hops.some((h) => h.check === 'DNS-02');
}

/** DNS-02: every path a private hosted zone answers the name of is verified; otherwise its blocking hop, once, with every path it stops. */
export function hostedZonesLeadToEndpoints(inv: Inventory, workload: Workload): Finding[] {
  // One finding per fix: the hops one change repairs (a group rule for three hub endpoints) are listed together.
  const byFix = new Map<string, { hop: Hop; texts: string[]; paths: Path[]; zones: string[] }>();
  for (const path of pathsOf(inv, workload).filter(servedByHostedZone)) {
    if (path.verdict === 'reachable') continue;
    const hop: Hop = blockerOf(path)!;
    const zone = path.hops.find((h) => h.check === 'DNS-02')!.resourceIds[0];
    const key = `${hop.status} ${hop.fix?.cli ?? hop.text}`;
    const entry = byFix.get(key) ?? { hop, texts: [], paths: [], zones: [] };
    entry.paths.push(path);
    if (!entry.texts.includes(hop.text)) entry.texts.push(hop.text);
    if (!entry.zones.includes(zone)) entry.zones.push(zone);
    byFix.set(key, entry);
  }
  return [...byFix.values()].map(({ hop, texts, paths, zones }) => {
    const needs = [...new Set(paths.map((p) => p.to))];
    const subnets = [...new Set(paths.map((p) => p.subnet.id))];
    return {
      checkId: 'DNS-02',
      kind: 'start',
      workload: workload.id,
      resourceIds: [...new Set([...hop.resourceIds, ...zones, ...subnets])],
      problem:
        `${hop.status === 'unverifiable' ? 'cannot be verified: ' : ''}${needs.join(', ')} ${needs.length === 1 ? 'is' : 'are'} answered by private hosted zone${zones.length === 1 ? '' : 's'} ${zones.join(', ')}, ` +
        `and ${texts.join('; ')}, on the paths from ${[...new Set(paths.map(where))].join(', ')}`,
      expected: `${needs.join(', ')} reachable from ${subnets.join(', ')} where the zones' records point`,
      impact: paths[0].need?.service ? impactOf(paths[0].need.service) : DNS_02.risk,
      fix: hop.fix ?? { console: `Route 53 → Hosted zones → ${zones[0]}`, cli: `npm run explain -- --service ${workload.id}` },
      paths: paths.map(pathRef),
      ...(hop.missingRead ? { notEvaluated: inv.denied?.get(hop.missingRead) ?? `${hop.missingRead} could not be read` } : {}),
    };
  });
}
