// Synthetic accounts for the benchmark: `syntheticAccount({ services, seed })` draws a realistic
// account-region of any size, deterministically (same seed and size → byte-identical JSON), and
// assembles it with the fixture generator's `snapshot()`, so it is exactly what the loader reads
// (every operation it calls, including ones added later, in its batches and inputs).
//
// What grows with `services` (S): clusters (~120 services each), VPCs (2 + S/250), private subnets
// (3 zones × one tier per 8 services), one route table per private subnet, a security group per
// service with tens of rules, task definitions, running tasks (1-4 per service), task roles with
// inline and customer-managed policies, execution roles per team, scheduled tasks. Lists are split
// into pages the way AWS splits them (DescribeSubnets 200, DescribeRouteTables 100,
// DescribeSecurityGroups 500, ListServices/ListTasks 100, GetAccountAuthorizationDetails 1000 items).
//
// Some findings are planted in proportion, so the checks do real work and fail with many offenders:
// route tables without the S3 route (EP-05, NET-03), an ecr.dkr endpoint missing a zone (EP-03),
// services whose narrowed egress forgets the S3 prefix list (SG-01, NET-02), a tier whose NACL
// denies S3 (NACL-01), a service listing a public subnet without public IPs (NET-01), an S3
// gateway endpoint whose policy allows only the layer bucket (EP-06).
import { createHash } from 'node:crypto';
import type { IpPermission, NetworkAclEntry, Route, RouteTable, SecurityGroup, Subnet, VpcEndpoint } from '@aws-sdk/client-ec2';
import type { Rule, Target } from '@aws-sdk/client-eventbridge';
import type { GetScheduleOutput } from '@aws-sdk/client-scheduler';
import type { ContainerDefinition, Service, Task } from '@aws-sdk/client-ecs';
import type { ManagedPolicyDetail, RoleDetail } from '@aws-sdk/client-iam';
import { at, urlEncoded, type Env } from '../fixtures/generate/shapes/common';
import * as ec2 from '../fixtures/generate/shapes/ec2';
import * as ecs from '../fixtures/generate/shapes/ecs';
import { ecsServiceLinkedRole } from '../fixtures/generate/shapes/iam';
import { ec2PageToken, snapshot, type EcsState, type NetworkState, type SnapshotFile } from '../fixtures/generate/shapes/snapshot';

export interface SyntheticOptions {
  services: number;
  seed?: number;
  /** Smaller pages than AWS's, so a small account still pages (tests). */
  pageSizes?: Partial<Record<keyof typeof PAGE_SIZES, number>>;
}

/** Page sizes the synthetic account is split into (what AWS returns per page for these lists). */
export const PAGE_SIZES = {
  'ec2:DescribeSubnets': 200,
  'ec2:DescribeRouteTables': 100,
  'ec2:DescribeSecurityGroups': 500,
  'ecs:ListServices': 100,
  'ecs:ListTasks': 100,
  'iam:GetAccountAuthorizationDetails': 1000,
} as const;

/** How the account scales with the number of services: the unit test and the bench report read it. */
export function shapeOf(services: number) {
  const vpcs = 2 + Math.floor(services / 250);
  const clusters = Math.max(2, Math.ceil(services / 120));
  return { vpcs, clusters, servicesPerTier: 8, zones: ZONES.length, teams: Math.max(2, Math.ceil(services / 25)) };
}

const ZONES = ['ap-northeast-2a', 'ap-northeast-2b', 'ap-northeast-2c'] as const;
const INTERFACE_SERVICES = ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager'] as const;
const WORDS = ['orders', 'payments', 'catalog', 'search', 'users', 'auth', 'billing', 'inventory', 'shipping', 'notifications', 'reports', 'media', 'checkout', 'pricing', 'reviews', 'ledger', 'audit', 'analytics', 'profile', 'cart'];
const KINDS = ['api', 'worker', 'consumer', 'web', 'cron', 'grpc'];
const BASE_TIME = Date.parse('2026-11-20T09:00:00.000Z');

