// Reads one account-region into the Inventory: one paginated sequence per resource type,
// per-item calls only where the API has no batch form, independent reads run concurrently.
import { ReadFailed, type AwsGateway } from '../aws/gateway';
import { NotRecordedError } from '../aws/snapshot';
import type { OperationName, OutputOf } from '../aws/operations';
import type * as M from './model';
import { mapLimit } from '../util/concurrency';
import { accountOf, bucketOf, ecrRepositoryArn, isArn, isArnIn, parameterNameOf, partialSecretArnOf, secretArnOf } from '../util/arn';
import { toEcsService, toEcsTask, toServiceEvents, toStoppedTask, toTaskDefinition } from './ecs';
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
import { rulesScheduledTasks, schedulesScheduledTask, targetsEcsCluster } from './schedules';
import { loadNameResolution, NAME_RESOLUTION_READS } from './dns';
import { describeImageId, imageIdKey, imageIdOf, parseEcrImageReference, type EcrImageReference } from './images';
import type { ImageDetail } from '@aws-sdk/client-ecr';

/**
 * How many per-item reads of one kind a step schedules at once. Steps run side by side and nest
 * (clusters, then their batches), so the bound that holds is the gateway's: at most
 * MAX_IN_FLIGHT_PER_SERVICE calls in flight per AWS service.
 */
const PER_ITEM_CONCURRENCY = 32;

/**
 * Reads whose data only some checks need. When AWS denies one, the loader records it in
 * `inventory.denied` and goes on with the data left empty; the checks that declare the read
 * (`CheckInfo.reads`) fail naming the action to grant, and every other check runs. A denied read
 * that is not listed here (subnets, route tables, services, …) ends the run: every check needs it.
 * Per-item reads (s3:GetBucketLocation of env-file buckets, the secret keys of
 * secretsmanager:ListSecrets or DescribeSecret and ssm:DescribeParameters, ecr:DescribeImages,
 * ecr:GetRepositoryPolicy and ecr:GetLifecyclePolicy) keep any error, a denial included, with their item: the
 * check that needs that item reports it as unverifiable with the error's message.
 */
export const OPTIONAL_READS: ReadonlySet<OperationName> = new Set<OperationName>([
  'ec2:DescribeFlowLogs',
  'ec2:DescribeNetworkAcls',
  'events:ListRules',
  'events:ListTargetsByRule',
  'scheduler:ListSchedules',
  'scheduler:GetSchedule',
  'iam:GetAccountAuthorizationDetails',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
  ...NAME_RESOLUTION_READS,
  'ecr:DescribePullThroughCacheRules',
]);

type Denied = Map<OperationName, string>;

/**
 * An optional read that a snapshot recorded before the suite made it does not hold: not answered,
 * named in `denied` like a denial, so the checks that need it say they could not evaluate.
 */
async function unlessUnanswered<T>(denied: Denied, operation: OperationName, read: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await unlessDenied(denied, read, fallback);
  } catch (error) {
    if (!(error instanceof NotRecordedError)) throw error;
    if (!denied.has(operation)) denied.set(operation, `${operation} was not answered: ${error.message}`);
    return fallback;
  }
}

/**
 * The read's result, or `fallback` when one of the optional reads it makes failed, denied or not
 * (an HTML 500 after the retries, a throttle that did not end): recorded in `denied` with its line.
 */
async function unlessDenied<T>(denied: Denied, read: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof ReadFailed) || !OPTIONAL_READS.has(error.operation)) throw error;
    if (!denied.has(error.operation)) denied.set(error.operation, error.message);
    return fallback;
  }
}

/** How far back EVD-01 looks: ECS itself keeps stopped tasks visible for about an hour, service events longer. */
export const EVIDENCE_WINDOW_HOURS = 24;

