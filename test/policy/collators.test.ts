// support/policy/evaluate.ts lets the simulator's localeCompare calls share one Intl.Collator per
// sensitivity: the answers must be exactly those of a fresh Collator, and every other call untouched.
// (node --test runs each file in its own process: the change stays in this one.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../support/policy/evaluate';
import { ECS_TASK_EXECUTION_POLICY, REGION, ACCOUNT, roleArn } from './builders';

const original = String.prototype.localeCompare;
const words = ['a', 'A', 'á', 'b', 'arn:aws:logs', 'ARN:AWS:LOGS', 'log-group', 'Log-Group', ':', '/', '*', 'ß', 'ss', 'e\u0301', 'é', ''];

test('after the first evaluation, localeCompare answers as a fresh Collator does, for every sensitivity', async () => {
  await evaluate({
    principal: roleArn('exec'),
    action: 'logs:PutLogEvents',
    resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/app:log-stream:*`,
    identityPolicies: [{ name: 'exec', document: ECS_TASK_EXECUTION_POLICY }],
  });
  assert.notEqual(String.prototype.localeCompare, original, 'the simulator is loaded with collators reused');
  for (const sensitivity of ['base', 'accent', 'case', 'variant'] as const) {
    const fresh = (a: string, b: string) => new Intl.Collator(undefined, { sensitivity }).compare(a, b);
    for (const a of words) for (const b of words) assert.equal(a.localeCompare(b, undefined, { sensitivity }), fresh(a, b), `${a} vs ${b} (${sensitivity})`);
  }
  // Calls with a locale or other options go to the original.
  assert.equal('a'.localeCompare('B', 'de'), original.call('a', 'B', 'de'));
  assert.equal('a'.localeCompare('B', undefined, { numeric: true, sensitivity: 'base' }), original.call('a', 'B', undefined, { numeric: true, sensitivity: 'base' }));
  assert.equal('a'.localeCompare('B'), original.call('a', 'B'));
});
