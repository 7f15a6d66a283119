// Request budgets (support/aws/budget.ts): the table covers every read, the buckets behave as AWS
// describes them, the emulated AWS throttles a run that ignores them, and a run that keeps to them
// is never throttled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syntheticAccount } from '../bench/synthetic';
import { API_FAMILIES, bucketKeyOf, budgetFraction, budgetMinimumSeconds, EmulatedAwsLimits, RequestBudget, TokenBucket } from '../support/aws/budget';
import { AwsGateway } from '../support/aws/gateway';
import { operations, type OperationName } from '../support/aws/operations';
import type { Snapshot } from '../support/aws/snapshot';
import { UsageError } from '../support/errors';
import { loadInventory } from '../support/inventory/load';
import { gatewayFor, loadWithin } from '../support/target';
import { AwsWireServer } from './helpers/aws-wire-server';
import { TEST_CREDENTIALS } from './helpers/live-run';

test('every read the gateway can send draws on exactly one of AWS\'s buckets, with a source', () => {
  for (const operation of Object.keys(operations) as OperationName[]) {
    const families = API_FAMILIES.filter((f) => f.operations.includes(operation));
    assert.equal(families.length, 1, `${operation} is in ${families.length} families`);
  }
  for (const family of API_FAMILIES) {
    assert.ok(family.burst >= 1 && family.refillPerSecond > 0, family.name);
    assert.ok(family.published ? !/assumed/.test(family.source) : /^assumed/.test(family.source), `${family.name}: a figure AWS does not publish says it is assumed`);
  }
  // ECS shares one bucket across a category; EC2 keeps one per action.
  assert.equal(bucketKeyOf('ecs:ListServices'), bucketKeyOf('ecs:DescribeServices'));
  assert.notEqual(bucketKeyOf('ec2:DescribeSubnets'), bucketKeyOf('ec2:DescribeVpcs'));
});

test('AWS\'s side of a bucket: the burst at once, then the refill rate', () => {
  let now = 0;
  const bucket = new TokenBucket(2, 1, () => now);
  assert.deepEqual([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()], [true, true, false]);
  now = 999;
  assert.equal(bucket.tryTake(), false, 'not a whole token yet');
  now = 1000;
  assert.equal(bucket.tryTake(), true);
  now = 60_000;
  assert.deepEqual([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()], [true, true, false], 'a full bucket holds no more than its capacity');
});

test('the client\'s side: reservations queue in call order at the refill rate', () => {
  let now = 0;
  const bucket = new TokenBucket(1, 10, () => now);
  assert.deepEqual([bucket.reserve(), bucket.reserve(), bucket.reserve()].map(Math.round), [0, 100, 200]);
  now = 1000;
  assert.equal(bucket.reserve(), 0, 'the debt is paid back by the refill');
});

test('the budget is a fraction of each bucket: half of ECS\'s task definition reads is a burst of 25, then 10 a second', () => {
  let now = 0;
  const budget = new RequestBudget(0.5, () => now);
  const waits = Array.from({ length: 27 }, () => budget.reserve('ecs:DescribeTaskDefinition'));
  assert.ok(waits.slice(0, 25).every((w) => w === 0));
  assert.deepEqual(waits.slice(25).map(Math.round), [100, 200]);
  assert.equal(budget.reserve('ecs:DescribeServices'), 0, 'another family has its own bucket');
  assert.equal(budgetMinimumSeconds({ 'ecs:DescribeTaskDefinition': 2000, 'ecs:DescribeServices': 200 }, 0.5), (2000 - 25) / 10);
  assert.equal(budgetMinimumSeconds({ 'ecs:DescribeServices': 40 }, 0.5), 0, 'within the burst');
});

