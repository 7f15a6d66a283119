// EVD-01: what actually happened. The account's own record of recent task starts (stopped tasks,
// service events) is read against the findings of the same run: each start error is shown beside
// the findings that explain it, and one that no finding explains is itself reported — the suite
// missed something.
//
// This module does not import index.ts (which registers it): the checks that explain an error are
// run through the `CheckRunner` index.ts hands in.
import type { Inventory, ServiceEvent, StoppedTask } from '../inventory/model';
import type { Workload } from '../workloads';
import { redactSecretText } from '../util/redact-text';
import { bucketOf, resourceNameOf } from '../util/arn';
import { deniedAmong } from '../inventory/denied';
import { applicableWorkloads } from './applicability';
import { defineCheck, type Check, type Finding } from './finding';
import type { CheckId } from './ids';

export const EVD_01 = defineCheck({
  id: 'EVD-01',
  title: 'every recent start error of the workload is explained by a finding',
  kinds: ['evidence'],
  severity: 'high',
  network: false,
  evidence: 'stopped tasks and service events',
  risk: 'tasks really failed to start and no check of the suite says why: the cause is still there, and the suite has a blind spot to report',
  remediation:
    'read the stopped tasks\' reasons (ECS keeps stopped tasks visible for about an hour), find the cause, and report the error to the suite\'s maintainers so that a check covers it',
  source: 'issue 14 (the seeds all began with such a message: 000, 002, 004)',
});


/** A class of start error ECS reports, and the checks whose start findings explain it. */
export interface StartErrorClass {
  name: string;
  /** Tested against the stopped task's reasons (its own, then its containers') or a service event's message; the first class that matches wins. */
  pattern: RegExp;
  explainedBy: readonly CheckId[];
  /** The error is the very risk these checks' resilience findings describe (a deployment that ran out of addresses): such a finding explains it too. */
  riskRealized?: true;
}

/** Reached nowhere, reached the wrong address, or a name that did not resolve. */
const PATH_TO_REGISTRY: readonly CheckId[] = ['EP-01', 'EP-02', 'EP-04', 'EP-05', 'NET-01', 'NET-02', 'SG-01', 'SG-02', 'NACL-01', 'NACL-02', 'RT-01', 'TD-03', 'DNS-01', 'DNS-02'];

/** The checks of a path to an interface endpoint or over NAT, whatever the service: the reason's need says which paths. */
const PATH_CHECKS: readonly CheckId[] = ['NET-01', 'NET-02', 'SG-01', 'SG-02', 'NACL-01', 'NACL-02', 'RT-01', 'EP-04', 'DNS-01', 'DNS-02'];

/**
 * The one table from error to explanation (docs/CHECKS.md shows it under EVD-01). Order matters: an
 * access denial or a missing image is told apart before the timeouts every pull error can mention.
 */
