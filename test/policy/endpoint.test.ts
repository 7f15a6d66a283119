// EP-06: the S3 gateway endpoint's policy and the ECR layer bucket (and env-file buckets).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointPolicyAllows, layerBucketArn } from '../../support/policy/endpoint';
import { ACCOUNT, REGION, policy, roleArn, s3GatewayEndpoint } from './builders';

const LAYERS = layerBucketArn(REGION);
const EXEC_ROLE = roleArn('app-task-execution');
const ENV_FILE = 'arn:aws:s3:::app-env-files/prod/app.env';
const VPCE = 'vpce-0a1b2c3d4e5f60718';

/** Layers are fetched with ECR's pre-signed URLs: no principal of ours. */
const layerPull = { action: 's3:GetObject', resource: LAYERS, accountId: ACCOUNT };
const envFile = { principal: EXEC_ROLE, action: 's3:GetObject', resource: ENV_FILE, accountId: ACCOUNT };

/** The "Minimum Amazon S3 bucket permissions for Amazon ECR" statement, plus the app's own bucket. */
const ecrDocsPolicy = policy(
  { Sid: 'Access-to-specific-bucket-only', Principal: '*', Action: ['s3:GetObject'], Effect: 'Allow', Resource: [`arn:aws:s3:::prod-${REGION}-starport-layer-bucket/*`] },
  { Sid: 'EnvFiles', Principal: '*', Action: ['s3:GetObject', 's3:GetBucketLocation'], Effect: 'Allow', Resource: ['arn:aws:s3:::app-env-files', 'arn:aws:s3:::app-env-files/*'] },
);

test('the layer bucket ARN of a region', () => {
  assert.equal(layerBucketArn('ap-northeast-2'), 'arn:aws:s3:::prod-ap-northeast-2-starport-layer-bucket/*');
  assert.equal(layerBucketArn('us-east-1'), 'arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*');
  assert.equal(layerBucketArn('cn-north-1'), 'arn:aws-cn:s3:::prod-cn-north-1-starport-layer-bucket/*');
});

test('allowed: no policy document means full access', async () => {
  const v = await endpointPolicyAllows(s3GatewayEndpoint(VPCE), layerPull);
  assert.equal(v.decision, 'allowed');
  assert.equal(v.reason, 'no-endpoint-policy');
  assert.equal(v.endpoint, VPCE);
});

test('allowed: the default full-access policy, as EC2 returns it (Version 2008-10-17)', async () => {
  const endpoint = s3GatewayEndpoint(VPCE, '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}');
  assert.equal((await endpointPolicyAllows(endpoint, layerPull)).decision, 'allowed');
  assert.equal((await endpointPolicyAllows(endpoint, envFile)).decision, 'allowed');
});

