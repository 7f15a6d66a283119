// The adapter over the policy simulator: allowed, denied and conditional verdicts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, type EvaluationRequest, type NamedPolicy } from '../../support/policy/evaluate';
import type { PolicyDocument } from '../../support/inventory/model';
import { ECR_ACTIONS, ECS_TASK_EXECUTION_POLICY, EXEC_POLICY_ARN, LOGS_ACTIONS, REGION, ACCOUNT, policy, repoArn, roleArn } from './builders';

const EXEC_ROLE = roleArn('app-task-execution');
const LOG_STREAM = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/app:log-stream:ecs/app/0123456789abcdef`;
const OBJECT = 'arn:aws:s3:::app-env-files/prod/app.env';

function run(identity: Record<string, PolicyDocument>, action: string, resource: string, extra: Partial<EvaluationRequest> = {}) {
  const identityPolicies: NamedPolicy[] = Object.entries(identity).map(([name, document]) => ({ name, document }));
  return evaluate({ principal: EXEC_ROLE, action, resource, identityPolicies, ...extra });
}

const resourceFor = (action: string) => (action.startsWith('logs:') ? LOG_STREAM : action === 'ecr:GetAuthorizationToken' ? '*' : repoArn('app'));

test('allowed: AmazonECSTaskExecutionRolePolicy allows the four ECR actions and the two logs actions', async () => {
  for (const action of [...ECR_ACTIONS, ...LOGS_ACTIONS]) {
    const v = await run({ [EXEC_POLICY_ARN]: ECS_TASK_EXECUTION_POLICY }, action, resourceFor(action));
    assert.equal(v.decision, 'allowed', `${action}: ${v.summary}`);
    assert.equal(v.reason, 'allowed');
    assert.deepEqual(v.statements, [{ kind: 'identity', policy: EXEC_POLICY_ARN, effect: 'Allow', index: 1 }]);
  }
});

test('denied: AmazonECSTaskExecutionRolePolicy does not allow s3:GetObject or secretsmanager:GetSecretValue', async () => {
  const v = await run({ [EXEC_POLICY_ARN]: ECS_TASK_EXECUTION_POLICY }, 's3:GetObject', OBJECT);
  assert.equal(v.decision, 'denied');
  assert.equal(v.reason, 'implicit-deny');
  assert.deepEqual(v.noAllowIn, ['identity']);
  assert.deepEqual(v.statements, []);
  const secret = await run({ [EXEC_POLICY_ARN]: ECS_TASK_EXECUTION_POLICY }, 'secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:db-AbCdEf`);
  assert.equal(secret.decision, 'denied');
});

test('denied: an explicit Deny beats an Allow, and names the statement', async () => {
  const v = await run(
    {
      [EXEC_POLICY_ARN]: ECS_TASK_EXECUTION_POLICY,
      'inline:no-pull': policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Sid: 'NoProdPulls', Effect: 'Deny', Action: 'ecr:BatchGetImage', Resource: repoArn('*') }),
    },
    'ecr:BatchGetImage',
    repoArn('app'),
  );
  assert.equal(v.decision, 'denied');
  assert.equal(v.reason, 'explicit-deny');
  assert.deepEqual(v.statements, [{ kind: 'identity', policy: 'inline:no-pull', effect: 'Deny', sid: 'NoProdPulls', index: 2 }]);
  assert.match(v.summary, /explicitly denied by Deny statement NoProdPulls \(#2\) of policy inline:no-pull/);
});

test('wildcards: ecr:*, s3:Get* and Resource "*" allow; s3:Get* does not allow s3:PutObject', async () => {
  const identity = { 'inline:wild': policy({ Effect: 'Allow', Action: ['ecr:*', 's3:Get*'], Resource: '*' }) };
  for (const action of ECR_ACTIONS) assert.equal((await run(identity, action, resourceFor(action))).decision, 'allowed', action);
  assert.equal((await run(identity, 's3:GetObject', OBJECT)).decision, 'allowed');
  assert.equal((await run(identity, 's3:GetBucketLocation', 'arn:aws:s3:::app-env-files')).decision, 'allowed');
  assert.equal((await run(identity, 's3:PutObject', OBJECT)).decision, 'denied');
});

