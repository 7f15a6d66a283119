// IAM policy evaluation: the one module that talks to the policy simulator.
//
// The simulator is @cloud-copilot/iam-simulate (https://github.com/cloud-copilot/iam-simulate),
// licensed AGPL-3.0-or-later, as are its dependencies @cloud-copilot/iam-policy and iam-utils
// (iam-data is MIT); so this project is AGPL-3.0-or-later (README, "Licence"). Keep every use of it
// in this file so it can be swapped (for another simulator or a hand-written evaluator) without
// touching the checks.
//
// It is loaded lazily: importing support/policy/* does not load it (with its IAM action data it
// costs tens of milliseconds); the first evaluation does.
//
// What "offline" means here. We have the policy documents but no real request, so most condition
// keys (aws:SourceVpce, aws:PrincipalOrgID, aws:SourceArn, ...) are unknown. The simulator's
// Strict mode treats a missing key as absent: an Allow with a condition silently does not apply
// and a Deny with StringNotEquals silently applies, with no trace of either. So we run it in its
// Discovery mode, where a key we did not supply is *unknown*: Allow statements whose conditions
// hinge on unknown keys still count, Deny statements whose conditions hinge on unknown keys do not,
// and an Allowed result carries `conditions`: the expression (with the statements it came from)
// that must hold for the request to be allowed. A non-trivial expression is our `conditional`.
// Keys we do know (the principal's own ARN and account, anything the caller passes in `context`)
// are declared authoritative, so conditions on them are decided, not guessed.
//
// Not modelled: SCPs and RCPs (not in the inventory), session policies, S3 Block Public Access.
import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import type * as IamSimulate from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from '../inventory/model';
import { accountOf, isIamPrincipalArn } from '../util/arn';

export type Decision = 'allowed' | 'denied' | 'conditional';

export type Reason =
  /** An Allow applies and nothing can deny: proven. */
  | 'allowed'
  /** A Deny statement without undecidable conditions applies. */
  | 'explicit-deny'
  /** No statement allows (see `noAllowIn`). */
  | 'implicit-deny'
  /** The identity policies allow it but the permissions boundary does not. */
  | 'not-in-boundary'
  /** Allowed only through statements whose conditions cannot be decided offline. */
  | 'conditional-allow'
  /** Allowed, unless a Deny statement whose conditions cannot be decided offline applies. */
  | 'conditional-deny'
  /** A statement whose Resource uses a policy variable we cannot resolve (${aws:PrincipalTag/…}) might decide it. */
  | 'unresolved-policy-variable'
  /** The simulator rejected the input (invalid policy, unknown action, resource type): see `errors`. */
  | 'unevaluable'
  /** An attached or boundary policy is not in the inventory: see `missingPolicies` (role.ts). */
  | 'missing-policy'
  /** The role is not in the inventory (role.ts). */
  | 'role-not-found'
  /** The endpoint has no policy document: full access (endpoint.ts). */
  | 'no-endpoint-policy';

export type PolicyKind = 'identity' | 'permissions-boundary' | 'resource-policy' | 'trust-policy' | 'endpoint-policy';

export interface ConditionRef {
  operator: string;
  key: string;
  values: string[];
}

/** One statement that decided the verdict. */
export interface StatementRef {
  kind: PolicyKind;
  /** The policy's name as the caller gave it: an inline policy name, a managed policy ARN, "vpce-…". */
  policy: string;
  effect: 'Allow' | 'Deny';
  sid?: string;
  /** 1-based position of the statement in its policy (a single-object Statement is #1). */
  index: number;
  /** For conditional verdicts: the statement's conditions that could not be decided, as written. */
  conditions?: ConditionRef[];
}

export interface Verdict {
  decision: Decision;
  reason: Reason;
  /**
   * What decided it: for `allowed`, the Allow statements that grant; for `explicit-deny`, the Deny
   * statements; for conditional verdicts, the statements carrying the undecidable conditions (or
   * the unresolved variable); empty for implicit denies (see `noAllowIn`).
   */
  statements: StatementRef[];
  /** Implicit deny: the kinds of policy in which no statement allows the request. */
  noAllowIn?: PolicyKind[];
  /** Conditional: what must hold in the real request for it to be allowed, e.g. "aws:SourceVpce StringEquals vpce-1". */
  requires?: string;
  /** Policies the role attaches that the inventory does not hold (role.ts). */
  missingPolicies?: string[];
  /** Assumptions made and substitutions done (a pattern resource evaluated as one arbitrary name, a default key policy). */
  notes?: string[];
  /** Why the simulator could not evaluate (reason `unevaluable`). */
  errors?: string[];
  /** One line for a finding or a log. */
  summary: string;
}

