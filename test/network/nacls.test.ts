import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EPHEMERAL_PORTS,
  describeNaclRule,
  describeNaclVerdict,
  evaluateConnectionNacls,
  evaluateNacl,
  naclOf,
  type NaclTraffic,
} from '../../support/network/nacls';
import { S3_ADDRESS, aclEntry, byId, defaultNetworkAcl, inventory, networkAcl, subnet } from './builders';

const out443 = (remote: string): NaclTraffic => ({ direction: 'egress', protocol: 'tcp', ports: { from: 443, to: 443 }, remote });
const backIn = (remote: string): NaclTraffic => ({ direction: 'ingress', protocol: 'tcp', ports: EPHEMERAL_PORTS, remote });

test('rules are read lowest number first, whatever their order in the entries', () => {
  const acl = networkAcl('acl-0order', [aclEntry(200, 'egress', 'deny', 'tcp', '0.0.0.0/0', 443), aclEntry(100, 'egress', 'allow', 'tcp', '0.0.0.0/0', 443)]);
  const verdict = evaluateNacl(acl, out443(S3_ADDRESS));
  assert.equal(verdict.allowed, true);
  assert.equal(verdict.rule.ruleNumber, 100);
  assert.equal(describeNaclVerdict(verdict), 'acl-0order rule 100 allows tcp 443 egress to 0.0.0.0/0');
});

test('a deny numbered below an allow wins (seed 000 step F)', () => {
  const acl = networkAcl('acl-0abc', [aclEntry(90, 'egress', 'deny', 'tcp', '0.0.0.0/0', 443), aclEntry(100, 'egress', 'allow', 'all', '0.0.0.0/0')]);
  const verdict = evaluateNacl(acl, out443(S3_ADDRESS));
  assert.equal(verdict.allowed, false);
  assert.equal(verdict.partial, false);
  assert.deepEqual(verdict.rule, { aclId: 'acl-0abc', ruleNumber: 90, action: 'deny', direction: 'egress', protocol: 'tcp', cidr: '0.0.0.0/0', portRange: { from: 443, to: 443 } });
  assert.equal(describeNaclVerdict(verdict), 'acl-0abc rule 90 denies tcp 443 egress to 0.0.0.0/0');
  // Other ports pass the deny and meet the allow.
  assert.equal(evaluateNacl(acl, { ...out443(S3_ADDRESS), ports: { from: 80, to: 80 } }).allowed, true);
});

test('traffic no rule allows meets the * rule (32767)', () => {
  const acl = networkAcl('acl-0web', [aclEntry(100, 'egress', 'allow', 'tcp', '0.0.0.0/0', 80)]);
  const verdict = evaluateNacl(acl, out443(S3_ADDRESS));
  assert.equal(verdict.allowed, false);
  assert.equal(verdict.rule.ruleNumber, 32767);
  assert.equal(verdict.rule.implicit, undefined);
  assert.equal(verdict.partial, false);
  assert.equal(describeNaclVerdict(verdict), 'acl-0web rule * denies all traffic egress to 0.0.0.0/0');
});

test('entries without the * rule still end in a deny', () => {
  const acl = { id: 'acl-0bare', vpcId: 'vpc-1', isDefault: false, subnetIds: [], entries: [aclEntry(100, 'egress', 'allow', 'tcp', '10.0.0.0/16')] };
  const verdict = evaluateNacl(acl, out443(S3_ADDRESS));
  assert.equal(verdict.allowed, false);
  assert.equal(verdict.rule.implicit, true);
  assert.equal(verdict.rule.cidr, '0.0.0.0/0');
  assert.equal(evaluateNacl(acl, out443('2600:1f18::1')).rule.ruleNumber, 32768);
});

test('an allow covering only part of the ephemeral ports leaves the rest to the * rule: a partial deny', () => {
  const linuxOnly = networkAcl('acl-0eph', [aclEntry(100, 'ingress', 'allow', 'tcp', '0.0.0.0/0', [32768, 65535])]);
  const verdict = evaluateNacl(linuxOnly, backIn(S3_ADDRESS));
  assert.equal(verdict.allowed, false);
  assert.equal(verdict.partial, true);
  assert.equal(verdict.rule.ruleNumber, 32767);
  assert.deepEqual(verdict.allowedBy.map((r) => r.ruleNumber), [100]);

  const split = networkAcl('acl-0eph2', [aclEntry(100, 'ingress', 'allow', 'tcp', '0.0.0.0/0', [32768, 65535]), aclEntry(110, 'ingress', 'allow', 'tcp', '0.0.0.0/0', [1024, 32767])]);
  const both = evaluateNacl(split, backIn(S3_ADDRESS));
  assert.equal(both.allowed, true);
  assert.equal(both.rule.ruleNumber, 110);
  assert.deepEqual(both.allowedBy.map((r) => r.ruleNumber), [100, 110]);
  assert.equal(describeNaclVerdict(both), 'acl-0eph2 rule 110 allows tcp 1024-32767 ingress from 0.0.0.0/0 (the rest allowed by rule 100)');
});

