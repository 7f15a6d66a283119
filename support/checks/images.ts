// IMG-01: every private ECR image of the task's region that a task definition names is in its
// repository (the tag or digest, as ecr:DescribeImages answers), and a repository of another
// account lets the execution role pull it (its repository policy, through the policy evaluator).
// A missing image is the most common CannotPullContainerError of all: a tag never pushed, or one a
// lifecycle policy expired. Images outside this region's ECR are not checked (their registries
// serve them; TD-03 checks the path), and an image a pull through cache rule creates on first pull
// is not a finding: both are said in a note.
import type { ImageState, Inventory, LifecyclePolicy, LifecycleRule, PolicyDocument, RepositoryPolicy, TaskDefinition } from '../inventory/model';
import { parseEcrImageReference, type EcrImageReference } from '../inventory/images';
import { evaluate, type Verdict } from '../policy/evaluate';
import { accountOf, ecrRepositoryArn, iamRoleArn, isArn } from '../util/arn';
import type { Workload } from '../workloads';
import { defineCheck, regionFlag, type Finding, type Fix } from './finding';
import { REGISTER_DEFINITION, reviseDefinition, runNewRevision } from '../fixes';

export const IMG_01 = defineCheck({
  id: 'IMG-01',
  title: "every ECR image the task definitions name exists, and other accounts' repositories let the execution role pull it",
  kinds: ['start'],
  severity: 'critical',
  network: false,
  evidence: 'configuration',
  risk: 'the task stops before its containers start: CannotPullContainerError: ... not found: manifest unknown (or 403 Forbidden from another account\'s repository)',
  remediation: 'push the image, or register a task definition revision naming a tag the repository holds; for another account\'s repository, allow the execution role to pull in its repository policy',
  // Without the rules only a missing image of the account's own registry is unverifiable (a rule may fetch it); the rest is judged.
  readsPerItem: ['ecr:DescribePullThroughCacheRules'],
  source: 'ECS troubleshooting, "CannotPullContainer task errors"; ECR documentation, "Private repository policies"',
});

/** What a task pulls an image with, besides ecr:GetAuthorizationToken (which has no resource): what another account's repository policy must allow. */
export const PULL_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'] as const;

const NOT_FOUND = 'CannotPullContainerError: ... not found: manifest unknown';

/** IMG-01 for one workload: one finding per container image that is missing or that another account's repository does not let its role pull. */
export async function imagesExist(inv: Inventory, workload: Workload): Promise<Finding[]> {
  const definition = inv.taskDefinitions.get(workload.taskDefinitionArn);
  if (!definition) return [];
  const findings: Finding[] = [];
  for (const container of definition.containers) {
    const ref = parseEcrImageReference(container.image);
    if (!ref || ref.region !== inv.region) continue;
    const image = { ref, image: container.image, container: container.name, definition, workload: workload.id, target: workload };
    const state = inv.images.get(container.image) ?? { state: 'unknown', error: 'ecr:DescribeImages was not read for this image' };
    const missing = imageFinding(inv, image, state);
    if (missing) findings.push(missing);
    const owner = accountOf(definition.arn) ?? inv.account;
    if (ref.registryId !== owner) {
      const denied = await crossAccountFinding(inv, image, owner);
      if (denied) findings.push(denied);
    }
  }
  return findings;
}

interface NamedImage {
  ref: EcrImageReference;
  /** As the container definition writes it. */
  image: string;
  container: string;
  definition: TaskDefinition;
  workload: string;
  /** The workload itself: its fix moves it to the new revision. */
  target: Workload;
}

function repositoryArnOf(ref: EcrImageReference): string {
  return ecrRepositoryArn(ref.region, ref.registryId, ref.repository);
}

/** "tag v2.4.1" or "digest sha256:…". */
function wanted(ref: EcrImageReference): string {
  return ref.digest ? `digest ${ref.digest}` : `tag ${ref.tag}`;
}

function resourceIdsOf(image: NamedImage): string[] {
  return [repositoryArnOf(image.ref), image.image, image.definition.arn, image.container];
}

