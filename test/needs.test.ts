// Needs come from the task definition and nothing else (CHECKS.md section 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { needsOfDefinition } from '../support/needs';
import type { ContainerDefinition, TaskDefinition } from '../support/inventory/model';
import { account } from './helpers/accounts';

function definition(containers: Partial<ContainerDefinition>[]): TaskDefinition {
  return {
    arn: 'arn:aws:ecs:ap-northeast-2:123456789012:task-definition/app:1',
    family: 'app',
    revision: 1,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    containers: containers.map((c) => ({ name: 'app', image: '', essential: true, logOptions: {}, secretRefs: [], environmentFileArns: [], ulimits: [], ...c })),
  };
}

test('a private ECR image in the region needs ecr.api, ecr.dkr and S3 for its layers', async () => {
  const inv = await account('healthy');
  const needs = needsOfDefinition(inv, definition([{ image: '123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/app:1' }]));
  assert.deepEqual(needs.map((n) => n.id), ['ecr.api@ap-northeast-2', 'ecr.dkr@ap-northeast-2', 's3@ap-northeast-2']);
  assert.deepEqual(needs[2].resources, ['arn:aws:s3:::prod-ap-northeast-2-starport-layer-bucket/*']);
});

test('logs, secrets and env files add their services, each in its own region', async () => {
  const inv = await account('healthy');
  inv.bucketRegions.set('cherry-env-prod', { region: 'us-east-2' });
  const needs = needsOfDefinition(
    inv,
    definition([
      {
        image: 'ghcr.io/acme/app:2',
        logDriver: 'awslogs',
        logOptions: { 'awslogs-region': 'ap-northeast-2' },
        secretRefs: ['arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:db-AbCdEf', '/prod/api/key'],
        environmentFileArns: ['arn:aws:s3:::cherry-env-prod/api/.env'],
      },
    ]),
  );
  assert.deepEqual(needs.map((n) => [n.id, n.origins]), [
    ['internet', ['image']],
    ['logs@ap-northeast-2', ['logs']],
    ['secretsmanager@ap-northeast-2', ['secret']],
    ['ssm@ap-northeast-2', ['secret']],
    ['s3@us-east-2', ['env file']],
  ]);
});

test('nothing is assumed that the task does not use', async () => {
  const inv = await account('healthy');
  assert.deepEqual(needsOfDefinition(inv, definition([{ image: 'public.ecr.aws/nginx/nginx:1' }])).map((n) => n.id), ['internet']);
});
