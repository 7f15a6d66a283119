// IMG-01: the images the task definitions name are in their repositories, and another account's
// repository lets the execution role pull; how the loader asks ECR (one call per image, as the
// definitions arrive) and what it does when a read fails or was never recorded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AwsGateway } from '../../support/aws/gateway';
import type { RecordedCall, Snapshot } from '../../support/aws/snapshot';
import { imageNotes, imagesExist } from '../../support/checks/images';
import { CHECKS, RUNS } from '../../support/checks';
import { assertReadable } from '../../support/inventory/denied';
import { parseEcrImageReference } from '../../support/inventory/images';
import { syntheticAccount } from '../../bench/synthetic';
import { RequestBudget } from '../../support/aws/budget';
import { loadInventory } from '../../support/inventory/load';
import type { Inventory } from '../../support/inventory/model';
import { selectWorkloads } from '../../support/workloads';
import { account, service } from '../helpers/accounts';

const ORDERS_REPOSITORY = 'arn:aws:ecr:us-east-1:739164025817:repository/orders';
const BASE_WORKER_REPOSITORY = 'arn:aws:ecr:us-east-1:583920174618:repository/platform/base-worker';

function snapshotOf(name: string): Snapshot {
  return JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'accounts', `${name}.json`), 'utf8')) as Snapshot;
}

async function findings(inv: Inventory) {
  const all = [];
  for (const w of selectWorkloads(inv, { kind: 'all workloads' })) all.push(...(await imagesExist(inv, w)));
  return all;
}

test('an image reference names its registry, region, repository and tag or digest; a bare repository means tag latest', () => {
  assert.deepEqual(parseEcrImageReference('739164025817.dkr.ecr.us-east-1.amazonaws.com/orders:v2.4.1'), { registryId: '739164025817', region: 'us-east-1', repository: 'orders', tag: 'v2.4.1' });
  assert.deepEqual(parseEcrImageReference('739164025817.dkr.ecr.us-east-1.amazonaws.com/team/orders'), { registryId: '739164025817', region: 'us-east-1', repository: 'team/orders', tag: 'latest' });
  const digest = `sha256:${'ab'.repeat(32)}`;
  // Docker pulls by the digest when both are given.
  assert.deepEqual(parseEcrImageReference(`739164025817.dkr.ecr.eu-west-1.amazonaws.com/orders:v2@${digest}`), { registryId: '739164025817', region: 'eu-west-1', repository: 'orders', digest });
  for (const other of ['nginx:1.27-alpine', 'public.ecr.aws/nginx/nginx:1.27', 'ghcr.io/org/app:1', 'docker.io/library/redis:7']) assert.equal(parseEcrImageReference(other), undefined, other);
});

