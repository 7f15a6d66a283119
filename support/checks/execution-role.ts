// IAM-01..IAM-05: the task execution role exists, ECS may assume it, and its effective permissions
// allow what the task definition needs before the task starts (the ECR pull, the log stream, env
// files, secrets and their keys). Evaluation is IAM's (support/policy): explicit deny wins,
// wildcards, NotAction, boundaries; an undecidable condition is "conditional", never a pass.
import type { Inventory, TaskDefinition } from '../inventory/model';
import { roleAllows, roleTrusts, findRole, type RoleVerdict } from '../policy/role';
import type { Workload } from '../workloads';
import { awsManagedPolicyArn, bucketArnOf, iamRoleArn, ecrRepositoryArn, ecsArn, isArn, kmsKeyArn, logGroupArn, logStreamArn, resourceNameOf, secretArnOf, ssmParameterArn } from '../util/arn';
import { parseEcrImage } from '../needs';
import { defineCheck, regionFlag, type Check, type Finding, type Fix } from './finding';
import { newRevisionCli } from '../fixes';
import type { CheckId } from './ids';

/** The execution role and its policies come from IAM: without these reads no IAM check can be evaluated. */
const IAM_READS = ['iam:GetAccountAuthorizationDetails', 'iam:GetPolicy', 'iam:GetPolicyVersion'] as const;
const info = (id: CheckId, title: string, risk: string, remediation: string, source: string): Check =>
  defineCheck({ id, title, kinds: ['start'], severity: 'critical', network: false, evidence: 'policy evaluator', risk, remediation, reads: IAM_READS, source });

export const IAM_01 = info(
  'IAM-01',
  'the task execution role exists and trusts ecs-tasks.amazonaws.com',
  'ECS cannot assume the role: tasks fail with ResourceInitializationError before pulling anything',
  "add ecs-tasks.amazonaws.com to the role's trust policy, keeping its aws:SourceAccount / aws:SourceArn conditions",
  'seed 000 checklist 6',
);
export const IAM_02 = info('IAM-02', 'the execution role allows the four ECR pull actions for the images used', 'CannotPullContainerError: AccessDeniedException from ECR', 'attach AmazonECSTaskExecutionRolePolicy, or allow the four ECR actions on the repositories', 'seeds 000, 002 step 6');
export const IAM_03 = info('IAM-03', 'the execution role allows logs:CreateLogStream and logs:PutLogEvents when awslogs is used', 'ResourceInitializationError: failed to validate logger args (AccessDenied on CreateLogStream)', 'attach AmazonECSTaskExecutionRolePolicy, or allow the log actions on the log group', 'ECS documentation');
export const IAM_04 = info('IAM-04', 'the execution role allows s3:GetObject and s3:GetBucketLocation on every env file', 'ResourceInitializationError: failed to download env files (AccessDenied)', 'allow s3:GetObject on each env file and s3:GetBucketLocation on its bucket', 'seed 004');
export const IAM_05 = info('IAM-05', 'the execution role allows reading every secret, and kms:Decrypt where a customer key is named', 'ResourceInitializationError: unable to pull secrets or registry auth (AccessDenied)', 'allow secretsmanager:GetSecretValue / ssm:GetParameters on each secret, and kms:Decrypt on its customer key', 'seed 002');
export const IAM_CHECKS = [IAM_01, IAM_02, IAM_03, IAM_04, IAM_05];

const ECR_PULL = ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'];

/** AmazonECSTaskExecutionRolePolicy, in the inventory's partition. */
function executionPolicyArn(inv: Inventory): string {
  return awsManagedPolicyArn(inv.region, 'service-role/AmazonECSTaskExecutionRolePolicy');
}

/** One permission the task needs: an action on a resource, and why. */
interface Need {
  action: string;
  resource: string;
  why: string;
}

function definitionOf(inv: Inventory, workload: Workload): TaskDefinition | undefined {
  return inv.taskDefinitions.get(workload.taskDefinitionArn);
}

