// DNS-01 and DNS-02: who answers a task's DNS questions for AWS service names, and where the
// answer leads. Both are views of the paths the engine draws (support/paths.ts): DNS-01 of the
// DNS-01 hops where servers the suite cannot see (or could not read) answer a name, unverified
// only where the two answers they may give do not both reach; DNS-02 of the paths through a
// private hosted zone (hostedZonePath).
import type { Inventory, Vpc } from '../inventory/model';
import { pathsOf, type Hop, type Path } from '../paths';
import { dnsServersOf, resolverFix, resolverAddressOf, serviceHost, AMAZON_DNS_LINK_LOCAL, describeResolver, forwardingTargetOf, type Resolution } from '../network/dns';
import type { Workload } from '../workloads';
import { defineCheck, type Finding } from './finding';
import { impactOf } from './impact';
import { blockerOf, pathRef, where } from './reach';

export const DNS_01 = defineCheck({
  id: 'DNS-01',
  title: 'every workload VPC resolves AWS service names through the Amazon DNS server',
  // Start where a path is left unverified; resilience where every path reaches whichever AWS answer the unseen servers give.
  kinds: ['start', 'resilience'],
  severity: 'medium',
  risk: 'DNS servers or Resolver rules that do not answer AWS service names as the Amazon DNS server would (private endpoint addresses, or at all) make pulls and log streams fail before the task starts: CannotPullContainerError, ResourceInitializationError',
  remediation: 'use AmazonProvidedDNS in the DHCP option set, or a Route 53 Resolver system rule for <region>.amazonaws.com; or have the DNS team forward AWS names to the Amazon DNS server',
  source: 'issue 14; Amazon VPC User Guide, "DHCP option sets"; Route 53 Developer Guide, "Resolving DNS queries between VPCs and your network"',
  // No `reads`: a read that fails leaves only the paths it decides unverified, each finding saying so (notEvaluated).
  evidence: 'path engine',
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
  // Without the zones nothing tells which names they take: the whole check. A zone's records and the
  // transit gateway's routes are read per path: only the paths they decide are not evaluated.
  reads: ['route53:ListHostedZonesByVPC'],
  readsPerItem: ['route53:ListResourceRecordSets', 'ec2:DescribeTransitGatewayAttachments', 'ec2:SearchTransitGatewayRoutes'],
});

/**
 * What a resolver the suite cannot see would cost if it answered badly: the error of the first
 * need it leaves unverified, said as a condition, never as what happens now.
 */
function unseenResolverImpact(paths: Path[]): string {
  const service = paths.find((p) => p.need?.service)?.need?.service;
  return `if those servers answer with public addresses (or not at all), ${service ? impactOf(service) : 'tasks reach AWS services by the route table instead of their endpoints'}`;
}

/** Who a DNS-01 hop says answers: the custom servers of the VPC's option set, a forwarding rule, or a read that failed. */
function resolverOfHop(inv: Inventory, vpc: Vpc, hop: Hop): Resolution | undefined {
  const id = hop.resourceIds[0];
  const rule = inv.resolverRules.find((r) => r.id === id);
  if (rule) return { by: 'forward-rule', rule };
  const dns = dnsServersOf(inv, vpc);
  if (dns.custom && dns.options?.id === id) return { by: 'custom-dns', options: dns.options, servers: dns.servers };
  return undefined;
}

/** Why who answers is unknown: the read that failed, in a line. */
function unreadResolver(inv: Inventory, vpc: Vpc, hop: Hop): string {
  const failed = hop.missingRead ? (inv.denied?.get(hop.missingRead) ?? `${hop.missingRead} could not be read`) : undefined;
  if (hop.missingRead?.startsWith('route53resolver:')) return `whether a Route 53 Resolver rule forwards them from ${vpc.id} could not be read (${failed})`;
  return `the DNS servers of DHCP option set ${vpc.dhcpOptionsId} could not be read (${failed ?? `DescribeDhcpOptions did not list ${vpc.dhcpOptionsId}`})`;
}

/** The names of these paths, each once: "api.ecr.us-east-1.amazonaws.com, logs.us-east-1.amazonaws.com". */
function hostsOf(inv: Inventory, paths: Path[]): string[] {
  return [...new Set(paths.flatMap((p) => (p.need ? [serviceHost(inv, p.need)] : [])).filter((h): h is string => !!h))];
}

const isOrAre = (n: number) => (n === 1 ? 'is' : 'are');

/** Paths whose DNS-01 hop is `status`, by the resolver the hop names (its first resource, and the read it lacks). */
function byResolver(paths: Path[], statuses: Hop['status'][]): Map<string, { hop: Hop; paths: Path[] }> {
  const groups = new Map<string, { hop: Hop; paths: Path[] }>();
  for (const path of paths) {
    const hop = path.hops.find((h) => h.check === 'DNS-01' && statuses.includes(h.status));
    if (!hop) continue;
    const key = `${hop.missingRead ?? ''} ${hop.resourceIds[0]}`;
    const group = groups.get(key) ?? { hop, paths: [] };
    group.paths.push(path);
    groups.set(key, group);
  }
  return groups;
}

/**
 * DNS-01: a finding for each resolver the suite cannot see (custom DHCP servers, a forwarding
 * rule) or could not read (the option set, the Resolver rules), naming only the names whose
 * paths it leaves unverified (start); a resolver whose every path verifies whichever AWS answer
 * it gives is a resilience finding; one whose read failed is not evaluated.
 */
