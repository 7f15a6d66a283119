// Raw EC2 API shapes → inventory model.
import type * as ec2 from '@aws-sdk/client-ec2';
import type * as M from './model';

export function tagName(tags: ec2.Tag[] | undefined): string | undefined {
  return tags?.find((t) => t.Key === 'Name')?.Value;
}

/** A DNS name as DNS compares it: lower case, no trailing dot, Route 53's octal escapes ("\\052" is "*") undone. */
export function domainName(name: string): M.DomainName {
  const plain = name.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))).toLowerCase();
  return plain === '.' ? '.' : plain.replace(/\.$/, '');
}

export function toSubnet(s: ec2.Subnet): M.Subnet {
  return {
    id: s.SubnetId!,
    vpcId: s.VpcId!,
    availabilityZone: s.AvailabilityZone!,
    availabilityZoneId: s.AvailabilityZoneId,
    cidrBlock: s.CidrBlock ?? '',
    ipv6CidrBlocks: (s.Ipv6CidrBlockAssociationSet ?? []).map((a) => a.Ipv6CidrBlock!).filter(Boolean),
    mapPublicIpOnLaunch: s.MapPublicIpOnLaunch ?? false,
    availableIpAddressCount: s.AvailableIpAddressCount,
    name: tagName(s.Tags),
  };
}

function routeTarget(r: ec2.Route): M.Route['target'] {
  if (r.GatewayId === 'local') return { kind: 'local', id: 'local' };
  if (r.GatewayId?.startsWith('igw-')) return { kind: 'internet-gateway', id: r.GatewayId };
  if (r.GatewayId?.startsWith('vpce-')) return { kind: 'gateway-endpoint', id: r.GatewayId };
  if (r.GatewayId?.startsWith('vgw-')) return { kind: 'virtual-private-gateway', id: r.GatewayId };
  if (r.NatGatewayId) return { kind: 'nat-gateway', id: r.NatGatewayId };
  if (r.TransitGatewayId) return { kind: 'transit-gateway', id: r.TransitGatewayId };
  if (r.VpcPeeringConnectionId) return { kind: 'vpc-peering', id: r.VpcPeeringConnectionId };
  if (r.EgressOnlyInternetGatewayId) return { kind: 'egress-only-internet-gateway', id: r.EgressOnlyInternetGatewayId };
  if (r.LocalGatewayId) return { kind: 'local-gateway', id: r.LocalGatewayId };
  if (r.CarrierGatewayId) return { kind: 'carrier-gateway', id: r.CarrierGatewayId };
  if (r.CoreNetworkArn) return { kind: 'core-network', id: r.CoreNetworkArn };
  if (r.InstanceId) return { kind: 'instance', id: r.InstanceId };
  if (r.NetworkInterfaceId) return { kind: 'network-interface', id: r.NetworkInterfaceId };
  return { kind: 'unknown', id: r.GatewayId ?? 'unknown' };
}

function toRoute(r: ec2.Route): M.Route | undefined {
  const destination: M.RouteDestination | undefined = r.DestinationPrefixListId
    ? { kind: 'prefix-list', prefixListId: r.DestinationPrefixListId }
    : r.DestinationCidrBlock
      ? { kind: 'cidr', cidr: r.DestinationCidrBlock }
      : r.DestinationIpv6CidrBlock
        ? { kind: 'cidr', cidr: r.DestinationIpv6CidrBlock }
        : undefined;
  if (!destination) return undefined;
  return { destination, target: routeTarget(r), state: r.State === 'blackhole' ? 'blackhole' : 'active', origin: r.Origin };
}

export function toRouteTable(t: ec2.RouteTable): M.RouteTable {
  const associations = t.Associations ?? [];
  const live = associations.filter((a) => a.AssociationState?.State !== 'disassociated');
  return {
    id: t.RouteTableId!,
    vpcId: t.VpcId!,
    main: live.some((a) => a.Main === true),
    subnetIds: live.flatMap((a) => (a.SubnetId ? [a.SubnetId] : [])),
    routes: (t.Routes ?? []).flatMap((r) => toRoute(r) ?? []),
    name: tagName(t.Tags),
  };
}

export function toVpcEndpoint(e: ec2.VpcEndpoint): M.VpcEndpoint {
  return {
    id: e.VpcEndpointId!,
    vpcId: e.VpcId!,
    serviceName: e.ServiceName ?? '',
    type: e.VpcEndpointType ?? 'Interface',
    state: (e.State ?? 'unknown').toLowerCase(),
    subnetIds: e.SubnetIds ?? [],
    routeTableIds: e.RouteTableIds ?? [],
    securityGroupIds: (e.Groups ?? []).map((g) => g.GroupId!).filter(Boolean),
    privateDnsEnabled: e.PrivateDnsEnabled ?? false,
    dnsNames: (e.DnsEntries ?? []).flatMap((d) => (d.DnsName ? [domainName(d.DnsName)] : [])),
    policyDocument: e.PolicyDocument,
  };
}

function toRules(permissions: ec2.IpPermission[] | undefined): M.SecurityGroupRule[] {
  return (permissions ?? []).map((p) => ({
    protocol: p.IpProtocol ?? '-1',
    fromPort: p.FromPort,
    toPort: p.ToPort,
    ipv4Ranges: (p.IpRanges ?? []).map((r) => r.CidrIp!).filter(Boolean),
    ipv6Ranges: (p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6!).filter(Boolean),
    prefixListIds: (p.PrefixListIds ?? []).map((r) => r.PrefixListId!).filter(Boolean),
    groupIds: (p.UserIdGroupPairs ?? []).map((r) => r.GroupId!).filter(Boolean),
  }));
}

export function toSecurityGroup(g: ec2.SecurityGroup): M.SecurityGroup {
  return { id: g.GroupId!, vpcId: g.VpcId!, name: g.GroupName ?? '', ingress: toRules(g.IpPermissions), egress: toRules(g.IpPermissionsEgress) };
}

export function toNetworkAcl(a: ec2.NetworkAcl): M.NetworkAcl {
  return {
    id: a.NetworkAclId!,
    vpcId: a.VpcId!,
    isDefault: a.IsDefault ?? false,
    subnetIds: (a.Associations ?? []).map((x) => x.SubnetId!).filter(Boolean),
    entries: (a.Entries ?? []).map((e) => ({
      ruleNumber: e.RuleNumber!,
      egress: e.Egress ?? false,
      action: e.RuleAction === 'allow' ? 'allow' : 'deny',
      protocol: e.Protocol ?? '-1',
      cidrBlock: e.CidrBlock,
      ipv6CidrBlock: e.Ipv6CidrBlock,
      portRange: e.PortRange ? { from: e.PortRange.From!, to: e.PortRange.To! } : undefined,
    })),
  };
}

export function toNatGateway(n: ec2.NatGateway): M.NatGateway {
  return { id: n.NatGatewayId!, vpcId: n.VpcId!, subnetId: n.SubnetId!, state: n.State ?? 'unknown', connectivityType: n.ConnectivityType ?? 'public' };
}

export function toInternetGateway(g: ec2.InternetGateway): M.InternetGateway {
  return {
    id: g.InternetGatewayId!,
    // EC2 reports an attached internet gateway as "available", a value the SDK's enum lacks.
    vpcIds: (g.Attachments ?? []).filter((a) => ['available', 'attached'].includes(String(a.State))).map((a) => a.VpcId!),
  };
}
