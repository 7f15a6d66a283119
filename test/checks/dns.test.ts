// DNS-01 and DNS-02 on the bundled accounts and on copies changed to fail in one way each: who
// answers a service name (DHCP servers, Resolver rules, private hosted zones, the VPC's own
// endpoint, most specific first), and where a hosted zone's answer leads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DNS_01, hostedZonesLeadToEndpoints, namesResolveThroughAws } from '../../support/checks/dns';
import { interfaceEndpointAvailable, interfaceEndpointCoversTaskSubnets } from '../../support/checks/endpoints';
import { endpointSubnetNaclsAllowHttps, endpointIngressAllowsHttps, everyNeedReachable, routesLeadSomewhere, supportingEndpointsWhereNeeded } from '../../support/checks/paths';
import { AwsGateway } from '../../support/aws/gateway';
import type { Snapshot } from '../../support/aws/snapshot';
import { loadInventory } from '../../support/inventory/load';
import type { Inventory } from '../../support/inventory/model';
import { missingReadOf, pathsOf } from '../../support/paths';
import { account, service } from '../helpers/accounts';
import { selectWorkloads } from '../../support/workloads';
import { CHECKS } from '../../support/checks';
import { assertReadable } from '../../support/inventory/denied';
import { runFix } from '../helpers/run-fix';

const billing = ['billing', 'billing-api'] as const;
const orders = ['orders', 'orders-api'] as const;
const VPC = 'vpc-0d4a1c7e93b2f5a60';
const RULE = 'rslvr-rr-4c1e9a7b3d5f42e08';

function pathTo(inv: Inventory, workload: ReturnType<typeof service>, need: string) {
  return pathsOf(inv, workload).filter((p) => p.need?.service === need);
}

test('DNS-01 passes where the VPC uses AmazonProvidedDNS and the forwarding rule is associated with another VPC', async () => {
  const inv = await account('dns-custom-healthy');
  const w = service(inv, ...billing);
  assert.deepEqual(namesResolveThroughAws(inv, w), []);
  assert.ok(pathsOf(inv, w).every((p) => p.verdict === 'reachable'));
  assert.ok(pathsOf(inv, w).every((p) => !p.hops.some((h) => h.check === 'DNS-01')), 'the Amazon DNS server adds no hop');
});

