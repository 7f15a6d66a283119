import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalCidr,
  cidrContainsAddress,
  cidrCoversCidr,
  cidrIntersection,
  cidrsOverlap,
  parseAddress,
  parseCidr,
  parseRemote,
  prefixLength,
  splitCidr,
} from '../../support/network/cidr';

test('parseCidr reads IPv4 and IPv6 blocks and clears host bits in the network address', () => {
  const v4 = parseCidr('10.0.3.7/16');
  assert.equal(v4.family, 'ipv4');
  assert.equal(v4.prefixLength, 16);
  assert.equal(v4.network.toString(), '10.0.0.0');
  assert.equal(canonicalCidr('10.0.3.7/16'), '10.0.0.0/16');
  const v6 = parseCidr('2406:da12:abc:d00::/56');
  assert.equal(v6.family, 'ipv6');
  assert.equal(prefixLength(v6), 56);
});

test('bad input fails with an error that quotes it', () => {
  assert.throws(() => parseCidr('10.0.0.0/33'), /not an IPv4 or IPv6 CIDR block: "10.0.0.0\/33"/);
  assert.throws(() => parseCidr('10.0.0.0'), /CIDR block/);
  assert.throws(() => parseCidr('pl-78a54011'), /"pl-78a54011"/);
  assert.throws(() => parseAddress('10'), /not an IPv4 or IPv6 address: "10"/);
  assert.throws(() => parseAddress('256.1.1.1'), /address/);
  assert.throws(() => parseRemote('s3.amazonaws.com'), /not an IP address or CIDR block/);
});

test('a remote is an address (a /32 or /128 range) or a CIDR range', () => {
  assert.equal(parseRemote('52.219.204.42').prefixLength, 32);
  assert.equal(parseRemote('2600:1f18::5').prefixLength, 128);
  assert.equal(parseRemote('10.0.20.0/24').prefixLength, 24);
});

test('cidrContainsAddress: inside, outside, and never across families', () => {
  assert.equal(cidrContainsAddress('52.219.204.0/22', '52.219.204.42'), true);
  assert.equal(cidrContainsAddress('52.219.204.0/22', '52.219.207.255'), true);
  assert.equal(cidrContainsAddress('52.219.204.0/22', '52.219.208.0'), false);
  assert.equal(cidrContainsAddress('0.0.0.0/0', '2600:1f18::1'), false);
  assert.equal(cidrContainsAddress('::/0', '10.0.0.1'), false);
  assert.equal(cidrContainsAddress('::/0', '2600:1f18::1'), true);
});

test('cidrCoversCidr: the whole inner range must lie in the outer one', () => {
  assert.equal(cidrCoversCidr('10.0.0.0/16', '10.0.20.0/24'), true);
  assert.equal(cidrCoversCidr('10.0.20.0/24', '10.0.20.0/24'), true);
  assert.equal(cidrCoversCidr('10.0.20.0/24', '10.0.20.0/23'), false);
  assert.equal(cidrCoversCidr('10.0.20.0/24', '10.0.21.0/24'), false);
  assert.equal(cidrCoversCidr('10.0.20.0/24', '10.0.20.9'), true);
  assert.equal(cidrCoversCidr('0.0.0.0/0', '::/0'), false);
  assert.equal(cidrCoversCidr('2406:da12:abc:d00::/56', '2406:da12:abc:d01::/64'), true);
});

test('cidrsOverlap and cidrIntersection: nested blocks overlap, neighbours and other families do not', () => {
  assert.equal(cidrsOverlap('10.0.0.0/16', '10.0.20.0/24'), true);
  assert.equal(cidrsOverlap('10.0.20.0/24', '10.0.0.0/16'), true);
  assert.equal(cidrsOverlap('10.0.20.0/24', '10.0.21.0/24'), false);
  assert.equal(cidrsOverlap('0.0.0.0/0', '::/0'), false);
  assert.equal(cidrIntersection('10.0.0.0/16', '10.0.20.0/24')?.text, '10.0.20.0/24');
  assert.equal(cidrIntersection('10.0.20.0/24', '10.1.0.0/16'), undefined);
});

test('splitCidr halves a block and stops at a single address', () => {
  assert.deepEqual(splitCidr('10.0.20.0/24')?.map((c) => c.text), ['10.0.20.0/25', '10.0.20.128/25']);
  assert.deepEqual(splitCidr('0.0.0.0/0')?.map((c) => c.text), ['0.0.0.0/1', '128.0.0.0/1']);
  assert.deepEqual(splitCidr('2406:da12:abc:d00::/56')?.map((c) => c.text), ['2406:da12:abc:d00::/57', '2406:da12:abc:d80::/57']);
  assert.equal(splitCidr('10.0.0.1/32'), undefined);
});
