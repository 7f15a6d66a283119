// Network ACLs are stateless: every packet crossing a subnet boundary is checked against the
// subnet's NACL, the request and the reply alike. Rules are read lowest number first, the first
// rule that matches a packet decides it, and the final `*` rule (32767, and 32768 for IPv6) denies (seed 000 step F:
// a deny numbered below an allow wins).
//
// The traffic checked here is usually not one packet but a set: a remote range (an endpoint's
// subnet, "anything in 10.0.20.0/24") and a port range (the ephemeral ports 1024-65535 of a reply).
// We are conservative: the traffic is allowed only if EVERY (address, port) in it is allowed.
// So, in rule order,
//   - an allow rule that covers part of what is still undecided decides that part; the rest goes on;
//   - a deny rule that reaches any still-undecided part makes the verdict "deny", with that rule as
//     evidence, marked `partial` when some of the traffic is not denied by it;
//   - a rule whose overlap was already decided by lower-numbered rules changes nothing.
import type { Inventory, NetworkAcl, NetworkAclEntry } from '../inventory/model';
import { cidrCoversCidr, cidrIntersection, everyAddress, parseCidr, parseRemote, splitCidr, type Cidr, type Remote } from './cidr';
import { hasPorts, normalizeProtocol } from './security-groups';

export interface PortRange {
  from: number;
  to: number;
}

/** The return ports of a TCP connection that AWS advises NACLs to allow (a client picks one of them). */
export const EPHEMERAL_PORTS: PortRange = { from: 1024, to: 65535 };
const ALL_PORTS: PortRange = { from: 0, to: 65535 };
/** The numbers of the `*` rules every NACL ends with: 32767 for IPv4, 32768 for IPv6 (user rules stop at 32766). */
export const STAR_RULE_NUMBERS = { ipv4: 32767, ipv6: 32768 } as const;

function ruleLabel(ruleNumber: number): string {
  return ruleNumber >= STAR_RULE_NUMBERS.ipv4 ? '*' : String(ruleNumber);
}

export type Direction = 'ingress' | 'egress';

export interface NaclTraffic {
  direction: Direction;
  /** "tcp", "udp", "6", "17"… */
  protocol: string;
  /** Destination ports of the packets: the server's port on a request, the client's ephemeral ports on a reply. */
  ports: PortRange;
  /** The other end: the source of ingress traffic, the destination of egress traffic. */
  remote: Remote;
}

export interface NaclRuleEvidence {
  aclId: string;
  ruleNumber: number;
  action: 'allow' | 'deny';
  direction: Direction;
  /** Normalized: "tcp", "udp", "-1" for all. */
  protocol: string;
  cidr: string;
  /** Absent for rules on every port (all protocols, or a protocol without ports). */
  portRange?: PortRange;
  /** The `*` rule was not in the inventory's entries and is implied. */
  implicit?: boolean;
}

export interface NaclVerdict {
  allowed: boolean;
  aclId: string;
  direction: Direction;
  /** The deny rule that decided, or the allow rule that completed the coverage. */
  rule: NaclRuleEvidence;
  /** Every allow rule that decided part of the traffic before the verdict, lowest number first. */
  allowedBy: NaclRuleEvidence[];
  /** A deny that reaches only part of the traffic (other parts allowed or not yet decided by then). */
  partial?: boolean;
  /** On a deny: the addresses and ports the deny rule reaches. */
  deniedPart?: { protocol: string; cidr: string; ports: PortRange };
}

/** A part of traffic: a range of addresses by a range of ports (one protocol). */
interface Box {
  cidr: Cidr;
  ports: PortRange;
}

// NACLs by the subnets they hold, indexed once per inventory: every path asks, several times.
// Rebuilt if the list of NACLs is replaced or grows (tests edit the inventories they build).
const naclIndex = new WeakMap<NetworkAcl[], { size: number; bySubnet: Map<string, NetworkAcl>; defaultByVpc: Map<string, NetworkAcl> }>();

/** The NACL of a subnet: the one whose associations name it, else its VPC's default NACL. */
export function naclOf(inv: Inventory, subnetId: string): NetworkAcl | undefined {
  let index = naclIndex.get(inv.networkAcls);
  if (!index || index.size !== inv.networkAcls.length) {
    index = { size: inv.networkAcls.length, bySubnet: new Map(), defaultByVpc: new Map() };
    // First match wins, as the scan it replaces did.
    for (const acl of inv.networkAcls) {
      for (const id of acl.subnetIds) if (!index.bySubnet.has(id)) index.bySubnet.set(id, acl);
      if (acl.isDefault && !index.defaultByVpc.has(acl.vpcId)) index.defaultByVpc.set(acl.vpcId, acl);
    }
    naclIndex.set(inv.networkAcls, index);
  }
  const explicit = index.bySubnet.get(subnetId);
  if (explicit) return explicit;
  const vpcId = inv.subnets.get(subnetId)?.vpcId;
  return vpcId === undefined ? undefined : index.defaultByVpc.get(vpcId);
}

