// NET, SG, NACL, RT, EP-07 and TD checks on the bundled accounts and on copies changed to fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as checks from '../../support/checks/paths';
import { PATH_TARGETS } from '../../support/vocabulary';
import type { Inventory, NetworkAcl } from '../../support/inventory/model';
import { account, ids, service } from '../helpers/accounts';
import * as endpoints from '../../support/checks/endpoints';
import { pathsOf, type Hop } from '../../support/paths';
import { networkPicture } from '../../support/picture/network-picture';
import { selectWorkloads, type Workload } from '../../support/workloads';

const nestjs = (inv: Inventory) => service(inv, ...ids.nestjs);
const table = (inv: Inventory, id: string) => inv.routeTables.find((t) => t.id === id)!;
const withoutNat = (inv: Inventory) => {
  for (const t of inv.routeTables) t.routes = t.routes.filter((r) => r.target.kind !== 'nat-gateway');
};

/** The path checks that take only the inventory and the workload. */
const PATH_CHECKS = [
  checks.taskSubnetsPrivateOrPublicIp,
  checks.everyNeedReachable,
  checks.supportingEndpointsWhereNeeded,
  checks.taskEgressAllowsHttps,
  checks.endpointIngressAllowsHttps,
  checks.taskSubnetNaclsAllowHttps,
  checks.endpointSubnetNaclsAllowHttps,
  checks.routesLeadSomewhere,
  checks.envFileBucketsReachable,
  checks.imagesReachable,
];

test('every path check passes on the healthy account', async () => {
  const inv = await account('healthy');
  for (const check of PATH_CHECKS) assert.deepEqual(check(inv, nestjs(inv)), [], check.name);
  assert.deepEqual(checks.addressGoesThrough(inv, nestjs(inv), '52.219.204.42', 443, PATH_TARGETS['the S3 gateway endpoint']), []);
  assert.deepEqual(checks.s3PrefixListThroughGateway(inv, nestjs(inv)), []);
});

test('NET-01 fails for a public task subnet without public IPs, naming the needs with no other path, and passes once they are assigned', async () => {
  const inv = await account('healthy');
  const workload = nestjs(inv);
  workload.network!.subnetIds = [ids.privateA, ids.publicB];
  const findings = checks.taskSubnetsPrivateOrPublicIp(inv, nestjs(inv));
  assert.equal(findings.length, 1);
  assert.equal(findings[0].kind, 'start');
  assert.deepEqual(findings[0].paths!.map((p) => p.subnetId), [ids.publicB]);
  // The public table has no S3 route and the ECR endpoints serve it: only S3 is stranded, and its fix is the gateway endpoint's route.
  assert.match(findings[0].problem, new RegExp(`${ids.publicB} \\(ap-northeast-2b\\) is a public subnet and its tasks get no public IP, so s3 in ap-northeast-2 has no path from it`));
  assert.equal(findings[0].fix.cli, `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${ids.s3Gateway} --add-route-table-ids ${ids.publicTable} --region ap-northeast-2`);
  workload.network!.assignPublicIp = true;
  const again = await account('healthy');
  const assigned = nestjs(again);
  assigned.network!.subnetIds = [ids.privateA, ids.publicB];
  assigned.network!.assignPublicIp = true;
  assert.deepEqual(checks.taskSubnetsPrivateOrPublicIp(again, nestjs(again)), []);
});

test('NET-01 passes on a dual-stack public subnet whose needs are all served privately (endpoints, S3 gateway endpoint)', async () => {
  const inv = await account('ref-dual-stack');
  const edge = service(inv, 'edge', 'edge-api');
  assert.equal(edge.network!.assignPublicIp, false);
  assert.deepEqual(checks.taskSubnetsPrivateOrPublicIp(inv, edge), []);
  assert.deepEqual(checks.everyNeedReachable(inv, edge), []);
});