/** The pull through cache rule prefix whose repositories this one belongs to, in the account's own registry. */
export function pullThroughCachePrefixOf(inv: Inventory, ref: EcrImageReference): string | undefined {
  if (ref.registryId !== inv.account) return undefined;
  // ROOT: an ECR to ECR rule for every repository without a rule of its own (ECR User Guide, "Customizing repository prefixes").
  return inv.pullThroughCachePrefixes.find((prefix) => ref.repository.startsWith(`${prefix}/`)) ?? inv.pullThroughCachePrefixes.find((prefix) => prefix === 'ROOT');
}

/** Why the account's pull through cache rules are unknown (denied, or not in the snapshot); undefined when they were read. */
function unreadCacheRules(inv: Inventory): string | undefined {
  return inv.denied?.get('ecr:DescribePullThroughCacheRules');
}

function imageFinding(inv: Inventory, image: NamedImage, state: ImageState): Finding | undefined {
  const { ref } = image;
  const base = { checkId: 'IMG-01' as const, kind: 'start' as const, workload: image.workload, resourceIds: resourceIdsOf(image) };
  const where = `${ref.repository} (registry ${ref.registryId}, ${ref.region})`;
  if (state.state === 'present') {
    // An image in ECR's archive storage class cannot be pulled (404) until it is restored (ECR User Guide, "Archiving an image").
    if (state.status !== 'ARCHIVED' && state.status !== 'ACTIVATING') return undefined;
    return {
      ...base,
      problem: `${image.workload} pulls ${image.image} (container ${image.container} of ${image.definition.family}:${image.definition.revision}): the image with ${wanted(ref)} in repository ${where} is ${state.status === 'ARCHIVED' ? 'archived' : 'still being restored from the archive'}`,
      expected: `the image with ${wanted(ref)} is in ${ref.repository}'s standard storage (status ACTIVE)`,
      impact: `${NOT_FOUND}: an archived image cannot be pulled until it is restored`,
      fix: {
        console: `ECR → Private registry → Repositories → ${ref.repository} → Archived images → ${ref.tag ?? ref.digest} → Restore`,
        cli: `aws ecr update-image-storage-class --registry-id ${ref.registryId} --repository-name ${ref.repository} --image-id ${imageIdFlag(ref)} --target-storage-class STANDARD ${regionFlag(ref.region)}`,
      },
    };
  }
  // A repository a pull through cache rule fills gets the image on the next pull, there or not.
  if (state.state === 'unknown' && pullThroughCachePrefixOf(inv, ref)) return undefined;
  if (state.state === 'unknown') {
    return {
      ...base,
      problem: `whether ${image.image} (container ${image.container} of ${image.definition.family}:${image.definition.revision}) is in repository ${where} cannot be verified`,
      expected: `ecr:DescribeImages on ${repositoryArnOf(ref)} answers for the image`,
      impact: NOT_FOUND,
      fix: describeImagesFix(ref),
      notEvaluated: `ecr:DescribeImages could not be read for ${repositoryArnOf(ref)}${ref.registryId !== inv.account ? ` (registry ${ref.registryId}: its repository policy must grant ecr:DescribeImages to the identity running the suite)` : ''}: ${state.error}`,
    };
  }
  if (pullThroughCachePrefixOf(inv, ref)) return undefined;
  const repositoryMissing = state.state === 'repository not found';
  // Any repository of the account's own registry may be one a rule fills on the next pull (a ROOT rule: every one).
  const rulesUnread = ref.registryId === inv.account ? unreadCacheRules(inv) : undefined;
  if (rulesUnread) {
    return {
      ...base,
      problem: `${image.workload} pulls ${image.image} (container ${image.container} of ${image.definition.family}:${image.definition.revision}), which ${repositoryMissing ? `registry ${ref.registryId} has no repository for` : `repository ${where} does not hold`}: whether a pull through cache rule fetches it on the next pull cannot be verified`,
      expected: `repository ${ref.repository} holds the image with ${wanted(ref)}, or a pull through cache rule of registry ${ref.registryId} covers ${ref.repository}`,
      impact: `${NOT_FOUND}: every task of ${image.workload} stops before it starts, unless a pull through cache rule fetches it`,
      fix: repositoryMissing ? createRepositoryFix(image) : pushOrReviseFix(inv, image, image.target, state.state === 'image not found' && !!state.lifecycle?.rules?.length),
      notEvaluated: `ecr:DescribePullThroughCacheRules could not be read for registry ${ref.registryId}: ${rulesUnread}`,
    };
  }
  return {
    ...base,
    problem: repositoryMissing
      ? `${image.workload} pulls ${image.image} (container ${image.container} of ${image.definition.family}:${image.definition.revision}), but registry ${ref.registryId} has no repository ${ref.repository} in ${ref.region}`
      : `${image.workload} pulls ${image.image} (container ${image.container} of ${image.definition.family}:${image.definition.revision}), but repository ${where} holds no image with ${wanted(ref)}: ${whyGone(state.state === 'image not found' ? state.lifecycle : undefined, ref)}`,
    expected: `repository ${ref.repository} holds the image with ${wanted(ref)}`,
    impact: `${NOT_FOUND}: every task of ${image.workload} stops before it starts`,
    fix: repositoryMissing ? createRepositoryFix(image) : pushOrReviseFix(inv, image, image.target, state.state === 'image not found' && !!state.lifecycle?.rules?.length),
  };
}

