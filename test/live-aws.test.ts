// The live path end to end: the real SDK clients (endpoints, signing, serialization, adaptive
// retries, timeouts, deserialization) against a small AWS on 127.0.0.1 (helpers/aws-wire-server.ts)
// that answers the EC2, IAM, STS, ECS, EventBridge, Scheduler, Secrets Manager, SSM, S3, Route 53
// and Route 53 Resolver wire protocols. Every run is a child process as a user starts it (npm run check:live / snapshot /
// check); every server listens on 127.0.0.1 only and is stopped when its test ends, pass or fail.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CreateVpcEndpointCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { AwsWireServer, type Fault, type WireServerOptions } from './helpers/aws-wire-server';
import { otherAccount, PLAIN_ENV_VALUE, WIRE_ACCOUNT, wireAccount } from './helpers/wire-account';
import { checkLive, checkReplay, cucumberLive, liveEnv, oneLine, snapshot, tempDir, TEST_CREDENTIALS, verdicts, type RunResult, type Verdict } from './helpers/live-run';
import { AwsGateway, ReadOnlyRefusal } from '../support/aws/gateway';
import type { OperationName } from '../support/aws/operations';
import { readSnapshot, type Snapshot } from '../support/aws/snapshot';
import { loadInventory } from '../support/inventory/load';
import { pathsOf } from '../support/paths';
import { selectWorkloads } from '../support/workloads';

const POLICY_ACTIONS = new Set<string>(
  JSON.parse(readFileSync(path.join(__dirname, '..', 'iam', 'readonly-policy.json'), 'utf8')).Statement.flatMap((s: { Action: string[] }) => s.Action),
);

/** Throttles the first two attempts of every distinct call (operation and input), as a busy account does. */
function throttleEachCallTwice() {
  const attempts = new Map<string, number>();
  return (r: { operation: string; input?: unknown }): Fault | undefined => {
    const key = `${r.operation} ${JSON.stringify(r.input ?? {})}`;
    const n = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, n);
    return n <= 2 ? 'throttled' : undefined;
  };
}

/** Starts a local AWS for one test and stops it when the test ends, whatever happens. */
async function localAws(t: { after(fn: () => Promise<void>): void }, options: Partial<WireServerOptions> = {}): Promise<AwsWireServer> {
  const server = await AwsWireServer.start({ accounts: [wireAccount()], lifetimeMs: 60_000, ...options });
  t.after(() => server.stop());
  return server;
}

function sorted(map: Map<string, Verdict>): [string, Verdict][] {
  return [...map].sort(([a], [b]) => a.localeCompare(b));
}

function describeRun(run: RunResult): string {
  return `exit ${run.status} after ${run.ms} ms\nstderr:\n${run.stderr}\nstdout (end):\n${run.stdout.slice(-3000)}`;
}

// One undisturbed live run over the local AWS: what the fault tests compare against.
let baseline: { dir: string; run: RunResult; verdicts: Map<string, Verdict>; server: AwsWireServer; snapshotRun: RunResult; served: string };

before(async () => {
  const server = await AwsWireServer.start({ accounts: [wireAccount()], lifetimeMs: 90_000 });
  const dir = tempDir('live');
  const served = path.join(dir, 'served.json');
  writeFileSync(served, JSON.stringify(wireAccount(), null, 2));
  try {
    const [run, snapshotRun] = await Promise.all([
      checkLive(['--format', `message:${dir}/live.ndjson`], liveEnv(server.url, { PREFLIGHT_REPORTS_DIR: dir })),
      snapshot(['--region', 'ap-northeast-2', '--out', path.join(dir, 'recorded.json')], liveEnv(server.url)),
    ]);
    assert.ok(run.status === 0 || run.status === 1, describeRun(run));
    baseline = { dir, run, verdicts: verdicts(path.join(dir, 'live.ndjson')), server, snapshotRun, served };
  } finally {
    await server.stop();
  }
});

