// Reads one account-region into the Inventory: one paginated sequence per resource type,
// per-item calls only where the API has no batch form, independent reads run concurrently.
import type { AwsGateway } from '../aws/gateway';
import type { OutputOf } from '../aws/operations';
import type * as M from './model';
import { mapLimit } from '../util/concurrency';
import { bucketOf } from '../util/arn';
import { toEcsService, toEcsTask, toTaskDefinition } from './ecs';
import {
  toInternetGateway,
  toNatGateway,
  toNetworkAcl,
  toRouteTable,
  toSecurityGroup,
  toSubnet,
  toVpcEndpoint,
  tagName,
} from './ec2';
import { toIamRole, toManagedPolicy, decodePolicy } from './iam';

/** How many per-item reads may be in flight at once against one target. */
const PER_ITEM_CONCURRENCY = 8;

export async function loadInventory(gateway: AwsGateway): Promise<M.Inventory> {
  const [identity, network, ecs, iam] = await Promise.all([
    gateway.call('sts:GetCallerIdentity', {}),
    loadNetwork(gateway),
    loadEcs(gateway).then(async (ecs) => ({ ...ecs, bucketRegions: await loadBucketRegions(gateway, ecs.taskDefinitions) })),
    loadIam(gateway),
  ]);
  return { account: identity.Account ?? 'unknown', region: gateway.region, ...network, ...ecs, ...iam };
}

/** The region of every bucket an env file lives in: a gateway endpoint only reaches its own region's. */
async function loadBucketRegions(gateway: AwsGateway, definitions: Map<string, M.TaskDefinition>): Promise<Map<string, M.BucketRegion>> {
  const buckets = new Set<string>();
  for (const definition of definitions.values()) {
    for (const container of definition.containers) for (const arn of container.environmentFileArns) buckets.add(bucketOf(arn));
  }
  const names = [...buckets].sort();
  const regions = await mapLimit(names, PER_ITEM_CONCURRENCY, async (bucket): Promise<M.BucketRegion> => {
    try {
      const { LocationConstraint } = await gateway.call('s3:GetBucketLocation', { Bucket: bucket });
      // S3 reports us-east-1 as an empty constraint, and the oldest EU buckets as "EU".
      return { region: !LocationConstraint ? 'us-east-1' : LocationConstraint === 'EU' ? 'eu-west-1' : LocationConstraint };
    } catch (error) {
      // A bucket of another account may refuse us: the env-file checks report it as unverifiable.
      return { error: (error as Error).message };
    }
  });
  return new Map(names.map((name, i) => [name, regions[i]]));
}


async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