/** Why the image may be gone: the lifecycle rules that could have expired it, or no lifecycle policy at all. */
function whyGone(lifecycle: LifecyclePolicy | undefined, ref: EcrImageReference): string {
  if (!lifecycle) return 'never pushed, or expired by a lifecycle policy';
  if (!lifecycle.rules) return 'the repository has no lifecycle policy, so it was never pushed, or was deleted';
  const applying = lifecycle.rules.filter((rule) => ruleMayApply(rule, ref));
  if (applying.length === 0) return 'never pushed, or deleted (no rule of its lifecycle policy selects it)';
  return `never pushed, or removed by its lifecycle policy: ${applying.map(describeRule).join('; ')}`;
}

/** Whether a lifecycle rule selects images with this tag (any rule may have selected an image asked for by digest). */
function ruleMayApply(rule: LifecycleRule, ref: EcrImageReference): boolean {
  if (!ref.tag || rule.tagStatus === 'any') return true;
  if (rule.tagStatus !== 'tagged') return false;
  const patterns = [...(rule.tagPrefixList ?? []).map((prefix) => `${prefix}*`), ...(rule.tagPatternList ?? [])];
  return patterns.some((pattern) => new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(ref.tag!));
}

function describeRule(rule: LifecycleRule): string {
  const what = rule.tagStatus === 'tagged' ? `images tagged ${[...(rule.tagPrefixList ?? []).map((p) => `${p}*`), ...(rule.tagPatternList ?? [])].join(', ')}` : rule.tagStatus === 'untagged' ? 'untagged images' : 'any image';
  const when =
    rule.countType === 'imageCountMoreThan'
      ? `beyond the ${rule.countNumber} most recent`
      : rule.countType === 'sinceImagePushed'
        ? `pushed more than ${rule.countNumber} ${rule.countUnit ?? 'days'} ago`
        : `${rule.countType ?? ''} ${rule.countNumber ?? ''} ${rule.countUnit ?? ''}`.trim();
  return `rule ${rule.rulePriority}${rule.description ? ` ("${rule.description}")` : ''} ${rule.action === 'transition' ? 'archives' : 'expires'} ${what} ${when}`;
}

function imageIdFlag(ref: EcrImageReference): string {
  return ref.digest ? `imageDigest=${ref.digest}` : `imageTag=${ref.tag}`;
}

function describeImagesFix(ref: EcrImageReference): Fix {
  return {
    console: `ECR → Private registry → Repositories → ${ref.repository} → Images`,
    cli: `aws ecr describe-images --registry-id ${ref.registryId} --repository-name ${ref.repository} --image-ids ${imageIdFlag(ref)} ${regionFlag(ref.region)}`,
  };
}

