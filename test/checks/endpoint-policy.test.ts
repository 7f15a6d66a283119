// EP-06 on the bundled accounts and with endpoint policies that leave out what tasks read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { s3EndpointPolicyAllowsReads } from '../../support/checks/endpoint-policy';
import type { Inventory } from '../../support/inventory/model';
import { account, ids, service } from '../helpers/accounts';

const LAYERS = 'arn:aws:s3:::prod-ap-northeast-2-starport-layer-bucket/*';

function setPolicy(inv: Inventory, statements: object[]) {
  inv.endpoints.find((e) => e.id === ids.s3Gateway)!.policyDocument = JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

test('EP-06 passes with the default full-access policy', async () => {
  const inv = await account('healthy');
  assert.deepEqual(await s3EndpointPolicyAllowsReads(inv, service(inv, ...ids.nestjs)), []);
});

test('EP-06 fails when the policy allows only the application bucket, naming endpoint and layer bucket', async () => {
  const inv = await account('healthy');
  setPolicy(inv, [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::nestjs-uploads', 'arn:aws:s3:::nestjs-uploads/*'] }]);
  const findings = await s3EndpointPolicyAllowsReads(inv, service(inv, ...ids.nestjs));
  assert.equal(findings.length, 1);
  assert.deepEqual(findings[0].resourceIds, [ids.s3Gateway, LAYERS]);
  assert.match(findings[0].problem, /^the policy of S3 gateway endpoint vpce-05353a7b9c1d3e5f7 does not allow s3:GetObject on arn:aws:s3:::prod-ap-northeast-2-starport-layer-bucket\/\* for any principal/);
  // The fix keeps the existing statement and adds the layer bucket.
  const policy = JSON.parse(findings[0].fix.cli.match(/--policy-document '(.*)' --region/)![1]);
  assert.equal(policy.Statement.length, 2);
  assert.deepEqual(policy.Statement[1], { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: LAYERS });
});

test('EP-06 reports a policy that allows the layers only under an undecidable condition as conditional', async () => {
  const inv = await account('healthy');
  setPolicy(inv, [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }]);
  const findings = await s3EndpointPolicyAllowsReads(inv, service(inv, ...ids.nestjs));
  assert.equal(findings.length, 1);
  assert.match(findings[0].problem, /^only conditionally: /);
});