export const START_ERRORS: readonly StartErrorClass[] = [
  { name: 'CannotPullContainerError: access denied', pattern: /CannotPullContainerError[\s\S]*(AccessDenied|not authorized|403 Forbidden)/i, explainedBy: ['IAM-02', 'IMG-01'] },
  { name: 'CannotPullContainerError: image not found', pattern: /CannotPullContainerError[\s\S]*(: not found|manifest unknown|does not exist)/i, explainedBy: ['IMG-01'] },
  { name: 'CannotPullContainerError: timeout', pattern: /CannotPullContainerError[\s\S]*(i\/o timeout|context deadline exceeded|no such host|failed to do request)/i, explainedBy: PATH_TO_REGISTRY },
  // Registry auth is ecr:GetAuthorizationToken at the ECR API: its endpoint (EP-01) and permission (IAM-02) explain it too.
  {
    name: 'ResourceInitializationError: unable to pull secrets or registry auth',
    pattern: /ResourceInitializationError: unable to pull secrets or registry auth/i,
    explainedBy: ['IAM-05', 'EP-07', 'EP-01', 'IAM-02', ...PATH_CHECKS],
  },
  { name: 'ResourceInitializationError: failed to download env files', pattern: /ResourceInitializationError: failed to download env files/i, explainedBy: ['TD-02', 'IAM-04', 'EP-05', 'EP-06', 'NET-01', 'NET-02', 'SG-01', 'NACL-01', 'RT-01'] },
  {
    name: 'ResourceInitializationError: failed to validate logger args',
    pattern: /ResourceInitializationError: failed to validate logger args|CannotStartContainerError[\s\S]*awslogs/i,
    explainedBy: ['IAM-03', 'EP-07', ...PATH_CHECKS],
  },
  // ECS refuses to run a Fargate task in another network mode.
  { name: 'Fargate needs awsvpc', pattern: /(Fargate|FARGATE)[\s\S]*only supports network mode ['"]?awsvpc|network mode awsvpc is required/i, explainedBy: ['TD-01'] },
  { name: 'unable to assume role', pattern: /unable to assume (the )?role/i, explainedBy: ['IAM-01'] },
  {
    name: 'no free IP addresses',
    pattern: /no free IP|InsufficientFreeAddressesInSubnet|does not have enough free addresses|insufficient free (IP )?addresses/i,
    explainedBy: ['NET-04'],
    riskRealized: true,
  },
  { name: 'subnet and security group do not match', pattern: /belong to different networks|security group '?[\w-]+'? does not exist|subnet '?[\w-]+'? does not exist/i, explainedBy: ['INV-01'] },
];

/** A task that stopped with TaskFailedToStart and none of the reasons above: most often a path that does not work. */
const FAILED_TO_START: StartErrorClass = { name: 'TaskFailedToStart', pattern: /TaskFailedToStart/, explainedBy: ['NET-02'] };
/** A service event saying a task could not be placed or launched, for a reason the table does not know. */
const NOT_PLACED: StartErrorClass = { name: 'a task could not be placed or launched', pattern: /was unable to place a task|failed to launch a task/i, explainedBy: [] };

/** One start error: a stopped task, or a service event. */
export interface StartError {
  source: 'task' | 'service event';
  /** The task's ID, or the event's. */
  id: string;
  arn?: string;
  at: string;
  subnetId?: string;
  /** The reason as ECS gave it, without credentials it may quote. */
  text: string;
  cls: StartErrorClass;
  /** The needs whose connection failed, as path keys' beginnings ("s3@us-east-2", "ecr.api@"), when the reason names them. */
  needs?: string[];
}

/**
 * The need a reason shows failed, from the request it quotes: a pull error names the image (on
 * ecr.dkr) even when its layers (on S3) were what timed out, so the most specific request wins.
 */
const NEED_IN_REASON: readonly [need: string, pattern: RegExp][] = [
  ['s3', /starport-layer-bucket|\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com|failed to download env files/i],
  ['ecr.api', /api\.ecr\.[a-z0-9-]+\.amazonaws\.com|GetAuthorizationToken/i],
  ['logs', /logs\.[a-z0-9-]+\.amazonaws\.com|CreateLogStream|logger args/i],
  ['secretsmanager', /secretsmanager\.[a-z0-9-]+\.amazonaws\.com|GetSecretValue/i],
  ['ssm', /ssm\.[a-z0-9-]+\.amazonaws\.com|GetParameters/i],
  ['ecr.dkr', /\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/i],
];

export function needInReason(text: string): string | undefined {
  return NEED_IN_REASON.find(([, pattern]) => pattern.test(text))?.[0];
}

/**
 * The path keys a reason's failed connection can be: image layers in the region their bucket names
 * (prod-<region>-starport-layer-bucket), env files in their buckets' regions (a bucket in another
 * region is a different path from the layers' own), any other service in any region.
 */
function needsInReason(inv: Inventory, w: Workload, text: string): string[] | undefined {
  const service = needInReason(text);
  if (!service) return undefined;
  if (service !== 's3') return [`${service}@`];
  const layers = /prod-([a-z]{2}(?:-[a-z]+)+-\d)-starport-layer-bucket/.exec(text);
  if (layers) return [`s3@${layers[1]}`];
  if (/failed to download env files/i.test(text)) {
    const files = inv.taskDefinitions.get(w.taskDefinitionArn)?.containers.flatMap((c) => c.environmentFileArns) ?? [];
    const regions = [...new Set(files.map((arn) => inv.bucketRegions.get(bucketOf(arn))?.region))];
    if (regions.length && regions.every(Boolean)) return regions.map((r) => `s3@${r}`);
  }
  return ['s3@'];
}

/** The reasons of a stopped task, its own first. */
function reasonsOf(task: StoppedTask): string {
  // ECS repeats a pull error as the container's reason: once is enough.
  return [...new Set([task.stoppedReason, ...task.containers.map((c) => c.reason)].filter(Boolean))].join(' | ');
}

/**
 * A stopped task's start error, or undefined for a stop that is not one: an essential container
 * that exited after the task ran, a scale-in, a user's stop, a deployment replacing its tasks.
 */
export function startErrorOfTask(task: StoppedTask): StartErrorClass | undefined {
  const reasons = reasonsOf(task);
  const known = START_ERRORS.find((c) => c.pattern.test(reasons));
  if (task.stopCode === 'TaskFailedToStart') return known ?? FAILED_TO_START;
  // On EC2 a pull failure stops the task as "Essential container in task exited", before it started.
  if (!task.startedAt && known && /CannotPull|CannotStart|CannotCreate|ResourceInitialization/.test(reasons)) return known;
  return undefined;
}

/** A service event's start error, or undefined (steady state, a task started or stopped, a target unhealthy). */
export function startErrorOfEvent(event: ServiceEvent): StartErrorClass | undefined {
  if (!/was unable to place a task|failed to launch a task|unable to assume (the )?role/i.test(event.message)) return undefined;
  return START_ERRORS.find((c) => c.pattern.test(event.message)) ?? NOT_PLACED;
}


/** The window's stopped tasks by cluster, and its service events by service: indexed once per inventory. */
interface EvidenceIndex {
  tasksByCluster: Map<string, StoppedTask[]>;
  eventsByService: Map<string, ServiceEvent[]>;
}

const indexes = new WeakMap<Inventory, EvidenceIndex>();

function indexOf(inv: Inventory): EvidenceIndex {
  let index = indexes.get(inv);
  if (!index) {
    index = { tasksByCluster: new Map(), eventsByService: new Map() };
    for (const t of inv.evidence?.stoppedTasks ?? []) push(index.tasksByCluster, t.clusterArn, t);
    for (const e of inv.evidence?.serviceEvents ?? []) push(index.eventsByService, e.serviceArn, e);
    indexes.set(inv, index);
  }
  return index;
}

function push<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

/** The stopped tasks of the window that belong to the workload: its service's group, or a scheduled task's family or rule. */
function stoppedTasksOf(inv: Inventory, w: Workload): StoppedTask[] {
  const { tasksByCluster } = indexOf(inv);
  if (w.service) {
    const service = w.service;
    return (tasksByCluster.get(service.clusterArn) ?? []).filter((t) => t.group === `service:${service.name}`);
  }
  const scheduled = w.scheduledTask;
  if (!scheduled) return [];
  const family = inv.taskDefinitions.get(w.taskDefinitionArn)?.family;
  // EventBridge starts them as "events-rule/<rule name, cut short>"; their group is the family unless the target names one.
  const byRule = scheduled.source === 'EventBridge rule' ? `events-rule/${scheduled.name}` : undefined;
  return (tasksByCluster.get(scheduled.clusterArn) ?? []).filter(
    (t) => (byRule !== undefined && t.startedBy !== undefined && t.startedBy.startsWith('events-rule/') && byRule.startsWith(t.startedBy)) || (family !== undefined && t.group === `family:${family}`),
  );
}

// Each workload's evidence, once per inventory (never changed once loaded): the reports ask for it
// under every finding, and a large account has thousands of findings and service events.
const evidenceCache = new WeakMap<Inventory, Map<string, { errors: StartError[]; otherStops: number }>>();

/** The workload's recent evidence: its start errors (newest first), and how many other stops it had. */
export function evidenceOf(inv: Inventory, w: Workload): { errors: StartError[]; otherStops: number } {
  let cache = evidenceCache.get(inv);
  if (!cache) evidenceCache.set(inv, (cache = new Map()));
  let found = cache.get(w.id);
  if (!found) cache.set(w.id, (found = readEvidence(inv, w)));
  return found;
}

function readEvidence(inv: Inventory, w: Workload): { errors: StartError[]; otherStops: number } {
  const errors: StartError[] = [];
  let otherStops = 0;
  for (const task of stoppedTasksOf(inv, w)) {
    const cls = startErrorOfTask(task);
    if (!cls) {
      otherStops++;
      continue;
    }
    const text = redactSecretText(reasonsOf(task));
    errors.push({ source: 'task', id: resourceNameOf(task.arn), arn: task.arn, at: task.stoppedAt ?? '', subnetId: task.subnetId, text, cls, needs: needsInReason(inv, w, text) });
  }
  if (w.service) {
    for (const event of indexOf(inv).eventsByService.get(w.service.arn) ?? []) {
      const cls = startErrorOfEvent(event);
      if (cls) errors.push({ source: 'service event', id: event.id, at: event.createdAt, text: redactSecretText(event.message), cls });
    }
  }
  errors.sort((a, b) => b.at.localeCompare(a.at) || a.id.localeCompare(b.id));
  return { errors, otherStops };
}

/** "2026-12-02 08:41 UTC" */
export function timeOf(iso: string): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : 'at an unknown time';
}

/** The evidence line a report shows under a finding. */
export function evidenceLine(e: StartError): string {
  const what = e.source === 'task' ? `task ${e.id.slice(0, 8)}… stopped ${timeOf(e.at)}` : `service event ${timeOf(e.at)}`;
  return `evidence: ${what}${e.subnetId ? ` in ${e.subnetId}` : ''}: ${shorten(e.text, 300)} (EVD-01)`;
}

/** A long reason keeps its head (the error) and its tail (what timed out where). */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const half = Math.floor((max - 3) / 2);
  return `${text.slice(0, half).trimEnd()} … ${text.slice(-half).trimStart()}`;
}