test('a deny reaching part of the ports denies, marked partial, with the part it reaches', () => {
  const acl = networkAcl('acl-0part', [aclEntry(90, 'ingress', 'deny', 'tcp', '0.0.0.0/0', [1024, 2047]), aclEntry(100, 'ingress', 'allow', 'tcp', '0.0.0.0/0', [1024, 65535])]);
  const verdict = evaluateNacl(acl, backIn(S3_ADDRESS));
  assert.equal(verdict.allowed, false);
  assert.equal(verdict.partial, true);
  assert.deepEqual(verdict.deniedPart, { protocol: 'tcp', cidr: S3_ADDRESS, ports: { from: 1024, to: 2047 } });
  assert.equal(describeNaclVerdict(verdict), `acl-0part rule 90 denies tcp 1024-2047 ingress from 0.0.0.0/0, which reaches part of the traffic: tcp 1024-2047 from ${S3_ADDRESS}`);
});

test('a remote range is allowed only when every address in it is', () => {
  const endpointSubnet = '10.0.20.0/24';
  const halves = networkAcl('acl-0halves', [aclEntry(100, 'egress', 'allow', 'tcp', '10.0.20.0/25', 443), aclEntry(110, 'egress', 'allow', 'tcp', '10.0.20.128/25', 443)]);
  assert.equal(evaluateNacl(halves, out443(endpointSubnet)).allowed, true);

  const half = networkAcl('acl-0half', [aclEntry(100, 'egress', 'allow', 'tcp', '10.0.20.0/25', 443)]);
  const verdict = evaluateNacl(half, out443(endpointSubnet));
  assert.equal(verdict.allowed, false);
  assert.equal(verdict.partial, true);
  assert.equal(verdict.rule.ruleNumber, 32767);
  // One address inside the allowed half is fine.
  assert.equal(evaluateNacl(half, out443('10.0.20.5')).allowed, true);
});

test('a deny over part of a remote range denies; a deny over a part already allowed changes nothing', () => {
  const holed = networkAcl('acl-0hole', [aclEntry(100, 'egress', 'deny', 'all', '10.0.20.128/25'), aclEntry(110, 'egress', 'allow', 'all', '10.0.0.0/16')]);
  const verdict = evaluateNacl(holed, out443('10.0.20.0/24'));
  assert.equal(verdict.allowed, false);
  assert.equal(verdict.partial, true);
  assert.equal(verdict.rule.ruleNumber, 100);
  assert.equal(verdict.deniedPart?.cidr, '10.0.20.128/25');

  const shadowed = networkAcl('acl-0shadow', [
    aclEntry(100, 'egress', 'allow', 'tcp', '10.0.20.0/25', 443),
    aclEntry(110, 'egress', 'deny', 'tcp', '10.0.20.0/25', 443),
    aclEntry(120, 'egress', 'allow', 'tcp', '10.0.20.128/25', 443),
  ]);
  const allowed = evaluateNacl(shadowed, out443('10.0.20.0/24'));
  assert.equal(allowed.allowed, true);
  assert.deepEqual(allowed.allowedBy.map((r) => r.ruleNumber), [100, 120]);
});

test('IPv6 entries are ignored for IPv4 traffic and IPv4 entries for IPv6 traffic', () => {
  const acl = networkAcl('acl-0v6', [aclEntry(90, 'egress', 'deny', 'all', '::/0'), aclEntry(100, 'egress', 'allow', 'all', '0.0.0.0/0')]);
  assert.equal(evaluateNacl(acl, out443(S3_ADDRESS)).allowed, true);
  const v6 = evaluateNacl(acl, out443('2600:1f18:4a3:6901::42'));
  assert.equal(v6.allowed, false);
  assert.equal(v6.rule.ruleNumber, 90);

  const v4only = networkAcl('acl-0v4', [aclEntry(100, 'egress', 'allow', 'all', '0.0.0.0/0')]);
  const star = evaluateNacl(v4only, out443('2600:1f18:4a3:6901::42'));
  assert.equal(star.allowed, false);
  assert.equal(star.rule.ruleNumber, 32768);
  assert.equal(star.rule.cidr, '::/0');
});

