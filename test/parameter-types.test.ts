// The domain words of feature files: each parameter type accepts what it should, and a typo fails
// its step with one line naming the word and the nearest known one, in a real run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENDPOINT_SERVICES, PATH_TARGETS, parseAddressOrRange, parseEndpointService, parsePathTarget, parsePort } from '../support/vocabulary';
import { featureFiles, runFeatures } from './helpers/run-features';

test('endpoint services: every known one is accepted, a typo gets the nearest one', () => {
  for (const service of ENDPOINT_SERVICES) assert.equal(parseEndpointService(service), service);
  assert.throws(() => parseEndpointService('ecr.dkrr'), { message: /^unknown endpoint service 'ecr\.dkrr'; did you mean 'ecr\.dkr'\?/ });
  assert.throws(() => parseEndpointService('secretmanager'), { message: /did you mean 'secretsmanager'\?/ });
  // Nothing near: no suggestion, but the list of known services.
  assert.throws(() => parseEndpointService('elasticache'), (e: Error) => !e.message.includes('did you mean') && e.message.includes('known: ecr.api'));
});

test('addresses and ranges: IPv4, IPv6 and CIDR are accepted, anything else is refused', () => {
  assert.equal(parseAddressOrRange('52.219.204.42'), '52.219.204.42');
  assert.equal(parseAddressOrRange('0.0.0.0/0'), '0.0.0.0/0');
  assert.equal(parseAddressOrRange('2600:1f18::1'), '2600:1f18::1');
  assert.throws(() => parseAddressOrRange('300.1.1.1'), { message: /^'300\.1\.1\.1' is not an IP address or CIDR range/ });
  assert.throws(() => parseAddressOrRange('10.0.0.0/33'), { message: /is not an IP address or CIDR range/ });
});

test('ports: 1 to 65535', () => {
  assert.equal(parsePort('443'), 443);
  assert.equal(parsePort('65535'), 65535);
  assert.throws(() => parsePort('0'), { message: 'port 0 is not between 1 and 65535' });
  assert.throws(() => parsePort('70000'), { message: 'port 70000 is not between 1 and 65535' });
});

test('path targets: the known phrases, and a suggestion for a misspelt one', () => {
  for (const [phrase, target] of Object.entries(PATH_TARGETS)) assert.equal(parsePathTarget(phrase), target);
  assert.throws(() => parsePathTarget('a NAT gatway'), { message: /^unknown path target 'a NAT gatway'; did you mean 'a NAT gateway'\?/ });
});

test('in a run, each mistyped word fails its step with one line, and the scenario around it is named', async () => {
  const [file] = featureFiles({
    'typos.feature': `Feature: Typos

  Scenario: endpoint typo
    Given every service in the account
    Then every task subnet is covered by the ecr.dkrr interface endpoint

  Scenario: port typo
    Given every service in the account
    Then every task subnet can reach 0.0.0.0/0 on port 70000

  Scenario: target typo
    Given every service in the account
    Then from every task subnet, 52.219.204.42 on port 443 goes through a NAT gatway

  Scenario: cluster typo
    Given every service in cluster "cluster-nestjs-secnd"
    Then every task subnet is covered by the ecr.dkr interface endpoint
`,
  });
  const { success, scenarios } = await runFeatures([file], { account: 'demo' });
  assert.equal(success, false);
  const expected: Record<string, RegExp> = {
    'endpoint typo': /^unknown endpoint service 'ecr\.dkrr'; did you mean 'ecr\.dkr'\?/,
    'port typo': /^port 70000 is not between 1 and 65535/,
    'target typo': /^unknown path target 'a NAT gatway'; did you mean 'a NAT gateway'\?/,
    'cluster typo': /^cluster "cluster-nestjs-secnd" does not exist .*did you mean "cluster-nestjs-second"/,
  };
  for (const [name, pattern] of Object.entries(expected)) {
    const run = scenarios.get(name)!;
    assert.equal(run.status, 'FAILED', name);
    assert.match(run.message!, pattern);
    assert.equal(run.message!.trim().split('\n').length, 1, `${name}: one line, no stack trace:\n${run.message}`);
  }
});

test('ECS cluster and service names are quoted words of ECS\'s own alphabet', async () => {
  const { parseEcsName } = await import('../support/vocabulary');
  assert.equal(parseEcsName('cluster')('"cluster-nestjs-second"'), 'cluster-nestjs-second');
  assert.throws(() => parseEcsName('service')('"orders api"'), /^InputError: "orders api" is not an ECS service name: use letters, digits, hyphens and underscores only/);
  assert.throws(() => parseEcsName('cluster')('""'), /"" is not an ECS cluster name/);
});
