// `npm run explain` answers the seed question: does 52.219.204.42 go through the S3 endpoint or the NAT?
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { npmScript } from './helpers/live-run';

const root = path.resolve(__dirname, '..');

function explain(...args: string[]) {
  const [command, argv] = npmScript('explain', args);
  const result = spawnSync(path.join(root, 'node_modules', '.bin', command), argv, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${path.join(root, 'node_modules', '.bin')}:${process.env.PATH}` },
  });
  return { status: result.status, out: result.stdout, err: result.stderr };
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

test('on the demo account, 52.219.204.42 takes the S3 endpoint from subnet a and a blackhole route from b and c', () => {
  const run = explain('--account', 'demo', '--service', 'cluster-nestjs-second/role-nestjs-second-service', '--to', '52.219.204.42:443');
  assert.equal(run.status, 0, run.err);
  assert.deepEqual(verdicts(run.out), {
    'subnet-0c10e5a1f2e3d4c5a': 'REACHABLE: via gateway endpoint vpce-05353a7b9c1d3e5f7',
    'subnet-0c10e5b6a7b8c9d0b': 'BLOCKED: no way out (the route to nat-0b7e2c4d6f8a0b1c2 is a blackhole)',
    'subnet-0c10e5c1d2e3f4a5c': 'BLOCKED: no way out (the route to nat-0b7e2c4d6f8a0b1c2 is a blackhole)',
  });
  // The seed's i/o timeout: 2b and 2c send S3 to a NAT gateway that was deleted.
  assert.match(run.out, /rtb-0c10e5b1a2b3c4d5b sends 52\.219\.204\.42 by 0\.0\.0\.0\/0 -> nat-0b7e2c4d6f8a0b1c2 \(blackhole\)/);
  assert.match(run.out, /rtb-0c10e5a9b8c7d6e5a sends 52\.219\.204\.42 by pl-78a54011 -> vpce-05353a7b9c1d3e5f7 \(its prefix list pl-78a54011 holds 52\.219\.204\.0\/22/);
});

test('explain refuses a bad --to or an unknown service with one line', () => {
  const bad = explain('--service', 'cluster-nestjs-second/role-nestjs-second-service', '--to', 'example.com:443');
  assert.equal(bad.status, 2);
  assert.match(bad.err.trim(), /^explain: --to "example\.com:443" is not an address and port/);
  const unknown = explain('--service', 'cluster-nestjs-second/orders');
  assert.equal(unknown.status, 2);
  assert.match(unknown.err.trim(), /^explain: service "orders" does not exist in cluster "cluster-nestjs-second"/);
});

test('on the 001 account, 52.219.204.42 takes the S3 endpoint from 2a and has no route from 2c', () => {
  const run = explain('--account', '001', '--service', 'orders/orders-api', '--to', '52.219.204.42:443');
  assert.equal(run.status, 0, run.err);
  assert.deepEqual(verdicts(run.out), {
    'subnet-095455fdf15b28500': 'REACHABLE: via gateway endpoint vpce-031f17ba7e88aebe1',
    'subnet-0a14875d76a4abca7': 'BLOCKED: no way out',
  });
  assert.match(run.out, /✘ NET-02 {2}rtb-02ea3cccad2389f2d has no route to 52\.219\.204\.42/);
  assert.match(run.out, /fix: aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-031f17ba7e88aebe1 --add-route-table-ids rtb-02ea3cccad2389f2d/);
});

test('explain shows why the 004 scheduled task cannot fetch its Ohio env file', () => {
  const run = explain('--account', '004', '--scheduled-task', 'cherry-review-mailer');
  assert.equal(run.status, 0, run.err);
  assert.match(run.out, /^rule\/cherry-review-mailer in account 123456789012, ap-northeast-2/);
  assert.match(run.out, /→ s3 in us-east-2 .*\n(?:.*\n)*? {2}= BLOCKED: no way out/);
  assert.match(run.out, /rtb-033d854e5a0d7fbce has no route to the internet \(0\.0\.0\.0\/0\)/);
});

test('explain --help prints the usage; an unknown option is one line, no stack trace', () => {
  const help = explain('--help');
  assert.equal(help.status, 0);
  assert.match(help.out, /^usage: npm run explain -- --service <cluster>\/<service>/);
  const bogus = explain('--bogus');
  assert.equal(bogus.status, 2);
  assert.match(bogus.err.trim(), /^explain: Unknown option '--bogus'; usage: /);
  assert.doesNotMatch(bogus.err, /\n\s+at /);
});