function checkPorts(ports: PortRange): void {
  const ok = Number.isInteger(ports.from) && Number.isInteger(ports.to) && ports.from >= 0 && ports.to <= 65535 && ports.from <= ports.to;
  if (!ok) throw new Error(`not a port range: ${ports.from}-${ports.to}`);
}

function intersectPorts(a: PortRange, b: PortRange): PortRange | undefined {
  const from = Math.max(a.from, b.from);
  const to = Math.min(a.to, b.to);
  return from <= to ? { from, to } : undefined;
}

function intersect(a: Box, b: Box): Box | undefined {
  const cidr = cidrIntersection(a.cidr, b.cidr);
  const ports = intersectPorts(a.ports, b.ports);
  return cidr && ports ? { cidr, ports } : undefined;
}

function portsCovered(target: PortRange, ranges: PortRange[]): boolean {
  let next = target.from;
  for (const r of [...ranges].sort((a, b) => a.from - b.from)) {
    if (r.from > next) return false;
    next = Math.max(next, r.to + 1);
    if (next > target.to) return true;
  }
  return next > target.to;
}

/**
 * Is every (address, port) of `target` in some box? CIDR blocks nest or are apart, so: boxes whose
 * block holds all of the target's decide by ports alone; if they leave ports open, split the target's
 * block in halves and ask again of each, which only goes as deep as the more specific boxes.
 */
function covered(target: Box, boxes: Box[]): boolean {
  const clipped = boxes.flatMap((b) => intersect(b, target) ?? []);
  if (clipped.length === 0) return false;
  const whole = clipped.filter((b) => b.cidr.prefixLength <= target.cidr.prefixLength);
  if (portsCovered(target.ports, whole.map((b) => b.ports))) return true;
  if (!clipped.some((b) => b.cidr.prefixLength > target.cidr.prefixLength)) return false;
  const halves = splitCidr(target.cidr);
  return halves !== undefined && halves.every((cidr) => covered({ cidr, ports: target.ports }, clipped));
}

function entryCidr(entry: NetworkAclEntry): string | undefined {
  return entry.cidrBlock ?? entry.ipv6CidrBlock;
}

function evidenceOf(acl: NetworkAcl, entry: NetworkAclEntry): NaclRuleEvidence {
  const protocol = normalizeProtocol(entry.protocol);
  const evidence: NaclRuleEvidence = {
    aclId: acl.id,
    ruleNumber: entry.ruleNumber,
    action: entry.action,
    direction: entry.egress ? 'egress' : 'ingress',
    protocol,
    cidr: entryCidr(entry) ?? '',
  };
  if (hasPorts(protocol)) evidence.portRange = entry.portRange ?? ALL_PORTS;
  return evidence;
}

/** The part of all traffic an entry matches for this protocol and family, or undefined if none. */
function boxOf(entry: NetworkAclEntry, protocol: string, family: Cidr['family']): Box | undefined {
  const text = entryCidr(entry);
  if (text === undefined) return undefined;
  const cidr = parseCidr(text);
  // IPv4 entries never match IPv6 traffic and vice versa.
  if (cidr.family !== family) return undefined;
  const entryProtocol = normalizeProtocol(entry.protocol);
  if (entryProtocol !== '-1' && entryProtocol !== protocol) return undefined;
  const ports = entryProtocol !== '-1' && hasPorts(protocol) ? (entry.portRange ?? ALL_PORTS) : ALL_PORTS;
  return { cidr, ports };
}

// Verdicts per NACL and traffic. Thousands of paths cross the same few NACLs with the same traffic
// (HTTPS to 0.0.0.0/0, to S3's ranges, to an endpoint's subnet), and the range analysis below is the
// costliest step of a path. Keyed by the entries array, so a NACL given other entries is evaluated
// afresh; verdicts are shared, never changed.
const verdictCache = new WeakMap<NetworkAclEntry[], Map<string, NaclVerdict>>();

/** Evaluate traffic against one NACL, by rule order. See the header for what "allowed" means for a range. */
export function evaluateNacl(acl: NetworkAcl, traffic: NaclTraffic): NaclVerdict {
  let verdicts = verdictCache.get(acl.entries);
  if (!verdicts) verdictCache.set(acl.entries, (verdicts = new Map()));
  const key = `${acl.id} ${traffic.direction} ${traffic.protocol} ${traffic.ports.from}-${traffic.ports.to} ${traffic.remote}`;
  let verdict = verdicts.get(key);
  if (!verdict) {
    verdict = evaluateNaclEntries(acl, traffic);
    verdicts.set(key, verdict);
  }
  return verdict;
}

