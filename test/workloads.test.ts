// Scope selection and task subnets (CHECKS.md section 0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectWorkloads, ScopeError } from '../support/workloads';
import { account, ids, service } from './helpers/accounts';

test('task subnets are the configured subnets plus those of running tasks', async () => {
  const inv = await account('demo');
  const workload = service(inv, ...ids.nestjs);
  assert.equal(workload.id, 'cluster-nestjs-second/role-nestjs-second-service');
  assert.deepEqual(
    workload.taskSubnets.map((s) => [s.subnet.id, s.sources]),
    [
      [ids.privateA, ['configuration', 'running task']],
      [ids.privateB, ['configuration', 'running task']],
      [ids.privateC, ['running task']],
    ],
  );
});

test('scopes select one service, a cluster, or the whole account', async () => {
  const inv = await account('demo');
  assert.deepEqual(selectWorkloads(inv, { kind: 'account' }).map((w) => w.id).sort(), ['batch/report-worker', 'cluster-nestjs-second/role-nestjs-second-service']);
  assert.deepEqual(selectWorkloads(inv, { kind: 'cluster', cluster: 'batch' }).map((w) => w.id), ['batch/report-worker']);
});

test('an unknown cluster or service fails naming it and listing what exists', async () => {
  const inv = await account('demo');
  assert.throws(() => selectWorkloads(inv, { kind: 'cluster', cluster: 'bacth' }), (e: Error) => e instanceof ScopeError && /cluster "bacth" does not exist in 123456789012\/ap-northeast-2 \(did you mean "batch"\?\); clusters: batch, cluster-nestjs-second/.test(e.message));
  assert.throws(() => selectWorkloads(inv, { kind: 'service', cluster: 'batch', service: 'reporter' }), /service "reporter" does not exist in cluster "batch".*its services: report-worker/);
});

test('a tag scope that selects nothing: a misspelt value or key fails naming what exists; a tag nobody uses is reported as not applying', async () => {
  const { account: load } = await import('./helpers/accounts');
  const { emptyScopeNote } = await import('../support/workloads');
  const inv = await load('003');
  assert.equal(selectWorkloads(inv, { kind: 'tag', key: 'connections', value: 'many' }).length, 1);
  assert.throws(() => selectWorkloads(inv, { kind: 'tag', key: 'connections', value: 'manny' }), /^ScopeError: no service in \d{12}\/ap-northeast-2 is tagged connections=manny \(did you mean "connections=many"\?\); its services are tagged connections=many$/);
  assert.throws(() => selectWorkloads(inv, { kind: 'tag', key: 'conections', value: 'many' }), /has the tag key "conections" \(did you mean "connections"\?\)/);
  assert.deepEqual(selectWorkloads(inv, { kind: 'tag', key: 'tier', value: 'payments' }), []);
  assert.match(emptyScopeNote(inv, { kind: 'tag', key: 'tier', value: 'payments' }), /no service there has a "tier" tag\): the scenario does not apply to this account$/);
});