/** The most recently pushed tag of the repository that the inventory saw (images other definitions name), if any. */
function newestKnownTag(inv: Inventory, ref: EcrImageReference): string | undefined {
  let newest: { tag: string; pushedAt: string } | undefined;
  for (const [name, state] of inv.images) {
    const other = parseEcrImageReference(name);
    if (state.state !== 'present' || !other || other.registryId !== ref.registryId || other.repository !== ref.repository || other.region !== ref.region) continue;
    if (state.status === 'ARCHIVED' || state.status === 'ACTIVATING' || state.tags.length === 0) continue;
    const pushedAt = state.pushedAt ?? '';
    if (!newest || pushedAt > newest.pushedAt) newest = { tag: other.tag && state.tags.includes(other.tag) ? other.tag : state.tags[0], pushedAt };
  }
  return newest?.tag;
}

/**
 * Push the image, or run a revision naming one the repository holds: IMAGE (the newest tag the
 * inventory knows, else the newest tagged image ECR lists), the definition without the fields
 * register-task-definition refuses, registered, then the service (or the scheduled task's target)
 * moved to it. One command line that runs as pasted; what it assumes is said after the #.
 */
function pushOrReviseFix(inv: Inventory, image: NamedImage, workload: Workload | undefined, lifecycle: boolean): Fix {
  const { ref, definition } = image;
  const region = regionFlag(ref.region);
  const repositoryUri = `${ref.registryId}.dkr.ecr.${ref.region}.amazonaws.com/${ref.repository}`;
  const known = newestKnownTag(inv, ref);
  const setImage = known
    ? `IMAGE=${repositoryUri}:${known}`
    : `IMAGE=${repositoryUri}:$(aws ecr describe-images --registry-id ${ref.registryId} --repository-name ${ref.repository} --query 'sort_by(imageDetails[?imageTags], &imagePushedAt)[-1].imageTags[0]' --output text ${region}) && test "\${IMAGE##*:}" != None`;
  const revise = reviseDefinition(definition, `(.containerDefinitions[] | select(.name == "${image.container}") | .image) = $image`, region, '--arg image "$IMAGE"');
  const { run, note } = runNewRevision(workload, definition.family, REGISTER_DEFINITION(region), region);
  const rules = lifecycle ? `; keep it from expiring again: aws ecr get-lifecycle-policy --registry-id ${ref.registryId} --repository-name ${ref.repository} ${region}` : '';
  return {
    console: `ECR → Private registry → Repositories → ${ref.repository} → Images: push ${ref.tag ? `tag ${ref.tag}` : ref.digest}, or ECS → Task definitions → ${definition.family} → Create new revision naming an image the repository holds${workload?.service ? `, then ECS → Clusters → ${workload.clusterName} → Services → ${workload.service.name} → Update → that revision` : workload?.scheduledTask ? `, then point the ${workload.scheduledTask.source} ${workload.scheduledTask.name} at it` : ''}`,
    cli:
      `${setImage} && ${revise} && ${run}  # IMAGE: ${known ? `the newest tag of ${ref.repository} the task definitions name` : `the newest tagged image of ${ref.repository}`}; set it to the tag to run, ` +
      `or push the missing one instead (docker push ${image.image})${note ? `; ${note}` : ''}${rules}`,
  };
}

function createRepositoryFix(image: NamedImage): Fix {
  const { ref } = image;
  return {
    console: `ECR → Private registry → Repositories → Create repository → ${ref.repository}, then push ${image.image}`,
    cli: `aws ecr describe-repositories --registry-id ${ref.registryId} --repository-names ${ref.repository} ${regionFlag(ref.region)}  # confirm; then aws ecr create-repository --repository-name ${ref.repository} ${regionFlag(ref.region)} (in account ${ref.registryId}) and docker push ${image.image}`,
  };
}

/** The role ARN a definition names (ECS also takes a bare role name in the definition's account). */
function executionRoleOf(definition: TaskDefinition, region: string, owner: string): string | undefined {
  const role = definition.executionRoleArn;
  if (!role) return undefined;
  return isArn(role) ? role : iamRoleArn(region, owner, role);
}

/**
 * Another account's repository: its policy must let the execution role pull. Only the repository
 * policy is asked here (the role's own policies are IAM-02's question), so the role is given an
 * identity policy that allows the pull and the verdict is the repository policy's.
 */
