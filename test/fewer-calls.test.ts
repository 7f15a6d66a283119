// Fewer calls for the same inventory: task definition revisions kept across runs
// (support/aws/immutable-cache.ts), and the account's secrets listed in pages rather than
// described one by one (support/inventory/load.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { syntheticAccount } from '../bench/synthetic';
import { AwsGateway } from '../support/aws/gateway';
import { cacheDir, ImmutableAnswers } from '../support/aws/immutable-cache';
import type { OutputOf } from '../support/aws/operations';
import { readSnapshot, type Snapshot } from '../support/aws/snapshot';
import { loadInventory } from '../support/inventory/load';

const temporary = () => mkdtempSync(path.join(tmpdir(), 'preflight-cache-'));
const ARN = 'arn:aws:ecs:ap-northeast-2:123456789012:task-definition/orders-api:7';
const answer = (arn = ARN): OutputOf<'ecs:DescribeTaskDefinition'> => ({
  $metadata: {},
  taskDefinition: { taskDefinitionArn: arn, family: 'orders-api', revision: 7, status: 'ACTIVE', networkMode: 'awsvpc', containerDefinitions: [{ name: 'app', image: 'nginx:1.27', environment: [{ name: 'DB_URL', value: 'postgres://app:hunter2@db/prod' }] }] },
});

test('the second night reads no task definition revision it read the night before, and builds the same inventory', async () => {
  const dir = temporary();
  const night = async () => {
    const gateway = AwsGateway.replay(syntheticAccount({ services: 40, seed: 9 }) as unknown as Snapshot, 'synthetic-40', { cache: new ImmutableAnswers(dir) });
    return { gateway, inventory: await loadInventory(gateway) };
  };
  const first = await night();
  const second = await night();
  const described = first.gateway.calls.get('ecs:DescribeTaskDefinition') ?? 0;
  assert.ok(described >= 40, `the first night describes every revision (${described})`);
  assert.equal(first.gateway.cacheHits, 0);
  assert.equal(second.gateway.calls.get('ecs:DescribeTaskDefinition') ?? 0, 0);
  assert.equal(second.gateway.cacheHits, described);
  assert.deepEqual(second.inventory.taskDefinitions, first.inventory.taskDefinitions);
  assert.deepEqual(second.inventory.services, first.inventory.services);
});

test('only a revision ARN is kept, without what can change after it is registered', () => {
  const cache = new ImmutableAnswers(temporary());
  cache.put('ecs:DescribeTaskDefinition', { taskDefinition: ARN }, answer());
  assert.equal(cache.get('ecs:DescribeTaskDefinition', { taskDefinition: ARN })?.taskDefinition?.family, 'orders-api');
  assert.equal(cache.get('ecs:DescribeTaskDefinition', { taskDefinition: ARN })?.taskDefinition?.status, undefined, 'the status changes when a revision is deregistered');
  const [file] = readdirSync(cache.dir);
  assert.doesNotMatch(readFileSync(path.join(cache.dir, file), 'utf8'), /hunter2/, 'plain environment values never reach the disk');
  assert.equal(cache.get('ecs:DescribeTaskDefinition', { taskDefinition: ARN })?.taskDefinition?.containerDefinitions?.[0].environment?.[0].name, 'DB_URL');
  // A family alone means its latest revision: it changes with every deploy.
  cache.put('ecs:DescribeTaskDefinition', { taskDefinition: 'orders-api' }, answer());
  cache.put('ecs:DescribeTaskDefinition', { taskDefinition: 'orders-api:7' }, answer());
  assert.equal(cache.get('ecs:DescribeTaskDefinition', { taskDefinition: 'orders-api' }), undefined);
  assert.equal(cache.get('ecs:DescribeTaskDefinition', { taskDefinition: 'orders-api:7' }), undefined);
  // Tags can change on a revision.
  assert.equal(cache.get('ecs:DescribeTaskDefinition', { taskDefinition: ARN, include: ['TAGS'] }), undefined);
  cache.put('ecs:DescribeServices', { cluster: 'c', services: ['s'] }, { $metadata: {}, services: [] });
  assert.equal(cache.get('ecs:DescribeServices', { cluster: 'c', services: ['s'] }), undefined, 'nothing but task definitions');
  // An answer for another revision than asked is not kept under the asked one.
  const other = ARN.replace(/:7$/, ':8');
  cache.put('ecs:DescribeTaskDefinition', { taskDefinition: other }, answer(ARN));
  assert.equal(cache.get('ecs:DescribeTaskDefinition', { taskDefinition: other }), undefined);
});

test('a damaged cache file is read again from AWS, never trusted', () => {
  const dir = temporary();
  const cache = new ImmutableAnswers(dir);
  cache.put('ecs:DescribeTaskDefinition', { taskDefinition: ARN }, answer());
  const folder = cache.dir;
  const [file] = readdirSync(folder);
  writeFileSync(path.join(folder, file), readFileSync(path.join(folder, file), 'utf8').slice(0, 40));
  assert.equal(new ImmutableAnswers(dir).get('ecs:DescribeTaskDefinition', { taskDefinition: ARN }), undefined);
});

