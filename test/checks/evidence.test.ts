// EVD-01: the table from start error to the checks that explain it; explained, possibly explained
// and unexplained errors; the window "recent" means; and what a report may print of a reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AwsGateway } from '../../support/aws/gateway';
import type { Snapshot } from '../../support/aws/snapshot';
import { CHECKS, explainingRun, RUNS } from '../../support/checks';
import {
  evidenceLinesFor,
  evidenceNote,
  evidenceOf,
  explains,
  needInReason,
  explainStartErrors,
  START_ERRORS,
  startErrorOfEvent,
  startErrorOfTask,
  startErrorsExplained,
  type CheckRunner,
} from '../../support/checks/evidence';
import { loadInventory } from '../../support/inventory/load';
import type { Inventory, StoppedTask } from '../../support/inventory/model';
import { redactSecretText } from '../../support/util/redact-text';
import { account, ids, service } from '../helpers/accounts';

function snapshotOf(name: string): Snapshot {
  return JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'accounts', `${name}.json`), 'utf8')) as Snapshot;
}

function stopped(reason: string, more: Partial<StoppedTask> = {}): StoppedTask {
  return { arn: 'arn:aws:ecs:us-east-1:123456789012:task/c/0123456789abcdef0123456789abcdef', clusterArn: 'c', taskDefinitionArn: 'td', stopCode: 'TaskFailedToStart', stoppedReason: reason, containers: [], ...more };
}

const classOf = (reason: string, more?: Partial<StoppedTask>) => startErrorOfTask(stopped(reason, more))?.name;

test('each start error ECS reports maps to the checks that explain it, in one table', () => {
  const explainedBy = (reason: string) => START_ERRORS.find((c) => c.pattern.test(reason))?.explainedBy;
  assert.deepEqual(
    explainedBy('CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v42: 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v42: not found'),
    ['IMG-01'],
  );
  assert.deepEqual(explainedBy('CannotPullContainerError: ... manifest unknown: Requested image not found'), ['IMG-01']);
  assert.deepEqual(explainedBy('CannotPullContainerError: pull access denied: AccessDeniedException: User is not authorized to perform: ecr:BatchGetImage'), ['IAM-02', 'IMG-01']);
  assert.deepEqual(explainedBy('CannotPullContainerError: ref pull has been retried 5 time(s): ... dial tcp 52.219.204.42:443: i/o timeout'), [
    'EP-01', 'EP-02', 'EP-04', 'EP-05', 'NET-01', 'NET-02', 'SG-01', 'SG-02', 'NACL-01', 'NACL-02', 'RT-01', 'TD-03', 'DNS-01', 'DNS-02',
  ]);
  assert.ok(explainedBy('ResourceInitializationError: unable to pull secrets or registry auth: ... GetAuthorizationToken ... i/o timeout')!.includes('IAM-05'));
  assert.deepEqual(explainedBy('ResourceInitializationError: failed to download env files: file download command: non empty error stream'), ['TD-02', 'IAM-04', 'EP-05', 'EP-06', 'NET-01', 'NET-02', 'SG-01', 'NACL-01', 'RT-01']);
  assert.deepEqual(explainedBy('ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times'), ['IAM-03', 'EP-07', 'NET-01', 'NET-02', 'SG-01', 'SG-02', 'NACL-01', 'NACL-02', 'RT-01', 'EP-04', 'DNS-01', 'DNS-02']);
  assert.deepEqual(explainedBy('CannotStartContainerError: Error response from daemon: failed to initialize logging driver: awslogs'), ['IAM-03', 'EP-07', 'NET-01', 'NET-02', 'SG-01', 'SG-02', 'NACL-01', 'NACL-02', 'RT-01', 'EP-04', 'DNS-01', 'DNS-02']);
  assert.deepEqual(explainedBy('ECS was unable to assume the role arn:aws:iam::123456789012:role/exec'), ['IAM-01']);
  assert.deepEqual(explainedBy('ResourceInitializationError: no free IP addresses in subnet subnet-0a1b'), ['NET-04']);
  assert.deepEqual(explainedBy('InsufficientFreeAddressesInSubnet: The specified subnet does not have enough free addresses to satisfy the request.'), ['NET-04']);
  // A task that failed to start for a reason the table does not know: a path is the usual cause.
  assert.equal(classOf('Timeout waiting for network interface provisioning to complete.'), 'TaskFailedToStart');
  assert.equal(classOf('Task failed to start'), 'TaskFailedToStart');
  assert.deepEqual(startErrorOfTask(stopped('Task failed to start'))!.explainedBy, ['NET-02']);
  // Every check that can claim a start failure explains some start error; the others explain none (NET-04 its own risk come true).
  const explaining = new Set(START_ERRORS.flatMap((c) => c.explainedBy));
  assert.deepEqual(
    [...CHECKS.values()].filter((c) => !explaining.has(c.id)).map((c) => c.id),
    [...CHECKS.values()].filter((c) => !c.kinds.includes('start') && c.id !== 'NET-04').map((c) => c.id),
  );
  assert.deepEqual(explainedBy("Fargate only supports network mode 'awsvpc'."), ['TD-01']);
});

