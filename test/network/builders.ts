// Model objects shaped like what the loader makes from real EC2 responses: every route table has
// its local route(s), every NACL ends with its `*` deny entries (32767 IPv4, 32768 IPv6) in both
// directions, protocols are numbers as DescribeNetworkAcls returns them.
import type {
  Inventory,
  NetworkAcl,
  NetworkAclEntry,
  PrefixList,
  Route,
  RouteTable,
  RouteTargetKind,
  SecurityGroup,
  SecurityGroupRule,
  Subnet,
} from '../../support/inventory/model';
import { emptyInventory } from '../helpers/inventory';

export const REGION = 'ap-northeast-2';
export const VPC_ID = 'vpc-0a11ce5e7c0ffee01';
export const VPC_CIDR = '10.0.0.0/16';
export const VPC_IPV6_CIDR = '2406:da12:abc:d00::/56';

/** The S3 prefix list of ap-northeast-2, with the entries GetManagedPrefixListEntries returns. */
export const S3_PREFIX_LIST: PrefixList = {
  id: 'pl-78a54011',
  name: `com.amazonaws.${REGION}.s3`,
  addressFamily: 'IPv4',
  cidrs: ['3.5.140.0/22', '52.219.56.0/22', '52.219.60.0/23', '52.219.148.0/23', '52.219.204.0/22'],
};
/** An S3 address in that list (52.219.204.0/22): seed 000's `i/o timeout` target. */
export const S3_ADDRESS = '52.219.204.42';

export function inventory(parts: Partial<Inventory> = {}): Inventory {
  return emptyInventory({
    account: '123456789012',
    region: REGION,
    vpcs: new Map([[VPC_ID, { id: VPC_ID, cidrBlocks: [VPC_CIDR], ipv6CidrBlocks: [VPC_IPV6_CIDR], isDefault: false, dnsSupport: true, dnsHostnames: true }]]),
    prefixLists: new Map([[S3_PREFIX_LIST.id, S3_PREFIX_LIST]]),
    ...parts,
  });
}

export function byId<T extends { id: string }>(items: T[]): Map<string, T> {
  return new Map(items.map((i) => [i.id, i]));
}

export function subnet(id: string, cidrBlock: string, more: Partial<Subnet> = {}): Subnet {
  return { id, vpcId: VPC_ID, availabilityZone: `${REGION}a`, cidrBlock, ipv6CidrBlocks: [], mapPublicIpOnLaunch: false, ...more };
}

const TARGET_KINDS: [string, RouteTargetKind][] = [
  ['igw-', 'internet-gateway'],
  ['eigw-', 'egress-only-internet-gateway'],
  ['nat-', 'nat-gateway'],
  ['vpce-', 'gateway-endpoint'],
  ['vgw-', 'virtual-private-gateway'],
  ['tgw-', 'transit-gateway'],
  ['pcx-', 'vpc-peering'],
  ['eni-', 'network-interface'],
  ['i-', 'instance'],
];

function target(id: string): Route['target'] {
  if (id === 'local') return { kind: 'local', id };
  return { kind: TARGET_KINDS.find(([prefix]) => id.startsWith(prefix))?.[1] ?? 'unknown', id };
}

/** A route to a CIDR ("0.0.0.0/0 -> nat-…"), made with CreateRoute unless told. */
export function route(cidr: string, targetId: string, more: Partial<Route> = {}): Route {
  return { destination: { kind: 'cidr', cidr }, target: target(targetId), state: 'active', origin: 'CreateRoute', ...more };
}

/** A prefix-list route, as a gateway endpoint adds it ("pl-78a54011 -> vpce-…"). */
export function prefixListRoute(prefixListId: string, targetId: string, more: Partial<Route> = {}): Route {
  return { destination: { kind: 'prefix-list', prefixListId }, target: target(targetId), state: 'active', origin: 'CreateRoute', ...more };
}

export function localRoute(cidr: string): Route {
  return { destination: { kind: 'cidr', cidr }, target: { kind: 'local', id: 'local' }, state: 'active', origin: 'CreateRouteTable' };
}