/** ECR: GetAuthorizationToken has no resource; the other three act on each repository. */
export function ecrPullNeeds(definition: TaskDefinition): Need[] {
  const needs: Need[] = [];
  for (const c of definition.containers) {
    const ecr = parseEcrImage(c.image);
    if (!ecr) continue;
    const repository = ecrRepositoryArn(ecr.region, ecr.account, ecr.repository);
    const why = `image ${c.image} (container ${c.name})`;
    needs.push({ action: ECR_PULL[0], resource: '*', why });
    for (const action of ECR_PULL.slice(1)) needs.push({ action, resource: repository, why });
  }
  return needs;
}

export function logNeeds(inv: Inventory, definition: TaskDefinition): Need[] {
  return definition.containers.flatMap((c) => {
    const group = c.logOptions['awslogs-group'];
    if (c.logDriver !== 'awslogs' || !group) return [];
    const region = c.logOptions['awslogs-region'] ?? inv.region;
    const stream = logStreamArn(region, inv.account, group);
    const why = `awslogs to ${group} (container ${c.name})`;
    const create = c.logOptions['awslogs-create-group'] === 'true' ? [{ action: 'logs:CreateLogGroup', resource: logGroupArn(region, inv.account, group), why }] : [];
    return [...create, { action: 'logs:CreateLogStream', resource: stream, why }, { action: 'logs:PutLogEvents', resource: stream, why }];
  });
}

export function envFileNeeds(definition: TaskDefinition): Need[] {
  return definition.containers.flatMap((c) =>
    c.environmentFileArns.flatMap((file) => [
      { action: 's3:GetObject', resource: file, why: `env file ${file} (container ${c.name})` },
      { action: 's3:GetBucketLocation', resource: bucketArnOf(file), why: `env file ${file} (container ${c.name})` },
    ]),
  );
}

