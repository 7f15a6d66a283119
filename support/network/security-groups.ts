// Security groups are stateful and allow-only: a connection is allowed when ANY rule of ANY of the
// ENI's groups allows its first packet in that direction; the reply is let through by connection
// tracking, so only one direction is ever checked here (egress on the client, ingress on the server).
import type { Inventory, SecurityGroupRule } from '../inventory/model';
import { cidrCoversCidr, parseRemote, type Cidr, type Remote } from './cidr';

/** Who is on the other end, described in every way that is known; a rule matching any one of them matches. */
export interface Peer {
  /** Its address or a range it lies in (e.g. its subnet's CIDR); a rule's CIDR must cover all of it. */
  range?: Remote;
  /** The peer's own security groups: a rule referencing one of them matches. */
  securityGroupIds?: string[];
  /** The peer is a prefix list's destinations (S3 through its gateway endpoint: `pl-…`). */
  prefixListId?: string;
}

export interface SgTraffic {
  /** "tcp", "udp", or an IP protocol number ("6", "17"). */
  protocol: string;
  port: number;
  peer: Peer;
}

export type SgMatch =
  | { by: 'cidr'; cidr: string }
  | { by: 'security-group'; groupId: string }
  | { by: 'prefix-list'; prefixListId: string }
  /** The rule names none of the peer's lists but its CIDRs cover every entry of the peer's prefix list. */
  | { by: 'cidr-covers-prefix-list'; prefixListId: string; cidrs: string[] };

export interface SgVerdict {
  allowed: boolean;
  direction: 'ingress' | 'egress';
  /** The rule that allows the traffic, and what of the peer it matched. */
  rule?: { groupId: string; rule: SecurityGroupRule; match: SgMatch };
  /** The groups whose rules were read. */
  checked: string[];
  /** Groups not in the inventory: a denial with any of these is not proven. */
  unknownGroupIds: string[];
  /** Prefix lists (of rules or of the peer) whose entries the inventory lacks and that could have matched. */
  unknownPrefixListIds: string[];
}

const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6', all: '-1' };

/** One spelling per protocol: AWS returns "tcp", but rules made with numbers come back as "6". */
export function normalizeProtocol(protocol: string): string {
  const p = protocol.trim().toLowerCase();
  return PROTOCOL_NAMES[p] ?? p;
}

/** TCP and UDP rules carry ports; for any other protocol the ports mean nothing. */
export function hasPorts(protocol: string): boolean {
  const p = normalizeProtocol(protocol);
  return p === 'tcp' || p === 'udp';
}

function ruleAllowsProtocolAndPort(rule: SecurityGroupRule, protocol: string, port: number): boolean {
  const ruleProtocol = normalizeProtocol(rule.protocol);
  // "-1" is every protocol on every port.
  if (ruleProtocol === '-1') return true;
  if (ruleProtocol !== protocol) return false;
  if (!hasPorts(protocol)) return true;
  // A port rule without ports does not come from the API; read it as all ports rather than none.
  const from = rule.fromPort ?? 0;
  const to = rule.toPort ?? 65535;
  // -1 in a TCP/UDP rule's ports is how some tools write "all".
  if (from === -1 && to === -1) return true;
  return port >= from && port <= to;
}

function ruleCidrs(rule: SecurityGroupRule): string[] {
  return [...rule.ipv4Ranges, ...rule.ipv6Ranges];
}

/** What of the peer a rule matches, if anything; unknown lists it had to skip go to `unknownLists`. */
function matchPeer(inv: Inventory, rule: SecurityGroupRule, peer: Peer, range: Cidr | undefined, unknownLists: Set<string>): SgMatch | undefined {
  if (range) {
    const cidr = ruleCidrs(rule).find((c) => cidrCoversCidr(c, range));
    if (cidr) return { by: 'cidr', cidr };
  }
  const group = rule.groupIds.find((id) => peer.securityGroupIds?.includes(id));
  if (group) return { by: 'security-group', groupId: group };
  if (peer.prefixListId && rule.prefixListIds.includes(peer.prefixListId)) return { by: 'prefix-list', prefixListId: peer.prefixListId };
  // A rule's prefix list allows any address its entries cover, so it matches a peer given as a range too.
  if (range) {
    for (const id of rule.prefixListIds) {
      const list = inv.prefixLists.get(id);
      if (!list) unknownLists.add(id);
      else if (list.cidrs.some((c) => cidrCoversCidr(c, range))) return { by: 'prefix-list', prefixListId: id };
    }
  }
  if (peer.prefixListId && ruleCidrs(rule).length > 0) {
    const list = inv.prefixLists.get(peer.prefixListId);
    if (!list) unknownLists.add(peer.prefixListId);
    else if (list.cidrs.length > 0) {
      const covering = list.cidrs.map((entry) => ruleCidrs(rule).find((c) => cidrCoversCidr(c, entry)));
      if (covering.every((c) => c !== undefined)) {
        return { by: 'cidr-covers-prefix-list', prefixListId: peer.prefixListId, cidrs: [...new Set(covering as string[])] };
      }
    }
  }
  return undefined;
}