test('PREFLIGHT_API_BUDGET: 0.5 by default, a fraction from 0.05 to 1, or off; anything else is one line naming it', () => {
  assert.equal(budgetFraction({}), 0.5);
  assert.equal(budgetFraction({ PREFLIGHT_API_BUDGET: '0.25' }), 0.25);
  assert.equal(budgetFraction({ PREFLIGHT_API_BUDGET: 'off' }), undefined);
  assert.equal(budgetFraction({ PREFLIGHT_API_BUDGET: '.25' }), 0.25);
  assert.equal(budgetFraction({ PREFLIGHT_API_BUDGET: '1' }), 1);
  for (const bad of ['0', '1.5', 'half', '-1', '0.01', '0x1', ' 0.5', '1e-1', 'OFF']) {
    assert.throws(() => budgetFraction({ PREFLIGHT_API_BUDGET: bad }), (error: Error) => error instanceof UsageError && error.message.startsWith('PREFLIGHT_API_BUDGET must be') && error.message.includes(`"${bad}"`));
  }
});

test('the emulated AWS throttles past a bucket with the error each service answers', () => {
  let now = 0;
  const aws = new EmulatedAwsLimits(() => now);
  for (let i = 0; i < 50; i++) assert.equal(aws.admit('ecs:DescribeTaskDefinition'), undefined);
  assert.deepEqual(aws.admit('ecs:DescribeTaskDefinition'), { code: 'ThrottlingException', status: 400 });
  for (let i = 0; i < 50; i++) aws.admit('ec2:DescribeSubnets');
  assert.deepEqual(aws.admit('ec2:DescribeSubnets'), { code: 'RequestLimitExceeded', status: 503 });
  assert.equal(aws.admit('ec2:DescribeVpcs'), undefined, 'EC2 keeps a bucket per action');
  assert.equal(aws.throttled.get('ecs:DescribeTaskDefinition'), 1);
});

// 60 services: more task definitions than ECS's burst of 50, so a run without a budget is throttled.
const account = () => syntheticAccount({ services: 60, seed: 5 }) as unknown as Snapshot;

test('a replay that answers like AWS throttles a run without a budget; the run retries and reads the same account', async () => {
  const paced = await loadInventory(AwsGateway.replay(account(), 'synthetic-60'));
  const gateway = AwsGateway.replay(account(), 'synthetic-60', { emulateAwsLimits: true });
  const inventory = await loadInventory(gateway);
  assert.ok(gateway.throttles > 0, 'past the burst of task definition reads');
  assert.deepEqual([...inventory.taskDefinitions.keys()].sort(), [...paced.taskDefinitions.keys()].sort());
});

test('with a budget, the same replay is never throttled', async () => {
  // 0.9 of the bucket: (60 − 45) / 18 ≈ 0.8 s of pacing, to keep the test short.
  const gateway = AwsGateway.replay(account(), 'synthetic-60', { emulateAwsLimits: true, budget: new RequestBudget(0.9) });
  const started = performance.now();
  let mostWaiting = 0;
  const sampler = setInterval(() => (mostWaiting = Math.max(mostWaiting, gateway.waitingForBudget)), 20);
  await loadInventory(gateway).finally(() => clearInterval(sampler));
  assert.ok(mostWaiting > 0, 'calls waited for their tokens');
  assert.equal(gateway.waitingForBudget, 0);
  assert.equal(gateway.throttles, 0);
  const minimum = budgetMinimumSeconds(Object.fromEntries(gateway.calls), 0.9);
  assert.ok(minimum > 0.5, `the run had to be paced (${minimum} s)`);
  assert.ok((performance.now() - started) / 1000 >= minimum * 0.95, 'it waited for its tokens');
});

test('docs/BUDGETS.md carries the table the gateway keeps to, figure for figure', () => {
  const doc = require('node:fs').readFileSync(require('node:path').join(__dirname, '..', 'docs', 'BUDGETS.md'), 'utf8') as string;
  const n = (x: number) => x.toLocaleString('en-US');
  for (const family of API_FAMILIES) {
    const row = doc.split('\n').find((line) => line.startsWith(`| ${family.name}`));
    assert.ok(row, `a row for ${family.name}`);
    const cells = row.split('|').map((c) => c.trim());
    assert.deepEqual(cells.slice(3, 5), [n(family.burst), n(family.refillPerSecond)], family.name);
    for (const operation of family.operations) assert.ok(cells[2].includes(`\`${operation}\``), `${family.name} lists ${operation}`);
    assert.ok(cells[7].startsWith(family.source.slice(0, 40)), `${family.name} names its source`);
  }
});