async function loadNetwork(gateway: AwsGateway) {
  const [vpcPages, subnetPages, tablePages, endpointPages, groupPages, aclPages, listPages, natPages, igwPages] = await Promise.all([
    collect(gateway.pages('ec2:DescribeVpcs', {})),
    collect(gateway.pages('ec2:DescribeSubnets', {})),
    collect(gateway.pages('ec2:DescribeRouteTables', {})),
    collect(gateway.pages('ec2:DescribeVpcEndpoints', {})),
    collect(gateway.pages('ec2:DescribeSecurityGroups', {})),
    collect(gateway.pages('ec2:DescribeNetworkAcls', {})),
    collect(gateway.pages('ec2:DescribeManagedPrefixLists', {})),
    collect(gateway.pages('ec2:DescribeNatGateways', {})),
    collect(gateway.pages('ec2:DescribeInternetGateways', {})),
  ]);

  const rawVpcs = vpcPages.flatMap((p) => p.Vpcs ?? []);
  const routeTables = tablePages.flatMap((p) => p.RouteTables ?? []).map(toRouteTable);
  const securityGroups = groupPages.flatMap((p) => p.SecurityGroups ?? []).map(toSecurityGroup);

  // Entries only for the prefix lists that routes or rules use: the region has many we never need.
  const usedLists = new Set<string>();
  for (const table of routeTables) {
    for (const route of table.routes) if (route.destination.kind === 'prefix-list') usedLists.add(route.destination.prefixListId);
  }
  for (const group of securityGroups) {
    for (const rule of [...group.ingress, ...group.egress]) rule.prefixListIds.forEach((id) => usedLists.add(id));
  }
  const lists = listPages.flatMap((p) => p.PrefixLists ?? []).filter((l) => l.PrefixListId && usedLists.has(l.PrefixListId));

  const [dnsAttributes, listEntries] = await Promise.all([
    mapLimit(rawVpcs, PER_ITEM_CONCURRENCY, async (vpc) => {
      const [support, hostnames] = await Promise.all([
        gateway.call('ec2:DescribeVpcAttribute', { VpcId: vpc.VpcId!, Attribute: 'enableDnsSupport' }),
        gateway.call('ec2:DescribeVpcAttribute', { VpcId: vpc.VpcId!, Attribute: 'enableDnsHostnames' }),
      ]);
      return { support: support.EnableDnsSupport?.Value ?? false, hostnames: hostnames.EnableDnsHostnames?.Value ?? false };
    }),
    mapLimit(lists, PER_ITEM_CONCURRENCY, async (list) => {
      const pages = await collect(gateway.pages('ec2:GetManagedPrefixListEntries', { PrefixListId: list.PrefixListId! }));
      return pages.flatMap((p) => p.Entries ?? []).flatMap((e) => (e.Cidr ? [e.Cidr] : []));
    }),
  ]);

  const vpcs = new Map<string, M.Vpc>(
    rawVpcs.map((vpc, i) => [
      vpc.VpcId!,
      {
        id: vpc.VpcId!,
        cidrBlocks: (vpc.CidrBlockAssociationSet ?? []).filter((a) => a.CidrBlockState?.State === 'associated').map((a) => a.CidrBlock!),
        ipv6CidrBlocks: (vpc.Ipv6CidrBlockAssociationSet ?? []).filter((a) => a.Ipv6CidrBlockState?.State === 'associated').map((a) => a.Ipv6CidrBlock!),
        isDefault: vpc.IsDefault ?? false,
        dnsSupport: dnsAttributes[i].support,
        dnsHostnames: dnsAttributes[i].hostnames,
        name: tagName(vpc.Tags),
      },
    ]),
  );

  return {
    vpcs,
    subnets: byId(subnetPages.flatMap((p) => p.Subnets ?? []).map(toSubnet)),
    routeTables,
    endpoints: endpointPages.flatMap((p) => p.VpcEndpoints ?? []).map(toVpcEndpoint),
    securityGroups: byId(securityGroups),
    networkAcls: aclPages.flatMap((p) => p.NetworkAcls ?? []).map(toNetworkAcl),
    prefixLists: new Map<string, M.PrefixList>(
      lists.map((l, i) => [l.PrefixListId!, { id: l.PrefixListId!, name: l.PrefixListName ?? '', addressFamily: l.AddressFamily ?? 'IPv4', cidrs: listEntries[i] }]),
    ),
    natGateways: byId(natPages.flatMap((p) => p.NatGateways ?? []).map(toNatGateway)),
    internetGateways: byId(igwPages.flatMap((p) => p.InternetGateways ?? []).map(toInternetGateway)),
  };
}

