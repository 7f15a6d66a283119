// One typed model of an account-region: what the checks read. Built once per target by
// load.ts from raw SDK outputs; checks never see the SDK.
import type { OperationName } from '../aws/operations';

export interface Inventory {
  account: string;
  region: string;
  vpcs: Map<string, Vpc>;
  subnets: Map<string, Subnet>;
  routeTables: RouteTable[];
  endpoints: VpcEndpoint[];
  securityGroups: Map<string, SecurityGroup>;
  networkAcls: NetworkAcl[];
  prefixLists: Map<string, PrefixList>;
  natGateways: Map<string, NatGateway>;
  internetGateways: Map<string, InternetGateway>;
  clusters: EcsCluster[];
  services: EcsService[];
  taskDefinitions: Map<string, TaskDefinition>;
  tasks: EcsTask[];
  roles: Map<string, IamRole>;
  managedPolicies: Map<string, ManagedPolicy>;
  /** Region of each S3 bucket a task definition names (env files); undefined when S3 would not say. */
  bucketRegions: Map<string, BucketRegion>;
  flowLogs: FlowLog[];
  scheduledTasks: ScheduledTask[];
  /** The KMS key of each secret or SSM parameter a task definition names (by its valueFrom). */
  secretKeys: Map<string, SecretKey>;
  /** What ECS says happened lately (EVD-01); absent when the inventory was built without it (tests). */
  evidence?: Evidence;
  /** DHCP option sets by ID (DNS-01): the DNS servers a VPC's tasks ask. */
  dhcpOptions: Map<string, DhcpOptions>;
  /** Route 53 Resolver rules with the VPCs they are associated with (DNS-01). */
  resolverRules: ResolverRule[];
  /** Private hosted zones associated with the account-region's VPCs (DNS-02), with their records where they may answer for an AWS service name. */
  hostedZones: PrivateHostedZone[];
  /** Transit gateway attachments the account sees (DNS-02), and the routes of each transit gateway route table they are associated with. */
  transitGatewayAttachments: TransitGatewayAttachment[];
  transitGatewayRoutes: Map<string, TransitGatewayRoute[] | { error: string }>;
  /** What ECR says of each private ECR image of this region a task definition names, by the image as written (ecr:DescribeImages). */
  images: Map<string, ImageState>;
  /** The repository prefixes of the pull through cache rules of the account's registry (ecr:DescribePullThroughCacheRules). */
  pullThroughCachePrefixes: string[];
  /** The policy of each repository of another account that an image is pulled from, by repository ARN (ecr:GetRepositoryPolicy). */
  repositoryPolicies: Map<string, RepositoryPolicy>;
  /**
   * Reads AWS denied, with the one-line message naming the action to grant. Their data is left
   * empty; checks that declare one of them in `CheckInfo.reads` fail saying so (inventory/denied.ts).
   */
  denied?: ReadonlyMap<OperationName, string>;
}

/**
 * The account's own account of recent task starts: stopped tasks and service events of the
 * `windowHours` before `asOf` (the run's start live, the snapshot's recordedAt in a replay).
 */
export interface Evidence {
  /** ISO time the window ends at; undefined when a snapshot has no recordedAt to judge "recent" by. */
  asOf?: string;
  windowHours: number;
  /** Undefined when the stopped tasks could not be read: `unread` says why. */
  stoppedTasks?: StoppedTask[];
  unread?: string;
  serviceEvents: ServiceEvent[];
}

export interface StoppedTask {
  arn: string;
  clusterArn: string;
  /** "service:<name>" or "family:<name>". */
  group?: string;
  /** "ecs-svc/<deployment>", "events-rule/<rule>", a schedule, or the user that ran it. */
  startedBy?: string;
  taskDefinitionArn: string;
  stopCode?: string;
  stoppedReason?: string;
  stoppedAt?: string;
  /** Set when its containers started: a task that ran and then stopped did not fail to start. */
  startedAt?: string;
  subnetId?: string;
  availabilityZone?: string;
  containers: { name: string; reason?: string; exitCode?: number }[];
}

/** One of the last events DescribeServices returns for a service. */
export interface ServiceEvent {
  serviceArn: string;
  id: string;
  createdAt: string;
  message: string;
}

export interface FlowLog {
  id: string;
  /** The VPC, subnet or network interface it records. */
  resourceId: string;
  trafficType?: string;
  status?: string;
}

/** An ECS task that EventBridge starts: a rule's target or a Scheduler schedule's. */
export interface ScheduledTask {
  source: 'EventBridge rule' | 'EventBridge Scheduler schedule';
  /** The rule's name, or "<group>/<schedule>". */
  name: string;
  arn: string;
  state?: string;
  expression?: string;
  clusterArn: string;
  /** As the target names it; resolved to a revision in `taskDefinitions` by the loader. */
  taskDefinitionArn: string;
  launchType?: string;
  capacityProviders: string[];
  network?: AwsVpcConfiguration;
  /** Tasks each run starts (EcsParameters.TaskCount; 1 when absent). */
  taskCount: number;
}