test("a deployment that ran out of addresses is explained by NET-04's resilience finding about that subnet, and only about that subnet", async () => {
  const inv = await account('net04');
  const findings = await RUNS['NET-04'](inv, service(inv, 'checkout', 'checkout-worker'));
  const finding = findings[0];
  assert.equal(finding.kind, 'resilience');
  const short = finding.resourceIds.find((id) => id.startsWith('subnet-'))!;
  const noRoom = START_ERRORS.find((c) => c.name === 'no free IP addresses')!;
  const error = (subnetId: string, cls = noRoom) => ({ source: 'task' as const, id: 't', at: '2026-12-02T08:00:00.000Z', subnetId, text: 'x', cls });
  assert.equal(explains(finding, 'checkout/checkout-worker', error(short)), true);
  assert.equal(explains(finding, 'checkout/checkout-worker', error('subnet-00000000000000000')), false);
  // A resilience finding never explains an error that is not its own risk come true.
  assert.equal(explains(finding, 'checkout/checkout-worker', error(short, START_ERRORS[0])), false);
});

test("004: an env file that failed to download from another region's bucket is shown beside the findings about that region's path, not beside the layers' gateway endpoint", async () => {
  const inv = await account('004');
  const api = service(inv, 'cherry-cluster', 'cherry-api');
  const lines = async (id: 'TD-02' | 'EP-05' | 'NET-02', to: string) =>
    (await RUNS[id](inv, api)).filter((f) => f.kind === 'start' && f.paths?.some((p) => p.to === to)).flatMap((f) => evidenceLinesFor(inv, [api], f));
  assert.ok((await lines('TD-02', 's3@us-east-2')).some((l) => /failed to download env files/.test(l)));
  assert.ok((await lines('NET-02', 's3@us-east-2')).length > 0);
  assert.deepEqual(await lines('EP-05', 's3@ap-northeast-2'), []);
  assert.deepEqual(await lines('NET-02', 's3@ap-northeast-2'), []);
});

test('the need a reason shows failed: the request it quotes, the most specific first', () => {
  const image = '123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/api:v42';
  assert.equal(needInReason(`CannotPullContainerError: pull ${image}: failed to copy: httpReadSeeker: failed open: failed to do request: Get "https://prod-ap-northeast-2-starport-layer-bucket.s3.ap-northeast-2.amazonaws.com/": dial tcp 52.219.204.42:443: i/o timeout`), 's3');
  assert.equal(needInReason(`CannotPullContainerError: ref pull has been retried 5 time(s): failed to resolve ref ${image}: failed to do request: Head "https://${image.split('/')[0]}/v2/api/manifests/v42": dial tcp 10.0.1.5:443: i/o timeout`), 'ecr.dkr');
  assert.equal(needInReason('ResourceInitializationError: unable to pull secrets or registry auth: operation error ECR: GetAuthorizationToken, exceeded maximum number of attempts'), 'ecr.api');
  assert.equal(needInReason('ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: operation error Secrets Manager: GetSecretValue'), 'secretsmanager');
  assert.equal(needInReason('ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times'), 'logs');
  assert.equal(needInReason('Task failed to start'), undefined);
});

test('stops that are not start errors are ignored: exits after running, scale-ins, deployments, users', () => {
  assert.equal(classOf('Essential container in task exited', { stopCode: 'EssentialContainerExited', startedAt: '2026-12-02T08:00:00.000Z', containers: [{ name: 'api', exitCode: 1 }] }), undefined);
  assert.equal(classOf('Scaling activity initiated by (deployment ecs-svc/1234567890123456789)', { stopCode: 'ServiceSchedulerInitiated', startedAt: '2026-12-02T08:00:00.000Z' }), undefined);
  assert.equal(classOf('Task stopped by user', { stopCode: 'UserInitiated', startedAt: '2026-12-02T08:00:00.000Z' }), undefined);
  // On EC2 a pull failure stops the task as "Essential container in task exited", before it started: a start error.
  assert.equal(
    classOf('Essential container in task exited', { stopCode: 'EssentialContainerExited', containers: [{ name: 'api', reason: 'CannotPullContainerError: failed to do request: dial tcp 3.5.188.72:443: i/o timeout' }] }),
    'CannotPullContainerError: timeout',
  );
  const event = (message: string) => startErrorOfEvent({ serviceArn: 's', id: 'e', createdAt: '2026-12-02T08:00:00.000Z', message })?.name;
  assert.equal(event('(service api) has reached a steady state.'), undefined);
  assert.equal(event('(service api) (task 0123) failed container health checks.'), undefined);
  assert.equal(event('(service api) failed to launch a task with (error ECS was unable to assume the role arn:aws:iam::123456789012:role/exec)'), 'unable to assume role');
  assert.equal(event('(service api) was unable to place a task because no container instance met all of its requirements.'), 'a task could not be placed or launched');
});