export async function loadInventory(gateway: AwsGateway): Promise<M.Inventory> {
  // Live, "recent" ends when the read starts; a replay ends it at its recording, so replays agree.
  const asOf = gateway.mode === 'live' ? new Date().toISOString() : gateway.recordedAt;
  const denied: Denied = new Map();
  const [identity, network, workloads, iam] = await Promise.all([
    gateway.call('sts:GetCallerIdentity', {}),
    loadNetwork(gateway, denied),
    loadWorkloads(gateway, denied, asOf),
    unlessDenied(denied, () => loadIam(gateway), { roles: new Map<string, M.IamRole>(), managedPolicies: new Map<string, M.ManagedPolicy>() }),
  ]);
  return { account: identity.Account ?? 'unknown', region: gateway.region, ...network, ...workloads, ...iam, denied };
}

/** Services, their running tasks, scheduled tasks, and what their task definitions point at. */
async function loadWorkloads(gateway: AwsGateway, denied: Denied, asOf: string | undefined) {
  // Each definition is described as soon as a cluster's services and tasks name it, while the other
  // clusters are still being read: with hundreds of definitions this is most of the loading time.
  // So are the secrets each definition names, as soon as it arrives.
  // And so are the images it names: their reads draw on ECR's budget while ECS's paces the definitions.
  const describeSecret = secretKeyReader(gateway);
  const imageStates = imageReader(gateway);
  const describe = memoized(async (arn: string) => {
    const out = await gateway.call('ecs:DescribeTaskDefinition', { taskDefinition: arn });
    for (const c of out.taskDefinition?.containerDefinitions ?? []) {
      for (const ref of [...(c.secrets ?? []).map((x) => x.valueFrom), c.repositoryCredentials?.credentialsParameter]) {
        if (ref && isRegionalSecret(gateway.region, ref)) void describeSecret(ref);
      }
      if (c.image) imageStates.want(c.image, accountOf(out.taskDefinition?.taskDefinitionArn ?? ''));
    }
    return out;
  });
  const [{ stopped, serviceEvents, ...ecs }, scheduledTasks] = await Promise.all([loadEcs(gateway, describe), unlessDenied(denied, () => loadScheduledTasks(gateway), [])]);
  const evidence = recentEvidence(asOf, stopped, serviceEvents);
  const named = [...ecs.services.map((s) => s.taskDefinitionArn), ...ecs.tasks.map((t) => t.taskDefinitionArn), ...scheduledTasks.map((t) => t.taskDefinitionArn)];
  const definitionArns = [...new Set(named.filter(Boolean))];
  const definitions = await Promise.all(definitionArns.map(describe));
  const taskDefinitions = new Map<string, M.TaskDefinition>();
  const resolved = new Map<string, string>();
  definitions.forEach((out, i) => {
    if (!out.taskDefinition) return;
    const definition = toTaskDefinition(out.taskDefinition);
    taskDefinitions.set(definition.arn, definition);
    resolved.set(definitionArns[i], definition.arn);
  });
  // A schedule may name a family without a revision: it runs the latest ACTIVE one, which Describe returned.
  for (const task of scheduledTasks) task.taskDefinitionArn = resolved.get(task.taskDefinitionArn) ?? task.taskDefinitionArn;
  const [bucketRegions, secretKeys, images] = await Promise.all([
    loadBucketRegions(gateway, taskDefinitions),
    loadSecretKeys(gateway, taskDefinitions, describeSecret),
    loadImages(gateway, taskDefinitions, denied, imageStates),
  ]);
  return { ...ecs, scheduledTasks, taskDefinitions, bucketRegions, secretKeys, evidence, ...images };
}

