// Loaded into every test process (npm run test:unit): runs of Cucumber that tests start, in process
// or as child processes, write their reports to a temporary folder, never to the user's reports/.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

if (!process.env.PREFLIGHT_TEST_REPORTS_ISOLATED) {
  process.env.PREFLIGHT_REPORTS_DIR = mkdtempSync(path.join(tmpdir(), 'preflight-test-reports-'));
  process.env.PREFLIGHT_TEST_REPORTS_ISOLATED = '1';
}