test('demo: each task that failed in 2b or 2c is explained by the start findings about its own subnet', async () => {
  const inv = await account('demo');
  const nest = service(inv, ...ids.nestjs);
  const { explanations, otherStops } = await explainStartErrors(inv, nest, explainingRun);
  assert.equal(otherStops, 2, 'the two tasks the deployment replaced');
  assert.deepEqual(
    explanations.map((e) => [e.error.id.slice(0, 8), e.error.subnetId]),
    [
      ['fe847efd', ids.privateB],
      ['8b84fa1e', ids.privateB],
      ['79e1a07c', ids.privateC],
    ],
  );
  for (const e of explanations) for (const id of ['EP-05', 'NET-02', 'RT-01'] as const) assert.ok(e.explainedBy.includes(id), `${e.error.id}: ${id}`);
  assert.deepEqual(await startErrorsExplained(inv, nest, explainingRun), []);
  assert.deepEqual(await RUNS['EVD-01'](inv, nest), []);
  // Beside a finding about 2b: the 2b tasks, not the 2c one.
  const net02 = (await RUNS['NET-02'](inv, nest)).find((f) => f.paths?.every((p) => p.subnetId === ids.privateB && p.to.startsWith('s3@')))!;
  const lines = evidenceLinesFor(inv, [nest], net02);
  // The reasons quote the layer bucket: the findings about ecr.dkr's name (EP-04) do not explain them.
  for (const e of explanations) assert.ok(!e.explainedBy.includes('EP-04'), `${e.error.id}: not EP-04`);
  const ep04 = (await RUNS['EP-04'](inv, nest)).find((f) => f.kind === 'start')!;
  assert.deepEqual(evidenceLinesFor(inv, [nest], ep04), []);
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^evidence: task fe847efd… stopped 2026-11-20 08:40 UTC in subnet-0c10e5b6a7b8c9d0b: CannotPullContainerError: .*dial tcp 52\.219\.148\.62:443: i\/o timeout \(EVD-01\)$/);
  assert.ok(!lines.some((l) => l.includes('79e1a07c')));
});

test('a start error no finding explains is reported, naming the tasks, the workload and the error; its twin passes', async () => {
  const inv = await account('evidence-unexplained');
  const api = service(inv, 'orders', 'orders-api');
  const [finding, ...rest] = await startErrorsExplained(inv, api, explainingRun);
  assert.equal(rest.length, 0, 'one finding per kind of error');
  assert.equal(finding.kind, 'evidence');
  assert.equal(finding.resourceIds.length, 4, 'the three tasks and the service');
  assert.match(
    finding.problem,
    /^tasks 7c15e4a9b28d3f06e4a7c1d95b0e2f83, 2a6f0c8e93d147b5a2e6c09f81d3b7e4, e9d37b1c54a8f2063b7ac1e9d05f4a28 of orders\/orders-api stopped with ResourceInitializationError: failed to validate logger args: .*The specified log group does not exist\. : exit status 1 at 2026-12-02 08:48 UTC; no check explains it \(IAM-03, EP-07, NET-01, NET-02, SG-01, SG-02, NACL-01, NACL-02, RT-01, EP-04, DNS-01, DNS-02 found no start failure that would\): the suite missed something — tell the suite's maintainers, with the stopped reason, so that a check covers it$/,
  );
  assert.match(finding.fix.cli, /^aws ecs describe-tasks --cluster orders --tasks 7c15e4a9b28d3f06e4a7c1d95b0e2f83 2a6f0c8e93d147b5a2e6c09f81d3b7e4 e9d37b1c54a8f2063b7ac1e9d05f4a28 .* --region us-east-1$/);
  assert.match((await evidenceNote(inv, api, explainingRun))!, /explained by no check[\s\S]*1 other stopped task was not a start error/);

  const twin = await account('evidence-unexplained-healthy');
  const twinApi = service(twin, 'orders', 'orders-api');
  assert.deepEqual(await startErrorsExplained(twin, twinApi, explainingRun), []);
  assert.deepEqual(evidenceOf(twin, twinApi), { errors: [], otherStops: 2 });
  assert.match((await evidenceNote(twin, twinApi, explainingRun))!, /no recent start error[\s\S]*2 other stopped tasks were not start errors/);
});

