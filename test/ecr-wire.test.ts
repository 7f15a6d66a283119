// IMG-01's reads over the wire: the real ECR client (awsJson1_1, X-Amz-Target
// AmazonEC2ContainerRegistry_V20150921.*) against the local AWS (helpers/aws-wire-server.ts),
// serving the img account: DescribeImages per repository, an ImageNotFoundException in the JSON
// protocol's error format, GetRepositoryPolicy of another account's repository, and the pull
// through cache rules over two pages (nextToken).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DescribeImagesCommand, ECRClient, ImageNotFoundException } from '@aws-sdk/client-ecr';
import { AwsWireServer } from './helpers/aws-wire-server';
import { TEST_CREDENTIALS } from './helpers/live-run';
import { AwsGateway } from '../support/aws/gateway';
import type { Snapshot } from '../support/aws/snapshot';
import { loadInventory } from '../support/inventory/load';
import { imagesExist } from '../support/checks/images';
import { selectWorkloads } from '../support/workloads';

const credentials = { accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY };

/** The img account, its pull through cache rules split over two pages as ECR pages them. */
function imgAccount(): Snapshot {
  const snapshot = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'accounts', 'img.json'), 'utf8')) as Snapshot;
  const [call] = snapshot.calls['ecr:DescribePullThroughCacheRules']!;
  const [rule] = (call.pages![0] as { pullThroughCacheRules: Record<string, unknown>[] }).pullThroughCacheRules;
  const { credentialArn: _, ...withoutCredential } = rule;
  const quay = { ...withoutCredential, ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io', upstreamRegistry: 'quay' };
  call.pages = [
    { pullThroughCacheRules: [rule], nextToken: Buffer.from('ecr:DescribePullThroughCacheRules page 2').toString('base64') },
    { pullThroughCacheRules: [quay] },
  ];
  return snapshot;
}

test('the img account read through ECR\'s wire protocol: images, the other account\'s policy, and the cache rules over two pages', async (t) => {
  const server = await AwsWireServer.start({ accounts: [imgAccount()], lifetimeMs: 60_000 });
  t.after(() => server.stop());
  process.env.AWS_ENDPOINT_URL = server.url;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  t.after(() => {
    delete process.env.AWS_ENDPOINT_URL;
  });

  const gateway = AwsGateway.live({ region: 'us-east-1', credentials });
  const inv = await loadInventory(gateway);
  gateway.close();

  assert.deepEqual(inv.pullThroughCachePrefixes, ['docker-hub', 'quay'], 'both pages were read');
  const pages = server.received('ecr:DescribePullThroughCacheRules');
  assert.equal(pages.length, 2);
  assert.equal(pages[1].input?.nextToken, Buffer.from('ecr:DescribePullThroughCacheRules page 2').toString('base64'));

  const described = server.received('ecr:DescribeImages');
  assert.equal(described.length, 4, 'one call per repository');
  assert.ok(described.every((r) => r.service === 'ecr' && r.region === 'us-east-1'));
  const orders = described.find((r) => r.input?.repositoryName === 'orders')!;
  assert.deepEqual(orders.input, { registryId: '739164025817', repositoryName: 'orders', imageIds: [{ imageTag: 'v2.4.1' }] });
  assert.equal(orders.answer, 400);
  assert.deepEqual(
    [...inv.images.entries()].map(([image, state]) => [image.split('/').slice(1).join('/').replace(/@sha256:.*/, '@…'), state.state]),
    [
      ['orders:v2.4.1', 'image not found'],
      ['billing@…', 'present'],
      ['docker-hub/library/redis:7.4-alpine', 'image not found'],
      ['platform/base-worker:1.9.0', 'present'],
    ],
  );
  const billing = [...inv.images.values()][1];
  assert.ok(billing.state === 'present' && billing.pushedAt === '2026-11-18T07:36:32.311Z', 'timestamps cross the wire as epoch seconds and come back as the same instant');
  assert.equal(server.received('ecr:GetRepositoryPolicy')[0].input?.registryId, '583920174618');
  // The lifecycle policies of the repositories an image is missing from: one set, one not (LifecyclePolicyNotFoundException).
  assert.deepEqual(server.received('ecr:GetLifecyclePolicy').map((r) => [r.input?.repositoryName, r.answer]).sort(), [['docker-hub/library/redis', 400], ['orders', 200]]);
  const ordersImage = [...inv.images.values()][0];
  assert.ok(ordersImage.state === 'image not found' && ordersImage.lifecycle?.rules?.[0].countNumber === 14);
  const redis = [...inv.images.values()][2];
  assert.ok(redis.state === 'image not found' && redis.lifecycle && 'none' in redis.lifecycle);
  assert.ok(inv.repositoryPolicies.get('arn:aws:ecr:us-east-1:583920174618:repository/platform/base-worker')?.document);

  const findings = [];
  for (const w of selectWorkloads(inv, { kind: 'all workloads' })) findings.push(...(await imagesExist(inv, w)));
  assert.deepEqual(findings.map((f) => f.workload), ['commerce/orders', 'commerce/base-worker'], 'the same verdicts as the replay');
});

test('ImageNotFoundException comes back in the JSON protocol\'s error format, as the SDK parses it', async (t) => {
  const server = await AwsWireServer.start({ accounts: [imgAccount()], lifetimeMs: 60_000 });
  t.after(() => server.stop());
  const client = new ECRClient({ region: 'us-east-1', endpoint: server.url, credentials, maxAttempts: 1 });
  t.after(() => client.destroy());
  await assert.rejects(client.send(new DescribeImagesCommand({ registryId: '739164025817', repositoryName: 'orders', imageIds: [{ imageTag: 'v2.4.1' }] })), (error: Error) => {
    assert.ok(error instanceof ImageNotFoundException, error.name);
    assert.match(error.message, /The image with imageId \{imageDigest:'null', imageTag:'v2\.4\.1'\} does not exist within the repository with name 'orders' in the registry with id '739164025817'/);
    assert.equal((error as ImageNotFoundException).$metadata.httpStatusCode, 400);
    return true;
  });
  const [request] = server.received('ecr:DescribeImages');
  assert.equal(request.service, 'ecr');
});