async function crossAccountFinding(inv: Inventory, image: NamedImage, owner: string): Promise<Finding | undefined> {
  const { ref, definition } = image;
  const role = executionRoleOf(definition, ref.region, owner);
  // Without an execution role nothing is pulled with credentials: IAM-01 names the missing role.
  if (!role) return undefined;
  const repositoryArn = repositoryArnOf(ref);
  const policy: RepositoryPolicy = inv.repositoryPolicies.get(repositoryArn) ?? { error: 'ecr:GetRepositoryPolicy was not read for this repository' };
  const base = { checkId: 'IMG-01' as const, kind: 'start' as const, workload: image.workload, resourceIds: [...resourceIdsOf(image), role] };
  const about = `${image.workload} pulls ${image.image} from repository ${ref.repository} of account ${ref.registryId} with execution role ${role}`;
  const expected = `the repository policy of ${repositoryArn} allows ${role} ${PULL_ACTIONS.join(', ')}`;
  const impact = `CannotPullContainerError: ... 403 Forbidden (not authorized to perform ecr:BatchGetImage on ${repositoryArn}): every task of ${image.workload} stops before it starts`;
  if ('error' in policy && policy.error) {
    return {
      ...base,
      problem: `${about}: whether its repository policy allows the pull cannot be verified`,
      expected,
      impact,
      // Its policy is unknown: set-repository-policy would replace it, so read it first.
      fix: {
        console: `in account ${ref.registryId}: ECR → Private registry → Repositories → ${ref.repository} → Permissions`,
        cli: `aws ecr get-repository-policy --registry-id ${ref.registryId} --repository-name ${ref.repository} ${regionFlag(ref.region)}  # run in account ${ref.registryId}`,
      },
      notEvaluated: `ecr:GetRepositoryPolicy could not be read for ${repositoryArn} (registry ${ref.registryId}): ${policy.error}`,
    };
  }
  if (!policy.document) {
    return { ...base, problem: `${about}, but the repository has no repository policy: another account's role may not pull without one`, expected, impact, fix: policyFix(ref, role, undefined) };
  }
  const verdicts = await Promise.all(PULL_ACTIONS.map((action) => repositoryPolicyAllows(policy.document!, repositoryArn, ref.registryId, role, action)));
  const failing = verdicts.map((verdict, i) => ({ verdict, action: PULL_ACTIONS[i] })).filter(({ verdict }) => verdict.decision !== 'allowed');
  if (failing.length === 0) return undefined;
  const why = [...new Set(failing.map(({ verdict }) => whyNot(verdict)))].join('; ');
  // An Allow added beside a Deny that applies changes nothing: the Deny must go, or exclude the role.
  const denying = [...new Set(failing.filter(({ verdict }) => verdict.reason === 'explicit-deny').flatMap(({ verdict }) => verdict.statements.map((st) => (st.sid ? `"${st.sid}"` : `#${st.index}`))))];
  const fix = denying.length ? denyFix(ref, role, denying) : policyFix(ref, role, policy.document);
  return { ...base, problem: `${about}, but its repository policy does not allow ${failing.map((f) => f.action).join(', ')} for the role: ${why}`, expected, impact, fix };
}

function denyFix(ref: EcrImageReference, role: string, statements: string[]): Fix {
  return {
    console: `in account ${ref.registryId}: ECR → Private registry → Repositories → ${ref.repository} → Permissions → Edit policy JSON → remove ${role} from Deny statement ${statements.join(', ')}`,
    cli: `aws ecr get-repository-policy --registry-id ${ref.registryId} --repository-name ${ref.repository} --query policyText --output text ${regionFlag(ref.region)} > policy.json  # run in account ${ref.registryId}; edit Deny statement ${statements.join(', ')} of policy.json so that it no longer applies to ${role}, then aws ecr set-repository-policy --registry-id ${ref.registryId} --repository-name ${ref.repository} --policy-text file://policy.json ${regionFlag(ref.region)}`,
  };
}