/** A route table with its local routes for the VPC's CIDRs first, then `routes`. */
export function routeTable(id: string, routes: Route[], more: Partial<RouteTable> & { vpcCidrs?: string[] } = {}): RouteTable {
  const { vpcCidrs = [VPC_CIDR, VPC_IPV6_CIDR], ...rest } = more;
  return { id, vpcId: VPC_ID, main: false, subnetIds: [], routes: [...vpcCidrs.map(localRoute), ...routes], ...rest };
}

export interface RuleSpec {
  protocol?: string;
  from?: number;
  to?: number;
  cidrs?: string[];
  ipv6?: string[];
  groups?: string[];
  prefixLists?: string[];
}

/** One security group rule; a single port when only `from` is given. */
export function sgRule(spec: RuleSpec): SecurityGroupRule {
  const protocol = spec.protocol ?? 'tcp';
  const ports = protocol === '-1' ? {} : { fromPort: spec.from, toPort: spec.to ?? spec.from };
  return {
    protocol,
    ...ports,
    ipv4Ranges: spec.cidrs ?? [],
    ipv6Ranges: spec.ipv6 ?? [],
    prefixListIds: spec.prefixLists ?? [],
    groupIds: spec.groups ?? [],
  };
}

/** The egress rule every new security group starts with: all traffic to 0.0.0.0/0. */
export const ALL_EGRESS = sgRule({ protocol: '-1', cidrs: ['0.0.0.0/0'] });

export function securityGroup(id: string, rules: { ingress?: SecurityGroupRule[]; egress?: SecurityGroupRule[] }): SecurityGroup {
  return { id, vpcId: VPC_ID, name: id, ingress: rules.ingress ?? [], egress: rules.egress ?? [ALL_EGRESS] };
}

const PROTOCOL_NUMBERS: Record<string, string> = { tcp: '6', udp: '17', all: '-1' };

/** One NACL entry; tcp/udp entries get a port range (all ports unless told), protocol numbers as the API gives them. */
export function aclEntry(
  ruleNumber: number,
  direction: 'ingress' | 'egress',
  action: 'allow' | 'deny',
  protocol: string,
  cidr: string,
  ports?: [number, number] | number,
): NetworkAclEntry {
  const number = PROTOCOL_NUMBERS[protocol] ?? protocol;
  const entry: NetworkAclEntry = { ruleNumber, egress: direction === 'egress', action, protocol: number };
  if (cidr.includes(':')) entry.ipv6CidrBlock = cidr;
  else entry.cidrBlock = cidr;
  if (number === '6' || number === '17') {
    const [from, to] = ports === undefined ? [0, 65535] : typeof ports === 'number' ? [ports, ports] : ports;
    entry.portRange = { from, to };
  }
  return entry;
}

/** The `*` entries DescribeNetworkAcls always lists: deny all, IPv4 and IPv6, both directions. */
export function starEntries(): NetworkAclEntry[] {
  return [
    aclEntry(32767, 'ingress', 'deny', 'all', '0.0.0.0/0'),
    aclEntry(32768, 'ingress', 'deny', 'all', '::/0'),
    aclEntry(32767, 'egress', 'deny', 'all', '0.0.0.0/0'),
    aclEntry(32768, 'egress', 'deny', 'all', '::/0'),
  ];
}

/** A NACL with `entries` followed by the `*` deny entries. */
export function networkAcl(id: string, entries: NetworkAclEntry[], more: Partial<NetworkAcl> = {}): NetworkAcl {
  return { id, vpcId: VPC_ID, isDefault: false, subnetIds: [], entries: [...entries, ...starEntries()], ...more };
}

/** The VPC's default NACL as AWS creates it: rule 100 (and 101 for IPv6) allows all traffic both ways. */
export function defaultNetworkAcl(id: string, subnetIds: string[] = []): NetworkAcl {
  return networkAcl(
    id,
    [
      aclEntry(100, 'ingress', 'allow', 'all', '0.0.0.0/0'),
      aclEntry(101, 'ingress', 'allow', 'all', '::/0'),
      aclEntry(100, 'egress', 'allow', 'all', '0.0.0.0/0'),
      aclEntry(101, 'egress', 'allow', 'all', '::/0'),
    ],
    { isDefault: true, subnetIds },
  );
}