test('DNS-01 with custom DNS servers: cannot be verified, naming the option set, the servers and the paths only an endpoint would serve', async () => {
  const inv = await account('dns-custom');
  const w = service(inv, ...billing);
  const [finding, ...rest] = namesResolveThroughAws(inv, w);
  assert.equal(rest.length, 0);
  assert.equal(finding.kind, 'start');
  assert.match(finding.problem, /^cannot be verified: vpc-0d4a1c7e93b2f5a60 resolves names through the custom DNS servers 10\.20\.0\.10, 10\.20\.1\.10 of DHCP option set dopt-0a7c3e91d24b6f805, not the Amazon DNS server \(10\.60\.0\.2 or 169\.254\.169\.253\)/);
  assert.deepEqual(finding.resourceIds.slice(0, 2), ['dopt-0a7c3e91d24b6f805', VPC]);
  // What is unseen is said as a condition, about the first need it leaves unverified.
  assert.match(finding.impact, /^if those servers answer with public addresses \(or not at all\), tasks cannot get an ECR auth token/);
  // A command to paste: the new set's ID captured (no <placeholder> for bash to read as a redirect), its domain name kept.
  assert.equal(
    finding.fix.cli,
    `DOPT=$(aws ec2 create-dhcp-options --dhcp-configurations 'Key=domain-name-servers,Values=AmazonProvidedDNS' 'Key=domain-name,Values=corp.example.internal' --query DhcpOptions.DhcpOptionsId --output text --region us-east-1) && aws ec2 associate-dhcp-options --dhcp-options-id "$DOPT" --vpc-id vpc-0d4a1c7e93b2f5a60 --region us-east-1`,
  );
  assert.doesNotMatch(finding.fix.cli, /<[^>]*>/);
  // Servers outside the VPC cannot ask its .2: the expected text says how they reach it.
  assert.match(finding.expected, /servers that forward amazonaws\.com to the VPC's resolver: from inside vpc-0d4a1c7e93b2f5a60 10\.60\.0\.2 or 169\.254\.169\.253, from elsewhere a Route 53 Resolver inbound endpoint in vpc-0d4a1c7e93b2f5a60$/);
  // Only the names it leaves unverified: S3's path verifies whichever answer the servers give.
  assert.match(finding.problem, /whether they answer api\.ecr\.us-east-1\.amazonaws\.com, 318406275519\.dkr\.ecr\.us-east-1\.amazonaws\.com, logs\.us-east-1\.amazonaws\.com as/);
  assert.doesNotMatch(finding.problem, /s3\.us-east-1/);
  // The endpoint answer reaches, the public one has no route: never a pass, never "blocked".
  for (const p of [...pathTo(inv, w, 'ecr.api'), ...pathTo(inv, w, 'logs')]) {
    assert.equal(p.verdict, 'cannot be verified');
    assert.match(p.hops[0].text, /with vpce-\w+'s private addresses it is reached through interface endpoint vpce-\w+; with the public addresses it is blocked: rtb-\w+ has no route to the internet/);
  }
  // S3's public answer is what the gateway endpoint's route takes, whoever answers.
  for (const p of pathTo(inv, w, 's3')) assert.equal(p.verdict, 'reachable');
  assert.ok(everyNeedReachable(inv, w).every((f) => /has no verifiable path/.test(f.problem)));
});

test('DNS-01: one of the custom servers is the VPC resolver (.2): as AmazonProvidedDNS', async () => {
  const inv = await account('dns-custom');
  inv.dhcpOptions.get('dopt-0a7c3e91d24b6f805')!.domainNameServers = ['10.20.0.10', '10.60.0.2'];
  const w = service(inv, ...billing);
  assert.deepEqual(namesResolveThroughAws(inv, w), []);
  assert.ok(pathsOf(inv, w).every((p) => p.verdict === 'reachable'));
});

test('DNS-01: a forwarding rule for amazonaws.com on the VPC takes the names no more specific zone answers; the endpoints\' private DNS still answers theirs', async () => {
  const inv = await account('dns-custom-healthy');
  inv.resolverRules.find((r) => r.id === RULE)!.vpcIds.push(VPC);
  const w = service(inv, ...billing);
  // S3's path verifies whichever AWS answer the rule's servers give (the gateway endpoint's route carries
  // S3's public addresses): NET-02 passes it, and DNS-01 says it works only while they answer at all.
  const [risk, ...more] = namesResolveThroughAws(inv, w);
  assert.equal(more.length, 0);
  assert.equal(risk.kind, 'resilience');
  assert.deepEqual(risk.resourceIds.slice(0, 2), [RULE, VPC]);
  assert.equal(risk.paths, undefined, 'it claims no path fails');
  assert.equal(
    risk.problem,
    's3.us-east-1.amazonaws.com is answered for vpc-0d4a1c7e93b2f5a60 by Route 53 Resolver rule rslvr-rr-4c1e9a7b3d5f42e08 (corp-aws-names), which forwards amazonaws.com to 10.20.0.10, 10.20.1.10, which the suite cannot see: tasks reach it with whichever AWS address those servers answer, but only while they answer AWS names at all',
  );
  assert.match(risk.impact, /^if those servers stop answering AWS names, or answer them wrongly, new tasks cannot download image layers from S3/);
  assert.deepEqual(everyNeedReachable(inv, w), []);
  // The endpoints' private zones (api.ecr.us-east-1.amazonaws.com…) are more specific than the rule.
  assert.ok(pathTo(inv, w, 'ecr.api').every((p) => p.verdict === 'reachable' && p.via === 'interface endpoint'));
  // S3: no endpoint answers privately, so the public answer follows the route table, noted.
  assert.ok(pathTo(inv, w, 's3').every((p) => p.verdict === 'reachable' && p.hops[0].check === 'DNS-01' && p.hops[0].status === 'note'));
});

test('DNS-01: a forwarding rule as specific as an endpoint\'s private name wins the tie; a more specific system rule gives the names back', async () => {
  const inv = await account('dns-custom-healthy');
  const rule = inv.resolverRules.find((r) => r.id === RULE)!;
  rule.vpcIds.push(VPC);
  rule.domainName = 'api.ecr.us-east-1.amazonaws.com';
  const w = service(inv, ...billing);
  const findings = namesResolveThroughAws(inv, w);
  assert.deepEqual(findings.map((f) => f.paths?.map((p) => p.to)), [['ecr.api@us-east-1', 'ecr.api@us-east-1']]);
  assert.match(findings[0].problem, /^cannot be verified: Route 53 Resolver rule rslvr-rr-4c1e9a7b3d5f42e08 \(corp-aws-names\), which forwards api\.ecr\.us-east-1\.amazonaws\.com to 10\.20\.0\.10, 10\.20\.1\.10, is associated with vpc-0d4a1c7e93b2f5a60: api\.ecr\.us-east-1\.amazonaws\.com is answered by those servers/);
  // A command to paste: the new rule's ID captured, no <placeholder>.
  assert.equal(
    findings[0].fix.cli,
    'RULE=$(aws route53resolver create-resolver-rule --rule-type SYSTEM --domain-name us-east-1.amazonaws.com --creator-request-id preflight-vpc-0d4a1c7e93b2f5a60 --query ResolverRule.Id --output text --region us-east-1) && aws route53resolver associate-resolver-rule --resolver-rule-id "$RULE" --vpc-id vpc-0d4a1c7e93b2f5a60 --region us-east-1',
  );
  assert.ok(pathTo(inv, w, 'ecr.api').every((p) => p.verdict === 'cannot be verified'));

  const back = await account('dns-custom-healthy');
  back.resolverRules.find((r) => r.id === RULE)!.vpcIds.push(VPC);
  back.resolverRules.push({ id: 'rslvr-rr-0f00d1e2c3b4a5968', domainName: 'us-east-1.amazonaws.com', type: 'SYSTEM', targetIps: [], vpcIds: [VPC] });
  assert.deepEqual(namesResolveThroughAws(back, service(back, ...billing)), []);
});

test('DNS-02 passes on the centralized endpoints, and EP-01, EP-02, EP-07 raise no false "no endpoint"', async () => {
  const inv = await account('hub-spoke-healthy');
  const w = service(inv, ...orders);
  assert.deepEqual(hostedZonesLeadToEndpoints(inv, w), []);
  assert.deepEqual(interfaceEndpointAvailable(inv, w, 'ecr.api'), []);
  assert.deepEqual(interfaceEndpointAvailable(inv, w, 'ecr.dkr'), []);
  assert.deepEqual(supportingEndpointsWhereNeeded(inv, w), []);
  assert.deepEqual(interfaceEndpointCoversTaskSubnets(inv, w, 'ecr.api'), []);
  for (const need of ['ecr.api', 'ecr.dkr', 'logs']) {
    for (const p of pathTo(inv, w, need)) {
      assert.equal(p.verdict, 'reachable');
      assert.equal(p.via, 'interface endpoint');
      assert.equal(inv.endpoints.find((e) => e.id === p.targetId)?.vpcId, 'vpc-0a1b2c3d4e5f60718', 'the hub endpoint');
    }
  }
});

test('DNS-02 fails where the spoke\'s transit gateway route table has no route to the hub, naming it, the zones and the subnets; no "no endpoint" finding', async () => {
  const inv = await account('hub-spoke');
  const w = service(inv, ...orders);
  const [finding, ...rest] = hostedZonesLeadToEndpoints(inv, w);
  assert.equal(rest.length, 0);
  assert.equal(finding.kind, 'start');
  assert.match(finding.problem, /tgw-rtb-06def012345666a7 \(the tgw-02d9eafbcdef01236 route table of tgw-attach-04fbcdef012344458, vpc-07e8f9a0b1c2d3e4b\) has no route to 10\.100\.0\.0\/24/);
  for (const id of ['Z04417731QH2D3KP8VX5E', 'Z05528842RI3E4LQ9WY6F', 'Z06639953SJ4F5MR0XZ7G', 'subnet-0fa6b7c8d9eafbc03', 'subnet-00b7c8d9eafbcd014']) assert.ok(finding.resourceIds.includes(id), id);
  assert.equal(finding.fix.cli, 'aws ec2 create-transit-gateway-route --transit-gateway-route-table-id tgw-rtb-06def012345666a7 --destination-cidr-block 10.100.0.0/16 --transit-gateway-attachment-id tgw-attach-03eafbcdef0123347 --region us-east-1');
  assert.equal(finding.paths?.length, 6);
  assert.deepEqual(interfaceEndpointAvailable(inv, w, 'ecr.api'), []);
  assert.deepEqual(supportingEndpointsWhereNeeded(inv, w), []);
});

test('DNS-02: a zone without the record answers NXDOMAIN: blocked, with the record to create', async () => {
  const inv = await account('hub-spoke-healthy');
  const zone = inv.hostedZones.find((z) => z.name === 'api.ecr.us-east-1.amazonaws.com')!;
  zone.records = zone.records!.filter((r) => r.type === 'NS' || r.type === 'SOA');
  const w = service(inv, ...orders);
  const [finding] = hostedZonesLeadToEndpoints(inv, w);
  assert.match(finding.problem, /^ecr\.api in us-east-1 is answered by private hosted zone Z04417731QH2D3KP8VX5E, and private hosted zone Z04417731QH2D3KP8VX5E \(api\.ecr\.us-east-1\.amazonaws\.com\), associated with vpc-07e8f9a0b1c2d3e4b, has no record for api\.ecr\.us-east-1\.amazonaws\.com: the Amazon DNS server answers NXDOMAIN/);
  // Pasted into bash: the hub's endpoint's DNS name and zone are read, then the alias record is created to them.
  assert.doesNotMatch(finding.fix.cli, /<[^>\s]*>/);
  const hub = inv.endpoints.find((e) => e.vpcId !== w.vpcId && e.serviceName === 'com.amazonaws.us-east-1.ecr.api')!;
  const run = runFix(finding.fix.cli, { 'ec2 describe-vpc-endpoints': `Z7HW8GMOEXAMPLE\t${hub.id}-abc.api.ecr.us-east-1.vpce.amazonaws.com` });
  assert.equal(run.status, 0, run.stderr);
  assert.ok(run.calls[0].args.includes(hub.id), 'the hub endpoint the inventory knows');
  const batch = JSON.parse(run.calls[1].args[run.calls[1].args.indexOf('--change-batch') + 1]);
  assert.deepEqual(batch.Changes[0].ResourceRecordSet, {
    Name: 'api.ecr.us-east-1.amazonaws.com',
    Type: 'A',
    AliasTarget: { HostedZoneId: 'Z7HW8GMOEXAMPLE', DNSName: `${hub.id}-abc.api.ecr.us-east-1.vpce.amazonaws.com`, EvaluateTargetHealth: false },
  });
  assert.deepEqual(run.calls[1].args.slice(0, 4), ['route53', 'change-resource-record-sets', '--hosted-zone-id', 'Z04417731QH2D3KP8VX5E']);
  assert.ok(pathTo(inv, w, 'ecr.api').every((p) => p.verdict === 'blocked'));
  assert.ok(pathTo(inv, w, 'ecr.dkr').every((p) => p.verdict === 'reachable'));
});

test('DNS-02: a hub endpoint group that admits only the hub CIDR blocks the spoke (a group reference cannot match across a transit gateway)', async () => {
  const inv = await account('hub-spoke-healthy');
  const group = inv.securityGroups.get('sg-0071829304a5b6c74')!;
  group.ingress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, ipv4Ranges: ['10.100.0.0/16'], ipv6Ranges: [], prefixListIds: [], groupIds: ['sg-0de4f5a6b7c8d9ea1'] }];
  const w = service(inv, ...orders);
  const findings = hostedZonesLeadToEndpoints(inv, w);
  assert.equal(findings.length, 2, 'one per task subnet: each is admitted by its own range');
  assert.ok(findings.every((f) => f.resourceIds.includes('sg-0071829304a5b6c74')));
  assert.deepEqual(findings.map((f) => f.fix.cli).sort(), [
    'aws ec2 authorize-security-group-ingress --group-id sg-0071829304a5b6c74 --protocol tcp --port 443 --cidr 10.200.0.0/20 --region us-east-1',
    'aws ec2 authorize-security-group-ingress --group-id sg-0071829304a5b6c74 --protocol tcp --port 443 --cidr 10.200.16.0/20 --region us-east-1',
  ]);
  const sg02 = endpointIngressAllowsHttps(inv, w);
  assert.ok(sg02.length >= 2 && sg02.every((f) => f.kind === 'start' && f.resourceIds.includes('sg-0071829304a5b6c74')), 'SG-02 says the same');
  assert.deepEqual(endpointSubnetNaclsAllowHttps(inv, w), []);
});

