// The replay serves recorded pages in order and refuses what was never recorded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AwsGateway } from '../support/aws/gateway';
import { readSnapshot, type Snapshot } from '../support/aws/snapshot';
import { UsageError } from '../support/errors';

const subnet = (id: string, zone: string, cidr: string) => ({
  AvailabilityZone: zone,
  AvailabilityZoneId: zone === 'ap-northeast-2a' ? 'apne2-az1' : 'apne2-az2',
  AvailableIpAddressCount: 251,
  CidrBlock: cidr,
  DefaultForAz: false,
  MapPublicIpOnLaunch: false,
  State: 'available',
  SubnetId: id,
  VpcId: 'vpc-0a11ce5e7c0ffee01',
  OwnerId: '123456789012',
  AssignIpv6AddressOnCreation: false,
  Ipv6CidrBlockAssociationSet: [],
  SubnetArn: `arn:aws:ec2:ap-northeast-2:123456789012:subnet/${id}`,
});

function pagedSnapshot(): Snapshot {
  return {
    snapshotVersion: 1,
    account: '123456789012',
    region: 'ap-northeast-2',
    calls: {
      'ec2:DescribeSubnets': [
        {
          input: {},
          pages: [
            { Subnets: [subnet('subnet-0aaa0000000000001', 'ap-northeast-2a', '10.0.10.0/24'), subnet('subnet-0bbb0000000000002', 'ap-northeast-2b', '10.0.11.0/24')], NextToken: 'eyJwYWdlIjoyfQ==' },
            { Subnets: [subnet('subnet-0ccc0000000000003', 'ap-northeast-2a', '10.0.12.0/24')], NextToken: 'eyJwYWdlIjozfQ==' },
            { Subnets: [subnet('subnet-0ddd0000000000004', 'ap-northeast-2b', '10.0.13.0/24')] },
          ],
        },
      ],
      'ec2:DescribeVpcAttribute': [
        { input: { VpcId: 'vpc-0a11ce5e7c0ffee01', Attribute: 'enableDnsSupport' }, error: { name: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.' } },
      ],
    },
  };
}

test('replay serves every page of a paginated call, following the tokens', async () => {
  const gateway = AwsGateway.replay(pagedSnapshot(), 'paged.json');
  const ids: string[] = [];
  for await (const page of gateway.pages('ec2:DescribeSubnets', {})) ids.push(...(page.Subnets ?? []).map((s) => s.SubnetId!));
  assert.deepEqual(ids, ['subnet-0aaa0000000000001', 'subnet-0bbb0000000000002', 'subnet-0ccc0000000000003', 'subnet-0ddd0000000000004']);
  assert.equal(gateway.calls.get('ec2:DescribeSubnets'), 3);
});

test('a call that was never recorded fails with one line naming the operation and the input', async () => {
  const gateway = AwsGateway.replay(pagedSnapshot(), 'paged.json');
  await assert.rejects(gateway.call('ec2:DescribeRouteTables', {}), (error: Error) => {
    assert.ok(error instanceof UsageError);
    assert.match(error.message, /^snapshot paged\.json has no recording of ec2:DescribeRouteTables with input \{\}/);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  });
});

test('a recorded AWS error is replayed and described with the action to grant', async () => {
  const gateway = AwsGateway.replay(pagedSnapshot(), 'paged.json');
  await assert.rejects(gateway.call('ec2:DescribeVpcAttribute', { VpcId: 'vpc-0a11ce5e7c0ffee01', Attribute: 'enableDnsSupport' }), (error: Error) => {
    assert.ok(error instanceof UsageError);
    assert.match(error.message, /ec2:DescribeVpcAttribute was denied in ap-northeast-2 \(UnauthorizedOperation\): grant "ec2:DescribeVpcAttribute"/);
    return true;
  });
});

test('a closed replay gateway lets go of its snapshot and of what its stubs remember, keeps its counts, and sends nothing more', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let snapshot: Snapshot | undefined = pagedSnapshot();
  const page = new WeakRef(snapshot.calls['ec2:DescribeSubnets']![0].pages![0]);
  const gateway = AwsGateway.replay(snapshot, 'paged.json');
  snapshot = undefined;
  for await (const p of gateway.pages('ec2:DescribeSubnets', {})) assert.ok(p.Subnets);
  gateway.close();
  // Let the finished calls' promises settle before collecting.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  assert.equal(page.deref(), undefined, 'a page the replay answered with is still held after close()');
  assert.equal(gateway.calls.get('ec2:DescribeSubnets'), 3);
  await assert.rejects(gateway.call('ec2:DescribeSubnets', {}), /closed/);
});

test('malformed snapshots are refused with one line naming the file and the problem', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-'));
  const cases: [string, string, RegExp][] = [
    ['not-json.json', '{"snapshotVersion": 1,', /not-json\.json is not valid JSON/],
    ['no-region.json', JSON.stringify({ snapshotVersion: 1, account: '123456789012', calls: {} }), /no-region\.json is malformed: "region" must be an AWS region/],
    ['bad-op.json', JSON.stringify({ snapshotVersion: 1, account: '123456789012', region: 'ap-northeast-2', calls: { 'ec2:RunInstances': [] } }), /unknown operation "ec2:RunInstances"/],
    ['no-pages.json', JSON.stringify({ snapshotVersion: 1, account: '123456789012', region: 'ap-northeast-2', calls: { 'ec2:DescribeVpcs': [{ input: {}, pages: [] }] } }), /"calls\.ec2:DescribeVpcs\[0\]" needs either a non-empty "pages"/],
  ];
  for (const [name, text, expected] of cases) {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    assert.throws(() => readSnapshot(file), (error: Error) => error instanceof UsageError && expected.test(error.message) && !error.message.includes('\n'));
  }
  assert.throws(() => readSnapshot(path.join(dir, 'missing.json')), /missing\.json cannot be read/);
});