function evaluateNaclEntries(acl: NetworkAcl, traffic: NaclTraffic): NaclVerdict {
  checkPorts(traffic.ports);
  const protocol = normalizeProtocol(traffic.protocol);
  const remote = parseRemote(traffic.remote);
  // Ports only mean something for TCP and UDP; for other protocols every rule's ports are moot.
  const target: Box = { cidr: remote, ports: hasPorts(protocol) ? traffic.ports : ALL_PORTS };
  const egress = traffic.direction === 'egress';
  const entries = acl.entries.filter((e) => e.egress === egress).sort((a, b) => a.ruleNumber - b.ruleNumber);

  const decided: Box[] = [];
  const allowedBy: NaclRuleEvidence[] = [];
  const base = { aclId: acl.id, direction: traffic.direction };
  for (const entry of entries) {
    const box = boxOf(entry, protocol, remote.family);
    const reach = box && intersect(box, target);
    if (!reach) continue;
    const decidesSomething = !covered(reach, decided);
    if (entry.action === 'deny' && decidesSomething) {
      const partial = decided.length > 0 || !(cidrCoversCidr(reach.cidr, target.cidr) && portsCovered(target.ports, [reach.ports]));
      return { ...base, allowed: false, rule: evidenceOf(acl, entry), allowedBy, partial, deniedPart: { protocol, cidr: reach.cidr.text, ports: reach.ports } };
    }
    if (entry.action === 'allow' && decidesSomething) allowedBy.push(evidenceOf(acl, entry));
    decided.push(reach);
    if (entry.action === 'allow' && covered(target, decided)) return { ...base, allowed: true, rule: evidenceOf(acl, entry), allowedBy };
  }
  // Entries lacking the `*` rule (of this family): it is there all the same.
  const star = everyAddress(remote.family);
  const rule: NaclRuleEvidence = { ...base, ruleNumber: STAR_RULE_NUMBERS[remote.family], action: 'deny', protocol: '-1', cidr: star.text, implicit: true };
  return { ...base, allowed: false, rule, allowedBy, partial: decided.length > 0, deniedPart: { protocol, cidr: target.cidr.text, ports: target.ports } };
}

function describePorts(protocol: string, ports: PortRange | undefined): string {
  if (protocol === '-1') return 'all traffic';
  if (!ports) return protocol;
  if (ports.from === 0 && ports.to === 65535) return `${protocol} all ports`;
  return ports.from === ports.to ? `${protocol} ${ports.from}` : `${protocol} ${ports.from}-${ports.to}`;
}

/** "acl-0abc rule 90 deny tcp 443 egress 0.0.0.0/0", as the console's rule list reads. */
export function describeNaclRule(rule: NaclRuleEvidence): string {
  return `${rule.aclId} rule ${ruleLabel(rule.ruleNumber)} ${rule.action} ${describePorts(rule.protocol, rule.portRange)} ${rule.direction} ${rule.cidr}`;
}

/** "acl-0abc rule 90 denies tcp 443 egress to 0.0.0.0/0" and, when partial, which part it reaches. */
export function describeNaclVerdict(verdict: NaclVerdict): string {
  const r = verdict.rule;
  const number = ruleLabel(r.ruleNumber);
  const toFrom = r.direction === 'egress' ? 'to' : 'from';
  const line = `${r.aclId} rule ${number} ${r.action === 'deny' ? 'denies' : 'allows'} ${describePorts(r.protocol, r.portRange)} ${r.direction} ${toFrom} ${r.cidr}`;
  if (verdict.allowed) {
    const others = verdict.allowedBy.slice(0, -1).map((a) => a.ruleNumber);
    return others.length ? `${line} (the rest allowed by rule${others.length > 1 ? 's' : ''} ${others.join(', ')})` : line;
  }
  const part = verdict.deniedPart;
  if (!verdict.partial || !part) return line;
  return `${line}, which reaches part of the traffic: ${describePorts(part.protocol, hasPorts(part.protocol) ? part.ports : undefined)} ${toFrom} ${part.cidr}`;
}

export type ConnectionLeg = 'request-out' | 'reply-in' | 'request-in' | 'reply-out';

export interface ConnectionNaclCheck {
  subnetId: string;
  leg: ConnectionLeg;
  traffic: NaclTraffic;
  verdict: NaclVerdict;
}