/** Secrets Manager secrets and SSM parameters (and private registry credentials), with their customer keys. */
export function secretNeeds(inv: Inventory, definition: TaskDefinition): { needs: Need[]; unknownKeys: string[] } {
  const needs: Need[] = [];
  const unknownKeys: string[] = [];
  for (const c of definition.containers) {
    const refs = [...c.secretRefs.map((r) => [r, `secret ${r}`]), ...(c.repositoryCredentialsArn ? [[c.repositoryCredentialsArn, 'private registry credentials']] : [])];
    for (const [ref, what] of refs) {
      const why = `${what} (container ${c.name})`;
      const secret = secretArnOf(ref);
      needs.push(secret ? { action: 'secretsmanager:GetSecretValue', resource: secret, why } : { action: 'ssm:GetParameters', resource: parameterArn(inv, ref), why });
      const key = inv.secretKeys.get(ref);
      if (key && 'error' in key) unknownKeys.push(`${ref}: ${key.error}`);
      else if (key?.kmsKeyId && !/alias\/aws\//.test(key.kmsKeyId)) needs.push({ action: 'kms:Decrypt', resource: keyArn(inv, key.kmsKeyId), why: `${why}, encrypted with a customer key` });
    }
  }
  return { needs, unknownKeys };
}

function parameterArn(inv: Inventory, ref: string): string {
  return isArn(ref) ? ref : ssmParameterArn(inv.region, inv.account, ref);
}

/** DescribeSecret gives a key ID, an alias or an ARN; IAM policies name key ARNs. */
function keyArn(inv: Inventory, key: string): string {
  return isArn(key) ? key : kmsKeyArn(inv.region, inv.account, key);
}

/** IAM-01: the role exists and ECS may assume it. A task that needs no role (public image, no logs) needs no check. */
export async function executionRoleTrusted(inv: Inventory, workload: Workload): Promise<Finding[]> {
  const definition = definitionOf(inv, workload);
  if (!definition) return [missingDefinition(workload, 'IAM-01')];
  const needsRole = ecrPullNeeds(definition).length + logNeeds(inv, definition).length + envFileNeeds(definition).length + secretNeeds(inv, definition).needs.length > 0;
  const arn = definition.executionRoleArn;
  if (!arn) {
    if (!needsRole) return [];
    return [
      {
        checkId: 'IAM-01',
        kind: 'start',
        workload: workload.id,
        resourceIds: [definition.arn],
        problem: `task definition ${definition.family}:${definition.revision} has no executionRoleArn, but it pulls from ECR, logs to CloudWatch or reads secrets`,
        expected: 'an execution role on the task definition',
        impact: IAM_01.risk,
        fix: {
          console: `ECS → Task definitions → ${definition.family} → Create new revision → Task execution role → ecsTaskExecutionRole`,
          cli: `ROLE=${iamRoleArn(inv.region, inv.account, 'ecsTaskExecutionRole')} && ${newRevisionCli(workload, definition, '.executionRoleArn = $role', regionFlag(inv.region), '--arg role "$ROLE"')}  # ROLE: a role that trusts ecs-tasks.amazonaws.com and has AmazonECSTaskExecutionRolePolicy`,
        },
      },
    ];
  }
  if (!findRole(inv, arn)) {
    return [
      {
        checkId: 'IAM-01',
        kind: 'start',
        workload: workload.id,
        resourceIds: [arn],
        problem: `execution role ${arn} does not exist in ${inv.account}`,
        expected: `role ${resourceNameOf(arn)} exists`,
        impact: IAM_01.risk,
        fix: {
          console: `IAM → Roles → Create role → AWS service: Elastic Container Service Task → ${resourceNameOf(arn)} with AmazonECSTaskExecutionRolePolicy`,
          cli: `aws iam create-role --role-name ${resourceNameOf(arn)} --assume-role-policy-document '${JSON.stringify({ Version: '2012-10-17', Statement: [ecsTrustStatement(inv)] })}' && aws iam attach-role-policy --role-name ${resourceNameOf(arn)} --policy-arn ${executionPolicyArn(inv)}`,
        },
      },
    ];
  }
  const verdict = await roleTrusts(inv, arn, undefined, { ecs: { region: inv.region, account: inv.account, cluster: workload.clusterName, taskDefinitionArn: definition.arn } });
  if (verdict.decision === 'allowed') return [];
  const role = findRole(inv, arn)!;
  return [
    {
      checkId: 'IAM-01',
        kind: 'start',
      workload: workload.id,
      resourceIds: [arn],
      problem: `${verdict.decision === 'conditional' ? 'only conditionally: ' : ''}the trust policy of ${resourceNameOf(arn)} does not let ecs-tasks.amazonaws.com assume it: ${verdict.summary}`,
      expected: `${resourceNameOf(arn)} trusts ecs-tasks.amazonaws.com (sts:AssumeRole)`,
      impact: IAM_01.risk,
      fix: trustFix(inv, resourceNameOf(arn), role.trustPolicy, verdict.reason === 'explicit-deny'),
    },
  ];
}

/** AWS's recommended trust statement for task roles: ECS may assume it, for this account's tasks of this region only (confused-deputy protection). */
function ecsTrustStatement(inv: Inventory) {
  return {
    Effect: 'Allow',
    Principal: { Service: 'ecs-tasks.amazonaws.com' },
    Action: 'sts:AssumeRole',
    Condition: { ArnLike: { 'aws:SourceArn': ecsArn(inv.region, inv.account, '*') }, StringEquals: { 'aws:SourceAccount': inv.account } },
  };
}

/**
 * The trust fix keeps every statement the role has (never drops a condition) and adds AWS's
 * recommended statement; an explicit Deny is for a person to narrow, so it is pointed at, not removed.
 */
function trustFix(inv: Inventory, role: string, current: { Version?: string; Statement?: unknown } | undefined, denied: boolean): Fix {
  if (denied) {
    return {
      console: `IAM → Roles → ${role} → Trust relationships → Edit trust policy → narrow the Deny that applies to ecs-tasks.amazonaws.com`,
      cli: `aws iam get-role --role-name ${role} --query Role.AssumeRolePolicyDocument > trust.json  # narrow the Deny, then aws iam update-assume-role-policy --role-name ${role} --policy-document file://trust.json`,
    };
  }
  const statements = current?.Statement === undefined ? [] : Array.isArray(current.Statement) ? current.Statement : [current.Statement];
  const document = { Version: current?.Version ?? '2012-10-17', Statement: [...statements, ecsTrustStatement(inv)] };
  return {
    console: `IAM → Roles → ${role} → Trust relationships → Edit trust policy → add a statement allowing Service ecs-tasks.amazonaws.com sts:AssumeRole with aws:SourceAccount ${inv.account} and aws:SourceArn ${ecsArn(inv.region, inv.account, '*')}`,
    cli: `aws iam update-assume-role-policy --role-name ${role} --policy-document '${JSON.stringify(document)}'`,
  };
}

function missingDefinition(workload: Workload, checkId: CheckId): Finding {
  return {
    checkId,
    kind: 'start',
    workload: workload.id,
    resourceIds: [workload.taskDefinitionArn],
    problem: `task definition ${workload.taskDefinitionArn} is not in the inventory, so the execution role cannot be verified`,
    expected: 'a task definition ECS can describe',
    impact: 'the suite cannot tell whether the task can start',
    fix: { console: 'ECS → Task definitions', cli: `aws ecs describe-task-definition --task-definition ${workload.taskDefinitionArn}` },
  };
}

/** Evaluates every need against the role and turns what it does not allow into findings, one per role, policy decision and resource. */
async function permissionFindings(inv: Inventory, workload: Workload, check: Check, needs: Need[], preferredFix?: (role: string) => Fix): Promise<Finding[]> {
  const definition = definitionOf(inv, workload);
  if (!definition) return [missingDefinition(workload, check.id)];
  const role = definition.executionRoleArn;
  if (needs.length === 0) return [];
  if (!role) return []; // IAM-01 reports a missing role
  const verdicts: [Need, RoleVerdict][] = [];
  for (const need of needs) verdicts.push([need, await roleAllows(inv, role, need.action, need.resource)]);
  const failing = verdicts.filter(([, v]) => v.decision !== 'allowed');
  // Group the actions a role lacks on one resource, for the same reason, into one offender.
  const groups = new Map<string, [Need, RoleVerdict][]>();
  for (const entry of failing) {
    const [need, verdict] = entry;
    const key = `${need.resource}\n${verdict.decision}\n${verdict.reason}\n${verdict.statements.map((s) => `${s.policy}#${s.index}`).join(',')}`;
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return [...groups.values()].map((entries) => {
    const [need, verdict] = entries[0];
    const actions = [...new Set(entries.map(([n]) => n.action))];
    const name = resourceNameOf(role);
    const deny = verdict.reason === 'explicit-deny' ? verdict.statements.find((s) => s.effect === 'Deny') : undefined;
    const how =
      verdict.decision === 'conditional'
        ? `only conditionally (${verdict.requires ?? verdict.reason}): `
        : deny
          ? `an explicit Deny in ${deny.policy} (statement ${deny.sid ?? `#${deny.index}`}) blocks `
          : 'no policy allows ';
    return {
      checkId: check.id,
      kind: 'start',
      workload: workload.id,
      resourceIds: [role, ...actions, need.resource],
      problem: `execution role ${name}: ${how}${actions.join(', ')} on ${need.resource}, needed for ${need.why}`,
      expected: `${name} allows ${actions.join(', ')} on ${need.resource}`,
      impact: check.risk,
      fix: deny
        ? denyFix(name, deny.policy, deny.sid ?? `#${deny.index}`)
        : ((canAttach(inv, role, actions) ? preferredFix?.(name) : undefined) ?? inlineFix(name, check.id, actions, need.resource)),
    };
  });
}

function inlineFix(role: string, checkId: CheckId, actions: string[], resource: string): Fix {
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] };
  return {
    console: `IAM → Roles → ${role} → Add permissions → Create inline policy → allow ${actions.join(', ')} on ${resource}`,
    // One inline policy per resource, named after it: two fixes for one role must not replace each other.
    cli: `aws iam put-role-policy --role-name ${role} --policy-name ${inlinePolicyName(checkId, resource)} --policy-document '${JSON.stringify(policy)}'`,
  };
}