test('NET-03 (the default): the region\'s whole S3 prefix list goes to the gateway endpoint on every task route table', async () => {
  const healthy = await account('healthy');
  assert.deepEqual(checks.s3PrefixListThroughGateway(healthy, nestjs(healthy)), []);
  const demo = await account('demo');
  const findings = checks.s3PrefixListThroughGateway(demo, nestjs(demo));
  assert.deepEqual(findings.map((f) => [f.kind, ...f.resourceIds]), [
    ['posture', ids.tableB, ids.s3Gateway],
    ['posture', ids.mainTable, ids.s3Gateway],
  ]);
  // A route more specific than one of the list's ranges takes that part of S3 elsewhere.
  table(healthy, ids.tableA).routes.push({ destination: { kind: 'cidr', cidr: '52.219.204.0/24' }, target: { kind: 'nat-gateway', id: ids.nat }, state: 'active' });
  const fresh = await account('healthy');
  table(fresh, ids.tableA).routes.push({ destination: { kind: 'cidr', cidr: '52.219.204.0/24' }, target: { kind: 'nat-gateway', id: ids.nat }, state: 'active' });
  const partial = checks.s3PrefixListThroughGateway(fresh, nestjs(fresh));
  assert.equal(partial.length, 1);
  assert.match(partial[0].problem, /52\.219\.204\.0\/24 -> nat-0ae7a1c2d3e4f5a6b, which is at least as specific as 52\.219\.204\.0\/22 of pl-78a54011/);
  assert.equal(partial[0].fix.cli, `aws ec2 delete-route --route-table-id ${ids.tableA} --destination-cidr-block 52.219.204.0/24 --region ap-northeast-2`);
  // It does not apply to a workload that reads nothing from S3.
  const hub = await account('ref-nat-dockerhub');
  assert.deepEqual(checks.s3PrefixListThroughGateway(hub, service(hub, 'web', 'nginx')), []);
});

test('NET-03 for one address answers the seed question on the demo account; an address outside the region\'s S3 ranges is a usage error', async () => {
  const inv = await account('demo');
  const findings = checks.addressGoesThrough(inv, nestjs(inv), '52.219.204.42', 443, PATH_TARGETS['the S3 gateway endpoint']);
  assert.deepEqual(findings.map((f) => f.resourceIds), [
    [ids.tableB, ids.privateB, 'nat-0b7e2c4d6f8a0b1c2'],
    [ids.mainTable, ids.privateC, 'nat-0b7e2c4d6f8a0b1c2'],
  ]);
  assert.match(findings[0].problem, /goes nowhere \(its route to nat-0b7e2c4d6f8a0b1c2 is a blackhole\), not through the S3 gateway endpoint: rtb-0c10e5b1a2b3c4d5b sends 52\.219\.204\.42 by 0\.0\.0\.0\/0 -> nat-0b7e2c4d6f8a0b1c2 \(blackhole\)/);
  const viaNat = checks.addressGoesThrough(inv, nestjs(inv), '52.219.204.42', 443, PATH_TARGETS['a NAT gateway']);
  assert.deepEqual(viaNat.map((f) => f.resourceIds[1]), [ids.privateA, ids.privateB, ids.privateC]);
  // In us-east-1 the Seoul address is no S3 address: the feature is wrong, not the account.
  const east = await account('ref-isolated');
  assert.throws(
    () => checks.addressGoesThrough(east, service(east, 'ledger', 'ledger-api'), '52.219.204.42', 443, PATH_TARGETS['the S3 gateway endpoint']),
    /52\.219\.204\.42 is not an S3 address of us-east-1 .*S3 traffic from every task subnet goes through the S3 gateway endpoint/,
  );
});

test('NET-02 and EP-07 fail where neither endpoints nor a NAT gateway serve a need; EP-07 is posture where a NAT gateway does', async () => {
  const inv = await account('healthy');
  withoutNat(inv);
  inv.endpoints = inv.endpoints.filter((e) => e.id !== ids.logs);
  const net = checks.everyNeedReachable(inv, nestjs(inv));
  assert.deepEqual(net.map((f) => f.resourceIds.slice(0, 2)), [
    [ids.privateA, ids.tableA],
    [ids.privateB, ids.tableB],
    [ids.privateC, ids.mainTable],
  ]);
  assert.match(net[0].problem, /cannot reach logs in ap-northeast-2 \(awslogs log driver .*\): rtb-0c10e5a9b8c7d6e5a has no route to the internet/);
  assert.match(net[0].fix.cli, /create-vpc-endpoint .*--service-name com\.amazonaws\.ap-northeast-2\.logs/);
  const ep = checks.supportingEndpointsWhereNeeded(inv, nestjs(inv));
  assert.deepEqual(ep.map((f) => f.kind), ['start']);
  assert.deepEqual(ep[0].resourceIds, [ids.vpc, ids.privateA, ids.privateB, ids.privateC]);
  assert.match(ep[0].fix.cli, new RegExp(`--subnet-ids ${ids.privateA} ${ids.privateB} ${ids.privateC} .*--private-dns-enabled`));

  const nat = await account('ref-nat-ecr');
  const posture = checks.supportingEndpointsWhereNeeded(nat, service(nat, 'payments', 'payments-api'));
  assert.deepEqual(posture.map((f) => [f.kind, f.problem.split(' interface')[0]]), [
    ['posture', 'vpc-04d143598017ed3f7 has no logs'],
    ['posture', 'vpc-04d143598017ed3f7 has no secretsmanager'],
    ['posture', 'vpc-04d143598017ed3f7 has no ssm'],
  ]);
});

