// What a workload's tasks must reach before they start (CHECKS.md section 1), derived from its
// task definition and nothing else: a need the task does not have is never assumed.
import type { Inventory, TaskDefinition } from './inventory/model';
import type { Workload } from './workloads';
import { bucketOf, parseArn } from './util/arn';
import { layerBucketArn } from './policy/endpoint';

export interface Need {
  /** Stable key: "ecr.api@ap-northeast-2", "s3@us-east-2", "internet". */
  id: string;
  /** An AWS service reached by its endpoint name (ecr.api, s3, logs…), or the public internet. */
  kind: 'aws-service' | 'internet';
  /** The endpoint service name (ecr.api, ecr.dkr, s3, logs, secretsmanager, ssm); absent for the internet. */
  service?: string;
  /** The service's region; undefined when AWS would not tell (a bucket we may not read). */
  region?: string;
  /** Why the task needs it, one line per reason: "image 1234….dkr.ecr…/app:1 (container app)". */
  reasons: string[];
  /** The ARNs it reads there, for endpoint policies (S3 layer bucket, env files, secrets). */
  resources: string[];
  /** What in the task definition asks for it. */
  origins: NeedOrigin[];
  /** Why the region is unknown, when it is. */
  unknown?: string;
}

export type NeedOrigin = 'image' | 'image layers' | 'logs' | 'secret' | 'env file' | 'application';

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/;

/** A private ECR image's account, region and repository; undefined for any other registry. */
export function parseEcrImage(image: string): { account: string; region: string; repository: string } | undefined {
  const match = image.match(ECR_IMAGE);
  return match ? { account: match[1], region: match[2], repository: match[3] } : undefined;
}

export function describeNeed(need: Need): string {
  if (need.kind === 'internet') return 'the internet';
  return `${need.service} in ${need.region ?? 'an unknown region'}`;
}

// An inventory is never changed once loaded: each task definition's needs are derived once, not at
// every question a check asks about them (several per workload and check).
const derived = new WeakMap<TaskDefinition, Need[]>();

export function needsOf(inv: Inventory, workload: Workload): Need[] {
  const definition = inv.taskDefinitions.get(workload.taskDefinitionArn);
  if (!definition) return [];
  let needs = derived.get(definition);
  if (!needs) derived.set(definition, (needs = needsOfDefinition(inv, definition)));
  return needs;
}

export function needsOfDefinition(inv: Inventory, definition: TaskDefinition): Need[] {
  const needs = new Map<string, Need>();
  const add = (origin: NeedOrigin, kind: Need['kind'], service: string | undefined, region: string | undefined, reason: string, resource?: string, unknown?: string) => {
    const id = kind === 'internet' ? 'internet' : `${service}@${region ?? 'unknown'}`;
    const need = needs.get(id) ?? { id, kind, service, region, reasons: [], resources: [], origins: [], ...(unknown ? { unknown } : {}) };
    if (!need.origins.includes(origin)) need.origins.push(origin);
    if (!need.reasons.includes(reason)) need.reasons.push(reason);
    if (resource && !need.resources.includes(resource)) need.resources.push(resource);
    needs.set(id, need);
  };

  for (const container of definition.containers) {
    const where = `container ${container.name}`;
    const ecr = parseEcrImage(container.image);
    if (ecr) {
      const { region } = ecr;
      const reason = `image ${container.image} (${where})`;
      add('image', 'aws-service', 'ecr.api', region, reason);
      add('image', 'aws-service', 'ecr.dkr', region, reason);
      add('image layers', 'aws-service', 's3', region, `layers of ${container.image} (${where})`, layerBucketArn(region));
    } else {
      add('image', 'internet', undefined, undefined, `image ${container.image}, not from a private ECR registry (${where})`);
    }
    if (container.logDriver === 'awslogs') {
      add('logs', 'aws-service', 'logs', container.logOptions['awslogs-region'] ?? inv.region, `awslogs log driver (${where})`);
    }
    const secretRefs = [...container.secretRefs, ...(container.repositoryCredentialsArn ? [container.repositoryCredentialsArn] : [])];
    for (const ref of secretRefs) {
      const arn = parseArn(ref);
      // A bare name is an SSM parameter of the task's own region.
      const [service, region] = arn && (arn.service === 'secretsmanager' || arn.service === 'ssm') && arn.region ? [arn.service, arn.region] : ['ssm', inv.region];
      add('secret', 'aws-service', service, region, `secret ${ref} (${where})`, ref);
    }
    for (const file of container.environmentFileArns) {
      const bucket = bucketOf(file);
      const location = inv.bucketRegions.get(bucket);
      add('env file', 'aws-service', 's3', location?.region, `env file ${file} (${where})`, file, location?.region ? undefined : `region of bucket ${bucket} unknown: ${location && 'error' in location ? location.error : 'not recorded'}`);
    }
  }
  return [...needs.values()];
}
