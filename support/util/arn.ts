// Every ARN the suite reads or builds goes through this module: the SDK's parser
// (@aws-sdk/util-arn-parser), and each built ARN in the partition of the region it names, from
// the SDK's own partition data (us-gov-west-1 → aws-us-gov, cn-north-1 → aws-cn, us-iso-east-1 →
// aws-iso). A resource with no region in its ARN (IAM, S3) takes the partition of the inventory's
// region: an account and its credentials never cross partitions.
import { build, parse, validate } from '@aws-sdk/util-arn-parser';
import { partition } from '@aws-sdk/core/client';

export interface Arn {
  partition: string;
  service: string;
  /** Empty for global resources (IAM roles, S3 buckets). */
  region: string;
  /** Empty for S3 buckets; "aws" for AWS-managed IAM policies. */
  account: string;
  /** Everything after the account: "role/service-role/exec", "secret:prod/db-AbCdEf". */
  resource: string;
}

/** Whether `text` is an ARN rather than a bare name ("prod/db", "ecsTaskExecutionRole", "*"). */
export function isArn(text: string): boolean {
  return validate(text);
}

/** The parts of an ARN; undefined for anything else. */
export function parseArn(text: string): Arn | undefined {
  if (!validate(text)) return undefined;
  const { partition, service, region, accountId, resource } = parse(text);
  return { partition, service, region, account: accountId, resource };
}

/** The partition whose ARNs name resources of `region`. */
export function partitionOf(region: string): string {
  return partition(region).name;
}