export interface ConnectionRequest {
  /** The client's subnet (the task's). */
  sourceSubnetId: string;
  /** The client's address or range; by default the whole source subnet, in the destination's family. */
  source?: Remote;
  /** The server's address or range (an endpoint's subnet, an S3 address…). */
  destination: Remote;
  /** The server's subnet, when it is in one the inventory holds: its NACL is checked too. */
  destinationSubnetId?: string;
  protocol: string;
  port: number;
  /** The client's return ports; 1024-65535 unless told. */
  ephemeralPorts?: PortRange;
}

export interface ConnectionNaclVerdict {
  allowed: boolean;
  /** Client and server share a subnet: no NACL lies between them. */
  sameSubnet: boolean;
  /** Every NACL evaluation made: request out and reply in on the client's subnet, request in and reply out on the server's. */
  checks: ConnectionNaclCheck[];
  /** Subnets whose NACL (or CIDR) the inventory lacks: the connection cannot be verified. */
  unknownSubnetIds: string[];
  note?: string;
}

function subnetRange(inv: Inventory, subnetId: string, family: Cidr['family']): string | undefined {
  const subnet = inv.subnets.get(subnetId);
  if (!subnet) return undefined;
  const ranges = family === 'ipv4' ? [subnet.cidrBlock].filter((c) => c !== '') : subnet.ipv6CidrBlocks;
  return ranges[0];
}

/**
 * The NACLs a connection from a client subnet to a server crosses, both ways: on the client's subnet
 * the request leaves (egress, the server's port) and the reply comes back (ingress, the ephemeral
 * ports); on the server's subnet, when given, the mirror. Traffic within one subnet crosses no NACL.
 */
export function evaluateConnectionNacls(inv: Inventory, request: ConnectionRequest): ConnectionNaclVerdict {
  const destination = parseRemote(request.destination);
  const ephemeral = request.ephemeralPorts ?? EPHEMERAL_PORTS;
  const service: PortRange = { from: request.port, to: request.port };
  const source = request.source ?? subnetRange(inv, request.sourceSubnetId, destination.family);
  if (source === undefined) {
    const note = inv.subnets.has(request.sourceSubnetId)
      ? `${request.sourceSubnetId} has no ${destination.family} CIDR, so it cannot reach ${destination.text}`
      : `${request.sourceSubnetId} is not in the inventory`;
    return { allowed: false, sameSubnet: false, checks: [], unknownSubnetIds: inv.subnets.has(request.sourceSubnetId) ? [] : [request.sourceSubnetId], note };
  }

  // Without the server's subnet, its address inside the client's subnet says the same.
  const ownRange = subnetRange(inv, request.sourceSubnetId, destination.family);
  const sameSubnet =
    request.destinationSubnetId !== undefined
      ? request.destinationSubnetId === request.sourceSubnetId
      : ownRange !== undefined && cidrCoversCidr(ownRange, destination);
  if (sameSubnet) {
    return { allowed: true, sameSubnet, checks: [], unknownSubnetIds: [], note: `${destination.text} is in ${request.sourceSubnetId}: traffic within a subnet crosses no NACL` };
  }

  const checks: ConnectionNaclCheck[] = [];
  const unknownSubnetIds: string[] = [];
  const legs = (subnetId: string, out: NaclTraffic, back: NaclTraffic, names: [ConnectionLeg, ConnectionLeg]) => {
    const acl = naclOf(inv, subnetId);
    if (!acl) {
      unknownSubnetIds.push(subnetId);
      return;
    }
    checks.push({ subnetId, leg: names[0], traffic: out, verdict: evaluateNacl(acl, out) });
    checks.push({ subnetId, leg: names[1], traffic: back, verdict: evaluateNacl(acl, back) });
  };
  const protocol = request.protocol;
  legs(
    request.sourceSubnetId,
    { direction: 'egress', protocol, ports: service, remote: destination.text },
    { direction: 'ingress', protocol, ports: ephemeral, remote: destination.text },
    ['request-out', 'reply-in'],
  );
  if (request.destinationSubnetId !== undefined) {
    legs(
      request.destinationSubnetId,
      { direction: 'ingress', protocol, ports: service, remote: source },
      { direction: 'egress', protocol, ports: ephemeral, remote: source },
      ['request-in', 'reply-out'],
    );
  }
  const allowed = unknownSubnetIds.length === 0 && checks.every((c) => c.verdict.allowed);
  const note = unknownSubnetIds.length ? `no NACL found for ${unknownSubnetIds.join(', ')}: the connection cannot be verified` : undefined;
  return { allowed, sameSubnet, checks, unknownSubnetIds, ...(note ? { note } : {}) };
}