describe('live runs against a local AWS', { concurrency: 4 }, () => {
  test('a live run gives the verdicts of the replay of the same account, and of the snapshot recorded from it', async () => {
    const { dir, run, server, snapshotRun, served } = baseline;
    const live = baseline.verdicts;
    const statuses = [...live.values()].map((v) => v.status);
    assert.ok(live.size >= 10, `a full run evaluates every feature: ${live.size} scenarios`);
    assert.ok(statuses.includes('PASSED') && statuses.includes('FAILED'), `the account passes some checks and fails others: ${statuses.join(' ')}`);
    assert.equal(run.status, 1, 'a failed check exits 1');

    // Every request went over the wire, signed with the credentials given, for one of the policy's actions.
    const operations = new Set(server.requests.map((r) => r.operation));
    for (const op of ['ec2:DescribeSubnets', 'ecs:DescribeServices', 'iam:GetAccountAuthorizationDetails', 'sts:GetCallerIdentity', 'events:ListTargetsByRule', 'scheduler:GetSchedule', 'secretsmanager:ListSecrets', 's3:GetBucketLocation', 'ecr:DescribeImages', 'ecr:DescribePullThroughCacheRules']) {
      assert.ok(operations.has(op), `the run called ${op} over the wire`);
    }
    for (const op of operations) assert.ok(POLICY_ACTIONS.has(op), `${op} went over the wire but iam/readonly-policy.json does not grant it`);
    assert.ok(server.requests.every((r) => r.accessKeyId === TEST_CREDENTIALS.AWS_ACCESS_KEY_ID && r.answer === 200));
    const paged = server.requests.filter((r) => r.operation === 'ec2:DescribeRouteTables');
    assert.ok(paged.length >= 2 && paged.some((r) => r.input?.NextToken), 'route tables come in pages, followed by token');

    // The snapshot recorded from the same account replays to the same verdicts.
    assert.equal(snapshotRun.status, 0, describeRun(snapshotRun));
    assert.match(snapshotRun.stderr, /snapshot: {3}recorded ec2:DescribeSubnets\n/, 'progress on stderr');
    assert.match(snapshotRun.stderr, /snapshot: wrote .*recorded\.json: \d+ calls of \d+ operations/);
    const recorded = path.join(dir, 'recorded.json');
    const [fromServed, fromRecorded] = await Promise.all([
      checkReplay(served, ['--format', `message:${dir}/served.ndjson`]),
      checkReplay(recorded, ['--format', `message:${dir}/recorded.ndjson`]),
    ]);
    assert.equal(fromServed.status, run.status, describeRun(fromServed));
    assert.equal(fromRecorded.status, run.status, describeRun(fromRecorded));
    assert.deepEqual(sorted(verdicts(path.join(dir, 'served.ndjson'))), sorted(live), 'live = replay of the account the server holds');
    assert.deepEqual(sorted(verdicts(path.join(dir, 'recorded.ndjson'))), sorted(live), 'live = replay of its snapshot');

    // What the recording holds: pages as served, and no plain environment value.
    const text = readFileSync(recorded, 'utf8');
    const snap = readSnapshot(recorded);
    assert.equal(snap.account, WIRE_ACCOUNT);
    assert.ok(snap.calls['ec2:DescribeRouteTables']![0].pages!.length >= 2);
    assert.ok(!text.includes(PLAIN_ENV_VALUE), 'environment values are redacted');
    assert.ok(text.includes('"GREETING"') && text.includes('"REDACTED"'), 'environment names stay, values are REDACTED');
    assert.ok(!text.includes('$metadata'));
  });

  test('no report, log or snapshot of a live run carries the credentials it used', () => {
    const { dir, run, snapshotRun } = baseline;
    const files = readdirSync(dir).filter((f) => /\.(html|xml|ndjson|json)$/.test(f));
    for (const name of ['cucumber.html', 'junit.xml', 'live.ndjson', 'recorded.json']) assert.ok(files.includes(name), `${name} was written`);
    const secrets = Object.values(TEST_CREDENTIALS);
    const texts: [string, string][] = [...files.map((f) => [f, readFileSync(path.join(dir, f), 'utf8')] as [string, string]), ['stdout', run.stdout + snapshotRun.stdout], ['stderr', run.stderr + snapshotRun.stderr]];
    for (const [where, text] of texts) {
      assert.ok(text.length > 0 || where === 'stderr', `${where} is not empty`);
      for (const secret of secrets) assert.ok(!text.includes(secret), `${where} contains a credential`);
      assert.doesNotMatch(text, /AKIA[0-9A-Z]{16}|aws_secret_access_key|X-Amz-Security-Token|Authorization: AWS4/i, `${where} contains something credential-like`);
    }
  });

  test('snapshot --redact-accounts maps every account ID to a fake one, the same everywhere, and replays to the same verdicts', async (t) => {
    const server = await localAws(t);
    const dir = tempDir('redact');
    const out = path.join(dir, 'redacted.json');
    const rec = await snapshot(['--region', 'ap-northeast-2', '--out', out, '--redact-accounts'], liveEnv(server.url));
    assert.equal(rec.status, 0, describeRun(rec));
    assert.match(rec.stderr, /\d+ account IDs? redacted/);
    const text = readFileSync(out, 'utf8');
    const served = JSON.stringify(wireAccount());
    const realIds = new Set(served.match(/(?<![0-9A-Za-z])\d{12}(?![0-9A-Za-z])/g));
    assert.ok(realIds.has(WIRE_ACCOUNT) && realIds.size >= 1);
    for (const id of realIds) assert.ok(!text.includes(id), `account ${id} is still in the snapshot`);
    const snap: Snapshot = JSON.parse(text);
    assert.equal(snap.account, '000000000001');
    assert.ok(text.includes('arn:aws:iam::000000000001:role/'), 'ARNs carry the fake account');
    const replay = await checkReplay(out, ['--format', `message:${dir}/redacted.ndjson`]);
    assert.equal(replay.status, baseline.run.status, describeRun(replay));
    const anonymous = (m: Map<string, Verdict>) => sorted(m).map(([k, v]) => [k, v.status, (v.message ?? '').replace(/\d{12}/g, '<account>')]);
    assert.deepEqual(anonymous(verdicts(path.join(dir, 'redacted.ndjson'))), anonymous(baseline.verdicts));
  });

  test('a burst of throttling (ThrottlingException, RequestLimitExceeded, Throttling, HTTP 429 and 503) is retried and the run gives the same verdicts', async (t) => {
    let seen = 0;
    const kinds: Fault[] = ['throttled', 'http-429', 'throttled', 'http-503'];
    const server = await localAws(t, { fault: () => (++seen <= 16 ? kinds[seen % kinds.length] : undefined) });
    const dir = tempDir('throttle');
    const run = await checkLive(['--format', `message:${dir}/live.ndjson`], liveEnv(server.url, { PREFLIGHT_REPORTS_DIR: dir }));
    assert.equal(run.status, baseline.run.status, describeRun(run));
    assert.deepEqual(sorted(verdicts(path.join(dir, 'live.ndjson'))), sorted(baseline.verdicts));
    const throttled = server.requests.filter((r) => r.answer === 429 || r.answer === 503 || r.answer === 400);
    assert.equal(throttled.length, 16, 'the burst hit the run');
    assert.ok(new Set(throttled.map((r) => r.service)).size >= 2, 'more than one service was throttled');
    for (const r of throttled) assert.ok(server.requests.some((s) => s.operation === r.operation && s.answer === 200), `${r.operation} was retried until it succeeded`);
    // Bounded: far below what the default limits would allow a throttled call (5 attempts, up to 20 s of backoff each).
    assert.ok(run.ms < 45_000, `adaptive retries end: ${run.ms} ms`);
  });

  test('a slow account (2 s per answer) gives the same verdicts through npx cucumber-js --profile live and npm run check:live', async (t) => {
    const server = await localAws(t, { latencyMs: 2000, lifetimeMs: 120_000 });
    const [direct, runner] = [tempDir('slow-cucumber'), tempDir('slow-runner')];
    const [viaCucumber, viaRunner] = await Promise.all([
      cucumberLive(['--format', `message:${direct}/live.ndjson`], liveEnv(server.url, { PREFLIGHT_REPORTS_DIR: direct }), 110_000),
      checkLive(['--format', `message:${runner}/live.ndjson`], liveEnv(server.url, { PREFLIGHT_REPORTS_DIR: runner }), 110_000),
    ]);
    for (const [run, dir] of [
      [viaCucumber, direct],
      [viaRunner, runner],
    ] as const) {
      assert.equal(run.status, baseline.run.status, describeRun(run));
      assert.doesNotMatch(run.stdout + run.stderr, /timed out|\n\s+at /, 'no Cucumber timeout, no stack trace');
      assert.deepEqual(sorted(verdicts(path.join(dir, 'live.ndjson'))), sorted(baseline.verdicts));
    }
  });

  test('a JSON answer labelled text/html is judged by its body: the same verdicts', async (t) => {
    const server = await localAws(t, { fault: (r) => (r.service === 'ecs' || r.operation === 'ec2:DescribeSubnets' ? 'json-as-html' : undefined) });
    const dir = tempDir('mislabelled');
    const run = await checkLive(['--format', `message:${dir}/live.ndjson`], liveEnv(server.url, { PREFLIGHT_REPORTS_DIR: dir }));
    assert.equal(run.status, baseline.run.status, describeRun(run));
    assert.deepEqual(sorted(verdicts(path.join(dir, 'live.ndjson'))), sorted(baseline.verdicts));
  });

  test('a connection reset on every attempt is reported as a reset, with the attempts made, not as silence', async (t) => {
    const server = await localAws(t, { fault: (r) => (r.operation === 'ec2:DescribeVpcs' ? 'reset' : undefined) });
    const run = await checkLive([], liveEnv(server.url, { PREFLIGHT_MAX_ATTEMPTS: '3', PREFLIGHT_REPORTS_DIR: tempDir('reset') }));
    assert.equal(run.status, 2, describeRun(run));
    assert.match(oneLine(run), /^ecs-preflight: ec2:DescribeVpcs in ap-northeast-2: the connection to http:\/\/127\.0\.0\.1:\d+ was reset \(ECONNRESET, 3 attempts\)/);
  });

  test('a call still throttled when its time limit ends the retries says it was throttled, not that AWS did not answer', async (t) => {
    const server = await localAws(t, { fault: (r) => (r.operation === 'ec2:DescribeVpcs' ? 'throttled' : undefined) });
    const run = await checkLive([], liveEnv(server.url, { PREFLIGHT_MAX_ATTEMPTS: '10', PREFLIGHT_CALL_TIMEOUT_MS: '1500', PREFLIGHT_REPORTS_DIR: tempDir('throttle-deadline') }));
    assert.equal(run.status, 2, describeRun(run));
    assert.match(oneLine(run), /^ecs-preflight: ec2:DescribeVpcs in ap-northeast-2 was still throttled \(RequestLimitExceeded(?:, \d+ attempts)?\): .*retries stopped at the call's limit of 1\.5 s/);
    assert.doesNotMatch(oneLine(run), /not answering/);
  });

  for (const [what, options] of [
    ['two throttles on every call', { fault: throttleEachCallTwice() }],
    ['one call that never answers', { fault: (r: { operation: string }, nth: number) => (r.operation === 'ecs:DescribeServices' && nth === 1 ? ('no-answer' as const) : undefined) }],
  ] as const) {
    test(`${what}: the same verdicts through npx cucumber-js --profile live and npm run check:live`, async (t) => {
      const server = await localAws(t, { ...options, lifetimeMs: 120_000 });
      const [direct, runner] = [tempDir('fault-cucumber'), tempDir('fault-runner')];
      const env = (dir: string) => liveEnv(server.url, { PREFLIGHT_REPORTS_DIR: dir, PREFLIGHT_REQUEST_TIMEOUT_MS: '2000' });
      const [viaCucumber, viaRunner] = await Promise.all([
        cucumberLive(['--format', `message:${direct}/live.ndjson`], env(direct), 110_000),
        checkLive(['--format', `message:${runner}/live.ndjson`], env(runner), 110_000),
      ]);
      for (const [run, dir] of [
        [viaCucumber, direct],
        [viaRunner, runner],
      ] as const) {
        assert.equal(run.status, baseline.run.status, describeRun(run));
        assert.deepEqual(sorted(verdicts(path.join(dir, 'live.ndjson'))), sorted(baseline.verdicts));
      }
    });
  }

  test('a throttle that does not end stops at the attempt bound, with one line and exit code 2', async (t) => {
    const server = await localAws(t, { fault: (r) => (r.operation === 'ec2:DescribeVpcs' ? 'throttled' : undefined) });
    const run = await checkLive([], liveEnv(server.url, { PREFLIGHT_MAX_ATTEMPTS: '2', PREFLIGHT_REPORTS_DIR: tempDir('bound') }));
    assert.equal(run.status, 2, describeRun(run));
    assert.match(oneLine(run), /^ecs-preflight: ec2:DescribeVpcs in ap-northeast-2 was still throttled \(RequestLimitExceeded, 2 attempts\): .*PREFLIGHT_MAX_ATTEMPTS$/);
    assert.equal(server.received('ec2:DescribeVpcs').length, 2, 'exactly the bounded number of attempts');
  });

  test('AccessDenied on reads only some checks need fails those checks, naming the action and the policy; every other check runs as before', async (t) => {
    const denied = new Set(['ec2:DescribeFlowLogs', 'iam:GetAccountAuthorizationDetails']);
    const server = await localAws(t, { fault: (r) => (denied.has(r.operation) ? 'denied' : undefined) });
    const dir = tempDir('denied');
    const run = await checkLive(['--format', `message:${dir}/live.ndjson`], liveEnv(server.url, { PREFLIGHT_REPORTS_DIR: dir }));
    assert.equal(run.status, 1, describeRun(run));
    const results = verdicts(path.join(dir, 'live.ndjson'));
    assert.deepEqual([...results.keys()].sort(), [...baseline.verdicts.keys()].sort());
    const failedFor = new Map<string, number>();
    for (const [name, verdict] of results) {
      const naming = [...denied].filter((op) => verdict.message?.includes(`AWS denied ${op}`));
      if (naming.length === 0) {
        assert.deepEqual(verdict, baseline.verdicts.get(name), `${name} does not need the denied reads: same verdict as with them`);
        continue;
      }
      assert.equal(verdict.status, 'FAILED');
      assert.match(verdict.message!, /could not be evaluated in 123456789012\/ap-northeast-2: AWS denied .* Grant ".*" \(add (it|them) to that identity's IAM policy; iam\/readonly-policy\.json lists every action the suite needs\)/);
      assert.doesNotMatch(verdict.message!, /\n\s+at /);
      for (const op of naming) failedFor.set(op, (failedFor.get(op) ?? 0) + 1);
    }
    for (const op of denied) assert.ok((failedFor.get(op) ?? 0) >= 1, `a check that needs ${op} failed naming it`);
    assert.match(run.stdout, /note: AWS denied (ec2:DescribeFlowLogs, iam:GetAccountAuthorizationDetails|iam:GetAccountAuthorizationDetails, ec2:DescribeFlowLogs) in 123456789012\/ap-northeast-2/, 'the console names the denied actions up front');
  });

  test('AccessDenied on the NACLs (through cucumber-js and check:live): the NACL checks say so, the NACL part of every path cannot be verified, the other checks keep their verdicts', async (t) => {
    const server = await localAws(t, { fault: (r) => (r.operation === 'ec2:DescribeNetworkAcls' ? 'denied' : undefined) });
    for (const runWith of [cucumberLive, checkLive]) {
      const dir = tempDir('denied-nacls');
      const run = await runWith(['--format', `message:${dir}/live.ndjson`], liveEnv(server.url, { PREFLIGHT_REPORTS_DIR: dir }));
      assert.equal(run.status, 1, describeRun(run));
      const results = verdicts(path.join(dir, 'live.ndjson'));
      assert.deepEqual([...results.keys()].sort(), [...baseline.verdicts.keys()].sort());
      for (const [name, verdict] of results) {
        if (/NACL/.test(name)) {
          assert.equal(verdict.status, 'FAILED', name);
          assert.match(verdict.message!, /could not be evaluated in 123456789012\/ap-northeast-2: AWS denied ec2:DescribeNetworkAcls/);
        } else if (verdict.message?.includes('could not be evaluated, because')) {
          // A path the NACLs could block is not claimed to fail: the check says it could not evaluate it, naming the action, never passed.
          assert.match(verdict.message, /ec2:DescribeNetworkAcls was denied/);
          assert.doesNotMatch(verdict.message.split('\n')[0], /start · critical/);
        } else {
          assert.deepEqual(verdict, baseline.verdicts.get(name), `${name} does not depend on the NACLs: same verdict`);
        }
    }
    assert.ok([...results.values()].some((v) => v.message?.includes('could not be evaluated, because')), 'some check says it could not evaluate paths through the unreadable NACLs');
    }
  });

  for (const fault of ['denied', 'html-500'] as const) {
    test(`${fault === 'denied' ? 'AccessDenied' : 'An HTML 500 after the retries'} on events:ListRules (through cucumber-js and check:live): the services are evaluated as before, the scheduled tasks are said to be unlisted`, async (t) => {
      const server = await localAws(t, { fault: (r) => (r.operation === 'events:ListRules' ? fault : undefined) });
      for (const runWith of [cucumberLive, checkLive]) {
        const dir = tempDir(`rules-${fault}`);
        const run = await runWith(['--format', `message:${dir}/live.ndjson`], liveEnv(server.url, { PREFLIGHT_REPORTS_DIR: dir, PREFLIGHT_MAX_ATTEMPTS: '2' }), 90_000);
        assert.equal(run.status, 1, describeRun(run));
        const why = fault === 'denied' ? /AWS denied events:ListRules/ : /events:ListRules could not be read \(.*HTML page/;
        let unlisted = 0;
        for (const [name, verdict] of verdicts(path.join(dir, 'live.ndjson'))) {
          const before = baseline.verdicts.get(name)!;
          if (!verdict.message?.includes('the scheduled tasks could not be evaluated')) {
            assert.deepEqual(verdict, before, `${name}: same verdict`);
            continue;
          }
          unlisted++;
          assert.equal(verdict.status, 'FAILED');
          assert.match(verdict.message, why);
          // What the services passed before, they pass now; what they failed, they still fail, with the same offenders.
          if (before.status === 'PASSED') assert.match(verdict.message, /(found nothing|found only findings below the failure threshold \(in the log\)) where it could evaluate, but the scheduled tasks/);
          else {
            const serviceLines = (before.message ?? '').split('\n').filter((l) => l.startsWith('  - ') && !/\] (rule|schedule)\//.test(l));
            for (const line of serviceLines) assert.ok(verdict.message.includes(line), `${name} still names: ${line}`);
          }
      }
      assert.ok(unlisted >= 20, `the scenarios over services and scheduled tasks say the scheduled tasks were not listed (${unlisted})`);
      }
    });
  }

  test('a snapshot recorded while a read gets no AWS answer (HTML 500 on ListSecrets and DescribeSecret) keeps the gap, and replays to the live verdicts', async (t) => {
    const server = await localAws(t, { fault: (r) => (r.operation.startsWith('secretsmanager:') ? 'html-500' : undefined) });
    const dir = tempDir('gap');
    const recorded = path.join(dir, 'recorded.json');
    const env = liveEnv(server.url, { PREFLIGHT_MAX_ATTEMPTS: '2', PREFLIGHT_REPORTS_DIR: dir });
    const [live, recording] = await Promise.all([
      cucumberLive(['--format', `message:${dir}/live.ndjson`], env),
      snapshot(['--region', 'ap-northeast-2', '--out', recorded], env),
    ]);
    assert.equal(recording.status, 0, describeRun(recording));
    assert.match(recording.stderr, /secretsmanager:ListSecrets .*: recorded as unanswered/);
    assert.match(recording.stderr, /secretsmanager:DescribeSecret .*: recorded as unanswered/);
    const replay = await checkReplay(recorded, ['--format', `message:${dir}/replay.ndjson`]);
    assert.equal(replay.status, live.status, describeRun(replay));
    const liveVerdicts = verdicts(path.join(dir, 'live.ndjson'));
    assert.deepEqual(sorted(verdicts(path.join(dir, 'replay.ndjson'))), sorted(liveVerdicts));
    assert.match(liveVerdicts.get('features/execution-role.feature The execution role may read the secrets')!.message!, /cannot be verified: the KMS key of .*HTML page/);
  });

  test('AccessDenied on a read every check needs ends the run with one line naming the action and the policy, exit code 2', async (t) => {
    const server = await localAws(t, { fault: (r) => (r.operation === 'ec2:DescribeSubnets' ? 'denied' : undefined) });
    const run = await checkLive([], liveEnv(server.url, { PREFLIGHT_REPORTS_DIR: tempDir('denied-all') }));
    assert.equal(run.status, 2, describeRun(run));
    assert.equal(oneLine(run), 'ecs-preflight: ec2:DescribeSubnets was denied in ap-northeast-2 (UnauthorizedOperation): grant "ec2:DescribeSubnets" to the identity running the suite (see iam/readonly-policy.json)');
  });

  test('an HTML error page instead of an AWS answer ends with one line, after the bounded retries of a 500', async (t) => {
    const server = await localAws(t, { fault: (r) => (r.operation === 'ec2:DescribeVpcs' ? 'html-500' : undefined) });
    const run = await checkLive([], liveEnv(server.url, { PREFLIGHT_MAX_ATTEMPTS: '2', PREFLIGHT_REPORTS_DIR: tempDir('html') }));
    assert.equal(run.status, 2, describeRun(run));
    assert.match(oneLine(run), /^ecs-preflight: ec2:DescribeVpcs in ap-northeast-2: http:\/\/127\.0\.0\.1:\d+ answered HTTP 500 with an HTML page \("500 Internal Server Error"\) instead of an AWS API response \(2 attempts\): a proxy or a wrong AWS_ENDPOINT_URL is in the way$/);
    assert.equal(server.received('ec2:DescribeVpcs').length, 2);
  });

  test('a server that never answers ends the run at the request timeout with one line, never a hang', async (t) => {
    const server = await localAws(t, { fault: () => 'no-answer' });
    const run = await checkLive([], liveEnv(server.url, { PREFLIGHT_REQUEST_TIMEOUT_MS: '500', PREFLIGHT_MAX_ATTEMPTS: '2', PREFLIGHT_REPORTS_DIR: tempDir('hang') }), 30_000);
    assert.equal(run.status, 2, describeRun(run));
    assert.match(oneLine(run), /^ecs-preflight: \S+ in ap-northeast-2: no answer from http:\/\/127\.0\.0\.1:\d+ within 0\.5 s per attempt \(2 attempts\): check the network, a proxy or AWS_ENDPOINT_URL \(PREFLIGHT_REQUEST_TIMEOUT_MS raises the limit\)$/);
    assert.ok(server.requests.length > 0 && server.requests.every((r) => r.answer === 'no answer'));
    // The configured limits ended it: the defaults (10 s per attempt, 5 attempts) would take a minute.
    assert.ok(run.ms < 25_000, `ended in ${run.ms} ms`);
  });

  test('whatever the per-request limits, the read of a target ends at the load deadline', async (t) => {
    const server = await localAws(t, { fault: () => 'no-answer' });
    const run = await checkLive([], liveEnv(server.url, { PREFLIGHT_REQUEST_TIMEOUT_MS: '60000', PREFLIGHT_LOAD_TIMEOUT_MS: '1500', PREFLIGHT_REPORTS_DIR: tempDir('deadline') }), 30_000);
    assert.equal(run.status, 2, describeRun(run));
    assert.equal(oneLine(run), 'ecs-preflight: reading the live account did not finish within 1.5 s: AWS is too slow or not answering; check the network, or raise PREFLIGHT_LOAD_TIMEOUT_MS');
    // 60 s per attempt would not have ended it: the deadline did.
    assert.ok(run.ms < 25_000, `ended in ${run.ms} ms`);
  });

  test('expired credentials end the run with one line saying to refresh them, exit code 2', async (t) => {
    const server = await localAws(t, { fault: () => 'expired' });
    const run = await checkLive([], liveEnv(server.url, { PREFLIGHT_REPORTS_DIR: tempDir('expired') }));
    assert.equal(run.status, 2, describeRun(run));
    assert.match(oneLine(run), /^ecs-preflight: the AWS credentials for \S+ in ap-northeast-2 have expired \((ExpiredToken|ExpiredTokenException|RequestExpired)\): refresh them \("aws sso login", or new session credentials\), then run again$/);
  });

  test('an unknown region ends the run with one line and a suggestion before any request', async (t) => {
    const server = await localAws(t);
    const run = await checkLive([], liveEnv(server.url, { AWS_REGION: 'ap-northest-2', PREFLIGHT_REPORTS_DIR: tempDir('region') }));
    assert.equal(run.status, 2, describeRun(run));
    assert.equal(oneLine(run), 'ecs-preflight: unknown AWS region "ap-northest-2" for the live run (did you mean "ap-northeast-2"?): set AWS_REGION to a region such as ap-northeast-2');
    assert.deepEqual(server.requests, []);
  });

  test('an unreachable endpoint ends the run with one line naming it, exit code 2', async (t) => {
    const closed = await AwsWireServer.start({ accounts: [] });
    const url = closed.url;
    await closed.stop(); // nothing listens there any more
    t.after(() => closed.stop());
    const run = await checkLive([], liveEnv(url, { PREFLIGHT_MAX_ATTEMPTS: '2', PREFLIGHT_REPORTS_DIR: tempDir('unreachable') }));
    assert.equal(run.status, 2, describeRun(run));
    assert.match(oneLine(run), new RegExp(`^ecs-preflight: \\S+ in ap-northeast-2: cannot reach ${url.replace(/\./g, '\\.')} \\(ECONNREFUSED, 2 attempts\\): check AWS_REGION, AWS_ENDPOINT_URL and the network or proxy$`));
  });

  test('a targets file runs every target with its role; reports name each account and region, and a target that cannot be read does not stop the others', async (t) => {
    const seoul = wireAccount();
    const tokyo = otherAccount(seoul, '210987654321', 'ap-northeast-1');
    const locked = 'arn:aws:iam::333333333333:role/preflight-readonly';
    const server = await localAws(t, { accounts: [seoul, tokyo], fault: (r) => (r.operation === 'sts:AssumeRole' && r.input?.RoleArn === locked ? 'denied' : undefined) });
    const dir = tempDir('targets');
    const targets = path.join(dir, 'targets.json');
    writeFileSync(
      targets,
      JSON.stringify([
        { name: 'seoul', region: 'ap-northeast-2', roleArn: 'arn:aws:iam::123456789012:role/preflight-readonly', externalId: 'wire-external-id', sessionName: 'nightly-preflight' },
        { name: 'tokyo', region: 'ap-northeast-1', roleArn: 'arn:aws:iam::210987654321:role/preflight-readonly' },
        { name: 'typo', region: 'ap-northeast-9' },
        { name: 'locked', region: 'ap-northeast-2', roleArn: locked },
      ]),
    );
    const run = await checkLive([], liveEnv(server.url, { PREFLIGHT_TARGETS: targets, PREFLIGHT_REPORTS_DIR: dir }), 60_000);
    assert.equal(run.status, 2, `one target could not be evaluated: ${describeRun(run)}`);
    assert.deepEqual(run.stderr.trimEnd().split('\n'), [
      'ecs-preflight: target typo: unknown AWS region "ap-northeast-9" for target "typo" (did you mean "ap-northeast-1"?): set AWS_REGION to a region such as ap-northeast-2',
      `ecs-preflight: target locked: cannot assume ${locked} for target "locked" (AccessDenied: User: arn:aws:sts::123456789012:assumed-role/ecs-preflight/wire is not authorized to perform: sts:AssumeRole because no identity-based policy allows the sts:AssumeRole action): the role's trust policy must allow the identity running the suite, and that identity needs sts:AssumeRole on the role`,
    ]);
    assert.equal(server.received('sts:AssumeRole').filter((r) => r.input?.RoleArn === locked).length, 1, 'a role that cannot be assumed is asked once');
    assert.match(run.stdout, /✘ seoul 123456789012\/ap-northeast-2: a check failed/);
    assert.match(run.stdout, /✘ tokyo 210987654321\/ap-northeast-1: a check failed/);
    assert.match(run.stdout, /! typo ap-northeast-9: could not be evaluated/);
    assert.match(run.stdout, /! locked ap-northeast-2: could not be evaluated/);

    for (const [name, account, region] of [['seoul', '123456789012', 'ap-northeast-2'], ['tokyo', '210987654321', 'ap-northeast-1']]) {
      const label = `${name} ${account}/${region}`;
      const junit = readFileSync(path.join(dir, name, 'junit.xml'), 'utf8');
      assert.match(junit, new RegExp(`<testsuite name="ecs-preflight ${label}"`));
      const classes = [...junit.matchAll(/<testcase\b[^>]*?classname="([^"]*)"/g)].map((m) => m[1]);
      assert.ok(classes.length >= 10 && classes.every((c) => c.startsWith(`[${label}] `)), `every test case names ${label}`);
      assert.ok(readFileSync(path.join(dir, name, 'cucumber.html'), 'utf8').includes(`account ${account}, region ${region} (target ${name})`));
      // The role was assumed once for the target, with its external ID and session name, and its credentials signed the reads.
      const assumed = server.requests.filter((r) => r.operation === 'sts:AssumeRole' && String(r.input?.RoleArn).includes(account));
      assert.equal(assumed.length, 1, `${name}: one AssumeRole for all its clients`);
      assert.equal(assumed[0].accessKeyId, TEST_CREDENTIALS.AWS_ACCESS_KEY_ID);
      assert.equal(assumed[0].input?.RoleSessionName, name === 'seoul' ? 'nightly-preflight' : 'ecs-preflight');
      assert.equal(assumed[0].input?.ExternalId, name === 'seoul' ? 'wire-external-id' : undefined);
      const reads = server.requests.filter((r) => r.region === region && r.operation !== 'sts:AssumeRole');
      assert.ok(reads.length > 20 && reads.every((r) => r.accessKeyId === `ASIAWIRE${account}`), `${name}: every read signed with the assumed role's credentials`);
    }
    const typo = readFileSync(path.join(dir, 'typo', 'junit.xml'), 'utf8');
    assert.match(typo, /<testsuite name="ecs-preflight typo ap-northeast-9" tests="1" failures="0" errors="1"/);
    assert.match(typo, /<error type="UsageError" message="unknown AWS region &quot;ap-northeast-9&quot;/);
    assert.ok(!existsSync(path.join(dir, 'junit.xml')), 'with a targets file every report is in its target folder');
  });

  test('the gateway refuses anything but the suite\'s reads before a request is sent, at the gateway and in every client', async (t) => {
    const server = await localAws(t);
    const saved = { url: process.env.AWS_ENDPOINT_URL };
    process.env.AWS_ENDPOINT_URL = server.url;
    t.after(() => {
      if (saved.url === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved.url;
    });
    const gateway = AwsGateway.live({ region: 'ap-northeast-2', credentials: { accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY } });
    for (const op of ['ec2:RunInstances', 'ec2:CreateVpcEndpoint', 'ecs:UpdateService', 'iam:PutRolePolicy', 'secretsmanager:GetSecretValue', 's3:GetObject', 'ssm:GetParameters']) {
      await assert.rejects(gateway.call(op as OperationName, {} as never), (error: Error) => {
        assert.ok(error instanceof ReadOnlyRefusal, `${op}: ${error.name}`);
        assert.match(error.message, new RegExp(`^refused to send ${op}: .*ecs-preflight only reads$`));
        return true;
      });
    }
    // A write command handed straight to one of the gateway's live clients is refused by the client's own guard.
    const ec2Client = (gateway as unknown as { client(service: string): { send(command: unknown): Promise<unknown> } }).client('ec2');
    await assert.rejects(ec2Client.send(new CreateVpcEndpointCommand({ VpcId: 'vpc-0a11ce5e7c0ffee01', ServiceName: 'com.amazonaws.ap-northeast-2.s3' })), /^ReadOnlyRefusal: refused to send ec2:CreateVpcEndpoint: ec2:CreateVpcEndpoint is not one of the suite's read operations/);
    await assert.rejects(ec2Client.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, ImageId: 'ami-0123456789abcdef0' })), /refused to send ec2:RunInstances/);
    assert.equal(server.requests.length, 0, 'the local AWS received nothing');
    // The guard lets the reads through: the same client answers a read.
    await gateway.call('ec2:DescribeVpcs', {});
    assert.deepEqual(server.requests.map((r) => r.operation), ['ec2:DescribeVpcs']);
  });
});

// Outside the concurrent block: it points the process's AWS_ENDPOINT_URL at its own local AWS.
test("EVD-01's stopped tasks are read over the wire: ListTasks with desiredStatus STOPPED, page by page, then DescribeTasks in one batch", async (t) => {
  // The demo account, its five stopped tasks served two a page.
  const account = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'accounts', 'demo.json'), 'utf8')) as Snapshot;
  const stoppedCalls = account.calls['ecs:ListTasks']!.filter((c) => c.input.desiredStatus === 'STOPPED');
  const listing = stoppedCalls.find((c) => ((c.pages![0].taskArns as string[] | undefined) ?? []).length >= 3)!;
  const arns = listing.pages![0].taskArns as string[];
  listing.pages = [0, 2, 4].filter((i) => i < arns.length).map((i) => ({ taskArns: arns.slice(i, i + 2), ...(i + 2 < arns.length ? { nextToken: Buffer.from(`stopped page ${i / 2 + 2}`).toString('base64') } : {}) }));
  const server = await localAws(t, { accounts: [account] });
  const saved = process.env.AWS_ENDPOINT_URL;
  process.env.AWS_ENDPOINT_URL = server.url;
  t.after(() => {
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = saved;
  });
  const gateway = AwsGateway.live({ region: 'ap-northeast-2', credentials: { accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY } });
  const { loadInventory } = await import('../support/inventory/load');
  const inventory = await loadInventory(gateway);
  const stoppedRequests = server.requests.filter((r) => r.operation === 'ecs:ListTasks' && r.input?.desiredStatus === 'STOPPED' && r.input?.cluster === listing.input.cluster);
  assert.equal(stoppedRequests.length, 3, 'three pages of stopped tasks');
  assert.ok(stoppedRequests.every((r) => r.input?.maxResults === 100));
  assert.deepEqual(stoppedRequests.map((r) => r.input?.nextToken !== undefined), [false, true, true], 'the second and third follow the token');
  const described = server.requests.filter((r) => r.operation === 'ecs:DescribeTasks' && ((r.input?.tasks as string[] | undefined) ?? []).includes(arns[0]));
  assert.deepEqual(described.map((r) => r.input?.tasks), [arns], 'one DescribeTasks for the five');
  // Live, "recent" ends now: the demo's tasks stopped in 2026-11 are long out of the window.
  assert.ok(inventory.evidence?.asOf && Date.parse(inventory.evidence.asOf) > Date.parse('2026-11-21T00:00:00.000Z'));
  assert.deepEqual(inventory.evidence?.stoppedTasks, []);
  assert.equal(inventory.evidence?.unread, undefined);
});

describe('name resolution and transit reads over the wire', () => {
  /** Loads a bundled account through the real clients and the local AWS, in this process. */
  async function loadOverWire(t: { after(fn: () => Promise<void>): void }, name: string) {
    const account = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'accounts', `${name}.json`), 'utf8')) as Snapshot;
    const server = await localAws(t, { accounts: [account] });
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = server.url;
    try {
      const gateway = AwsGateway.live({ region: account.region, credentials: { accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY } });
      return { server, inv: await loadInventory(gateway) };
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    }
  }

  test('Route 53 (REST-XML, records page by page), Route 53 Resolver (JSON 1.1) and the transit gateway reads: centralized endpoints are followed to the hub', async (t) => {
    const { server, inv } = await loadOverWire(t, 'hub-spoke-healthy');
    assert.deepEqual([...(inv.denied ?? new Map()).keys()], [], 'every read was answered');
    assert.deepEqual(inv.hostedZones.map((z) => z.name).sort(), ['api.ecr.us-east-1.amazonaws.com', 'dkr.ecr.us-east-1.amazonaws.com', 'logs.us-east-1.amazonaws.com']);
    const dkr = inv.hostedZones.find((z) => z.name.startsWith('dkr.'))!;
    // Route 53 escapes the wildcard as \052; the NS and SOA records come first; two records a page.
    assert.deepEqual(dkr.records!.map((r) => `${r.name} ${r.type}`), ['dkr.ecr.us-east-1.amazonaws.com NS', 'dkr.ecr.us-east-1.amazonaws.com SOA', 'dkr.ecr.us-east-1.amazonaws.com A', '*.dkr.ecr.us-east-1.amazonaws.com A']);
    const pages = server.received('route53:ListResourceRecordSets');
    assert.equal(pages.length, 6, 'two pages for each of the three zones');
    assert.ok(pages.some((r) => r.input?.StartRecordName && r.input?.StartRecordType), `a page asked from where the last ended: ${JSON.stringify(pages.map((r) => r.input))}`);
    assert.equal(server.received('route53:ListHostedZonesByVPC').length, 2, 'one listing per VPC');
    assert.deepEqual(inv.resolverRules.map((r) => `${r.id} ${r.type} ${r.domainName} ${r.vpcIds.length}`), ['rslvr-autodefined-rr-internet-resolver RECURSIVE . 2']);
    assert.deepEqual(inv.transitGatewayAttachments.map((a) => `${a.id} ${a.resourceId} ${a.routeTableId}`).sort(), [
      'tgw-attach-03eafbcdef0123347 vpc-0a1b2c3d4e5f60718 tgw-rtb-05cdef0123455569',
      'tgw-attach-04fbcdef012344458 vpc-07e8f9a0b1c2d3e4b tgw-rtb-06def012345666a7',
    ]);
    assert.equal(server.received('ec2:SearchTransitGatewayRoutes').length, 2);
    const workload = selectWorkloads(inv, { kind: 'all workloads' })[0];
    const paths = pathsOf(inv, workload);
    assert.deepEqual(paths.filter((p) => p.verdict !== 'reachable').map((p) => p.hops.find((h) => h.status !== 'ok' && h.status !== 'note')?.text), []);
    assert.deepEqual([...new Set(paths.filter((p) => p.need?.service !== 's3').map((p) => p.targetId))].sort(), ['vpce-04b5c6d7e8f9a0b18', 'vpce-05c6d7e8f9a0b1c29', 'vpce-06d7e8f9a0b1c2d3a']);
    for (const r of server.requests) assert.ok(POLICY_ACTIONS.has(r.operation), `${r.operation} went over the wire but iam/readonly-policy.json does not grant it`);
  });

  test('DHCP options and a Resolver forwarding rule over the wire: custom DNS servers make the endpoint paths unverifiable', async (t) => {
    const { inv } = await loadOverWire(t, 'dns-custom');
    assert.deepEqual([...(inv.denied ?? new Map()).keys()], []);
    assert.deepEqual(inv.dhcpOptions.get('dopt-0a7c3e91d24b6f805')?.domainNameServers, ['10.20.0.10', '10.20.1.10']);
    const rule = inv.resolverRules.find((r) => r.type === 'FORWARD')!;
    assert.deepEqual([rule.id, rule.domainName, rule.targetIps, rule.vpcIds], ['rslvr-rr-4c1e9a7b3d5f42e08', 'amazonaws.com', ['10.20.0.10', '10.20.1.10'], ['vpc-0d5f7b9a1c3e4f6a8']]);
    const paths = pathsOf(inv, selectWorkloads(inv, { kind: 'all workloads' })[0]);
    assert.deepEqual([...new Set(paths.filter((p) => p.verdict === 'cannot be verified').map((p) => p.need?.service))].sort(), ['ecr.api', 'ecr.dkr', 'logs']);
  });
});

test('the local AWS listens on 127.0.0.1 only and stops itself when its lifetime ends', async () => {
  const server = await AwsWireServer.start({ accounts: [], lifetimeMs: 200 });
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await assert.rejects(fetch(`${server.url}/`), (error: Error & { cause?: { code?: string } }) => error.cause?.code === 'ECONNREFUSED');
  } finally {
    await server.stop();
  }
});

after(() => baseline?.server.stop());
