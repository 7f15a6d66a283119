// EP-01..EP-05 on the bundled accounts, and on copies changed to fail in one way each. Each check
// passes on a healthy reference, applies only to workloads with its need, and is a start finding
// only where the path engine finds no other way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  interfaceEndpointAvailable,
  interfaceEndpointCoversTaskSubnets,
  interfaceEndpointPrivateDns,
  s3GatewayOnTaskRouteTables,
} from '../../support/checks/endpoints';
import { account, ids, service } from '../helpers/accounts';
import { runFix } from '../helpers/run-fix';
import { selectWorkloads } from '../../support/workloads';

const natEcr = ['payments', 'payments-api'] as const;
const dockerHub = ['web', 'nginx'] as const;

test('EP-01/EP-02 pass where the ECR endpoints exist and are available, and on the isolated reference', async () => {
  const cases: [string, readonly [string, string]][] = [
    ['demo', ids.nestjs],
    ['healthy', ids.nestjs],
    ['ref-isolated', ['ledger', 'ledger-api']],
  ];
  for (const [name, workload] of cases) {
    const inv = await account(name);
    for (const endpoint of ['ecr.api', 'ecr.dkr'] as const) assert.deepEqual(interfaceEndpointAvailable(inv, service(inv, ...workload), endpoint), [], `${name} ${endpoint}`);
  }
});

test('EP-01 does not apply to a Docker Hub image: no ECR need, no finding, though the VPC has no endpoint', async () => {
  const inv = await account('ref-nat-dockerhub');
  assert.equal(inv.endpoints.length, 0);
  assert.deepEqual(interfaceEndpointAvailable(inv, service(inv, ...dockerHub), 'ecr.api'), []);
  assert.deepEqual(s3GatewayOnTaskRouteTables(inv, service(inv, ...dockerHub)), []);
});

test('EP-01 without an endpoint where a NAT gateway serves: one posture finding naming the NATs, never a start failure', async () => {
  const inv = await account('ref-nat-ecr');
  const findings = interfaceEndpointAvailable(inv, service(inv, ...natEcr), 'ecr.api');
  assert.deepEqual(findings.map((f) => [f.checkId, f.kind]), [['EP-01', 'posture']]);
  assert.match(findings[0].problem, /has no ecr\.api interface endpoint: ecr\.api traffic leaves through NAT gateway nat-032ab117a89db171c/);
  assert.doesNotMatch(findings[0].impact, /CannotPull|ResourceInitialization/);
  assert.equal(findings[0].paths, undefined);
});

test('EP-01 without an endpoint and without a NAT: a start finding naming the VPC, the stranded subnets and the create command', async () => {
  const inv = await account('healthy');
  inv.endpoints = inv.endpoints.filter((e) => e.id !== ids.ecrApi);
  for (const table of inv.routeTables) table.routes = table.routes.filter((r) => r.target.kind !== 'nat-gateway');
  const [finding, ...rest] = interfaceEndpointAvailable(inv, service(inv, ...ids.nestjs), 'ecr.api');
  assert.equal(rest.length, 0);
  assert.deepEqual([finding.checkId, finding.kind], ['EP-01', 'start']);
  assert.deepEqual(finding.resourceIds, [ids.vpc, ids.privateA, ids.privateB, ids.privateC]);
  assert.deepEqual(finding.paths!.map((p) => p.subnetId), [ids.privateA, ids.privateB, ids.privateC]);
  assert.match(finding.fix.cli, new RegExp(`create-vpc-endpoint --vpc-id ${ids.vpc} --vpc-endpoint-type Interface --service-name com.amazonaws.ap-northeast-2.ecr.api`));
  assert.match(finding.fix.cli, new RegExp(`--subnet-ids ${ids.privateA} ${ids.privateB} ${ids.privateC}`));
});

test('EP-02 names the endpoint and its state when ecr.dkr is not available; the NAT carries the traffic, so posture', async () => {
  const inv = await account('healthy');
  inv.endpoints.find((e) => e.id === ids.ecrDkr)!.state = 'pendingacceptance';
  const findings = interfaceEndpointAvailable(inv, service(inv, ...ids.nestjs), 'ecr.dkr');
  assert.deepEqual(findings.map((f) => [f.checkId, f.kind]), [['EP-02', 'posture']]);
  assert.match(findings[0].problem, new RegExp(`${ids.ecrDkr} is pendingacceptance, not available`));
});