/** A small, fast, seeded PRNG (mulberry32): the same seed draws the same account. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticAccount(options: SyntheticOptions): SnapshotFile {
  const { services: serviceCount, seed = 1 } = options;
  const pageSizes = { ...PAGE_SIZES, ...options.pageSizes };
  if (!Number.isInteger(serviceCount) || serviceCount < 1 || serviceCount > 5000) throw new Error(`services must be an integer from 1 to 5000, not ${serviceCount}`);
  const env: Env = { account: '123456789012', region: 'ap-northeast-2' };
  const random = prng(seed);
  const chance = (p: number) => random() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

  // IDs: hex digests of (seed, kind, counter), well-formed and stable.
  const digest = (text: string) => createHash('sha256').update(`${seed}/${text}`).digest('hex');
  const counters = new Map<string, number>();
  const id = (prefix: string, digits = 17) => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}-${digest(`${prefix}/${n}`).slice(0, digits)}`;
  };
  const hex = (text: string, length: number) => digest(text).slice(0, length);
  const uuid = (text: string) => {
    const h = hex(text, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  const roleId = (text: string) => `AROA${digest(text).toUpperCase().replace(/[^0-9A-Z]/g, '').slice(0, 17).padEnd(17, 'Q')}`;
  const time = (daysAgo: number, text: string) => new Date(BASE_TIME - daysAgo * 86_400_000 - (parseInt(hex(text, 6), 16) % 86_400) * 1000).toISOString();

  const shape = shapeOf(serviceCount);
  const dopt = id('dopt');

  // ---------------------------------------------------------------- services, before the network (tiers follow them)
  interface Plan {
    index: number;
    name: string;
    cluster: number;
    vpc: number;
    tier: number;
    team: number;
    desired: number;
    restrictedEgress: boolean;
    forgetsS3: boolean;
    publicSubnetMistake: boolean;
    configuredZones: number;
    images: { ecr: boolean; sidecar?: string };
    secret: boolean;
    envFile?: 'local' | 'remote';
    internetEgress: boolean;
    port: number;
  }
  const perVpc = new Array<number>(shape.vpcs).fill(0);
  const plans: Plan[] = [];
  for (let i = 0; i < serviceCount; i++) {
    const cluster = i % shape.clusters;
    const vpc = cluster % shape.vpcs;
    const tier = Math.floor(perVpc[vpc]++ / shape.servicesPerTier);
    const restrictedEgress = chance(0.2);
    plans.push({
      index: i,
      name: `${WORDS[i % WORDS.length]}-${KINDS[Math.floor(i / WORDS.length) % KINDS.length]}-${i + 1}`,
      cluster,
      vpc,
      tier,
      team: i % shape.teams,
      desired: chance(0.05) ? 0 : chance(0.5) ? 2 : chance(0.6) ? 1 : between(3, 4),
      restrictedEgress,
      forgetsS3: restrictedEgress && (i % 37 === 5),
      publicSubnetMistake: i % 250 === 17,
      configuredZones: chance(0.1) ? 2 : 3,
      images: { ecr: !chance(0.05), sidecar: chance(0.3) ? pick(['public.ecr.aws/aws-observability/aws-otel-collector:v0.41.1', 'datadog/agent:7.58.0']) : undefined },
      secret: chance(0.4),
      envFile: chance(0.2) ? (chance(0.1) ? 'remote' : 'local') : undefined,
      internetEgress: chance(0.1),
      port: pick([3000, 8080, 8000, 9000]),
    });
  }
  const tiersOf = perVpc.map((n) => Math.max(1, Math.ceil(n / shape.servicesPerTier)));
  if (Math.max(...tiersOf) > 79) throw new Error('too many services per VPC for the /16 layout');

  // ---------------------------------------------------------------- network
  const prefixLists = [ec2.awsPrefixList(env, 's3'), ec2.awsPrefixList(env, 'dynamodb')];
  const s3List = prefixLists[0].PrefixListId!;
  const network: NetworkState = { vpcs: [], subnets: [], routeTables: [], endpoints: [], securityGroups: [], networkAcls: [], prefixLists, natGateways: [], internetGateways: [], otherInterfaces: [], flowLogs: [] };

  const defaultVpc = ec2.defaultVpc(env, {
    id: id('vpc'),
    cidrAssociationId: id('vpc-cidr-assoc'),
    dhcpOptionsId: dopt,
    subnets: ZONES.map((zone) => [zone, id('subnet'), id('aclassoc')] as [string, string, string]),
    routeTable: { id: id('rtb'), mainAssociationId: id('rtbassoc') },
    internetGatewayId: id('igw'),
    securityGroupId: id('sg'),
    networkAclId: id('acl'),
  });
  network.vpcs.push({ vpc: defaultVpc.vpc });
  network.subnets.push(...defaultVpc.subnets);
  network.routeTables.push(defaultVpc.routeTable);
  network.internetGateways.push(defaultVpc.internetGateway);
  network.securityGroups.push(defaultVpc.securityGroup);
  network.networkAcls.push(defaultVpc.networkAcl);

  interface VpcLayout {
    vpcId: string;
    cidr: string;
    tierSubnets: Subnet[][];
    publicSubnets: Subnet[];
    albGroup: string;
    vpceGroup: string;
    dbCidr: string;
  }
  const layouts: VpcLayout[] = [];
  for (let v = 0; v < shape.vpcs; v++) {
    const cidr = `10.${v}.0.0/16`;
    const vpcId = id('vpc');
    const name = `prod-${v + 1}`;
    const vpc = ec2.vpc(env, { id: vpcId, cidr, cidrAssociationId: id('vpc-cidr-assoc'), dhcpOptionsId: dopt, name: `${name}-vpc` });
    network.vpcs.push({ vpc });
    const inVpc = { vpcId };
    const publicSubnets = ZONES.map((zone, z) => ec2.subnet(env, { ...inVpc, id: id('subnet'), zone, cidr: `10.${v}.${z}.0/24`, name: `${name}-public-${zone.slice(-2)}`, public: true }));
    const endpointSubnets = ZONES.map((zone, z) => ec2.subnet(env, { ...inVpc, id: id('subnet'), zone, cidr: `10.${v}.${4 + z}.0/24`, name: `${name}-endpoints-${zone.slice(-2)}` }));
    const tierSubnets = Array.from({ length: tiersOf[v] }, (_, t) =>
      ZONES.map((zone, z) => ec2.subnet(env, { ...inVpc, id: id('subnet'), zone, cidr: `10.${v}.${16 + t * 3 + z}.0/24`, name: `${name}-app${t + 1}-${zone.slice(-2)}` })),
    );
    network.subnets.push(...publicSubnets, ...endpointSubnets, ...tierSubnets.flat());

    const igw = ec2.internetGateway(env, { ...inVpc, id: id('igw'), name: `${name}-igw` });
    network.internetGateways.push(igw);
    const nats = publicSubnets.map((s, z) =>
      ec2.natGateway(env, {
        ...inVpc,
        id: id('nat'),
        subnetId: s.SubnetId!,
        created: time(200 + v, `nat/${v}/${z}`),
        name: `${name}-nat-${ZONES[z].slice(-2)}`,
        address: {
          allocationId: id('eipalloc'),
          networkInterfaceId: id('eni'),
          privateIp: `10.${v}.${z}.${10 + z}`,
          publicIp: `3.${34 + v}.${z * 16 + 1}.${20 + z}`,
          associationId: id('eipassoc'),
        },
      }),
    );
    network.natGateways.push(...nats);

    // Routes other networks take: a transit gateway to the on-premises ranges, as big accounts have.
    const tgw = `tgw-${hex(`tgw/${v}`, 17)}`;
    const corporate: Route[] = ['172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map((c) => ({ DestinationCidrBlock: c, TransitGatewayId: tgw, Origin: 'CreateRoute', State: 'active' }));
    const s3Gateway = id('vpce');
    const tables: RouteTable[] = [
      ec2.routeTable(env, { id: id('rtb'), vpc, name: `${name}-main`, main: id('rtbassoc') }),
      ec2.routeTable(env, { id: id('rtb'), vpc, name: `${name}-public`, subnets: publicSubnets.map((s) => [id('rtbassoc'), s.SubnetId!]), routes: [ec2.internetRoute(igw.InternetGatewayId!), ...corporate] }),
      ...endpointSubnets.map((s, z) =>
        ec2.routeTable(env, { id: id('rtb'), vpc, name: `${name}-endpoints-${ZONES[z].slice(-2)}`, subnets: [[id('rtbassoc'), s.SubnetId!]], routes: [...corporate] }),
      ),
    ];
    const withS3: string[] = [];
    tierSubnets.forEach((subnets, t) =>
      subnets.forEach((s, z) => {
        // Planted: in the first VPC, every fifth tier's zone-c table lacks the S3 route (EP-05; S3 goes through the NAT, NET-03).
        const missesS3 = v === 0 && z === 2 && t % 5 === 1;
        const table = ec2.routeTable(env, {
          id: id('rtb'),
          vpc,
          name: `${name}-app${t + 1}-${ZONES[z].slice(-2)}`,
          subnets: [[id('rtbassoc'), s.SubnetId!]],
          routes: [ec2.natRoute(nats[z].NatGatewayId!), ...corporate, ...(missesS3 ? [] : [ec2.gatewayEndpointRoute(env, 's3', s3Gateway)])],
        });
        if (!missesS3) withS3.push(table.RouteTableId!);
        tables.push(table);
      }),
    );
    network.routeTables.push(...tables);

    // Security groups: the VPC's default, the load balancer's, the endpoints'.
    const albGroup = id('sg');
    const vpceGroup = id('sg');
    network.securityGroups.push(
      ec2.defaultSecurityGroup(env, { ...inVpc, id: id('sg'), tag: `${name}-default` }),
      ec2.securityGroup(env, {
        ...inVpc,
        id: albGroup,
        name: `${name}-alb`,
        description: 'Internet-facing load balancers',
        ingress: [ec2.tcp(env, 443, { cidrs: [['0.0.0.0/0', 'HTTPS from the internet']] }), ec2.tcp(env, 80, { cidrs: [['0.0.0.0/0', 'redirect to HTTPS']] })],
        egress: [ec2.allTraffic(env, { cidrs: [cidr] })],
      }),
      ec2.securityGroup(env, {
        ...inVpc,
        id: vpceGroup,
        name: `${name}-vpce`,
        description: 'HTTPS to the interface endpoints',
        ingress: [ec2.tcp(env, 443, { cidrs: [[cidr, 'from the VPC']] }), ...['172.16.0.0/12', '192.168.0.0/16'].map((c) => ec2.tcp(env, 443, { cidrs: [[c, 'from on-premises']] }))],
        egress: [ec2.allTraffic(env, { cidrs: ['0.0.0.0/0'] })],
      }),
    );

    // Endpoints: four interface endpoints in the endpoint subnets, the S3 gateway on the app tables.
    for (const service of INTERFACE_SERVICES) {
      // Planted: the last VPC's ecr.dkr endpoint misses zone c (EP-03).
      const placed = service === 'ecr.dkr' && v === shape.vpcs - 1 ? endpointSubnets.slice(0, 2) : endpointSubnets;
      const zoneIds = service.startsWith('ecr.') ? [`Z${hex(`zone/${v}/${service}/0`, 20).toUpperCase()}`, `Z${hex(`zone/${v}/${service}/1`, 20).toUpperCase()}`] : [`Z${hex(`zone/${v}/${service}`, 20).toUpperCase()}`];
      network.endpoints.push(
        ec2.interfaceEndpoint(env, {
          ...inVpc,
          id: id('vpce'),
          service,
          dnsSuffix: hex(`dns/${v}/${service}`, 8).replace(/^[0-9]/, 'k'),
          placements: placed.map((s) => [s, id('eni')]),
          securityGroups: [{ GroupId: vpceGroup, GroupName: `${name}-vpce` } as SecurityGroup],
          privateDns: true,
          privateZoneIds: zoneIds,
          created: time(300 + v, `vpce/${v}/${service}`),
          name: `${name}-${service.replace('.', '-')}`,
        }),
      );
    }
    const gateway: VpcEndpoint = ec2.gatewayEndpoint(env, { ...inVpc, id: s3Gateway, service: 's3', routeTableIds: withS3, created: time(300 + v, `vpce/${v}/s3`), name: `${name}-s3` });
    if (v === 1) {
      // Planted: the second VPC's S3 gateway endpoint allows only ECR's layer bucket, so env files are refused (EP-06).
      gateway.PolicyDocument = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'EcrLayers', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::prod-${env.region}-starport-layer-bucket/*` }],
      });
    }
    network.endpoints.push(gateway);

    // NACLs: public and endpoint subnets in the default (allow all); app tiers in one with many entries.
    const appTiers = tierSubnets.map((subnets, t) => ({ t, subnets }));
    const legacy = v === 1 && tiersOf[v] > 2 ? [appTiers[2]] : [];
    const regular = appTiers.filter((x) => !legacy.includes(x));
    network.networkAcls.push(
      ec2.defaultNetworkAcl(env, { ...inVpc, id: id('acl'), name: `${name}-default-acl`, subnets: [...publicSubnets, ...endpointSubnets].map((s) => [id('aclassoc'), s.SubnetId!]) }),
      ec2.networkAcl(env, { ...inVpc, id: id('acl'), name: `${name}-app-acl`, subnets: regular.flatMap((x) => x.subnets).map((s) => [id('aclassoc'), s.SubnetId!]), entries: appAclEntries(cidr, false) }),
    );
    if (legacy.length) {
      // Planted: a legacy tier's NACL denies S3's ranges before it allows HTTPS (NACL-01).
      network.networkAcls.push(
        ec2.networkAcl(env, { ...inVpc, id: id('acl'), name: `${name}-legacy-acl`, subnets: legacy.flatMap((x) => x.subnets).map((s) => [id('aclassoc'), s.SubnetId!]), entries: appAclEntries(cidr, true) }),
      );
    }
    network.flowLogs!.push({ FlowLogId: `fl-${hex(`fl/${v}`, 17)}`, ResourceId: vpcId, TrafficType: 'ALL', FlowLogStatus: 'ACTIVE', LogDestinationType: 'cloud-watch-logs', CreationTime: at(time(400, `fl/${v}`)) });
    // Load balancer nodes, one per public subnet.
    network.otherInterfaces!.push(...publicSubnets.map((s) => s.SubnetId!));
    layouts.push({ vpcId, cidr, tierSubnets, publicSubnets, albGroup, vpceGroup, dbCidr: `10.${v}.250.0/24` });
  }

  // ---------------------------------------------------------------- services, tasks, task definitions, roles
  const clusterNames = Array.from({ length: shape.clusters }, (_, c) => `prod-cluster-${String(c + 1).padStart(2, '0')}`);
  const clusters: EcsState['clusters'] = clusterNames.map((name) => ({ name, services: [], tasks: [] }));
  const taskDefinitions: EcsState['taskDefinitions'] = [];
  const bucketRegions: Record<string, string> = {};
  const secretKeys: Record<string, string> = {};
  const teamName = (t: number) => `team-${String(t + 1).padStart(2, '0')}`;
  const executionRole = (t: number) => `arn:aws:iam::${env.account}:role/ecs-execution-${teamName(t)}`;
  const teamPolicy = (t: number) => `arn:aws:iam::${env.account}:policy/${teamName(t)}-common`;
  const roles: RoleDetail[] = [ecsServiceLinkedRole(env, { created: '2025-03-02T01:47:58.000Z', lastUsed: '2026-11-20T08:41:55.000Z' })];
  const policies: ManagedPolicyDetail[] = [];
  const teamSecrets = new Map<number, string[]>();
  const teamEnvFiles = new Map<number, string[]>();

  for (const plan of plans) {
    const layout = layouts[plan.vpc];
    const cluster = clusters[plan.cluster];
    const tierSubnets = layout.tierSubnets[plan.tier];
    const configured = [...tierSubnets.slice(0, plan.configuredZones), ...(plan.publicSubnetMistake ? [layout.publicSubnets[0]] : [])];
    const td = ecs.ecsArn(env, 'task-definition', `${plan.name}:${between(3, 40)}`);
    const taskSg = id('sg');
    const peers = Array.from({ length: between(2, 6) }, () => plans[Math.floor(random() * plans.length)]).filter((p) => p.vpc === plan.vpc && p !== plan);

    // The task definition: the app, maybe a sidecar; secrets and env files by ARN only.
    const image = plan.images.ecr ? ecs.ecrImage(env, `${teamName(plan.team)}/${plan.name}`, `v1.${between(0, 40)}.${between(0, 9)}`) : `ghcr.io/example-org/${plan.name}:1.${between(0, 9)}`;
    const secrets = plan.secret
      ? [{ name: 'DB_PASSWORD', valueFrom: `arn:aws:secretsmanager:${env.region}:${env.account}:secret:prod/${plan.name}/db-${hex(`secret/${plan.index}`, 6).replace(/[0-9]/g, (d) => 'ABCDEFGHIJ'[Number(d)])}` }]
      : undefined;
    if (secrets) {
      teamSecrets.set(plan.team, [...(teamSecrets.get(plan.team) ?? []), secrets[0].valueFrom]);
      if (plan.index % 3 === 0) secretKeys[secrets[0].valueFrom] = `arn:aws:kms:${env.region}:${env.account}:key/${uuid(`kms/${plan.team}`)}`;
    }
    const bucket = plan.envFile === 'remote' ? 'example-shared-config-us-east-1' : `example-config-${env.region}`;
    const environmentFiles = plan.envFile ? [`arn:aws:s3:::${bucket}/${plan.name}/prod.env`] : undefined;
    if (plan.envFile) {
      bucketRegions[bucket] = plan.envFile === 'remote' ? 'us-east-1' : env.region;
      teamEnvFiles.set(plan.team, [...(teamEnvFiles.get(plan.team) ?? []), environmentFiles![0]]);
    }
    const containers: ContainerDefinition[] = [
      ecs.container(env, { name: plan.name, image, logGroup: `/ecs/${plan.name}`, ports: [plan.port], secrets, environmentFiles }),
      ...(plan.images.sidecar ? [ecs.container(env, { name: 'telemetry', image: plan.images.sidecar, logGroup: `/ecs/${plan.name}`, ports: [] })] : []),
    ];
    const definition = ecs.taskDefinition(env, {
      family: plan.name,
      revision: Number(td.split(':').pop()),
      containers,
      cpu: pick(['256', '512', '1024']),
      memory: pick(['512', '1024', '2048']),
      executionRoleArn: executionRole(plan.team),
      registered: time(between(1, 90), `td/${plan.index}`),
      registeredBy: `arn:aws:iam::${env.account}:role/deploy-${teamName(plan.team)}`,
    });
    definition.taskDefinition!.taskRoleArn = `arn:aws:iam::${env.account}:role/task-${plan.name}`;
    taskDefinitions.push(definition);

    // The task security group: many rules, as long-lived services accumulate them.
    const egress: IpPermission[] = plan.restrictedEgress
      ? [
          ec2.tcp(env, 443, { groups: [[layout.vpceGroup, 'interface endpoints']] }),
          ...(plan.forgetsS3 ? [] : [ec2.tcp(env, 443, { prefixLists: [[s3List, 'S3 through the gateway endpoint']] })]),
          ...(plan.internetEgress || !plan.images.ecr || plan.images.sidecar || plan.envFile === 'remote' ? [ec2.tcp(env, 443, { cidrs: [['0.0.0.0/0', 'HTTPS out']] })] : []),
          ec2.tcp(env, 5432, { cidrs: [[layout.dbCidr, 'PostgreSQL']] }),
          ec2.tcp(env, 6379, { cidrs: [[layout.dbCidr, 'Redis']] }),
          ec2.udp(env, 53, { cidrs: [[layout.cidr, 'DNS']] }),
          ec2.tcp(env, 53, { cidrs: [[layout.cidr, 'DNS']] }),
          ...peers.map((p) => ec2.tcp(env, p.port, { cidrs: [[layout.cidr, `to ${p.name}`]] })),
        ]
      : [ec2.allTraffic(env, { cidrs: ['0.0.0.0/0'] })];
    const ingress: IpPermission[] = [
      ec2.tcp(env, plan.port, { groups: [[layout.albGroup, 'from the load balancer']] }),
      ...peers.map((p) => ec2.tcp(env, plan.port, { cidrs: [[`10.${p.vpc}.${16 + p.tier * 3}.0/24`, `from ${p.name}`]] })),
      ec2.tcp(env, plan.port, { cidrs: [['172.16.0.0/12', 'from on-premises'], ['192.168.0.0/16', 'from the VPN']] }),
      ec2.tcp(env, [9100, 9102], { cidrs: [[layout.cidr, 'metrics scrape']] }),
    ];
    network.securityGroups.push(ec2.securityGroup(env, { vpcId: layout.vpcId, id: taskSg, name: `${plan.name}-task`, description: `ECS tasks of ${plan.name}`, ingress, egress }));

    // Running tasks, spread over the tier's zones; a tenth of services has a task in a zone no longer configured.
    const tasks: Task[] = [];
    for (let k = 0; k < plan.desired; k++) {
      const subnet = tierSubnets[k % 3];
      const taskId = hex(`task/${plan.index}/${k}`, 32);
      const octet = 10 + ((plan.index * 7 + k) % 240);
      tasks.push(
        ecs.task(env, {
          id: taskId,
          cluster: cluster.name,
          group: `service:${plan.name}`,
          taskDefinition: td,
          container: { name: plan.name, image, digest: `sha256:${hex(`digest/${plan.index}`, 64)}`, uuid: uuid(`container/${plan.index}/${k}`), runtimeSuffix: String(parseInt(hex(`rt/${plan.index}/${k}`, 8), 16)).slice(0, 10) },
          subnet,
          eni: { id: id('eni'), mac: hex(`mac/${plan.index}/${k}`, 12).replace(/(..)(?!$)/g, '$1:'), ip: subnet.CidrBlock!.replace(/0\/24$/, String(octet)), attachmentId: uuid(`attach/${plan.index}/${k}`) },
          startedBy: `ecs-svc/${String(parseInt(hex(`dep/${plan.index}`, 12), 16)).slice(0, 19)}`,
          cpu: definition.taskDefinition!.cpu!,
          memory: definition.taskDefinition!.memory!,
          times: taskTimes(time(between(0, 20), `task/${plan.index}/${k}`)),
        }),
      );
    }
    const deploymentId = `ecs-svc/${String(parseInt(hex(`dep/${plan.index}`, 12), 16)).slice(0, 19)}`;
    const networkConfig = { subnets: configured.map((s) => s.SubnetId!), securityGroups: [taskSg] };
    const created = time(between(100, 600), `svc/${plan.index}`);
    const updated = time(between(0, 30), `svcup/${plan.index}`);
    const service: Service = ecs.service(env, {
      ...networkConfig,
      cluster: cluster.name,
      name: plan.name,
      taskDefinition: td,
      desired: plan.desired,
      running: tasks.length,
      circuitBreaker: { enable: chance(0.7), rollback: true },
      loadBalancers: plan.index % 3 === 0 ? [] : [{ targetGroupArn: `arn:aws:elasticloadbalancing:${env.region}:${env.account}:targetgroup/${plan.name.slice(0, 20)}/${hex(`tg/${plan.index}`, 16)}`, containerName: plan.name, containerPort: plan.port }],
      healthCheckGracePeriodSeconds: plan.index % 3 === 0 ? undefined : 60,
      deployments: [
        ecs.deployment({ ...networkConfig, id: deploymentId, status: 'PRIMARY', taskDefinition: td, desired: plan.desired, running: tasks.length, failed: 0, created: updated, updated, rollout: 'COMPLETED' }),
      ],
      events: [[uuid(`event/${plan.index}`), updated, 'has reached a steady state.']],
      created: created < updated ? created : updated,
      createdBy: `arn:aws:iam::${env.account}:role/deploy-${teamName(plan.team)}`,
      tags: [
        { key: 'team', value: teamName(plan.team) },
        { key: 'environment', value: 'production' },
        ...(plan.internetEgress ? [{ key: 'egress', value: 'internet' }] : []),
      ],
    });
    cluster.services.push(service);
    cluster.tasks.push(...tasks);

    // The service's task role: an inline policy and its team's customer-managed policy.
    roles.push({
      Path: '/',
      RoleName: `task-${plan.name}`,
      RoleId: roleId(`task-role/${plan.index}`),
      Arn: `arn:aws:iam::${env.account}:role/task-${plan.name}`,
      CreateDate: at(created),
      AssumeRolePolicyDocument: urlEncoded(ecsTasksTrust(env)),
      InstanceProfileList: [],
      RolePolicyList: [
        {
          PolicyName: `${plan.name}-data`,
          PolicyDocument: urlEncoded({
            Version: '2012-10-17',
            Statement: [
              { Sid: 'Data', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::example-data-${env.region}/${plan.name}/*` },
              { Sid: 'Queue', Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: `arn:aws:sqs:${env.region}:${env.account}:${plan.name}-*` },
            ],
          }),
        },
      ],
      AttachedManagedPolicies: [{ PolicyName: `${teamName(plan.team)}-common`, PolicyArn: teamPolicy(plan.team) }],
      Tags: [{ Key: 'team', Value: teamName(plan.team) }],
      RoleLastUsed: { LastUsedDate: at(updated), Region: env.region },
    });
  }

  // Execution roles per team: the AWS-managed policy, plus inline reads of the team's secrets and env files.
  for (let t = 0; t < shape.teams; t++) {
    const secrets = teamSecrets.get(t) ?? [];
    const envFiles = teamEnvFiles.get(t) ?? [];
    const inline = [
      ...(secrets.length ? [{ PolicyName: 'read-secrets', PolicyDocument: urlEncoded({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secrets }] }) }] : []),
      ...(envFiles.length
        ? [{ PolicyName: 'read-env-files', PolicyDocument: urlEncoded({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: envFiles }, { Effect: 'Allow', Action: 's3:GetBucketLocation', Resource: [...new Set(envFiles.map((f) => f.split('/')[0]))] }] }) }]
        : []),
    ];
    roles.push({
      Path: '/',
      RoleName: `ecs-execution-${teamName(t)}`,
      RoleId: roleId(`exec-role/${t}`),
      Arn: executionRole(t),
      CreateDate: at(time(500, `exec/${t}`)),
      AssumeRolePolicyDocument: urlEncoded(ecsTasksTrust(env)),
      InstanceProfileList: [],
      RolePolicyList: inline,
      AttachedManagedPolicies: [{ PolicyName: 'AmazonECSTaskExecutionRolePolicy', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' }],
      Tags: [{ Key: 'team', Value: teamName(t) }],
      RoleLastUsed: { LastUsedDate: at(time(0, `exec-used/${t}`)), Region: env.region },
    });
    const document = urlEncoded({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Telemetry', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'cloudwatch:PutMetricData'], Resource: '*' },
        { Sid: 'Parameters', Effect: 'Allow', Action: ['ssm:GetParameters', 'ssm:GetParametersByPath'], Resource: `arn:aws:ssm:${env.region}:${env.account}:parameter/${teamName(t)}/*` },
      ],
    });
    policies.push({
      PolicyName: `${teamName(t)}-common`,
      PolicyId: `ANPA${roleId(`policy/${t}`).slice(4)}`,
      Arn: teamPolicy(t),
      Path: '/',
      DefaultVersionId: 'v3',
      IsAttachable: true,
      CreateDate: at(time(500, `policy/${t}`)),
      UpdateDate: at(time(60, `policy-up/${t}`)),
      PolicyVersionList: [
        { Document: document, VersionId: 'v3', IsDefaultVersion: true, CreateDate: at(time(60, `policy-up/${t}`)) },
        { Document: document, VersionId: 'v2', IsDefaultVersion: false, CreateDate: at(time(200, `policy-v2/${t}`)) },
      ],
    });
  }

  // The roles EventBridge and Scheduler run tasks with: RunTask, and PassRole for the tasks' roles.
  for (const [name, service] of [
    ['ecsEventsRole', 'events.amazonaws.com'],
    ['scheduler-ecs', 'scheduler.amazonaws.com'],
  ] as const) {
    roles.push({
      Path: '/',
      RoleName: name,
      RoleId: roleId(`role/${name}`),
      Arn: `arn:aws:iam::${env.account}:role/${name}`,
      CreateDate: at(time(450, `role/${name}`)),
      AssumeRolePolicyDocument: urlEncoded({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] }),
      InstanceProfileList: [],
      RolePolicyList: [
        {
          PolicyName: 'run-tasks',
          PolicyDocument: urlEncoded({
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: 'ecs:RunTask', Resource: `arn:aws:ecs:${env.region}:${env.account}:task-definition/*` },
              { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringLike: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } } },
            ],
          }),
        },
      ],
      AttachedManagedPolicies: [],
      Tags: [],
      RoleLastUsed: { LastUsedDate: at(time(0, `role-used/${name}`)), Region: env.region },
    });
  }

  // Scheduled tasks: EventBridge rules and Scheduler schedules that run a service's task definition.
  const ruleCount = 2 + Math.floor(serviceCount / 100);
  const scheduleCount = 1 + Math.floor(serviceCount / 200);
  const scheduledPlan = (n: number) => plans[(n * 13) % plans.length];
  const ecsParameters = (plan: Plan) => {
    const layout = layouts[plan.vpc];
    return {
      TaskDefinitionArn: taskDefinitions[plan.index].taskDefinition!.taskDefinitionArn!,
      TaskCount: 1,
      LaunchType: 'FARGATE' as const,
      NetworkConfiguration: { awsvpcConfiguration: { Subnets: layout.tierSubnets[plan.tier].map((s) => s.SubnetId!), SecurityGroups: [layout.vpceGroup], AssignPublicIp: 'DISABLED' as const } },
      PlatformVersion: 'LATEST',
    };
  };
  const rules: { rule: Rule; targets: Target[] }[] = Array.from({ length: ruleCount }, (_, n) => {
    const plan = scheduledPlan(n);
    const name = `nightly-${plan.name}`;
    return {
      rule: { Name: name, Arn: `arn:aws:events:${env.region}:${env.account}:rule/${name}`, State: 'ENABLED', ScheduleExpression: `cron(${n % 60} ${n % 6} * * ? *)`, EventBusName: 'default' },
      targets: [{ Id: `${plan.name}-task`.slice(0, 64), Arn: ecs.ecsArn(env, 'cluster', clusterNames[plan.cluster]), RoleArn: `arn:aws:iam::${env.account}:role/ecsEventsRole`, EcsParameters: ecsParameters(plan) }],
    };
  });
  const schedules: NonNullable<EcsState['schedules']> = Array.from({ length: scheduleCount }, (_, n): Omit<GetScheduleOutput, '$metadata'> => {
    const plan = scheduledPlan(n + ruleCount);
    const name = `hourly-${plan.name}`;
    return {
      Arn: `arn:aws:scheduler:${env.region}:${env.account}:schedule/default/${name}`,
      Name: name,
      GroupName: 'default',
      State: 'ENABLED',
      ScheduleExpression: 'rate(1 hour)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      CreationDate: at(time(100, `sched/${n}`)),
      LastModificationDate: at(time(10, `sched-up/${n}`)),
      Target: { Arn: ecs.ecsArn(env, 'cluster', clusterNames[plan.cluster]), RoleArn: `arn:aws:iam::${env.account}:role/scheduler-ecs`, EcsParameters: ecsParameters(plan) },
    };
  });

  const file = snapshot(env, {
    recordedAt: '2026-11-20T09:00:00.000Z',
    description: `Synthetic account (seed ${seed}): ${serviceCount} Fargate services in ${shape.clusters} clusters, ${shape.vpcs} VPCs across ${ZONES.length} zones, for the benchmark. Not an incident reproduction.`,
    network,
    ecs: { clusters, taskDefinitions, rules, schedules },
    roles,
    policies,
    bucketRegions,
    secretKeys,
    paging: { subnets: { pageSize: pageSizes['ec2:DescribeSubnets'] }, routeTables: { pageSize: pageSizes['ec2:DescribeRouteTables'] } },
  });
  return paginate(env, file, pageSizes);
}

/**
 * Private app tiers: many entries, as audited accounts have. The denies close ports and protocols
 * the tasks never use (a deny that reaches HTTPS or the ephemeral reply ports would block every
 * path out); the allows open the VPC, on-premises ranges, HTTPS and the replies.
 */
