// The path from a task subnet to each need (CHECKS.md section 2), as AWS routes and filters it:
// interface endpoint, gateway endpoint, NAT gateway, internet gateway, or "cannot be verified".
// Every path is a chain of hops; each hop says what it checked, which check it belongs to, the
// resources involved and, when it blocks, the fix. Checks are views over these hops.
import type { Inventory, NatGateway, PrivateHostedZone, Route, RouteTable, Subnet, TransitGatewayAttachment, VpcEndpoint } from './inventory/model';
import { endpointsFor, routeTableOf, defaultRoute, endpointServiceName } from './inventory/queries';
import type { Fix } from './checks/finding';
import { createS3GatewayFix, gatewayRouteFix, interfaceEndpointFix, toChoose } from './fixes';
import type { CheckId } from './checks/ids';
import type { OperationName } from './aws/operations';
import { describeNeed, needsOf, type Need } from './needs';
import { networkFix, type TaskSubnet, type Workload } from './workloads';
import { lookupRoute, describeRoute, describeRouteLookup, type RouteLookup } from './network/routes';
import { egressAllows, ingressAllows, describeSgVerdict, type Peer, type SgTraffic } from './network/security-groups';
import { evaluateConnectionNacls, evaluateNacl, describeNaclVerdict, EPHEMERAL_PORTS, naclOf, type NaclTraffic, type NaclVerdict } from './network/nacls';
import { cidrCoversCidr, parseRemote } from './network/cidr';
import { describeResolver, endpointOfRecord, recordFor, resolutionOf, resolverFix, serviceHost, type Resolution } from './network/dns';

export const HTTPS = 443;

/** `note`: evidence that changes the path without blocking it (private DNS off sends traffic to the route table). */
export type HopStatus = 'ok' | 'note' | 'blocked' | 'unverifiable';

export interface Hop {
  /** The check this hop answers: RT-01 for routes, SG-01/SG-02, NACL-01/NACL-02, NET-01, EP-04… */
  check: CheckId;
  status: HopStatus;
  /** One line of evidence naming the resources: "rtb-… sends 52.219.204.42 by pl-78a54011 -> vpce-…". */
  text: string;
  resourceIds: string[];
  fix?: Fix;
  /** Unverifiable only because this read failed (denied, or no answer): the check says it could not evaluate, not that tasks fail. */
  missingRead?: OperationName;
  /** For a missing security-group rule: the group to change and the permission to add, so fixes can be merged. */
  rule?: { groupId: string; direction: 'egress' | 'ingress'; permission: string; destination: string };
}

export type Via = 'interface endpoint' | 'gateway endpoint' | 'NAT gateway' | 'internet gateway' | 'VPC' | 'nowhere' | 'cannot be verified';

export interface Path {
  workload: string;
  subnet: Subnet;
  /** What is reached: a need of the task definition, or an address a feature names. */
  to: string;
  need?: Need;
  via: Via;
  /** The endpoint, NAT or internet gateway the traffic leaves by. */
  targetId?: string;
  routeTableId?: string;
  verdict: 'reachable' | 'blocked' | 'cannot be verified';
  hops: Hop[];
}

/** Where traffic to a need goes: address ranges, or a prefix list standing for them. */
interface Destination {
  label: string;
  ranges: string[];
  prefixListId?: string;
  /** A concrete address (NET-03): routes are looked up for it rather than for the default route. */
  address?: string;
  port: number;
}

interface Context {
  inv: Inventory;
  workload: Workload;
  subnet: Subnet;
  table?: RouteTable;
  explicitTable: boolean;
  taskGroups: string[];
}

const INTERNET: Omit<Destination, 'port'> = { label: 'the internet (0.0.0.0/0)', ranges: ['0.0.0.0/0'] };

function verdictOf(hops: Hop[]): Path['verdict'] {
  if (hops.some((h) => h.status === 'blocked')) return 'blocked';
  if (hops.some((h) => h.status === 'unverifiable')) return 'cannot be verified';
  return 'reachable';
}

function contextOf(inv: Inventory, workload: Workload, taskSubnet: TaskSubnet): Context {
  const { table, explicit } = routeTableOf(inv, taskSubnet.subnet);
  return { inv, workload, subnet: taskSubnet.subnet, table, explicitTable: explicit, taskGroups: workload.network?.securityGroupIds ?? [] };
}

// An inventory is never changed once loaded, so its paths can be computed once and shared by every scenario.
const cache = new WeakMap<Inventory, Map<string, Path[]>>();

// Most hops are about resources, not about the workload: a task subnet's NACL towards a range, its
// route to the internet, an endpoint's subnets seen from a task subnet. Paths keep one object per
// distinct hop, found by its text (a 2,000-service account makes 350,000 hops, of which 43,000
// differ): the cached paths cost a third of the memory they did. Hops are never changed once made:
// checks copy what they report (test/checks/paths.test.ts runs every check on frozen paths).
const distinctHops = new WeakMap<Inventory, Map<string, Hop | Hop[]>>();

// The NACL, NAT gateway and route hops of a task subnet depend on that subnet and the destination
// alone, and every workload running there meets them for most of its needs: they are made once per
// inventory, task subnet and destination (not per workload: they do not depend on its security groups).
const subnetHopsMade = new WeakMap<Inventory, Map<string, Map<string, Hop[]>>>();

function subnetHops(ctx: Context, key: string, make: () => Hop[]): Hop[] {
  let bySubnet = subnetHopsMade.get(ctx.inv);
  if (!bySubnet) subnetHopsMade.set(ctx.inv, (bySubnet = new Map()));
  let byKey = bySubnet.get(ctx.subnet.id);
  if (!byKey) bySubnet.set(ctx.subnet.id, (byKey = new Map()));
  let hops = byKey.get(key);
  if (!hops) byKey.set(key, (hops = make().map((h) => canonical(ctx.inv, h))));
  return hops;
}

/** The first hop made with this content: same text, then same everything else. */
function canonical(inv: Inventory, hop: Hop): Hop {
  let byText = distinctHops.get(inv);
  if (!byText) distinctHops.set(inv, (byText = new Map()));
  const seen = byText.get(hop.text);
  if (!seen) {
    byText.set(hop.text, hop);
    return hop;
  }
  const candidates = Array.isArray(seen) ? seen : [seen];
  for (const h of candidates) if (sameData(h, hop)) return h;
  byText.set(hop.text, [...candidates, hop]);
  return hop;
}

