// Profiles: `default` replays a bundled account (PREFLIGHT_ACCOUNT=demo|healthy|<snapshot.json>,
// demo by default); `live` reads the account of the standard AWS environment
// (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL are honoured by the SDK).
// Waivers: waivers.json, or the file PREFLIGHT_WAIVERS names; PREFLIGHT_TODAY fixes the date they
// are judged on. The JUnit report is the suite's own (support/junit-report.ts): it carries each
// offender's detail in the test case output.
// PREFLIGHT_REPORTS_DIR moves the reports (a CI artifacts folder; the tests' temporary folders).
const reports = process.env.PREFLIGHT_REPORTS_DIR || 'reports';

// Feature files that do not parse are left out of a run without paths, and reported (support/feature-plan.js).
const paths = require('./support/feature-plan.js').plannedPaths(__dirname);

const common = {
  ...(paths ? { paths } : {}),
  // TypeScript transpiled once and cached (support/register-ts.js); no type-checking at run time: `npm test` does it.
  requireModule: [require('node:path').join(__dirname, 'support', 'register-ts.js')],
  require: ['support/world.ts', 'support/hooks.ts', 'support/parameter-types.ts', 'support/feature-problem.steps.ts', 'steps/**/*.ts'],
  format: [
    './support/console-summary.ts',
    `html:${reports}/cucumber.html`,
    `./support/junit-report.ts:${reports}/junit.xml`,
    `./support/results-report.ts:${reports}/results.json`,
    `./support/summary-page.ts:${reports}/index.html`,
  ],
  formatOptions: { junit: { suiteName: 'ecs-preflight' } },
};

module.exports = {
  default: {
    ...common,
    worldParameters: { target: { mode: 'replay', account: process.env.PREFLIGHT_ACCOUNT || 'demo' } },
  },
  live: {
    ...common,
    worldParameters: { target: { mode: 'live' } },
  },
};