export function namesResolveThroughAws(inv: Inventory, workload: Workload): Finding[] {
  const vpc = workload.vpcId ? inv.vpcs.get(workload.vpcId) : undefined;
  if (!vpc) return [];
  const subnets = workload.taskSubnets.map((s) => s.subnet.id);
  const amazon = `${vpc.cidrBlocks[0] ? `${resolverAddressOf(vpc.cidrBlocks[0])} or ` : ''}${AMAZON_DNS_LINK_LOCAL}`;
  const findings: Finding[] = [];
  for (const { hop, paths } of byResolver(pathsOf(inv, workload), ['unverifiable', 'blocked']).values()) {
    const hosts = hostsOf(inv, paths);
    const needs = [...new Set(paths.map((p) => p.to))];
    const consequence = `; so whether ${needs.join(', ')} ${isOrAre(needs.length)} reached from ${[...new Set(paths.map(where))].join(', ')} cannot be verified`;
    const resolution = resolverOfHop(inv, vpc, hop);
    const base = { checkId: 'DNS-01' as const, kind: 'start' as const, workload: workload.id, impact: unseenResolverImpact(paths), paths: paths.map(pathRef) };
    if (resolution?.by === 'custom-dns') {
      findings.push({
        ...base,
        resourceIds: [resolution.options.id, vpc.id, ...subnets],
        problem:
          `cannot be verified: ${vpc.id} resolves names through ${describeResolver(resolution)}, not the Amazon DNS server (${amazon}): ` +
          `the suite cannot see whether they answer ${hosts.join(', ')} as the Amazon DNS server would${consequence}`,
        expected: `DHCP option set of ${vpc.id} with domain-name-servers AmazonProvidedDNS, or servers that forward amazonaws.com to ${forwardingTargetOf(vpc)}`,
        fix: resolverFix(inv, vpc, resolution),
      });
    } else if (resolution?.by === 'forward-rule') {
      findings.push({
        ...base,
        resourceIds: [resolution.rule.id, vpc.id, ...subnets],
        problem:
          `cannot be verified: ${describeResolver(resolution)}, is associated with ${vpc.id}: ${hosts.join(', ')} ${isOrAre(hosts.length)} answered by those servers, not the Amazon DNS server, ` +
          `and the suite cannot see what they answer${consequence}`,
        expected: `no forwarding rule associated with ${vpc.id} covers ${hosts.join(', ')} (or a system rule for ${inv.region}.amazonaws.com gives them back), or its targets forward amazonaws.com to ${forwardingTargetOf(vpc)}`,
        fix: resolverFix(inv, vpc, resolution),
      });
    } else {
      // Who answers could not be read: the hop names the read and how to look.
      findings.push({
        ...base,
        resourceIds: [...new Set([...hop.resourceIds, ...subnets])],
        problem: `cannot be verified: who answers ${hosts.join(', ')} for ${vpc.id}: ${unreadResolver(inv, vpc, hop)}, and with the answers it might give the paths do not all reach${consequence}`,
        expected: `the DHCP option set and the Route 53 Resolver rules of ${vpc.id} readable, naming the Amazon DNS server for AWS service names`,
        fix: hop.fix ?? { console: `VPC → Your VPCs → ${vpc.id}`, cli: `npm run explain -- --service ${workload.id}` },
        ...(hop.missingRead ? { notEvaluated: inv.denied?.get(hop.missingRead) ?? `${hop.missingRead} could not be read` } : {}),
      });
    }
  }
  return [...findings, ...unseenResolverRisks(inv, workload, vpc)];
}

/**
 * Names answered by servers the suite cannot see whose every path reaches whichever AWS answer they
 * give: tasks start today, but only while those servers answer AWS names as AWS would. A
 * resilience finding per resolver, naming the names; never a start claim (NET-02 verifies them).
 */
function unseenResolverRisks(inv: Inventory, workload: Workload, vpc: Vpc): Finding[] {
  const subnets = workload.taskSubnets.map((s) => s.subnet.id);
  const unverified = new Set([...byResolver(pathsOf(inv, workload), ['unverifiable', 'blocked']).keys()]);
  return [...byResolver(pathsOf(inv, workload), ['note']).entries()].flatMap(([key, { hop, paths }]): Finding[] => {
    // A resolver that leaves some path unverified has its start finding already, naming it once.
    if (unverified.has(key)) return [];
    const resolution = resolverOfHop(inv, vpc, hop);
    if (!resolution || (resolution.by !== 'custom-dns' && resolution.by !== 'forward-rule')) return [];
    const hosts = hostsOf(inv, paths);
    const service = paths.find((p) => p.need?.service)?.need?.service;
    return [
      {
        checkId: 'DNS-01',
        kind: 'resilience',
        workload: workload.id,
        resourceIds: [resolution.by === 'custom-dns' ? resolution.options.id : resolution.rule.id, vpc.id, ...subnets],
        problem:
          `${hosts.join(', ')} ${isOrAre(hosts.length)} answered for ${vpc.id} by ${describeResolver(resolution)}, which the suite cannot see: ` +
          `tasks reach ${hosts.length === 1 ? 'it' : 'them'} with whichever AWS address those servers answer, but only while they answer AWS names at all`,
        expected: `the Amazon DNS server answers AWS service names for ${vpc.id} (AmazonProvidedDNS, or no forwarding rule covering them), or servers that forward amazonaws.com to ${forwardingTargetOf(vpc)}`,
        impact: `if those servers stop answering AWS names, or answer them wrongly, ${service ? impactOf(service).replace(/^tasks /, 'new tasks ') : 'new tasks cannot resolve the AWS services they need'}`,
        fix: resolverFix(inv, vpc, resolution),
      },
    ];
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