test('over the wire, the local AWS throttles a client without a budget (retried, the same account) and never one that keeps to it', async (t) => {
  const saved = process.env.AWS_ENDPOINT_URL;
  t.after(() => {
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = saved;
  });
  const read = async (budget?: RequestBudget, available = 1) => {
    const server = await AwsWireServer.start({ accounts: [account()], awsLimits: { available }, lifetimeMs: 60_000 });
    try {
      process.env.AWS_ENDPOINT_URL = server.url;
      const credentials = { accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY };
      const gateway = AwsGateway.live({ region: account().region, credentials, budget, maxAttempts: 10 });
      const inventory = await loadInventory(gateway);
      return { inventory, gateway, throttled: server.throttled(), answers: server.requests.map((r) => r.answer) };
    } finally {
      await server.stop();
    }
  };
  // The account's own tooling leaves 70% of each bucket: 60 reads at once are past its 35 tokens.
  // (Much less, and the SDK's retry quota runs out: without a budget, reads then fail.)
  const unpaced = await read(undefined, 0.7);
  assert.ok((unpaced.throttled.get('ecs:DescribeTaskDefinition') ?? 0) > 0, 'past ECS\'s burst of task definition reads');
  assert.ok(unpaced.answers.includes(400), 'answered ThrottlingException over the wire');
  assert.equal(unpaced.gateway.throttles, [...unpaced.throttled.values()].reduce((a, b) => a + b, 0), 'the gateway counts every throttled attempt');
  const paced = await read(new RequestBudget(0.9));
  assert.equal(paced.throttled.size, 0);
  assert.equal(paced.gateway.throttles, 0);
  assert.deepEqual([...paced.inventory.taskDefinitions.keys()].sort(), [...unpaced.inventory.taskDefinitions.keys()].sort());
});

test('a read that runs out of time while calls wait for the budget says so, not that AWS is slow', async (t) => {
  const never = new Promise<never>(() => {});
  // The deadline's timer does not keep a process alive (a live read's sockets do): this one does.
  const alive = setInterval(() => {}, 1000);
  t.after(() => clearInterval(alive));
  const waiting = { waitingForBudget: 12 } as AwsGateway;
  await assert.rejects(loadWithin({ mode: 'live', name: 'prod' }, never, 30, waiting), {
    message: 'reading target "prod" did not finish within 0 s: 12 calls were still waiting for their share of AWS\'s request rates (PREFLIGHT_API_BUDGET, docs/BUDGETS.md); a large account\'s first read takes that long: raise PREFLIGHT_LOAD_TIMEOUT_MS',
  });
  await assert.rejects(loadWithin({ mode: 'live' }, never, 30, { waitingForBudget: 0 } as AwsGateway), { message: /the live account did not finish within 0 s: AWS is too slow or not answering/ });
});

test('Cucumber\'s --parallel workers split the budget between them; a replay is paced only when it answers like AWS', () => {
  const fractionOf = (env: NodeJS.ProcessEnv) => (gatewayFor({ mode: 'replay', account: 'demo' }, undefined, env) as unknown as { budget?: RequestBudget }).budget?.fraction;
  assert.equal(fractionOf({ PREFLIGHT_REPLAY_AWS_LIMITS: '1' }), 0.5);
  assert.equal(fractionOf({ PREFLIGHT_REPLAY_AWS_LIMITS: '1', CUCUMBER_TOTAL_WORKERS: '2' }), 0.25);
  assert.equal(fractionOf({ PREFLIGHT_REPLAY_AWS_LIMITS: '1', PREFLIGHT_API_BUDGET: 'off' }), undefined);
  assert.equal(fractionOf({}), undefined);
});
