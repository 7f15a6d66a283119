// Who answers a task's DNS question for an AWS service name, as the VPC sets it up (DNS-01, DNS-02):
// the DHCP option set names the servers; the Amazon DNS server then applies, most specific domain
// first, the Route 53 Resolver rules associated with the VPC, its private hosted zones and the
// private DNS of its own interface endpoints (a hidden private hosted zone); a forwarding rule wins
// a tie. docs/PATHS.md, "Name resolution".
import type { DhcpOptions, DnsRecord, DomainName, Inventory, PrivateHostedZone, ResolverRule, Vpc, VpcEndpoint } from '../inventory/model';
import type { Need } from '../needs';
import type { OperationName } from '../aws/operations';

export const AMAZON_PROVIDED_DNS = 'AmazonProvidedDNS';

/**
 * The reads that say who answers a name, which no check declares as a whole: without one, each
 * path it decides is drawn with an unseen resolver whose hop names the read (`missingRead`), so
 * only the verdicts that depend on it say they could not be evaluated (DNS-01, NET-02…).
 */
export const RESOLVER_READS: readonly OperationName[] = ['ec2:DescribeDhcpOptions', 'route53resolver:ListResolverRules', 'route53resolver:ListResolverRuleAssociations'];
/** The Amazon DNS server's link-local address, answered in every VPC. */
export const AMAZON_DNS_LINK_LOCAL = '169.254.169.253';

export type Resolution =
  /** The Amazon DNS server answers: with the VPC's own endpoint's private addresses (`endpoint`), else with the public ones. */
  | { by: 'amazon'; endpoint?: VpcEndpoint }
  | { by: 'custom-dns'; options: DhcpOptions; servers: string[] }
  | { by: 'forward-rule'; rule: ResolverRule }
  /** Who answers could not be read (the DHCP option set, or the Resolver rules): an unseen resolver whose read is named. */
  | { by: 'unread'; operation?: OperationName; why: string; resourceIds: string[] }
  | { by: 'hosted-zone'; zone: PrivateHostedZone };

/** The name a task asks DNS for to reach an AWS service of a region: "api.ecr.<region>.amazonaws.com". */
export function serviceHost(inv: Inventory, need: Need): DomainName | undefined {
  if (need.kind !== 'aws-service' || !need.service || !need.region) return undefined;
  const suffix = `${need.region}.amazonaws.com${need.region.startsWith('cn-') ? '.cn' : ''}`;
  if (need.service === 'ecr.api') return `api.ecr.${suffix}`;
  if (need.service === 'ecr.dkr') {
    const registry = need.reasons.map((r) => r.match(/(\d{12})\.dkr\.ecr/)?.[1]).find(Boolean) ?? inv.account;
    return `${registry}.dkr.ecr.${suffix}`;
  }
  return `${need.service}.${suffix}`;
}

function covers(domain: DomainName, name: DomainName): boolean {
  return domain === '.' || name === domain || name.endsWith(`.${domain}`);
}

function labels(domain: DomainName): number {
  return domain === '.' ? 0 : domain.split('.').length;
}