/** A secret's key: a customer key (its ARN or alias) needs kms:Decrypt; undefined means the AWS-managed key. */
export type SecretKey = { kmsKeyId?: string } | { kmsKeyId?: undefined; error: string };

/**
 * An image in its repository: there (with its digest, tags and storage status), absent (the tag or
 * digest, or the whole repository), or unknown: the read failed (denied, not recorded), with its line.
 */
export type ImageState =
  | { state: 'present'; digest: string; tags: string[]; pushedAt?: string; status?: string }
  | { state: 'image not found'; message: string; lifecycle?: LifecyclePolicy }
  | { state: 'repository not found'; message: string }
  | { state: 'unknown'; error: string };

/**
 * The lifecycle policy of a repository that lacks an image a task names (ecr:GetLifecyclePolicy,
 * read only then): its expiring rules, or none; undefined in an ImageState when it could not be read.
 */
export type LifecyclePolicy = { rules: LifecycleRule[] } | { rules?: undefined; none: true };

export interface LifecycleRule {
  rulePriority: number;
  description?: string;
  tagStatus?: string;
  tagPrefixList?: string[];
  tagPatternList?: string[];
  countType?: string;
  countNumber?: number;
  countUnit?: string;
  /** "expire", or "transition" (to the archive storage class). */
  action?: string;
}

/** A repository's policy: its document, none set (RepositoryPolicyNotFoundException), or unknown with the error's line. */
export type RepositoryPolicy = { document: PolicyDocument } | { document?: undefined; none: true } | { document?: undefined; error: string };

export type BucketRegion = { region: string } | { region?: undefined; error: string };

export interface Vpc {
  id: string;
  cidrBlocks: string[];
  ipv6CidrBlocks: string[];
  isDefault: boolean;
  dnsSupport: boolean;
  dnsHostnames: boolean;
  /** The DHCP option set; "default" is none: AmazonProvidedDNS. */
  dhcpOptionsId?: string;
  name?: string;
}

export interface DhcpOptions {
  id: string;
  /** `domain-name-servers`: "AmazonProvidedDNS" or addresses; none means AmazonProvidedDNS. */
  domainNameServers: string[];
  domainName?: string;
  /** Every configuration of the set in AWS's order (domain-name, ntp-servers…): a new set that changes only the servers keeps the others. */
  configurations?: { key: string; values: string[] }[];
}

/** A domain name as DNS compares it: lower case, no trailing dot ("." is the root). */
export type DomainName = string;

export interface ResolverRule {
  id: string;
  name?: string;
  domainName: DomainName;
  /** FORWARD sends queries to `targetIps`; SYSTEM gives the names back to the VPC resolver; RECURSIVE is the Internet Resolver. */
  type: string;
  status?: string;
  targetIps: string[];
  ownerId?: string;
  vpcIds: string[];
}

export interface DnsRecord {
  name: DomainName;
  type: string;
  values: string[];
  /** An alias record's target DNS name. */
  aliasTarget?: DomainName;
}

export interface PrivateHostedZone {
  /** Without the "/hostedzone/" prefix. */
  id: string;
  name: DomainName;
  owningAccount?: string;
  vpcIds: string[];
  /** Undefined when the zone could not answer for an AWS service name (not read); `recordsError` when the read failed. */
  records?: DnsRecord[];
  recordsError?: string;
}

export interface TransitGatewayAttachment {
  id: string;
  transitGatewayId: string;
  transitGatewayOwnerId?: string;
  resourceType: string;
  resourceId: string;
  resourceOwnerId?: string;
  state: string;
  /** The transit gateway route table the attachment is associated with: it routes what the attachment sends. */
  routeTableId?: string;
}

export interface TransitGatewayRoute {
  destination: string;
  type: string;
  state: string;
  attachments: { id: string; resourceId?: string; resourceType?: string }[];
}

export interface Subnet {
  id: string;
  vpcId: string;
  availabilityZone: string;
  availabilityZoneId?: string;
  cidrBlock: string;
  ipv6CidrBlocks: string[];
  mapPublicIpOnLaunch: boolean;
  /** Free IPv4 addresses now (AvailableIpAddressCount): what the account's network interfaces and AWS's 5 reserved addresses leave. */
  availableIpAddressCount?: number;
  name?: string;
}

export type RouteDestination = { kind: 'cidr'; cidr: string } | { kind: 'prefix-list'; prefixListId: string };

export type RouteTargetKind =
  | 'local'
  | 'internet-gateway'
  | 'egress-only-internet-gateway'
  | 'nat-gateway'
  | 'gateway-endpoint'
  | 'virtual-private-gateway'
  | 'transit-gateway'
  | 'vpc-peering'
  | 'network-interface'
  | 'instance'
  | 'local-gateway'
  | 'carrier-gateway'
  | 'core-network'
  | 'unknown';

