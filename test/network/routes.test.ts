import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routeTableOf } from '../../support/inventory/queries';
import { describeRouteLookup, lookupRoute } from '../../support/network/routes';
import { S3_ADDRESS, S3_PREFIX_LIST, byId, inventory, prefixListRoute, route, routeTable, subnet } from './builders';

const NAT = 'nat-0f00dcafe0000001';
const S3_ENDPOINT = 'vpce-0s3gateway000001';

/** The private subnet of seed 000: S3 gateway endpoint route plus default route to a NAT gateway. */
const privateTable = routeTable('rtb-0private', [prefixListRoute(S3_PREFIX_LIST.id, S3_ENDPOINT), route('0.0.0.0/0', NAT)]);

test('longest prefix wins among overlapping CIDR routes', () => {
  const table = routeTable('rtb-0a', [route('10.1.0.0/16', 'pcx-0peer'), route('10.1.2.0/24', 'tgw-0transit'), route('0.0.0.0/0', NAT)]);
  const inv = inventory();
  assert.equal(lookupRoute(inv, table, '10.1.2.9').chosen?.route.target.id, 'tgw-0transit');
  assert.equal(lookupRoute(inv, table, '10.1.3.9').chosen?.route.target.id, 'pcx-0peer');
  const other = lookupRoute(inv, table, '10.2.0.1').chosen;
  assert.equal(other?.route.target.id, NAT);
  assert.equal(other?.prefixLength, 0);
});

test('an S3 address takes the prefix-list route to the gateway endpoint, not 0.0.0.0/0 to the NAT (seed 000 G–I)', () => {
  const lookup = lookupRoute(inventory(), privateTable, S3_ADDRESS);
  assert.equal(lookup.certain, true);
  assert.equal(lookup.chosen?.route.target.id, S3_ENDPOINT);
  assert.equal(lookup.chosen?.via, 'prefix-list');
  assert.equal(lookup.chosen?.prefixListId, 'pl-78a54011');
  assert.equal(lookup.chosen?.matchedCidr, '52.219.204.0/22');
  assert.equal(lookup.chosen?.prefixLength, 22);
  assert.match(describeRouteLookup(lookup), /rtb-0private sends 52\.219\.204\.42 by pl-78a54011 -> vpce-0s3gateway000001 \(its prefix list pl-78a54011 holds 52\.219\.204\.0\/22, \/22\)/);
});

test('an address outside the prefix list goes to the NAT gateway', () => {
  const lookup = lookupRoute(inventory(), privateTable, '52.219.208.1');
  assert.equal(lookup.chosen?.route.target.id, NAT);
  assert.equal(lookup.chosen?.via, 'cidr');
  assert.equal(lookup.chosen?.prefixListId, undefined);
});

test('a more specific static CIDR beats the prefix-list route', () => {
  const table = routeTable('rtb-0b', [prefixListRoute(S3_PREFIX_LIST.id, S3_ENDPOINT), route('52.219.204.0/24', NAT)]);
  const inv = inventory();
  assert.equal(lookupRoute(inv, table, S3_ADDRESS).chosen?.route.target.id, NAT);
  // Outside the /24 but inside the list's /22, the list wins again.
  assert.equal(lookupRoute(inv, table, '52.219.206.1').chosen?.route.target.id, S3_ENDPOINT);
});

test('at equal prefix length a static route beats a prefix-list route', () => {
  const table = routeTable('rtb-0c', [prefixListRoute(S3_PREFIX_LIST.id, S3_ENDPOINT), route('52.219.204.0/22', NAT)]);
  const chosen = lookupRoute(inventory(), table, S3_ADDRESS).chosen;
  assert.equal(chosen?.route.target.id, NAT);
  assert.equal(chosen?.via, 'cidr');
  assert.deepEqual(chosen?.tiedWith, []);
});

test('at equal prefix length a prefix-list route beats a propagated route, and a static one beats both', () => {
  const propagated = route('52.219.204.0/22', 'vgw-0vpn', { origin: 'EnableVgwRoutePropagation' });
  const inv = inventory();
  const withList = routeTable('rtb-0d', [propagated, prefixListRoute(S3_PREFIX_LIST.id, S3_ENDPOINT)]);
  assert.equal(lookupRoute(inv, withList, S3_ADDRESS).chosen?.route.target.id, S3_ENDPOINT);
  const withStatic = routeTable('rtb-0e', [propagated, route('52.219.204.0/22', 'pcx-0peer')]);
  assert.equal(lookupRoute(inv, withStatic, S3_ADDRESS).chosen?.route.target.id, 'pcx-0peer');
});

test('the local route carries VPC traffic; a propagated route cannot take it, a more specific static one can', () => {
  const inv = inventory();
  const plain = lookupRoute(inv, privateTable, '10.0.20.15');
  assert.equal(plain.chosen?.route.target.kind, 'local');
  assert.equal(plain.chosen?.matchedCidr, '10.0.0.0/16');

  const propagated = routeTable('rtb-0f', [route('10.0.20.0/24', 'vgw-0vpn', { origin: 'EnableVgwRoutePropagation' })]);
  assert.equal(lookupRoute(inv, propagated, '10.0.20.15').chosen?.route.target.kind, 'local');

  const middlebox = routeTable('rtb-0g', [route('10.0.20.0/24', 'eni-0firewall')]);
  assert.equal(lookupRoute(inv, middlebox, '10.0.20.15').chosen?.route.target.id, 'eni-0firewall');
});