/** "ecs-preflight-iam-04-ledger-.env": the check and the resource's last names, in IAM's policy-name alphabet. */
function inlinePolicyName(checkId: CheckId, resource: string): string {
  const names = resource.split(/[:/]/).filter(Boolean).slice(-2).join('-').replace(/[^\w+=,.@-]/g, '-');
  return `ecs-preflight-${checkId.toLowerCase()}-${names}`.slice(0, 128);
}

function denyFix(role: string, policy: string, statement: string): Fix {
  const inline = policy.startsWith('inline:') ? policy.slice('inline:'.length) : undefined;
  return inline
    ? {
        console: `IAM → Roles → ${role} → Permissions → ${inline} → Edit → remove or narrow the Deny statement ${statement}`,
        cli: `aws iam get-role-policy --role-name ${role} --policy-name ${inline} --query PolicyDocument > policy.json  # remove the Deny, then aws iam put-role-policy --role-name ${role} --policy-name ${inline} --policy-document file://policy.json`,
      }
    : {
        console: `IAM → Policies → ${policy} → Edit → remove or narrow the Deny statement ${statement} (or detach it from ${role})`,
        cli: `aws iam detach-role-policy --role-name ${role} --policy-arn ${policy}`,
      };
}

/** Attaching AmazonECSTaskExecutionRolePolicy fixes it only if the role lacks it and it grants every missing action. */
function canAttach(inv: Inventory, roleArn: string, actions: string[]): boolean {
  const attached = findRole(inv, roleArn)?.attachedPolicyArns.includes(executionPolicyArn(inv)) ?? false;
  return !attached && actions.every((a) => EXECUTION_POLICY_ACTIONS.includes(a));
}

