import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeSgVerdict, egressAllows, ingressAllows, type SgTraffic } from '../../support/network/security-groups';
import { S3_ADDRESS, S3_PREFIX_LIST, byId, inventory, securityGroup, sgRule } from './builders';
import type { SecurityGroup } from '../../support/inventory/model';

const TASK_SG = 'sg-0task00000000001';
const ENDPOINT_SG = 'sg-0endpoint0000001';

function withGroups(...groups: SecurityGroup[]) {
  return inventory({ securityGroups: byId(groups) });
}

const https = (peer: SgTraffic['peer']): SgTraffic => ({ protocol: 'tcp', port: 443, peer });

test('a port range allows its ends and what lies between, nothing outside', () => {
  const inv = withGroups(securityGroup(TASK_SG, { egress: [sgRule({ from: 1000, to: 2000, cidrs: ['0.0.0.0/0'] })] }));
  for (const port of [1000, 1500, 2000]) assert.equal(egressAllows(inv, [TASK_SG], { protocol: 'tcp', port, peer: { range: '8.8.8.8' } }).allowed, true, `port ${port}`);
  for (const port of [999, 2001]) assert.equal(egressAllows(inv, [TASK_SG], { protocol: 'tcp', port, peer: { range: '8.8.8.8' } }).allowed, false, `port ${port}`);
});

test('protocol -1 allows every protocol on every port', () => {
  const inv = withGroups(securityGroup(TASK_SG, {}));
  const verdict = egressAllows(inv, [TASK_SG], https({ range: S3_ADDRESS }));
  assert.equal(verdict.allowed, true);
  assert.equal(verdict.rule?.groupId, TASK_SG);
  assert.deepEqual(verdict.rule?.match, { by: 'cidr', cidr: '0.0.0.0/0' });
  assert.equal(egressAllows(inv, [TASK_SG], { protocol: 'udp', port: 53, peer: { range: '10.0.0.2' } }).allowed, true);
  assert.equal(describeSgVerdict(verdict, https({ range: S3_ADDRESS })), `${TASK_SG} egress allows all traffic to 0.0.0.0/0`);
});

test('tcp and udp are different protocols; "6" and "17" are their numbers', () => {
  const inv = withGroups(
    securityGroup(TASK_SG, { egress: [sgRule({ protocol: 'udp', from: 53, cidrs: ['0.0.0.0/0'] }), sgRule({ protocol: '6', from: 443, cidrs: ['0.0.0.0/0'] })] }),
  );
  const dns = (protocol: string) => egressAllows(inv, [TASK_SG], { protocol, port: 53, peer: { range: '10.0.0.2' } }).allowed;
  assert.equal(dns('udp'), true);
  assert.equal(dns('17'), true);
  assert.equal(dns('tcp'), false);
  assert.equal(egressAllows(inv, [TASK_SG], https({ range: '8.8.8.8' })).allowed, true);
  assert.equal(egressAllows(inv, [TASK_SG], { protocol: '6', port: 443, peer: { range: '8.8.8.8' } }).allowed, true);
  assert.equal(egressAllows(inv, [TASK_SG], { protocol: 'udp', port: 443, peer: { range: '8.8.8.8' } }).allowed, false);
});

test("a rule referencing a security group matches a peer that is a member of it (the endpoint's ingress from the task group)", () => {
  const inv = withGroups(securityGroup(ENDPOINT_SG, { ingress: [sgRule({ from: 443, groups: [TASK_SG] })] }));
  const verdict = ingressAllows(inv, [ENDPOINT_SG], https({ range: '10.0.1.0/24', securityGroupIds: [TASK_SG] }));
  assert.equal(verdict.allowed, true);
  assert.deepEqual(verdict.rule?.match, { by: 'security-group', groupId: TASK_SG });
  assert.equal(describeSgVerdict(verdict, https({ securityGroupIds: [TASK_SG] })), `${ENDPOINT_SG} ingress allows tcp 443 from members of ${TASK_SG}`);

  const stranger = ingressAllows(inv, [ENDPOINT_SG], https({ range: '10.0.1.0/24', securityGroupIds: ['sg-0other'] }));
  assert.equal(stranger.allowed, false);
  assert.equal(stranger.rule, undefined);
  assert.deepEqual(stranger.checked, [ENDPOINT_SG]);
  // Ingress rules say nothing about egress.
  assert.equal(egressAllows(inv, [ENDPOINT_SG], https({ securityGroupIds: [TASK_SG] })).allowed, false);
});