test('EP-07 names the blocker when a NAT route exists but a security group drops it, not "no NAT"', async () => {
  const inv = await account('ref-nat-ecr');
  const payments = service(inv, 'payments', 'payments-api');
  inv.securityGroups.get(payments.network!.securityGroupIds[0])!.egress = [];
  const findings = checks.supportingEndpointsWhereNeeded(inv, service(inv, 'payments', 'payments-api'));
  assert.ok(findings.length > 0);
  for (const f of findings) {
    assert.equal(f.kind, 'start');
    assert.match(f.problem, /no egress rule of sg-0037dde013a4c8261 allows tcp 443 to 0\.0\.0\.0\/0/);
    assert.doesNotMatch(f.problem, /no NAT/);
  }
});

test('SG-01 fails naming the task group when its egress allows nothing', async () => {
  const inv = await account('healthy');
  inv.securityGroups.get(ids.taskSg)!.egress = [];
  const findings = checks.taskEgressAllowsHttps(inv, nestjs(inv));
  assert.ok(findings.length > 0);
  // One finding for the group, listing every destination, with one command adding every rule.
  assert.equal(findings.length, 1);
  assert.deepEqual(findings[0].resourceIds, [ids.taskSg, ids.privateA, ids.privateB, ids.privateC]);
  assert.match(findings[0].problem, new RegExp(`allows tcp 443 to ${ids.ecrApi} in ${ids.privateA}; .*S3 in ap-northeast-2 \\(pl-78a54011\\)`));
  assert.equal(
    findings[0].fix.cli,
    `aws ec2 authorize-security-group-egress --group-id ${ids.taskSg} --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,UserIdGroupPairs=[{GroupId=${ids.endpointSg}}]' 'IpProtocol=tcp,FromPort=443,ToPort=443,PrefixListIds=[{PrefixListId=pl-78a54011}]' --region ap-northeast-2`,
  );
});

test('SG-02 fails naming the endpoint group when it lets nothing in', async () => {
  const inv = await account('healthy');
  inv.securityGroups.get(ids.endpointSg)!.ingress = [];
  const findings = checks.endpointIngressAllowsHttps(inv, nestjs(inv));
  assert.ok(findings.length > 0);
  assert.ok(findings.every((f) => f.resourceIds[0] === ids.endpointSg));
  assert.match(findings[0].fix.cli, new RegExp(`authorize-security-group-ingress --group-id ${ids.endpointSg} --protocol tcp --port 443 --source-group ${ids.taskSg}`));
});

function denyRule(acl: NetworkAcl, ruleNumber: number, egress: boolean, from: number, to: number) {
  acl.entries.push({ ruleNumber, egress, action: 'deny', protocol: '6', cidrBlock: '0.0.0.0/0', portRange: { from, to } });
}

test('NACL-01 fails on a deny numbered ahead of the allow (seed 000 step F), naming the NACL and rule', async () => {
  const inv = await account('healthy');
  denyRule(inv.networkAcls.find((a) => a.id === ids.acl)!, 90, true, 443, 443);
  const findings = checks.taskSubnetNaclsAllowHttps(inv, nestjs(inv));
  assert.ok(findings.length > 0);
  assert.deepEqual(findings[0].resourceIds.slice(0, 2), [ids.acl, 'rule 90']);
  assert.match(findings[0].problem, /rule 90 denies tcp 443 egress/);
  // A deny rule of the team's own is best removed.
  assert.equal(findings[0].fix.cli, `aws ec2 delete-network-acl-entry --network-acl-id ${ids.acl} --egress --rule-number 90 --region ap-northeast-2`);
});