test('EP-03 passes when the endpoints cover every task zone, and when there is no endpoint to cover with', async () => {
  const inv = await account('healthy');
  for (const endpoint of ['ecr.api', 'ecr.dkr'] as const) assert.deepEqual(interfaceEndpointCoversTaskSubnets(inv, service(inv, ...ids.nestjs), endpoint), []);
  const nat = await account('ref-nat-ecr');
  assert.deepEqual(interfaceEndpointCoversTaskSubnets(nat, service(nat, ...natEcr), 'ecr.api'), []);
});

test('EP-03 is resilience: every uncovered task subnet with its zone and the endpoint, reached across zones, never "fails"', async () => {
  const inv = await account('demo');
  const findings = interfaceEndpointCoversTaskSubnets(inv, service(inv, ...ids.nestjs), 'ecr.dkr');
  assert.deepEqual(
    findings.map((f) => [f.kind, ...f.resourceIds]),
    [
      ['resilience', ids.ecrDkr, ids.privateB, 'ap-northeast-2b'],
      ['resilience', ids.ecrDkr, ids.privateC, 'ap-northeast-2c'],
    ],
  );
  assert.equal(findings[1].fix.cli, `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${ids.ecrDkr} --add-subnet-ids ${ids.privateC} --region ap-northeast-2`);
  assert.match(findings[1].problem, /reach it across zones/);
  assert.match(findings[1].impact, /tasks start today/);
  // private-c is only in use by a task of an earlier deployment: the finding says so.
  assert.match(findings[1].problem, /used by a running task only/);
});

test('EP-04 passes with private DNS on; with it off, start where the public name leads nowhere and posture where a NAT carries it', async () => {
  const healthy = await account('healthy');
  assert.deepEqual(interfaceEndpointPrivateDns(healthy, service(healthy, ...ids.nestjs), 'ecr.dkr'), []);
  const demo = await account('demo');
  const findings = interfaceEndpointPrivateDns(demo, service(demo, ...ids.nestjs), 'ecr.dkr');
  assert.deepEqual(findings.map((f) => f.kind), ['start', 'posture']);
  assert.deepEqual(findings[0].paths!.map((p) => p.subnetId), [ids.privateB, ids.privateC]);
  assert.match(findings[0].problem, /blackhole/);
  assert.match(findings[1].problem, new RegExp(`through NAT gateway ${ids.nat} from ${ids.privateA}`));
  for (const f of findings) assert.match(f.fix.cli, new RegExp(`modify-vpc-endpoint --vpc-endpoint-id ${ids.ecrDkr} --private-dns-enabled`));
});

test('EP-04 names the VPC when DNS hostnames are off, and DNS support off blocks every path', async () => {
  const inv = await account('healthy');
  inv.vpcs.get(ids.vpc)!.dnsHostnames = false;
  const findings = interfaceEndpointPrivateDns(inv, service(inv, ...ids.nestjs), 'ecr.api');
  assert.deepEqual(findings.map((f) => f.kind), ['posture']);
  assert.match(findings[0].problem, new RegExp(`${ids.vpc} has DNS hostnames off`));
  assert.match(findings[0].fix.cli, /--enable-dns-hostnames '\{"Value":true\}'/);
  const noDns = await account('healthy');
  noDns.vpcs.get(ids.vpc)!.dnsSupport = false;
  const blocked = interfaceEndpointPrivateDns(noDns, service(noDns, ...ids.nestjs), 'ecr.api');
  assert.deepEqual(blocked.map((f) => f.kind), ['start']);
  assert.match(blocked[0].fix.cli, /--enable-dns-support/);
});

test('EP-05 passes when every task route table routes S3 to the gateway endpoint', async () => {
  const cases: [string, readonly [string, string]][] = [
    ['healthy', ids.nestjs],
    ['ref-isolated', ['ledger', 'ledger-api']],
  ];
  for (const [name, workload] of cases) {
    const inv = await account(name);
    assert.deepEqual(s3GatewayOnTaskRouteTables(inv, service(inv, ...workload)), [], name);
  }
});