/** The stopped tasks and service events of the window before `asOf`; none judged without a time to judge by. */
function recentEvidence(asOf: string | undefined, stopped: StoppedRead[], serviceEvents: M.ServiceEvent[]): M.Evidence {
  const windowHours = EVIDENCE_WINDOW_HOURS;
  if (!asOf) {
    return { windowHours, serviceEvents: [], unread: 'the snapshot has no recordedAt, so nothing tells which stopped tasks and service events were recent: record the account again (npm run snapshot)' };
  }
  const end = Date.parse(asOf);
  const recent = (at: string | undefined) => at !== undefined && Date.parse(at) <= end && Date.parse(at) > end - windowHours * 3_600_000;
  const unread = [...new Set(stopped.flatMap((s) => ('unread' in s ? [s.unread] : [])))];
  return {
    asOf,
    windowHours,
    ...(unread.length ? { unread: unread.join('; ') } : { stoppedTasks: stopped.flatMap((s) => ('tasks' in s ? s.tasks : [])).filter((t) => recent(t.stoppedAt)) }),
    serviceEvents: serviceEvents.filter((e) => recent(e.createdAt)),
  };
}

type StoppedRead = { tasks: M.StoppedTask[] } | { unread: string };

/**
 * A cluster's stopped tasks (ECS keeps them visible for about an hour after they stop), read beside
 * the running ones. Evidence only: if AWS denies it, or a snapshot recorded before it was read
 * lacks it, EVD-01 says it could not be evaluated and no other check changes.
 */
async function readStoppedTasks(gateway: AwsGateway, cluster: M.EcsCluster): Promise<StoppedRead> {
  try {
    const pages = await collect(gateway.pages('ecs:ListTasks', { cluster: cluster.arn, desiredStatus: 'STOPPED', maxResults: 100 }));
    const outputs = await mapLimit(chunk(pages.flatMap((p) => p.taskArns ?? []), 100), PER_ITEM_CONCURRENCY, (arns) =>
      gateway.call('ecs:DescribeTasks', { cluster: cluster.arn, tasks: arns }),
    );
    return { tasks: outputs.flatMap((o) => o.tasks ?? []).map(toStoppedTask) };
  } catch (error) {
    if (error instanceof NotRecordedError) {
      return { unread: `the snapshot holds no stopped tasks of cluster ${cluster.name} (it was recorded before the suite read them): record the account again (npm run snapshot)` };
    }
    if (error instanceof ReadFailed) return { unread: `the stopped tasks of cluster ${cluster.name} could not be read: ${error.message}` };
    throw error;
  }
}

async function loadScheduledTasks(gateway: AwsGateway): Promise<M.ScheduledTask[]> {
  const [rules, schedules] = await Promise.all([
    collect(gateway.pages('events:ListRules', {})).then((pages) => pages.flatMap((p) => p.Rules ?? [])),
    collect(gateway.pages('scheduler:ListSchedules', {})).then((pages) => pages.flatMap((p) => p.Schedules ?? []).filter(targetsEcsCluster)),
  ]);
  // EventBridge has no batch form for targets, nor Scheduler for schedules: one call per rule or ECS schedule.
  const [fromRules, fromSchedules] = await Promise.all([
    mapLimit(rules, PER_ITEM_CONCURRENCY, async (rule) => {
      const pages = await collect(gateway.pages('events:ListTargetsByRule', { Rule: rule.Name! }));
      return rulesScheduledTasks(rule, pages.flatMap((p) => p.Targets ?? []));
    }),
    mapLimit(schedules, PER_ITEM_CONCURRENCY, async (summary) =>
      schedulesScheduledTask(await gateway.call('scheduler:GetSchedule', { Name: summary.Name!, GroupName: summary.GroupName })),
    ),
  ]);
  return [...fromRules.flat(), ...fromSchedules.flatMap((t) => t ?? [])];
}

/**
 * The KMS key of a secret, by the reference a task names. The account's secrets are listed with
 * ListSecrets (100 a page) rather than described one by one; a reference the list does not hold
 * (another account's secret, one that does not exist) is described on its own, as is every one
 * if the list cannot be read: the same answer, with more calls.
 */