export interface NamedPolicy {
  name: string;
  /** The decoded document, as the inventory stores it; a JSON (or URL-encoded JSON) string is accepted too. */
  document: PolicyDocument | string;
}

export interface ResourcePolicy extends NamedPolicy {
  /** How to name it in verdicts; default 'resource-policy'. */
  kind?: Extract<PolicyKind, 'resource-policy' | 'trust-policy' | 'endpoint-policy'>;
}

/** The principal of an unsigned request, or of one whose principal we do not know: only `Principal: "*"` statements can grant. */
export const ANONYMOUS = 'anonymous' as const;

export interface EvaluationRequest {
  /** An IAM role or user ARN, a service principal ("ecs-tasks.amazonaws.com"), or ANONYMOUS. */
  principal: string;
  /** "service:Action", e.g. "ecr:BatchGetImage". */
  action: string;
  /**
   * The resource ARN. Wildcard-only actions (ecr:GetAuthorizationToken) are evaluated on "*"
   * whatever is passed. A pattern ("arn:aws:s3:::bucket/*") asks "may it act on any object
   * there": it is evaluated for one arbitrary name in the pattern (see `notes`). A bare "*" for an
   * action that takes a resource is rejected as `unevaluable`: name the resource.
   */
  resource: string;
  /** The account owning the resource; default: the principal's account (same-account request). */
  resourceAccount?: string;
  identityPolicies: NamedPolicy[];
  /** The permissions boundary, when the principal has one: it must allow too. */
  permissionsBoundary?: NamedPolicy;
  /** The resource's policy (bucket policy, key policy, trust policy, endpoint policy). */
  resourcePolicy?: ResourcePolicy;
  /**
   * Request-context values known to be true of the real request (e.g. { "aws:SourceAccount": "1111…" }).
   * Conditions on these keys are decided; every other key is unknown and makes its statement conditional.
   * For an IAM role or user principal, aws:PrincipalArn and aws:PrincipalAccount are filled in.
   */
  context?: Record<string, string | string[]>;
}

// ---------------------------------------------------------------------------------------------
// The library, loaded on first use.

type Lib = typeof IamSimulate;
type RequestAnalysis = IamSimulate.RequestAnalysis;
type ConditionExpression = IamSimulate.AllowedConditionExpression;
type ConditionSource = IamSimulate.AllowedConditionSource;
type StatementAnalysis = NonNullable<RequestAnalysis['identityAnalysis']>['allowStatements'][number];

let lib: Lib | undefined;

// Its case-insensitive ARN comparisons reuse one Intl.Collator: patches/, applied on npm install.
function simulator(): Lib {
  if (!lib) lib = require('@cloud-copilot/iam-simulate') as Lib;
  return lib!;
}

/** Whether the simulator has been loaded in this process (for the lazy-loading test). */
export function simulatorLoaded(): boolean {
  return lib !== undefined;
}

let pretenuringOff = false;

/**
 * The simulator allocates a great many short-lived objects per question (resource type matching,
 * policy parsing; patches/ removed the worst, an array and a string per pair of automaton states).
 * When a scavenge happens to find many of them alive, V8 decides that their allocation site makes
 * long-lived objects and allocates the next ones straight in the old generation ("allocation-site
 * pretenuring"), where they pile up until a full collection: on the 2,000-service account, in about
 * a third to a half of the runs, a peak RSS of 800 MB instead of 470 MB (measured again with the
 * patch: 463, 505 and 805 MB without this switch; 462–474 MB with it). With pretenuring off they die
 * young, as they should; no run measured was slower. A process-wide V8 setting, made once, when the
 * simulator is first needed.
 */
function keepSimulatorGarbageYoung(): void {
  if (pretenuringOff) return;
  pretenuringOff = true;
  setFlagsFromString('--no-allocation-site-pretenuring');
}

// ---------------------------------------------------------------------------------------------
// Documents.