/**
 * Whether a finding explains a start error: a start finding of one of its class's checks for the
 * workload, about the subnet the task was in when it names subnets (a path of 2a does not explain a
 * task that failed in 2c).
 */
export function explains(finding: Finding, workload: string, error: StartError): boolean {
  if (!canExplain(finding, error.cls) || !error.cls.explainedBy.includes(finding.checkId)) return false;
  if (!finding.workload.split(', ').includes(workload)) return false;
  if (finding.paths?.length) {
    // A finding about the paths explains the errors of its subnets and, when the reason names the need, of that need.
    return finding.paths.some((p) => (!error.subnetId || p.subnetId === error.subnetId) && (!error.needs || error.needs.some((n) => p.to.startsWith(n))));
  }
  if (!error.subnetId) return true;
  // A finding about subnets (NET-04's) explains only errors in the subnets it names.
  const subnets = finding.resourceIds.filter((id) => id.startsWith('subnet-'));
  return subnets.length === 0 || subnets.includes(error.subnetId);
}

/** A start finding explains an error; a resilience finding only the error that is its risk come true. */
function canExplain(finding: Finding, cls: StartErrorClass): boolean {
  return finding.kind === 'start' || (finding.kind === 'resilience' && cls.riskRealized === true);
}

/**
 * The evidence lines of the recent start errors a finding explains, for the reports: one per
 * error, at most `max` per finding (the newest), then how many more.
 */