test('EP-05 names each route table (explicit or main) that lacks the S3 route, as a start failure where its default route is a blackhole', async () => {
  const inv = await account('demo');
  const findings = s3GatewayOnTaskRouteTables(inv, service(inv, ...ids.nestjs));
  assert.deepEqual(
    findings.map((f) => [f.kind, ...f.resourceIds]),
    [
      ['start', ids.tableB, ids.s3Gateway, ids.privateB],
      ['start', ids.mainTable, ids.s3Gateway, ids.privateC],
    ],
  );
  assert.match(findings[1].problem, /the VPC's main table \(no explicit association\)/);
  assert.equal(findings[0].fix.cli, `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${ids.s3Gateway} --add-route-table-ids ${ids.tableB} --region ap-northeast-2`);
  // The worker runs in private-a only, whose table has the route.
  assert.deepEqual(s3GatewayOnTaskRouteTables(inv, service(inv, ...ids.worker)), []);
});

test('EP-05: a blackhole S3 route still wins the longest match, so S3 is dropped (start); without the endpoint the NAT carries S3 (posture)', async () => {
  const inv = await account('healthy');
  const table = inv.routeTables.find((t) => t.id === ids.tableA)!;
  table.routes.find((r) => r.target.id === ids.s3Gateway)!.state = 'blackhole';
  const blackhole = s3GatewayOnTaskRouteTables(inv, service(inv, ...ids.worker));
  assert.deepEqual(blackhole.map((f) => f.kind), ['start']);
  assert.match(blackhole[0].problem, new RegExp(`${ids.tableA} has a blackhole S3 route to ${ids.s3Gateway}`));

  // Deleting a gateway endpoint deletes its routes.
  inv.endpoints = inv.endpoints.filter((e) => e.id !== ids.s3Gateway);
  for (const t of inv.routeTables) t.routes = t.routes.filter((r) => r.target.id !== ids.s3Gateway);
  const missing = s3GatewayOnTaskRouteTables(inv, service(inv, ...ids.nestjs));
  assert.deepEqual(missing.map((f) => f.kind), ['posture', 'posture', 'posture']);
  assert.match(missing[0].fix.cli, new RegExp(`--vpc-endpoint-type Gateway --service-name com.amazonaws.ap-northeast-2.s3 --route-table-ids ${ids.tableA}`));
});

test("the endpoint fixes of one VPC paste one after another: the endpoints' group is made by the first and found by the next", async () => {
  const inv = await account('002');
  const workload = selectWorkloads(inv, { kind: 'account' })[0];
  // No group of the VPC but the tasks' own: none lets the tasks in, so the first fix makes one.
  for (const id of inv.securityGroups.keys()) if (!workload.network!.securityGroupIds.includes(id)) inv.securityGroups.delete(id);
  const [ecrApi] = interfaceEndpointAvailable(inv, workload, 'ecr.api');
  const [ecrDkr] = interfaceEndpointAvailable(inv, workload, 'ecr.dkr');
  const first = runFix(ecrApi.fix.cli, { 'ec2 describe-security-groups': 'None', 'ec2 create-security-group': 'sg-0e5f1a2b3c4d5e6f7' });
  assert.equal(first.status, 0, first.stderr);
  assert.deepEqual(first.calls.map((c) => `${c.args[0]} ${c.args[1]}`), ['ec2 describe-security-groups', 'ec2 create-security-group', 'ec2 authorize-security-group-ingress', 'ec2 create-vpc-endpoint']);
  const next = runFix(ecrDkr.fix.cli, { 'ec2 describe-security-groups': 'sg-0e5f1a2b3c4d5e6f7' });
  assert.equal(next.status, 0, next.stderr);
  assert.deepEqual(next.calls.map((c) => `${c.args[0]} ${c.args[1]}`), ['ec2 describe-security-groups', 'ec2 create-vpc-endpoint']);
  assert.equal(next.calls[1].args[next.calls[1].args.indexOf('--security-group-ids') + 1], 'sg-0e5f1a2b3c4d5e6f7');
  assert.ok(next.calls[1].args.includes('com.amazonaws.ap-northeast-2.ecr.dkr'));
});