test('IMG-01 fails on a tag the repository does not hold and on another account\'s repository whose policy does not name the role; by digest, pull through cache and Docker Hub pass', async () => {
  const inv = await account('img');
  const found = await findings(inv);
  assert.deepEqual(found.map((f) => [f.workload, f.kind, f.resourceIds[0]]), [
    ['commerce/orders', 'start', ORDERS_REPOSITORY],
    ['commerce/base-worker', 'start', BASE_WORKER_REPOSITORY],
  ]);
  const [orders, baseWorker] = found;
  assert.deepEqual(orders.resourceIds, [ORDERS_REPOSITORY, '739164025817.dkr.ecr.us-east-1.amazonaws.com/orders:v2.4.1', 'arn:aws:ecs:us-east-1:739164025817:task-definition/orders:42', 'orders']);
  assert.match(orders.impact, /^CannotPullContainerError: \.\.\. not found: manifest unknown/);
  assert.match(orders.fix.console, /^ECR → Private registry → Repositories → orders → Images/);
  // A revision naming the newest tag the repository holds, and the service moved to it (image-fixes.test.ts runs it).
  assert.match(orders.fix.cli, /^IMAGE=739164025817\.dkr\.ecr\.us-east-1\.amazonaws\.com\/orders:\$\(aws ecr describe-images --registry-id 739164025817 --repository-name orders --query /);
  assert.match(orders.fix.cli, / && aws ecs update-service --cluster commerce --service orders --task-definition orders --region us-east-1 {2}# /);
  // The repository's lifecycle policy is read because the tag is gone: the rule that selects it is named, not the one for untagged images.
  assert.match(orders.problem, /holds no image with tag v2\.4\.1: never pushed, or removed by its lifecycle policy: rule 1 \("Expire release images after 14 days"\) expires images tagged v\* pushed more than 14 days ago$/);
  assert.match(orders.fix.cli, /aws ecr get-lifecycle-policy --registry-id 739164025817 --repository-name orders --region us-east-1$/);
  assert.match(baseWorker.problem, /repository policy does not allow ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, ecr:BatchCheckLayerAvailability for the role: no statement of the repository policy allows the role/);
  // The fix keeps the platform CI's statement and adds the role, in the owning account.
  assert.match(baseWorker.fix.cli, /^aws ecr set-repository-policy --registry-id 583920174618 --repository-name platform\/base-worker --policy-text '/);
  const policy = JSON.parse(baseWorker.fix.cli.match(/--policy-text '([^']+)'/)![1]) as { Statement: { Sid: string; Principal: { AWS: string } }[] };
  assert.deepEqual(policy.Statement.map((s) => [s.Sid, s.Principal.AWS]), [
    ['PlatformCiPushAndPull', 'arn:aws:iam::583920174618:role/platform-ci'],
    ['AllowPullByExecutionRole', 'arn:aws:iam::739164025817:role/ecsTaskExecutionRole'],
  ]);
  assert.deepEqual(imageNotes(inv, selectWorkloads(inv, { kind: 'all workloads' })), [
    'note: IMG-01 checks the images of ECR in us-east-1 only, not those of other registries or regions (TD-03 checks the way there): otel/opentelemetry-collector-contrib:0.114.0 (commerce/collector)',
    'note: 739164025817.dkr.ecr.us-east-1.amazonaws.com/docker-hub/library/redis:7.4-alpine (commerce/cache-warmer) is not in ECR now: the pull through cache rule "docker-hub" fetches it from its upstream registry on the next pull, so IMG-01 does not count it as missing (that pull needs ecr:BatchImportUpstreamImage, and ecr:CreateRepository while the repository does not exist)',
  ]);
});

test('IMG-01 passes on the healthy twin, and on every other bundled account', async () => {
  const { bundledAccounts } = await import('../../support/target');
  assert.ok(bundledAccounts().includes('img-healthy'));
  for (const name of bundledAccounts().filter((n) => n !== 'img')) {
    const inv = await account(name);
    assert.deepEqual(await findings(inv), [], name);
  }
  assert.equal(RUNS['IMG-01'], imagesExist);
});

test('without the pull through cache rule the cached image is missing; an archived image must be restored; a policy that allows only conditionally is not a pass', async () => {
  const inv = await account('img-healthy');
  inv.pullThroughCachePrefixes = [];
  const cacheWarmer = await imagesExist(inv, service(inv, 'commerce', 'cache-warmer'));
  assert.match(cacheWarmer[0].problem, /holds no image with tag 7\.4-alpine: the repository has no lifecycle policy, so it was never pushed, or was deleted$/);

  const billing = service(inv, 'commerce', 'billing');
  const image = inv.taskDefinitions.get(billing.taskDefinitionArn)!.containers[0].image;
  inv.images.set(image, { state: 'present', digest: image.split('@')[1], tags: [], status: 'ARCHIVED' });
  const archived = await imagesExist(inv, billing);
  assert.match(archived[0].problem, /is archived/);
  assert.match(archived[0].fix.cli, /aws ecr update-image-storage-class .* --target-storage-class STANDARD/);

  const baseWorker = service(inv, 'commerce', 'base-worker');
  inv.repositoryPolicies.set(BASE_WORKER_REPOSITORY, {
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ecr:*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }] },
  });
  const conditional = await imagesExist(inv, baseWorker);
  assert.equal(conditional.length, 1);
  assert.match(conditional[0].problem, /only conditionally: .*aws:PrincipalOrgID/);
  // The task's own account named as principal lets its roles pull (their policies decide: IAM-02).
  inv.repositoryPolicies.set(BASE_WORKER_REPOSITORY, {
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::629418037265:root' }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'] }] },
  });
  assert.deepEqual(await imagesExist(inv, baseWorker), []);
  inv.repositoryPolicies.set(BASE_WORKER_REPOSITORY, { none: true });
  assert.match((await imagesExist(inv, baseWorker))[0].problem, /has no repository policy/);
});