export function evidenceLinesFor(inv: Inventory, workloads: readonly Workload[], finding: Finding, max = 3): string[] {
  if ((finding.kind !== 'start' && finding.kind !== 'resilience') || !inv.evidence) return [];
  const named = new Set(finding.workload.split(', '));
  const lines = workloads
    .filter((w) => named.has(w.id))
    .flatMap((w) => evidenceOf(inv, w).errors.filter((e) => explains(finding, w.id, e)))
    .sort((a, b) => b.at.localeCompare(a.at));
  return [...lines.slice(0, max).map(evidenceLine), ...(lines.length > max ? [`evidence: and ${lines.length - max} more start errors of the last ${inv.evidence.windowHours} hours (EVD-01)`] : [])];
}

/** What index.ts hands in: a check's metadata and its default run. */
export type CheckRunner = (id: CheckId) => { check: Check; run: (inv: Inventory, w: Workload) => Finding[] | Promise<Finding[]> };

export interface Explanation {
  error: StartError;
  /** The checks with a start finding that explains it. */
  explainedBy: CheckId[];
  /** The checks whose finding for the same need could not be verified (a read that failed): "possibly explained". */
  possibly: { id: CheckId; why: string }[];
}

/** Each start error of the workload with the checks of this run that explain it. */
export async function explainStartErrors(inv: Inventory, w: Workload, runner: CheckRunner): Promise<{ explanations: Explanation[]; otherStops: number }> {
  const { errors, otherStops } = evidenceOf(inv, w);
  const findings = new Map<CheckId, Finding[]>();
  const findingsOf = async (id: CheckId): Promise<Finding[]> => {
    let found = findings.get(id);
    if (!found) {
      const { check, run } = runner(id);
      // As the scenarios run it: only where it applies, and not on data AWS refused.
      const applies = applicableWorkloads(inv, [w], check).applicable.length > 0;
      const refused = deniedAmong(inv, check.reads);
      found = !applies
        ? []
        : refused.length
          ? [{ ...REFUSED, checkId: id, workload: w.id, notEvaluated: `AWS denied ${refused.join(', ')}` }]
          : await run(inv, w);
      findings.set(id, found);
    }
    return found;
  };
  const explanations: Explanation[] = [];
  for (const error of errors) {
    const explainedBy: CheckId[] = [];
    const possibly: { id: CheckId; why: string }[] = [];
    for (const id of error.cls.explainedBy) {
      const relevant = (await findingsOf(id)).filter((f) => explains(f, w.id, error));
      if (relevant.some((f) => !f.notEvaluated)) explainedBy.push(id);
      else if (relevant.length) possibly.push({ id, why: relevant.find((f) => f.notEvaluated)!.notEvaluated! });
    }
    explanations.push({ error, explainedBy, possibly });
  }
  return { explanations, otherStops };
}

