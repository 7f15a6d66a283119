// The example feature files the guide walks through (docs/examples/) do what docs/GUIDE.md says:
// on the account they name they fail, naming the offenders and the fix; on its healthy twin they pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { runFeatures } from './helpers/run-features';
import { ids } from './helpers/accounts';

const examples = path.resolve(__dirname, '..', 'docs', 'examples');

test('one-service.feature: on the demo account the nestjs service fails EP-05 with both route tables; the warning passes', async () => {
  const { scenarios } = await runFeatures([path.join(examples, 'one-service.feature')], { account: 'demo' });
  const s3 = scenarios.get('The nestjs service routes S3 through the gateway endpoint in every zone')!;
  assert.equal(s3.status, 'FAILED');
  for (const id of [ids.tableB, ids.mainTable, `--add-route-table-ids ${ids.tableB}`]) assert.ok(s3.message!.includes(id), id);
  assert.ok(!s3.message!.includes('batch/report-worker'), 'scope: one service');
  assert.equal(scenarios.get("The batch cluster's ecr.dkr endpoint serves every zone its tasks run in")!.status, 'PASSED');
  const flowLogs = scenarios.get("The batch cluster's VPC has flow logs (reported, does not fail the run)")!;
  assert.equal(flowLogs.status, 'PASSED');
  assert.match(flowLogs.logs.join('\n'), /WARNING/);
  assert.ok(s3.attachments.some((a) => a.mediaType === 'image/svg+xml' && a.fileName === 'Network picture of cluster-nestjs-second/role-nestjs-second-service (click to open)'));
});

test('one-service.feature passes on the healthy account: the fix the report gives is the difference', async () => {
  const { success } = await runFeatures([path.join(examples, 'one-service.feature')], { account: 'healthy' });
  assert.equal(success, true);
});

test('scheduled-tasks.feature: the nightly report cannot reach its Ohio env file on account 004, and can on 004-healthy', async () => {
  const broken = await runFeatures([path.join(examples, 'scheduled-tasks.feature')], { account: '004' });
  const nightly = broken.scenarios.get('The nightly report can download its env file')!;
  assert.equal(nightly.status, 'FAILED');
  assert.match(nightly.message!, /^TD-02 failed \(critical\): .*\n {2}- \[start · critical\] schedule\/default\/cherry-nightly-report: .*cherry-env-prod/);
  assert.equal(broken.scenarios.get('Every scheduled task reaches everything its tasks need')!.status, 'FAILED');
  const fixed = await runFeatures([path.join(examples, 'scheduled-tasks.feature')], { account: '004-healthy' });
  assert.equal(fixed.success, true);
});