/** A decoded policy document from a document, a JSON string or a URL-encoded JSON string (as IAM returns them). */
export function parsePolicyDocument(document: PolicyDocument | string): PolicyDocument {
  if (typeof document !== 'string') return document;
  const text = document.trimStart().startsWith('{') ? document : decodeURIComponent(document);
  const parsed = JSON.parse(text) as unknown;
  if (!parsed || typeof parsed !== 'object' || !('Statement' in parsed)) throw new Error('not a policy document: no Statement');
  return parsed as PolicyDocument;
}

// ---------------------------------------------------------------------------------------------
// Evaluation.

/** Stands for "any name" when a resource pattern is evaluated: chosen so no real policy names it. */
const ANY_NAME = 'preflight-any-name';

interface PolicySlot {
  kind: PolicyKind;
  name: string;
}

// Verdicts by request. Checks ask the same question for many workloads (every service behind one
// S3 gateway endpoint asks about the same layer bucket; every service of a team about its role's
// trust policy), and the simulator costs about a third of a millisecond per question. The key is the
// whole request, policy documents included, so equal questions share one answer whatever objects
// they were built from. The cache keeps a SHA-256 digest of that JSON, not the JSON itself, which
// repeats the role's policies in every question (a 2,000-service account asks 16,000 distinct
// questions: 26 MB of keys). Verdicts are shared: callers copy, never change them.
const VERDICT_CACHE_LIMIT = 20_000;
const verdicts = new Map<string, Promise<Verdict>>();

/** The cache key of a request: the digest of its JSON. */
function verdictKey(request: EvaluationRequest): string {
  const json = JSON.stringify([
    request.principal,
    request.action,
    request.resource,
    request.resourceAccount,
    request.identityPolicies,
    request.permissionsBoundary,
    request.resourcePolicy,
    request.context,
  ]);
  return createHash('sha256').update(json).digest('base64');
}

/**
 * Decide whether `principal` may perform `action` on `resource` under the given policies.
 * Explicit deny wins; the permissions boundary, when present, must allow too; statements whose
 * conditions cannot be decided offline make the verdict `conditional`, never `allowed`.
 */
export function evaluate(request: EvaluationRequest): Promise<Verdict> {
  const key = verdictKey(request);
  let verdict = verdicts.get(key);
  if (!verdict) {
    if (verdicts.size >= VERDICT_CACHE_LIMIT) verdicts.clear();
    verdict = simulate(request);
    verdicts.set(key, verdict);
  }
  return verdict;
}

