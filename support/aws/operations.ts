// The read operations the suite may send, and nothing else. Each is named as its IAM action
// ("ec2:DescribeSubnets"): the same name keys the snapshot format and the least-privilege policy.
import * as ec2 from '@aws-sdk/client-ec2';
import * as ecr from '@aws-sdk/client-ecr';
import * as ecs from '@aws-sdk/client-ecs';
import * as iam from '@aws-sdk/client-iam';
import * as events from '@aws-sdk/client-eventbridge';
import * as scheduler from '@aws-sdk/client-scheduler';
import * as secretsmanager from '@aws-sdk/client-secrets-manager';
import * as ssm from '@aws-sdk/client-ssm';
import * as route53 from '@aws-sdk/client-route-53';
import * as route53resolver from '@aws-sdk/client-route53resolver';
import * as s3 from '@aws-sdk/client-s3';
import * as sts from '@aws-sdk/client-sts';

export type ServiceName = 'ec2' | 'ecr' | 'ecs' | 'events' | 'iam' | 'route53' | 'route53resolver' | 's3' | 'scheduler' | 'secretsmanager' | 'ssm' | 'sts';

/** How an operation pages: the input field that carries the token and the output field that returns it. */
export interface Paging {
  inputToken: string;
  outputToken: string;
  /** Fields that travel with the token (Route 53's record paging: StartRecordType ← NextRecordType), input ← output. */
  alongside?: readonly (readonly [input: string, output: string])[];
}

/** EC2's token names; EventBridge, Scheduler, Secrets Manager and SSM use the same. */
const ec2Paging: Paging = { inputToken: 'NextToken', outputToken: 'NextToken' };
const ecsPaging: Paging = { inputToken: 'nextToken', outputToken: 'nextToken' };
const iamPaging: Paging = { inputToken: 'Marker', outputToken: 'Marker' };
/** Route 53 pages records by where the next page starts: name, type and (for routing policies) set identifier. */
const recordPaging: Paging = {
  inputToken: 'StartRecordName',
  outputToken: 'NextRecordName',
  alongside: [
    ['StartRecordType', 'NextRecordType'],
    ['StartRecordIdentifier', 'NextRecordIdentifier'],
  ],
};

// `as const` keeps each command class so inputs and outputs stay typed per operation.
export const operations = {
  'ec2:DescribeVpcs': { service: 'ec2', command: ec2.DescribeVpcsCommand, paging: ec2Paging },
  'ec2:DescribeVpcAttribute': { service: 'ec2', command: ec2.DescribeVpcAttributeCommand },
  'ec2:DescribeSubnets': { service: 'ec2', command: ec2.DescribeSubnetsCommand, paging: ec2Paging },
  'ec2:DescribeRouteTables': { service: 'ec2', command: ec2.DescribeRouteTablesCommand, paging: ec2Paging },
  'ec2:DescribeVpcEndpoints': { service: 'ec2', command: ec2.DescribeVpcEndpointsCommand, paging: ec2Paging },
  'ec2:DescribeSecurityGroups': { service: 'ec2', command: ec2.DescribeSecurityGroupsCommand, paging: ec2Paging },
  'ec2:DescribeNetworkAcls': { service: 'ec2', command: ec2.DescribeNetworkAclsCommand, paging: ec2Paging },
  'ec2:DescribeManagedPrefixLists': { service: 'ec2', command: ec2.DescribeManagedPrefixListsCommand, paging: ec2Paging },
  'ec2:GetManagedPrefixListEntries': { service: 'ec2', command: ec2.GetManagedPrefixListEntriesCommand, paging: ec2Paging },
  'ec2:DescribeNatGateways': { service: 'ec2', command: ec2.DescribeNatGatewaysCommand, paging: ec2Paging },
  'ec2:DescribeInternetGateways': { service: 'ec2', command: ec2.DescribeInternetGatewaysCommand, paging: ec2Paging },
  'ec2:DescribeFlowLogs': { service: 'ec2', command: ec2.DescribeFlowLogsCommand, paging: ec2Paging },
  'ecs:ListClusters': { service: 'ecs', command: ecs.ListClustersCommand, paging: ecsPaging },
  'ecs:DescribeClusters': { service: 'ecs', command: ecs.DescribeClustersCommand },
  'ecs:ListServices': { service: 'ecs', command: ecs.ListServicesCommand, paging: ecsPaging },
  'ecs:DescribeServices': { service: 'ecs', command: ecs.DescribeServicesCommand },
  'ecs:DescribeTaskDefinition': { service: 'ecs', command: ecs.DescribeTaskDefinitionCommand },
  'ecs:ListTasks': { service: 'ecs', command: ecs.ListTasksCommand, paging: ecsPaging },
  'ecs:DescribeTasks': { service: 'ecs', command: ecs.DescribeTasksCommand },
  'events:ListRules': { service: 'events', command: events.ListRulesCommand, paging: ec2Paging },
  'events:ListTargetsByRule': { service: 'events', command: events.ListTargetsByRuleCommand, paging: ec2Paging },
  'scheduler:ListSchedules': { service: 'scheduler', command: scheduler.ListSchedulesCommand, paging: ec2Paging },
  'scheduler:GetSchedule': { service: 'scheduler', command: scheduler.GetScheduleCommand },
  'secretsmanager:ListSecrets': { service: 'secretsmanager', command: secretsmanager.ListSecretsCommand, paging: ec2Paging },
  'secretsmanager:DescribeSecret': { service: 'secretsmanager', command: secretsmanager.DescribeSecretCommand },
  'ssm:DescribeParameters': { service: 'ssm', command: ssm.DescribeParametersCommand, paging: ec2Paging },
  'iam:GetAccountAuthorizationDetails': { service: 'iam', command: iam.GetAccountAuthorizationDetailsCommand, paging: iamPaging },
  'iam:GetPolicy': { service: 'iam', command: iam.GetPolicyCommand },
  'iam:GetPolicyVersion': { service: 'iam', command: iam.GetPolicyVersionCommand },
  's3:GetBucketLocation': { service: 's3', command: s3.GetBucketLocationCommand },
  'ec2:DescribeDhcpOptions': { service: 'ec2', command: ec2.DescribeDhcpOptionsCommand, paging: ec2Paging },
  'route53resolver:ListResolverRules': { service: 'route53resolver', command: route53resolver.ListResolverRulesCommand, paging: ec2Paging },
  'route53resolver:ListResolverRuleAssociations': { service: 'route53resolver', command: route53resolver.ListResolverRuleAssociationsCommand, paging: ec2Paging },
  'route53:ListHostedZonesByVPC': { service: 'route53', command: route53.ListHostedZonesByVPCCommand, paging: ec2Paging },
  'route53:ListResourceRecordSets': { service: 'route53', command: route53.ListResourceRecordSetsCommand, paging: recordPaging },
  'ec2:DescribeTransitGatewayAttachments': { service: 'ec2', command: ec2.DescribeTransitGatewayAttachmentsCommand, paging: ec2Paging },
  'ec2:SearchTransitGatewayRoutes': { service: 'ec2', command: ec2.SearchTransitGatewayRoutesCommand },
  'ecr:DescribeImages': { service: 'ecr', command: ecr.DescribeImagesCommand },
  'ecr:DescribePullThroughCacheRules': { service: 'ecr', command: ecr.DescribePullThroughCacheRulesCommand, paging: ecsPaging },
  'ecr:GetRepositoryPolicy': { service: 'ecr', command: ecr.GetRepositoryPolicyCommand },
  'ecr:GetLifecyclePolicy': { service: 'ecr', command: ecr.GetLifecyclePolicyCommand },
  'sts:GetCallerIdentity': { service: 'sts', command: sts.GetCallerIdentityCommand },
} as const;

