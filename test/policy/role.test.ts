// IAM-01..IAM-05 over inventories: roleAllows and roleTrusts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toIamRole, toManagedPolicy } from '../../support/inventory/iam';
import { roleAllows, roleTrusts } from '../../support/policy/role';
import { logStreamArn } from '../../support/util/arn';
import {
  ACCOUNT,
  ECR_ACTIONS,
  ECS_TASK_EXECUTION_POLICY,
  EXEC_POLICY_ARN,
  LOGS_ACTIONS,
  REGION,
  customerPolicyArn,
  inventory,
  keyArn,
  managed,
  parameterArn,
  policy,
  repoArn,
  role,
  roleArn,
  secretArn,
  trustPolicy,
  withExecPolicy,
} from './builders';

const LOGS = logStreamArn(REGION, ACCOUNT, '/ecs/app');
const ENV_FILE = 'arn:aws:s3:::app-env-files/prod/app.env';
const resourceFor = (action: string) => (action.startsWith('logs:') ? LOGS : action === 'ecr:GetAuthorizationToken' ? '*' : repoArn('app'));

test('IAM-02/03 allowed: a role with AmazonECSTaskExecutionRolePolicy attached', async () => {
  const inv = withExecPolicy(role('exec', { attached: [EXEC_POLICY_ARN] }));
  for (const action of [...ECR_ACTIONS, ...LOGS_ACTIONS]) {
    const v = await roleAllows(inv, roleArn('exec'), action, resourceFor(action));
    assert.equal(v.decision, 'allowed', v.summary);
    assert.equal(v.role, roleArn('exec'));
    assert.equal(v.statements[0].policy, EXEC_POLICY_ARN);
  }
});

test('IAM-02 denied: a role with only a logs policy lacks the ECR actions', async () => {
  const inv = withExecPolicy(role('logs-only', { inline: { logs: policy({ Effect: 'Allow', Action: LOGS_ACTIONS, Resource: '*' }) } }));
  for (const action of ECR_ACTIONS) {
    const v = await roleAllows(inv, roleArn('logs-only'), action, resourceFor(action));
    assert.equal(v.decision, 'denied', action);
    assert.equal(v.reason, 'implicit-deny');
  }
  assert.equal((await roleAllows(inv, roleArn('logs-only'), 'logs:CreateLogStream', LOGS)).decision, 'allowed');
});

