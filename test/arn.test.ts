// ARNs: read with the SDK's parser and built in the partition of their region (support/util/arn.ts),
// so an account in GovCloud or China is checked as one in a commercial region is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AwsGateway } from '../support/aws/gateway';
import type { Snapshot } from '../support/aws/snapshot';
import { RUNS } from '../support/checks';
import { ecrPullNeeds, secretNeeds } from '../support/checks/execution-role';
import { loadInventory } from '../support/inventory/load';
import { layerBucketArn } from '../support/policy/endpoint';
import type { Inventory, TaskDefinition } from '../support/inventory/model';
import { selectWorkloads } from '../support/workloads';
import {
  accountOf,
  iamRoleArn,
  bucketArnOf,
  bucketOf,
  isArnIn,
  isRoleArn,
  kmsKeyArn,
  logStreamArn,
  parameterNameOf,
  partitionOf,
  resourceNameOf,
  secretArnOf,
  ssmParameterArn,
} from '../support/util/arn';
import { emptyInventory } from './helpers/inventory';

test("a region's partition comes from the SDK's partition data, GovCloud, China and the isolated regions included", () => {
  assert.equal(partitionOf('ap-northeast-2'), 'aws');
  assert.equal(partitionOf('us-gov-west-1'), 'aws-us-gov');
  assert.equal(partitionOf('cn-north-1'), 'aws-cn');
  assert.equal(partitionOf('us-iso-east-1'), 'aws-iso');
  assert.equal(partitionOf('us-isob-east-1'), 'aws-iso-b');
});

test('ARNs the suite builds are in the partition of the region they name', () => {
  const definition = { containers: [{ name: 'app', image: '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/payments/api:7' }] } as unknown as TaskDefinition;
  assert.equal(ecrPullNeeds(definition)[1].resource, 'arn:aws-cn:ecr:cn-north-1:123456789012:repository/payments/api');
  assert.equal(logStreamArn('us-gov-west-1', '123456789012', '/ecs/api'), 'arn:aws-us-gov:logs:us-gov-west-1:123456789012:log-group:/ecs/api:log-stream:*');
  assert.equal(ssmParameterArn('cn-northwest-1', '123456789012', '/prod/db'), 'arn:aws-cn:ssm:cn-northwest-1:123456789012:parameter/prod/db');
  assert.equal(kmsKeyArn('us-gov-east-1', '123456789012', 'alias/payments'), 'arn:aws-us-gov:kms:us-gov-east-1:123456789012:alias/payments');
  assert.equal(kmsKeyArn('ap-northeast-2', '123456789012', '1f2e3d4c'), 'arn:aws:kms:ap-northeast-2:123456789012:key/1f2e3d4c');
  assert.equal(iamRoleArn('us-gov-west-1', '123456789012', 'ecsTaskExecutionRole'), 'arn:aws-us-gov:iam::123456789012:role/ecsTaskExecutionRole');
  assert.equal(iamRoleArn('us-east-1', '123456789012', 'service-role/exec'), 'arn:aws:iam::123456789012:role/service-role/exec');
  assert.equal(layerBucketArn('us-iso-east-1'), 'arn:aws-iso:s3:::prod-us-iso-east-1-starport-layer-bucket/*');
  // A bare parameter name is a parameter of the inventory's own region, in its partition.
  const gov = emptyInventory({ region: 'us-gov-west-1' });
  const named = { containers: [{ name: 'app', image: 'nginx', secretRefs: ['prod/db'] }] } as unknown as TaskDefinition;
  assert.equal(secretNeeds(gov, named).needs[0].resource, 'arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/prod/db');
});