export type OperationName = keyof typeof operations;
type CommandOf<K extends OperationName> = (typeof operations)[K]['command'];
export type InputOf<K extends OperationName> = ConstructorParameters<CommandOf<K>>[0];
export type OutputOf<K extends OperationName> =
  InstanceType<CommandOf<K>> extends { resolveMiddleware: (...a: never[]) => (...b: never[]) => Promise<{ output: infer O }> }
    ? O
    : never;
export type PaginatedOperation = {
  [K in OperationName]: (typeof operations)[K] extends { paging: Paging } ? K : never;
}[OperationName];

export function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(operations, name);
}

/**
 * The verbs of a read: the only actions the suite may call (IAM's Simulate* evaluates, it changes
 * nothing; EC2's SearchTransitGatewayRoutes lists a transit gateway route table's routes, the only
 * action that does).
 */
export const READ_ACTION = /^[a-z0-9-]+:(Describe|List|Get|Simulate|Search)[A-Z][A-Za-z0-9]*$/;

/**
 * Why the gateway must not send `name`, or undefined when it is one of the suite's reads: a
 * registered operation whose action is a read and whose SDK command is that very action
 * (the registry cannot map a read's name onto a write's command).
 */
export function readOnlyRefusal(name: string): string | undefined {
  if (!isOperationName(name)) return `${name} is not one of the suite's read operations (support/aws/operations.ts)`;
  if (!READ_ACTION.test(name)) return `${name} is not a read (Describe*, List*, Get*, Simulate*, Search*)`;
  const commandName = (operations[name].command as { name: string }).name;
  if (commandName !== `${name.split(':')[1]}Command`) return `${name} is registered with the SDK command ${commandName}, not ${name.split(':')[1]}Command`;
  return undefined;
}

/** The operation a client's command is ("EC2Client" + "DescribeVpcsCommand" → "ec2:DescribeVpcs"), if it is one of ours. */
export function operationOfCommand(service: ServiceName, commandName: string): string {
  return `${service}:${commandName.replace(/Command$/, '')}`;
}

export function pagingOf(name: OperationName): Paging | undefined {
  return (operations[name] as { paging?: Paging }).paging;
}

export function clientClassOf(service: ServiceName) {
  return {
    ec2: ec2.EC2Client,
    ecr: ecr.ECRClient,
    ecs: ecs.ECSClient,
    events: events.EventBridgeClient,
    iam: iam.IAMClient,
    route53: route53.Route53Client,
    route53resolver: route53resolver.Route53ResolverClient,
    s3: s3.S3Client,
    scheduler: scheduler.SchedulerClient,
    secretsmanager: secretsmanager.SecretsManagerClient,
    ssm: ssm.SSMClient,
    sts: sts.STSClient,
  }[service];
}