test('the cache lives in PREFLIGHT_CACHE_DIR, else in .cache beside the reports folder', () => {
  assert.equal(cacheDir({ PREFLIGHT_CACHE_DIR: '/var/cache/preflight' }), '/var/cache/preflight');
  assert.equal(cacheDir({ PREFLIGHT_REPORTS_DIR: '/ci/artifacts/reports' }), '/ci/artifacts/.cache');
  assert.equal(cacheDir({}), path.resolve('.cache'));
});

const accounts = path.join(__dirname, '..', 'fixtures', 'accounts');

test('the account\'s secrets are listed, not described one by one', async () => {
  const gateway = AwsGateway.replay(readSnapshot(path.join(accounts, 'iam.json')), 'iam.json');
  const inventory = await loadInventory(gateway);
  assert.equal(gateway.calls.get('secretsmanager:ListSecrets'), 1);
  assert.equal(gateway.calls.get('secretsmanager:DescribeSecret') ?? 0, 0);
  const keys = [...inventory.secretKeys].filter(([ref]) => ref.includes(':secretsmanager:'));
  assert.ok(keys.length >= 2 && keys.every(([, key]) => !('error' in key)), JSON.stringify(keys));
  assert.ok(keys.some(([, key]) => key.kmsKeyId?.includes(':key/')), 'a customer key is known from the list');
});

test('when ListSecrets is denied, each secret is described: the same keys', async () => {
  const snapshot = readSnapshot(path.join(accounts, 'iam.json'));
  const listed = await loadInventory(AwsGateway.replay(snapshot, 'iam.json'));
  const entries = (snapshot.calls['secretsmanager:ListSecrets']![0].pages![0] as { SecretList: { ARN: string; Name: string; KmsKeyId?: string }[] }).SecretList;
  snapshot.calls['secretsmanager:ListSecrets'] = [{ input: { MaxResults: 100 }, error: { name: 'AccessDeniedException', message: 'not authorized to perform: secretsmanager:ListSecrets' } }];
  snapshot.calls['secretsmanager:DescribeSecret'] = entries.map((e) => ({ input: { SecretId: e.ARN }, pages: [e] }));
  const gateway = AwsGateway.replay(snapshot, 'iam-denied-list.json');
  const described = await loadInventory(gateway);
  assert.equal(gateway.calls.get('secretsmanager:DescribeSecret'), entries.length);
  assert.deepEqual(described.secretKeys, listed.secretKeys);
});

test('a secret the list does not hold (another account\'s) is described on its own', async () => {
  const snapshot = readSnapshot(path.join(accounts, 'iam.json'));
  const other = 'arn:aws:secretsmanager:ap-northeast-2:210987654321:secret:shared/api-token-QwErTy';
  const definition = snapshot.calls['ecs:DescribeTaskDefinition']![0].pages![0] as { taskDefinition: { containerDefinitions: { secrets?: { name: string; valueFrom: string }[] }[] } };
  const container = definition.taskDefinition.containerDefinitions[0];
  container.secrets = [...(container.secrets ?? []), { name: 'API_TOKEN', valueFrom: `${other}:token::` }];
  snapshot.calls['secretsmanager:DescribeSecret'] = [{ input: { SecretId: `${other}:token::` }, pages: [{ ARN: other, Name: 'shared/api-token', KmsKeyId: 'arn:aws:kms:ap-northeast-2:210987654321:key/9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d' }] }];
  const gateway = AwsGateway.replay(snapshot, 'iam-shared-secret.json');
  const inventory = await loadInventory(gateway);
  assert.equal(gateway.calls.get('secretsmanager:ListSecrets'), 1);
  assert.equal(gateway.calls.get('secretsmanager:DescribeSecret'), 1);
  assert.match(inventory.secretKeys.get(`${other}:token::`)?.kmsKeyId ?? '', /210987654321:key\//);
});

test('a reference that leaves out the six characters after the secret\'s name is found in the list', async () => {
  const snapshot = readSnapshot(path.join(accounts, 'iam.json'));
  const [listed] = (snapshot.calls['secretsmanager:ListSecrets']![0].pages![0] as { SecretList: { ARN: string; Name: string }[] }).SecretList;
  const partial = `${listed.ARN.slice(0, listed.ARN.indexOf(':secret:'))}:secret:${listed.Name}`;
  const definition = snapshot.calls['ecs:DescribeTaskDefinition']![0].pages![0] as { taskDefinition: { containerDefinitions: { secrets?: { name: string; valueFrom: string }[] }[] } };
  const container = definition.taskDefinition.containerDefinitions[0];
  container.secrets = [...(container.secrets ?? []), { name: 'BY_NAME', valueFrom: `${partial}:password::` }];
  const gateway = AwsGateway.replay(snapshot, 'iam-partial-arn.json');
  const inventory = await loadInventory(gateway);
  assert.equal(gateway.calls.get('secretsmanager:DescribeSecret') ?? 0, 0);
  assert.ok(inventory.secretKeys.has(`${partial}:password::`) && !('error' in inventory.secretKeys.get(`${partial}:password::`)!));
});
