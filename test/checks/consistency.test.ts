// INV-01 and which workloads the other checks leave out: inconsistent configurations, workloads
// without awsvpc, and workloads without the need a check is about.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configurationConsistent, inconsistenciesOf } from '../../support/checks/consistency';
import { applicableWorkloads } from '../../support/checks/applicability';
import { CHECKS } from '../../support/checks';
import { selectWorkloads } from '../../support/workloads';
import { account, service } from '../helpers/accounts';

test('INV-01 passes on consistent workloads, including an EC2 bridge service without subnets', async () => {
  for (const name of ['healthy', 'ref-bridge', 'ref-isolated']) {
    const inv = await account(name);
    for (const w of selectWorkloads(inv, { kind: 'all workloads' })) assert.deepEqual(configurationConsistent(inv, w), [], `${name} ${w.id}`);
  }
});

test('INV-01 names subnets in two VPCs, a missing security group and a subnet whose VPC is gone, once each', async () => {
  const inv = await account('inconsistent');
  const findings = selectWorkloads(inv, { kind: 'all workloads' }).flatMap((w) => configurationConsistent(inv, w));
  assert.deepEqual(findings.map((f) => [f.workload, f.kind]), [
    ['orders/orders-worker', 'start'],
    ['orders/orders-reports', 'start'],
    ['staging/staging-sync', 'start'],
  ]);
  assert.match(findings[0].problem, /its subnets lie in 2 VPCs: vpc-0fcdcd09e5580b999 \(subnet-069eef7e7423142bf\); vpc-05760aa05bbdafe09 \(subnet-0dc3924175a93221b\)/);
  // The fix keeps the subnets of one VPC only.
  assert.match(findings[0].fix.cli, /subnets=\[subnet-069eef7e7423142bf\]/);
  assert.doesNotMatch(findings[0].fix.cli, /subnet-0dc3924175a93221b/);
  assert.match(findings[1].problem, /security group sg-0bd43eac4f5fabbca does not exist/);
  assert.match(findings[2].problem, /subnet subnet-0e2690b0a4898449c names vpc-0d4b2e02df6c108bb, which does not exist/);
});

test('INV-01 names a missing task definition and subnets the account does not have', async () => {
  const inv = await account('healthy');
  const workload = service(inv, 'batch', 'report-worker');
  assert.deepEqual(inconsistenciesOf(inv, { ...workload, taskDefinitionArn: 'arn:aws:ecs:ap-northeast-2:123456789012:task-definition/gone:1' }), [
    'task definition arn:aws:ecs:ap-northeast-2:123456789012:task-definition/gone:1 does not exist in 123456789012/ap-northeast-2',
  ]);
  assert.deepEqual(inconsistenciesOf(inv, { ...workload, missingSubnetIds: ['subnet-0123456789abcdef0'] }), ['subnets subnet-0123456789abcdef0 do not exist']);
});

test('checks leave out inconsistent workloads, bridge-mode workloads (network checks only) and workloads without their need, saying why once', async () => {
  const bridge = await account('ref-bridge');
  const all = selectWorkloads(bridge, { kind: 'all workloads' });
  const network = applicableWorkloads(bridge, all, CHECKS.get('SG-01')!);
  assert.deepEqual(network.applicable.map((w) => w.id), ['shop/storefront']);
  assert.deepEqual(network.notes, ["SG-01 does not apply to shop/legacy-renderer (bridge mode): without awsvpc their tasks use their container instance's network, not task subnets"]);
  // IAM and task-definition checks still apply to it.
  assert.deepEqual(applicableWorkloads(bridge, all, CHECKS.get('IAM-02')!).applicable.map((w) => w.id), ['shop/storefront', 'shop/legacy-renderer']);
  assert.deepEqual(applicableWorkloads(bridge, all, CHECKS.get('TD-01')!).applicable.length, 2);

  const hub = await account('ref-nat-dockerhub');
  const ecr = applicableWorkloads(hub, selectWorkloads(hub, { kind: 'all workloads' }), CHECKS.get('EP-01')!);
  assert.deepEqual(ecr.applicable, []);
  assert.deepEqual(ecr.notes, ['EP-01 does not apply to web/nginx: their task definitions need none of ecr.api in us-east-1']);

  const odd = await account('inconsistent');
  const skipped = applicableWorkloads(odd, selectWorkloads(odd, { kind: 'all workloads' }), CHECKS.get('NET-02')!);
  assert.deepEqual(skipped.applicable.map((w) => w.id), ['orders/orders-api']);
  assert.match(skipped.notes[0], /NET-02 does not evaluate orders\/orders-worker, orders\/orders-reports, staging\/staging-sync: INV-01 names/);
});
