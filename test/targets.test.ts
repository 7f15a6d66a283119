// The targets file of a nightly run over several accounts and regions (docs/TARGETS.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readTargets } from '../support/targets';
import { liveLimits, regionOf } from '../support/target';
import { UsageError } from '../support/errors';

const dir = mkdtempSync(path.join(tmpdir(), 'preflight-targets-'));

function file(name: string, content: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, content);
  return f;
}

test('a targets file lists named live targets with their region, role, external ID, session name or profile', () => {
  const f = file(
    'ok.json',
    JSON.stringify([
      { name: 'prod-seoul', region: 'ap-northeast-2', roleArn: 'arn:aws:iam::123456789012:role/ecs-preflight-readonly', externalId: 'nightly-7f3a', sessionName: 'nightly' },
      { name: 'dev.tokyo', region: 'ap-northeast-1', profile: 'dev-sso' },
    ]),
  );
  assert.deepEqual(readTargets(f), [
    { mode: 'live', name: 'prod-seoul', region: 'ap-northeast-2', roleArn: 'arn:aws:iam::123456789012:role/ecs-preflight-readonly', externalId: 'nightly-7f3a', sessionName: 'nightly' },
    { mode: 'live', name: 'dev.tokyo', region: 'ap-northeast-1', profile: 'dev-sso' },
  ]);
});

test('every problem in a targets file is one line naming the file, the entry and the field', () => {
  const cases: [string, string, RegExp][] = [
    ['not-json.json', '[{"name": "a",', /not-json\.json is not valid JSON/],
    ['object.json', '{"targets": []}', /must be a non-empty JSON array of targets/],
    ['empty.json', '[]', /must be a non-empty JSON array/],
    ['typo.json', '[{"name": "a", "region": "ap-northeast-2", "roleARN": "x"}]', /entry 1 \("a"\): unknown field "roleARN" \(fields: name, region, roleArn, externalId, sessionName, profile\)/],
    ['no-name.json', '[{"region": "ap-northeast-2"}]', /entry 1: "name" is required/],
    ['bad-name.json', '[{"name": "../etc", "region": "ap-northeast-2"}]', /"name" is required: letters, digits/],
    ['twice.json', '[{"name": "a", "region": "ap-northeast-2"}, {"name": "a", "region": "ap-northeast-1"}]', /entry 2 \("a"\): "name" "a" is used twice/],
    ['no-region.json', '[{"name": "a"}]', /"region" is required/],
    ['bad-role.json', '[{"name": "a", "region": "ap-northeast-2", "roleArn": "arn:aws:iam::12345:user/x"}]', /"roleArn" must be an IAM role ARN/],
    ['orphan-id.json', '[{"name": "a", "region": "ap-northeast-2", "externalId": "x1"}]', /"externalId" needs "roleArn"/],
    ['number.json', '[{"name": "a", "region": 7}]', /"region" must be a string/],
  ];
  for (const [name, content, expected] of cases) {
    assert.throws(() => readTargets(file(name, content)), (error: Error) => {
      assert.ok(error instanceof UsageError, name);
      assert.match(error.message, expected);
      assert.ok(!error.message.includes('\n'), `${name}: one line`);
      return true;
    });
  }
  assert.throws(() => readTargets(path.join(dir, 'missing.json')), /targets file .*missing\.json cannot be read: check PREFLIGHT_TARGETS/);
});

test('a region is checked against the SDK partitions, with a suggestion for a typo', () => {
  assert.equal(regionOf({ mode: 'live', region: 'eu-central-1' }), 'eu-central-1');
  assert.throws(() => regionOf({ mode: 'live', region: 'eu-centrl-1' }), /^UsageError: unknown AWS region "eu-centrl-1" for the live run \(did you mean "eu-central-1"\?\)/);
  assert.throws(() => regionOf({ mode: 'live', name: 'prod', region: 'moon-1' }), /unknown AWS region "moon-1" for target "prod"/);
});

test('live limits come from the environment, bounded, and a bad value is one line', () => {
  assert.deepEqual(liveLimits({}), { requestTimeoutMs: 10_000, maxAttempts: 5, callTimeoutMs: 120_000 });
  assert.deepEqual(liveLimits({ PREFLIGHT_REQUEST_TIMEOUT_MS: '2500', PREFLIGHT_MAX_ATTEMPTS: '3' }), { requestTimeoutMs: 2500, maxAttempts: 3, callTimeoutMs: 120_000 });
  assert.throws(() => liveLimits({ PREFLIGHT_MAX_ATTEMPTS: '50' }), /^UsageError: PREFLIGHT_MAX_ATTEMPTS must be a whole number from 1 to 10, not "50"$/);
  assert.throws(() => liveLimits({ PREFLIGHT_REQUEST_TIMEOUT_MS: 'soon' }), /PREFLIGHT_REQUEST_TIMEOUT_MS must be a whole number/);
});
