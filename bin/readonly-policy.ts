// Writes iam/readonly-policy.json: exactly the read actions the gateway can send.
//   npm run policy
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { operations } from '../support/aws/operations';

const policy = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'EcsPreflightReadOnly', Effect: 'Allow', Action: Object.keys(operations).sort(), Resource: '*' }],
};
const file = path.join(__dirname, '..', 'iam', 'readonly-policy.json');
writeFileSync(file, `${JSON.stringify(policy, null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), file)}: ${policy.Statement[0].Action.length} actions`);