test('ARNs are read by their parts, whatever their partition', () => {
  const secret = 'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:prod/db-AbCdEf';
  assert.ok(isArnIn(secret, 'secretsmanager', 'us-gov-west-1'));
  assert.ok(!isArnIn(secret, 'secretsmanager', 'us-gov-east-1'));
  assert.ok(!isArnIn('prod/db', 'ssm', 'us-gov-west-1'));
  assert.equal(secretArnOf(`${secret}:password:AWSCURRENT:`), secret, 'a JSON key and version stage are not part of the secret');
  assert.equal(secretArnOf('arn:aws:ssm:ap-northeast-2:123456789012:parameter/prod/db'), undefined);
  assert.equal(parameterNameOf('arn:aws-cn:ssm:cn-north-1:123456789012:parameter/prod/db'), '/prod/db');
  assert.equal(parameterNameOf('arn:aws:ssm:ap-northeast-2:123456789012:parameter/db'), 'db');
  assert.equal(parameterNameOf('db'), 'db');
  assert.equal(bucketOf('arn:aws-us-gov:s3:::config/api/.env'), 'config');
  assert.equal(bucketArnOf('arn:aws-us-gov:s3:::config/api/.env'), 'arn:aws-us-gov:s3:::config');
  assert.equal(accountOf('arn:aws-cn:iam::123456789012:role/exec'), '123456789012');
  assert.equal(accountOf('arn:aws:iam::aws:policy/ReadOnlyAccess'), undefined);
  assert.equal(accountOf('ecs-tasks.amazonaws.com'), undefined);
  assert.equal(resourceNameOf('arn:aws-us-gov:iam::123456789012:role/service-role/exec'), 'exec');
  assert.equal(resourceNameOf('arn:aws:ecs:ap-northeast-2:123456789012:task-definition/api:3'), 'api:3');
  assert.equal(resourceNameOf('ecsTaskExecutionRole'), 'ecsTaskExecutionRole');
  assert.ok(isRoleArn('arn:aws-us-gov:iam::123456789012:role/ecs-preflight-readonly'));
  assert.ok(!isRoleArn('arn:aws:iam::123456789012:user/ecs-preflight'));
  assert.ok(!isRoleArn('ecs-preflight-readonly'));
});

/** A bundled account as if recorded in `region`: every region name and ARN partition moved there (IAM's policy documents are URL-encoded). */
function moved(name: string, region: string): Snapshot {
  const text = readFileSync(path.join(__dirname, '..', 'fixtures', 'accounts', `${name}.json`), 'utf8');
  const from = (JSON.parse(text) as Snapshot).region;
  const partition = partitionOf(region);
  return JSON.parse(text.replaceAll(from, region).replaceAll('arn:aws:', `arn:${partition}:`).replaceAll('arn%3Aaws%3A', `arn%3A${partition}%3A`)) as Snapshot;
}

/** The IAM checks' findings on every workload, one line each (the network checks also see China's "cn.com.amazonaws" endpoint names). */
async function iamFindings(inv: Inventory): Promise<string[]> {
  const out: string[] = [];
  for (const workload of selectWorkloads(inv, { kind: 'all workloads' })) {
    for (const id of ['IAM-01', 'IAM-02', 'IAM-03', 'IAM-04', 'IAM-05'] as const) for (const finding of await RUNS[id](inv, workload)) out.push(`${workload.id} ${JSON.stringify(finding)}`);
  }
  return out;
}

for (const region of ['us-gov-west-1', 'cn-north-1']) {
  test(`the iam account moved to ${region} has its secrets' keys read and the same IAM findings as in its own region`, async () => {
    const home = moved('iam', 'ap-northeast-2');
    const away = await loadInventory(AwsGateway.replay(moved('iam', region), `iam in ${region}`));
    const keys = [...away.secretKeys].filter(([ref]) => ref.includes(':secretsmanager:'));
    const listed = (home.calls['secretsmanager:ListSecrets']?.[0].pages ?? []).flatMap((p) => (p as { SecretList: unknown[] }).SecretList);
    assert.ok(listed.length >= 2);
    assert.equal(keys.length, listed.length, 'every secret of the region has its key read');
    assert.ok(keys.every(([, key]) => !('error' in key)), JSON.stringify(keys));
    assert.ok(keys.some(([, key]) => key.kmsKeyId?.includes(`arn:${partitionOf(region)}:kms:${region}:`)), 'the customer key is known');
    const expected = await iamFindings(await loadInventory(AwsGateway.replay(home, 'iam')));
    const actual = (await iamFindings(away)).map((line) => line.replaceAll(region, 'ap-northeast-2').replaceAll(`arn:${partitionOf(region)}:`, 'arn:aws:'));
    assert.ok(expected.some((line) => line.includes('"checkId":"IAM-05"') && line.includes('kms:Decrypt')), 'the account has a customer key without kms:Decrypt');
    assert.deepEqual(actual, expected);
  });
}
