// The network picture: a pure function of the inventory and a workload, drawing zones, task
// subnets, route tables, endpoints, NAT and internet gateways and each need's path, with broken
// links marked; well-formed SVG that stays legible for three zones and six needs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { networkPicture, shortZone } from '../support/picture/network-picture';
import { selectWorkloads } from '../support/workloads';
import { account, ids, service } from './helpers/accounts';

/** Well-formed enough for a browser: every element closed in order, no raw "&" or "<" in text. */
function assertWellFormed(svg: string): void {
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+" viewBox="0 0 \d+ \d+">/);
  assert.match(svg, /<\/svg>$/);
  const stack: string[] = [];
  for (const [, closing, name, selfClosing] of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (selfClosing) continue;
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes something else`);
    else stack.push(name);
  }
  assert.deepEqual(stack, [], 'every element is closed');
  for (const content of svg.matchAll(/>([^<]*)</g)) assert.doesNotMatch(content[1], /&(?!(amp|lt|gt|quot|apos);)/, `raw & in ${content[1]}`);
}

function size(svg: string): { width: number; height: number } {
  const [, width, height] = svg.match(/width="(\d+)" height="(\d+)"/)!;
  return { width: Number(width), height: Number(height) };
}

/** The text of every <text> element, in order. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'"));
}

test('the demo service: three zones, their task subnets and route tables, every way out, each need from each subnet', async () => {
  const inv = await account('demo');
  const svg = networkPicture(inv, service(inv, ...ids.nestjs));
  assertWellFormed(svg);
  const words = texts(svg);
  for (const id of [ids.privateA, ids.privateB, ids.privateC, ids.tableA, ids.tableB, `${ids.mainTable} (main table)`, ids.ecrApi, ids.ecrDkr, ids.logs, ids.s3Gateway, ids.nat, ids.igw]) {
    assert.ok(words.includes(id), `${id} is drawn`);
  }
  for (const zone of ['ap-northeast-2a', 'ap-northeast-2b', 'ap-northeast-2c']) assert.ok(words.includes(zone));
  // Route tables show their routes: only 2a's has the S3 prefix-list route.
  assert.ok(words.includes(`S3 (pl-78a54011) → ${ids.s3Gateway}`));
  assert.equal(words.filter((w) => w === `0.0.0.0/0 → ${ids.nat}`).length, 1);
  // 2b's table and the main table (2c) route to the deleted NAT gateway: crossed out.
  assert.equal(words.filter((w) => w === '✘ 0.0.0.0/0 → nat-0b7e2c4d6f8a0b1c2').length, 2);
  // Each target says what it carries from which zone: the seed incident in one line each.
  assert.ok(words.includes('s3 from 2a'), 'S3 gateway endpoint');
  assert.ok(words.includes('ecr.dkr from 2a'), 'ecr.dkr goes over NAT from 2a: private DNS is off');
  assert.ok(words.includes('no route: dropped'));
  assert.ok(words.includes('ecr.dkr from 2b 2c') && words.includes('s3 from 2b 2c'), 'what 2b and 2c lose');
  // The ecr.dkr endpoint is drawn although no path uses it, saying why.
  assert.ok(words.some((w) => w.startsWith('not used: private DNS')));
  // Endpoint interfaces per zone: ecr.dkr only in 2a, ecr.api not in 2c.
  // (The chips come first; the grid's row labels follow.)
  assert.deepEqual(words.filter((w) => /^(no )?ecr\.(api|dkr)$/.test(w)).slice(0, 6), ['ecr.api', 'ecr.dkr', 'ecr.api', 'no ecr.dkr', 'no ecr.api', 'no ecr.dkr']);
  // The grid: one row per need (4), one cell per task subnet (3).
  const grid = words.slice(words.indexOf('Each need, from each task subnet: the way out, and what blocks it'));
  assert.deepEqual(grid.filter((w) => ['ecr.api', 'ecr.dkr', 's3', 'logs'].includes(w)), ['ecr.api', 'ecr.dkr', 's3', 'logs']);
  assert.equal(words.filter((w) => w.startsWith('✔ ')).length, 8, 'all of 2a; ecr.api and logs of 2b and 2c');
  assert.equal(words.filter((w) => w === '✔ NAT gateway nat-0ae7a1c2d3e4f5a6b').length, 1, 'ecr.dkr from 2a');
  assert.equal(words.filter((w) => w.startsWith('RT-01: ')).length, 4, 'ecr.dkr and s3 from 2b and 2c, blocked by the blackhole route');
  assert.ok(svg.includes('stroke-dasharray="7 4" marker-end'), 'broken links');
});

test('the resources a failure names get a red outline; nothing else does', async () => {
  const inv = await account('demo');
  const workload = service(inv, ...ids.nestjs);
  const outlined = (svg: string) => svg.match(/stroke="#c62828" stroke-width="3"/g)?.length ?? 0;
  const plain = networkPicture(inv, workload);
  const marked = networkPicture(inv, workload, { highlight: [ids.tableB, ids.privateC, ids.s3Gateway, 'ap-northeast-2c'] });
  assert.equal(outlined(marked) - outlined(plain), 3, 'route table 2b, subnet 2c and the S3 gateway endpoint');
  assert.equal(networkPicture(inv, workload), plain, 'the same input draws the same picture');
});

test('blocked paths are red, dashed and crossed, and each cell names the check that blocks it', async () => {
  // Seed 003: the task security group allows no HTTPS out.
  const inv = await account('003');
  const [workload] = selectWorkloads(inv, { kind: 'account' });
  const svg = networkPicture(inv, workload);
  assertWellFormed(svg);
  const words = texts(svg);
  assert.ok(svg.includes('stroke="#c62828" stroke-width="2.4" stroke-dasharray="7 4"'), 'a broken link');
  assert.ok(words.filter((w) => w === '✘').length >= 4, 'crossed marks on the links');
  assert.ok(words.some((w) => w.startsWith('✘ ecr.api endpoint')));
  assert.ok(words.some((w) => w.startsWith('SG-01: ')), 'the blocking check');
  assert.equal(words.filter((w) => w.startsWith('✔ ')).length, 0);
});

test('a path that leaves nowhere is drawn to "no route", and a public subnet without public IPs says so', async () => {
  const inv = await account('004');
  const svg = networkPicture(inv, service(inv, 'cherry-cluster', 'cherry-api'));
  assertWellFormed(svg);
  const words = texts(svg);
  assert.ok(words.includes('no route: dropped'));
  assert.ok(words.includes('internet gateway'));
  assert.ok(words.some((w) => w.startsWith('NET-01: subnet-0c207fdf39f0e0ed1 is a')), words.join('\n'));
  assert.ok(words.includes('s3 (us-east-2)'), 'the env file bucket of another region is its own need');
});

test('legible for three zones and six needs: a bounded size, long names cut with "…", markup escaped', async () => {
  const inv = await account('demo');
  const workload = service(inv, ...ids.nestjs);
  // Six needs: secrets in Secrets Manager and SSM on top of ecr.api, ecr.dkr, s3 and logs.
  const definition = inv.taskDefinitions.get(workload.taskDefinitionArn)!;
  definition.containers[0].secretRefs.push('arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:db-AbCdEf', 'app/api-key');
  inv.subnets.get(ids.privateA)!.name = 'a-very-long-subnet-name <with> "markup" & more, much longer than a column';
  const svg = networkPicture(inv, workload);
  assertWellFormed(svg);
  const words = texts(svg);
  for (const need of ['ecr.api', 'ecr.dkr', 's3', 'logs', 'secretsmanager', 'ssm']) assert.ok(words.includes(need), `a row for ${need}`);
  const { width, height } = size(svg);
  assert.ok(width <= 1600, `width ${width}`);
  assert.ok(height <= 1300, `height ${height}`);
  const cut = words.find((w) => w.includes('a-very-long-subnet-name'))!;
  assert.match(cut, /…$/, 'cut to the column');
  assert.ok(cut.length <= 46, `${cut.length} characters fit a 320-pixel column`);
  assert.ok(svg.includes('a-very-long-subnet-name &lt;with…') && !svg.includes('<with'), 'escaped');
});

test('a workload without task subnets gets a picture that says so', async () => {
  const inv = await account('demo');
  const workload = { ...service(inv, ...ids.nestjs), taskSubnets: [], vpcId: undefined };
  const svg = networkPicture(inv, workload);
  assertWellFormed(svg);
  assert.ok(texts(svg).some((w) => w.includes('has no task subnets')));
});

test('zones are shortened by the region they are in', () => {
  assert.equal(shortZone('ap-northeast-2a', 'ap-northeast-2'), '2a');
  assert.equal(shortZone('us-east-1f', 'us-east-1'), '1f');
  assert.equal(shortZone('use1-az1', 'us-east-1'), 'use1-az1');
});

test('a centralized path: the spoke\'s names go to the hub\'s endpoints over the transit gateway, drawn so, never "no ecr.api" or a red "private DNS off"', async () => {
  const orders = ['orders', 'orders-api'] as const;
  const healthy = await account('hub-spoke-healthy');
  const words = texts(networkPicture(healthy, service(healthy, ...orders)));
  for (const need of ['ecr.api', 'ecr.dkr', 'logs']) {
    assert.ok(!words.includes(`no ${need}`), `no "no ${need}" chip`);
    assert.ok(words.includes(`${need} in vpc-…60718`), `${need} is shown in the hub VPC`);
  }
  assert.ok(!words.some((w) => w.startsWith('private DNS')), 'the hub endpoints are named by the zones, their private DNS is beside the point');
  assert.ok(words.includes('in vpc-0a1b2c3d4e5f60718') && words.includes('→ tgw-02d9eafbcdef01236') && words.includes('by Z04417731QH2D3KP8VX5E'));
  assert.ok(words.some((w) => w.startsWith('✔ ecr.api endpoint in vpc-…60718 over tgw-')));
  // The chips are not ENIs in the spoke's zone: the row says what they are.
  assert.ok(!words.includes('in this zone') && words.includes('or the VPC a zone') && words.includes('sends names to'));

  // Blocked at the transit gateway: the cause is in the cell, not cut off after the asides.
  const broken = await account('hub-spoke');
  const cells = texts(networkPicture(broken, service(broken, ...orders)));
  assert.ok(cells.some((w) => w.startsWith('DNS-02: tgw-rtb-06def012345666a7 has no route')), cells.filter((w) => w.startsWith('DNS-02')).join(' | '));
});