test('a udp entry does not allow tcp; an all-traffic entry allows any protocol', () => {
  const acl = networkAcl('acl-0dns', [aclEntry(100, 'egress', 'allow', 'udp', '0.0.0.0/0', 53)]);
  assert.equal(evaluateNacl(acl, { direction: 'egress', protocol: 'udp', ports: { from: 53, to: 53 }, remote: '10.0.0.2' }).allowed, true);
  assert.equal(evaluateNacl(acl, { direction: 'egress', protocol: 'tcp', ports: { from: 53, to: 53 }, remote: '10.0.0.2' }).allowed, false);
  // Egress entries say nothing about ingress.
  assert.equal(evaluateNacl(acl, { direction: 'ingress', protocol: 'udp', ports: { from: 53, to: 53 }, remote: '10.0.0.2' }).allowed, false);
  const open = defaultNetworkAcl('acl-0default');
  assert.equal(evaluateNacl(open, { direction: 'egress', protocol: 'udp', ports: { from: 53, to: 53 }, remote: '10.0.0.2' }).rule.protocol, '-1');
  assert.equal(evaluateNacl(open, out443('2600:1f18::1')).rule.ruleNumber, 101);
  assert.equal(describeNaclRule(evaluateNacl(acl, { direction: 'egress', protocol: '17', ports: { from: 53, to: 53 }, remote: '10.0.0.2' }).rule), 'acl-0dns rule 100 allow udp 53 egress 0.0.0.0/0');
});

test('a bad port range is refused', () => {
  const acl = defaultNetworkAcl('acl-0default');
  assert.throws(() => evaluateNacl(acl, { ...out443(S3_ADDRESS), ports: { from: 2000, to: 1000 } }), /not a port range: 2000-1000/);
  assert.throws(() => evaluateNacl(acl, { ...out443(S3_ADDRESS), ports: { from: 0, to: 70000 } }), /not a port range/);
});

// A task subnet and an endpoint subnet, each with its own NACL; a third subnet on the VPC's default NACL.
const TASK_SUBNET = subnet('subnet-0task', '10.0.1.0/24');
const ENDPOINT_SUBNET = subnet('subnet-0endpoint', '10.0.20.0/24');
const OTHER_SUBNET = subnet('subnet-0other', '10.0.30.0/24');
const taskAcl = (extra: ReturnType<typeof aclEntry>[] = []) =>
  networkAcl(
    'acl-0task',
    [...extra, aclEntry(100, 'egress', 'allow', 'tcp', '0.0.0.0/0', 443), aclEntry(100, 'ingress', 'allow', 'tcp', '0.0.0.0/0', [1024, 65535])],
    { subnetIds: [TASK_SUBNET.id] },
  );
const endpointAcl = (replyOut: boolean) =>
  networkAcl(
    'acl-0endpoint',
    [aclEntry(100, 'ingress', 'allow', 'tcp', '10.0.0.0/16', 443), ...(replyOut ? [aclEntry(100, 'egress', 'allow', 'tcp', '10.0.0.0/16', [1024, 65535])] : [])],
    { subnetIds: [ENDPOINT_SUBNET.id] },
  );
const connectionInventory = (...acls: ReturnType<typeof networkAcl>[]) =>
  inventory({ subnets: byId([TASK_SUBNET, ENDPOINT_SUBNET, OTHER_SUBNET]), networkAcls: [...acls, defaultNetworkAcl('acl-0default', [OTHER_SUBNET.id])] });

test('naclOf: the associated NACL, else the VPC default', () => {
  const inv = connectionInventory(taskAcl());
  assert.equal(naclOf(inv, TASK_SUBNET.id)?.id, 'acl-0task');
  assert.equal(naclOf(inv, OTHER_SUBNET.id)?.id, 'acl-0default');
  // subnet-0endpoint has no association in this inventory: it falls back to the default too.
  assert.equal(naclOf(inv, ENDPOINT_SUBNET.id)?.id, 'acl-0default');
  assert.equal(naclOf(inv, 'subnet-0unknown'), undefined);
});

test('a connection to an endpoint subnet checks four legs and passes when all allow', () => {
  const inv = connectionInventory(taskAcl(), endpointAcl(true));
  const verdict = evaluateConnectionNacls(inv, { sourceSubnetId: TASK_SUBNET.id, destination: ENDPOINT_SUBNET.cidrBlock, destinationSubnetId: ENDPOINT_SUBNET.id, protocol: 'tcp', port: 443 });
  assert.equal(verdict.allowed, true);
  assert.equal(verdict.sameSubnet, false);
  assert.deepEqual(
    verdict.checks.map((c) => [c.subnetId, c.leg, c.verdict.rule.aclId, c.verdict.rule.ruleNumber]),
    [
      ['subnet-0task', 'request-out', 'acl-0task', 100],
      ['subnet-0task', 'reply-in', 'acl-0task', 100],
      ['subnet-0endpoint', 'request-in', 'acl-0endpoint', 100],
      ['subnet-0endpoint', 'reply-out', 'acl-0endpoint', 100],
    ],
  );
  // The endpoint side sees the whole task subnet as the remote.
  assert.equal(verdict.checks[2].traffic.remote, '10.0.1.0/24');
});