function secretKeyReader(gateway: AwsGateway): (ref: string) => Promise<{ KmsKeyId?: string }> {
  let listing: Promise<Map<string, { KmsKeyId?: string }> | undefined> | undefined;
  const listed = () =>
    (listing ??= (async () => {
      const byArn = new Map<string, { KmsKeyId?: string }>();
      for await (const page of gateway.pages('secretsmanager:ListSecrets', { MaxResults: 100 })) {
        for (const secret of page.SecretList ?? []) {
          if (!secret.ARN) continue;
          byArn.set(secret.ARN, { KmsKeyId: secret.KmsKeyId });
          // A reference may leave out the six characters Secrets Manager appends to the name.
          const partial = secret.Name ? partialSecretArnOf(secret.ARN, secret.Name) : undefined;
          if (partial) byArn.set(partial, { KmsKeyId: secret.KmsKeyId });
        }
      }
      return byArn;
    })().catch(() => undefined));
  const describe = async (ref: string) => {
    const { KmsKeyId } = await gateway.call('secretsmanager:DescribeSecret', { SecretId: ref });
    return { KmsKeyId };
  };
  return memoized(async (ref) => {
    // "arn:…:secret:name-AbCdEf:json-key:stage:version" names the secret "arn:…:secret:name-AbCdEf".
    const secret = secretArnOf(ref);
    const found = secret ? (await listed())?.get(secret) : undefined;
    return found ?? describe(ref);
  });
}

/** A Secrets Manager secret of the target's region: its key is read with ListSecrets or DescribeSecret. */
function isRegionalSecret(region: string, ref: string): boolean {
  return isArnIn(ref, 'secretsmanager', region);
}

/** The KMS key of each secret a task names in this region: a customer key needs kms:Decrypt (IAM-05). */
async function loadSecretKeys(
  gateway: AwsGateway,
  definitions: Map<string, M.TaskDefinition>,
  describeSecret: (ref: string) => Promise<{ KmsKeyId?: string }>,
): Promise<Map<string, M.SecretKey>> {
  const refs = new Set<string>();
  for (const definition of definitions.values()) {
    for (const c of definition.containers) [...c.secretRefs, ...(c.repositoryCredentialsArn ? [c.repositoryCredentialsArn] : [])].forEach((r) => refs.add(r));
  }
  const secrets = [...refs].filter((r) => isRegionalSecret(gateway.region, r)).sort();
  const parameters = [...refs].filter((r) => isArnIn(r, 'ssm', gateway.region) || !isArn(r)).sort();
  const keys = new Map<string, M.SecretKey>();
  await mapLimit(secrets, PER_ITEM_CONCURRENCY, async (ref) => {
    try {
      const { KmsKeyId } = await describeSecret(ref);
      keys.set(ref, { kmsKeyId: KmsKeyId });
    } catch (error) {
      keys.set(ref, { error: (error as Error).message });
    }
  });
  // SSM answers for up to 50 names at once.
  const names = new Map(parameters.map((ref) => [parameterNameOf(ref), ref]));
  for (let i = 0; i < names.size; i += 50) {
    const batch = [...names.keys()].slice(i, i + 50);
    try {
      const pages = await collect(gateway.pages('ssm:DescribeParameters', { ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: batch }] }));
      for (const p of pages.flatMap((page) => page.Parameters ?? [])) {
        if (p.Name && names.has(p.Name)) keys.set(names.get(p.Name)!, { kmsKeyId: p.Type === 'SecureString' ? p.KeyId : undefined });
      }
    } catch (error) {
      for (const name of batch) keys.set(names.get(name)!, { error: (error as Error).message });
    }
  }
  return keys;
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

/**
 * The images the task definitions name, each read as soon as a definition naming it arrives rather
 * than after the last one, so that ECR's budget is drawn on while ECS's paces the definitions. One
 * DescribeImages per image: a batch per repository would have to wait for every definition, and
 * its contents would depend on the order they arrive in, which a replay must not. Another
 * account's repository policy, and the lifecycle policy of a repository an image is missing from,
 * are read once each.
 */
