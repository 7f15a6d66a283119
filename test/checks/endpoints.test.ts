// EP-01..EP-05 on the bundled accounts, and on copies changed to fail in one way each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  interfaceEndpointAvailable,
  interfaceEndpointCoversTaskSubnets,
  interfaceEndpointPrivateDns,
  s3GatewayOnTaskRouteTables,
} from '../../support/checks/endpoints';
import { account, ids, service } from '../helpers/accounts';

test('EP-01/EP-02 pass where the ECR endpoints exist and are available', async () => {
  for (const name of ['demo', 'healthy']) {
    const inv = await account(name);
    for (const endpoint of ['ecr.api', 'ecr.dkr']) assert.deepEqual(interfaceEndpointAvailable(inv, service(inv, ...ids.nestjs), endpoint), []);
  }
});

test('EP-01 fails naming the VPC, with the create command, when there is no ecr.api endpoint', async () => {
  const inv = await account('healthy');
  inv.endpoints = inv.endpoints.filter((e) => e.id !== ids.ecrApi);
  const [finding, ...rest] = interfaceEndpointAvailable(inv, service(inv, ...ids.nestjs), 'ecr.api');
  assert.equal(rest.length, 0);
  assert.equal(finding.checkId, 'EP-01');
  assert.deepEqual(finding.resourceIds, [ids.vpc]);
  assert.match(finding.fix.cli, new RegExp(`create-vpc-endpoint --vpc-id ${ids.vpc} --vpc-endpoint-type Interface --service-name com.amazonaws.ap-northeast-2.ecr.api`));
  assert.match(finding.fix.cli, new RegExp(`--subnet-ids ${ids.privateA} ${ids.privateB} ${ids.privateC}`));
});

test('EP-02 fails naming the endpoint and its state when ecr.dkr is not available', async () => {
  const inv = await account('healthy');
  inv.endpoints.find((e) => e.id === ids.ecrDkr)!.state = 'pendingacceptance';
  const findings = interfaceEndpointAvailable(inv, service(inv, ...ids.nestjs), 'ecr.dkr');
  assert.equal(findings.length, 1);
  assert.equal(findings[0].checkId, 'EP-02');
  assert.match(findings[0].problem, new RegExp(`${ids.ecrDkr} in ${ids.vpc} is pendingacceptance`));
});

test('EP-03 passes when the endpoints cover every task zone', async () => {
  const inv = await account('healthy');
  for (const endpoint of ['ecr.api', 'ecr.dkr']) assert.deepEqual(interfaceEndpointCoversTaskSubnets(inv, service(inv, ...ids.nestjs), endpoint), []);
});

test('EP-03 lists every uncovered task subnet with its zone, route table and the endpoint', async () => {
  const inv = await account('demo');
  const findings = interfaceEndpointCoversTaskSubnets(inv, service(inv, ...ids.nestjs), 'ecr.dkr');
  assert.deepEqual(
    findings.map((f) => f.resourceIds),
    [
      [ids.ecrDkr, ids.privateB, 'ap-northeast-2b', ids.tableB],
      [ids.ecrDkr, ids.privateC, 'ap-northeast-2c', ids.mainTable],
    ],
  );
  assert.equal(findings[1].fix.cli, `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${ids.ecrDkr} --add-subnet-ids ${ids.privateC} --region ap-northeast-2`);
  // private-c is only in use by a task of an earlier deployment: the finding says so.
  assert.match(findings[1].problem, /used by a running task only/);
});

test('EP-03 does not pass a workload it cannot place: no subnets is a finding', async () => {
  const inv = await account('healthy');
  const workload = service(inv, ...ids.worker);
  const bare = { ...workload, vpcId: undefined, taskSubnets: [] };
  const findings = interfaceEndpointCoversTaskSubnets(inv, bare, 'ecr.dkr');
  assert.equal(findings.length, 1);
  assert.match(findings[0].problem, /has no task subnets/);
});

test('EP-04 passes with private DNS on and fails naming the endpoint with it off', async () => {
  const healthy = await account('healthy');
  assert.deepEqual(interfaceEndpointPrivateDns(healthy, service(healthy, ...ids.nestjs), 'ecr.dkr'), []);
  const demo = await account('demo');
  const findings = interfaceEndpointPrivateDns(demo, service(demo, ...ids.nestjs), 'ecr.dkr');
  assert.deepEqual(findings.map((f) => f.resourceIds[0]), [ids.ecrDkr]);
  assert.match(findings[0].fix.cli, new RegExp(`modify-vpc-endpoint --vpc-endpoint-id ${ids.ecrDkr} --private-dns-enabled`));
});

test('EP-04 fails naming the VPC when DNS hostnames are off', async () => {
  const inv = await account('healthy');
  inv.vpcs.get(ids.vpc)!.dnsHostnames = false;
  const findings = interfaceEndpointPrivateDns(inv, service(inv, ...ids.nestjs), 'ecr.api');
  assert.equal(findings.length, 1);
  assert.match(findings[0].problem, new RegExp(`VPC ${ids.vpc} has DNS hostnames disabled`));
  assert.match(findings[0].fix.cli, /--enable-dns-hostnames '\{"Value":true\}'/);
});

test('EP-05 passes when every task route table routes S3 to the gateway endpoint', async () => {
  const inv = await account('healthy');
  assert.deepEqual(s3GatewayOnTaskRouteTables(inv, service(inv, ...ids.nestjs)), []);
});

test('EP-05 names each task subnet whose table (explicit or main) lacks the S3 route', async () => {
  const inv = await account('demo');
  const findings = s3GatewayOnTaskRouteTables(inv, service(inv, ...ids.nestjs));
  assert.deepEqual(
    findings.map((f) => f.resourceIds),
    [
      [ids.tableB, ids.privateB, 'ap-northeast-2b', ids.s3Gateway],
      [ids.mainTable, ids.privateC, 'ap-northeast-2c', ids.s3Gateway],
    ],
  );
  assert.match(findings[1].problem, /the VPC's main table \(no explicit association\)/);
  assert.equal(findings[0].fix.cli, `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${ids.s3Gateway} --add-route-table-ids ${ids.tableB} --region ap-northeast-2`);
  // The worker runs in private-a only, whose table has the route.
  assert.deepEqual(s3GatewayOnTaskRouteTables(inv, service(inv, ...ids.worker)), []);
});

test('EP-05 fails on a blackhole S3 route and on a VPC without the gateway endpoint', async () => {
  const inv = await account('healthy');
  const table = inv.routeTables.find((t) => t.id === ids.tableA)!;
  table.routes.find((r) => r.target.id === ids.s3Gateway)!.state = 'blackhole';
  const blackhole = s3GatewayOnTaskRouteTables(inv, service(inv, ...ids.worker));
  assert.equal(blackhole.length, 1);
  assert.match(blackhole[0].problem, new RegExp(`${ids.tableA}, whose S3 route to ${ids.s3Gateway} is a blackhole`));

  inv.endpoints = inv.endpoints.filter((e) => e.id !== ids.s3Gateway);
  const missing = s3GatewayOnTaskRouteTables(inv, service(inv, ...ids.nestjs));
  assert.equal(missing.length, 1);
  assert.match(missing[0].fix.cli, new RegExp(`--vpc-endpoint-type Gateway --service-name com.amazonaws.ap-northeast-2.s3 --route-table-ids ${ids.tableA} ${ids.tableB} ${ids.mainTable}`));
});