/** A stand-in start finding for a check whose reads AWS refused: it cannot say, so it possibly explains. */
const REFUSED: Omit<Finding, 'checkId' | 'workload'> = {
  kind: 'start',
  resourceIds: [],
  problem: '',
  expected: '',
  impact: '',
  fix: { console: '', cli: '' },
};

/**
 * EVD-01 over one workload: a finding per class of start error that no finding explains, naming the
 * tasks, the workload and the error; "could not be evaluated" when the stopped tasks were not read.
 */
export async function startErrorsExplained(inv: Inventory, w: Workload, runner: CheckRunner): Promise<Finding[]> {
  const evidence = inv.evidence;
  const region = inv.region;
  if (!evidence || evidence.unread || !evidence.stoppedTasks) {
    return [
      {
        checkId: 'EVD-01',
        kind: 'evidence',
        workload: w.id,
        resourceIds: [],
        problem: 'the recent stopped tasks could not be read',
        expected: 'ecs:ListTasks (desiredStatus STOPPED) and ecs:DescribeTasks answered',
        impact: EVD_01.risk,
        fix: { console: 'grant ecs:ListTasks and ecs:DescribeTasks to the identity running the suite', cli: 'iam/readonly-policy.json lists every action the suite needs' },
        notEvaluated: evidence?.unread ?? 'this inventory was built without the evidence reads',
      },
    ];
  }
  const { explanations } = await explainStartErrors(inv, w, runner);
  const unexplained = explanations.filter((e) => e.explainedBy.length === 0 && e.possibly.length === 0);
  const byClass = new Map<string, StartError[]>();
  for (const { error } of unexplained) byClass.set(error.cls.name, [...(byClass.get(error.cls.name) ?? []), error]);
  const cluster = w.clusterName;
  return [...byClass.values()].map((errors) => {
    const tasks = errors.filter((e) => e.source === 'task');
    const events = errors.filter((e) => e.source === 'service event');
    const newest = errors[0];
    const ids = tasks.map((e) => e.id);
    const eventsSaid = `${events.length === 1 ? 'a service event' : `${events.length} service events`} of ${w.id}`;
    const what = tasks.length
      ? `${tasks.length === 1 ? 'task' : 'tasks'} ${ids.join(', ')} of ${w.id} stopped${events.length ? ` (and ${eventsSaid} said so)` : ''} with`
      : `${eventsSaid} said:`;
    const checks = newest.cls.explainedBy;
    return {
      checkId: 'EVD-01' as const,
      kind: 'evidence' as const,
      workload: w.id,
      resourceIds: [...tasks.map((e) => e.arn!), ...(w.service ? [w.service.arn] : [])],
      problem: `${what} ${newest.text} at ${timeOf(newest.at)}; no check explains it${checks.length ? ` (${checks.join(', ')} found no start failure that would)` : ''}: the suite missed something — tell the suite's maintainers, with the stopped reason, so that a check covers it`,
      expected: `every start error of the last ${evidence.windowHours} hours explained by a start finding of ${checks.join(', ') || 'a check'}`,
      impact: EVD_01.risk,
      fix: {
        console: tasks.length
          ? `ECS → Clusters → ${cluster} → Tasks → Filter desired status: Stopped → ${ids[0]} → Stopped reason`
          : `ECS → Clusters → ${cluster} → Services → ${w.service?.name ?? w.id} → Events`,
        cli: tasks.length
          ? `aws ecs describe-tasks --cluster ${cluster} --tasks ${ids.join(' ')} --query "tasks[].{task:taskArn,stopCode:stopCode,stoppedReason:stoppedReason,containers:containers[].reason}" --region ${region}`
          : `aws ecs describe-services --cluster ${cluster} --services ${w.service?.name ?? w.id} --query "services[].events[:10]" --region ${region}`,
      },
    };
  });
}

