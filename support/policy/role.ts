// IAM-01..IAM-05 over the inventory: what a task's role may do, and whether ECS may assume it.
// Gathers the role's policies from the inventory and asks the adapter (evaluate.ts); never loads
// the simulator itself.
import type { Inventory, IamRole, PolicyDocument } from '../inventory/model';
import { evaluate, type NamedPolicy, type ResourcePolicy, type Verdict } from './evaluate';
import { accountOf, accountRootArn, ecsArn, isArn } from '../util/arn';

export interface RoleVerdict extends Verdict {
  /** The role ARN asked about. */
  role: string;
}

export interface RoleAllowsOptions {
  /** The resource's own policy, when the suite has it (bucket policy, key policy). */
  resourcePolicy?: ResourcePolicy;
  /** Account owning the resource; default the role's account. */
  resourceAccount?: string;
  /** Request-context values known to be true (see EvaluationRequest.context). */
  context?: Record<string, string | string[]>;
}

/** The role by ARN; a bare role name is looked up by name. */
export function findRole(inv: Inventory, roleArnOrName: string): IamRole | undefined {
  const byArn = inv.roles.get(roleArnOrName);
  if (byArn || isArn(roleArnOrName)) return byArn;
  return [...inv.roles.values()].find((r) => r.name === roleArnOrName);
}

export interface RolePolicies {
  identity: NamedPolicy[];
  boundary?: NamedPolicy;
  /** Attached managed policies the inventory lacks (or holds without a document), and inline policies without a document. */
  missingAttached: string[];
  /** The boundary's ARN when the role has one the inventory lacks. */
  missingBoundary?: string;
}

/** The role's inline policies (named "inline:<name>") and attached managed policies (named by ARN), and its boundary. */
export function rolePolicies(inv: Inventory, role: IamRole): RolePolicies {
  const identity: NamedPolicy[] = role.inlinePolicies
    .filter((p) => p.document !== undefined)
    .map((p) => ({ name: `inline:${p.name}`, document: p.document }));
  const missingAttached = role.inlinePolicies.filter((p) => p.document === undefined).map((p) => `inline:${p.name}`);
  for (const arn of role.attachedPolicyArns) {
    const document = inv.managedPolicies.get(arn)?.document;
    if (document) identity.push({ name: arn, document });
    else missingAttached.push(arn);
  }
  const result: RolePolicies = { identity, missingAttached };
  if (role.permissionsBoundaryArn) {
    const document = inv.managedPolicies.get(role.permissionsBoundaryArn)?.document;
    if (document) result.boundary = { name: role.permissionsBoundaryArn, document };
    else result.missingBoundary = role.permissionsBoundaryArn;
  }
  return result;
}

/**
 * May the role perform `action` on `resource`? Inline and attached managed policies, its
 * permissions boundary, and (optionally) the resource's policy.
 *
 * A policy the role attaches that the inventory does not hold is reported in `missingPolicies`
 * and makes the verdict `conditional` (reason 'missing-policy'), unless what is known already
 * denies it: an explicit Deny stands whatever the missing policy says, and with only the boundary
 * missing, identity policies that do not allow cannot be rescued by it.
 *
 * kms:* without a key policy: the key policy is not in the inventory, so the default key policy
 * (which lets the account's IAM policies decide) is assumed and said so in `notes`.
 */
export async function roleAllows(inv: Inventory, roleArn: string, action: string, resource: string, options: RoleAllowsOptions = {}): Promise<RoleVerdict> {
  const role = findRole(inv, roleArn);
  if (!role) return roleNotFound(inv, roleArn);
  const policies = rolePolicies(inv, role);
  const notes: string[] = [];
  let resourcePolicy = options.resourcePolicy;
  if (!resourcePolicy && action.toLowerCase().startsWith('kms:')) {
    const account = options.resourceAccount ?? accountOf(role.arn) ?? inv.account;
    resourcePolicy = { name: 'default key policy (assumed)', document: defaultKeyPolicy(inv.region, account) };
    notes.push('the key policy is not in the inventory: assumed the default key policy, which lets IAM policies of the account decide');
  }

  const verdict = await evaluate({
    principal: role.arn,
    action,
    resource,
    identityPolicies: policies.identity,
    ...(policies.boundary ? { permissionsBoundary: policies.boundary } : {}),
    ...(resourcePolicy ? { resourcePolicy } : {}),
    ...(options.resourceAccount ? { resourceAccount: options.resourceAccount } : {}),
    ...(options.context ? { context: options.context } : {}),
  });
  const withNotes = notes.length > 0 ? { ...verdict, notes: [...notes, ...(verdict.notes ?? [])] } : verdict;
  return { ...withMissing(withNotes, policies), role: role.arn };
}

