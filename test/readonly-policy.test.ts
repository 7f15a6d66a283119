// The shipped least-privilege policy lists exactly the operations the gateway can send.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { operations } from '../support/aws/operations';

test('iam/readonly-policy.json grants exactly the actions the gateway can call, all of them reads', () => {
  const policy = JSON.parse(readFileSync(path.join(__dirname, '..', 'iam', 'readonly-policy.json'), 'utf8'));
  const granted = policy.Statement.flatMap((s: { Effect: string; Action: string[] }) => (s.Effect === 'Allow' ? s.Action : [])).sort();
  assert.deepEqual(granted, Object.keys(operations).sort(), 'run npm run policy');
  for (const action of granted) assert.match(action, /^[a-z0-9]+:(Describe|List|Get)[A-Za-z]+$/, `${action} is not a read`);
});
