// IMG-01's CLI fixes run as pasted: each is given to bash with a stand-in `aws` on PATH that answers
// from the img account's recordings and checks what register-task-definition, update-service,
// put-targets, update-schedule and set-repository-policy receive against the SDK's own input
// shapes. No fix has a <placeholder> that bash would read as a redirect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inputMembers, noJq, runFix } from '../helpers/run-fix';
import { RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { AwsGateway } from '../../support/aws/gateway';
import type { Snapshot } from '../../support/aws/snapshot';
import { imagesExist } from '../../support/checks/images';
import { loadInventory } from '../../support/inventory/load';
import type { Inventory } from '../../support/inventory/model';
import { selectWorkloads, type Workload } from '../../support/workloads';
import { service } from '../helpers/accounts';

const ORDERS_42 = 'arn:aws:ecs:us-east-1:739164025817:task-definition/orders:42';
const REGISTERED = 'arn:aws:ecs:us-east-1:739164025817:task-definition/orders:43';

function snapshotOf(name: string): Snapshot {
  return JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'accounts', `${name}.json`), 'utf8')) as Snapshot;
}

async function img(): Promise<{ inv: Inventory; snapshot: Snapshot }> {
  const snapshot = snapshotOf('img');
  return { inv: await loadInventory(AwsGateway.replay(snapshot, 'img.json')), snapshot };
}

/** What describe-task-definition --query taskDefinition prints for orders:42: the recording's taskDefinition. */
function ordersDefinition(snapshot: Snapshot): Record<string, unknown> {
  const call = snapshot.calls['ecs:DescribeTaskDefinition']!.find((c) => (c.input as { taskDefinition: string }).taskDefinition === ORDERS_42)!;
  return (call.pages![0] as { taskDefinition: Record<string, unknown> }).taskDefinition;
}

function checkRegistered(file: unknown, image: string): void {
  const allowed = new Set(inputMembers(new RegisterTaskDefinitionCommand({ family: 'x', containerDefinitions: [] }) as never));
  const definition = file as { family: string; containerDefinitions: { name: string; image: string }[] };
  for (const key of Object.keys(definition)) assert.ok(allowed.has(key), `register-task-definition does not take ${key}`);
  assert.equal(definition.family, 'orders');
  assert.equal(definition.containerDefinitions.find((c) => c.name === 'orders')?.image, image);
}

test('the missing tag of a service: set IMAGE, register the definition without what register refuses, and move the service to it', { skip: noJq }, async () => {
  const { inv, snapshot } = await img();
  const [finding] = await imagesExist(inv, service(inv, 'commerce', 'orders'));
  assert.doesNotMatch(finding.fix.cli, /<[^>\s]+>/, 'no <placeholder>');
  const run = runFix(finding.fix.cli, { 'ecr describe-images': 'v2.4.0', 'ecs describe-task-definition': ordersDefinition(snapshot), 'ecs register-task-definition': REGISTERED });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(run.calls.map((c) => `${c.args[0]} ${c.args[1]}`), ['ecr describe-images', 'ecs describe-task-definition', 'ecs register-task-definition', 'ecs update-service']);
  checkRegistered(run.calls[2].file, '739164025817.dkr.ecr.us-east-1.amazonaws.com/orders:v2.4.0');
  assert.deepEqual(run.calls[3].args.slice(2, 8), ['--cluster', 'commerce', '--service', 'orders', '--task-definition', 'orders']);
  // A repository without a tagged image: nothing is registered.
  const none = runFix(finding.fix.cli, { 'ecr describe-images': 'None', 'ecs describe-task-definition': ordersDefinition(snapshot) });
  assert.notEqual(none.status, 0);
  assert.equal(none.calls.length, 1);
});