test("a connection fails when the endpoint's NACL does not let the reply out (seed 000 step F)", () => {
  const inv = connectionInventory(taskAcl(), endpointAcl(false));
  const verdict = evaluateConnectionNacls(inv, { sourceSubnetId: TASK_SUBNET.id, destination: ENDPOINT_SUBNET.cidrBlock, destinationSubnetId: ENDPOINT_SUBNET.id, protocol: 'tcp', port: 443 });
  assert.equal(verdict.allowed, false);
  const failed = verdict.checks.filter((c) => !c.verdict.allowed);
  assert.deepEqual(failed.map((c) => c.leg), ['reply-out']);
  assert.equal(describeNaclVerdict(failed[0].verdict), 'acl-0endpoint rule * denies all traffic egress to 0.0.0.0/0');
});

test('a connection out of the VPC (S3 through its gateway endpoint) checks the task subnet only; a low deny fails it', () => {
  const ok = evaluateConnectionNacls(connectionInventory(taskAcl()), { sourceSubnetId: TASK_SUBNET.id, destination: S3_ADDRESS, protocol: 'tcp', port: 443 });
  assert.equal(ok.allowed, true);
  assert.deepEqual(ok.checks.map((c) => c.leg), ['request-out', 'reply-in']);

  const trapped = connectionInventory(taskAcl([aclEntry(50, 'egress', 'deny', 'tcp', '52.219.0.0/16', 443)]));
  const verdict = evaluateConnectionNacls(trapped, { sourceSubnetId: TASK_SUBNET.id, destination: S3_ADDRESS, protocol: 'tcp', port: 443 });
  assert.equal(verdict.allowed, false);
  assert.equal(verdict.checks[0].verdict.rule.ruleNumber, 50);
});

test('traffic within one subnet crosses no NACL', () => {
  const inv = connectionInventory(networkAcl('acl-0closed', [], { subnetIds: [TASK_SUBNET.id] }));
  const byId = evaluateConnectionNacls(inv, { sourceSubnetId: TASK_SUBNET.id, destination: '10.0.1.50', destinationSubnetId: TASK_SUBNET.id, protocol: 'tcp', port: 443 });
  assert.equal(byId.allowed, true);
  assert.equal(byId.sameSubnet, true);
  assert.equal(byId.checks.length, 0);
  assert.match(byId.note ?? '', /crosses no NACL/);
  // Without a destination subnet, an address inside the task subnet says the same.
  assert.equal(evaluateConnectionNacls(inv, { sourceSubnetId: TASK_SUBNET.id, destination: '10.0.1.50', protocol: 'tcp', port: 443 }).sameSubnet, true);
  // The closed NACL does stop traffic that leaves the subnet.
  assert.equal(evaluateConnectionNacls(inv, { sourceSubnetId: TASK_SUBNET.id, destination: '10.0.30.5', protocol: 'tcp', port: 443 }).allowed, false);
});

test('a subnet the inventory lacks makes the connection unverifiable, not allowed', () => {
  const inv = connectionInventory(taskAcl());
  const missing = evaluateConnectionNacls(inv, { sourceSubnetId: 'subnet-0gone', destination: S3_ADDRESS, protocol: 'tcp', port: 443 });
  assert.equal(missing.allowed, false);
  assert.deepEqual(missing.unknownSubnetIds, ['subnet-0gone']);

  const noAcl = inventory({ subnets: byId([TASK_SUBNET]), networkAcls: [] });
  const verdict = evaluateConnectionNacls(noAcl, { sourceSubnetId: TASK_SUBNET.id, destination: S3_ADDRESS, protocol: 'tcp', port: 443 });
  assert.equal(verdict.allowed, false);
  assert.deepEqual(verdict.unknownSubnetIds, [TASK_SUBNET.id]);
  assert.match(verdict.note ?? '', /cannot be verified/);

  const v6 = evaluateConnectionNacls(inv, { sourceSubnetId: TASK_SUBNET.id, destination: '2600:1f18::1', protocol: 'tcp', port: 443 });
  assert.equal(v6.allowed, false);
  assert.match(v6.note ?? '', /has no ipv6 CIDR/);
});