function imageReader(gateway: AwsGateway) {
  const images = new Map<string, Promise<M.ImageState>>();
  const keyOf = (ref: EcrImageReference) => `${ref.registryId}/${ref.repository}/${imageIdKey(imageIdOf(ref))}`;
  const policies = new Map<string, Promise<M.RepositoryPolicy>>();
  const lifecycles = memoized((key: string) => {
    const [registryId, ...name] = key.split('/');
    return lifecyclePolicyOf(gateway, registryId, name.join('/'));
  });
  const read = async (ref: EcrImageReference): Promise<M.ImageState> => {
    const state = await describeImage(gateway, ref);
    // A tag that is gone may have been expired by the repository's lifecycle policy: read it only then.
    if (state.state !== 'image not found') return state;
    const lifecycle = await lifecycles(`${ref.registryId}/${ref.repository}`);
    return lifecycle ? { ...state, lifecycle } : state;
  };
  return {
    /** An image a definition of account `owner` names: read if it is in this region's ECR. */
    want(image: string, owner: string | undefined): void {
      const ref = parseEcrImageReference(image);
      if (!ref || ref.region !== gateway.region) return;
      const key = keyOf(ref);
      if (!images.has(key)) {
        const state = read(ref);
        state.catch(() => undefined);
        images.set(key, state);
      }
      if (owner && ref.registryId !== owner) {
        const arn = ecrRepositoryArn(ref.region, ref.registryId, ref.repository);
        if (!policies.has(arn)) policies.set(arn, repositoryPolicyOf(gateway, ref));
      }
    },
    /** Every image asked for, once every read has ended. */
    async settled(): Promise<{ state(ref: EcrImageReference): M.ImageState | undefined; policies: Map<string, M.RepositoryPolicy> }> {
      const keys = [...images.keys()];
      const states = await Promise.all(images.values());
      const byKey = new Map(keys.map((key, i) => [key, states[i]]));
      const arns = [...policies.keys()];
      const read = await Promise.all(policies.values());
      return {
        state: (ref) => byKey.get(keyOf(ref)),
        policies: new Map(arns.map((arn, i) => [arn, read[i]])),
      };
    },
  };
}

async function loadImages(
  gateway: AwsGateway,
  definitions: Map<string, M.TaskDefinition>,
  denied: Denied,
  reader: ReturnType<typeof imageReader>,
): Promise<Pick<M.Inventory, 'images' | 'pullThroughCachePrefixes' | 'repositoryPolicies'>> {
  // Every definition was described through the reader; asking again costs nothing.
  for (const definition of definitions.values()) for (const container of definition.containers) reader.want(container.image, accountOf(definition.arn));
  const [read, pullThroughCachePrefixes] = await Promise.all([
    reader.settled(),
    unlessUnanswered(denied, 'ecr:DescribePullThroughCacheRules', () => pullThroughCacheRulePrefixes(gateway), []),
  ]);
  const images = new Map<string, M.ImageState>();
  for (const definition of definitions.values()) {
    for (const { image } of definition.containers) {
      const ref = parseEcrImageReference(image);
      const state = ref && ref.region === gateway.region ? read.state(ref) : undefined;
      if (state) images.set(image, state);
    }
  }
  return { images, pullThroughCachePrefixes, repositoryPolicies: read.policies };
}

/**
 * One image's state: ECR answers ImageNotFoundException for an image it does not hold, and
 * RepositoryNotFoundException for a repository that does not exist; any other failure (a denial,
 * no answer) leaves the image unknown, with the error.
 */
async function describeImage(gateway: AwsGateway, ref: EcrImageReference): Promise<M.ImageState> {
  const id = imageIdOf(ref);
  try {
    const out = await gateway.call('ecr:DescribeImages', { registryId: ref.registryId, repositoryName: ref.repository, imageIds: [id] });
    const detail = (out.imageDetails ?? []).find((d) => (id.imageDigest ? d.imageDigest === id.imageDigest : (d.imageTags ?? []).includes(id.imageTag!)));
    return detail ? presentImage(detail) : { state: 'image not found', message: `DescribeImages returned no image with ${describeImageId(id)}` };
  } catch (error) {
    const awsError = error instanceof ReadFailed ? error.awsError : undefined;
    const message = (error as Error).message;
    if (awsError === 'ImageNotFoundException') return { state: 'image not found', message };
    if (awsError === 'RepositoryNotFoundException') return { state: 'repository not found', message };
    return { state: 'unknown', error: message };
  }
}

