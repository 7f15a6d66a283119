// AccessDenied on a read: data only some checks need is left empty and recorded in
// inventory.denied, and exactly the checks and scopes that need it fail, naming the action to
// grant; a read every check needs stops the load with one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AwsGateway, ReadDenied } from '../support/aws/gateway';
import type { OperationName } from '../support/aws/operations';
import type { Snapshot } from '../support/aws/snapshot';
import { CHECKS } from '../support/checks';
import { RESOLVER_READS } from '../support/network/dns';
import { loadInventory, OPTIONAL_READS } from '../support/inventory/load';
import { assertReadable, DeniedReadError, SCHEDULED_TASK_READS } from '../support/inventory/denied';
import { selectWorkloads, unlistedScheduledTasks } from '../support/workloads';

function accountDenying(...operations: OperationName[]): Snapshot {
  const snapshot = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'accounts', '004.json'), 'utf8')) as Snapshot;
  for (const op of operations) {
    const error = op.startsWith('ec2:') ? { name: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.' } : { name: 'AccessDeniedException', message: `not authorized to perform: ${op}` };
    snapshot.calls[op] = (snapshot.calls[op] ?? [{ input: {} }]).map((call) => ({ input: call.input, error }));
  }
  return snapshot;
}

test('every read the loader may do without is declared by the checks or scopes that need it, and only those', () => {
  // The resolver reads are accounted for on each path they decide (a hop's missingRead), not by a whole check.
  const declared = new Set<OperationName>([...SCHEDULED_TASK_READS, ...RESOLVER_READS]);
  for (const check of CHECKS.values()) {
    for (const op of check.reads ?? []) {
      assert.ok(OPTIONAL_READS.has(op), `${check.id} declares ${op}, which the loader never does without: a denied ${op} already stops the run`);
      declared.add(op);
    }
    // Reads a check uses item by item: a denial leaves only those items unverified.
    for (const op of check.readsPerItem ?? []) {
      assert.ok(OPTIONAL_READS.has(op), `${check.id} reads ${op} per item, which the loader never does without`);
      declared.add(op);
    }
  }
  for (const op of OPTIONAL_READS) assert.ok(declared.has(op), `a denied ${op} would leave data empty that no check or scope says it needs`);
  assert.deepEqual(CHECKS.get('OBS-01')?.reads, ['ec2:DescribeFlowLogs']);
  assert.ok(CHECKS.get('IAM-01')?.reads?.includes('iam:GetAccountAuthorizationDetails'));
});

test('a denied optional read, replayed from a recording, leaves its data empty and is recorded with the action to grant', async () => {
  const snapshot = accountDenying('ec2:DescribeFlowLogs', 'events:ListRules', 'iam:GetAccountAuthorizationDetails');
  const inventory = await loadInventory(AwsGateway.replay(snapshot, 'denying.json'));
  assert.deepEqual([...(inventory.denied?.keys() ?? [])].sort(), ['ec2:DescribeFlowLogs', 'events:ListRules', 'iam:GetAccountAuthorizationDetails']);
  assert.equal(inventory.denied?.get('ec2:DescribeFlowLogs'), 'ec2:DescribeFlowLogs was denied in ap-northeast-2 (UnauthorizedOperation): grant "ec2:DescribeFlowLogs" to the identity running the suite (see iam/readonly-policy.json)');
  assert.deepEqual(inventory.flowLogs, []);
  assert.deepEqual(inventory.scheduledTasks, []);
  assert.equal(inventory.roles.size, 0);
  assert.ok(inventory.services.length > 0 && inventory.subnets.size > 0, 'everything else was read');

  // The checks and scopes that need them fail, naming every denied action; the others do not.
  assert.throws(() => assertReadable(inventory, CHECKS.get('OBS-01')!.reads, 'OBS-01'), (error: Error) => {
    assert.ok(error instanceof DeniedReadError);
    assert.equal(
      error.message,
      'OBS-01 could not be evaluated in 123456789012/ap-northeast-2: AWS denied ec2:DescribeFlowLogs to the identity running the suite. Grant "ec2:DescribeFlowLogs" (add it to that identity\'s IAM policy; iam/readonly-policy.json lists every action the suite needs), then run again',
    );
    assert.equal(error.stack, '', 'no stack trace in reports (PlainError: Cucumber shows the message alone)');
    return true;
  });
  assert.throws(() => assertReadable(inventory, CHECKS.get('IAM-02')!.reads, 'IAM-02'), /AWS denied iam:GetAccountAuthorizationDetails/);
  assert.doesNotThrow(() => assertReadable(inventory, CHECKS.get('EP-03')!.reads, 'EP-03'));
  assert.throws(() => selectWorkloads(inventory, { kind: 'scheduled tasks' }), /every scheduled task of the account could not be evaluated .*AWS denied events:ListRules/);
  // Services and scheduled tasks: the services are still selected; why the scheduled tasks are not is said.
  assert.ok(selectWorkloads(inventory, { kind: 'all workloads' }).every((w) => w.kind === 'service'));
  assert.match(unlistedScheduledTasks(inventory, { kind: 'all workloads' })!.message, /^the scheduled tasks could not be evaluated .*AWS denied events:ListRules/);
  assert.ok(selectWorkloads(inventory, { kind: 'account' }).length > 0, 'services are still in scope');
});

test('a denied read every check needs stops the load with the action to grant', async () => {
  await assert.rejects(loadInventory(AwsGateway.replay(accountDenying('ec2:DescribeRouteTables'), 'denying.json')), (error: Error) => {
    assert.ok(error instanceof ReadDenied);
    assert.equal(error.operation, 'ec2:DescribeRouteTables');
    assert.match(error.message, /^ec2:DescribeRouteTables was denied in ap-northeast-2 \(UnauthorizedOperation\): grant "ec2:DescribeRouteTables"/);
    return true;
  });
});
