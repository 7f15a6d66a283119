// IAM-01..IAM-05 on the bundled accounts' roles, changed to fail one way at a time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as role from '../../support/checks/execution-role';
import type { Inventory } from '../../support/inventory/model';
import { account, ids, service } from '../helpers/accounts';

const EXEC = 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole';
const nestjs = (inv: Inventory) => service(inv, ...ids.nestjs);
const execRole = (inv: Inventory) => inv.roles.get(EXEC)!;

test('IAM-01 passes for ecsTaskExecutionRole and fails for a role trusting only EC2', async () => {
  const inv = await account('healthy');
  assert.deepEqual(await role.executionRoleTrusted(inv, nestjs(inv)), []);
  execRole(inv).trustPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
  const [finding] = await role.executionRoleTrusted(inv, nestjs(inv));
  assert.deepEqual(finding.resourceIds, [EXEC]);
  assert.match(finding.problem, /the trust policy of ecsTaskExecutionRole does not let ecs-tasks\.amazonaws\.com assume it/);
  assert.match(finding.fix.cli, /update-assume-role-policy --role-name ecsTaskExecutionRole .*ecs-tasks\.amazonaws\.com/);
});

test("IAM-01 passes on AWS's recommended trust policy, and its fix keeps every statement and condition the role had", async () => {
  for (const name of ['ref-isolated', 'ref-nat-ecr', 'ref-dual-stack']) {
    const inv = await account(name);
    const [workload] = inv.services.map((s) => service(inv, s.clusterName, s.name));
    const trust = JSON.stringify(inv.roles.get(inv.taskDefinitions.get(workload.taskDefinitionArn)!.executionRoleArn!)!.trustPolicy);
    assert.match(trust, /aws:SourceArn.*aws:SourceAccount|aws:SourceAccount.*aws:SourceArn/, `${name} uses the recommended conditions`);
    assert.deepEqual(await role.executionRoleTrusted(inv, workload), [], name);
  }
  const inv = await account('healthy');
  const guarded = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } };
  execRole(inv).trustPolicy = { Version: '2012-10-17', Statement: [guarded] };
  const [finding] = await role.executionRoleTrusted(inv, nestjs(inv));
  const document = JSON.parse(finding.fix.cli.match(/--policy-document '(.+)'$/)![1]);
  assert.deepEqual(document.Statement[0], guarded);
  assert.deepEqual(document.Statement[1].Condition, { ArnLike: { 'aws:SourceArn': 'arn:aws:ecs:ap-northeast-2:123456789012:*' }, StringEquals: { 'aws:SourceAccount': '123456789012' } });
});

test('IAM-01 fails for a role that does not exist', async () => {
  const inv = await account('healthy');
  inv.roles.delete(EXEC);
  const [finding] = await role.executionRoleTrusted(inv, nestjs(inv));
  assert.match(finding.problem, /execution role arn:aws:iam::123456789012:role\/ecsTaskExecutionRole does not exist/);
});

test('IAM-02 passes with AmazonECSTaskExecutionRolePolicy and fails without it, naming the four actions', async () => {
  const inv = await account('healthy');
  assert.deepEqual(await role.executionRoleAllowsEcrPull(inv, nestjs(inv)), []);
  execRole(inv).attachedPolicyArns = [];
  const findings = await role.executionRoleAllowsEcrPull(inv, nestjs(inv));
  assert.deepEqual(findings.map((f) => f.resourceIds), [
    [EXEC, 'ecr:GetAuthorizationToken', '*'],
    [EXEC, 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage', 'arn:aws:ecr:ap-northeast-2:123456789012:repository/nestjs-second'],
  ]);
  assert.equal(findings[0].fix.cli, 'aws iam attach-role-policy --role-name ecsTaskExecutionRole --policy-arn arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy');
});

test('IAM-02 names an explicit Deny and the policy holding it', async () => {
  const inv = await account('healthy');
  execRole(inv).inlinePolicies.push({ name: 'no-pull', document: { Version: '2012-10-17', Statement: [{ Sid: 'NoImages', Effect: 'Deny', Action: 'ecr:BatchGetImage', Resource: '*' }] } });
  const [finding, ...rest] = await role.executionRoleAllowsEcrPull(inv, nestjs(inv));
  assert.equal(rest.length, 0);
  assert.match(finding.problem, /an explicit Deny in inline:no-pull \(statement NoImages\) blocks ecr:BatchGetImage on arn:aws:ecr:ap-northeast-2:123456789012:repository\/nestjs-second/);
  assert.match(finding.fix.cli, /aws iam get-role-policy --role-name ecsTaskExecutionRole --policy-name no-pull/);
});

test('IAM-04 and IAM-05 fail for an env file and a secret the role cannot read; a conditional grant is not a pass', async () => {
  const inv = await account('healthy');
  const definition = inv.taskDefinitions.get(nestjs(inv).taskDefinitionArn)!;
  definition.containers[0].environmentFileArns = ['arn:aws:s3:::nestjs-config/app.env'];
  definition.containers[0].secretRefs = ['arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:prod/db-AbCdEf'];
  inv.secretKeys.set(definition.containers[0].secretRefs[0], { kmsKeyId: 'arn:aws:kms:ap-northeast-2:123456789012:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b' });
  const env = await role.executionRoleAllowsEnvFiles(inv, nestjs(inv));
  assert.deepEqual(env.map((f) => f.resourceIds.slice(1)), [
    ['s3:GetObject', 'arn:aws:s3:::nestjs-config/app.env'],
    ['s3:GetBucketLocation', 'arn:aws:s3:::nestjs-config'],
  ]);
  const secrets = await role.executionRoleAllowsSecrets(inv, nestjs(inv));
  assert.deepEqual(secrets.map((f) => f.resourceIds.slice(1)), [
    ['secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:prod/db-AbCdEf'],
    ['kms:Decrypt', 'arn:aws:kms:ap-northeast-2:123456789012:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b'],
  ]);
  // Granted only from one organisation: the suite cannot know the caller's, so it is conditional.
  execRole(inv).inlinePolicies.push({
    name: 'secrets',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'kms:Decrypt'], Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }] },
  });
  const conditional = await role.executionRoleAllowsSecrets(inv, nestjs(inv));
  assert.ok(conditional.length > 0);
  for (const f of conditional) assert.match(f.problem, /only conditionally/);
});

test('IAM-03 asks for logs:CreateLogGroup only when awslogs-create-group is set', async () => {
  const inv = await account('healthy');
  const definition = inv.taskDefinitions.get(nestjs(inv).taskDefinitionArn)!;
  delete definition.containers[0].logOptions['awslogs-create-group'];
  assert.deepEqual(await role.executionRoleAllowsLogs(inv, nestjs(inv)), []);
  definition.containers[0].logOptions['awslogs-create-group'] = 'true';
  const [finding] = await role.executionRoleAllowsLogs(inv, nestjs(inv));
  assert.deepEqual(finding.resourceIds, [EXEC, 'logs:CreateLogGroup', 'arn:aws:logs:ap-northeast-2:123456789012:log-group:/ecs/role-nestjs-second']);
  assert.match(finding.fix.cli, /put-role-policy --role-name ecsTaskExecutionRole --policy-name ecs-preflight-iam-03/);
});