test('NACL-01 fails on the * rule when no rule allows HTTPS out, and the fix adds an allow', async () => {
  const inv = await account('healthy');
  const acl = inv.networkAcls.find((a) => a.id === ids.acl)!;
  acl.entries = acl.entries.filter((e) => !(e.egress && e.ruleNumber === 100));
  const findings = checks.taskSubnetNaclsAllowHttps(inv, nestjs(inv));
  assert.ok(findings.length > 0);
  assert.deepEqual(findings[0].resourceIds.slice(0, 2), [ids.acl, 'rule *']);
  assert.match(findings[0].fix.cli, new RegExp(`create-network-acl-entry --network-acl-id ${ids.acl} --egress --rule-number \\d+ --protocol tcp --port-range From=443,To=443 --cidr-block \\S+ --rule-action allow`));
});

test('NACL-02 fails when the endpoint subnet drops the replies, and not on the task subnet', async () => {
  const inv = await account('healthy');
  const shared = inv.networkAcls.find((a) => a.id === ids.acl)!;
  // private-b gets a NACL of its own that denies the ephemeral replies out.
  shared.subnetIds = shared.subnetIds.filter((id) => id !== ids.privateB);
  const own: NetworkAcl = structuredClone({ ...shared, id: 'acl-0b0b0b0b0b0b0b0b0', isDefault: false, subnetIds: [ids.privateB] });
  denyRule(own, 50, true, 1024, 65535);
  inv.networkAcls.push(own);
  const findings = checks.endpointSubnetNaclsAllowHttps(inv, service(inv, ...ids.worker));
  assert.ok(findings.length > 0);
  assert.ok(findings.every((f) => f.resourceIds[0] === own.id && f.resourceIds.includes(ids.privateB)));
  assert.deepEqual(checks.taskSubnetNaclsAllowHttps(inv, service(inv, ...ids.worker)), []);
});

test('RT-01 fails on a blackhole route and on a NAT gateway that is not available', async () => {
  const inv = await account('demo');
  const blackhole = checks.routesLeadSomewhere(inv, nestjs(inv));
  assert.ok(blackhole.some((f) => f.resourceIds.includes(ids.tableB) && /blackhole/.test(f.problem)));
  // Pointed at the VPC's available NAT gateway, not deleted: a subnet without a default route reaches nothing.
  assert.equal(blackhole.find((f) => /blackhole/.test(f.problem))!.fix.cli, `aws ec2 replace-route --route-table-id ${ids.tableB} --destination-cidr-block 0.0.0.0/0 --nat-gateway-id ${ids.nat} --region ap-northeast-2`);

  // demo's private-a reaches ecr.dkr through nat-a (private DNS is off there).
  const other = await account('demo');
  other.natGateways.get(ids.nat)!.state = 'failed';
  const failed = checks.routesLeadSomewhere(other, nestjs(other));
  const notAvailable = failed.find((f) => /NAT gateway nat-0ae7a1c2d3e4f5a6b is failed, not available/.test(f.problem))!;
  // No other working NAT gateway: one is created in a public subnet of the VPC, its ID captured, no <placeholder> to fill in.
  assert.match(
    notAvailable.fix.cli,
    /^EIP=\$\(aws ec2 allocate-address --domain vpc --query AllocationId --output text --region ap-northeast-2\) && NAT=\$\(aws ec2 create-nat-gateway --subnet-id subnet-0ba5e\w+ --allocation-id "\$EIP" --query NatGateway\.NatGatewayId --output text --region ap-northeast-2\) && aws ec2 wait nat-gateway-available --nat-gateway-ids "\$NAT" --region ap-northeast-2 && aws ec2 replace-route --route-table-id rtb-\w+ --destination-cidr-block 0\.0\.0\.0\/0 --nat-gateway-id "\$NAT" --region ap-northeast-2$/,
  );
  for (const f of failed) assert.doesNotMatch(f.fix.cli, /<[^>]*>/, f.fix.cli);
});

