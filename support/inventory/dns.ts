// Reads how the account-region's VPCs resolve names (DNS-01, DNS-02) and what a transit gateway
// does with their traffic: DHCP option sets, Route 53 Resolver rules and their VPC associations,
// the private hosted zones of each VPC with the records of those that may answer for an AWS
// service name, transit gateway attachments and the routes of the tables they are associated with.
// All optional: a read AWS denies (or an older snapshot lacks) leaves its data empty and is named.
import type { AwsGateway } from '../aws/gateway';
import type { OperationName } from '../aws/operations';
import type * as M from './model';
import { mapLimit } from '../util/concurrency';
import { domainName } from './ec2';

/** Runs an optional read: its result, or `fallback` with the read recorded as not answered. */
export type OptionalRead = <T>(operation: OperationName, read: () => Promise<T>, fallback: T) => Promise<T>;

export const NAME_RESOLUTION_READS: readonly OperationName[] = [
  'ec2:DescribeDhcpOptions',
  'route53resolver:ListResolverRules',
  'route53resolver:ListResolverRuleAssociations',
  'route53:ListHostedZonesByVPC',
  'route53:ListResourceRecordSets',
  'ec2:DescribeTransitGatewayAttachments',
  'ec2:SearchTransitGatewayRoutes',
];

const PER_ITEM_CONCURRENCY = 8;

/** A private hosted zone may answer for an AWS service name only if its name is, or is under, amazonaws.com. */
export function mayAnswerForAws(zoneName: M.DomainName): boolean {
  return zoneName === 'amazonaws.com' || zoneName.endsWith('.amazonaws.com');
}

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