export interface Route {
  destination: RouteDestination;
  target: { kind: RouteTargetKind; id: string };
  state: 'active' | 'blackhole';
  origin?: string;
}

export interface RouteTable {
  id: string;
  vpcId: string;
  /** The VPC's main table: it serves every subnet without an explicit association. */
  main: boolean;
  subnetIds: string[];
  routes: Route[];
  name?: string;
}

export interface VpcEndpoint {
  id: string;
  vpcId: string;
  serviceName: string;
  type: 'Interface' | 'Gateway' | 'GatewayLoadBalancer' | string;
  state: string;
  subnetIds: string[];
  routeTableIds: string[];
  securityGroupIds: string[];
  privateDnsEnabled: boolean;
  /** The endpoint's DNS names (regional, zonal, and its private names while private DNS is on), lower case. */
  dnsNames: string[];
  policyDocument?: string;
}

export interface SecurityGroupRule {
  protocol: string;
  fromPort?: number;
  toPort?: number;
  ipv4Ranges: string[];
  ipv6Ranges: string[];
  prefixListIds: string[];
  groupIds: string[];
}

export interface SecurityGroup {
  id: string;
  vpcId: string;
  name: string;
  ingress: SecurityGroupRule[];
  egress: SecurityGroupRule[];
}

export interface NetworkAclEntry {
  ruleNumber: number;
  egress: boolean;
  action: 'allow' | 'deny';
  protocol: string;
  cidrBlock?: string;
  ipv6CidrBlock?: string;
  portRange?: { from: number; to: number };
}

export interface NetworkAcl {
  id: string;
  vpcId: string;
  isDefault: boolean;
  subnetIds: string[];
  entries: NetworkAclEntry[];
}

export interface PrefixList {
  id: string;
  name: string;
  addressFamily: string;
  cidrs: string[];
}

export interface NatGateway {
  id: string;
  vpcId: string;
  subnetId: string;
  state: string;
  connectivityType: 'public' | 'private' | string;
}

export interface InternetGateway {
  id: string;
  vpcIds: string[];
}

export interface EcsCluster {
  arn: string;
  name: string;
}

export interface AwsVpcConfiguration {
  subnetIds: string[];
  securityGroupIds: string[];
  assignPublicIp: boolean;
}

export interface EcsService {
  arn: string;
  name: string;
  clusterArn: string;
  clusterName: string;
  launchType?: string;
  capacityProviders: string[];
  taskDefinitionArn: string;
  network?: AwsVpcConfiguration;
  desiredCount: number;
  /** REPLICA, or DAEMON (one task per container instance). */
  schedulingStrategy: string;
  /** Who runs deployments: ECS (rolling, or ECS blue/green by `deployment.strategy`), CODE_DEPLOY or EXTERNAL. */
  deploymentController: string;
  deployment: {
    circuitBreaker?: { enable: boolean; rollback: boolean };
    minimumHealthyPercent?: number;
    maximumPercent?: number;
    /** The ECS controller's strategy: ROLLING, BLUE_GREEN, LINEAR or CANARY; absent means ROLLING. */
    strategy?: string;
  };
  tags: Record<string, string>;
}

export interface EcsTask {
  arn: string;
  clusterArn: string;
  /** "service:<name>" for a service's task, "family:<name>" for a standalone one. */
  group?: string;
  taskDefinitionArn: string;
  lastStatus?: string;
  availabilityZone?: string;
  subnetId?: string;
  networkInterfaceId?: string;
}

export interface ContainerDefinition {
  name: string;
  image: string;
  essential: boolean;
  logDriver?: string;
  logOptions: Record<string, string>;
  /** ARNs (or parameter names) named in `secrets[].valueFrom`; never their values. */
  secretRefs: string[];
  environmentFileArns: string[];
  repositoryCredentialsArn?: string;
  ulimits: { name: string; softLimit: number; hardLimit: number }[];
}

export interface TaskDefinition {
  arn: string;
  family: string;
  revision: number;
  networkMode?: string;
  requiresCompatibilities: string[];
  executionRoleArn?: string;
  taskRoleArn?: string;
  containers: ContainerDefinition[];
}

export interface PolicyDocument {
  Version?: string;
  Statement: Record<string, unknown>[] | Record<string, unknown>;
}

export interface IamRole {
  arn: string;
  name: string;
  trustPolicy?: PolicyDocument;
  inlinePolicies: { name: string; document: PolicyDocument }[];
  attachedPolicyArns: string[];
  permissionsBoundaryArn?: string;
}

export interface ManagedPolicy {
  arn: string;
  name: string;
  defaultVersionId?: string;
  document?: PolicyDocument;
}
