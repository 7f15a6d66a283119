// The feature files against each bundled account, through Cucumber's JavaScript API: exactly
// which scenarios pass and fail, and the IDs each failure names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runSuite } from './helpers/run-suite';
import { ids } from './helpers/accounts';

/** Per scenario: undefined = passes; otherwise the IDs its failure must name and those it must not. */
type Expected = Record<string, undefined | { names: string[]; notNames?: string[] }>;

const scenarios = {
  ecrApiExists: 'The ecr.api interface endpoint exists and is available',
  ecrDkrExists: 'The ecr.dkr interface endpoint exists and is available',
  ecrApiCovers: 'The ecr.api interface endpoint covers the zone of every task subnet',
  ecrDkrCovers: 'The ecr.dkr interface endpoint covers the zone of every task subnet',
  ecrApiDns: 'The ecr.api interface endpoint resolves privately',
  ecrDkrDns: 'The ecr.dkr interface endpoint resolves privately',
  s3Routes: 'Every task subnet of every service routes S3 through the gateway endpoint',
  net01: 'Task subnets are private, or public with public IPs',
  net02: 'Every task subnet reaches everything its tasks need',
  net03: 'S3 traffic from the tasks goes through the S3 gateway endpoint, not the NAT gateway',
  rt01: 'Routes the tasks depend on lead somewhere',
  ep07: 'Logs and secrets endpoints exist where there is no NAT path',
  egress: 'Services that call the internet reach it over HTTPS',
  sg01: 'Task security groups allow HTTPS out',
  sg02: 'Endpoint security groups allow HTTPS in from the tasks',
  nacl01: 'Task subnet NACLs allow HTTPS out and the replies back',
  nacl02: 'Endpoint and NAT subnet NACLs allow HTTPS in and the replies back',
  td02: "Env files are in the task's region or reachable over NAT",
  td03: "Images are in the region's ECR or reachable over NAT",
  ep06: "The S3 gateway endpoint's policy lets tasks read layers and env files",
};

/** Every scenario passes, except those given. */
function passingExcept(failures: Expected): Expected {
  return { ...Object.fromEntries(Object.values(scenarios).map((name) => [name, undefined])), ...failures };
}