async function simulate(request: EvaluationRequest): Promise<Verdict> {
  const notes: string[] = [];
  const slots = new Map<string, PolicySlot>();
  const documents = new Map<string, PolicyDocument>();
  const errors: string[] = [];

  const load = (id: string, slot: PolicySlot, document: PolicyDocument | string) => {
    slots.set(id, slot);
    try {
      documents.set(id, parsePolicyDocument(document));
    } catch (e) {
      errors.push(`${slot.kind} ${slot.name}: ${(e as Error).message}`);
    }
  };
  request.identityPolicies.forEach((p, i) => load(`identity-${i}`, { kind: 'identity', name: p.name }, p.document));
  if (request.permissionsBoundary) load('boundary', { kind: 'permissions-boundary', name: request.permissionsBoundary.name }, request.permissionsBoundary.document);
  const resourceKind = request.resourcePolicy?.kind ?? 'resource-policy';
  if (request.resourcePolicy) load('resource', { kind: resourceKind, name: request.resourcePolicy.name }, request.resourcePolicy.document);
  if (errors.length > 0) return unevaluable(request, errors, notes);

  const { action } = request;
  const [service, actionName] = action.split(':');
  if (!service || !actionName) return unevaluable(request, [`"${action}" is not service:Action`], notes);

  keepSimulatorGarbageYoung();
  const sim = simulator();
  let resource = request.resource;
  let wildcardOnly = false;
  try {
    wildcardOnly = await sim.isWildcardOnlyAction(service, actionName);
  } catch {
    // Unknown service or action: runSimulation reports it.
  }
  if (wildcardOnly) {
    if (resource !== '*') notes.push(`${action} takes no resource: evaluated on "*"`);
    resource = '*';
  } else if (resource === '*') {
    return unevaluable(request, [`${action} acts on a resource: name it (an ARN, or an ARN pattern), not "*"`], notes);
  } else if (resource.includes('*')) {
    // The simulator reads a pattern as "some resource in it" (an Allow on bucket/logs/* would
    // allow bucket/*). A task needs "any resource in it": evaluate one arbitrary name instead.
    // Limitation: a Deny on a narrower pattern (bucket/secret/*) is not seen as a partial deny.
    const concrete = resource.replaceAll('*', ANY_NAME);
    notes.push(`${resource} evaluated as ${concrete} (an arbitrary name in the pattern)`);
    resource = concrete;
  }

  const principal = request.principal;
  const anonymous = principal === ANONYMOUS;
  const principalAccount = anonymous ? undefined : accountOf(principal);
  const resourceAccount = request.resourceAccount ?? principalAccount ?? accountOf(resource) ?? '000000000000';
  const context: Record<string, string | string[]> = { ...principalFacts(principal), ...request.context };

  const byKind = (kind: PolicyKind) => [...slots.entries()].filter(([, s]) => s.kind === kind).map(([id]) => ({ name: id, policy: documents.get(id) }));
  const simulation: IamSimulate.Simulation = {
    request: {
      principal: anonymous ? sim.anonymousPrincipal : principal,
      action,
      resource: { resource, accountId: resourceAccount },
      contextVariables: context,
    },
    identityPolicies: byKind('identity'),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
  const boundary = byKind('permissions-boundary');
  if (boundary.length > 0) simulation.permissionBoundaryPolicies = boundary;
  if (request.resourcePolicy) simulation.resourcePolicy = documents.get('resource');

  const result = await sim.runSimulation(simulation, {
    simulationMode: 'Discovery',
    discoveryContextKeyConstraints: Object.keys(context).map((keyName) => ({ keyName, presenceIsKnown: true, valueIsKnown: true })),
  });
  if (result.resultType === 'error') return unevaluable(request, simulationErrors(result.errors, slots), notes);
  if (result.resultType !== 'single') {
    return unevaluable(request, [`the simulator split ${resource} into several patterns; name one resource`], notes);
  }
  if (result.result.ignoredContextKeys && result.result.ignoredContextKeys.length > 0) {
    notes.push(`context keys that do not apply to ${action} were ignored: ${result.result.ignoredContextKeys.join(', ')}`);
  }
  return interpret(request, result.result.analysis, slots, resourceKind, notes);
}

function interpret(request: EvaluationRequest, analysis: RequestAnalysis, slots: Map<string, PolicySlot>, resourceKind: PolicyKind, notes: string[]): Verdict {
  const lib = simulator();
  const what = `${request.action} on ${request.resource} for ${principalWords(request.principal)}`;
  const withNotes = (v: Omit<Verdict, 'notes'>): Verdict => (notes.length > 0 ? { ...v, notes } : v);
  const unresolved = unresolvedVariableStatements(analysis, slots, resourceKind);

  if (analysis.result === 'ExplicitlyDenied') {
    const statements = lib
      .getDenialReasons(analysis)
      .flatMap((d) => (d.denialType === 'Explicit' ? [refOf(d.policyType, d.policyIdentifier, d.statementId, d.statementIndex, 'Deny', slots, resourceKind)] : []));
    return withNotes({
      decision: 'denied',
      reason: 'explicit-deny',
      statements,
      summary: `${what} is explicitly denied by ${statements.map(describe).join('; ') || 'a Deny statement'}`,
    });
  }

  if (analysis.result === 'ImplicitlyDenied') {
    const allowMightApply = unresolved.filter((s) => s.effect === 'Allow');
    if (allowMightApply.length > 0) {
      return withNotes({
        decision: 'conditional',
        reason: 'unresolved-policy-variable',
        statements: allowMightApply,
        summary: `${what} is allowed only if the policy variable in ${allowMightApply.map(describe).join('; ')} resolves to a matching value, which cannot be checked offline`,
      });
    }
    const kinds = new Set<PolicyKind>();
    for (const denial of lib.getDenialReasons(analysis)) {
      const kind = kindOf(denial.policyType, resourceKind);
      if (kind) kinds.add(kind);
    }
    // Without identity policies the request stands on the resource policy alone: say that.
    if (request.identityPolicies.length === 0 && request.resourcePolicy) kinds.delete('identity');
    const noAllowIn = [...kinds];
    if (analysis.blockedBy?.includes('pb')) {
      return withNotes({
        decision: 'denied',
        reason: 'not-in-boundary',
        statements: [],
        noAllowIn: ['permissions-boundary'],
        summary: `${what} is allowed by the identity policies but not by the permissions boundary ${request.permissionsBoundary?.name ?? ''}`.trimEnd(),
      });
    }
    return withNotes({
      decision: 'denied',
      reason: 'implicit-deny',
      statements: [],
      noAllowIn,
      summary: `${what} is not allowed: no statement in the ${noAllowIn.map(kindWords).join(' or ') || 'policies'} allows it`,
    });
  }

  // Allowed, possibly only under conditions the simulator could not decide.
  const expression = analysis.conditions;
  if (expression && expression.conditionType !== 'always') {
    const statements = conditionalStatements(expression, analysis, slots, resourceKind);
    const requires = render(expression);
    const viaAllow = statements.some((s) => s.effect === 'Allow');
    const denies = statements.filter((s) => s.effect === 'Deny');
    return withNotes({
      decision: 'conditional',
      reason: viaAllow ? 'conditional-allow' : 'conditional-deny',
      statements: [...statements, ...unresolved.filter((s) => s.effect === 'Deny')],
      requires,
      summary: viaAllow
        ? `${what} is allowed only if ${requires} (${statements.map(describe).join('; ')}), which cannot be checked offline`
        : `${what} is allowed unless ${denies.map(describe).join('; ')} applies; it does not apply only if ${requires}, which cannot be checked offline`,
    });
  }

  const denyMightApply = unresolved.filter((s) => s.effect === 'Deny');
  if (denyMightApply.length > 0) {
    return withNotes({
      decision: 'conditional',
      reason: 'unresolved-policy-variable',
      statements: denyMightApply,
      summary: `${what} is allowed unless the policy variable in ${denyMightApply.map(describe).join('; ')} resolves to a matching value, which cannot be checked offline`,
    });
  }

  const statements = lib
    .getGrantReasons(analysis)
    .map((g) => refOf(g.policyType, 'policyIdentifier' in g ? g.policyIdentifier : undefined, g.statementId, g.statementIndex, 'Allow', slots, resourceKind));
  return withNotes({
    decision: 'allowed',
    reason: 'allowed',
    statements,
    summary: `${what} is allowed by ${statements.map(describe).join('; ')}`,
  });
}

function unevaluable(request: EvaluationRequest, errors: string[], notes: string[]): Verdict {
  return {
    decision: 'conditional',
    reason: 'unevaluable',
    statements: [],
    errors,
    ...(notes.length > 0 ? { notes } : {}),
    summary: `${request.action} on ${request.resource} for ${principalWords(request.principal)} cannot be evaluated: ${errors.join('; ')}`,
  };
}

function simulationErrors(errors: IamSimulate.SimulationErrors, slots: Map<string, PolicySlot>): string[] {
  const out: string[] = [];
  const named = (id: string) => {
    const slot = slots.get(id);
    return slot ? `${slot.kind} ${slot.name}` : id;
  };
  const perPolicy = [errors.identityPolicyErrors, errors.permissionBoundaryErrors];
  for (const group of perPolicy) {
    for (const [id, list] of Object.entries(group ?? {})) for (const e of list) out.push(`${named(id)}: ${e.path}: ${e.message}`);
  }
  for (const e of errors.resourcePolicyErrors ?? []) out.push(`${named('resource')}: ${e.path}: ${e.message}`);
  for (const e of errors.anonymousRequestErrors ?? []) out.push(e);
  if (out.length === 0) out.push(errors.message);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Mapping the simulator's analysis back to the caller's policies.

/** What is certainly true of any request an IAM role or user makes. */
function principalFacts(principal: string): Record<string, string> {
  if (!isIamPrincipalArn(principal)) return {};
  return { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': accountOf(principal)! };
}

function kindOf(policyType: string, resourceKind: PolicyKind): PolicyKind | undefined {
  switch (policyType) {
    case 'identity':
      return 'identity';
    case 'pb':
    case 'permissionBoundary':
      return 'permissions-boundary';
    case 'resource':
      return resourceKind;
    default:
      return undefined;
  }
}

function refOf(
  policyType: string,
  policyIdentifier: string | undefined,
  sid: string | undefined,
  index: number,
  effect: 'Allow' | 'Deny',
  slots: Map<string, PolicySlot>,
  resourceKind: PolicyKind,
): StatementRef {
  const kind = kindOf(policyType, resourceKind) ?? 'identity';
  const slot = policyType === 'resource' ? slots.get('resource') : policyIdentifier ? slots.get(policyIdentifier) : undefined;
  return { kind, policy: slot?.name ?? policyIdentifier ?? policyType, effect, ...(sid !== undefined ? { sid } : {}), index };
}

function describe(s: StatementRef): string {
  const label = s.sid ? `statement ${s.sid} (#${s.index})` : `statement #${s.index}`;
  const where = s.kind === 'identity' ? `policy ${s.policy}` : `${kindWords(s.kind)} ${s.policy}`;
  return `${s.effect} ${label} of ${where}`;
}

function kindWords(kind: PolicyKind): string {
  return kind === 'identity' ? 'identity policies' : kind.replace('-', ' ');
}

function principalWords(principal: string): string {
  return principal === ANONYMOUS ? 'any principal (anonymous)' : principal;
}

function sectionOf(analysis: RequestAnalysis, kind: PolicyKind): StatementAnalysis[] {
  const section =
    kind === 'identity' ? analysis.identityAnalysis : kind === 'permissions-boundary' ? analysis.permissionBoundaryAnalysis : analysis.resourceAnalysis;
  if (!section) return [];
  return [...section.allowStatements, ...section.denyStatements, ...section.unmatchedStatements];
}

function sources(expression: ConditionExpression): ConditionSource[] {
  switch (expression.conditionType) {
    case 'group':
      return expression.conditions.flatMap(sources);
    case 'condition':
    case 'sessionName':
      return expression.sources;
    default:
      return [];
  }
}

/** The statements named by a conditions expression, each with its undecided conditions as written in the policy. */
function conditionalStatements(expression: ConditionExpression, analysis: RequestAnalysis, slots: Map<string, PolicySlot>, resourceKind: PolicyKind): StatementRef[] {
  const seen = new Map<string, StatementRef>();
  for (const source of sources(expression)) {
    const policyType = source.policyType === 'permissionBoundary' ? 'pb' : source.policyType;
    const ref = refOf(policyType, source.policyIdentifier, source.statementId, source.statementIndex, source.effect, slots, resourceKind);
    const key = `${ref.kind}\n${source.policyIdentifier ?? ''}\n${ref.index}`;
    if (seen.has(key)) continue;
    const statement = sectionOf(analysis, ref.kind).find(
      (s) => s.statement.index() === source.statementIndex && (ref.kind === resourceKind || s.policyId === source.policyIdentifier),
    );
    const conditions = (statement?.ignoredConditions ?? []).map((c) => ({ operator: c.operation().value(), key: c.conditionKey(), values: c.conditionValues() }));
    seen.set(key, conditions.length > 0 ? { ...ref, conditions } : ref);
  }
  return [...seen.values()];
}

/** Statements that would apply but for a Resource policy variable the simulator cannot resolve offline. */
function unresolvedVariableStatements(analysis: RequestAnalysis, slots: Map<string, PolicySlot>, resourceKind: PolicyKind): StatementRef[] {
  const out: StatementRef[] = [];
  for (const kind of ['identity', 'permissions-boundary', resourceKind] as PolicyKind[]) {
    const section = kind === 'identity' ? analysis.identityAnalysis : kind === 'permissions-boundary' ? analysis.permissionBoundaryAnalysis : analysis.resourceAnalysis;
    for (const s of section?.unmatchedStatements ?? []) {
      const explain = s.explain;
      if (!explain.actionMatch || explain.principalMatch === 'NoMatch' || !explain.conditionMatch) continue;
      const resources = [explain.resources ?? [], explain.notResources ?? []].flat();
      if (!resources.some((r) => r.mismatchReason === 'unresolvablePolicyVariable')) continue;
      const effect = s.statement.isAllow() ? 'Allow' : 'Deny';
      const policyType = kind === 'identity' ? 'identity' : kind === 'permissions-boundary' ? 'pb' : 'resource';
      out.push(refOf(policyType, s.policyId, s.statement.sid(), s.statement.index(), effect, slots, resourceKind));
    }
  }
  return out;
}

function render(expression: ConditionExpression): string {
  switch (expression.conditionType) {
    case 'always':
      return 'true';
    case 'never':
      return 'false';
    case 'condition':
      return `${expression.key} ${expression.op} ${expression.values.join(' | ')}`;
    case 'sessionName':
      return `role session name is ${expression.sessionName.join(' | ')}`;
    case 'group': {
      const joined = expression.conditions.map((c) => (c.conditionType === 'group' ? `(${render(c)})` : render(c)));
      return joined.join(expression.operator === 'and' ? ' AND ' : ' OR ');
    }
  }
}
