// Loaded into every test process (npm run test:unit). The first, the test runner itself, makes one
// temporary folder for the whole run and removes it when the run ends: every temporary file a test
// or a Cucumber run makes goes there (TMPDIR), and every report a Cucumber run writes goes to its
// reports folder (PREFLIGHT_REPORTS_DIR), never to the user's reports/ and never left behind.
const { mkdirSync, mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

if (!process.env.PREFLIGHT_TEST_REPORTS_ISOLATED) {
  const root = mkdtempSync(path.join(tmpdir(), 'preflight-test-run-'));
  process.env.TMPDIR = root;
  process.env.PREFLIGHT_REPORTS_DIR = path.join(root, 'reports');
  mkdirSync(process.env.PREFLIGHT_REPORTS_DIR);
  process.env.PREFLIGHT_TEST_REPORTS_ISOLATED = '1';
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
}