/** The 12-digit account an ARN names; undefined for none (an S3 bucket), AWS's own ("aws") or a bare name. */
export function accountOf(arn: string): string | undefined {
  const account = parseArn(arn)?.account;
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** Whether `ref` is an ARN of `service` in `region` (a GovCloud or China one as much as any). */
export function isArnIn(ref: string, service: string, region: string): boolean {
  const arn = parseArn(ref);
  return arn?.service === service && arn.region === region;
}

/** The last name in the resource's path: "…:role/service-role/exec" → "exec", "…:task-definition/api:3" → "api:3"; a bare name stays as it is. */
export function resourceNameOf(arnOrName: string): string {
  const resource = parseArn(arnOrName)?.resource ?? arnOrName;
  return resource.split('/').pop() ?? resource;
}

/** "arn:aws:iam::123456789012:role/path/name": how a targets file names the role to assume. */
export function isRoleArn(text: string): boolean {
  const arn = parseArn(text);
  return !!arn && /^aws[a-z-]*$/.test(arn.partition) && arn.service === 'iam' && arn.region === '' && /^\d{12}$/.test(arn.account) && /^role\/[\w+=,.@/-]+$/.test(arn.resource);
}

/** Whether `text` is an IAM role or user ARN: a principal whose ARN and account a request carries. */
export function isIamPrincipalArn(text: string): boolean {
  const arn = parseArn(text);
  return arn?.service === 'iam' && arn.region === '' && /^\d{12}$/.test(arn.account) && /^(role|user)\//.test(arn.resource);
}

/** Whether an ARN names an ECS cluster (a scheduled task's target). */
export function isEcsClusterArn(text: string): boolean {
  const arn = parseArn(text);
  return arn?.service === 'ecs' && arn.region !== '' && /^\d{12}$/.test(arn.account) && arn.resource.startsWith('cluster/');
}

/** "arn:aws:s3:::bucket/path/app.env" → "bucket". */
export function bucketOf(s3Arn: string): string {
  return (parseArn(s3Arn)?.resource ?? s3Arn).split('/')[0];
}

/** "arn:aws:s3:::bucket/path/app.env" → "arn:aws:s3:::bucket", in the object's partition. */
export function bucketArnOf(s3ObjectArn: string): string {
  const arn = parseArn(s3ObjectArn);
  return build({ partition: arn?.partition, service: 's3', region: '', accountId: '', resource: bucketOf(s3ObjectArn) });
}

/** The secret a valueFrom names, without the JSON key, version stage or version id after it; undefined unless it names a Secrets Manager secret. */
export function secretArnOf(ref: string): string | undefined {
  const arn = parseArn(ref);
  if (arn?.service !== 'secretsmanager' || arn.region === '' || !/^\d{12}$/.test(arn.account)) return undefined;
  const [kind, name] = arn.resource.split(':');
  return kind === 'secret' && name ? build({ partition: arn.partition, service: arn.service, region: arn.region, accountId: arn.account, resource: `secret:${name}` }) : undefined;
}

/** A listed secret's ARN without the six characters Secrets Manager appends to its name ("…:secret:prod/db"), as a reference may name it. */
export function partialSecretArnOf(secretArn: string, name: string): string | undefined {
  const arn = parseArn(secretArn);
  return arn?.service === 'secretsmanager' ? build({ partition: arn.partition, service: arn.service, region: arn.region, accountId: arn.account, resource: `secret:${name}` }) : undefined;
}

/** As SSM names a parameter: "arn:…:parameter/prod/db" → "/prod/db"; "…:parameter/db" → "db"; a bare name stays as it is. */
export function parameterNameOf(ref: string): string {
  const arn = parseArn(ref);
  if (!arn) return ref;
  const path = arn.resource.replace(/^parameter/, '');
  return path.split('/').length > 2 ? path : path.slice(1);
}

/** An ARN of a resource of `region`, in its partition. */
function regionalArn(service: string, region: string, account: string, resource: string): string {
  return build({ partition: partitionOf(region), service, region, accountId: account, resource });
}

/** An ARN with no region in it (IAM, S3), in the partition of `region`. */
function globalArn(service: string, region: string, account: string, resource: string): string {
  return build({ partition: partitionOf(region), service, region: '', accountId: account, resource });
}

export function ecrRepositoryArn(region: string, account: string, repository: string): string {
  return regionalArn('ecr', region, account, `repository/${repository}`);
}

export function logGroupArn(region: string, account: string, logGroup: string): string {
  return regionalArn('logs', region, account, `log-group:${logGroup}`);
}

/** The log-stream ARN logs:CreateLogStream and logs:PutLogEvents are authorized on (stream "*": any stream). */
export function logStreamArn(region: string, account: string, logGroup: string, stream = '*'): string {
  return `${logGroupArn(region, account, logGroup)}:log-stream:${stream}`;
}

/** A parameter by its name, with or without the leading "/". */
export function ssmParameterArn(region: string, account: string, name: string): string {
  return regionalArn('ssm', region, account, `parameter/${name.replace(/^\//, '')}`);
}

/** A KMS key by its ID, or an alias ("alias/payments"). */
export function kmsKeyArn(region: string, account: string, keyIdOrAlias: string): string {
  return regionalArn('kms', region, account, keyIdOrAlias.startsWith('alias/') ? keyIdOrAlias : `key/${keyIdOrAlias}`);
}

/** An ECS resource ("cluster/prod", "task/prod/<id>"), or "*" for any of the account's in the region. */
export function ecsArn(region: string, account: string, resource: string): string {
  return regionalArn('ecs', region, account, resource);
}

/** A bucket, or an object pattern ("bucket/*"), in the partition of `region`. */
export function s3Arn(region: string, bucketAndKey: string): string {
  return globalArn('s3', region, '', bucketAndKey);
}

/** An IAM role by its name (with its path, if any), in the partition of `region`. */
export function iamRoleArn(region: string, account: string, name: string): string {
  return globalArn('iam', region, account, `role/${name}`);
}

/** The account's root principal: what a default key policy trusts. */
export function accountRootArn(region: string, account: string): string {
  return globalArn('iam', region, account, 'root');
}

/** An AWS-managed IAM policy ("service-role/AmazonECSTaskExecutionRolePolicy"), in the partition of `region`. */
export function awsManagedPolicyArn(region: string, path: string): string {
  return globalArn('iam', region, 'aws', `policy/${path}`);
}