const expectations: Record<string, Expected> = {
  demo: passingExcept({
    [scenarios.ecrApiCovers]: { names: ['EP-03', ids.ecrApi, ids.privateC, 'ap-northeast-2c', ids.mainTable], notNames: [ids.privateA, ids.privateB] },
    [scenarios.ecrDkrCovers]: { names: ['EP-03', ids.ecrDkr, ids.privateB, 'ap-northeast-2b', ids.tableB, ids.privateC, 'ap-northeast-2c'], notNames: [ids.privateA] },
    [scenarios.ecrDkrDns]: { names: ['EP-04', ids.ecrDkr, '--private-dns-enabled'], notNames: [ids.ecrApi] },
    [scenarios.s3Routes]: { names: ['EP-05', ids.s3Gateway, ids.tableB, ids.privateB, ids.mainTable, ids.privateC, '--add-route-table-ids'], notNames: [ids.tableA] },
    [scenarios.net03]: { names: ['NET-03', ids.privateB, ids.tableB, ids.privateC, ids.mainTable, ids.nat, '52.219.204.42'], notNames: [ids.privateA] },
  }),
  healthy: passingExcept({}),
  // Seed 001: the S3 route is on the 2a private table only, and there is no NAT.
  '001': passingExcept({
    [scenarios.net02]: { names: ['subnet-0a14875d76a4abca7', 'rtb-02ea3cccad2389f2d', 's3 in ap-northeast-2'], notNames: ['subnet-095455fdf15b28500'] },
    [scenarios.net03]: { names: ['subnet-0a14875d76a4abca7', 'goes through nowhere'], notNames: ['subnet-095455fdf15b28500'] },
    [scenarios.s3Routes]: { names: ['rtb-02ea3cccad2389f2d', 'vpce-031f17ba7e88aebe1', 'subnet-0a14875d76a4abca7'], notNames: ['rtb-05da9ba4d7d109b67'] },
  }),
  '001-healthy': passingExcept({}),
  // Seed 002: no endpoints and no NAT; GetAuthorizationToken times out.
  '002': passingExcept({
    [scenarios.ecrApiExists]: { names: ['EP-01', 'vpc-0caf4de178eff8153', 'create-vpc-endpoint', 'com.amazonaws.ap-northeast-2.ecr.api'] },
    [scenarios.ecrDkrExists]: { names: ['EP-02', 'vpc-0caf4de178eff8153', 'com.amazonaws.ap-northeast-2.ecr.dkr'] },
    [scenarios.ecrApiCovers]: { names: ['subnet-0012fc0b626de18df', 'subnet-077f527ef72601d1a'] },
    [scenarios.ecrDkrCovers]: { names: ['subnet-0012fc0b626de18df', 'subnet-077f527ef72601d1a'] },
    [scenarios.ecrApiDns]: { names: ['vpc-0caf4de178eff8153'] },
    [scenarios.ecrDkrDns]: { names: ['vpc-0caf4de178eff8153'] },
    [scenarios.net02]: { names: ['subnet-0012fc0b626de18df', 'rtb-060ba627a96b95ecb', 'subnet-077f527ef72601d1a', 'rtb-0022f21aca9680b71', 'ecr.api', 'secretsmanager', 'logs'] },
    [scenarios.net03]: { names: ['subnet-0012fc0b626de18df', 'subnet-077f527ef72601d1a'] },
    [scenarios.ep07]: { names: ['EP-07', 'vpc-0caf4de178eff8153', 'com.amazonaws.ap-northeast-2.logs', 'com.amazonaws.ap-northeast-2.secretsmanager'] },
    [scenarios.s3Routes]: { names: ['vpc-0caf4de178eff8153', '--vpc-endpoint-type Gateway', 'rtb-060ba627a96b95ecb', 'rtb-0022f21aca9680b71'] },
  }),
  '002-healthy': passingExcept({}),
  // Seed 003: the task group has no HTTPS egress and a NACL deny (rule 90) sits ahead of the allow.
  '003': passingExcept({
    [scenarios.net02]: { names: ['subnet-0af2844a8a7be8187', 'subnet-0a94a8c0402880dc6'] },
    [scenarios.egress]: { names: ['cherry-prod/cherryrecorder-server', '0.0.0.0/0 on port 443', 'sg-0256f10dad9b48a29'] },
    [scenarios.sg01]: { names: ['sg-0256f10dad9b48a29', 'authorize-security-group-egress', 'pl-78a54011'] },
    [scenarios.nacl01]: { names: ['acl-0adf5975a026a6749', 'rule 90', 'delete-network-acl-entry', 'subnet-0af2844a8a7be8187', 'subnet-0a94a8c0402880dc6'] },
  }),
  '003-healthy': passingExcept({}),
  // Seed 004: an env file in Ohio for Seoul tasks without NAT; a public task subnet without public IPs.
  '004': passingExcept({
    [scenarios.net01]: { names: ['subnet-0c207fdf39f0e0ed1', 'igw-047c8ac93fe069359', 'assignPublicIp DISABLED'], notNames: ['subnet-0eeb05ea6f4af428e'] },
    [scenarios.net02]: { names: ['subnet-0eeb05ea6f4af428e', 'subnet-0c207fdf39f0e0ed1', 's3 in us-east-2'] },
    [scenarios.net03]: { names: ['subnet-0c207fdf39f0e0ed1'], notNames: ['subnet-0eeb05ea6f4af428e'] },
    [scenarios.s3Routes]: { names: ['subnet-0c207fdf39f0e0ed1', 'rtb-0e72e8b1464a57701'] },
    [scenarios.td02]: { names: ['TD-02', 'cherry-env-prod', 'us-east-2', 'subnet-0eeb05ea6f4af428e', 'rtb-0e067d82a76205b2d', 'create-route'] },
  }),
  '004-healthy': passingExcept({}),
};

for (const [accountName, expected] of Object.entries(expectations)) {
  test(`on the ${accountName} account exactly the expected scenarios fail, naming their offenders`, async () => {
    const { success, scenarios: results } = await runSuite(accountName);
    assert.deepEqual([...results.keys()].sort(), Object.keys(expected).sort(), 'every scenario has an expectation');
    assert.ok(results.size > 0);
    for (const [name, expectation] of Object.entries(expected)) {
      const result = results.get(name)!;
      if (!expectation) {
        assert.equal(result.status, 'PASSED', `${name} should pass on ${accountName}: ${result.message}`);
        continue;
      }
      assert.equal(result.status, 'FAILED', `${name} should fail on ${accountName}`);
      for (const id of expectation.names) assert.ok(result.message?.includes(id), `${name}: failure should name ${id}\n${result.message}`);
      for (const id of expectation.notNames ?? []) assert.ok(!result.message?.includes(id), `${name}: failure should not name ${id}`);
      assert.doesNotMatch(result.message!, /\n\s+at /, 'no stack trace');
    }
    assert.equal(success, Object.values(expected).every((e) => e === undefined));
  });
}

test('every bundled account has expectations', async () => {
  const { bundledAccounts } = await import('../support/target');
  assert.deepEqual(bundledAccounts(), Object.keys(expectations).sort());
});

test('the JUnit and HTML reports carry each failure with its offenders and fix', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-reports-'));
  const junit = path.join(dir, 'junit.xml');
  const html = path.join(dir, 'cucumber.html');
  await runSuite('demo', { [junit]: 'junit', [html]: 'html' });
  const xml = readFileSync(junit, 'utf8');
  assert.match(xml, /<testsuite name="ecs-preflight" [^>]*tests="20"[^>]*failures="5"/);
  assert.match(xml, new RegExp(`<failure type="CheckFailure" message="EP-05 failed[^"]*${ids.tableB}`));
  const page = readFileSync(html, 'utf8');
  assert.ok(page.includes(`aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${ids.s3Gateway} --add-route-table-ids ${ids.mainTable}`));
});