test('the missing tag of a scheduled task that names its revision: the rule\'s target or the schedule is moved to the new revision', { skip: noJq }, async () => {
  const { inv, snapshot } = await img();
  const orders = service(inv, 'commerce', 'orders');
  const scheduled = (source: 'EventBridge rule' | 'EventBridge Scheduler schedule', name: string, taskDefinitionArn: string): Workload => ({
    ...orders,
    kind: 'scheduled task',
    id: `${source === 'EventBridge rule' ? 'rule' : 'schedule'}/${name}`,
    service: undefined,
    scheduledTask: { source, name, arn: `arn:aws:events:us-east-1:739164025817:rule/${name}`, clusterArn: orders.service!.clusterArn, taskDefinitionArn, capacityProviders: [], taskCount: 1 },
  });
  const reads = { 'ecr describe-images': 'v2.4.0', 'ecs describe-task-definition': ordersDefinition(snapshot), 'ecs register-task-definition': REGISTERED };

  const [rule] = await imagesExist(inv, scheduled('EventBridge rule', 'orders-nightly', ORDERS_42));
  const target = { Id: 'orders', Arn: 'arn:aws:ecs:us-east-1:739164025817:cluster/commerce', RoleArn: 'arn:aws:iam::739164025817:role/events-ecs', EcsParameters: { TaskDefinitionArn: ORDERS_42, TaskCount: 1, LaunchType: 'FARGATE' } };
  const other = { Id: 'audit', Arn: 'arn:aws:lambda:us-east-1:739164025817:function:audit' };
  const byRule = runFix(rule.fix.cli, { ...reads, 'events list-targets-by-rule': [target, other] });
  assert.equal(byRule.status, 0, byRule.stderr);
  assert.deepEqual(byRule.calls.map((c) => `${c.args[0]} ${c.args[1]}`), ['ecr describe-images', 'ecs describe-task-definition', 'ecs register-task-definition', 'events list-targets-by-rule', 'events put-targets']);
  checkRegistered(byRule.calls[2].file, '739164025817.dkr.ecr.us-east-1.amazonaws.com/orders:v2.4.0');
  assert.deepEqual(byRule.calls[4].file, [{ ...target, EcsParameters: { ...target.EcsParameters, TaskDefinitionArn: REGISTERED } }, other]);
  assert.ok(byRule.calls[4].args.includes('orders-nightly'));

  const [schedule] = await imagesExist(inv, scheduled('EventBridge Scheduler schedule', 'batch/orders-report', ORDERS_42));
  const got = {
    Arn: 'arn:aws:scheduler:us-east-1:739164025817:schedule/batch/orders-report',
    CreationDate: '2026-10-01T00:00:00Z',
    LastModificationDate: '2026-10-02T00:00:00Z',
    Name: 'orders-report',
    GroupName: 'batch',
    ScheduleExpression: 'cron(0 3 * * ? *)',
    FlexibleTimeWindow: { Mode: 'OFF' },
    State: 'ENABLED',
    Target: { Arn: 'arn:aws:ecs:us-east-1:739164025817:cluster/commerce', RoleArn: 'arn:aws:iam::739164025817:role/scheduler-ecs', EcsParameters: { TaskDefinitionArn: ORDERS_42, TaskCount: 1 } },
  };
  const bySchedule = runFix(schedule.fix.cli, { ...reads, 'scheduler get-schedule': got });
  assert.equal(bySchedule.status, 0, bySchedule.stderr);
  assert.deepEqual(bySchedule.calls.map((c) => `${c.args[0]} ${c.args[1]}`).slice(3), ['scheduler get-schedule', 'scheduler update-schedule']);
  assert.ok(bySchedule.calls[3].args.includes('orders-report') && bySchedule.calls[3].args.includes('batch'));
  const updated = bySchedule.calls[4].file as Record<string, unknown> & { Target: { EcsParameters: { TaskDefinitionArn: string } } };
  const allowed = new Set(inputMembers(new UpdateScheduleCommand({} as never) as never));
  for (const key of Object.keys(updated)) assert.ok(allowed.has(key), `update-schedule does not take ${key}`);
  assert.equal(updated.Target.EcsParameters.TaskDefinitionArn, REGISTERED);

  // A target naming the family runs the latest revision: registering is all.
  const [latest] = await imagesExist(inv, scheduled('EventBridge rule', 'orders-latest', 'arn:aws:ecs:us-east-1:739164025817:task-definition/orders'));
  const byFamily = runFix(latest.fix.cli, reads);
  assert.equal(byFamily.status, 0, byFamily.stderr);
  assert.deepEqual(byFamily.calls.map((c) => `${c.args[0]} ${c.args[1]}`), ['ecr describe-images', 'ecs describe-task-definition', 'ecs register-task-definition']);
  assert.match(latest.fix.cli, /# .*runs the latest revision of orders/);
});

test('another account\'s repository: the policy set keeps every existing statement, adds one for the role, and is valid JSON whatever quotes it holds', async () => {
  const { inv } = await img();
  const baseWorker = service(inv, 'commerce', 'base-worker');
  const repository = 'arn:aws:ecr:us-east-1:583920174618:repository/platform/base-worker';
  const existing = [
    { Sid: "Platform's CI", Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::583920174618:role/platform-ci' }, Action: ['ecr:BatchGetImage', 'ecr:PutImage'] },
    { Sid: 'AllowPullByExecutionRole', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/other' }, Action: 'ecr:BatchGetImage' },
  ];
  inv.repositoryPolicies.set(repository, { document: { Version: '2012-10-17', Statement: existing } });
  const [finding] = await imagesExist(inv, baseWorker);
  assert.match(finding.fix.cli, /# run in account 583920174618/);
  const run = runFix(finding.fix.cli, {});
  assert.equal(run.status, 0, run.stderr);
  const args = run.calls[0].args;
  assert.deepEqual(args.slice(0, 6), ['ecr', 'set-repository-policy', '--registry-id', '583920174618', '--repository-name', 'platform/base-worker']);
  const policy = JSON.parse(args[args.indexOf('--policy-text') + 1]) as { Statement: { Sid: string; Principal: { AWS: string } }[] };
  assert.deepEqual(policy.Statement.slice(0, 2), existing, 'the existing statements, unchanged');
  assert.equal(policy.Statement[2].Principal.AWS, 'arn:aws:iam::739164025817:role/ecsTaskExecutionRole');
  assert.equal(new Set(policy.Statement.map((s) => s.Sid)).size, 3, 'statement IDs are unique');

  // A Deny that applies to the role is not undone by an Allow beside it: the fix says to edit it.
  inv.repositoryPolicies.set(repository, { document: { Version: '2012-10-17', Statement: [...existing, { Sid: 'DenyOutsiders', Effect: 'Deny', Principal: '*', Action: 'ecr:*', Condition: { StringNotEquals: { 'aws:PrincipalAccount': '583920174618' } } }] } });
  const [denied] = await imagesExist(inv, baseWorker);
  assert.doesNotMatch(denied.fix.cli, /^aws ecr set-repository-policy/);
  assert.match(denied.fix.cli, /^aws ecr get-repository-policy .*> policy\.json {2}# run in account 583920174618; edit Deny statement "DenyOutsiders"/);
});

test('no IMG-01 fix on the img accounts, or when the reads fail, has a <placeholder>, and each is a command bash can parse', async () => {
  const accounts: Inventory[] = [];
  for (const name of ['img', 'img-healthy']) accounts.push(await loadInventory(AwsGateway.replay(snapshotOf(name), `${name}.json`)));
  for (const op of ['ecr:DescribeImages', 'ecr:GetRepositoryPolicy', 'ecr:DescribePullThroughCacheRules'] as const) {
    const snapshot = snapshotOf('img');
    snapshot.calls[op] = snapshot.calls[op]!.map((c) => ({ input: c.input, error: { name: 'AccessDeniedException', message: `not authorized to perform: ${op}` } }));
    accounts.push(await loadInventory(AwsGateway.replay(snapshot, `img-${op}.json`)));
  }
  let fixes = 0;
  for (const inv of accounts) {
    for (const w of selectWorkloads(inv, { kind: 'all workloads' })) {
      for (const f of await imagesExist(inv, w)) {
        fixes++;
        assert.doesNotMatch(f.fix.cli, /<[^>\s]*>/, f.fix.cli);
        const parsed = spawnSync('bash', ['-n', '-c', f.fix.cli], { encoding: 'utf8' });
        assert.equal(parsed.status, 0, `${f.fix.cli}\n${parsed.stderr}`);
      }
    }
  }
  assert.ok(fixes >= 8, `${fixes} fixes looked at`);
});