test('a finding the engine could not verify for the same need only possibly explains an error, and is not reported as unexplained', async () => {
  const inv = await account('evidence-unexplained');
  const api = service(inv, 'orders', 'orders-api');
  const unverified: CheckRunner = (id) => ({
    ...explainingRun(id),
    run: (_inv, w) =>
      id === 'EP-07'
        ? [{ checkId: 'EP-07', kind: 'start', workload: w.id, resourceIds: [], problem: 'logs', expected: '', impact: '', fix: { console: '', cli: '' }, notEvaluated: 'AWS denied ec2:DescribeNetworkAcls' }]
        : [],
  });
  const { explanations } = await explainStartErrors(inv, api, unverified);
  assert.ok(explanations.every((e) => e.explainedBy.length === 0 && e.possibly.map((p) => p.id).join() === 'EP-07'));
  assert.deepEqual(await startErrorsExplained(inv, api, unverified), []);
  assert.match((await evidenceNote(inv, api, unverified))!, /possibly explained by EP-07 \(AWS denied ec2:DescribeNetworkAcls\)/);
});

test("recent means the 24 hours before the snapshot's recording, so that a replay gives the same verdict any day", async () => {
  const replayAt = async (recordedAt: string | undefined): Promise<Inventory> => {
    const snapshot = snapshotOf('demo');
    if (recordedAt) snapshot.recordedAt = recordedAt;
    else delete snapshot.recordedAt;
    return loadInventory(AwsGateway.replay(snapshot, 'demo.json'));
  };
  const stoppedIds = (inv: Inventory) => (inv.evidence?.stoppedTasks ?? []).map((t) => t.arn.split('/').pop()!.slice(0, 8)).sort();
  assert.deepEqual(stoppedIds(await replayAt('2026-11-20T09:00:00.000Z')), ['1c5f9b3e', '79e1a07c', '8b84fa1e', '8d3a6f0c', 'fe847efd']);
  // A day later the first failure has left the window; tasks stopped after "now" were not yet stopped.
  assert.deepEqual(stoppedIds(await replayAt('2026-11-21T08:30:00.000Z')), ['1c5f9b3e', '8b84fa1e', '8d3a6f0c', 'fe847efd']);
  assert.deepEqual(stoppedIds(await replayAt('2026-11-20T08:36:00.000Z')), ['79e1a07c', '8b84fa1e', '8d3a6f0c']);
  // Without a recording time nothing says what was recent: not evaluated, never a pass.
  const undated = await replayAt(undefined);
  assert.equal(undated.evidence?.stoppedTasks, undefined);
  const [finding] = await startErrorsExplained(undated, service(undated, ...ids.nestjs), explainingRun);
  assert.match(finding.notEvaluated!, /the snapshot has no recordedAt/);
});

test('a snapshot recorded before the stopped tasks were read, or a denied read of them: EVD-01 cannot be evaluated, every other check is unchanged', async () => {
  const before = snapshotOf('demo');
  before.calls['ecs:ListTasks'] = before.calls['ecs:ListTasks']!.filter((c) => c.input.desiredStatus === 'RUNNING');
  const old = await loadInventory(AwsGateway.replay(before, 'old.json'));
  const current = await account('demo');
  const nest = service(old, ...ids.nestjs);
  const [finding] = await startErrorsExplained(old, nest, explainingRun);
  assert.equal(finding.kind, 'evidence');
  assert.match(finding.notEvaluated!, /the snapshot holds no stopped tasks of cluster cluster-nestjs-second \(it was recorded before the suite read them\): record the account again/);
  assert.equal(old.tasks.length, current.tasks.length);
  assert.deepEqual(await RUNS['NET-02'](old, nest), await RUNS['NET-02'](current, service(current, ...ids.nestjs)));

  const denying = snapshotOf('demo');
  denying.calls['ecs:ListTasks'] = denying.calls['ecs:ListTasks']!.map((c) =>
    c.input.desiredStatus === 'STOPPED' ? { input: c.input, error: { name: 'AccessDeniedException', message: 'User is not authorized to perform: ecs:ListTasks' } } : c,
  );
  const denied = await loadInventory(AwsGateway.replay(denying, 'denying.json'));
  assert.equal(denied.tasks.length, current.tasks.length, 'the running tasks are still read');
  assert.match(denied.evidence!.unread!, /the stopped tasks of cluster cluster-nestjs-second could not be read: .*ecs:ListTasks/);
  assert.ok((await startErrorsExplained(denied, service(denied, ...ids.nestjs), explainingRun))[0].notEvaluated);
});

