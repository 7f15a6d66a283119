// `npm run explain` answers the seed question: does 52.219.204.42 go through the S3 endpoint or the NAT?
// What it prints is tested in this process; what the command does with a mistake (exit code 2, one
// line on stderr, no stack trace) is tested on the command itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { explain } from '../bin/explain';
import { npmScript } from './helpers/live-run';

const root = path.resolve(__dirname, '..');

/** `npm run explain -- <args>` as a child process: its exit code, stdout and stderr. */
function explainCommand(...args: string[]) {
  const [command, argv] = npmScript('explain', args);
  const result = spawnSync(path.join(root, 'node_modules', '.bin', command), argv, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${path.join(root, 'node_modules', '.bin')}:${process.env.PATH}` },
  });
  return { status: result.status, out: result.stdout, err: result.stderr };
}

/** What `npm run explain -- <args>` prints on stdout, run in this process. */
async function explained(...args: string[]): Promise<string> {
  const lines: string[] = [];
  await explain(args, (line) => lines.push(line));
  return lines.map((line) => `${line}\n`).join('');
}

/** The verdict line printed under each subnet's block, keyed by subnet ID. */
function verdicts(out: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const block of out.split('\n\n')) {
    const subnet = block.match(/^(subnet-[0-9a-f]+)/)?.[1];
    const verdict = block.match(/^ {2}= (.*)$/m)?.[1];
    if (subnet && verdict) result[subnet] = verdict;
  }
  return result;
}

test('on the demo account, 52.219.204.42 takes the S3 endpoint from subnet a and a blackhole route from b and c', async () => {
  const out = await explained('--account', 'demo', '--service', 'cluster-nestjs-second/role-nestjs-second-service', '--to', '52.219.204.42:443');
  assert.deepEqual(verdicts(out), {
    'subnet-0c10e5a1f2e3d4c5a': 'REACHABLE: via gateway endpoint vpce-05353a7b9c1d3e5f7',
    'subnet-0c10e5b6a7b8c9d0b': 'BLOCKED: no way out (the route to nat-0b7e2c4d6f8a0b1c2 is a blackhole)',
    'subnet-0c10e5c1d2e3f4a5c': 'BLOCKED: no way out (the route to nat-0b7e2c4d6f8a0b1c2 is a blackhole)',
  });
  // The seed's i/o timeout: 2b and 2c send S3 to a NAT gateway that was deleted.
  assert.match(out, /rtb-0c10e5b1a2b3c4d5b sends 52\.219\.204\.42 by 0\.0\.0\.0\/0 -> nat-0b7e2c4d6f8a0b1c2 \(blackhole\)/);
  assert.match(out, /rtb-0c10e5a9b8c7d6e5a sends 52\.219\.204\.42 by pl-78a54011 -> vpce-05353a7b9c1d3e5f7 \(its prefix list pl-78a54011 holds 52\.219\.204\.0\/22/);
});

test('explain refuses a bad --to or an unknown service with one line', () => {
  const bad = explainCommand('--service', 'cluster-nestjs-second/role-nestjs-second-service', '--to', 'example.com:443');
  assert.equal(bad.status, 2);
  assert.match(bad.err.trim(), /^explain: --to "example\.com:443" is not an address and port/);
  const unknown = explainCommand('--service', 'cluster-nestjs-second/orders');
  assert.equal(unknown.status, 2);
  assert.match(unknown.err.trim(), /^explain: service "orders" does not exist in cluster "cluster-nestjs-second"/);
});

test('on the 001 account, 52.219.204.42 takes the S3 endpoint from 2a and has no route from 2c', async () => {
  const out = await explained('--account', '001', '--service', 'orders/orders-api', '--to', '52.219.204.42:443');
  assert.deepEqual(verdicts(out), {
    'subnet-095455fdf15b28500': 'REACHABLE: via gateway endpoint vpce-031f17ba7e88aebe1',
    'subnet-0a14875d76a4abca7': 'BLOCKED: no way out',
  });
  assert.match(out, /✘ NET-02 {2}rtb-02ea3cccad2389f2d has no route to 52\.219\.204\.42/);
  assert.match(out, /fix: aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-031f17ba7e88aebe1 --add-route-table-ids rtb-02ea3cccad2389f2d/);
});

test('explain shows why the 004 scheduled task cannot fetch its Ohio env file', async () => {
  const out = await explained('--account', '004', '--scheduled-task', 'cherry-review-mailer');
  assert.match(out, /^rule\/cherry-review-mailer in account 123456789012, ap-northeast-2/);
  assert.match(out, /→ s3 in us-east-2 .*\n(?:.*\n)*? {2}= BLOCKED: no way out/);
  assert.match(out, /rtb-033d854e5a0d7fbce has no route to the internet \(0\.0\.0\.0\/0\)/);
});

test('explain --help prints the usage; an unknown option is one line, no stack trace', () => {
  const help = explainCommand('--help');
  assert.equal(help.status, 0);
  assert.match(help.out, /^usage: npm run explain -- --service <cluster>\/<service>/);
  const bogus = explainCommand('--bogus');
  assert.equal(bogus.status, 2);
  assert.match(bogus.err.trim(), /^explain: Unknown option '--bogus'; usage: /);
  assert.doesNotMatch(bogus.err, /\n\s+at /);
});

test('explain shows the free addresses of each task subnet and what the deployments there take (NET-04)', async () => {
  const out = await explained('--service', 'checkout/checkout-api', '--account', 'net04');
  assert.match(out, /\n {2}subnet-0c4e9a2f7d13b6085 \(us-east-1a, 10\.64\.0\.0\/27\): 8 free addresses; deploying or running at once, they take 16 more \(checkout\/checkout-api 6, checkout\/checkout-worker 10\): 8 short\n/);
  assert.match(out, /\n {2}subnet-09f2b7d5e1a84c36d \(us-east-1b, 10\.64\.0\.32\/27\): 18 free addresses; a deployment takes 6 more \(checkout\/checkout-api 6\): enough\n/);
  const healthy = await explained('--service', 'checkout/checkout-api', '--account', 'net04-healthy');
  assert.match(healthy, /subnet-0c4e9a2f7d13b6085 \(us-east-1a, 10\.64\.0\.0\/24\): 232 free addresses; .*: enough\n/);
});

test('a path no answer verifies says what cannot be verified and why: the unseen resolver, naming its DHCP option set', async () => {
  const out = await explained('--account', 'dns-custom', '--service', 'billing/billing-api');
  assert.doesNotMatch(out, /via cannot be verified/);
  assert.match(
    out,
    /^ {2}= CANNOT BE VERIFIED: api\.ecr\.us-east-1\.amazonaws\.com is resolved by the custom DNS servers 10\.20\.0\.10, 10\.20\.1\.10 of DHCP option set dopt-0a7c3e91d24b6f805, which the suite cannot see \(DNS-01\)$/m,
  );
});