function evaluate(inv: Inventory, groupIds: string[], traffic: SgTraffic, direction: 'ingress' | 'egress'): SgVerdict {
  const protocol = normalizeProtocol(traffic.protocol);
  const range = traffic.peer.range === undefined ? undefined : parseRemote(traffic.peer.range);
  const checked = [...new Set(groupIds)];
  const unknownGroupIds: string[] = [];
  const unknownLists = new Set<string>();
  for (const groupId of checked) {
    const group = inv.securityGroups.get(groupId);
    if (!group) {
      unknownGroupIds.push(groupId);
      continue;
    }
    for (const rule of direction === 'egress' ? group.egress : group.ingress) {
      if (!ruleAllowsProtocolAndPort(rule, protocol, traffic.port)) continue;
      const match = matchPeer(inv, rule, traffic.peer, range, unknownLists);
      if (match) return { allowed: true, direction, rule: { groupId, rule, match }, checked, unknownGroupIds, unknownPrefixListIds: [] };
    }
  }
  return { allowed: false, direction, checked, unknownGroupIds, unknownPrefixListIds: [...unknownLists] };
}

/** Do these groups (an ENI's, e.g. the task's) let it open a connection to the peer? */
export function egressAllows(inv: Inventory, groupIds: string[], traffic: SgTraffic): SgVerdict {
  return evaluate(inv, groupIds, traffic, 'egress');
}

/** Do these groups (an ENI's, e.g. an endpoint's) accept a connection from the peer? */
export function ingressAllows(inv: Inventory, groupIds: string[], traffic: SgTraffic): SgVerdict {
  return evaluate(inv, groupIds, traffic, 'ingress');
}

/** "tcp 443" / "all traffic" / "udp 1024-65535", as the console's rule list reads. */
export function describeSgRulePorts(rule: SecurityGroupRule): string {
  const protocol = normalizeProtocol(rule.protocol);
  if (protocol === '-1') return 'all traffic';
  if (!hasPorts(protocol) || rule.fromPort === undefined || (rule.fromPort === -1 && rule.toPort === -1)) return `${protocol} all ports`;
  return rule.fromPort === rule.toPort ? `${protocol} ${rule.fromPort}` : `${protocol} ${rule.fromPort}-${rule.toPort}`;
}

function describeMatch(match: SgMatch): string {
  switch (match.by) {
    case 'cidr':
      return match.cidr;
    case 'security-group':
      return `members of ${match.groupId}`;
    case 'prefix-list':
      return `prefix list ${match.prefixListId}`;
    case 'cidr-covers-prefix-list':
      return `${match.cidrs.join(', ')} (covers every entry of ${match.prefixListId})`;
  }
}

/** "sg-0abc egress allows tcp 443 to 0.0.0.0/0", or why nothing allows it. */
export function describeSgVerdict(verdict: SgVerdict, traffic: SgTraffic): string {
  const toFrom = verdict.direction === 'egress' ? 'to' : 'from';
  if (verdict.rule) {
    const { groupId, rule, match } = verdict.rule;
    return `${groupId} ${verdict.direction} allows ${describeSgRulePorts(rule)} ${toFrom} ${describeMatch(match)}`;
  }
  const peer = [traffic.peer.range, ...(traffic.peer.securityGroupIds ?? []), traffic.peer.prefixListId].filter((p) => p !== undefined).join(' / ');
  const unknown = [
    ...(verdict.unknownGroupIds.length ? [`${verdict.unknownGroupIds.join(', ')} not in the inventory`] : []),
    ...(verdict.unknownPrefixListIds.length ? [`entries of ${verdict.unknownPrefixListIds.join(', ')} unknown`] : []),
  ];
  const caveat = unknown.length ? ` (${unknown.join('; ')})` : '';
  return `no ${verdict.direction} rule of ${verdict.checked.join(', ') || 'no security group'} allows ${normalizeProtocol(traffic.protocol)} ${traffic.port} ${toFrom} ${peer || 'the peer'}${caveat}`;
}