test('TD-02 fails for an env file in another region without a NAT path; TD-03 for a Docker Hub image', async () => {
  const inv = await account('healthy');
  withoutNat(inv);
  const definition = inv.taskDefinitions.get(nestjs(inv).taskDefinitionArn)!;
  definition.containers[0].environmentFileArns = ['arn:aws:s3:::cherry-env-prod/api/.env'];
  inv.bucketRegions.set('cherry-env-prod', { region: 'us-east-2' });
  const env = checks.envFileBucketsReachable(inv, nestjs(inv));
  assert.equal(env.length, 3);
  assert.match(env[0].problem, /cannot reach s3 in us-east-2 for env file arn:aws:s3:::cherry-env-prod\/api\/\.env .*bucket in us-east-2, outside the task's region ap-northeast-2/);
  assert.match(env[0].fix.cli, /create-route --route-table-id .* --destination-cidr-block 0\.0\.0\.0\/0 --nat-gateway-id/);

  // Paths are computed once per inventory, as in a run: change a fresh copy.
  const other = await account('healthy');
  withoutNat(other);
  other.taskDefinitions.get(nestjs(other).taskDefinitionArn)!.containers[0].image = 'docker.io/library/nginx:1.27';
  const images = checks.imagesReachable(other, nestjs(other));
  assert.equal(images.length, 3);
  assert.match(images[0].problem, /the image is not in a private ECR registry/);
});

test('a bucket whose region S3 would not tell is unverifiable, never a pass', async () => {
  const inv = await account('healthy');
  const definition = inv.taskDefinitions.get(nestjs(inv).taskDefinitionArn)!;
  definition.containers[0].environmentFileArns = ['arn:aws:s3:::someone-elses-bucket/app.env'];
  inv.bucketRegions.set('someone-elses-bucket', { error: 's3:GetBucketLocation was denied' });
  const findings = checks.envFileBucketsReachable(inv, nestjs(inv));
  assert.equal(findings.length, 3);
  assert.match(findings[0].problem, /bucket region unknown \(region of bucket someone-elses-bucket unknown: s3:GetBucketLocation was denied\)/);
});

test('paths keep one object per distinct hop, and no check changes a hop it reads', async () => {
  const inv = await account('demo');
  const workloads = selectWorkloads(inv, { kind: 'all workloads' });
  const paths = workloads.flatMap((w) => pathsOf(inv, w));
  const hops = paths.flatMap((p) => p.hops);
  // Workloads in one subnet, and needs that leave by one NAT gateway, meet the same hops: each is one
  // object, whichever path made it (what keeps a large account's paths small).
  const byContent = new Map<string, Set<Hop>>();
  for (const hop of hops) byContent.set(JSON.stringify(hop), (byContent.get(JSON.stringify(hop)) ?? new Set()).add(hop));
  assert.ok(hops.length > 2 * byContent.size, `the demo account's ${hops.length} hops repeat (${byContent.size} distinct)`);
  for (const [content, objects] of byContent) assert.equal(objects.size, 1, content);

  // Shared, so never changed: on frozen paths, a check that changed a hop would throw (strict mode).
  const freeze = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
    Object.freeze(value);
    for (const v of Object.values(value)) freeze(v);
  };
  for (const path of paths) {
    Object.freeze(path);
    Object.freeze(path.hops);
    path.hops.forEach(freeze);
  }
  const everyPathCheck = [
    ...PATH_CHECKS,
    checks.s3PrefixListThroughGateway,
    endpoints.s3GatewayOnTaskRouteTables,
    (i: Inventory, w: Workload) => checks.remoteReachable(i, w, '0.0.0.0/0', 443),
    (i: Inventory, w: Workload) => checks.addressGoesThrough(i, w, '52.219.204.42', 443, PATH_TARGETS['the S3 gateway endpoint']),
    ...(['ecr.api', 'ecr.dkr'] as const).flatMap((s) => [
      (i: Inventory, w: Workload) => endpoints.interfaceEndpointAvailable(i, w, s),
      (i: Inventory, w: Workload) => endpoints.interfaceEndpointCoversTaskSubnets(i, w, s),
      (i: Inventory, w: Workload) => endpoints.interfaceEndpointPrivateDns(i, w, s),
    ]),
  ];
  let findings = 0;
  for (const workload of workloads) {
    for (const check of everyPathCheck) findings += check(inv, workload).length;
    networkPicture(inv, workload, { highlight: hops.flatMap((h) => h.resourceIds) });
  }
  assert.ok(findings > 0, 'the demo account fails some of these checks, so findings were built from the hops');
});