test("a subnet without its own route table uses the VPC's main table (routeTableOf)", () => {
  const main = routeTable('rtb-0main', [route('0.0.0.0/0', 'igw-0public')], { main: true });
  const own = routeTable('rtb-0own', [prefixListRoute(S3_PREFIX_LIST.id, S3_ENDPOINT), route('0.0.0.0/0', NAT)], { subnetIds: ['subnet-0task1'] });
  const task1 = subnet('subnet-0task1', '10.0.1.0/24');
  const task2 = subnet('subnet-0task2', '10.0.2.0/24');
  const inv = inventory({ routeTables: [main, own], subnets: byId([task1, task2]) });

  const explicit = routeTableOf(inv, task1);
  assert.equal(explicit.explicit, true);
  assert.equal(lookupRoute(inv, explicit.table!, S3_ADDRESS).chosen?.route.target.id, S3_ENDPOINT);

  // subnet-0task2 falls back to the main table, which has no S3 endpoint route: S3 goes to the internet gateway.
  const fallback = routeTableOf(inv, task2);
  assert.equal(fallback.explicit, false);
  assert.equal(fallback.table?.id, 'rtb-0main');
  assert.equal(lookupRoute(inv, fallback.table!, S3_ADDRESS).chosen?.route.target.id, 'igw-0public');
});

test('a blackhole route is chosen like any other and the lookup says it leads nowhere', () => {
  const table = routeTable('rtb-0h', [route('0.0.0.0/0', 'nat-0deleted', { state: 'blackhole' }), route('8.8.8.0/24', NAT)]);
  const inv = inventory();
  const lookup = lookupRoute(inv, table, '1.1.1.1');
  assert.equal(lookup.chosen?.blackhole, true);
  assert.equal(lookup.chosen?.route.target.id, 'nat-0deleted');
  assert.match(describeRouteLookup(lookup), /0\.0\.0\.0\/0 -> nat-0deleted \(blackhole\).*blackhole: traffic is dropped/);
  // The more specific active route still wins where it matches.
  assert.equal(lookupRoute(inv, table, '8.8.8.8').chosen?.blackhole, false);
});

test('no route matches: chosen is undefined and the answer is certain', () => {
  const isolated = routeTable('rtb-0isolated', []);
  const lookup = lookupRoute(inventory(), isolated, S3_ADDRESS);
  assert.equal(lookup.chosen, undefined);
  assert.equal(lookup.certain, true);
  assert.equal(describeRouteLookup(lookup), 'rtb-0isolated has no route to 52.219.204.42');
});

test('IPv6 destinations use IPv6 routes only', () => {
  const table = routeTable('rtb-0v6', [route('0.0.0.0/0', NAT), route('::/0', 'eigw-0egressonly')]);
  const inv = inventory();
  assert.equal(lookupRoute(inv, table, '2600:1f18:4a3:6901::42').chosen?.route.target.id, 'eigw-0egressonly');
  assert.equal(lookupRoute(inv, table, '2406:da12:abc:d01::7').chosen?.route.target.kind, 'local');
  assert.equal(lookupRoute(inv, table, '8.8.8.8').chosen?.route.target.id, NAT);
  // 0.0.0.0/0 is no default route for IPv6.
  assert.equal(lookupRoute(inv, privateTable, '2600:1f18:4a3:6901::42').chosen, undefined);
});

test('a prefix-list route whose entries are unknown is reported and makes the answer uncertain', () => {
  const table = routeTable('rtb-0i', [prefixListRoute('pl-0unknown', 'vpce-0other'), route('0.0.0.0/0', NAT)]);
  const inv = inventory();
  const lookup = lookupRoute(inv, table, S3_ADDRESS);
  assert.equal(lookup.chosen?.route.target.id, NAT);
  assert.equal(lookup.certain, false);
  assert.deepEqual(lookup.unknownPrefixLists.map((u) => u.prefixListId), ['pl-0unknown']);
  assert.match(describeRouteLookup(lookup), /pl-0unknown not in the inventory/);

  const only = lookupRoute(inv, routeTable('rtb-0j', [prefixListRoute('pl-0unknown', 'vpce-0other')], { vpcCidrs: [] }), S3_ADDRESS);
  assert.equal(only.chosen, undefined);
  assert.equal(only.certain, false);
  assert.equal(only.unknownPrefixLists.length, 1);

  // A static host route cannot be beaten by anything a list might hold.
  const host = routeTable('rtb-0k', [prefixListRoute('pl-0unknown', 'vpce-0other'), route(`${S3_ADDRESS}/32`, NAT)]);
  assert.equal(lookupRoute(inv, host, S3_ADDRESS).certain, true);
});

test('two prefix lists holding the same entry tie: AWS picks one, the lookup is uncertain', () => {
  const copy = { ...S3_PREFIX_LIST, id: 'pl-0customer', name: 'customer copy' };
  const inv = inventory({ prefixLists: byId([S3_PREFIX_LIST, copy]) });
  const table = routeTable('rtb-0l', [prefixListRoute(S3_PREFIX_LIST.id, S3_ENDPOINT), prefixListRoute(copy.id, 'tgw-0transit')]);
  const lookup = lookupRoute(inv, table, S3_ADDRESS);
  assert.equal(lookup.certain, false);
  assert.equal(lookup.chosen?.tiedWith.length, 1);
  assert.match(describeRouteLookup(lookup), /tied with/);
});

test('a destination that is not an address is refused', () => {
  assert.throws(() => lookupRoute(inventory(), privateTable, 'bucket.s3.amazonaws.com'), /not an IPv4 or IPv6 address/);
  assert.throws(() => lookupRoute(inventory(), privateTable, '52.219.204.0/22'), /not an IPv4 or IPv6 address/);
});