function appAclEntries(vpcCidr: string, deniesS3: boolean): NetworkAclEntry[] {
  const entries: NetworkAclEntry[] = [];
  const closedTcp: [number, number][] = [[20, 23], [25, 25], [110, 110], [135, 139], [143, 143], [161, 162], [389, 389], [445, 445], [465, 465], [587, 587], [636, 636], [993, 995]];
  const closedUdp: [number, number][] = [[69, 69], [111, 111], [137, 138], [161, 162], [389, 389], [500, 500], [514, 514], [520, 520]];
  let rule = 10;
  for (const egress of [true, false]) {
    rule = 10;
    for (const ports of closedTcp) entries.push(ec2.aclEntry({ rule: rule++, egress, action: 'deny', protocol: 'tcp', cidr: '0.0.0.0/0', ports }));
    for (const ports of closedUdp) entries.push(ec2.aclEntry({ rule: rule++, egress, action: 'deny', protocol: 'udp', cidr: '0.0.0.0/0', ports }));
  }
  if (deniesS3) entries.push(ec2.aclEntry({ rule: 90, egress: true, action: 'deny', protocol: 'tcp', cidr: '52.219.0.0/16', ports: [443, 443] }));
  entries.push(
    ec2.aclEntry({ rule: 100, egress: true, action: 'allow', protocol: 'all', cidr: vpcCidr }),
    ec2.aclEntry({ rule: 100, egress: false, action: 'allow', protocol: 'all', cidr: vpcCidr }),
    ...['172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].flatMap((cidr, i) => [
      ec2.aclEntry({ rule: 101 + i, egress: true, action: 'allow', protocol: 'all', cidr }),
      ec2.aclEntry({ rule: 101 + i, egress: false, action: 'allow', protocol: 'all', cidr }),
    ]),
    ec2.aclEntry({ rule: 110, egress: true, action: 'allow', protocol: 'tcp', cidr: '0.0.0.0/0', ports: [443, 443] }),
    ec2.aclEntry({ rule: 120, egress: true, action: 'allow', protocol: 'tcp', cidr: '0.0.0.0/0', ports: [80, 80] }),
    ec2.aclEntry({ rule: 130, egress: true, action: 'allow', protocol: 'udp', cidr: '0.0.0.0/0', ports: [123, 123] }),
    ec2.aclEntry({ rule: 140, egress: true, action: 'allow', protocol: 'tcp', cidr: '0.0.0.0/0', ports: [1024, 65535] }),
    ec2.aclEntry({ rule: 110, egress: false, action: 'allow', protocol: 'tcp', cidr: '0.0.0.0/0', ports: [1024, 65535] }),
    ec2.aclEntry({ rule: 120, egress: false, action: 'allow', protocol: 'udp', cidr: '0.0.0.0/0', ports: [1024, 65535] }),
  );
  return entries;
}

