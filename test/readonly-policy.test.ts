// The shipped least-privilege policy lists exactly the actions the code can send, all of them
// reads, none of them a read of secret values or file contents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { operations, readOnlyRefusal, READ_ACTION } from '../support/aws/operations';

const root = path.join(__dirname, '..');

function policyActions(): string[] {
  const policy = JSON.parse(readFileSync(path.join(root, 'iam', 'readonly-policy.json'), 'utf8'));
  return policy.Statement.flatMap((s: { Effect: string; Action: string[] }) => (s.Effect === 'Allow' ? s.Action : [])).sort();
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sources(file);
    return file.endsWith('.ts') && !file.endsWith('.test.ts') ? [file] : [];
  });
}

/** The operations the code sends: every `gateway.call('…')` and `gateway.pages('…')` in support/ and bin/. */
function operationsInCode(): string[] {
  const found = new Set<string>();
  for (const file of [...sources(path.join(root, 'support')), ...sources(path.join(root, 'bin'))]) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\.(?:call|pages)\(\s*'([a-z0-9-]+:[A-Za-z0-9]+)'/g)) found.add(m[1]);
  }
  return [...found].sort();
}

test('iam/readonly-policy.json grants exactly the actions the code sends through the gateway', () => {
  const inCode = operationsInCode();
  assert.ok(inCode.length >= 20, `the scan finds the loader's calls (${inCode.length})`);
  assert.deepEqual(policyActions(), inCode, 'run npm run policy; an action granted but never sent, or sent but not granted, is a bug');
});

test('the gateway accepts exactly the registered operations, each a read whose SDK command is that action', () => {
  const accepted = Object.keys(operations).filter((op) => readOnlyRefusal(op) === undefined).sort();
  assert.deepEqual(accepted, Object.keys(operations).sort(), 'every registered operation passes the read-only guard');
  assert.deepEqual(accepted, policyActions());
  for (const op of accepted) assert.match(op, READ_ACTION, `${op} is not a read`);
  assert.match(readOnlyRefusal('ec2:RunInstances')!, /not one of the suite's read operations/);
  assert.match(readOnlyRefusal('ec2:CreateVpcEndpoint')!, /not one of the suite's read operations/);
});

test('no granted action reads secret values, parameters, object contents or decrypts', () => {
  const contentReads = /^(secretsmanager:(GetSecretValue|BatchGetSecretValue)|ssm:GetParameters?|ssm:GetParametersByPath|ssm:GetParameterHistory|s3:GetObject.*|kms:Decrypt|ecr:GetAuthorizationToken|ecr:BatchGetImage|ecr:GetDownloadUrlForLayer|sts:AssumeRole.*)$/;
  for (const action of policyActions()) {
    assert.doesNotMatch(action, contentReads, `${action} would read a secret or content`);
    assert.doesNotMatch(action, /\*/, `${action}: no wildcard, every action is named`);
  }
});
