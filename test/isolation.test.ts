// `npm test` leaves the user's reports/ alone: every Cucumber run a test starts writes elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import path from 'node:path';

test('tests write their reports to a temporary folder, never to reports/', () => {
  const dir = process.env.PREFLIGHT_REPORTS_DIR;
  assert.ok(dir, 'PREFLIGHT_REPORTS_DIR is set for every test process (test/helpers/isolate-reports.js)');
  assert.ok(path.resolve(dir).startsWith(path.resolve(tmpdir())), `${dir} is under ${tmpdir()}`);
  const config = require('../cucumber.js') as { default: { format: string[] } };
  for (const format of config.default.format.filter((f) => f.includes(':'))) assert.ok(format.includes(dir), `${format} writes into ${dir}`);
});