test('a rule naming the S3 prefix list matches the list as a peer and any address it holds', () => {
  const inv = withGroups(securityGroup(TASK_SG, { egress: [sgRule({ from: 443, prefixLists: [S3_PREFIX_LIST.id] })] }));
  const byList = egressAllows(inv, [TASK_SG], https({ prefixListId: S3_PREFIX_LIST.id }));
  assert.deepEqual(byList.rule?.match, { by: 'prefix-list', prefixListId: 'pl-78a54011' });
  assert.equal(egressAllows(inv, [TASK_SG], https({ range: S3_ADDRESS })).allowed, true);
  assert.equal(egressAllows(inv, [TASK_SG], https({ range: '8.8.8.8' })).allowed, false);
  assert.equal(egressAllows(inv, [TASK_SG], https({ prefixListId: 'pl-0other' })).allowed, false);
});

test('a CIDR rule matches a prefix-list peer only when it covers every entry of the list', () => {
  const covering = withGroups(securityGroup(TASK_SG, { egress: [sgRule({ from: 443, cidrs: ['52.219.0.0/16', '3.5.0.0/16'] })] }));
  const verdict = egressAllows(covering, [TASK_SG], https({ prefixListId: S3_PREFIX_LIST.id }));
  assert.equal(verdict.allowed, true);
  assert.deepEqual(verdict.rule?.match, { by: 'cidr-covers-prefix-list', prefixListId: 'pl-78a54011', cidrs: ['3.5.0.0/16', '52.219.0.0/16'] });

  const partial = withGroups(securityGroup(TASK_SG, { egress: [sgRule({ from: 443, cidrs: ['52.219.0.0/16'] })] }));
  assert.equal(egressAllows(partial, [TASK_SG], https({ prefixListId: S3_PREFIX_LIST.id })).allowed, false);
});

test("a rule's CIDR must cover the peer's whole range, not only part of it", () => {
  const inv = withGroups(securityGroup(ENDPOINT_SG, { ingress: [sgRule({ from: 443, cidrs: ['10.0.1.0/24'] })] }));
  assert.equal(ingressAllows(inv, [ENDPOINT_SG], https({ range: '10.0.1.0/24' })).allowed, true);
  assert.equal(ingressAllows(inv, [ENDPOINT_SG], https({ range: '10.0.1.77' })).allowed, true);
  const wider = ingressAllows(inv, [ENDPOINT_SG], https({ range: '10.0.0.0/23' }));
  assert.equal(wider.allowed, false);
  assert.equal(describeSgVerdict(wider, https({ range: '10.0.0.0/23' })), `no ingress rule of ${ENDPOINT_SG} allows tcp 443 from 10.0.0.0/23`);
});

test('IPv6 peers match IPv6 ranges only, IPv4 peers IPv4 ranges only', () => {
  const v4only = withGroups(securityGroup(TASK_SG, {}));
  assert.equal(egressAllows(v4only, [TASK_SG], https({ range: '2600:1f18:4a3:6901::42' })).allowed, false);
  const v6only = withGroups(securityGroup(TASK_SG, { egress: [sgRule({ from: 443, ipv6: ['::/0'] })] }));
  const v6 = egressAllows(v6only, [TASK_SG], https({ range: '2600:1f18:4a3:6901::42' }));
  assert.equal(v6.allowed, true);
  assert.deepEqual(v6.rule?.match, { by: 'cidr', cidr: '::/0' });
  assert.equal(egressAllows(v6only, [TASK_SG], https({ range: S3_ADDRESS })).allowed, false);
});

test('several groups allow the traffic when any rule of any of them does', () => {
  const inv = withGroups(
    securityGroup(TASK_SG, { egress: [] }),
    securityGroup('sg-0second', { egress: [sgRule({ from: 443, groups: [ENDPOINT_SG] })] }),
  );
  const verdict = egressAllows(inv, [TASK_SG, 'sg-0second'], https({ range: '10.0.20.0/24', securityGroupIds: [ENDPOINT_SG] }));
  assert.equal(verdict.allowed, true);
  assert.equal(verdict.rule?.groupId, 'sg-0second');
  assert.equal(egressAllows(inv, [TASK_SG], https({ range: '10.0.20.0/24', securityGroupIds: [ENDPOINT_SG] })).allowed, false);
});

test('groups and prefix lists missing from the inventory are reported, not taken as a plain denial', () => {
  const inv = withGroups(securityGroup(TASK_SG, { egress: [sgRule({ from: 443, prefixLists: ['pl-0unknown'] })] }));
  const verdict = egressAllows(inv, [TASK_SG, 'sg-0gone'], https({ range: '8.8.8.8' }));
  assert.equal(verdict.allowed, false);
  assert.deepEqual(verdict.unknownGroupIds, ['sg-0gone']);
  assert.deepEqual(verdict.unknownPrefixListIds, ['pl-0unknown']);
  assert.match(describeSgVerdict(verdict, https({ range: '8.8.8.8' })), /sg-0gone not in the inventory; entries of pl-0unknown unknown/);
});
