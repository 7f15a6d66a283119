// The simulator is loaded by the first evaluation, not by importing support/policy/*.
// (node --test runs each file in its own process, so this file sees a fresh module cache.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, simulatorLoaded } from '../../support/policy/evaluate';
import { endpointPolicyAllows } from '../../support/policy/endpoint';
import { roleAllows } from '../../support/policy/role';
import { ECS_TASK_EXECUTION_POLICY, REGION, ACCOUNT, roleArn, s3GatewayEndpoint } from './builders';

const loaded = () => Object.keys(require.cache).some((path) => path.includes('@cloud-copilot'));

test('importing the policy modules does not load the simulator; the first evaluation does', async () => {
  assert.equal(typeof roleAllows, 'function');
  assert.equal(simulatorLoaded(), false);
  assert.equal(loaded(), false);
  // An endpoint without a policy is decided without it.
  assert.equal((await endpointPolicyAllows(s3GatewayEndpoint('vpce-1'), { action: 's3:GetObject', resource: 'arn:aws:s3:::b/*', accountId: ACCOUNT })).decision, 'allowed');
  assert.equal(loaded(), false);
  const v = await evaluate({
    principal: roleArn('exec'),
    action: 'logs:PutLogEvents',
    resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/app:log-stream:*`,
    identityPolicies: [{ name: 'exec', document: ECS_TASK_EXECUTION_POLICY }],
  });
  assert.equal(v.decision, 'allowed');
  assert.equal(simulatorLoaded(), true);
  assert.equal(loaded(), true);
});

test('denied and conditional verdicts come from the same loaded simulator', async () => {
  const base = { principal: roleArn('exec'), action: 's3:GetObject', resource: 'arn:aws:s3:::app-env-files/app.env' };
  const denied = await evaluate({ ...base, identityPolicies: [{ name: 'exec', document: ECS_TASK_EXECUTION_POLICY }] });
  assert.equal(denied.decision, 'denied');
  const conditional = await evaluate({
    ...base,
    identityPolicies: [{ name: 'vpce', document: { Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } } } }],
  });
  assert.equal(conditional.decision, 'conditional');
});