export async function loadNameResolution(gateway: AwsGateway, vpcIds: string[], optional: OptionalRead) {
  const [dhcpPages, rulePages, associationPages, attachmentPages, zonesByVpc] = await Promise.all([
    optional('ec2:DescribeDhcpOptions', () => collect(gateway.pages('ec2:DescribeDhcpOptions', {})), []),
    optional('route53resolver:ListResolverRules', () => collect(gateway.pages('route53resolver:ListResolverRules', {})), []),
    optional('route53resolver:ListResolverRuleAssociations', () => collect(gateway.pages('route53resolver:ListResolverRuleAssociations', {})), []),
    optional('ec2:DescribeTransitGatewayAttachments', () => collect(gateway.pages('ec2:DescribeTransitGatewayAttachments', {})), []),
    // Route 53 answers per VPC: one listing for each.
    optional(
      'route53:ListHostedZonesByVPC',
      () =>
        mapLimit(vpcIds, PER_ITEM_CONCURRENCY, async (vpcId) => {
          const pages = await collect(gateway.pages('route53:ListHostedZonesByVPC', { VPCId: vpcId, VPCRegion: gateway.region as never }));
          return { vpcId, zones: pages.flatMap((p) => p.HostedZoneSummaries ?? []) };
        }),
      [],
    ),
  ]);

  const dhcpOptions = new Map<string, M.DhcpOptions>();
  for (const set of dhcpPages.flatMap((p) => p.DhcpOptions ?? [])) {
    const values = (key: string) => (set.DhcpConfigurations ?? []).filter((c) => c.Key === key).flatMap((c) => (c.Values ?? []).map((v) => v.Value ?? ''));
    dhcpOptions.set(set.DhcpOptionsId!, {
      id: set.DhcpOptionsId!,
      domainNameServers: values('domain-name-servers'),
      domainName: values('domain-name')[0],
      configurations: (set.DhcpConfigurations ?? []).map((c) => ({ key: c.Key ?? '', values: (c.Values ?? []).map((v) => v.Value ?? '') })),
    });
  }

  const associations = associationPages.flatMap((p) => p.ResolverRuleAssociations ?? []).filter((a) => a.Status !== 'DELETING' && a.Status !== 'FAILED');
  const resolverRules: M.ResolverRule[] = rulePages
    .flatMap((p) => p.ResolverRules ?? [])
    .map((r) => ({
      id: r.Id!,
      name: r.Name,
      domainName: domainName(r.DomainName ?? '.'),
      type: r.RuleType ?? 'FORWARD',
      status: r.Status,
      targetIps: (r.TargetIps ?? []).map((t) => `${t.Ip ?? t.Ipv6}${t.Port && t.Port !== 53 ? `:${t.Port}` : ''}`),
      ownerId: r.OwnerId,
      vpcIds: associations.filter((a) => a.ResolverRuleId === r.Id).map((a) => a.VPCId!),
    }));

  const zones = new Map<string, M.PrivateHostedZone>();
  for (const { vpcId, zones: summaries } of zonesByVpc) {
    for (const z of summaries) {
      const id = z.HostedZoneId!.replace(/^\/hostedzone\//, '');
      const zone = zones.get(id) ?? { id, name: domainName(z.Name ?? ''), owningAccount: z.Owner?.OwningAccount, vpcIds: [] };
      zone.vpcIds.push(vpcId);
      zones.set(id, zone);
    }
  }
  const hostedZones = [...zones.values()];
  // Records only of zones that may answer for an AWS service name; each zone's error stays with it.
  await mapLimit(
    hostedZones.filter((z) => mayAnswerForAws(z.name)),
    PER_ITEM_CONCURRENCY,
    async (zone) => {
      try {
        const pages = await collect(gateway.pages('route53:ListResourceRecordSets', { HostedZoneId: zone.id }));
        zone.records = pages.flatMap((p) => p.ResourceRecordSets ?? []).map((r) => ({
          name: domainName(r.Name ?? ''),
          type: r.Type ?? '',
          values: (r.ResourceRecords ?? []).map((v) => v.Value ?? ''),
          ...(r.AliasTarget?.DNSName ? { aliasTarget: domainName(r.AliasTarget.DNSName) } : {}),
        }));
      } catch (error) {
        zone.recordsError = (error as Error).message;
      }
    },
  );

  const transitGatewayAttachments: M.TransitGatewayAttachment[] = attachmentPages
    .flatMap((p) => p.TransitGatewayAttachments ?? [])
    .map((a) => ({
      id: a.TransitGatewayAttachmentId!,
      transitGatewayId: a.TransitGatewayId!,
      transitGatewayOwnerId: a.TransitGatewayOwnerId,
      resourceType: a.ResourceType ?? '',
      resourceId: a.ResourceId ?? '',
      resourceOwnerId: a.ResourceOwnerId,
      state: a.State ?? 'unknown',
      routeTableId: a.Association?.State === 'associated' ? a.Association.TransitGatewayRouteTableId : undefined,
    }));
  // The routes of each table an attachment of a VPC here is associated with: what that VPC's traffic meets.
  const tableIds = [...new Set(transitGatewayAttachments.filter((a) => a.resourceType === 'vpc' && a.routeTableId).map((a) => a.routeTableId!))].sort();
  const transitGatewayRoutes = new Map<string, M.TransitGatewayRoute[] | { error: string }>();
  await mapLimit(tableIds, PER_ITEM_CONCURRENCY, async (tableId) => {
    try {
      const out = await gateway.call('ec2:SearchTransitGatewayRoutes', { TransitGatewayRouteTableId: tableId, Filters: [{ Name: 'state', Values: ['active', 'blackhole'] }], MaxResults: 1000 });
      if (out.AdditionalRoutesAvailable) {
        transitGatewayRoutes.set(tableId, { error: `${tableId} has more than 1,000 routes: SearchTransitGatewayRoutes returned only the first 1,000` });
        return;
      }
      transitGatewayRoutes.set(
        tableId,
        (out.Routes ?? []).map((r) => ({
          destination: r.DestinationCidrBlock ?? r.PrefixListId ?? '',
          type: r.Type ?? 'static',
          state: r.State ?? 'active',
          attachments: (r.TransitGatewayAttachments ?? []).map((t) => ({ id: t.TransitGatewayAttachmentId!, resourceId: t.ResourceId, resourceType: t.ResourceType })),
        })),
      );
    } catch (error) {
      transitGatewayRoutes.set(tableId, { error: (error as Error).message });
    }
  });

  return { dhcpOptions, resolverRules, hostedZones, transitGatewayAttachments, transitGatewayRoutes };
}