/** The repository's lifecycle rules; none set is an answer (LifecyclePolicyNotFoundException); undefined when it cannot be read. */
async function lifecyclePolicyOf(gateway: AwsGateway, registryId: string, repositoryName: string): Promise<M.LifecyclePolicy | undefined> {
  try {
    const { lifecyclePolicyText } = await gateway.call('ecr:GetLifecyclePolicy', { registryId, repositoryName });
    return lifecyclePolicyText ? { rules: lifecycleRulesOf(lifecyclePolicyText) } : { none: true };
  } catch (error) {
    if (error instanceof ReadFailed && error.awsError === 'LifecyclePolicyNotFoundException') return { none: true };
    return undefined;
  }
}

function lifecycleRulesOf(text: string): M.LifecycleRule[] {
  type Rule = { rulePriority?: number; description?: string; selection?: Omit<M.LifecycleRule, 'rulePriority' | 'description' | 'action'>; action?: { type?: string } };
  const rules = ((JSON.parse(text) as { rules?: Rule[] }).rules ?? []);
  return rules.map((r) => ({ rulePriority: r.rulePriority ?? 0, description: r.description, ...r.selection, action: r.action?.type }));
}

function presentImage(detail: ImageDetail): M.ImageState {
  return {
    state: 'present',
    digest: detail.imageDigest ?? '',
    tags: detail.imageTags ?? [],
    ...(detail.imagePushedAt ? { pushedAt: new Date(detail.imagePushedAt).toISOString() } : {}),
    ...(detail.imageStatus ? { status: detail.imageStatus } : {}),
  };
}

/** Another account's repository policy: none set is an answer (RepositoryPolicyNotFoundException); a denial is kept as the error. */
async function repositoryPolicyOf(gateway: AwsGateway, ref: EcrImageReference): Promise<M.RepositoryPolicy> {
  try {
    const { policyText } = await gateway.call('ecr:GetRepositoryPolicy', { registryId: ref.registryId, repositoryName: ref.repository });
    return policyText ? { document: decodePolicy(policyText)! } : { none: true };
  } catch (error) {
    if (error instanceof ReadFailed && error.awsError === 'RepositoryPolicyNotFoundException') return { none: true };
    return { error: (error as Error).message };
  }
}

async function pullThroughCacheRulePrefixes(gateway: AwsGateway): Promise<string[]> {
  const pages = await collect(gateway.pages('ecr:DescribePullThroughCacheRules', {}));
  return pages.flatMap((p) => p.pullThroughCacheRules ?? []).flatMap((rule) => (rule.ecrRepositoryPrefix ? [rule.ecrRepositoryPrefix] : []));
}

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