const EXECUTION_POLICY_ACTIONS = [...ECR_PULL, 'logs:CreateLogStream', 'logs:PutLogEvents'];

const attachExecutionPolicy = (inv: Inventory) => (role: string): Fix => ({
  console: `IAM → Roles → ${role} → Add permissions → Attach policies → AmazonECSTaskExecutionRolePolicy`,
  cli: `aws iam attach-role-policy --role-name ${role} --policy-arn ${executionPolicyArn(inv)}`,
});

export async function executionRoleAllowsEcrPull(inv: Inventory, workload: Workload): Promise<Finding[]> {
  const definition = definitionOf(inv, workload);
  return permissionFindings(inv, workload, IAM_02, definition ? ecrPullNeeds(definition) : [], attachExecutionPolicy(inv));
}

export async function executionRoleAllowsLogs(inv: Inventory, workload: Workload): Promise<Finding[]> {
  const definition = definitionOf(inv, workload);
  return permissionFindings(inv, workload, IAM_03, definition ? logNeeds(inv, definition) : [], attachExecutionPolicy(inv));
}

export async function executionRoleAllowsEnvFiles(inv: Inventory, workload: Workload): Promise<Finding[]> {
  const definition = definitionOf(inv, workload);
  return permissionFindings(inv, workload, IAM_04, definition ? envFileNeeds(definition) : []);
}

export async function executionRoleAllowsSecrets(inv: Inventory, workload: Workload): Promise<Finding[]> {
  const definition = definitionOf(inv, workload);
  if (!definition) return [missingDefinition(workload, 'IAM-05')];
  const { needs, unknownKeys } = secretNeeds(inv, definition);
  const findings = await permissionFindings(inv, workload, IAM_05, needs);
  for (const unknown of unknownKeys) {
    findings.push({
      checkId: 'IAM-05',
      kind: 'start',
      workload: workload.id,
      resourceIds: [unknown.split(': ')[0]],
      problem: `cannot be verified: the KMS key of ${unknown}`,
      expected: 'the secret described (secretsmanager:DescribeSecret) so its key is known',
      impact: IAM_05.risk,
      fix: { console: 'grant secretsmanager:DescribeSecret to the identity running the suite (iam/readonly-policy.json)', cli: `aws secretsmanager describe-secret --secret-id ${unknown.split(': ')[0]}` },
    });
  }
  return findings;
}
