// Recording a snapshot: pages reassembled in token order, environment values and (on request)
// account IDs redacted, consistently enough that the replay finds every call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SnapshotRecorder, redactAccountIds, redactEnvironmentValues, REDACTED } from '../support/aws/record';
import { SnapshotReplay, type Snapshot } from '../support/aws/snapshot';

test('the recorder keeps every page in token order, without $metadata or the token in the input, and recorded errors', () => {
  const recorder = new SnapshotRecorder();
  const meta = { $metadata: { httpStatusCode: 200, requestId: 'r' } };
  recorder.answered('ec2:DescribeSubnets', {}, { output: { ...meta, Subnets: [{ SubnetId: 'subnet-1' }], NextToken: 't1' } });
  recorder.answered('ec2:DescribeVpcAttribute', { VpcId: 'vpc-1', Attribute: 'enableDnsSupport' }, { output: { ...meta, EnableDnsSupport: { Value: true } } });
  recorder.answered('ec2:DescribeSubnets', { NextToken: 't1' }, { output: { ...meta, Subnets: [{ SubnetId: 'subnet-2' }], NextToken: 't2' } });
  recorder.answered('ec2:DescribeSubnets', { NextToken: 't2' }, { output: { ...meta, Subnets: [{ SubnetId: 'subnet-3' }], NextToken: undefined } });
  recorder.answered('ec2:DescribeFlowLogs', {}, { error: { name: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.' } });
  recorder.answered('ecs:DescribeTaskDefinition', { taskDefinition: 'td:1' }, { output: { taskDefinition: { registeredAt: new Date('2026-01-02T03:04:05Z') } } });
  const snapshot = recorder.snapshot({ account: '123456789012', region: 'ap-northeast-2', recordedAt: new Date('2026-11-22T00:00:00Z') });
  assert.deepEqual(snapshot.calls['ec2:DescribeSubnets'], [
    { input: {}, pages: [{ Subnets: [{ SubnetId: 'subnet-1' }], NextToken: 't1' }, { Subnets: [{ SubnetId: 'subnet-2' }], NextToken: 't2' }, { Subnets: [{ SubnetId: 'subnet-3' }] }] },
  ]);
  assert.deepEqual(snapshot.calls['ec2:DescribeFlowLogs'], [{ input: {}, error: { name: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.' } }]);
  assert.deepEqual(snapshot.calls['ecs:DescribeTaskDefinition']![0].pages, [{ taskDefinition: { registeredAt: '2026-01-02T03:04:05.000Z' } }]);
  assert.equal(recorder.callCount, 6);
  // The replay serves it back page by page.
  const replay = new SnapshotReplay(snapshot, 'recorded');
  assert.deepEqual(replay.respond('ec2:DescribeSubnets', { NextToken: 't2' }), { Subnets: [{ SubnetId: 'subnet-3' }] });
  assert.throws(() => replay.respond('ec2:DescribeFlowLogs', {}), { name: 'UnauthorizedOperation' });
});

test('plain environment values are redacted wherever they appear, names kept; secrets stay references', () => {
  const output = {
    taskDefinition: {
      containerDefinitions: [
        {
          name: 'api',
          environment: [{ name: 'DB_PASSWORD', value: 'hunter2' }, { name: 'MODE', value: 'prod' }],
          secrets: [{ name: 'TOKEN', valueFrom: 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:t-AbCdEf' }],
          environmentFiles: [{ type: 's3', value: 'arn:aws:s3:::bucket/app.env' }],
        },
      ],
    },
    tasks: [{ overrides: { containerOverrides: [{ name: 'api', environment: [{ name: 'X', value: 'override-secret' }] }] } }],
    Targets: [{ Input: JSON.stringify({ containerOverrides: [{ environment: [{ name: 'Y', value: 'input-secret' }] }] }) }, { Input: 'not json: raw-secret' }],
  };
  const text = JSON.stringify(redactEnvironmentValues(output));
  for (const secret of ['hunter2', 'override-secret', 'input-secret', 'raw-secret']) assert.ok(!text.includes(secret), `${secret} is gone`);
  assert.ok(text.includes('"name":"DB_PASSWORD","value":"REDACTED"'));
  assert.ok(text.includes('secret:t-AbCdEf') && text.includes('arn:aws:s3:::bucket/app.env'), 'references stay');
  assert.equal(JSON.parse(JSON.parse(text).Targets[0].Input).containerOverrides[0].environment[0].value, REDACTED);
});

test('account redaction maps every account ID consistently, in ARNs, registries, encoded policies and inputs, and nothing else', () => {
  const snapshot: Snapshot = {
    snapshotVersion: 1,
    account: '123456789012',
    region: 'ap-northeast-2',
    recordedAt: '2026-11-22T00:00:00.000Z',
    calls: {
      'sts:GetCallerIdentity': [{ input: {}, pages: [{ Account: '123456789012', Arn: 'arn:aws:sts::123456789012:assumed-role/r/s' }] }],
      'ecs:DescribeTaskDefinition': [
        {
          input: { taskDefinition: 'arn:aws:ecs:ap-northeast-2:123456789012:task-definition/api:3' },
          pages: [{ taskDefinition: { containerDefinitions: [{ image: '210987654321.dkr.ecr.ap-northeast-2.amazonaws.com/api:1' }] } }],
        },
      ],
      'iam:GetAccountAuthorizationDetails': [
        {
          input: { Filter: ['Role'], MaxItems: 1000 },
          pages: [
            {
              RoleDetailList: [
                {
                  Arn: 'arn:aws:iam::123456789012:role/exec',
                  AssumeRolePolicyDocument: '%7B%22Principal%22%3A%7B%22AWS%22%3A%22arn%3Aaws%3Aiam%3A%3A210987654321%3Aroot%22%7D%2C%22Condition%22%3A%7B%22aws%3ASourceAccount%22%3A%22123456789012%22%7D%7D',
                },
              ],
            },
          ],
        },
      ],
      'ec2:DescribeSubnets': [{ input: {}, pages: [{ Subnets: [{ SubnetId: 'subnet-0a123456789012b3', OwnerId: '123456789012', CidrBlock: '10.0.0.0/24', Tags: [{ Key: 'phone', Value: '9876543210987' }] }] }] }],
    },
  };
  const { snapshot: out, accounts } = redactAccountIds(snapshot);
  const text = JSON.stringify(out);
  assert.equal(accounts, 2);
  assert.ok(!text.replace('subnet-0a123456789012b3', '').includes('123456789012'), 'only the hex resource ID keeps those digits');
  assert.ok(!text.includes('210987654321'));
  assert.equal(out.account, '000000000001');
  assert.equal((out.calls['sts:GetCallerIdentity']![0].pages![0] as { Account: string }).Account, '000000000001');
  assert.equal(out.calls['ecs:DescribeTaskDefinition']![0].input.taskDefinition, 'arn:aws:ecs:ap-northeast-2:000000000001:task-definition/api:3');
  assert.ok(text.includes('000000000002.dkr.ecr.ap-northeast-2.amazonaws.com/api:1'));
  const policy = decodeURIComponent((out.calls['iam:GetAccountAuthorizationDetails']![0].pages![0] as { RoleDetailList: { AssumeRolePolicyDocument: string }[] }).RoleDetailList[0].AssumeRolePolicyDocument);
  assert.equal(policy, '{"Principal":{"AWS":"arn:aws:iam::000000000002:root"},"Condition":{"aws:SourceAccount":"000000000001"}}');
  assert.ok(text.includes('"subnet-0a123456789012b3"'), 'a resource ID is not an account');
  assert.ok(text.includes('"9876543210987"'), 'thirteen digits are not an account');
  assert.equal(out.recordedAt, snapshot.recordedAt);
  // The redacted inputs still find their recordings.
  const replay = new SnapshotReplay(out, 'redacted');
  assert.ok(replay.respond('ecs:DescribeTaskDefinition', { taskDefinition: 'arn:aws:ecs:ap-northeast-2:000000000001:task-definition/api:3' }));
});

test("a recorded stopped task keeps why it stopped, without its overrides' environment values or the credentials a reason quotes", () => {
  const recorder = new SnapshotRecorder();
  const task = {
    taskArn: 'arn:aws:ecs:ap-northeast-2:123456789012:task/prod/0123456789abcdef0123456789abcdef',
    lastStatus: 'STOPPED',
    stopCode: 'TaskFailedToStart',
    stoppedReason: 'CannotPullContainerError: failed to do request: Head "https://deploy:pa55word@registry.example.com/v2/api/manifests/1": dial tcp 10.0.0.9:443: i/o timeout',
    overrides: { containerOverrides: [{ name: 'api', environment: [{ name: 'DB_PASSWORD', value: 'hunter2' }], command: ['node', 'main.js'] }] },
    containers: [{ name: 'api', reason: 'CannotPullContainerError: pull access with API_TOKEN=abc123 denied', exitCode: undefined }],
  };
  recorder.answered('ecs:DescribeTasks', { cluster: 'prod', tasks: [task.taskArn] }, { output: { tasks: [task], failures: [] } });
  const snapshot = recorder.snapshot({ account: '123456789012', region: 'ap-northeast-2' });
  const text = JSON.stringify(snapshot);
  assert.ok(!text.includes('hunter2') && !text.includes('pa55word') && !text.includes('abc123'), text);
  const [recorded] = (snapshot.calls['ecs:DescribeTasks']![0].pages![0] as { tasks: (typeof task)[] }).tasks;
  assert.deepEqual(recorded.overrides.containerOverrides[0].environment, [{ name: 'DB_PASSWORD', value: REDACTED }]);
  assert.equal(recorded.stoppedReason, 'CannotPullContainerError: failed to do request: Head "https://REDACTED@registry.example.com/v2/api/manifests/1": dial tcp 10.0.0.9:443: i/o timeout');
  assert.equal(recorded.containers[0].reason, `CannotPullContainerError: pull access with API_TOKEN=${REDACTED} denied`);
  assert.equal(recorded.stopCode, 'TaskFailedToStart');
});

test("a recorded service keeps its events' messages without the credentials they may quote", () => {
  const recorder = new SnapshotRecorder();
  const message = '(service api) was unable to place a task. Reason: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9abc and token=hunter2.';
  recorder.answered('ecs:DescribeServices', { cluster: 'prod', services: ['api'], include: ['TAGS'] }, { output: { services: [{ serviceName: 'api', events: [{ id: 'e1', message }] }], failures: [] } });
  const text = JSON.stringify(recorder.snapshot({ account: '123456789012', region: 'ap-northeast-2' }));
  assert.ok(!text.includes('hunter2') && !text.includes('eyJhbGciOiJIUzI1NiJ9abc'), text);
  assert.ok(text.includes('(service api) was unable to place a task. Reason: Authorization: Bearer REDACTED and token=REDACTED'), text);
});