async function loadNetwork(gateway: AwsGateway, denied: Denied) {
  const [vpcPages, subnetPages, tablePages, endpointPages, groupPages, aclPages, listPages, natPages, igwPages, flowLogPages] = await Promise.all([
    collect(gateway.pages('ec2:DescribeVpcs', {})),
    collect(gateway.pages('ec2:DescribeSubnets', {})),
    collect(gateway.pages('ec2:DescribeRouteTables', {})),
    collect(gateway.pages('ec2:DescribeVpcEndpoints', {})),
    collect(gateway.pages('ec2:DescribeSecurityGroups', {})),
    unlessDenied(denied, () => collect(gateway.pages('ec2:DescribeNetworkAcls', {})), []),
    collect(gateway.pages('ec2:DescribeManagedPrefixLists', {})),
    collect(gateway.pages('ec2:DescribeNatGateways', {})),
    collect(gateway.pages('ec2:DescribeInternetGateways', {})),
    unlessDenied(denied, () => collect(gateway.pages('ec2:DescribeFlowLogs', {})), []),
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

  const [dnsAttributes, listEntries, nameResolution] = await Promise.all([
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
    loadNameResolution(
      gateway,
      rawVpcs.map((v) => v.VpcId!),
      (operation, read, fallback) => unlessUnanswered(denied, operation, read, fallback),
    ),
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
        dhcpOptionsId: vpc.DhcpOptionsId,
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
    flowLogs: flowLogPages
      .flatMap((p) => p.FlowLogs ?? [])
      .map((f) => ({ id: f.FlowLogId!, resourceId: f.ResourceId!, trafficType: f.TrafficType, status: f.FlowLogStatus })),
    ...nameResolution,
  };
}

/** One call per key, started on first ask; a failure is held for whoever awaits it, never unhandled. */
function memoized<T>(read: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const started = new Map<string, Promise<T>>();
  return (key) => {
    let result = started.get(key);
    if (!result) {
      result = read(key);
      result.catch(() => undefined);
      started.set(key, result);
    }
    return result;
  };
}

async function loadEcs(gateway: AwsGateway, describeDefinition: (arn: string) => Promise<unknown>) {
  const clusterArns = (await collect(gateway.pages('ecs:ListClusters', { maxResults: 100 }))).flatMap((p) => p.clusterArns ?? []);
  const clusters: M.EcsCluster[] = (
    await mapLimit(chunk(clusterArns, 100), PER_ITEM_CONCURRENCY, (arns) => gateway.call('ecs:DescribeClusters', { clusters: arns }))
  )
    .flatMap((out) => out.clusters ?? [])
    .map((c) => ({ arn: c.clusterArn!, name: c.clusterName! }));

  const perCluster = await mapLimit(clusters, PER_ITEM_CONCURRENCY, async (cluster) => {
    // Services and tasks go their own ways: each batch is described as soon as its list is in, and
    // the definitions it names are asked for at once (describeDefinition starts each only once).
    const [serviceOutputs, taskOutputs, stopped] = await Promise.all([
      collect(gateway.pages('ecs:ListServices', { cluster: cluster.arn, maxResults: 100 })).then((pages) =>
        mapLimit(chunk(pages.flatMap((p) => p.serviceArns ?? []), 10), PER_ITEM_CONCURRENCY, async (arns) => {
          const out = await gateway.call('ecs:DescribeServices', { cluster: cluster.arn, services: arns, include: ['TAGS'] });
          for (const service of out.services ?? []) if (service.taskDefinition) void describeDefinition(service.taskDefinition);
          return out;
        }),
      ),
      collect(gateway.pages('ecs:ListTasks', { cluster: cluster.arn, desiredStatus: 'RUNNING', maxResults: 100 })).then((pages) =>
        mapLimit(chunk(pages.flatMap((p) => p.taskArns ?? []), 100), PER_ITEM_CONCURRENCY, async (arns) => {
          const out = await gateway.call('ecs:DescribeTasks', { cluster: cluster.arn, tasks: arns });
          for (const task of out.tasks ?? []) if (task.taskDefinitionArn) void describeDefinition(task.taskDefinitionArn);
          return out;
        }),
      ),
      readStoppedTasks(gateway, cluster),
    ]);
    return {
      services: serviceOutputs.flatMap((o) => o.services ?? []).map((s) => toEcsService(s, cluster)),
      tasks: taskOutputs.flatMap((o) => o.tasks ?? []).map(toEcsTask),
      stopped,
      serviceEvents: serviceOutputs.flatMap((o) => o.services ?? []).flatMap(toServiceEvents),
    };
  });
  const services = perCluster.flatMap((c) => c.services);
  const tasks = perCluster.flatMap((c) => c.tasks);

  return { clusters, services, tasks, stopped: perCluster.map((c) => c.stopped), serviceEvents: perCluster.flatMap((c) => c.serviceEvents) };
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