test('wildcards in Resource: a bucket pattern allows objects in it, not in another bucket', async () => {
  const identity = { 'inline:env': policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::app-env-*/*' }) };
  assert.equal((await run(identity, 's3:GetObject', OBJECT)).decision, 'allowed');
  assert.equal((await run(identity, 's3:GetObject', 'arn:aws:s3:::other-bucket/app.env')).decision, 'denied');
});

test('a resource pattern asks for any name in it: a narrower Allow is not enough', async () => {
  const wide = await run({ p: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::app-env-files/*' }) }, 's3:GetObject', 'arn:aws:s3:::app-env-files/*');
  assert.equal(wide.decision, 'allowed');
  assert.match(wide.notes?.join('\n') ?? '', /arbitrary name/);
  const narrow = await run({ p: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::app-env-files/prod/*' }) }, 's3:GetObject', 'arn:aws:s3:::app-env-files/*');
  assert.equal(narrow.decision, 'denied');
  const logs = await run({ [EXEC_POLICY_ARN]: ECS_TASK_EXECUTION_POLICY }, 'logs:PutLogEvents', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/app:log-stream:*`);
  assert.equal(logs.decision, 'allowed');
});

test('NotAction: an Allow on everything but IAM allows ECR; one on everything but ECR does not; a Deny with NotAction denies', async () => {
  assert.equal((await run({ p: policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) }, 'ecr:BatchGetImage', repoArn('app'))).decision, 'allowed');
  assert.equal((await run({ p: policy({ Effect: 'Allow', NotAction: ['ecr:*'], Resource: '*' }) }, 'ecr:BatchGetImage', repoArn('app'))).decision, 'denied');
  const v = await run(
    { p: policy({ Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'OnlyPullAndLogs', Effect: 'Deny', NotAction: ['ecr:*', 'logs:*'], Resource: '*' }) },
    's3:GetObject',
    OBJECT,
  );
  assert.equal(v.reason, 'explicit-deny');
  assert.equal(v.statements[0].sid, 'OnlyPullAndLogs');
});

test('NotResource: an Allow on everything but one bucket', async () => {
  const identity = { p: policy({ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret-bucket/*' }) };
  assert.equal((await run(identity, 's3:GetObject', OBJECT)).decision, 'allowed');
  assert.equal((await run(identity, 's3:GetObject', 'arn:aws:s3:::secret-bucket/key')).decision, 'denied');
});

test('permissions boundary: it must allow too', async () => {
  const identity = { [EXEC_POLICY_ARN]: ECS_TASK_EXECUTION_POLICY };
  const logsOnly: NamedPolicy = { name: 'arn:aws:iam::111122223333:policy/logs-only-boundary', document: policy({ Effect: 'Allow', Action: 'logs:*', Resource: '*' }) };
  const denied = await run(identity, 'ecr:BatchGetImage', repoArn('app'), { permissionsBoundary: logsOnly });
  assert.equal(denied.decision, 'denied');
  assert.equal(denied.reason, 'not-in-boundary');
  assert.deepEqual(denied.noAllowIn, ['permissions-boundary']);
  const allowed = await run(identity, 'logs:PutLogEvents', LOG_STREAM, { permissionsBoundary: logsOnly });
  assert.equal(allowed.decision, 'allowed');
  // The boundary grants nothing by itself.
  const notByBoundary = await run({}, 'logs:PutLogEvents', LOG_STREAM, { permissionsBoundary: logsOnly });
  assert.equal(notByBoundary.reason, 'implicit-deny');
});

test('conditional: allowed only through a statement with an aws:SourceVpce condition', async () => {
  const v = await run(
    { 'inline:env-files': policy({ Sid: 'OnlyThroughEndpoint', Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } } }) },
    's3:GetObject',
    OBJECT,
  );
  assert.equal(v.decision, 'conditional');
  assert.equal(v.reason, 'conditional-allow');
  assert.equal(v.requires, 'aws:SourceVpce StringEquals vpce-0123456789abcdef0');
  assert.deepEqual(v.statements, [
    {
      kind: 'identity',
      policy: 'inline:env-files',
      effect: 'Allow',
      sid: 'OnlyThroughEndpoint',
      index: 1,
      conditions: [{ operator: 'StringEquals', key: 'aws:SourceVpce', values: ['vpce-0123456789abcdef0'] }],
    },
  ]);
});

test('conditional: allowed, unless a Deny with an aws:PrincipalOrgID condition applies', async () => {
  const v = await run(
    {
      [EXEC_POLICY_ARN]: ECS_TASK_EXECUTION_POLICY,
      'inline:org-guard': policy({ Sid: 'DenyOutsideOrg', Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }),
    },
    'ecr:BatchGetImage',
    repoArn('app'),
  );
  assert.equal(v.decision, 'conditional');
  assert.equal(v.reason, 'conditional-deny');
  assert.equal(v.statements.length, 1);
  assert.deepEqual(v.statements[0], {
    kind: 'identity',
    policy: 'inline:org-guard',
    effect: 'Deny',
    sid: 'DenyOutsideOrg',
    index: 1,
    conditions: [{ operator: 'StringNotEquals', key: 'aws:PrincipalOrgID', values: ['o-a1b2c3d4e5'] }],
  });
  assert.equal(v.requires, 'aws:PrincipalOrgID StringEquals o-a1b2c3d4e5');
});

test('conditions that do not decide are not reported: an unconditional Allow next to a conditional one is allowed', async () => {
  const v = await run(
    {
      [EXEC_POLICY_ARN]: ECS_TASK_EXECUTION_POLICY,
      'inline:extra': policy({ Effect: 'Allow', Action: 'ecr:*', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } }),
    },
    'ecr:BatchGetImage',
    repoArn('app'),
  );
  assert.equal(v.decision, 'allowed');
  assert.deepEqual(
    v.statements.map((s) => s.policy),
    [EXEC_POLICY_ARN, 'inline:extra'],
  );
});

test('an unconditional Deny beats a conditional Allow; a conditional Deny without any Allow is still denied', async () => {
  const denied = await run(
    { p: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } }, { Effect: 'Deny', Action: 's3:*', Resource: '*' }) },
    's3:GetObject',
    OBJECT,
  );
  assert.equal(denied.reason, 'explicit-deny');
  const implicit = await run({ p: policy({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-1' } } }) }, 's3:GetObject', OBJECT);
  assert.equal(implicit.reason, 'implicit-deny');
});

test('several conditional statements: each is named, the requirement combines them', async () => {
  const v = await run(
    {
      p: policy(
        { Sid: 'ViaEndpoint', Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } },
        { Sid: 'InOrg', Effect: 'Allow', Action: 's3:Get*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } },
        { Sid: 'TlsOnly', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ),
    },
    's3:GetObject',
    OBJECT,
  );
  assert.equal(v.decision, 'conditional');
  assert.equal(v.reason, 'conditional-allow');
  assert.deepEqual(
    v.statements.map((s) => `${s.effect} ${s.sid}`),
    ['Allow ViaEndpoint', 'Allow InOrg', 'Deny TlsOnly'],
  );
  assert.equal(v.requires, '(aws:SourceVpce StringEquals vpce-1 OR aws:PrincipalOrgID StringEquals o-1) AND aws:SecureTransport Bool true');
});

test('known context decides conditions: the principal ARN is known, passed keys are authoritative', async () => {
  const onlyExec = { p: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': EXEC_ROLE } } }) };
  assert.equal((await run(onlyExec, 's3:GetObject', OBJECT)).decision, 'allowed');
  const onlyOther = { p: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': roleArn('other') } } }) };
  assert.equal((await run(onlyOther, 's3:GetObject', OBJECT)).decision, 'denied');
  const viaEndpoint = { p: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } }) };
  assert.equal((await run(viaEndpoint, 's3:GetObject', OBJECT, { context: { 'aws:SourceVpce': 'vpce-1' } })).decision, 'allowed');
  assert.equal((await run(viaEndpoint, 's3:GetObject', OBJECT, { context: { 'aws:SourceVpce': 'vpce-2' } })).decision, 'denied');
  assert.equal((await run(viaEndpoint, 's3:GetObject', OBJECT)).decision, 'conditional');
});

test('documents: a single-statement object, string Action/Resource, no Version, a URL-encoded string', async () => {
  const single: PolicyDocument = { Statement: { Effect: 'Allow', Action: 'ecr:BatchGetImage', Resource: repoArn('app') } };
  const v = await run({ single }, 'ecr:BatchGetImage', repoArn('app'));
  assert.equal(v.decision, 'allowed');
  assert.equal(v.statements[0].index, 1);
  assert.equal((await run({ single }, 'ecr:BatchGetImage', repoArn('other'))).decision, 'denied');
  const encoded = encodeURIComponent(JSON.stringify(ECS_TASK_EXECUTION_POLICY));
  const fromString = await evaluate({ principal: EXEC_ROLE, action: 'ecr:GetDownloadUrlForLayer', resource: repoArn('app'), identityPolicies: [{ name: 'encoded', document: encoded }] });
  assert.equal(fromString.decision, 'allowed');
});

test('two policies with the same name are told apart', async () => {
  const v = await evaluate({
    principal: EXEC_ROLE,
    action: 's3:GetObject',
    resource: OBJECT,
    identityPolicies: [
      { name: 'same', document: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) },
      { name: 'same', document: policy({ Sid: 'Second', Effect: 'Deny', Action: 's3:GetObject', Resource: '*' }) },
    ],
  });
  assert.deepEqual(v.statements, [{ kind: 'identity', policy: 'same', effect: 'Deny', sid: 'Second', index: 1 }]);
});

test('wildcard-only actions are evaluated on "*"; "*" for an action on a resource is unevaluable', async () => {
  const token = await run({ [EXEC_POLICY_ARN]: ECS_TASK_EXECUTION_POLICY }, 'ecr:GetAuthorizationToken', repoArn('app'));
  assert.equal(token.decision, 'allowed');
  assert.match(token.notes?.[0] ?? '', /takes no resource/);
  const star = await run({ p: policy({ Effect: 'Allow', Action: 'ecr:*', Resource: repoArn('other') }) }, 'ecr:BatchGetImage', '*');
  assert.equal(star.decision, 'conditional');
  assert.equal(star.reason, 'unevaluable');
});

test('unevaluable input is conditional, never allowed: invalid policy, unknown action, broken JSON', async () => {
  const invalid = await run({ 'inline:typo': policy({ Effect: 'Alow', Action: 's3:GetObject', Resource: '*' }) }, 's3:GetObject', OBJECT);
  assert.equal(invalid.decision, 'conditional');
  assert.equal(invalid.reason, 'unevaluable');
  assert.match(invalid.errors?.join('\n') ?? '', /inline:typo.*Effect/);
  const unknown = await run({ [EXEC_POLICY_ARN]: ECS_TASK_EXECUTION_POLICY }, 'ecr:NoSuchAction', repoArn('app'));
  assert.equal(unknown.reason, 'unevaluable');
  const broken = await evaluate({ principal: EXEC_ROLE, action: 's3:GetObject', resource: OBJECT, identityPolicies: [{ name: 'broken', document: '{"Statement": [' }] });
  assert.equal(broken.reason, 'unevaluable');
});

test('a Resource policy variable that cannot be resolved offline is conditional, for an Allow and for a Deny', async () => {
  const allow = await run({ p: policy({ Sid: 'TeamPrefix', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::app-env-files/${aws:PrincipalTag/team}/*' }) }, 's3:GetObject', OBJECT);
  assert.equal(allow.decision, 'conditional');
  assert.equal(allow.reason, 'unresolved-policy-variable');
  assert.equal(allow.statements[0].sid, 'TeamPrefix');
  const deny = await run(
    { p: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, { Sid: 'NotOthers', Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::app-env-files/${aws:PrincipalTag/other}/*' }) },
    's3:GetObject',
    OBJECT,
  );
  assert.equal(deny.reason, 'unresolved-policy-variable');
  assert.equal(deny.statements[0].sid, 'NotOthers');
});

test('a resource policy: a bucket policy Deny applies to the role; its Allow grants in the same account', async () => {
  const bucketPolicy = policy(
    { Sid: 'ReadEnv', Effect: 'Allow', Principal: { AWS: EXEC_ROLE }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::app-env-files/*' },
    { Sid: 'DenyOthers', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::app-env-files/secret/*' },
  );
  const allowed = await run({}, 's3:GetObject', OBJECT, { resourcePolicy: { name: 'app-env-files', document: bucketPolicy } });
  assert.equal(allowed.decision, 'allowed');
  assert.deepEqual(allowed.statements, [{ kind: 'resource-policy', policy: 'app-env-files', effect: 'Allow', sid: 'ReadEnv', index: 1 }]);
  const denied = await run({ [EXEC_POLICY_ARN]: ECS_TASK_EXECUTION_POLICY }, 's3:GetObject', 'arn:aws:s3:::app-env-files/secret/x', {
    resourcePolicy: { name: 'app-env-files', document: bucketPolicy },
  });
  assert.equal(denied.reason, 'explicit-deny');
  assert.equal(denied.statements[0].kind, 'resource-policy');
});