/** The note EVD-01 leaves in the log for one workload: each start error with what explains it, and the other stops it ignored. */
export async function evidenceNote(inv: Inventory, w: Workload, runner: CheckRunner): Promise<string | undefined> {
  if (!inv.evidence?.stoppedTasks) return undefined;
  const { explanations, otherStops } = await explainStartErrors(inv, w, runner);
  const lines = [
    `evidence of ${w.id} (the ${inv.evidence.windowHours} hours before ${timeOf(inv.evidence.asOf ?? '')}; ECS keeps stopped tasks visible for about an hour):`,
    ...explanations.map(({ error, explainedBy, possibly }) => {
      const verdict = explainedBy.length
        ? `explained by ${explainedBy.join(', ')}`
        : possibly.length
          ? `possibly explained by ${possibly.map((p) => `${p.id} (${p.why})`).join(', ')}`
          : 'explained by no check';
      return `  - ${evidenceLine(error).replace(/^evidence: /, '').replace(/ \(EVD-01\)$/, '')} — ${verdict}`;
    }),
    ...(otherStops
      ? [`  ${otherStops} other stopped ${otherStops === 1 ? 'task was not a start error' : 'tasks were not start errors'} (exits after running, scale-ins, deployments replacing tasks, user stops): ignored`]
      : []),
  ];
  if (explanations.length === 0) lines.splice(1, 0, '  no recent start error: no task stopped before it started, no service event says a task could not be placed or launched');
  return lines.join('\n');
}
