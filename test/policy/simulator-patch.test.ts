// The simulator compares ARNs case-insensitively, character by character, with localeCompare and
// options: V8 builds an Intl.Collator per such call (60% of a 2,000-service run). patches/ (applied
// by patch-package on npm install) makes those comparisons share one Collator built once, inside
// the simulator's own files; String.prototype stays the engine's for everyone else.
// (node --test runs each file in its own process, so this file sees a fresh module cache.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ECS_TASK_EXECUTION_POLICY, REGION, ACCOUNT, roleArn } from './builders';

const native = String.prototype.localeCompare;
const descriptor = Object.getOwnPropertyDescriptor(String.prototype, 'localeCompare');

test("String.prototype.localeCompare is the engine's own after the simulator has loaded and evaluated", async () => {
  const { evaluate, simulatorLoaded } = await import('../../support/policy/evaluate');
  const verdict = await evaluate({
    principal: roleArn('exec'),
    action: 'logs:PutLogEvents',
    resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/app:log-stream:*`,
    identityPolicies: [{ name: 'exec', document: ECS_TASK_EXECUTION_POLICY }],
  });
  assert.equal(verdict.decision, 'allowed');
  assert.ok(simulatorLoaded());
  assert.equal(String.prototype.localeCompare, native);
  assert.deepEqual(Object.getOwnPropertyDescriptor(String.prototype, 'localeCompare'), descriptor);
  assert.match(Function.prototype.toString.call(String.prototype.localeCompare), /\[native code\]/);
});

test('the installed simulator compares with one Collator, not localeCompare with options (patches/ applied)', () => {
  // Resolved as the simulator resolves its own dependencies.
  const simulate = path.dirname(require.resolve('@cloud-copilot/iam-simulate'));
  const from = (pkg: string) => path.dirname(require.resolve(pkg, { paths: [simulate] }));
  const patched = [
    path.join(from('@cloud-copilot/iam-utils'), 'resourceTypes.js'),
    path.join(from('@cloud-copilot/iam-policy'), 'utils.js'),
    path.join(simulate, 'services', 'KmsServiceAuthorizer.js'),
  ];
  for (const file of patched) {
    const source = readFileSync(file, 'utf8');
    assert.match(source, /new Intl\.Collator\(undefined, \{ sensitivity: 'accent' \}\)/, `${file}: run npm install (its postinstall applies patches/)`);
    assert.doesNotMatch(source, /\.localeCompare\([^)]*undefined/, `${file} still calls localeCompare with options`);
  }
});

test('the installed simulator matches resource patterns without an array and a string per pair of states (patches/ applied)', () => {
  const simulate = path.dirname(require.resolve('@cloud-copilot/iam-simulate'));
  const file = path.join(path.dirname(require.resolve('@cloud-copilot/iam-utils', { paths: [simulate] })), 'resourceTypes.js');
  const source = readFileSync(file, 'utf8');
  assert.match(source, /const key = firstState \* width \+ secondState;/, `${file}: run npm install (its postinstall applies patches/)`);
  assert.doesNotMatch(source, /queue\.shift\(\)/);
});

test('resource matching still tells which resource types an ARN can be', async () => {
  const { evaluate } = await import('../../support/policy/evaluate');
  const ask = (resource: string) =>
    evaluate({
      principal: roleArn('exec'),
      action: 'logs:PutLogEvents',
      resource,
      identityPolicies: [{ name: 'exec', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/app:log-stream:*` }] } }],
    });
  assert.equal((await ask(`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/app:log-stream:web/app/1`)).decision, 'allowed');
  assert.notEqual((await ask(`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/other:log-stream:web/app/1`)).decision, 'allowed');
});