test('inline-only permissions: env file, secret, parameter', async () => {
  const inv = inventory({
    roles: [
      role('inline-only', {
        inline: {
          'env-files': policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:GetBucketLocation'], Resource: ['arn:aws:s3:::app-env-files', 'arn:aws:s3:::app-env-files/*'] }),
          secrets: policy({ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'ssm:GetParameters'], Resource: [secretArn('db'), parameterArn('app/*')] }),
        },
      }),
    ],
  });
  const arn = roleArn('inline-only');
  assert.equal((await roleAllows(inv, arn, 's3:GetObject', ENV_FILE)).decision, 'allowed');
  assert.equal((await roleAllows(inv, arn, 's3:GetBucketLocation', 'arn:aws:s3:::app-env-files')).decision, 'allowed');
  assert.equal((await roleAllows(inv, arn, 'secretsmanager:GetSecretValue', secretArn('db'))).decision, 'allowed');
  assert.equal((await roleAllows(inv, arn, 'ssm:GetParameters', parameterArn('app/db-url'))).decision, 'allowed');
  const v = await roleAllows(inv, arn, 'secretsmanager:GetSecretValue', secretArn('other'));
  assert.equal(v.decision, 'denied');
  assert.equal(v.statements.length, 0);
});

test('denied: an inline explicit Deny beats the managed Allow', async () => {
  const inv = withExecPolicy(
    role('exec', { attached: [EXEC_POLICY_ARN], inline: { 'no-logs': policy({ Sid: 'NoLogs', Effect: 'Deny', Action: 'logs:*', Resource: '*' }) } }),
  );
  const v = await roleAllows(inv, roleArn('exec'), 'logs:PutLogEvents', LOGS);
  assert.equal(v.reason, 'explicit-deny');
  assert.deepEqual(v.statements, [{ kind: 'identity', policy: 'inline:no-logs', effect: 'Deny', sid: 'NoLogs', index: 1 }]);
});

test('a customer managed policy with wildcards allows; its Deny on one repository denies that one', async () => {
  const pull = customerPolicyArn('pull-images');
  const inv = inventory({
    roles: [role('exec', { attached: [pull] })],
    managedPolicies: [managed(pull, policy({ Effect: 'Allow', Action: 'ecr:*', Resource: '*' }, { Sid: 'NotLegacy', Effect: 'Deny', Action: 'ecr:*', Resource: repoArn('legacy-*') }))],
  });
  assert.equal((await roleAllows(inv, roleArn('exec'), 'ecr:BatchGetImage', repoArn('app'))).decision, 'allowed');
  const v = await roleAllows(inv, roleArn('exec'), 'ecr:BatchGetImage', repoArn('legacy-app'));
  assert.equal(v.reason, 'explicit-deny');
  assert.equal(v.statements[0].policy, pull);
});

test('permissions boundary that does not allow ECR: denied, naming the boundary', async () => {
  const boundary = customerPolicyArn('logs-boundary');
  const inv = inventory({
    roles: [role('bounded', { attached: [EXEC_POLICY_ARN], boundary })],
    managedPolicies: [managed(EXEC_POLICY_ARN, ECS_TASK_EXECUTION_POLICY), managed(boundary, policy({ Effect: 'Allow', Action: 'logs:*', Resource: '*' }))],
  });
  const v = await roleAllows(inv, roleArn('bounded'), 'ecr:BatchGetImage', repoArn('app'));
  assert.equal(v.decision, 'denied');
  assert.equal(v.reason, 'not-in-boundary');
  assert.match(v.summary, /logs-boundary/);
  assert.equal((await roleAllows(inv, roleArn('bounded'), 'logs:PutLogEvents', LOGS)).decision, 'allowed');
});

test('conditional: an aws:PrincipalOrgID condition on the only Allow', async () => {
  const inv = inventory({
    roles: [
      role('org', {
        inline: {
          'org-only': policy({ Sid: 'PullInOrg', Effect: 'Allow', Action: ECR_ACTIONS, Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }),
        },
      }),
    ],
  });
  const v = await roleAllows(inv, roleArn('org'), 'ecr:BatchGetImage', repoArn('app'));
  assert.equal(v.decision, 'conditional');
  assert.equal(v.reason, 'conditional-allow');
  assert.equal(v.statements[0].sid, 'PullInOrg');
  assert.equal(v.statements[0].policy, 'inline:org-only');
  assert.match(v.summary, /aws:PrincipalOrgID StringEquals o-a1b2c3d4e5/);
});

test('a managed policy missing from the inventory is reported: conditional, not ignored', async () => {
  const missing = customerPolicyArn('not-loaded');
  const inv = inventory({ roles: [role('exec', { attached: [missing], inline: { logs: policy({ Effect: 'Allow', Action: LOGS_ACTIONS, Resource: '*' }) } })] });
  const ecr = await roleAllows(inv, roleArn('exec'), 'ecr:BatchGetImage', repoArn('app'));
  assert.equal(ecr.decision, 'conditional');
  assert.equal(ecr.reason, 'missing-policy');
  assert.deepEqual(ecr.missingPolicies, [missing]);
  assert.match(ecr.summary, /not-loaded/);
  // Even what the known policies allow may be denied by the missing one.
  assert.equal((await roleAllows(inv, roleArn('exec'), 'logs:PutLogEvents', LOGS)).decision, 'conditional');
  // A known explicit Deny stands.
  const withDeny = inventory({ roles: [role('exec', { attached: [missing], inline: { deny: policy({ Effect: 'Deny', Action: 'ecr:*', Resource: '*' }) } })] });
  const denied = await roleAllows(withDeny, roleArn('exec'), 'ecr:BatchGetImage', repoArn('app'));
  assert.equal(denied.reason, 'explicit-deny');
  assert.deepEqual(denied.missingPolicies, [missing]);
  // A managed policy held without its document counts as missing too.
  const noDocument = inventory({ roles: [role('exec', { attached: [EXEC_POLICY_ARN] })], managedPolicies: [managed(EXEC_POLICY_ARN, undefined)] });
  assert.deepEqual((await roleAllows(noDocument, roleArn('exec'), 'ecr:BatchGetImage', repoArn('app'))).missingPolicies, [EXEC_POLICY_ARN]);
});

test('a permissions boundary missing from the inventory: conditional when identity allows, denied when it does not', async () => {
  const boundary = 'arn:aws:iam::aws:policy/PowerUserAccess';
  const inv = inventory({ roles: [role('bounded', { attached: [EXEC_POLICY_ARN], boundary })], managedPolicies: [managed(EXEC_POLICY_ARN, ECS_TASK_EXECUTION_POLICY)] });
  const allowedByIdentity = await roleAllows(inv, roleArn('bounded'), 'ecr:BatchGetImage', repoArn('app'));
  assert.equal(allowedByIdentity.decision, 'conditional');
  assert.equal(allowedByIdentity.reason, 'missing-policy');
  assert.deepEqual(allowedByIdentity.missingPolicies, [boundary]);
  const notAllowed = await roleAllows(inv, roleArn('bounded'), 's3:GetObject', ENV_FILE);
  assert.equal(notAllowed.decision, 'denied');
  assert.equal(notAllowed.reason, 'implicit-deny');
});

test('URL-encoded documents from the IAM API, decoded as the inventory stores them', async () => {
  const encode = (d: unknown) => encodeURIComponent(JSON.stringify(d));
  const execRole = toIamRole({
    Arn: roleArn('from-api'),
    RoleName: 'from-api',
    AssumeRolePolicyDocument: encode(trustPolicy('ecs-tasks.amazonaws.com')),
    RolePolicyList: [{ PolicyName: 'env', PolicyDocument: encode({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::app-env-files/*' } }) }],
    AttachedManagedPolicies: [{ PolicyArn: EXEC_POLICY_ARN, PolicyName: 'AmazonECSTaskExecutionRolePolicy' }],
  });
  const execPolicy = toManagedPolicy({
    Arn: EXEC_POLICY_ARN,
    PolicyName: 'AmazonECSTaskExecutionRolePolicy',
    DefaultVersionId: 'v1',
    PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: encode(ECS_TASK_EXECUTION_POLICY) }],
  });
  assert.equal(typeof execRole.inlinePolicies[0].document, 'object');
  const inv = inventory({ roles: [execRole], managedPolicies: [execPolicy] });
  assert.equal((await roleAllows(inv, execRole.arn, 'ecr:GetDownloadUrlForLayer', repoArn('app'))).decision, 'allowed');
  assert.equal((await roleAllows(inv, execRole.arn, 's3:GetObject', ENV_FILE)).decision, 'allowed');
  assert.equal((await roleAllows(inv, execRole.arn, 's3:GetObject', 'arn:aws:s3:::other/app.env')).decision, 'denied');
  assert.equal((await roleTrusts(inv, execRole.arn)).decision, 'allowed');
});

test('a role that is not in the inventory is denied as not found; a role name is looked up', async () => {
  const inv = withExecPolicy(role('exec', { attached: [EXEC_POLICY_ARN] }));
  const v = await roleAllows(inv, roleArn('gone'), 'ecr:BatchGetImage', repoArn('app'));
  assert.equal(v.decision, 'denied');
  assert.equal(v.reason, 'role-not-found');
  assert.equal((await roleAllows(inv, 'exec', 'ecr:BatchGetImage', repoArn('app'))).decision, 'allowed');
  assert.match((await roleAllows(inv, 'arn:aws:iam::999999999999:role/exec', 'ecr:BatchGetImage', repoArn('app'))).summary, /account 999999999999/);
});

test('IAM-05 kms:Decrypt: the default key policy is assumed and said so; an explicit key policy is used', async () => {
  const inv = inventory({ roles: [role('exec', { inline: { kms: policy({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn }) } }), role('nokms')] });
  const v = await roleAllows(inv, roleArn('exec'), 'kms:Decrypt', keyArn);
  assert.equal(v.decision, 'allowed');
  assert.match(v.notes?.join('\n') ?? '', /default key policy/);
  assert.equal((await roleAllows(inv, roleArn('nokms'), 'kms:Decrypt', keyArn)).decision, 'denied');
  const keyPolicyWithoutIam = policy({ Effect: 'Allow', Principal: { AWS: roleArn('admin') }, Action: 'kms:*', Resource: '*' });
  const strict = await roleAllows(inv, roleArn('exec'), 'kms:Decrypt', keyArn, { resourcePolicy: { name: 'key policy', document: keyPolicyWithoutIam } });
  assert.equal(strict.decision, 'denied');
});

test('IAM-01 trust: ecs-tasks.amazonaws.com allowed, ec2.amazonaws.com only denied', async () => {
  const inv = inventory({
    roles: [
      role('ecs', { trust: trustPolicy('ecs-tasks.amazonaws.com') }),
      role('ec2', { trust: trustPolicy('ec2.amazonaws.com') }),
      role('both', { trust: trustPolicy(['ec2.amazonaws.com', 'ecs-tasks.amazonaws.com']) }),
    ],
  });
  const ok = await roleTrusts(inv, roleArn('ecs'));
  assert.equal(ok.decision, 'allowed');
  // The real trust policies carry "Sid": ""; an empty Sid is no Sid.
  assert.deepEqual(ok.statements, [{ kind: 'trust-policy', policy: roleArn('ecs'), effect: 'Allow', index: 1 }]);
  const ec2 = await roleTrusts(inv, roleArn('ec2'));
  assert.equal(ec2.decision, 'denied');
  assert.equal(ec2.reason, 'implicit-deny');
  assert.deepEqual(ec2.noAllowIn, ['trust-policy']);
  assert.equal((await roleTrusts(inv, roleArn('both'))).decision, 'allowed');
  assert.equal((await roleTrusts(inv, roleArn('ec2'), 'ec2.amazonaws.com')).decision, 'allowed');
});

test('IAM-01 trust conditions: aws:SourceAccount of the role is decided, aws:SourceArn is conditional, a missing trust policy is reported', async () => {
  const inv = inventory({
    roles: [
      role('own-account', { trust: trustPolicy('ecs-tasks.amazonaws.com', { StringEquals: { 'aws:SourceAccount': ACCOUNT } }) }),
      role('other-account', { trust: trustPolicy('ecs-tasks.amazonaws.com', { StringEquals: { 'aws:SourceAccount': '999999999999' } }) }),
      role('source-arn', { trust: trustPolicy('ecs-tasks.amazonaws.com', { ArnLike: { 'aws:SourceArn': `arn:aws:ecs:${REGION}:${ACCOUNT}:*` } }) }),
      role('no-trust', { trust: null }),
    ],
  });
  assert.equal((await roleTrusts(inv, roleArn('own-account'))).decision, 'allowed');
  assert.equal((await roleTrusts(inv, roleArn('other-account'))).decision, 'denied');
  const v = await roleTrusts(inv, roleArn('source-arn'));
  assert.equal(v.decision, 'conditional');
  assert.equal(v.statements[0].kind, 'trust-policy');
  assert.deepEqual(v.statements[0].conditions, [{ operator: 'ArnLike', key: 'aws:SourceArn', values: [`arn:aws:ecs:${REGION}:${ACCOUNT}:*`] }]);
  const none = await roleTrusts(inv, roleArn('no-trust'));
  assert.equal(none.decision, 'conditional');
  assert.equal(none.reason, 'missing-policy');
  assert.equal((await roleTrusts(inv, roleArn('gone'))).reason, 'role-not-found');
});

test('IAM-01 with what ECS supplies: the recommended aws:SourceArn pattern is met, another region is not, one cluster only is conditional', async () => {
  const ecs = { region: REGION, account: ACCOUNT, cluster: 'prod', taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/app:7` };
  const recommended = { ArnLike: { 'aws:SourceArn': `arn:aws:ecs:${REGION}:${ACCOUNT}:*` }, StringEquals: { 'aws:SourceAccount': ACCOUNT } };
  const inv = inventory({
    roles: [
      role('recommended', { trust: trustPolicy('ecs-tasks.amazonaws.com', recommended) }),
      role('other-region', { trust: trustPolicy('ecs-tasks.amazonaws.com', { ArnLike: { 'aws:SourceArn': `arn:aws:ecs:us-east-1:${ACCOUNT}:*` } }) }),
      role('one-cluster', { trust: trustPolicy('ecs-tasks.amazonaws.com', { ArnLike: { 'aws:SourceArn': `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/prod` } }) }),
      role('org', { trust: trustPolicy('ecs-tasks.amazonaws.com', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } }) }),
    ],
  });
  assert.equal((await roleTrusts(inv, roleArn('recommended'), undefined, { ecs })).decision, 'allowed');
  assert.equal((await roleTrusts(inv, roleArn('other-region'), undefined, { ecs })).decision, 'denied');
  const cluster = await roleTrusts(inv, roleArn('one-cluster'), undefined, { ecs });
  assert.equal(cluster.decision, 'conditional');
  assert.match(cluster.summary, /depends on which ECS ARN is the aws:SourceArn/);
  // A key ECS does not supply stays conditional: never a pass.
  assert.equal((await roleTrusts(inv, roleArn('org'), undefined, { ecs })).decision, 'conditional');
});