test('what a report prints of a reason carries no credentials: URLs with a password, key=value secrets, access keys', async () => {
  assert.equal(
    redactSecretText('CannotPullContainerError: failed to do request: Head "https://deploy:s3cr3t-Pa55@registry.example.com/v2/api/manifests/1": i/o timeout'),
    'CannotPullContainerError: failed to do request: Head "https://REDACTED@registry.example.com/v2/api/manifests/1": i/o timeout',
  );
  assert.equal(redactSecretText('Get "https://bucket.s3.amazonaws.com/layer?X-Amz-Security-Token=IQoJb3JpZ2luX2VjE&X-Amz-Signature=abc": i/o timeout'), 'Get "https://bucket.s3.amazonaws.com/layer?X-Amz-Security-Token=REDACTED&X-Amz-Signature=abc": i/o timeout');
  assert.equal(redactSecretText('exec: DB_PASSWORD=hunter2 API_TOKEN=abc123 key AKIAIOSFODNN7EXAMPLE'), 'exec: DB_PASSWORD=REDACTED API_TOKEN=REDACTED key REDACTED');
  // What the reasons are about stays: the registry auth call, the env file, the log group.
  const kept = 'ResourceInitializationError: unable to pull secrets or registry auth: operation error ECR: GetAuthorizationToken, exceeded maximum number of attempts';
  assert.equal(redactSecretText(kept), kept);
  // Headers, other spellings of key and value, command lines, tokens by their shape.
  const planted = [
    'Authorization: Bearer p1eyJhbGciOi',
    'X-Api-Key: p2key',
    'Basic dXNlcjpwYXNzcDM=',
    'DB_PASS=p4pass',
    'MYSQL_PWD=p5pwd',
    'aws_secret_access_key = p6wJalrXUtnFEMI',
    'PGPASSWORD: p7colon',
    '--password p8cli',
    '--db-password=p9cli',
    'ghp_p10abcdefghijklmnopqrstuvwxyz0123',
    '"client_secret": "p11json"',
  ];
  for (const text of planted) {
    const out = redactSecretText(`ResourceInitializationError: ${text}: i/o timeout`);
    assert.ok(!/p\d+[a-zA-Z]/.test(out.replace('ResourceInitializationError', '')), `${text} → ${out}`);
    assert.ok(out.includes('REDACTED'), out);
  }
  // Not secrets: what names the failure.
  for (const text of [
    'CannotPullContainerError: pull access denied: AccessDeniedException: User is not authorized to perform: ecr:BatchGetImage',
    'ResourceInitializationError: unable to retrieve secret from asm: secret: arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf',
    'Essential container in task exited: health check passed: 200',
    'Scaling activity initiated by (deployment ecs-svc/4829173650918273645)',
  ]) {
    assert.equal(redactSecretText(text), text);
  }

  const inv = await account('evidence-unexplained');
  const api = service(inv, 'orders', 'orders-api');
  inv.evidence!.stoppedTasks![1].stoppedReason = 'CannotPullContainerError: failed to do request: Head "https://ci:hunter2@registry.example.com/v2/": dial tcp 10.0.0.1:443: i/o timeout';
  const printed = JSON.stringify([await startErrorsExplained(inv, api, explainingRun), await evidenceNote(inv, api, explainingRun)]);
  assert.ok(!printed.includes('hunter2'));
  assert.ok(printed.includes('https://REDACTED@registry.example.com'));
});

test('a start error only a service event reports reads as what the event said', async () => {
  const inv = await account('evidence-unexplained-healthy');
  const api = service(inv, 'orders', 'orders-api');
  inv.evidence = {
    ...inv.evidence!,
    stoppedTasks: [],
    serviceEvents: [{ serviceArn: api.service!.arn, id: 'e-1', createdAt: inv.evidence!.asOf!, message: '(service orders-api) failed to launch a task with (error ECS was unable to assume the role arn:aws:iam::123456789012:role/gone)' }],
  };
  const [finding] = await startErrorsExplained(inv, api, explainingRun);
  assert.match(finding.problem, /^a service event of orders\/orders-api said: \(service orders-api\) failed to launch a task with \(error ECS was unable to assume the role .*\) at \d{4}-\d\d-\d\d \d\d:\d\d UTC; no check explains it \(IAM-01 found no start failure that would\)/);
});