test('another account that refuses the reads: cannot be verified, naming the action and the registry, never a pass', async () => {
  const snapshot = snapshotOf('img-healthy');
  const denied = { name: 'AccessDeniedException', message: 'User: arn:aws:iam::629418037265:user/ecs-preflight is not authorized to perform: ecr:DescribeImages' };
  for (const op of ['ecr:DescribeImages', 'ecr:GetRepositoryPolicy'] as const) {
    snapshot.calls[op] = snapshot.calls[op]!.map((call) => ((call.input as { registryId?: string }).registryId === '583920174618' ? { input: call.input, error: denied } : call));
  }
  const inv = await loadInventory(AwsGateway.replay(snapshot, 'img-denied.json'));
  const found = await imagesExist(inv, service(inv, 'commerce', 'base-worker'));
  assert.equal(found.length, 2);
  assert.ok(found.every((f) => f.notEvaluated), 'both are unverifiable, not findings about the account');
  assert.match(found[0].notEvaluated!, /^ecr:DescribeImages could not be read for arn:aws:ecr:us-east-1:583920174618:repository\/platform\/base-worker \(registry 583920174618: its repository policy must grant ecr:DescribeImages/);
  assert.match(found[1].notEvaluated!, /^ecr:GetRepositoryPolicy could not be read for .*base-worker \(registry 583920174618\)/);
  // The account's own images are still checked.
  assert.deepEqual(await imagesExist(inv, service(inv, 'commerce', 'orders')), []);
});

test('the loader asks one DescribeImages per image, each as soon as a definition names it; five tags of one repository, two missing, are five answers', async () => {
  const gateway = AwsGateway.replay(snapshotOf('img'), 'img.json');
  const inv = await loadInventory(gateway);
  // orders (missing), billing, docker-hub/library/redis (missing), platform/base-worker: one call each.
  assert.equal(gateway.calls.get('ecr:DescribeImages'), 4);
  assert.equal(gateway.calls.get('ecr:GetRepositoryPolicy'), 1);
  assert.equal(gateway.calls.get('ecr:DescribePullThroughCacheRules'), 1);
  // Lifecycle policies only of the repositories an image is missing from: orders, and the cache's redis.
  assert.equal(gateway.calls.get('ecr:GetLifecyclePolicy'), 2);
  assert.deepEqual([...inv.images.values()].map((s) => s.state).sort(), ['image not found', 'image not found', 'present', 'present']);

  const snapshot = snapshotOf('img-healthy');
  const input = (tag: string) => ({ registryId: '629418037265', repositoryName: 'orders', imageIds: [{ imageTag: tag }] });
  const missing = new Set(['v1', 'v4']);
  const calls: RecordedCall[] = ['v1', 'v2', 'v3', 'v4', 'v5'].map((tag) =>
    missing.has(tag)
      ? { input: input(tag), error: { name: 'ImageNotFoundException', message: `The image with imageId {imageDigest:'null', imageTag:'${tag}'} does not exist` } }
      : { input: input(tag), pages: [{ imageDetails: [{ registryId: '629418037265', repositoryName: 'orders', imageDigest: `sha256:${tag.padEnd(64, '0')}`, imageTags: [tag] }] }] },
  );
  snapshot.calls['ecr:DescribeImages'] = [...snapshot.calls['ecr:DescribeImages']!.filter((c) => (c.input as { repositoryName: string }).repositoryName !== 'orders'), ...calls];
  snapshot.calls['ecr:GetLifecyclePolicy'] = [
    ...(snapshot.calls['ecr:GetLifecyclePolicy'] ?? []),
    { input: { registryId: '629418037265', repositoryName: 'orders' }, error: { name: 'LifecyclePolicyNotFoundException', message: 'Lifecycle policy does not exist' } },
  ];
  type Definition = { family: string; containerDefinitions: { image: string }[] };
  const definitions = snapshot.calls['ecs:DescribeTaskDefinition']!.map((c) => (c.pages![0] as { taskDefinition: Definition }).taskDefinition);
  const ordersDefinition = definitions.find((d) => d.family === 'orders')!;
  const image = ordersDefinition.containerDefinitions[0].image;
  ordersDefinition.containerDefinitions = ['v1', 'v2', 'v3', 'v4', 'v5'].map((tag) => ({ ...ordersDefinition.containerDefinitions[0], name: `orders-${tag}`, image: image.replace(/:v[\d.]+$/, `:${tag}`) }));
  const many = AwsGateway.replay(snapshot, 'five-tags.json');
  const five = await loadInventory(many);
  assert.equal(many.calls.get('ecr:DescribeImages'), 3 + 5, 'billing, redis, base-worker, and one call per orders tag');
  assert.equal(many.calls.get('ecr:GetLifecyclePolicy'), 2, "orders' lifecycle policy once for its two missing tags, and redis'");
  assert.deepEqual(
    ['v1', 'v2', 'v3', 'v4', 'v5'].map((t) => five.images.get(image.replace(/:v[\d.]+$/, `:${t}`))?.state),
    ['image not found', 'present', 'present', 'image not found', 'present'],
  );
});

test("an image is read while ECS's budget still paces the other definitions, not after the last one", async () => {
  // 40 services: ECS's budget (25 at once at half its burst, then 10 a second) spreads the definitions over 1.5 s.
  const gateway = AwsGateway.replay(syntheticAccount({ services: 40, seed: 5 }) as unknown as Snapshot, 'synthetic-40', { emulateAwsLimits: true, budget: new RequestBudget(0.5) });
  const events: string[] = [];
  const call = gateway.call.bind(gateway);
  gateway.call = (async (operation: string, input: unknown) => {
    events.push(`ask ${operation}`);
    try {
      return await call(operation as never, input as never);
    } finally {
      events.push(`answer ${operation}`);
    }
  }) as typeof gateway.call;
  await loadInventory(gateway);
  const images = events.filter((e) => e === 'ask ecr:DescribeImages').length;
  const beforeLastDefinition = events.slice(0, events.lastIndexOf('answer ecs:DescribeTaskDefinition')).filter((e) => e === 'ask ecr:DescribeImages').length;
  assert.ok(images > 0 && beforeLastDefinition >= images / 2, `${beforeLastDefinition} of ${images} DescribeImages asked before the last definition was answered`);
});

test('a snapshot recorded before IMG-01 still replays: every image it names could not be evaluated, naming the read; every other check is unchanged', async () => {
  const snapshot = snapshotOf('img-healthy');
  delete snapshot.calls['ecr:DescribeImages'];
  delete snapshot.calls['ecr:GetRepositoryPolicy'];
  delete snapshot.calls['ecr:DescribePullThroughCacheRules'];
  const inv = await loadInventory(AwsGateway.replay(snapshot, 'before-img-01.json'));
  assert.ok(inv.services.length === 5);
  assert.ok([...inv.images.values()].every((s) => s.state === 'unknown'));
  assert.match(inv.denied?.get('ecr:DescribePullThroughCacheRules') ?? '', /^ecr:DescribePullThroughCacheRules was not answered: snapshot before-img-01\.json has no recording/);
  assert.doesNotThrow(() => assertReadable(inv, CHECKS.get('IAM-02')!.reads, 'IAM-02'));
  const all = await findings(inv);
  assert.ok(all.length > 0 && all.every((f) => f.notEvaluated), 'unknown, never an empty pass, never a finding');
  const orders = await imagesExist(inv, service(inv, 'commerce', 'orders'));
  assert.ok(orders.length === 1 && /^ecr:DescribeImages could not be read/.test(orders[0].notEvaluated!));
});

test('without the pull through cache rules (denied): only a missing image of the account\'s own registry could not be evaluated; found images pass, another account\'s repository is judged as before', async () => {
  const snapshot = snapshotOf('img');
  const error = { name: 'AccessDeniedException', message: 'User: arn:aws:sts::739164025817:assumed-role/ro/x is not authorized to perform: ecr:DescribePullThroughCacheRules' };
  snapshot.calls['ecr:DescribePullThroughCacheRules'] = snapshot.calls['ecr:DescribePullThroughCacheRules']!.map((call) => ({ input: call.input, error }));
  const inv = await loadInventory(AwsGateway.replay(snapshot, 'ptc-denied.json'));
  assert.equal(CHECKS.get('IMG-01')!.reads, undefined, 'IMG-01 runs without the rules');
  // orders:v2.4.1 is missing from the account's own registry: a rule the suite cannot see may fetch it.
  const [orders, ...moreOrders] = await imagesExist(inv, service(inv, 'commerce', 'orders'));
  assert.equal(moreOrders.length, 0);
  assert.match(orders.problem, /orders:v2\.4\.1 .*whether a pull through cache rule fetches it on the next pull cannot be verified/);
  assert.match(orders.notEvaluated!, /^ecr:DescribePullThroughCacheRules could not be read for registry 739164025817: ecr:DescribePullThroughCacheRules was denied in us-east-1 \(AccessDeniedException\): grant "ecr:DescribePullThroughCacheRules"/);
  // The cached redis, missing until its first pull: the same.
  const [redis] = await imagesExist(inv, service(inv, 'commerce', 'cache-warmer'));
  assert.match(redis.notEvaluated!, /ecr:DescribePullThroughCacheRules/);
  // base-worker's image (another account's registry) is found; its repository policy is a finding as before.
  const baseWorker = await imagesExist(inv, service(inv, 'commerce', 'base-worker'));
  assert.equal(baseWorker.length, 1);
  assert.equal(baseWorker[0].notEvaluated, undefined);
  assert.match(baseWorker[0].problem, /repository policy does not allow/);
  assert.deepEqual(await imagesExist(inv, service(inv, 'commerce', 'billing')), [], 'an image that exists passes');
});

test('a ROOT pull through cache rule (ECR to ECR) covers every repository of the registry: a missing image there is fetched on its first pull, not a finding', async () => {
  const inv = await loadInventory(AwsGateway.replay(snapshotOf('img'), 'img.json'));
  assert.equal((await imagesExist(inv, service(inv, 'commerce', 'orders'))).length, 1);
  inv.pullThroughCachePrefixes = ['ROOT'];
  assert.deepEqual(await imagesExist(inv, service(inv, 'commerce', 'orders')), []);
});

test('an image a pull through cache rule fills is no finding whether or not DescribeImages answered for it', async () => {
  const inv = await account('img');
  const warmer = service(inv, 'commerce', 'cache-warmer');
  const image = inv.taskDefinitions.get(warmer.taskDefinitionArn)!.containers[0].image;
  assert.match(image, /docker-hub\/library\/redis/);
  inv.images.set(image, { state: 'unknown', error: 'ecr:DescribeImages was denied' });
  assert.deepEqual(await imagesExist(inv, warmer), []);
  // Without the rule, the same unknown image could not be evaluated.
  inv.pullThroughCachePrefixes = [];
  const [finding] = await imagesExist(inv, warmer);
  assert.match(finding.notEvaluated ?? '', /ecr:DescribeImages could not be read/);
});