/** Why the repository policy does not let the role pull, in one phrase. */
function whyNot(verdict: Verdict): string {
  const statements = verdict.statements.map((st) => (st.sid ? `"${st.sid}"` : `#${st.index}`)).join(', ');
  if (verdict.reason === 'implicit-deny') return 'no statement of the repository policy allows the role';
  if (verdict.reason === 'explicit-deny') return `its Deny statement ${statements} applies to the role`;
  if (verdict.decision === 'conditional') return `only conditionally: ${verdict.requires ?? verdict.summary}`;
  return verdict.summary;
}

function repositoryPolicyAllows(document: PolicyDocument, repositoryArn: string, registryId: string, role: string, action: string): Promise<Verdict> {
  return evaluate({
    principal: role,
    action,
    resource: repositoryArn,
    resourceAccount: registryId,
    identityPolicies: [{ name: "the execution role's own policies (IAM-02 evaluates them)", document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: repositoryArn }] } }],
    resourcePolicy: { name: `repository policy of ${repositoryArn}`, document },
  });
}

/** The repository policy with a statement letting the role pull: set in the owning account (set-repository-policy replaces the whole policy). */
export function policyFix(ref: EcrImageReference, role: string, current: PolicyDocument | undefined): Fix {
  const statements = current ? (Array.isArray(current.Statement) ? current.Statement : [current.Statement]) : [];
  // Statement IDs must be unique within the policy.
  const sids = new Set(statements.map((st) => (st as { Sid?: string }).Sid));
  let sid = 'AllowPullByExecutionRole';
  for (let n = 2; sids.has(sid); n++) sid = `AllowPullByExecutionRole${n}`;
  const policy = {
    Version: current?.Version ?? '2012-10-17',
    Statement: [...statements, { Sid: sid, Effect: 'Allow', Principal: { AWS: role }, Action: [...PULL_ACTIONS] }],
  };
  return {
    console: `in account ${ref.registryId}: ECR → Private registry → Repositories → ${ref.repository} → Permissions → Edit policy JSON → allow ${role} ${PULL_ACTIONS.join(', ')}`,
    cli: `aws ecr set-repository-policy --registry-id ${ref.registryId} --repository-name ${ref.repository} --policy-text ${shellQuote(JSON.stringify(policy))} ${regionFlag(ref.region)}  # run in account ${ref.registryId}: the existing statements and the new one`,
  };
}

/** One shell word, whatever it holds: single quotes, a quote inside written '\''. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * What IMG-01 leaves out, once per scenario: images outside this region's ECR (not checked), and
 * images a pull through cache rule creates on their first pull (not a finding).
 */
export function imageNotes(inv: Inventory, workloads: readonly Workload[]): string[] {
  const outside = new Map<string, Set<string>>();
  const cached = new Map<string, { prefix: string; workloads: Set<string> }>();
  for (const workload of workloads) {
    const definition = inv.taskDefinitions.get(workload.taskDefinitionArn);
    for (const container of definition?.containers ?? []) {
      const ref = parseEcrImageReference(container.image);
      if (!ref || ref.region !== inv.region) {
        outside.set(container.image, (outside.get(container.image) ?? new Set()).add(workload.id));
        continue;
      }
      const prefix = pullThroughCachePrefixOf(inv, ref);
      const state = inv.images.get(container.image);
      if (prefix && state && (state.state === 'image not found' || state.state === 'repository not found')) {
        const entry = cached.get(container.image) ?? { prefix, workloads: new Set<string>() };
        entry.workloads.add(workload.id);
        cached.set(container.image, entry);
      }
    }
  }
  const notes: string[] = [];
  if (outside.size) {
    const list = [...outside].map(([image, ws]) => `${image} (${[...ws].join(', ')})`).join(', ');
    notes.push(`note: IMG-01 checks the images of ECR in ${inv.region} only, not those of other registries or regions (TD-03 checks the way there): ${list}`);
  }
  for (const [image, { prefix, workloads: ws }] of cached) {
    notes.push(
      `note: ${image} (${[...ws].join(', ')}) is not in ECR now: the pull through cache rule "${prefix}" fetches it from its upstream registry on the next pull, so IMG-01 does not count it as missing (that pull needs ecr:BatchImportUpstreamImage, and ecr:CreateRepository while the repository does not exist)`,
    );
  }
  return notes;
}