function withMissing(verdict: Verdict, policies: RolePolicies): Verdict {
  const missing = [...policies.missingAttached, ...(policies.missingBoundary ? [policies.missingBoundary] : [])];
  if (missing.length === 0) return verdict;
  const list = missing.join(', ');
  // An explicit Deny in what we have stands whatever the missing policies say.
  if (verdict.reason === 'explicit-deny') return { ...verdict, missingPolicies: missing };
  // Only the boundary is missing and the identity policies do not allow: the boundary cannot grant.
  if (policies.missingAttached.length === 0 && verdict.decision === 'denied') return { ...verdict, missingPolicies: missing };
  return {
    ...verdict,
    decision: 'conditional',
    reason: 'missing-policy',
    missingPolicies: missing,
    summary: `the inventory lacks ${list}, so it cannot be decided; with the policies it has: ${verdict.summary}`,
  };
}

/** What ECS tells IAM when it assumes a task's roles, for the trust-policy conditions it meets. */
export interface EcsAssumeContext {
  region: string;
  account: string;
  cluster: string;
  /** The task definition revision's ARN. */
  taskDefinitionArn: string;
}

/**
 * IAM-01: does the role's trust policy let `servicePrincipal` (default ecs-tasks.amazonaws.com)
 * call sts:AssumeRole on it? The trust policy is evaluated by the simulator as the role's resource
 * policy, with the service principal as the caller (it supports service principals natively).
 *
 * ECS supplies the confused-deputy keys (CHECKS.md IAM-01), so they are decided offline:
 * aws:SourceAccount is the task's account; aws:SourceArn is an ECS ARN of the task's region and
 * account. The verdict is taken for several such ARNs (the cluster, a task of it, the task
 * definition): a condition every one of them meets (ArnLike arn:aws:ecs:<region>:<account>:*) is
 * met, one none meets is not, and one that depends on which ARN ECS sends stays conditional (a
 * trust policy that never names aws:SourceArn is asked about the cluster's alone).
 * Conditions on any other key are conditional, never a pass. Pass `context` to replace this.
 */
export async function roleTrusts(
  inv: Inventory,
  roleArn: string,
  servicePrincipal = 'ecs-tasks.amazonaws.com',
  options: { context?: Record<string, string | string[]>; ecs?: EcsAssumeContext } = {},
): Promise<RoleVerdict> {
  const role = findRole(inv, roleArn);
  if (!role) return roleNotFound(inv, roleArn);
  if (!role.trustPolicy) {
    return {
      decision: 'conditional',
      reason: 'missing-policy',
      statements: [],
      missingPolicies: [`trust policy of ${role.arn}`],
      summary: `the inventory has no trust policy for ${role.arn}, so whether ${servicePrincipal} may assume it cannot be decided`,
      role: role.arn,
    };
  }
  const account = accountOf(role.arn) ?? inv.account;
  const ask = (context: Record<string, string | string[]>) =>
    evaluate({
      principal: servicePrincipal,
      action: 'sts:AssumeRole',
      resource: role.arn,
      resourceAccount: account,
      identityPolicies: [],
      resourcePolicy: { name: role.arn, kind: 'trust-policy', document: role.trustPolicy! },
      context,
    });
  if (options.context || !options.ecs) return { ...(await ask(options.context ?? { 'aws:SourceAccount': account })), role: role.arn };
  const { region, account: taskAccount, cluster, taskDefinitionArn } = options.ecs;
  // Only a condition or a policy variable naming aws:SourceArn (keys are case-insensitive) can tell
  // these ARNs apart: without one, the cluster's answers for all three (one question, not three).
  const namesSourceArn = JSON.stringify(role.trustPolicy).toLowerCase().includes('aws:sourcearn');
  const sourceArns = [
    ecsArn(region, taskAccount, `cluster/${cluster}`),
    ...(namesSourceArn ? [ecsArn(region, taskAccount, `task/${cluster}/0f1e2d3c4b5a69788796a5b4c3d2e1f0`), taskDefinitionArn] : []),
  ];
  const verdicts = await Promise.all(sourceArns.map((arn) => ask({ 'aws:SourceAccount': taskAccount, 'aws:SourceArn': arn })));
  const first = verdicts[0];
  if (verdicts.every((v) => v.decision === first.decision)) return { ...first, role: role.arn };
  return {
    ...first,
    decision: 'conditional',
    reason: 'conditional-allow',
    summary: `whether ${servicePrincipal} may assume it depends on which ECS ARN is the aws:SourceArn: ${sourceArns.map((arn, i) => `${arn} → ${verdicts[i].decision}`).join(', ')}`,
    role: role.arn,
  };
}

function roleNotFound(inv: Inventory, roleArn: string): RoleVerdict {
  const elsewhere = accountOf(roleArn) && accountOf(roleArn) !== inv.account ? ` (it names account ${accountOf(roleArn)}, the inventory is of ${inv.account})` : '';
  return {
    decision: 'denied',
    reason: 'role-not-found',
    statements: [],
    summary: `role ${roleArn} does not exist in the inventory${elsewhere}`,
    role: roleArn,
  };
}

/** The key policy KMS attaches by default: the account's IAM policies decide. */
function defaultKeyPolicy(region: string, account: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: accountRootArn(region, account) }, Action: 'kms:*', Resource: '*' }],
  };
}