test('denied (the failing case): a policy restricted to the app bucket blocks the layer bucket', async () => {
  const endpoint = s3GatewayEndpoint(
    VPCE,
    policy({ Sid: 'OnlyAppBuckets', Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::app-env-files', 'arn:aws:s3:::app-env-files/*'] }),
  );
  const layers = await endpointPolicyAllows(endpoint, layerPull);
  assert.equal(layers.decision, 'denied');
  assert.equal(layers.reason, 'implicit-deny');
  assert.deepEqual(layers.noAllowIn, ['endpoint-policy']);
  assert.match(layers.summary, /s3:GetObject on arn:aws:s3:::prod-ap-northeast-2-starport-layer-bucket\/\* .* not allowed: no statement in the endpoint policy allows it/);
  assert.equal((await endpointPolicyAllows(endpoint, envFile)).decision, 'allowed');
});

test('allowed: the ECR docs policy allows the layer bucket and the env-file bucket', async () => {
  const endpoint = s3GatewayEndpoint(VPCE, ecrDocsPolicy);
  const layers = await endpointPolicyAllows(endpoint, layerPull);
  assert.equal(layers.decision, 'allowed');
  assert.deepEqual(layers.statements, [{ kind: 'endpoint-policy', policy: VPCE, effect: 'Allow', sid: 'Access-to-specific-bucket-only', index: 1 }]);
  assert.equal((await endpointPolicyAllows(endpoint, envFile)).decision, 'allowed');
  assert.equal((await endpointPolicyAllows(endpoint, { ...envFile, resource: 'arn:aws:s3:::app-env-files' , action: 's3:GetBucketLocation' })).decision, 'allowed');
  // A layer bucket of another region is not covered.
  assert.equal((await endpointPolicyAllows(endpoint, { ...layerPull, resource: layerBucketArn('us-east-1') })).decision, 'denied');
});

test('denied: an explicit Deny on the layer bucket', async () => {
  const endpoint = s3GatewayEndpoint(
    VPCE,
    policy(
      { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
      { Sid: 'NoStarport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::prod-*-starport-layer-bucket/*' },
    ),
  );
  const v = await endpointPolicyAllows(endpoint, layerPull);
  assert.equal(v.reason, 'explicit-deny');
  assert.deepEqual(v.statements, [{ kind: 'endpoint-policy', policy: VPCE, effect: 'Deny', sid: 'NoStarport', index: 2 }]);
});

test('conditional: a principal condition cannot be decided for the layer pull, and is for the role', async () => {
  // Gateway endpoints take Principal "*" and restrict principals with aws:PrincipalArn (AWS docs).
  const endpoint = s3GatewayEndpoint(
    VPCE,
    policy({ Sid: 'OnlyOurRoles', Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/app-*` } } }),
  );
  const layers = await endpointPolicyAllows(endpoint, layerPull);
  assert.equal(layers.decision, 'conditional');
  assert.equal(layers.reason, 'conditional-allow');
  assert.equal(layers.statements[0].sid, 'OnlyOurRoles');
  assert.equal(layers.requires, `aws:PrincipalArn ArnLike arn:aws:iam::${ACCOUNT}:role/app-*`);
  assert.equal((await endpointPolicyAllows(endpoint, envFile)).decision, 'allowed');
  assert.equal((await endpointPolicyAllows(endpoint, { ...envFile, principal: roleArn('batch-exec') })).decision, 'denied');
});

test('conditional: an aws:PrincipalOrgID condition; aws:SourceVpce of this endpoint is known', async () => {
  const orgOnly = s3GatewayEndpoint(
    VPCE,
    policy({ Sid: 'OrgOnly', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }),
  );
  const v = await endpointPolicyAllows(orgOnly, envFile);
  assert.equal(v.decision, 'conditional');
  assert.deepEqual(v.statements[0].conditions, [{ operator: 'StringEquals', key: 'aws:PrincipalOrgID', values: ['o-a1b2c3d4e5'] }]);
  const thisEndpoint = s3GatewayEndpoint(
    VPCE,
    policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': VPCE } } }),
  );
  assert.equal((await endpointPolicyAllows(thisEndpoint, layerPull)).decision, 'allowed');
});

test('principals: a statement for the role allows the role only; one naming the account grants the role nothing', async () => {
  const forRole = s3GatewayEndpoint(VPCE, policy({ Effect: 'Allow', Principal: { AWS: EXEC_ROLE }, Action: 's3:GetObject', Resource: '*' }));
  assert.equal((await endpointPolicyAllows(forRole, envFile)).decision, 'allowed');
  assert.equal((await endpointPolicyAllows(forRole, { ...envFile, principal: roleArn('other') })).decision, 'denied');
  assert.equal((await endpointPolicyAllows(forRole, layerPull)).decision, 'denied');
  // "AWS": "<account id>" in an endpoint policy means the account root user only (AWS docs).
  const forAccount = s3GatewayEndpoint(VPCE, policy({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 's3:GetObject', Resource: '*' }));
  assert.equal((await endpointPolicyAllows(forAccount, envFile)).decision, 'denied');
});

test('a URL-encoded document is read; a broken one is conditional, not allowed', async () => {
  const encoded = s3GatewayEndpoint(VPCE, encodeURIComponent(JSON.stringify(ecrDocsPolicy)));
  assert.equal((await endpointPolicyAllows(encoded, layerPull)).decision, 'allowed');
  const broken = s3GatewayEndpoint(VPCE, '{"Statement": [');
  const v = await endpointPolicyAllows(broken, layerPull);
  assert.equal(v.decision, 'conditional');
  assert.equal(v.reason, 'unevaluable');
});