test('DNS-02: the hub subnets\' route table without the way back blocks, naming it', async () => {
  const inv = await account('hub-spoke-healthy');
  const table = inv.routeTables.find((t) => t.id === 'rtb-0d4e5f60718293a41')!;
  table.routes = table.routes.filter((r) => r.target.kind !== 'transit-gateway');
  const [finding] = hostedZonesLeadToEndpoints(inv, service(inv, ...orders));
  assert.match(finding.problem, /rtb-0d4e5f60718293a41 \(the route table of vpce-\w+'s subnet subnet-\w+\) sends the replies to 10\.200\.\d+\.0\/20 by no route, not to transit gateway tgw-02d9eafbcdef01236;/);
  assert.equal(finding.fix.cli, 'aws ec2 create-route --route-table-id rtb-0d4e5f60718293a41 --destination-cidr-block 10.200.0.0/16 --transit-gateway-id tgw-02d9eafbcdef01236 --region us-east-1');
});

test('DNS-02: beyond what the account shows (an alias to an endpoint of another account, routes not read): cannot be verified, never a pass, never "no endpoint"', async () => {
  const inv = await account('hub-spoke-healthy');
  inv.endpoints = inv.endpoints.filter((e) => e.vpcId !== 'vpc-0a1b2c3d4e5f60718');
  const w = service(inv, ...orders);
  const findings = hostedZonesLeadToEndpoints(inv, w);
  assert.ok(findings.length > 0 && findings.every((f) => f.problem.startsWith('cannot be verified: ') && /which is no interface endpoint of 529817364052 in us-east-1/.test(f.problem)));
  assert.deepEqual(interfaceEndpointAvailable(inv, w, 'ecr.api'), []);

  const unread = await account('hub-spoke-healthy');
  unread.transitGatewayRoutes = new Map();
  const [finding] = hostedZonesLeadToEndpoints(unread, service(unread, ...orders));
  assert.match(finding.problem, /^cannot be verified: .*the routes of tgw-rtb-06def012345666a7 \(tgw-02d9eafbcdef01236\) could not be read/);
});

test('a snapshot recorded before these reads replays: they count as not answered, the paths they decide cannot be verified for want of them, nothing crashes', async () => {
  const file = path.join(__dirname, '..', '..', 'fixtures', 'accounts', 'dns-custom.json');
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const newer = ['ec2:DescribeDhcpOptions', 'route53resolver:ListResolverRules', 'route53resolver:ListResolverRuleAssociations', 'route53:ListHostedZonesByVPC', 'route53:ListResourceRecordSets', 'ec2:DescribeTransitGatewayAttachments', 'ec2:SearchTransitGatewayRoutes'];
  for (const op of newer) delete (snapshot.calls as Record<string, unknown>)[op];
  const inv = await loadInventory(AwsGateway.replay(snapshot, 'dns-custom (older)'));
  assert.deepEqual([...inv.denied!.keys()].sort(), newer.filter((op) => op !== 'route53:ListResourceRecordSets' && op !== 'ec2:SearchTransitGatewayRoutes').sort());
  assert.match(inv.denied!.get('ec2:DescribeDhcpOptions')!, /^ec2:DescribeDhcpOptions was not answered: snapshot dns-custom \(older\) has no recording of ec2:DescribeDhcpOptions/);
  // Without the DHCP options the servers are unknown: S3 (the gateway endpoint's route) reaches whoever answers; the
  // names only the VPC's endpoints would answer privately cannot be verified, for want of the read alone.
  const paths = pathsOf(inv, service(inv, ...billing));
  assert.ok(paths.filter((p) => p.need?.service === 's3').every((p) => p.verdict === 'reachable'));
  const unverified = paths.filter((p) => p.verdict !== 'reachable');
  assert.ok(unverified.length > 0);
  for (const p of unverified) assert.equal(missingReadOf(p), 'ec2:DescribeDhcpOptions');
});

test('DHCP options or Resolver rules unread: the resolver is unknown, as an unseen one; verified where both answers reach, otherwise not evaluated naming the read', async () => {
  const deny = (inv: Inventory, op: 'ec2:DescribeDhcpOptions' | 'route53resolver:ListResolverRules') => {
    if (op === 'ec2:DescribeDhcpOptions') inv.dhcpOptions = new Map();
    else inv.resolverRules = [];
    inv.denied = new Map([[op, `AWS denied ${op}`]]);
    return inv;
  };
  for (const op of ['ec2:DescribeDhcpOptions', 'route53resolver:ListResolverRules'] as const) {
    // dns-custom: with the read, "no verifiable path"; without it, never a silent pass: not evaluated, naming the read.
    // (With the rules unread, dns-custom's servers still decide: its twin, which uses AmazonProvidedDNS, shows the rules' part.)
    const custom = deny(await account(op === 'ec2:DescribeDhcpOptions' ? 'dns-custom' : 'dns-custom-healthy'), op);
    const w = service(custom, ...billing);
    const findings = everyNeedReachable(custom, w);
    assert.ok(findings.length >= 6, op);
    for (const f of findings) assert.match(f.notEvaluated ?? '', new RegExp(`AWS denied ${op}`));
    assert.match(pathTo(custom, w, 'ecr.api')[0].hops.find((h) => h.check === 'DNS-01')!.text, /^who answers api\.ecr\.us-east-1\.amazonaws\.com cannot be verified: .*; with vpce-\w+'s private addresses it is reached/);
    // A NAT account: both answers reach, so every path is verified.
    const nat = deny(await account('healthy'), op);
    for (const wl of selectWorkloads(nat, { kind: 'account' })) assert.deepEqual(everyNeedReachable(nat, wl), [], `${op} ${wl.id}`);
    // Endpoints only: could not be evaluated, never failed.
    const isolated = deny(await account('ref-isolated'), op);
    const all = selectWorkloads(isolated, { kind: 'account' }).flatMap((wl) => everyNeedReachable(isolated, wl));
    assert.ok(all.length > 0);
    for (const f of all) assert.ok(f.notEvaluated, f.problem);
  }
});

test('EP-03 on a centralized endpoint: the zones of the hub endpoint the zone points at, with a hub subnet to add', async () => {
  const inv = await account('hub-spoke-healthy');
  inv.endpoints.find((e) => e.id === 'vpce-04b5c6d7e8f9a0b18')!.subnetIds = ['subnet-029304a5b6c7d8e96'];
  const w = service(inv, ...orders);
  const [finding, ...rest] = interfaceEndpointCoversTaskSubnets(inv, w, 'ecr.api');
  assert.equal(rest.length, 0);
  assert.equal(finding.kind, 'resilience');
  assert.match(finding.problem, /^ecr\.api is answered by a private hosted zone with vpce-04b5c6d7e8f9a0b18 in vpc-0a1b2c3d4e5f60718, which covers us-east-1a, not us-east-1b: tasks in subnet-00b7c8d9eafbcd014 reach it across zones/);
  assert.equal(finding.fix.cli, 'aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-04b5c6d7e8f9a0b18 --add-subnet-ids subnet-03a4b5c6d7e8f9a07 --region us-east-1');
  assert.deepEqual(interfaceEndpointCoversTaskSubnets(inv, w, 'ecr.dkr'), []);
});

test('custom DNS servers in a spoke whose names a private hosted zone answers: both answers reach, or the path is DNS-01\'s and DNS-02\'s to report, never "no endpoint"', async () => {
  const inv = await account('hub-spoke-healthy');
  const vpc = inv.vpcs.get('vpc-07e8f9a0b1c2d3e4b')!;
  inv.dhcpOptions.set(vpc.dhcpOptionsId!, { id: vpc.dhcpOptionsId!, domainNameServers: ['10.20.0.10'] });
  const w = service(inv, ...orders);
  // No route to the internet: the public answer leads nowhere, the zone's answer reaches the hub.
  for (const p of pathTo(inv, w, 'ecr.api')) {
    assert.equal(p.verdict, 'cannot be verified');
    assert.match(p.hops.find((h) => h.check === 'DNS-01')!.text, /with private hosted zone Z04417731QH2D3KP8VX5E's answer it is reached through interface endpoint vpce-04b5c6d7e8f9a0b18; with the public addresses it is blocked/);
  }
  assert.deepEqual(interfaceEndpointAvailable(inv, w, 'ecr.api'), []);
  assert.deepEqual(supportingEndpointsWhereNeeded(inv, w), []);
  assert.ok(hostedZonesLeadToEndpoints(inv, w).every((f) => f.problem.startsWith('cannot be verified: ')));
  assert.equal(namesResolveThroughAws(inv, w).length, 1);
});

test('DNS-02: DNS hostnames off on a VPC whose names a zone answers: cannot be verified, with the setting to turn on', async () => {
  const inv = await account('hub-spoke-healthy');
  inv.vpcs.get('vpc-07e8f9a0b1c2d3e4b')!.dnsHostnames = false;
  const [finding] = hostedZonesLeadToEndpoints(inv, service(inv, ...orders));
  assert.match(finding.problem, /^cannot be verified: .*DNS hostnames are off on vpc-07e8f9a0b1c2d3e4b, which private hosted zones require/);
  assert.match(finding.fix.cli, /modify-vpc-attribute --vpc-id vpc-07e8f9a0b1c2d3e4b --enable-dns-hostnames/);
});

test('DNS-02 over a peering connection: both route tables name it, and a group may name the task group across it', async () => {
  const inv = await account('hub-spoke-healthy');
  const PCX = 'pcx-0a1b2c3d4e5f6a7b8';
  const viaPeering = (tableId: string) => {
    for (const r of inv.routeTables.find((t) => t.id === tableId)!.routes) if (r.target.kind === 'transit-gateway') r.target = { kind: 'vpc-peering', id: PCX };
  };
  viaPeering('rtb-0ab1c2d3e4f5a6b7e');
  viaPeering('rtb-0d4e5f60718293a41');
  inv.securityGroups.get('sg-0071829304a5b6c74')!.ingress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, ipv4Ranges: [], ipv6Ranges: [], prefixListIds: [], groupIds: ['sg-0de4f5a6b7c8d9ea1'] }];
  const w = service(inv, ...orders);
  assert.deepEqual(hostedZonesLeadToEndpoints(inv, w), []);
  assert.ok(pathTo(inv, w, 'ecr.api').every((p) => p.verdict === 'reachable' && p.hops.some((h) => h.text.includes(`to peering connection ${PCX}, and rtb-0d4e5f60718293a41 sends the replies`))));

  const oneWay = await account('hub-spoke-healthy');
  for (const r of oneWay.routeTables.find((t) => t.id === 'rtb-0ab1c2d3e4f5a6b7e')!.routes) if (r.target.kind === 'transit-gateway') r.target = { kind: 'vpc-peering', id: PCX };
  oneWay.routeTables.find((t) => t.id === 'rtb-0d4e5f60718293a41')!.routes = oneWay.routeTables.find((t) => t.id === 'rtb-0d4e5f60718293a41')!.routes.filter((r) => r.target.kind === 'local');
  const [finding] = hostedZonesLeadToEndpoints(oneWay, service(oneWay, ...orders));
  assert.equal(finding.fix.cli, `aws ec2 create-route --route-table-id rtb-0d4e5f60718293a41 --destination-cidr-block 10.200.0.0/16 --vpc-peering-connection-id ${PCX} --region us-east-1`);
});

test('without the private hosted zones (ListHostedZonesByVPC denied), a missing endpoint\'s start finding could not be evaluated: never a false "no endpoint"', async () => {
  const inv = await account('hub-spoke-healthy');
  inv.hostedZones = [];
  inv.denied = new Map([['route53:ListHostedZonesByVPC', 'AWS denied route53:ListHostedZonesByVPC']]);
  const w = service(inv, ...orders);
  const findings = [...interfaceEndpointAvailable(inv, w, 'ecr.api'), ...supportingEndpointsWhereNeeded(inv, w)];
  assert.ok(findings.length >= 2);
  for (const f of findings) assert.match(f.notEvaluated ?? '', /^whether a private hosted zone associated with vpc-07e8f9a0b1c2d3e4b sends (ecr\.api|logs|api\.ecr\.us-east-1\.amazonaws\.com|logs\.us-east-1\.amazonaws\.com) (to an endpoint )?elsewhere could not be read \(AWS denied/);
});

test('without the private hosted zones, a path that would be blocked cannot be verified for want of the read (NET-02 not evaluated, no "create an endpoint"); one that reaches anyway stays reachable', async () => {
  const inv = await account('hub-spoke-healthy');
  inv.hostedZones = [];
  inv.denied = new Map([['route53:ListHostedZonesByVPC', 'AWS denied route53:ListHostedZonesByVPC']]);
  const w = service(inv, ...orders);
  for (const p of [...pathTo(inv, w, 'ecr.api'), ...pathTo(inv, w, 'logs')]) {
    assert.equal(p.verdict, 'cannot be verified');
    assert.equal(missingReadOf(p), 'route53:ListHostedZonesByVPC');
    assert.match(p.hops[0].text, /^whether a private hosted zone associated with vpc-07e8f9a0b1c2d3e4b sends (api\.ecr|logs)\.us-east-1\.amazonaws\.com elsewhere could not be read/);
    // The evidence that would block it stays, unverifiable for want of the same read: its check says it could not evaluate it.
    assert.ok(p.hops.some((h) => h.status === 'unverifiable' && h.missingRead === 'route53:ListHostedZonesByVPC' && /^were no zone to answer .*has no route to the internet/.test(h.text)));
  }
  const net02 = everyNeedReachable(inv, w);
  assert.ok(net02.length > 0);
  for (const f of net02) {
    assert.ok(f.notEvaluated, f.problem);
    assert.doesNotMatch(f.fix.cli, /create-vpc-endpoint/);
  }
  for (const f of interfaceEndpointAvailable(inv, w, 'ecr.api')) assert.ok(f.kind !== 'start' || f.notEvaluated);
  // S3 goes by the gateway endpoint's route whoever answers: reachable.
  assert.ok(pathTo(inv, w, 's3').every((p) => p.verdict === 'reachable'));

  // A blocked path no zone answer could rescue (no route to another VPC, no endpoint of the service to alias) stays blocked:
  // demo's S3 from 2b and 2c goes by a blackhole route, and RT-01 still says so.
  const demo = await account('demo');
  demo.hostedZones = [];
  demo.denied = new Map([['route53:ListHostedZonesByVPC', 'AWS denied route53:ListHostedZonesByVPC']]);
  const nestjs = service(demo, 'cluster-nestjs-second', 'role-nestjs-second-service');
  assert.ok(pathTo(demo, nestjs, 's3').some((p) => p.verdict === 'blocked'));
  assert.ok(routesLeadSomewhere(demo, nestjs).some((f) => /blackhole/.test(f.problem) && !f.notEvaluated));
});

test('DNS-01: custom DHCP servers on an account whose every path verifies either way (NAT gateway and endpoints) are no finding, only a note naming the names', async () => {
  const inv = await account('healthy');
  const workloads = selectWorkloads(inv, { kind: 'account' });
  for (const vpc of inv.vpcs.values()) {
    const id = vpc.dhcpOptionsId!;
    inv.dhcpOptions.set(id, { id, domainNameServers: ['10.99.0.10'], configurations: [{ key: 'domain-name-servers', values: ['10.99.0.10'] }] });
  }
  const risks = workloads.flatMap((w) => {
    assert.deepEqual(everyNeedReachable(inv, w), [], w.id);
    return namesResolveThroughAws(inv, w);
  });
  assert.ok(risks.length > 0);
  assert.ok(risks.every((f) => f.kind === 'resilience'), 'no start claim: every path reaches either way');
  assert.match(risks[0].problem, /^.*api\.ecr\.ap-northeast-2\.amazonaws\.com.* answered for vpc-\w+ by the custom DNS servers 10\.99\.0\.10 of DHCP option set dopt-\w+, which the suite cannot see: tasks reach them with whichever AWS address those servers answer, but only while they answer AWS names at all/);
});

test('DNS-01 with the Resolver rules unread: the DHCP part is still reported; a VPC whose names only the rules decide is not evaluated, per path', async () => {
  assert.ok(!(DNS_01.reads ?? []).some((op) => op.startsWith('route53resolver:') || op === 'ec2:DescribeDhcpOptions'), 'no whole-check read: each part says what it could not read');
  const inv = await account('dns-custom');
  inv.resolverRules = [];
  inv.denied = new Map([['route53resolver:ListResolverRules', 'AWS denied route53resolver:ListResolverRules']]);
  const findings = namesResolveThroughAws(inv, service(inv, ...billing));
  assert.equal(findings.length, 1);
  assert.equal(findings[0].notEvaluated, undefined);
  assert.match(findings[0].problem, /custom DNS servers 10\.20\.0\.10, 10\.20\.1\.10 of DHCP option set dopt-0a7c3e91d24b6f805/);

  const twin = await account('dns-custom-healthy');
  twin.resolverRules = [];
  twin.denied = new Map([['route53resolver:ListResolverRules', 'AWS denied route53resolver:ListResolverRules']]);
  const [unread, ...rest] = namesResolveThroughAws(twin, service(twin, ...billing));
  assert.equal(rest.length, 0);
  assert.equal(unread.notEvaluated, 'AWS denied route53resolver:ListResolverRules');
  assert.match(unread.problem, /^cannot be verified: who answers api\.ecr\.us-east-1\.amazonaws\.com, .* for vpc-0d4a1c7e93b2f5a60: whether a Route 53 Resolver rule forwards/);
  assert.doesNotMatch(unread.fix.cli, /<[^>]*>/);
});

test('the transit gateway reads decide only the paths that cross a transit gateway: denied on an account without one, DNS-02 still runs and passes; denied on the hub and spoke, those paths could not be evaluated', async () => {
  const denied = new Map([['ec2:DescribeTransitGatewayAttachments', 'AWS denied ec2:DescribeTransitGatewayAttachments'] as const]);
  const healthy = await account('healthy');
  healthy.transitGatewayAttachments = [];
  healthy.denied = denied;
  assert.doesNotThrow(() => assertReadable(healthy, CHECKS.get('DNS-02')!.reads, 'DNS-02'));
  for (const w of selectWorkloads(healthy, { kind: 'all workloads' })) assert.deepEqual(hostedZonesLeadToEndpoints(healthy, w), []);

  const hub = await account('hub-spoke-healthy');
  hub.transitGatewayAttachments = [];
  hub.denied = denied;
  const findings = hostedZonesLeadToEndpoints(hub, service(hub, ...orders));
  assert.ok(findings.length > 0);
  for (const f of findings) assert.match(f.notEvaluated ?? '', /ec2:DescribeTransitGatewayAttachments/);
});