function ecsTasksTrust(env: Env) {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': env.account } } }],
  };
}

function taskTimes(created: string): ecs.TaskTimes {
  const t = Date.parse(created);
  const iso = (seconds: number) => new Date(t + seconds * 1000).toISOString();
  return { created, connectivity: iso(4), pullStarted: iso(11), pullStopped: iso(27), started: iso(33) };
}

// ---------------------------------------------------------------- pages, as AWS splits these lists

type Page = Record<string, unknown>;

/** Splits one recording's single page into pages of `size`, chaining them with tokens. */
function splitRecording(pages: Page[], listKey: string, tokenKey: string, size: number, token: (n: number) => string, extra?: (page: Page, last: boolean) => Page): Page[] {
  if (pages.length !== 1) throw new Error(`expected one page to split, got ${pages.length}`);
  const items = (pages[0][listKey] as unknown[]) ?? [];
  const out: Page[] = [];
  for (let i = 0, n = 0; i === 0 || i < items.length; i += size, n++) {
    const last = i + size >= items.length;
    const page: Page = { ...pages[0], [listKey]: items.slice(i, i + size) };
    if (!last) page[tokenKey] = token(n);
    out.push(extra ? extra(page, last) : page);
  }
  return out;
}

/**
 * The assembler records ECS lists, security groups and IAM details as one page each; AWS pages them
 * (ListServices and ListTasks by maxResults 100, IAM by MaxItems 1000, EC2 lists by its own limit).
 */