/** Whether two hops (plain data: strings, numbers, arrays, objects) are the same, field by field; an undefined field is no field. */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameData(x, b[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let fields = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    fields++;
    if (!sameData(x[k], y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined) fields--;
  return fields === 0;
}

/** Every (task subnet, need) path of a workload, computed once per inventory. */
export function pathsOf(inv: Inventory, workload: Workload): Path[] {
  let byWorkload = cache.get(inv);
  if (!byWorkload) cache.set(inv, (byWorkload = new Map()));
  let paths = byWorkload.get(workload.id);
  if (!paths) {
    const needs = needsOf(inv, workload);
    paths = workload.taskSubnets.flatMap((s) => needs.map((need) => pathToNeed(inv, workload, s, need)));
    byWorkload.set(workload.id, paths);
  }
  return paths;
}

export function pathToNeed(inv: Inventory, workload: Workload, taskSubnet: TaskSubnet, need: Need): Path {
  return unlessNameResolutionUnread(inv, taskSubnet.subnet.vpcId, need, drawPathToNeed(inv, workload, taskSubnet, need));
}

/**
 * Without the private hosted zones of the task VPC (ListHostedZonesByVPC unread), a path that would
 * be blocked may be answered by a zone that sends the name somewhere it reaches: an endpoint of
 * another VPC the task route table has a route to (a transit gateway, a peering connection), or the
 * VPC's own endpoint for the service whose private DNS is off. Such a path cannot be verified for
 * want of that read alone: its blocking hops stay, each unverifiable with that `missingRead`, so
 * every check that reports one says it could not evaluate it. A path that reaches anyway stays
 * reachable; one no zone answer could rescue stays blocked.
 */
function unlessNameResolutionUnread(inv: Inventory, vpcId: string, need: Need, path: Path): Path {
  if (path.verdict !== 'blocked' || need.kind !== 'aws-service' || need.region !== inv.region || !need.service) return path;
  const unread = inv.denied?.get('route53:ListHostedZonesByVPC');
  const host = serviceHost(inv, need);
  if (!unread || !host || !inv.vpcs.get(vpcId)?.dnsSupport) return path;
  const table = path.routeTableId ? inv.routeTables.find((t) => t.id === path.routeTableId) : undefined;
  const toOtherVpcs = table?.routes.some((r) => r.state === 'active' && (r.target.kind === 'transit-gateway' || r.target.kind === 'vpc-peering')) ?? false;
  const ownUnused = path.via !== 'interface endpoint' && endpointsFor(inv, vpcId, need.service, 'Interface').some((e) => e.state === 'available');
  if (!toOtherVpcs && !ownUnused) return path;
  const zones = `whether a private hosted zone associated with ${vpcId} sends ${host} elsewhere could not be read`;
  const hop: Hop = {
    check: 'NET-02',
    status: 'unverifiable',
    text: `${zones} (${unread})`,
    resourceIds: [vpcId],
    missingRead: 'route53:ListHostedZonesByVPC',
    fix: {
      console: `grant route53:ListHostedZonesByVPC to the identity running the suite (iam/readonly-policy.json), or look: Route 53 → Hosted zones → filter by VPC ${vpcId}`,
      cli: `aws route53 list-hosted-zones-by-vpc --vpc-id ${vpcId} --vpc-region ${inv.region}`,
    },
  };
  const kept = path.hops.map((h): Hop => (h.status === 'blocked' ? { ...h, status: 'unverifiable', text: `were no zone to answer ${host}: ${h.text}`, missingRead: 'route53:ListHostedZonesByVPC' } : h));
  return finish(inv, path, 'cannot be verified', undefined, [hop, ...kept]);
}

function drawPathToNeed(inv: Inventory, workload: Workload, taskSubnet: TaskSubnet, need: Need): Path {
  const ctx = contextOf(inv, workload, taskSubnet);
  const base = { workload: workload.id, subnet: ctx.subnet, to: describeNeed(need), need, routeTableId: ctx.table?.id };
  if (need.kind === 'aws-service' && !need.region) {
    const hop: Hop = { check: 'NET-02', status: 'unverifiable', text: `cannot tell where ${need.reasons[0]} lives: ${need.unknown}`, resourceIds: [] };
    return { ...base, via: 'cannot be verified', verdict: 'cannot be verified', hops: [hop] };
  }
  const hops: Hop[] = [];
  const sameRegion = need.kind === 'aws-service' && need.region === inv.region;
  const vpc = inv.vpcs.get(ctx.subnet.vpcId);
  if (vpc && !vpc.dnsSupport) {
    // Without DNS support the Amazon DNS server does not answer: no name resolves, whatever the routes.
    const hop: Hop = {
      check: 'EP-04',
      status: 'blocked',
      text: `DNS support is off on ${vpc.id}: the Amazon DNS server does not answer, so the task cannot resolve the name of ${describeNeed(need)}`,
      resourceIds: [vpc.id, ctx.subnet.id],
      fix: {
        console: `VPC → Your VPCs → ${vpc.id} → Actions → Edit VPC settings → Enable DNS resolution → Save`,
        cli: `aws ec2 modify-vpc-attribute --vpc-id ${vpc.id} --enable-dns-support '{"Value":true}' --region ${inv.region}`,
      },
    };
    return { ...base, via: 'nowhere', verdict: 'blocked', hops: [hop] };
  }

  const s3List = sameRegion && need.service === 's3' ? s3PrefixList(inv) : undefined;
  const destination: Destination = s3List
    ? { label: `S3 in ${inv.region} (${s3List.id})`, ranges: s3List.cidrs, prefixListId: s3List.id, port: HTTPS }
    : { ...INTERNET, port: HTTPS };

  if (sameRegion && need.service) {
    const endpoint = endpointsFor(inv, ctx.subnet.vpcId, need.service, 'Interface').find((e) => e.state === 'available');
    const resolves = endpoint ? privateDnsHop(ctx, endpoint) : undefined;
    // Who answers the service's name (DNS-01, DNS-02): the Amazon DNS server, or what overrides it.
    const host = serviceHost(inv, need);
    const resolution = vpc && host ? resolutionOf(inv, vpc, host, resolves?.status === 'ok' ? endpoint : undefined) : undefined;
    if (resolution?.by === 'hosted-zone') return hostedZonePath(ctx, base, need, host!, resolution.zone);
    if (resolution?.by === 'custom-dns' || resolution?.by === 'forward-rule' || resolution?.by === 'unread') {
      const behind = resolutionOf(inv, vpc!, host!, resolves?.status === 'ok' ? endpoint : undefined, true);
      return unseenResolverPath(ctx, base, need, host!, resolution, behind, destination, resolves && resolves.status !== 'ok' ? [{ ...resolves, status: 'note' }] : []);
    }
    if (endpoint && resolves) {
      if (resolves.status === 'ok') return finish(ctx.inv, base, 'interface endpoint', endpoint.id, [resolves, ...interfaceEndpointHops(ctx, endpoint)]);
      // Without private DNS the public name answers with public addresses: the route table decides.
      hops.push({ ...resolves, status: 'note' });
    }
  }

  return routeAndFilter(ctx, base, destination, hops, need);
}

/**
 * A name that servers the suite cannot see answer (custom DNS servers, a Resolver forwarding rule):
 * they may pass the question to the Amazon DNS server, which answers privately (`behind`: the
 * VPC's own endpoint, or a private hosted zone's record), or answer with the public addresses. The
 * path is verified only if both answers lead somewhere; otherwise it cannot be verified, never blocked.
 */
function unseenResolverPath(
  ctx: Context,
  base: Omit<Path, 'via' | 'targetId' | 'verdict' | 'hops'>,
  need: Need,
  host: string,
  resolution: Extract<Resolution, { by: 'custom-dns' | 'forward-rule' | 'unread' }>,
  behind: Resolution,
  destination: Destination,
  notes: Hop[],
): Path {
  const vpc = ctx.inv.vpcs.get(ctx.subnet.vpcId)!;
  const who = describeResolver(resolution);
  const ids = resolution.by === 'custom-dns' ? [resolution.options.id, vpc.id] : resolution.by === 'forward-rule' ? [resolution.rule.id, vpc.id] : resolution.resourceIds;
  const publicPath = routeAndFilter(ctx, base, destination, [...notes], need);
  const privatePath =
    behind.by === 'hosted-zone'
      ? hostedZonePath(ctx, base, need, host, behind.zone)
      : behind.by === 'amazon' && behind.endpoint
        ? finish(ctx.inv, base, 'interface endpoint', behind.endpoint.id, [privateDnsHop(ctx, behind.endpoint), ...interfaceEndpointHops(ctx, behind.endpoint)])
        : undefined;
  if (!privatePath) {
    // Nothing in the VPC answers privately: any answer for an AWS name is the public one, and the route table decides.
    const note: Hop = { check: 'DNS-01', status: 'note', text: `${host} is resolved by ${who}; nothing in ${vpc.id} would answer it privately, so the public answer follows the route table`, resourceIds: ids };
    return { ...publicPath, hops: [canonical(ctx.inv, note), ...publicPath.hops] };
  }
  const privately = behind.by === 'hosted-zone' ? `private hosted zone ${behind.zone.id}'s answer` : `${privatePath.targetId}'s private addresses`;
  const outcome = (p: Path) => (p.verdict === 'reachable' ? `it is reached through ${p.via}${p.targetId && p.targetId !== 'local' ? ` ${p.targetId}` : ''}` : `${p.verdict === 'blocked' ? 'it is blocked' : 'it cannot be verified'}: ${blockerText(p)}`);
  if (privatePath.verdict === 'reachable' && publicPath.verdict === 'reachable') {
    const note: Hop = { check: 'DNS-01', status: 'note', text: `${host} is resolved by ${who}: whether they answer with ${privately} or the public addresses, ${describeNeed(need)} is reached`, resourceIds: ids };
    return { ...privatePath, hops: [canonical(ctx.inv, note), ...privatePath.hops] };
  }
  const both = `with ${privately} ${outcome(privatePath)}; with the public addresses ${outcome(publicPath)}`;
  const hop: Hop =
    resolution.by === 'unread'
      ? {
          check: 'DNS-01',
          status: 'unverifiable',
          text: `who answers ${host} cannot be verified: ${resolution.why}; ${both}`,
          resourceIds: ids,
          ...(resolution.operation ? { missingRead: resolution.operation } : {}),
          fix: unreadResolverFix(ctx.inv, vpc, resolution),
        }
      : {
          check: 'DNS-01',
          status: 'unverifiable',
          text: `${host} is resolved by ${who}, which the suite cannot see: ${both}`,
          resourceIds: ids,
          fix: resolverFix(ctx.inv, vpc, resolution),
        };
  // A zone that would answer keeps its mark: the path is DNS-02's too, never a missing endpoint's.
  const zoneNote: Hop[] =
    behind.by === 'hosted-zone' ? [{ check: 'DNS-02', status: 'note', text: `the Amazon DNS server would answer ${host} from private hosted zone ${behind.zone.id} (${behind.zone.name})`, resourceIds: [behind.zone.id, vpc.id] }] : [];
  return finish(ctx.inv, base, 'cannot be verified', undefined, [...zoneNote, hop]);
}

/** Reading who answers: the option set, or the Resolver rules associated with the VPC. */
function unreadResolverFix(inv: Inventory, vpc: { id: string; dhcpOptionsId?: string }, resolution: Extract<Resolution, { by: 'unread' }>): Fix {
  const grant = resolution.operation ? `grant ${resolution.operation} to the identity running the suite (iam/readonly-policy.json); or look: ` : '';
  if (resolution.operation === 'ec2:DescribeDhcpOptions' || !resolution.operation) {
    return {
      console: `${grant}VPC → DHCP option sets → ${vpc.dhcpOptionsId ?? `the set of ${vpc.id}`} → Domain name servers`,
      cli: `aws ec2 describe-dhcp-options --dhcp-options-ids ${vpc.dhcpOptionsId} --region ${inv.region}`,
    };
  }
  return {
    console: `${grant}Route 53 → Resolver → Rules → the rules associated with ${vpc.id}`,
    cli: `aws route53resolver list-resolver-rule-associations --filters Name=VPCId,Values=${vpc.id} --region ${inv.region}`,
  };
}

function blockerText(path: Path): string {
  return path.hops.find((h) => h.status === 'blocked' || h.status === 'unverifiable')?.text ?? 'no evidence';
}

/** NET-03 and stated application egress: the path from a task subnet to an address or range on a port. */
export function pathToRemote(inv: Inventory, workload: Workload, taskSubnet: TaskSubnet, remote: string, port: number): Path {
  const ctx = contextOf(inv, workload, taskSubnet);
  const base = { workload: workload.id, subnet: ctx.subnet, to: `${remote} on port ${port}`, routeTableId: ctx.table?.id };
  const range = parseRemote(remote);
  if (range.text === '0.0.0.0/0') return routeAndFilter(ctx, base, { ...INTERNET, port }, [], undefined);
  // The prefix list holding the range, if any: a security group may allow it by that list.
  const list = [...inv.prefixLists.values()].find((l) => l.cidrs.some((c) => cidrCoversCidr(c, range)));
  return routeAndFilter(ctx, base, { label: remote, ranges: [range.text], address: firstAddress(range.text), prefixListId: list?.id, port }, [], undefined);
}

/** The read whose failure alone keeps a path from being verified; undefined when something real blocks it, or it is verified. */
export function missingReadOf(path: Path): OperationName | undefined {
  if (path.verdict !== 'cannot be verified') return undefined;
  const unverifiable = path.hops.filter((h) => h.status === 'unverifiable');
  return unverifiable.length > 0 && unverifiable.every((h) => h.missingRead) ? unverifiable[0].missingRead : undefined;
}

function finish(inv: Inventory, base: Omit<Path, 'via' | 'targetId' | 'verdict' | 'hops'>, via: Via, targetId: string | undefined, hops: Hop[]): Path {
  const distinct = hops.map((h) => canonical(inv, h));
  // The same rule deciding several ranges of one destination is one piece of evidence.
  const unique = distinct.filter((h, i) => distinct.findIndex((o) => o === h || (o.check === h.check && o.status === h.status && o.text === h.text)) === i);
  return { ...base, via, targetId, verdict: verdictOf(unique), hops: unique };
}

function s3PrefixList(inv: Inventory) {
  return [...inv.prefixLists.values()].find((l) => l.name === endpointServiceName(inv.region, 's3'));
}

function privateDnsHop(ctx: Context, endpoint: VpcEndpoint): Hop {
  return subnetHops(ctx, `private dns ${endpoint.id}`, () => [makePrivateDnsHop(ctx, endpoint)])[0];
}

function makePrivateDnsHop(ctx: Context, endpoint: VpcEndpoint): Hop {
  const vpc = ctx.inv.vpcs.get(endpoint.vpcId);
  const missing = [
    ...(endpoint.privateDnsEnabled ? [] : [`private DNS is off on ${endpoint.id}`]),
    ...(vpc?.dnsSupport ? [] : [`DNS support is off on ${endpoint.vpcId}`]),
    ...(vpc?.dnsHostnames ? [] : [`DNS hostnames are off on ${endpoint.vpcId}`]),
  ];
  if (missing.length === 0) {
    return { check: 'EP-04', status: 'ok', text: `${endpoint.id} resolves the service name privately (private DNS on, VPC DNS support and hostnames on)`, resourceIds: [endpoint.id] };
  }
  return {
    check: 'EP-04',
    status: 'blocked',
    text: `${missing.join(', ')}: the service name resolves to public addresses, so traffic follows the route table instead of ${endpoint.id}`,
    resourceIds: [endpoint.id, endpoint.vpcId],
    fix: {
      console: `VPC → Endpoints → ${endpoint.id} → Actions → Modify private DNS name → Enable`,
      cli: `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${endpoint.id} --private-dns-enabled --region ${ctx.inv.region}`,
    },
  };
}

/** Task → interface endpoint: every subnet the endpoint has, since its DNS name answers with all of them. */
function interfaceEndpointHops(ctx: Context, endpoint: VpcEndpoint): Hop[] {
  const hops: Hop[] = [];
  // The endpoint's groups admitting the task do not depend on which of its subnets answers.
  let ingress: Hop | undefined;
  for (const subnetId of endpoint.subnetIds) {
    const endpointSubnet = ctx.inv.subnets.get(subnetId);
    if (!endpointSubnet) {
      hops.push({ check: 'NET-02', status: 'unverifiable', text: `${endpoint.id} is in ${subnetId}, which is not in the inventory`, resourceIds: [endpoint.id, subnetId] });
      continue;
    }
    const range = endpointSubnet.cidrBlock;
    const table = ctx.table;
    if (table) {
      // The task subnet's table, towards this endpoint subnet: the same for every workload there.
      hops.push(...subnetHops(ctx, `local route ${endpoint.id} ${subnetId}`, () => {
        const lookup = lookupRoute(ctx.inv, table, firstAddress(range));
        const local = lookup.chosen?.route.target.kind === 'local';
        return [
          {
            check: 'RT-01',
            status: local ? 'ok' : 'unverifiable',
            text: local
              ? `${table.id} reaches ${endpoint.id} in ${subnetId} (${endpointSubnet.availabilityZone}) by the local route`
              : `${table.id} sends ${range} by ${lookup.chosen ? describeRoute(lookup.chosen.route) : 'no route'}, not the local route: traffic to ${endpoint.id} cannot be verified`,
            resourceIds: [table.id, endpoint.id, subnetId],
          },
        ];
      }));
    }
    hops.push(taskEgressHop(ctx, { protocol: 'tcp', port: HTTPS, peer: { range, securityGroupIds: endpoint.securityGroupIds } }, `${endpoint.id} in ${subnetId}`, endpoint.securityGroupIds[0]));
    hops.push((ingress ??= endpointIngressHop(ctx, endpoint)));
    hops.push(...connectionNaclHops(ctx, range, HTTPS, subnetId, endpoint.id));
  }
  if (endpoint.subnetIds.length === 0) hops.push({ check: 'EP-03', status: 'blocked', text: `${endpoint.id} has no subnets`, resourceIds: [endpoint.id] });
  return hops;
}

/** Routes for the destination from the task subnet, then the target's own conditions, SGs and NACLs. */
function routeAndFilter(ctx: Context, base: Omit<Path, 'via' | 'targetId' | 'verdict' | 'hops'>, destination: Destination, hops: Hop[], need: Need | undefined): Path {
  const { inv, table } = ctx;
  if (!table) {
    hops.push({ check: 'RT-01', status: 'unverifiable', text: `${ctx.subnet.id} has no route table in the inventory`, resourceIds: [ctx.subnet.id] });
    return finish(ctx.inv, base, 'cannot be verified', undefined, hops);
  }
  const choice = routeFor(ctx, destination);
  if ('mixed' in choice) {
    hops.push({ check: 'RT-01', status: 'unverifiable', text: choice.mixed, resourceIds: [table.id] });
    return finish(ctx.inv, base, 'cannot be verified', undefined, hops);
  }
  const { route, text } = choice;
  const tableName = `${table.id}${ctx.explicitTable ? '' : ' (the main table)'}`;
  if (!route) {
    hops.push({ check: 'NET-02', status: 'blocked', text: `${tableName} has no route to ${destination.label}`, resourceIds: [table.id, ctx.subnet.id], fix: noRouteFix(ctx, destination, need) });
    return finish(ctx.inv, base, 'nowhere', undefined, hops);
  }
  if (route.state === 'blackhole') {
    hops.push({
      check: 'RT-01',
      status: 'blocked',
      text: `${text}: the route is a blackhole (its target is gone)`,
      resourceIds: [table.id, route.target.id],
      fix: blackholeFix(ctx, route),
    });
    return finish(ctx.inv, base, 'nowhere', route.target.id, hops);
  }
  hops.push({ check: 'RT-01', status: 'ok', text, resourceIds: [table.id, route.target.id] });
  const peer: Peer = destination.prefixListId && !destination.address ? { prefixListId: destination.prefixListId } : {};

  switch (route.target.kind) {
    case 'local':
      return finish(ctx.inv, base, 'VPC', 'local', hops);
    case 'gateway-endpoint': {
      const endpoint = inv.endpoints.find((e) => e.id === route.target.id);
      const region = endpoint?.serviceName.split('.').slice(-2, -1)[0];
      if (need?.region && region && need.region !== region) {
        hops.push({ check: 'NET-02', status: 'blocked', text: `${route.target.id} is a gateway endpoint of ${region}; it cannot reach ${describeNeed(need)}`, resourceIds: [route.target.id] });
      }
      if (endpoint && endpoint.state !== 'available') {
        hops.push({ check: 'RT-01', status: 'blocked', text: `gateway endpoint ${endpoint.id} is ${endpoint.state}`, resourceIds: [endpoint.id] });
      }
      hops.push(...destinationFilters(ctx, destination, peer));
      return finish(ctx.inv, base, 'gateway endpoint', route.target.id, hops);
    }
    case 'nat-gateway':
      hops.push(...natHops(ctx, route.target.id, destination));
      hops.push(...destinationFilters(ctx, destination, peer));
      return finish(ctx.inv, base, 'NAT gateway', route.target.id, hops);
    case 'internet-gateway':
      hops.push(publicIpHop(ctx, route.target.id, destination, need));
      hops.push(...destinationFilters(ctx, destination, peer));
      return finish(ctx.inv, base, 'internet gateway', route.target.id, hops);
    default:
      hops.push({
        check: 'NET-02',
        status: 'unverifiable',
        text: `traffic leaves through ${route.target.kind.replace(/-/g, ' ')} ${route.target.id}; what lies beyond it cannot be verified from this account's VPC data`,
        resourceIds: [route.target.id],
      });
      return finish(ctx.inv, base, 'cannot be verified', route.target.id, hops);
  }
}

/** The route the task subnet uses: for an address, longest prefix match; otherwise for every range of the destination. */
function routeFor(ctx: Context, destination: Destination): { route?: Route; text: string } | { mixed: string } {
  const table = ctx.table!;
  if (!destination.address && destination.ranges[0] === '0.0.0.0/0') {
    // "The internet" is whatever the default route says; a more specific route would name its own range.
    const route = defaultRoute(table);
    return { route, text: route ? `${table.id} sends 0.0.0.0/0 by ${describeRoute(route)}` : `${table.id} has no 0.0.0.0/0 route` };
  }
  const lookups: RouteLookup[] = destination.address ? [lookupRoute(ctx.inv, table, destination.address)] : destination.ranges.map((r) => lookupRoute(ctx.inv, table, firstAddress(r)));
  const uncertain = lookups.find((l) => !l.certain);
  if (uncertain) return { mixed: describeRouteLookup(uncertain) };
  const routes = new Set(lookups.map((l) => l.chosen?.route));
  if (routes.size > 1) {
    return { mixed: `${table.id} sends the ranges of ${destination.label} by different routes (${[...routes].map((r) => (r ? describeRoute(r) : 'none')).join(', ')}): cannot be verified as one path` };
  }
  const chosen = lookups[0].chosen;
  if (!chosen) return { text: `${table.id} has no route to ${destination.label}` };
  const how = chosen.via === 'prefix-list' ? `its prefix list ${chosen.prefixListId} holds ${chosen.matchedCidr}` : `${chosen.matchedCidr} matches`;
  return { route: chosen.route, text: `${table.id} sends ${destination.address ?? destination.label} by ${describeRoute(chosen.route)} (${how}, the longest match)` };
}

function firstAddress(cidr: string): string {
  return cidr.split('/')[0];
}

/** A NAT gateway works only when available, public, and in a subnet whose table routes 0.0.0.0/0 to an attached internet gateway. */
function natHops(ctx: Context, natId: string, destination: Destination): Hop[] {
  // The task subnet decides its VPC, range and route table.
  return subnetHops(ctx, `nat ${natId} ${destination.port} ${destination.ranges.join(' ')}`, () => makeNatHops(ctx, natId, destination));
}

function makeNatHops(ctx: Context, natId: string, destination: Destination): Hop[] {
  const { inv } = ctx;
  const nat: NatGateway | undefined = inv.natGateways.get(natId);
  const replace = (why: string): Hop => ({
    check: 'RT-01',
    status: 'blocked',
    text: why,
    resourceIds: [natId, ctx.table!.id],
    fix: {
      ...natRouteFix(ctx, 'replace-route', '0.0.0.0/0', natId),
    },
  });
  if (!nat) return [replace(`the route targets ${natId}, which does not exist`)];
  if (nat.state !== 'available') return [replace(`NAT gateway ${natId} is ${nat.state}, not available`)];
  if (nat.connectivityType !== 'public') return [replace(`NAT gateway ${natId} is private: it does not reach the internet`)];
  const natSubnet = inv.subnets.get(nat.subnetId);
  const natTable = natSubnet ? routeTableOf(inv, natSubnet).table : undefined;
  const natDefault = defaultRoute(natTable);
  const igw = natDefault?.target.kind === 'internet-gateway' && natDefault.state === 'active' ? inv.internetGateways.get(natDefault.target.id) : undefined;
  if (!igw || !igw.vpcIds.includes(nat.vpcId)) {
    return [
      {
        check: 'RT-01',
        status: 'blocked',
        text: `NAT gateway ${natId} is in ${nat.subnetId}, whose route table ${natTable?.id ?? '(none)'} does not send 0.0.0.0/0 to an attached internet gateway: it is not in a public subnet`,
        resourceIds: [natId, nat.subnetId, ...(natTable ? [natTable.id] : [])],
        fix: {
          console: `VPC → Route tables → ${natTable?.id ?? `the table of ${nat.subnetId}`} → Edit routes → 0.0.0.0/0 → the VPC's internet gateway`,
          cli: natTable
            ? internetRouteCli(inv, nat.vpcId, natTable.id)
            : `aws ec2 describe-route-tables --filters Name=association.subnet-id,Values=${nat.subnetId} --region ${inv.region}`,
        },
      },
    ];
  }
  const hops: Hop[] = [{ check: 'RT-01', status: 'ok', text: `NAT gateway ${natId} is available and public, in ${nat.subnetId} whose table ${natTable!.id} sends 0.0.0.0/0 to ${igw.id}`, resourceIds: [natId, nat.subnetId, natTable!.id, igw.id] }];
  // The NAT's subnet NACL sees the request arrive from the task subnet and leave for the destination, and the reply back.
  const acl = naclOf(inv, nat.subnetId);
  if (nat.subnetId === ctx.subnet.id) return hops;
  if (!acl) return [...hops, unknownNaclHop(ctx, 'NACL-02', nat.subnetId)];
  const taskRange = ctx.subnet.cidrBlock;
  const legs: [NaclTraffic, string][] = [
    [{ direction: 'ingress', protocol: 'tcp', ports: { from: destination.port, to: destination.port }, remote: taskRange }, `tcp ${destination.port} in from ${taskRange}`],
    [{ direction: 'egress', protocol: 'tcp', ports: EPHEMERAL_PORTS, remote: taskRange }, `replies out to ${taskRange}`],
  ];
  for (const range of destination.ranges) {
    legs.push([{ direction: 'egress', protocol: 'tcp', ports: { from: destination.port, to: destination.port }, remote: range }, `tcp ${destination.port} out to ${range}`]);
    legs.push([{ direction: 'ingress', protocol: 'tcp', ports: EPHEMERAL_PORTS, remote: range }, `replies in from ${range}`]);
  }
  for (const [traffic, leg] of legs) hops.push(naclHop(ctx, 'NACL-02', nat.subnetId, evaluateNacl(acl, traffic), traffic, `${leg}, NAT gateway ${natId}'s subnet`));
  return hops;
}

/** An internet gateway attached to the VPC, in a subnet's table's default route that is active: its ID, if any. */
function attachedInternetGateway(inv: Inventory, vpcId: string, table: RouteTable | undefined): string | undefined {
  const route = defaultRoute(table);
  const igw = route?.target.kind === 'internet-gateway' && route.state === 'active' ? inv.internetGateways.get(route.target.id) : undefined;
  return igw?.vpcIds.includes(vpcId) ? igw.id : undefined;
}

/** 0.0.0.0/0 → the VPC's internet gateway on `tableId`, creating and attaching one (its ID captured) if the VPC has none. */
function internetRouteCli(inv: Inventory, vpcId: string, tableId: string): string {
  const region = `--region ${inv.region}`;
  const igw = [...inv.internetGateways.values()].find((g) => g.vpcIds.includes(vpcId))?.id;
  const route = (id: string) => `aws ec2 create-route --route-table-id ${tableId} --destination-cidr-block 0.0.0.0/0 --gateway-id ${id} ${region}`;
  if (igw) return route(igw);
  return `IGW=$(aws ec2 create-internet-gateway --query InternetGateway.InternetGatewayId --output text ${region}) && aws ec2 attach-internet-gateway --internet-gateway-id "$IGW" --vpc-id ${vpcId} ${region} && ${route('"$IGW"')}`;
}

/**
 * A route to a working public NAT gateway of the task's VPC (its zone's first), with no ID left to
 * fill in: an existing one, else one created in a public subnet of the VPC (its ID captured and
 * waited for), else a look at the VPC's NAT gateways.
 */
function natRouteFix(ctx: Context, verb: 'replace-route' | 'create-route', destination: string, broken?: string): Fix {
  const { inv } = ctx;
  const table = ctx.table!;
  const region = `--region ${inv.region}`;
  const vpcId = ctx.subnet.vpcId;
  const publicSubnet = (subnetId: string) => {
    const subnet = inv.subnets.get(subnetId);
    return subnet && attachedInternetGateway(inv, vpcId, routeTableOf(inv, subnet).table) ? subnet : undefined;
  };
  const working = [...inv.natGateways.values()].filter((n) => n.id !== broken && n.vpcId === vpcId && n.state === 'available' && n.connectivityType === 'public' && publicSubnet(n.subnetId));
  const nat = working.find((n) => inv.subnets.get(n.subnetId)?.availabilityZone === ctx.subnet.availabilityZone) ?? working[0];
  const route = (id: string) => `aws ec2 ${verb} --route-table-id ${table.id} --destination-cidr-block ${destination} --nat-gateway-id ${id} ${region}`;
  if (nat) {
    return { console: `VPC → Route tables → ${table.id} → Edit routes → ${destination} → NAT gateway ${nat.id}`, cli: route(nat.id) };
  }
  const subnets = [...inv.subnets.values()].filter((s) => s.vpcId === vpcId && publicSubnet(s.id));
  const home = subnets.find((s) => s.availabilityZone === ctx.subnet.availabilityZone) ?? subnets[0];
  const console = `VPC → NAT gateways → Create NAT gateway → ${home ? `subnet ${home.id}` : `a public subnet of ${vpcId}`}, Public, Allocate Elastic IP → Create; then VPC → Route tables → ${table.id} → Edit routes → ${destination} → the new NAT gateway`;
  if (!home) return { console, cli: `aws ec2 describe-nat-gateways --filter Name=vpc-id,Values=${vpcId} Name=state,Values=available ${region}` };
  return {
    console,
    cli:
      `EIP=$(aws ec2 allocate-address --domain vpc --query AllocationId --output text ${region}) && ` +
      `NAT=$(aws ec2 create-nat-gateway --subnet-id ${home.id} --allocation-id "$EIP" --query NatGateway.NatGatewayId --output text ${region}) && ` +
      `aws ec2 wait nat-gateway-available --nat-gateway-ids "$NAT" ${region} && ${route('"$NAT"')}`,
  };
}

/**
 * An internet gateway carries a Fargate task's traffic only if the task has a public IP. Blocked,
 * the hop names what has no other path and the private way to it: the S3 gateway endpoint's
 * route when the VPC has one, an interface endpoint for an AWS service, else private subnets.
 */
function publicIpHop(ctx: Context, igwId: string, destination: Destination, need: Need | undefined): Hop {
  const { workload, inv } = ctx;
  if (workload.network?.assignPublicIp && workload.fargate) {
    return { check: 'NET-01', status: 'ok', text: `${ctx.subnet.id} routes 0.0.0.0/0 to ${igwId} and the ${workload.kind} assigns public IPs`, resourceIds: [ctx.subnet.id, igwId] };
  }
  const why = workload.network?.assignPublicIp ? `tasks on EC2 never get a public IP in awsvpc mode` : `the ${workload.kind} does not assign public IPs (assignPublicIp DISABLED)`;
  const table = ctx.table!;
  const text = `${ctx.subnet.id} is a public subnet (${destination.label} -> ${igwId} on ${table.id}) but ${why}, so ${need ? describeNeed(need) : destination.label} is unreachable from it`;
  const resourceIds = [ctx.subnet.id, table.id, igwId];
  const inRegion = need?.kind === 'aws-service' && need.region === inv.region && need.service ? need.service : undefined;
  const s3Gateway = inRegion === 's3' ? endpointsFor(inv, ctx.subnet.vpcId, 's3', 'Gateway').find((e) => e.state === 'available') : undefined;
  if (s3Gateway) {
    return {
      check: 'NET-01',
      status: 'blocked',
      text: `${text}: S3 gateway endpoint ${s3Gateway.id} has no route on ${table.id}`,
      resourceIds: [...resourceIds, s3Gateway.id],
      fix: gatewayRouteFix(inv, s3Gateway.id, table.id),
    };
  }
  if (inRegion && inRegion !== 's3') {
    return {
      check: 'NET-01',
      status: 'blocked',
      text: `${text}: ${ctx.subnet.vpcId} has no available ${inRegion} interface endpoint`,
      resourceIds,
      fix: endpointFixFor(ctx, inRegion),
    };
  }
  // The internet, or AWS in another region: only a public IP (Fargate) or a NAT gateway reaches it.
  const fix = workload.fargate
    ? networkFix(workload, inv.region, { assignPublicIp: 'ENABLED' })
    : networkFix(workload, inv.region, { subnets: '<private-subnet-ids-with-a-NAT-route>', assignPublicIp: 'DISABLED' });
  return {
    check: 'NET-01',
    status: 'blocked',
    text,
    resourceIds,
    fix: {
      ...fix,
      console: workload.fargate
        ? `${fix.console}: turn on Public IP, or move the ${workload.kind} to private subnets whose route table sends 0.0.0.0/0 to a NAT gateway`
        : `${fix.console}: tasks on EC2 get no public IP; use private subnets whose route table sends 0.0.0.0/0 to a NAT gateway`,
    },
  };
}

/** The task's security groups and its subnet's NACL, for traffic that leaves the VPC. */
function destinationFilters(ctx: Context, destination: Destination, peer: Peer): Hop[] {
  const hops: Hop[] = [];
  const peers: Peer[] = peer.prefixListId ? [peer] : destination.ranges.map((range) => ({ range }));
  for (const p of peers) hops.push(taskEgressHop(ctx, { protocol: 'tcp', port: destination.port, peer: p }, destination.label, undefined));
  for (const range of destination.ranges) hops.push(...connectionNaclHops(ctx, range, destination.port, undefined, destination.label));
  return hops;
}

function taskEgressHop(ctx: Context, traffic: SgTraffic, what: string, peerGroupId: string | undefined): Hop {
  const verdict = egressAllows(ctx.inv, ctx.taskGroups, traffic);
  const text = `${describeSgVerdict(verdict, traffic)} (${what})`;
  if (verdict.allowed) return { check: 'SG-01', status: 'ok', text, resourceIds: [verdict.rule!.groupId] };
  const status: HopStatus = verdict.unknownGroupIds.length || verdict.unknownPrefixListIds.length ? 'unverifiable' : 'blocked';
  const group = ctx.taskGroups[0] ?? `"${toChoose('TASK_GROUP', "the tasks' security group")}"`;
  const permission = peerGroupId
    ? `UserIdGroupPairs=[{GroupId=${peerGroupId}}]`
    : traffic.peer.prefixListId
      ? `PrefixListIds=[{PrefixListId=${traffic.peer.prefixListId}}]`
      : `IpRanges=[{CidrIp=${traffic.peer.range}}]`;
  return {
    check: 'SG-01',
    status,
    text,
    resourceIds: [...ctx.taskGroups],
    rule: { groupId: group, direction: 'egress', permission: `IpProtocol=tcp,FromPort=${traffic.port},ToPort=${traffic.port},${permission}`, destination: what },
    fix: {
      console: `VPC → Security groups → ${group} → Outbound rules → Edit → add HTTPS (TCP ${traffic.port}) to ${peerGroupId ?? traffic.peer.prefixListId ?? traffic.peer.range}`,
      cli: `aws ec2 authorize-security-group-egress --group-id ${group} --ip-permissions 'IpProtocol=tcp,FromPort=${traffic.port},ToPort=${traffic.port},${permission}' --region ${ctx.inv.region}`,
    },
  };
}

function endpointIngressHop(ctx: Context, endpoint: VpcEndpoint): Hop {
  const traffic: SgTraffic = { protocol: 'tcp', port: HTTPS, peer: { range: ctx.subnet.cidrBlock, securityGroupIds: ctx.taskGroups } };
  const verdict = ingressAllows(ctx.inv, endpoint.securityGroupIds, traffic);
  const text = `${describeSgVerdict(verdict, traffic)} (${endpoint.id} from the task in ${ctx.subnet.id})`;
  if (verdict.allowed) return { check: 'SG-02', status: 'ok', text, resourceIds: [verdict.rule!.groupId, endpoint.id] };
  const group = endpoint.securityGroupIds[0] ?? `"${toChoose('ENDPOINT_GROUP', "the endpoint's security group")}"`;
  const source = ctx.taskGroups[0];
  return {
    check: 'SG-02',
    status: verdict.unknownGroupIds.length ? 'unverifiable' : 'blocked',
    text,
    resourceIds: [...endpoint.securityGroupIds, endpoint.id],
    fix: {
      console: `VPC → Security groups → ${group} → Inbound rules → Edit → add HTTPS (TCP 443) from ${source ?? ctx.subnet.cidrBlock}`,
      cli: source
        ? `aws ec2 authorize-security-group-ingress --group-id ${group} --protocol tcp --port 443 --source-group ${source} --region ${ctx.inv.region}`
        : `aws ec2 authorize-security-group-ingress --group-id ${group} --protocol tcp --port 443 --cidr ${ctx.subnet.cidrBlock} --region ${ctx.inv.region}`,
    },
  };
}

/** NACL-01 on the task subnet (request out, reply in); NACL-02 on the endpoint's subnet when there is one. */
function connectionNaclHops(ctx: Context, range: string, port: number, destinationSubnetId: string | undefined, what: string): Hop[] {
  return subnetHops(ctx, `nacl ${range} ${port} ${destinationSubnetId ?? ''} ${what}`, () => makeConnectionNaclHops(ctx, range, port, destinationSubnetId, what));
}

function makeConnectionNaclHops(ctx: Context, range: string, port: number, destinationSubnetId: string | undefined, what: string): Hop[] {
  const verdict = evaluateConnectionNacls(ctx.inv, { sourceSubnetId: ctx.subnet.id, destination: range, destinationSubnetId, protocol: 'tcp', port });
  if (verdict.sameSubnet) return [{ check: 'NACL-01', status: 'ok', text: `${what} is in the task's own subnet ${ctx.subnet.id}: no NACL between them`, resourceIds: [ctx.subnet.id] }];
  const hops = verdict.checks.map((c) =>
    naclHop(ctx, c.subnetId === ctx.subnet.id ? 'NACL-01' : 'NACL-02', c.subnetId, c.verdict, c.traffic, c.subnetId === ctx.subnet.id ? 'the task subnet' : `${what}'s subnet`),
  );
  for (const id of verdict.unknownSubnetIds) hops.push(unknownNaclHop(ctx, id === ctx.subnet.id ? 'NACL-01' : 'NACL-02', id));
  return hops;
}

/** A subnet whose NACL the inventory lacks: cannot be verified, saying why (a read that failed names its action). */
function unknownNaclHop(ctx: Context, check: 'NACL-01' | 'NACL-02', subnetId: string): Hop {
  const failed = ctx.inv.denied?.get('ec2:DescribeNetworkAcls');
  return {
    check,
    status: 'unverifiable',
    text: failed ? `the network ACL of ${subnetId} could not be read (${failed})` : `no NACL for ${subnetId} in the inventory`,
    resourceIds: [subnetId],
    ...(failed ? { missingRead: 'ec2:DescribeNetworkAcls' as const } : {}),
  };
}

function naclHop(ctx: Context, check: 'NACL-01' | 'NACL-02', subnetId: string, verdict: NaclVerdict, traffic: NaclTraffic, where: string): Hop {
  const text = `${describeNaclVerdict(verdict)} (${where} ${subnetId})`;
  const rule = verdict.rule;
  if (verdict.allowed) return { check, status: 'ok', text, resourceIds: [verdict.aclId, subnetId] };
  const acl = ctx.inv.networkAcls.find((a) => a.id === verdict.aclId);
  const egress = traffic.direction === 'egress';
  const number = acl && rule ? freeRuleNumberBelow(acl.entries.filter((e) => e.egress === egress).map((e) => e.ruleNumber), rule.ruleNumber) : 100;
  const ports = `From=${traffic.ports.from},To=${traffic.ports.to}`;
  return {
    check,
    status: 'blocked',
    text,
    resourceIds: [verdict.aclId, ...(rule ? [`rule ${rule.ruleNumber >= 32767 ? '*' : rule.ruleNumber}`] : []), subnetId],
    fix:
      rule && rule.ruleNumber < 32767
        ? {
            console: `VPC → Network ACLs → ${verdict.aclId} → ${egress ? 'Outbound' : 'Inbound'} rules → Edit → remove rule ${rule.ruleNumber} (or add an allow for TCP ${traffic.ports.from}-${traffic.ports.to} ${egress ? 'to' : 'from'} ${traffic.remote} numbered below it)`,
            cli: `aws ec2 delete-network-acl-entry --network-acl-id ${verdict.aclId} ${egress ? '--egress' : '--ingress'} --rule-number ${rule.ruleNumber} --region ${ctx.inv.region}`,
          }
        : {
            console: `VPC → Network ACLs → ${verdict.aclId} → ${egress ? 'Outbound' : 'Inbound'} rules → Edit → allow TCP ${traffic.ports.from}-${traffic.ports.to} ${egress ? 'to' : 'from'} ${traffic.remote}`,
            cli: `aws ec2 create-network-acl-entry --network-acl-id ${verdict.aclId} ${egress ? '--egress' : '--ingress'} --rule-number ${number} --protocol tcp --port-range ${ports} --cidr-block ${traffic.remote} --rule-action allow --region ${ctx.inv.region}`,
          },
  };
}

/** A rule number below `limit` that the NACL does not use yet, as close to it as possible. */
function freeRuleNumberBelow(used: number[], limit: number): number {
  const top = Math.min(limit - 1, 32766);
  for (let n = top; n >= 1; n--) if (!used.includes(n)) return n;
  return 1;
}

/**
 * A blackhole route to a NAT gateway is pointed at an available public NAT gateway of the same VPC
 * (its zone's, if it has one): deleting a default route would leave the subnet with none. Any
 * other blackhole route is removed.
 */
function blackholeFix(ctx: Context, route: Route): Fix {
  const { inv } = ctx;
  const table = ctx.table!;
  if (route.target.kind === 'nat-gateway' && route.destination.kind === 'cidr') {
    return natRouteFix(ctx, 'replace-route', route.destination.cidr, route.target.id);
  }
  return {
    console: `VPC → Route tables → ${table.id} → Routes → Edit routes → replace or remove ${describeRoute(route)}`,
    cli: `aws ec2 delete-route --route-table-id ${table.id} ${routeDestinationFlag(route)} --region ${inv.region}`,
  };
}

/** An interface endpoint for `service` in the task subnet, behind a group that admits the tasks. */
function endpointFixFor(ctx: Context, service: string): Fix {
  return interfaceEndpointFix(ctx.inv, { vpcId: ctx.subnet.vpcId, service, subnetIds: [ctx.subnet.id], taskGroups: ctx.taskGroups, taskSubnetCidrs: [ctx.subnet.cidrBlock] });
}

function routeDestinationFlag(route: Route): string {
  return route.destination.kind === 'cidr' ? `--destination-cidr-block ${route.destination.cidr}` : `--destination-prefix-list-id ${route.destination.prefixListId}`;
}

function noRouteFix(ctx: Context, destination: Destination, need: Need | undefined): Fix {
  const { inv } = ctx;
  const table = ctx.table!;
  const toS3 = need ? need.service === 's3' && need.region === inv.region : destination.prefixListId === s3PrefixList(inv)?.id && destination.prefixListId !== undefined;
  const s3Gateway = toS3 ? endpointsFor(inv, ctx.subnet.vpcId, 's3', 'Gateway').find((e) => e.state === 'available') : undefined;
  if (s3Gateway) return gatewayRouteFix(inv, s3Gateway.id, table.id);
  if (need?.kind === 'aws-service' && need.region === inv.region && need.service) {
    const fix = need.service === 's3' ? createS3GatewayFix(inv, ctx.subnet.vpcId, table.id) : endpointFixFor(ctx, need.service);
    return { ...fix, console: `${fix.console}; or route 0.0.0.0/0 to a NAT gateway` };
  }
  return natRouteFix(ctx, 'create-route', '0.0.0.0/0');
}

// ------------------------------------------------------------------ DNS-02: a private hosted zone answers the name

/**
 * The path through a private hosted zone associated with the task VPC that answers the service's
 * name: where its record points (an endpoint of this VPC, or of a hub VPC reached over a transit
 * gateway), followed as far as the inventory shows. A zone without the record answers NXDOMAIN.
 */
function hostedZonePath(ctx: Context, base: Omit<Path, 'via' | 'targetId' | 'verdict' | 'hops'>, need: Need, host: string, zone: PrivateHostedZone): Path {
  const { inv } = ctx;
  const vpcId = ctx.subnet.vpcId;
  const zoneName = `private hosted zone ${zone.id} (${zone.name}), associated with ${vpcId},`;
  if (!inv.vpcs.get(vpcId)?.dnsHostnames) {
    // AWS documents private hosted zones as needing DNS hostnames on as well as DNS support.
    const hop: Hop = {
      check: 'DNS-02',
      status: 'unverifiable',
      text: `${zoneName} would answer ${host}, but DNS hostnames are off on ${vpcId}, which private hosted zones require: what tasks get for the name cannot be verified`,
      resourceIds: [zone.id, vpcId],
      fix: {
        console: `VPC → Your VPCs → ${vpcId} → Actions → Edit VPC settings → Enable DNS hostnames → Save`,
        cli: `aws ec2 modify-vpc-attribute --vpc-id ${vpcId} --enable-dns-hostnames '{"Value":true}' --region ${inv.region}`,
      },
    };
    return finish(inv, base, 'cannot be verified', undefined, [hop]);
  }
  if (!zone.records) {
    const failed = inv.denied?.get('route53:ListResourceRecordSets');
    const hop: Hop = {
      check: 'DNS-02',
      status: 'unverifiable',
      text: `${zoneName} answers for ${host}, but its records could not be read (${zone.recordsError ?? failed ?? 'not read'})`,
      resourceIds: [zone.id, vpcId],
      missingRead: 'route53:ListResourceRecordSets',
    };
    return finish(inv, base, 'cannot be verified', undefined, [hop]);
  }
  const record = recordFor(zone, host);
  const region = `--region ${inv.region}`;
  if (!record) {
    const hop: Hop = {
      check: 'DNS-02',
      status: 'blocked',
      text: `${zoneName} has no record for ${host}: the Amazon DNS server answers NXDOMAIN from the zone and does not ask public DNS, so tasks cannot resolve ${describeNeed(need)}`,
      resourceIds: [zone.id, vpcId],
      fix: {
        console: `Route 53 → Hosted zones → ${zone.name} (${zone.id}) → Create record → ${host} (or a wildcard record), type A, Alias → Alias to VPC endpoint → the ${need.service} interface endpoint → Create records (or disassociate the zone from ${vpcId})`,
        cli: aliasRecordFix(inv, zone.id, host, need.service!, vpcId),
      },
    };
    return finish(inv, base, 'nowhere', undefined, [hop]);
  }
  const { endpoint, target } = endpointOfRecord(inv, record);
  const answer = `${zoneName} answers ${host} with ${record.aliasTarget ? 'an alias to' : record.type === 'CNAME' ? 'a CNAME to' : 'the addresses'} ${target}`;
  if (!endpoint) {
    const hop: Hop = { check: 'DNS-02', status: 'unverifiable', text: `${answer}, which is no interface endpoint of ${inv.account} in ${inv.region}: the path beyond it cannot be verified`, resourceIds: [zone.id, vpcId] };
    return finish(inv, base, 'cannot be verified', undefined, [hop]);
  }
  const wrong = endpoint.serviceName !== endpointServiceName(inv.region, need.service!) ? `${endpoint.id} is an endpoint for ${endpoint.serviceName}, not ${need.service}` : endpoint.state !== 'available' ? `${endpoint.id} is ${endpoint.state}` : undefined;
  if (wrong) {
    const hop: Hop = {
      check: 'DNS-02',
      status: 'blocked',
      text: `${answer}: ${wrong}`,
      resourceIds: [zone.id, endpoint.id],
      fix: {
        console: `Route 53 → Hosted zones → ${zone.name} (${zone.id}) → the record ${record.name} → Edit → alias to the available ${need.service} interface endpoint`,
        cli: `aws route53 list-resource-record-sets --hosted-zone-id ${zone.id} --query "ResourceRecordSets[?Name=='${record.name}.']"`,
      },
    };
    return finish(inv, base, 'nowhere', endpoint.id, [hop]);
  }
  const where = endpoint.vpcId === vpcId ? `${endpoint.id} in the task's VPC` : `${endpoint.id} in ${endpoint.vpcId}`;
  const zoneHop: Hop = { check: 'DNS-02', status: 'ok', text: `${answer}: interface endpoint ${where}`, resourceIds: [zone.id, endpoint.id] };
  const onward = endpoint.vpcId === vpcId ? interfaceEndpointHops(ctx, endpoint) : remoteEndpointHops(ctx, endpoint, region);
  return finish(inv, base, 'interface endpoint', endpoint.id, [zoneHop, ...onward]);
}

/** Task → an endpoint in another VPC: the route there and back, the task's egress, the endpoint's ingress by address, and the NACLs. */
function remoteEndpointHops(ctx: Context, endpoint: VpcEndpoint, region: string): Hop[] {
  const hops: Hop[] = [];
  for (const subnetId of endpoint.subnetIds) {
    const endpointSubnet = ctx.inv.subnets.get(subnetId);
    if (!endpointSubnet) {
      hops.push({ check: 'DNS-02', status: 'unverifiable', text: `${endpoint.id} is in ${subnetId}, which is not in the inventory`, resourceIds: [endpoint.id, subnetId] });
      continue;
    }
    const range = endpointSubnet.cidrBlock;
    hops.push(...subnetHops(ctx, `remote route ${endpoint.id} ${subnetId}`, () => [crossVpcRouteHop(ctx, endpoint, endpointSubnet, region)]));
    // A security-group reference does not match across a transit gateway: only address rules count.
    hops.push(taskEgressHop(ctx, { protocol: 'tcp', port: HTTPS, peer: { range } }, `${endpoint.id} in ${subnetId} (${endpoint.vpcId})`, undefined));
    // Over a peering connection in the region a group may name the peer VPC's groups; over a transit gateway it cannot.
    const overPeering = ctx.table ? lookupRoute(ctx.inv, ctx.table, firstAddress(range)).chosen?.route.target.kind === 'vpc-peering' : false;
    hops.push(remoteIngressHop(ctx, endpoint, region, overPeering));
    hops.push(...connectionNaclHops(ctx, range, HTTPS, subnetId, endpoint.id));
  }
  if (endpoint.subnetIds.length === 0) hops.push({ check: 'DNS-02', status: 'blocked', text: `${endpoint.id} has no subnets`, resourceIds: [endpoint.id] });
  return hops;
}

function remoteIngressHop(ctx: Context, endpoint: VpcEndpoint, region: string, overPeering: boolean): Hop {
  const range = ctx.subnet.cidrBlock;
  const traffic: SgTraffic = { protocol: 'tcp', port: HTTPS, peer: overPeering ? { range, securityGroupIds: ctx.taskGroups } : { range } };
  const verdict = ingressAllows(ctx.inv, endpoint.securityGroupIds, traffic);
  const text = `${describeSgVerdict(verdict, traffic)} (${endpoint.id} in ${endpoint.vpcId}, from the task subnet ${ctx.subnet.id}${overPeering ? '' : ' by its addresses'})`;
  if (verdict.allowed) return { check: 'SG-02', status: 'ok', text, resourceIds: [verdict.rule!.groupId, endpoint.id] };
  const group = endpoint.securityGroupIds[0] ?? `"${toChoose('ENDPOINT_GROUP', "the endpoint's security group")}"`;
  return {
    check: 'SG-02',
    status: verdict.unknownGroupIds.length ? 'unverifiable' : 'blocked',
    text,
    resourceIds: [...endpoint.securityGroupIds, endpoint.id],
    fix: {
      console: `VPC → Security groups → ${group} → Inbound rules → Edit → add HTTPS (TCP 443) from ${range} (a group of another VPC does not match across a transit gateway)`,
      cli: `aws ec2 authorize-security-group-ingress --group-id ${group} --protocol tcp --port 443 --cidr ${range} ${region}`,
    },
  };
}

/** The task subnet's route to an endpoint subnet of another VPC, followed through a transit gateway when it leads to one. */
function crossVpcRouteHop(ctx: Context, endpoint: VpcEndpoint, endpointSubnet: Subnet, region: string): Hop {
  const { inv } = ctx;
  const range = endpointSubnet.cidrBlock;
  const what = `${endpoint.id} in ${endpointSubnet.id} (${endpoint.vpcId})`;
  const table = ctx.table;
  if (!table) return { check: 'DNS-02', status: 'unverifiable', text: `${ctx.subnet.id} has no route table in the inventory`, resourceIds: [ctx.subnet.id] };
  const lookup = lookupRoute(inv, table, firstAddress(range));
  if (!lookup.certain) return { check: 'DNS-02', status: 'unverifiable', text: describeRouteLookup(lookup), resourceIds: [table.id] };
  const route = lookup.chosen?.route;
  if (!route || route.state === 'blackhole') {
    const tgw = sharedTransitGateway(inv, ctx.subnet.vpcId, endpoint.vpcId);
    const hubCidr = inv.vpcs.get(endpoint.vpcId)?.cidrBlocks[0] ?? range;
    return {
      check: 'DNS-02',
      status: 'blocked',
      text: route ? `${table.id} sends ${range} by ${describeRoute(route)}, a blackhole: ${what} is unreachable` : `${table.id} has no route to ${range}: ${what} is unreachable`,
      resourceIds: [table.id, ctx.subnet.id, endpoint.id],
      fix: {
        console: `VPC → Route tables → ${table.id} → Edit routes → add ${hubCidr} → ${tgw ? `transit gateway ${tgw}` : `the transit gateway or peering connection that reaches ${endpoint.vpcId}`}`,
        cli: `aws ec2 ${route ? 'replace-route' : 'create-route'} --route-table-id ${table.id} --destination-cidr-block ${hubCidr} --transit-gateway-id ${tgw ?? `"$(aws ec2 describe-transit-gateway-attachments --filters Name=resource-id,Values=${endpoint.vpcId} --query 'TransitGatewayAttachments[0].TransitGatewayId' --output text ${region})"`} ${region}`,
      },
    };
  }
  if (route.target.kind === 'transit-gateway') return transitGatewayHop(ctx, route.target.id, endpoint, endpointSubnet, region);
  if (route.target.kind === 'vpc-peering') return peeringHop(ctx, route.target.id, endpoint, endpointSubnet, region);
  return {
    check: 'DNS-02',
    status: 'unverifiable',
    text: `${table.id} sends ${range} by ${describeRoute(route)}: the suite does not follow ${route.target.kind.replace(/-/g, ' ')}s, so the way to ${what} cannot be verified`,
    resourceIds: [table.id, route.target.id, endpoint.id],
  };
}

/**
 * Over a peering connection: the endpoint subnet's route table must send the task subnet back over
 * the same connection. A connection joins exactly two VPCs, and a route to one that is not active
 * is a blackhole, so the two routes show it (no DescribeVpcPeeringConnections needed).
 */
function peeringHop(ctx: Context, pcx: string, endpoint: VpcEndpoint, endpointSubnet: Subnet, region: string): Hop {
  const { inv } = ctx;
  const hubTable = routeTableOf(inv, endpointSubnet).table;
  const lookup = hubTable ? lookupRoute(inv, hubTable, firstAddress(ctx.subnet.cidrBlock)) : undefined;
  if (!hubTable || !lookup!.certain) {
    return { check: 'DNS-02', status: 'unverifiable', text: hubTable ? describeRouteLookup(lookup!) : `${endpointSubnet.id} has no route table in the inventory`, resourceIds: [endpointSubnet.id] };
  }
  const back = lookup!.chosen?.route;
  if (back && back.state === 'active' && back.target.kind === 'vpc-peering' && back.target.id === pcx) {
    return {
      check: 'DNS-02',
      status: 'ok',
      text: `${ctx.table!.id} sends ${endpointSubnet.cidrBlock} to peering connection ${pcx}, and ${hubTable.id} sends the replies to ${ctx.subnet.cidrBlock} back over it`,
      resourceIds: [pcx, hubTable.id],
    };
  }
  return returnRouteHop(ctx, hubTable, endpoint, endpointSubnet, back, { kind: 'peering connection', id: pcx, flag: '--vpc-peering-connection-id' }, region);
}

/** The endpoint subnet's table does not send the replies back the way the requests came: blocked where nothing takes them, unverifiable where something else does. */
function returnRouteHop(ctx: Context, hubTable: RouteTable, endpoint: VpcEndpoint, endpointSubnet: Subnet, back: Route | undefined, way: { kind: string; id: string; flag: string }, region: string): Hop {
  const spokeCidr = ctx.inv.vpcs.get(ctx.subnet.vpcId)?.cidrBlocks[0] ?? ctx.subnet.cidrBlock;
  const dropped = !back || back.state !== 'active' || back.target.kind === 'local';
  return {
    check: 'DNS-02',
    status: dropped ? 'blocked' : 'unverifiable',
    text: `${hubTable.id} (the route table of ${endpoint.id}'s subnet ${endpointSubnet.id}) sends the replies to ${ctx.subnet.cidrBlock} by ${back ? describeRoute(back) : 'no route'}, not to ${way.kind} ${way.id}${dropped ? '' : ': whether they get back cannot be verified'}`,
    resourceIds: [hubTable.id, endpointSubnet.id, way.id],
    fix: {
      console: `VPC → Route tables → ${hubTable.id} → Edit routes → add ${spokeCidr} → ${way.kind} ${way.id}`,
      cli: `aws ec2 ${back ? 'replace-route' : 'create-route'} --route-table-id ${hubTable.id} --destination-cidr-block ${spokeCidr} ${way.flag} ${way.id} ${region}`,
    },
  };
}

/** The transit gateway both VPCs are attached to, if one is. */
function sharedTransitGateway(inv: Inventory, a: string, b: string): string | undefined {
  const of = (vpc: string) => new Set(inv.transitGatewayAttachments.filter((t) => t.resourceType === 'vpc' && t.resourceId === vpc).map((t) => t.transitGatewayId));
  const other = of(b);
  return [...of(a)].find((id) => other.has(id));
}

/**
 * Over a transit gateway: the spoke attachment's route table sends the endpoint subnet to the hub
 * attachment, the hub attachment's table sends the task subnet back, and the endpoint subnet's
 * route table sends the task subnet to the same transit gateway.
 */
function transitGatewayHop(ctx: Context, tgwId: string, endpoint: VpcEndpoint, endpointSubnet: Subnet, region: string): Hop {
  const { inv } = ctx;
  const spokeVpc = ctx.subnet.vpcId;
  const hubVpc = endpoint.vpcId;
  const failed = inv.denied?.get('ec2:DescribeTransitGatewayAttachments');
  if (failed) return { check: 'DNS-02', status: 'unverifiable', text: `the attachments of ${tgwId} could not be read (${failed})`, resourceIds: [tgwId], missingRead: 'ec2:DescribeTransitGatewayAttachments' };
  const attachmentOf = (vpc: string) => inv.transitGatewayAttachments.find((a) => a.transitGatewayId === tgwId && a.resourceType === 'vpc' && a.resourceId === vpc && a.state === 'available');
  const spoke = attachmentOf(spokeVpc);
  const hub = attachmentOf(hubVpc);
  if (!spoke || !hub) {
    const missing = !spoke ? spokeVpc : hubVpc;
    return { check: 'DNS-02', status: 'unverifiable', text: `${tgwId} has no available attachment of ${missing} that this account sees: the way to ${endpoint.id} in ${hubVpc} over it cannot be verified`, resourceIds: [tgwId, missing] };
  }
  const there = transitGatewayLeg(inv, spoke, endpointSubnet.cidrBlock, hub, region);
  if (there.status !== 'ok') return there;
  const back = transitGatewayLeg(inv, hub, ctx.subnet.cidrBlock, spoke, region);
  if (back.status !== 'ok') return back;
  const hubTable = routeTableOf(inv, endpointSubnet).table;
  const lookup = hubTable ? lookupRoute(inv, hubTable, firstAddress(ctx.subnet.cidrBlock)) : undefined;
  const returnRoute = lookup?.chosen?.route;
  if (!hubTable || !lookup!.certain) {
    return { check: 'DNS-02', status: 'unverifiable', text: hubTable ? describeRouteLookup(lookup!) : `${endpointSubnet.id} has no route table in the inventory`, resourceIds: [endpointSubnet.id] };
  }
  if (!returnRoute || returnRoute.state !== 'active' || returnRoute.target.kind !== 'transit-gateway' || returnRoute.target.id !== tgwId) {
    return returnRouteHop(ctx, hubTable, endpoint, endpointSubnet, returnRoute, { kind: 'transit gateway', id: tgwId, flag: '--transit-gateway-id' }, region);
  }
  return {
    check: 'DNS-02',
    status: 'ok',
    text: `${ctx.table!.id} sends ${endpointSubnet.cidrBlock} to ${tgwId}; ${there.text}; ${back.text}; ${hubTable.id} sends the replies to ${ctx.subnet.cidrBlock} back to ${tgwId}`,
    resourceIds: [tgwId, spoke.id, hub.id, hubTable.id],
  };
}

/** What a transit gateway does with traffic an attachment sends to `range`: its associated route table's longest match. */
function transitGatewayLeg(inv: Inventory, from: TransitGatewayAttachment, range: string, to: TransitGatewayAttachment, region: string): Hop {
  const tgw = from.transitGatewayId;
  const toCidr = inv.vpcs.get(to.resourceId)?.cidrBlocks[0] ?? range;
  const createFix = (tableId: string): Fix => ({
    console: `VPC → Transit gateway route tables → ${tableId} → Routes → Create static route → ${toCidr} → attachment ${to.id} (${to.resourceId}); or propagate ${to.id} to ${tableId}`,
    cli: `aws ec2 create-transit-gateway-route --transit-gateway-route-table-id ${tableId} --destination-cidr-block ${toCidr} --transit-gateway-attachment-id ${to.id} ${region}`,
  });
  if (!from.routeTableId) {
    return {
      check: 'DNS-02',
      status: 'blocked',
      text: `attachment ${from.id} (${from.resourceId}) of ${tgw} is associated with no transit gateway route table: ${tgw} drops what it sends`,
      resourceIds: [from.id, tgw],
      fix: {
        console: `VPC → Transit gateway route tables → the table for ${from.resourceId} → Associations → Create association → ${from.id}`,
        cli: `TABLE=$(aws ec2 describe-transit-gateways --transit-gateway-ids ${tgw} --query 'TransitGateways[0].Options.AssociationDefaultRouteTableId' --output text ${region}) && aws ec2 associate-transit-gateway-route-table --transit-gateway-route-table-id "$TABLE" --transit-gateway-attachment-id ${from.id} ${region}  # TABLE: the transit gateway's default association table; name another if the spokes use their own`,
      },
    };
  }
  const table = from.routeTableId;
  const routes = inv.transitGatewayRoutes.get(table);
  if (!routes || 'error' in routes) {
    const failed = inv.denied?.get('ec2:SearchTransitGatewayRoutes');
    return {
      check: 'DNS-02',
      status: 'unverifiable',
      text: `the routes of ${table} (${tgw}) could not be read (${routes && 'error' in routes ? routes.error : (failed ?? 'not read')})`,
      resourceIds: [table, tgw],
      missingRead: 'ec2:SearchTransitGatewayRoutes',
    };
  }
  const matching = routes.filter((r) => r.destination.includes('/') && cidrCoversCidr(r.destination, range)).sort((a, b) => Number(b.destination.split('/')[1]) - Number(a.destination.split('/')[1]));
  const chosen = matching[0];
  const from_ = `${table} (the ${tgw} route table of ${from.id}, ${from.resourceId})`;
  if (!chosen) return { check: 'DNS-02', status: 'blocked', text: `${from_} has no route to ${range}: ${tgw} drops the traffic to ${to.resourceId}`, resourceIds: [table, tgw, from.id], fix: createFix(table) };
  if (chosen.state === 'blackhole') return { check: 'DNS-02', status: 'blocked', text: `${from_} sends ${range} by ${chosen.destination} to a blackhole`, resourceIds: [table, tgw], fix: createFix(table) };
  if (chosen.attachments.some((a) => a.id === to.id)) return { check: 'DNS-02', status: 'ok', text: `${table} sends ${range} by ${chosen.destination} to ${to.id} (${to.resourceId})`, resourceIds: [table, to.id] };
  const via = chosen.attachments.map((a) => `${a.id}${a.resourceId ? ` (${a.resourceId})` : ''}`).join(', ') || 'no attachment';
  return { check: 'DNS-02', status: 'unverifiable', text: `${from_} sends ${range} by ${chosen.destination} to ${via}, not straight to ${to.id} (${to.resourceId}): what lies beyond cannot be verified`, resourceIds: [table, tgw] };
}

/**
 * An alias record for `host` in the zone, to the service's interface endpoint: the one another VPC
 * of the account has (the hub's), else the first the region lists. Its DNS name and hosted zone are
 * read first, so the command runs as pasted.
 */
function aliasRecordFix(inv: Inventory, zoneId: string, host: string, service: string, vpcId: string): string {
  const region = `--region ${inv.region}`;
  const hub = inv.endpoints.find((e) => e.type === 'Interface' && e.state === 'available' && e.vpcId !== vpcId && e.serviceName === endpointServiceName(inv.region, service));
  const which = hub ? `--vpc-endpoint-ids ${hub.id}` : `--filters Name=service-name,Values=${endpointServiceName(inv.region, service)} Name=vpc-endpoint-type,Values=Interface`;
  const batch = `{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"${host}","Type":"A","AliasTarget":{"HostedZoneId":"'"$ZONE"'","DNSName":"'"$NAME"'","EvaluateTargetHealth":false}}}]}`;
  return `read -r ZONE NAME <<< "$(aws ec2 describe-vpc-endpoints ${which} --query 'VpcEndpoints[0].DnsEntries[0].[HostedZoneId,DnsName]' --output text ${region})" && aws route53 change-resource-record-sets --hosted-zone-id ${zoneId} --change-batch '${batch}'`;
}