async function loadEcs(gateway: AwsGateway) {
  const clusterArns = (await collect(gateway.pages('ecs:ListClusters', { maxResults: 100 }))).flatMap((p) => p.clusterArns ?? []);
  const clusters: M.EcsCluster[] = (
    await mapLimit(chunk(clusterArns, 100), PER_ITEM_CONCURRENCY, (arns) => gateway.call('ecs:DescribeClusters', { clusters: arns }))
  )
    .flatMap((out) => out.clusters ?? [])
    .map((c) => ({ arn: c.clusterArn!, name: c.clusterName! }));

  const perCluster = await mapLimit(clusters, PER_ITEM_CONCURRENCY, async (cluster) => {
    const [servicePages, taskPages] = await Promise.all([
      collect(gateway.pages('ecs:ListServices', { cluster: cluster.arn, maxResults: 100 })),
      collect(gateway.pages('ecs:ListTasks', { cluster: cluster.arn, desiredStatus: 'RUNNING', maxResults: 100 })),
    ]);
    const serviceArns = servicePages.flatMap((p) => p.serviceArns ?? []);
    const taskArns = taskPages.flatMap((p) => p.taskArns ?? []);
    const [serviceOutputs, taskOutputs] = await Promise.all([
      mapLimit(chunk(serviceArns, 10), PER_ITEM_CONCURRENCY, (arns) =>
        gateway.call('ecs:DescribeServices', { cluster: cluster.arn, services: arns, include: ['TAGS'] }),
      ),
      mapLimit(chunk(taskArns, 100), PER_ITEM_CONCURRENCY, (arns) => gateway.call('ecs:DescribeTasks', { cluster: cluster.arn, tasks: arns })),
    ]);
    return {
      services: serviceOutputs.flatMap((o) => o.services ?? []).map((s) => toEcsService(s, cluster)),
      tasks: taskOutputs.flatMap((o) => o.tasks ?? []).map(toEcsTask),
    };
  });
  const services = perCluster.flatMap((c) => c.services);
  const tasks = perCluster.flatMap((c) => c.tasks);

  const definitionArns = [...new Set([...services.map((s) => s.taskDefinitionArn), ...tasks.map((t) => t.taskDefinitionArn)])];
  const definitions = await mapLimit(definitionArns, PER_ITEM_CONCURRENCY, (arn) =>
    gateway.call('ecs:DescribeTaskDefinition', { taskDefinition: arn }),
  );
  const taskDefinitions = new Map<string, M.TaskDefinition>();
  for (const out of definitions) {
    if (out.taskDefinition) {
      const definition = toTaskDefinition(out.taskDefinition);
      taskDefinitions.set(definition.arn, definition);
    }
  }
  return { clusters, services, tasks, taskDefinitions };
}

type AuthorizationDetails = OutputOf<'iam:GetAccountAuthorizationDetails'>;

async function loadIam(gateway: AwsGateway) {
  const pages: AuthorizationDetails[] = await collect(
    gateway.pages('iam:GetAccountAuthorizationDetails', { Filter: ['Role', 'LocalManagedPolicy'], MaxItems: 1000 }),
  );
  const roles = pages.flatMap((p) => p.RoleDetailList ?? []).map(toIamRole);
  const managedPolicies = new Map<string, M.ManagedPolicy>(
    pages.flatMap((p) => p.Policies ?? []).map((detail) => [detail.Arn!, toManagedPolicy(detail)]),
  );

  // AWS-managed policies are not in the account's details; read the ones roles attach or use as boundary.
  const used = roles.flatMap((r) => [...r.attachedPolicyArns, ...(r.permissionsBoundaryArn ? [r.permissionsBoundaryArn] : [])]);
  const awsManaged = [...new Set(used)].filter((arn) => !managedPolicies.has(arn));
  const fetched = await mapLimit(awsManaged, PER_ITEM_CONCURRENCY, async (arn) => {
    const { Policy } = await gateway.call('iam:GetPolicy', { PolicyArn: arn });
    const version = await gateway.call('iam:GetPolicyVersion', { PolicyArn: arn, VersionId: Policy!.DefaultVersionId! });
    return {
      arn,
      name: Policy?.PolicyName ?? arn,
      defaultVersionId: Policy?.DefaultVersionId,
      document: decodePolicy(version.PolicyVersion?.Document),
    } satisfies M.ManagedPolicy;
  });
  for (const policy of fetched) managedPolicies.set(policy.arn, policy);
  return { roles: new Map(roles.map((r) => [r.arn, r])), managedPolicies };
}

function byId<T extends { id: string }>(items: T[]): Map<string, T> {
  return new Map(items.map((item) => [item.id, item]));
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