function paginate(env: Env, file: SnapshotFile, pageSizes: Record<keyof typeof PAGE_SIZES, number>): SnapshotFile {
  const calls = file.calls as Record<string, { input: object; pages?: Page[] }[]>;
  const ecsToken = (seed: string) => Buffer.from(createHash('sha384').update(seed).digest()).toString('base64');
  for (const [op, listKey] of [
    ['ecs:ListServices', 'serviceArns'],
    ['ecs:ListTasks', 'taskArns'],
  ] as const) {
    for (const call of calls[op] ?? []) {
      call.pages = splitRecording(call.pages!, listKey, 'nextToken', pageSizes[op], (n) => ecsToken(`${env.account}/${op}/${JSON.stringify(call.input)}/${n}`));
    }
  }
  for (const call of calls['ec2:DescribeSecurityGroups'] ?? []) {
    call.pages = splitRecording(call.pages!, 'SecurityGroups', 'NextToken', pageSizes['ec2:DescribeSecurityGroups'], (n) => ec2PageToken(`${env.account}/ec2:DescribeSecurityGroups/${n}`));
  }
  // IAM counts roles and policies together against MaxItems.
  const details = calls['iam:GetAccountAuthorizationDetails'][0];
  const first = details.pages![0];
  const items: ['RoleDetailList' | 'Policies', unknown][] = [
    ...((first.RoleDetailList as unknown[]) ?? []).map((r) => ['RoleDetailList', r] as ['RoleDetailList', unknown]),
    ...((first.Policies as unknown[]) ?? []).map((p) => ['Policies', p] as ['Policies', unknown]),
  ];
  const size = pageSizes['iam:GetAccountAuthorizationDetails'];
  details.pages = [];
  for (let i = 0, n = 0; i === 0 || i < items.length; i += size, n++) {
    const slice = items.slice(i, i + size);
    const last = i + size >= items.length;
    details.pages.push({
      UserDetailList: [],
      GroupDetailList: [],
      RoleDetailList: slice.filter(([k]) => k === 'RoleDetailList').map(([, v]) => v),
      Policies: slice.filter(([k]) => k === 'Policies').map(([, v]) => v),
      IsTruncated: !last,
      ...(last ? {} : { Marker: Buffer.from(createHash('sha256').update(`${env.account}/iam/${n}`).digest()).toString('base64') }),
    });
  }
  return file;
}