/** The ".2" address of a CIDR block: the Amazon DNS server of a VPC whose primary block it is. */
export function resolverAddressOf(cidr: string): string {
  const [a, b, c, d] = cidr.split('/')[0].split('.').map(Number);
  const n = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d + 2;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/**
 * The DHCP option set of a VPC and its DNS servers; "custom" when none of them is the Amazon DNS
 * server; `unread` (the line why) when the set could not be read: the servers are unknown.
 */
export function dnsServersOf(inv: Inventory, vpc: Vpc): { options?: DhcpOptions; servers: string[]; custom: boolean; unread?: Extract<Resolution, { by: 'unread' }> } {
  if (!vpc.dhcpOptionsId || vpc.dhcpOptionsId === 'default') return { servers: [AMAZON_PROVIDED_DNS], custom: false };
  const options = inv.dhcpOptions.get(vpc.dhcpOptionsId);
  if (!options) {
    // Not read (denied, or an older snapshot): the servers are unknown, never assumed to be Amazon's.
    const failed = inv.denied?.get('ec2:DescribeDhcpOptions');
    const why = `the DNS servers of DHCP option set ${vpc.dhcpOptionsId} could not be read (${failed ?? `DescribeDhcpOptions did not list ${vpc.dhcpOptionsId}`})`;
    return { servers: [], custom: false, unread: { by: 'unread', ...(failed ? { operation: 'ec2:DescribeDhcpOptions' as const } : {}), why, resourceIds: [vpc.dhcpOptionsId, vpc.id] } };
  }
  const servers = options.domainNameServers.length ? options.domainNameServers : [AMAZON_PROVIDED_DNS];
  const amazon = new Set([AMAZON_PROVIDED_DNS.toLowerCase(), AMAZON_DNS_LINK_LOCAL, ...vpc.cidrBlocks.slice(0, 1).map(resolverAddressOf)]);
  return { options, servers, custom: !servers.some((s) => amazon.has(s.toLowerCase())) };
}

/** The private names an endpoint's private DNS answers for ("api.ecr.<region>.amazonaws.com", "*.dkr.ecr…" as its zone "dkr.ecr…"). */
function privateZonesOf(endpoint: VpcEndpoint): DomainName[] {
  return endpoint.dnsNames.filter((n) => !n.endsWith('.vpce.amazonaws.com')).map((n) => n.replace(/^\*\./, ''));
}

/**
 * Who answers `name` for tasks in `vpc`. `ownEndpoint` is the VPC's available interface endpoint
 * for the service when its private DNS would answer (private DNS, DNS support and hostnames on).
 * `behindForwarding`: what the Amazon DNS server itself would answer, were the question to reach it
 * past the custom servers or the forwarding rule (the other answer an unseen resolver may give).
 */
export function resolutionOf(inv: Inventory, vpc: Vpc, name: DomainName, ownEndpoint: VpcEndpoint | undefined, behindForwarding = false): Resolution {
  if (!behindForwarding) {
    const dns = dnsServersOf(inv, vpc);
    if (dns.unread) return dns.unread;
    if (dns.custom) return { by: 'custom-dns', options: dns.options!, servers: dns.servers };
    // Without the Resolver rules (or which VPCs they are associated with) any name may be forwarded.
    const rulesUnread = RESOLVER_READS.filter((op) => op.startsWith('route53resolver:')).find((op) => inv.denied?.has(op));
    if (rulesUnread) {
      return { by: 'unread', operation: rulesUnread, why: `whether a Route 53 Resolver rule forwards ${name} from ${vpc.id} could not be read (${inv.denied!.get(rulesUnread)})`, resourceIds: [vpc.id] };
    }
  }
  // Resolver rules: the most specific one covering the name. A system rule keeps the names under it
  // with the Amazon DNS server (its zones and endpoints still answer); the Internet Resolver is the default.
  const rule = inv.resolverRules
    .filter((r) => r.vpcIds.includes(vpc.id) && (r.type === 'FORWARD' || r.type === 'SYSTEM') && covers(r.domainName, name))
    .sort((a, b) => labels(b.domainName) - labels(a.domainName))[0];
  // The private hosted zones associated with the VPC, and the private DNS of its own endpoint (a hidden zone): the most specific.
  const zones: { domain: DomainName; resolution: Resolution }[] = [
    ...inv.hostedZones.filter((z) => z.vpcIds.includes(vpc.id) && covers(z.name, name)).map((zone) => ({ domain: zone.name, resolution: { by: 'hosted-zone' as const, zone } })),
    ...(ownEndpoint ? privateZonesOf(ownEndpoint) : []).filter((z) => covers(z, name)).map((domain) => ({ domain, resolution: { by: 'amazon' as const, endpoint: ownEndpoint } })),
  ].sort((a, b) => labels(b.domain) - labels(a.domain));
  const zone = zones[0];
  // A forwarding rule at least as specific as every zone wins (a tie goes to the rule).
  if (!behindForwarding && rule?.type === 'FORWARD' && (!zone || labels(rule.domainName) >= labels(zone.domain))) return { by: 'forward-rule', rule };
  return zone?.resolution ?? { by: 'amazon' };
}

/** The record of a zone that answers `name` (A, AAAA or CNAME): exact, else the closest wildcard; undefined is NXDOMAIN. */
export function recordFor(zone: PrivateHostedZone, name: DomainName): DnsRecord | undefined {
  const answers = (zone.records ?? []).filter((r) => r.type === 'A' || r.type === 'AAAA' || r.type === 'CNAME');
  const exact = answers.filter((r) => r.name === name);
  if (exact.length) return exact.find((r) => r.type === 'A' || r.type === 'CNAME') ?? exact[0];
  const parts = name.split('.');
  for (let i = 1; i < parts.length; i++) {
    const parent = parts.slice(i).join('.');
    if (!covers(zone.name, parent)) break;
    const wildcard = answers.find((r) => r.name === `*.${parent}` && r.type !== 'AAAA') ?? answers.find((r) => r.name === `*.${parent}`);
    if (wildcard) return wildcard;
  }
  return undefined;
}

/** The interface endpoint a record leads to: by the DNS name of an alias or CNAME, else by the subnets holding its addresses. */
export function endpointOfRecord(inv: Inventory, record: DnsRecord): { endpoint?: VpcEndpoint; target: string } {
  const target = record.aliasTarget ?? (record.type === 'CNAME' ? record.values[0]?.toLowerCase().replace(/\.$/, '') : undefined);
  if (target) return { endpoint: inv.endpoints.find((e) => e.type === 'Interface' && e.dnsNames.includes(target)), target };
  return { target: record.values.join(', ') };
}

/** Who answers, in a line: "custom DNS servers 10.20.0.10, 10.20.1.10 (dopt-…)", "Resolver rule rslvr-rr-… (amazonaws.com → 10.0.0.53)". */
export function describeResolver(resolution: Extract<Resolution, { by: 'custom-dns' | 'forward-rule' | 'unread' }>): string {
  if (resolution.by === 'unread') return `a resolver the suite could not read (${resolution.why})`;
  if (resolution.by === 'custom-dns') return `the custom DNS servers ${resolution.servers.join(', ')} of DHCP option set ${resolution.options.id}`;
  const { rule } = resolution;
  return `Route 53 Resolver rule ${rule.id}${rule.name ? ` (${rule.name})` : ''}, which forwards ${rule.domainName} to ${rule.targetIps.join(', ') || 'no target'}`;
}

/** Where servers outside the Amazon DNS server must send amazonaws.com: it answers only queries from inside the VPC. */
export function forwardingTargetOf(vpc: Vpc): string {
  const inside = `${vpc.cidrBlocks[0] ? `${resolverAddressOf(vpc.cidrBlocks[0])} or ` : ''}${AMAZON_DNS_LINK_LOCAL}`;
  return `the VPC's resolver: from inside ${vpc.id} ${inside}, from elsewhere a Route 53 Resolver inbound endpoint in ${vpc.id}`;
}

/** A DHCP configuration as the CLI's shorthand takes it, quoted for the shell: 'Key=domain-name,Values=corp.example.internal'. */
function shorthand(key: string, values: string[]): string {
  return `'Key=${key},Values=${values.map((v) => v.replace(/'/g, '')).join(',')}'`;
}

/**
 * Giving the names back to the Amazon DNS server: a new option set with AmazonProvidedDNS that
 * keeps the old set's other configurations (its domain name…), or a system rule for the region's
 * AWS names. The new set's or rule's ID is captured for the command after it: no placeholder.
 */
export function resolverFix(inv: Inventory, vpc: Vpc, resolution: Extract<Resolution, { by: 'custom-dns' | 'forward-rule' }>): { console: string; cli: string } {
  const region = `--region ${inv.region}`;
  if (resolution.by === 'custom-dns') {
    const others = (resolution.options.configurations ?? []).filter((c) => c.key !== 'domain-name-servers' && c.values.length);
    const configurations = [shorthand('domain-name-servers', [AMAZON_PROVIDED_DNS]), ...others.map((c) => shorthand(c.key, c.values))].join(' ');
    const kept = others.length ? `, and ${others.map((c) => `${c.key}: ${c.values.join(' ')}`).join(', ')} as in ${resolution.options.id}` : '';
    return {
      console:
        `VPC → DHCP option sets → Create DHCP option set → Domain name servers: AmazonProvidedDNS${kept} → Create; then VPC → Your VPCs → ${vpc.id} → Actions → Edit VPC settings → DHCP option set → the new set → Save ` +
        `(or ask the DNS team that runs ${resolution.servers.join(', ')} to forward amazonaws.com to ${forwardingTargetOf(vpc)})`,
      cli:
        `DOPT=$(aws ec2 create-dhcp-options --dhcp-configurations ${configurations} --query DhcpOptions.DhcpOptionsId --output text ${region}) && ` +
        `aws ec2 associate-dhcp-options --dhcp-options-id "$DOPT" --vpc-id ${vpc.id} ${region}`,
    };
  }
  const domain = `${inv.region}.amazonaws.com`;
  return {
    console:
      `Route 53 → Resolver → Rules → Create rule → Rule type: System, Domain name: ${domain}, VPCs: ${vpc.id} → Submit ` +
      `(or Rules → ${resolution.rule.id} → Disassociate ${vpc.id}, if nothing else in it needs the rule)`,
    cli:
      `RULE=$(aws route53resolver create-resolver-rule --rule-type SYSTEM --domain-name ${domain} --creator-request-id preflight-${vpc.id} --query ResolverRule.Id --output text ${region}) && ` +
      `aws route53resolver associate-resolver-rule --resolver-rule-id "$RULE" --vpc-id ${vpc.id} ${region}`,
  };
}
