// `npm run check` as a user runs it: exit codes and the one line a bad input gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const cucumber = path.join(root, 'node_modules', '.bin', 'cucumber-js');

/** Runs the suite with a clean AWS environment: no profile, no metadata service, only 127.0.0.1. */
function check(args: string[], env: Record<string, string>) {
  const reports = mkdtempSync(path.join(tmpdir(), 'preflight-reports-'));
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && k !== 'PREFLIGHT_ACCOUNT'));
  const result = spawnSync(cucumber, [...args, '--format', `junit:${path.join(reports, 'junit.xml')}`], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...clean,
      PATH: `${path.join(root, 'node_modules', '.bin')}:${process.env.PATH}`,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: path.join(reports, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(reports, 'no-credentials'),
      ...env,
    },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function assertOneLine(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(stderr, /\n\s+at /);
}

test('a malformed snapshot ends the run with exit code 2 and one line naming it', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-'));
  const file = path.join(dir, 'broken.json');
  writeFileSync(file, '{"snapshotVersion": 1, "account": "123456789012"');
  const run = check([], { PREFLIGHT_ACCOUNT: file });
  assert.equal(run.status, 2);
  assertOneLine(run.stderr, /^ecs-preflight: snapshot .*broken\.json is not valid JSON/);
});

test('an unknown bundled account ends the run with exit code 2, listing the accounts there are', () => {
  const run = check([], { PREFLIGHT_ACCOUNT: 'demoo' });
  assert.equal(run.status, 2);
  assertOneLine(run.stderr, /^ecs-preflight: unknown account "demoo" \(did you mean "demo"\?\): use one of .*demo.*healthy/);
});

test('the live profile without credentials ends with exit code 2 and says what to set', () => {
  const run = check(['--profile', 'live'], { AWS_REGION: 'ap-northeast-2', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
  assert.equal(run.status, 2);
  assertOneLine(run.stderr, /^ecs-preflight: no valid AWS credentials for \S+ in ap-northeast-2 .*set AWS_PROFILE/);
});

test('the live profile without a region ends with exit code 2 and says to set AWS_REGION', () => {
  const run = check(['--profile', 'live'], {});
  assert.equal(run.status, 2);
  assertOneLine(run.stderr, /^ecs-preflight: no AWS region for the live run: set AWS_REGION/);
});

/** What a CI parser relies on: one suite whose counts match its cases, each case closed, nothing after the suite. */
function assertJunit(xml: string): void {
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuite name="[^"]+" tests="(\d+)" failures="(\d+)" skipped="(\d+)" errors="(\d+)" time="[\d.]+">\n/);
  const [, tests, failures, skipped, errors] = xml.match(/tests="(\d+)" failures="(\d+)" skipped="(\d+)" errors="(\d+)"/)!.map(Number);
  assert.equal(xml.match(/<testcase /g)?.length ?? 0, tests);
  assert.equal(xml.match(/<\/testcase>/g)?.length ?? 0, tests);
  assert.equal(xml.match(/<failure /g)?.length ?? 0, failures);
  assert.equal(xml.match(/<skipped /g)?.length ?? 0, skipped);
  assert.equal(xml.match(/<error /g)?.length ?? 0, errors);
  assert.match(xml, /<\/testsuite>\n$/);
}

test('the demo account fails with exit code 1; the healthy account passes with 0; both leave a JUnit report CI can read', () => {
  for (const [account, code] of [
    ['demo', 1],
    ['healthy', 0],
  ] as const) {
    const reports = mkdtempSync(path.join(tmpdir(), 'preflight-exit-'));
    assert.equal(check([], { PREFLIGHT_ACCOUNT: account, PREFLIGHT_REPORTS_DIR: reports }).status, code);
    assertJunit(readFileSync(path.join(reports, 'junit.xml'), 'utf8'));
  }
});

test('an exit-2 run still leaves a JUnit file that parses, with an <error> saying why, and an HTML report that says it', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-stop-'));
  const file = path.join(dir, 'broken.json');
  writeFileSync(file, '{"snapshotVersion": 1');
  const reports = path.join(dir, 'reports');
  const run = check([], { PREFLIGHT_ACCOUNT: file, PREFLIGHT_REPORTS_DIR: reports });
  assert.equal(run.status, 2);
  assertOneLine(run.stderr, /^ecs-preflight: snapshot .*broken\.json is not valid JSON/);
  assert.match(run.stdout, /\n\d+ scenarios: 1 could not be evaluated, \d+ skipped\. Full reports: /, 'counted as JUnit counts it: no check failed');
  const xml = readFileSync(path.join(reports, 'junit.xml'), 'utf8');
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuite name="ecs-preflight" tests="(\d+)" failures="0" skipped="(\d+)" errors="1"/);
  assertJunit(xml);
  assert.match(xml, /<error type="RunStopped" message="the run stopped: snapshot [^"]*broken\.json is not valid JSON/);
  assert.match(xml, /<\/testsuite>\n$/);
  const [, tests, skipped] = xml.match(/tests="(\d+)" failures="0" skipped="(\d+)"/)!;
  assert.equal(Number(skipped), Number(tests) - 1, 'the scenarios after the stop are skipped, not run');
  assert.ok(readFileSync(path.join(reports, 'cucumber.html'), 'utf8').includes('the run stopped: snapshot'));
});

function feature(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

test('a feature file Gherkin cannot parse: exit 2, the file, line and keyword on the console, and a JUnit <error> that parses', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-broken-'));
  const broken = feature(dir, 'broken.feature', 'Feature: Broken\n\n  @EP-05 @medium\n  Scenario: S3 routes\n    Given every service in the account\n    Thn the route table of every task subnet routes S3 through the gateway endpoint\n');
  const reports = path.join(dir, 'reports');
  const run = check([broken], { PREFLIGHT_ACCOUNT: 'demo', PREFLIGHT_REPORTS_DIR: reports });
  assert.equal(run.status, 2);
  assert.match(run.stdout, /Feature files that could not be run\n {2}✘ \S*broken\.feature:6: "Thn the route table .*" is not a line Gherkin expects here \(did you mean "Then"\?\)/);
  const xml = readFileSync(path.join(reports, 'junit.xml'), 'utf8');
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuite name="ecs-preflight" tests="1" failures="0" skipped="0" errors="1"/);
  assertJunit(xml);
  assert.match(xml, /<testcase classname="feature files" name="\S*broken\.feature:6"[^>]*>\n {4}<error type="FeatureFileError" message="[^"]*did you mean &quot;Then&quot;/);
  assert.match(xml, /<\/testsuite>\n$/);
  // Cucumber leaves its HTML report empty when nothing runs; the page says what stopped the run.
  const html = readFileSync(path.join(reports, 'cucumber.html'), 'utf8');
  assert.match(html, /<h1>No scenario ran: feature files could not be read<\/h1>/);
  assert.match(html, /broken\.feature:6: &quot;Thn the route table/);
});

test('a Scenario Outline with an empty Examples table is an error naming its line, not a silent pass; the other scenarios still run', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-empty-'));
  const empty = feature(dir, 'empty.feature', 'Feature: Empty outline\n\n  @EP-03 @medium\n  Scenario Outline: The <endpoint> endpoint covers every zone\n    Given every service in the account\n    Then every task subnet is covered by the <endpoint> interface endpoint\n\n    Examples:\n      | endpoint |\n');
  const reports = path.join(dir, 'reports');
  const run = check([empty, path.join(root, 'features', 'configuration.feature')], { PREFLIGHT_ACCOUNT: 'healthy', PREFLIGHT_REPORTS_DIR: reports });
  assert.equal(run.status, 2);
  assert.match(run.stdout, /✘ \S*empty\.feature:8: the Examples table of "The <endpoint> endpoint covers every zone" \(line 4\) has no rows/);
  const xml = readFileSync(path.join(reports, 'junit.xml'), 'utf8');
  assertJunit(xml);
  assert.match(xml, /tests="2" failures="0" skipped="0" errors="1"/);
  assert.match(xml, /name="INV-01: Workload configurations are consistent"/);
});

test('a step that matches nothing names its file and line and the nearest catalogue step, as a JUnit <error>; exit 2', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-typo-'));
  const typo = feature(dir, 'typo.feature', 'Feature: Typo\n\n  @EP-03 @medium\n  Scenario: Zones\n    Given every service in the account\n    Then every task subnet is covred by the ecr.api interface endpoint\n');
  const reports = path.join(dir, 'reports');
  const run = check([typo], { PREFLIGHT_ACCOUNT: 'demo', PREFLIGHT_REPORTS_DIR: reports });
  assert.equal(run.status, 2);
  assert.match(run.stdout, /\S*typo\.feature:6: "Then every task subnet is covred by the ecr\.api interface endpoint" matches no step; did you mean "Then every task subnet is covered by the \{endpointService\} interface endpoint"\?/);
  const xml = readFileSync(path.join(reports, 'junit.xml'), 'utf8');
  assertJunit(xml);
  assert.match(xml, /errors="1"/);
  assert.match(xml, /<error type="undefined" message="\S*typo\.feature:6: &quot;Then every task subnet is covred/);
});

test('npm run check with one feature file that does not parse: the other files still run, the broken one is an error in the console, HTML and JUnit, exit 2', async () => {
  const { cpSync, mkdirSync, symlinkSync } = await import('node:fs');
  // A copy of the project whose features/ holds two good files and one broken one.
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-project-'));
  for (const link of ['node_modules', 'support', 'steps', 'fixtures']) symlinkSync(path.join(root, link), path.join(dir, link));
  for (const file of ['cucumber.js', 'waivers.json', 'package.json', 'tsconfig.json']) cpSync(path.join(root, file), path.join(dir, file));
  mkdirSync(path.join(dir, 'features'));
  for (const good of ['configuration.feature', 'execution-role.feature']) cpSync(path.join(root, 'features', good), path.join(dir, 'features', good));
  feature(path.join(dir, 'features'), 'broken.feature', 'Feature: Broken\n\n  @EP-05 @medium\n  Scenario: S3 routes\n    Given every service in the account\n    Thn the route table of every task subnet routes S3 through the gateway endpoint\n');
  feature(path.join(dir, 'features'), 'empty.feature', 'Feature: Empty outline\n\n  @EP-03 @medium\n  Scenario Outline: The <endpoint> endpoint covers every zone\n    Given every service in the account\n    Then every task subnet is covered by the <endpoint> interface endpoint\n\n    Examples:\n      | endpoint |\n');
  const reports = path.join(dir, 'reports');
  const run = spawnSync(cucumber, [], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${path.join(root, 'node_modules', '.bin')}:${process.env.PATH}`, PREFLIGHT_ACCOUNT: 'healthy', PREFLIGHT_REPORTS_DIR: reports },
    timeout: 60_000,
  });
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stdout, /features\/broken\.feature:6: "Thn the route table .*" is not a line Gherkin expects here \(did you mean "Then"\?\)/);
  assert.match(run.stdout, /✔ IAM-02 critical {2}The execution role may pull the images/, 'the good files ran');
  const xml = readFileSync(path.join(reports, 'junit.xml'), 'utf8');
  assert.match(xml, /<testcase classname="Feature files that cannot be run as written" name="features\/broken\.feature line 6 cannot be run"[^>]*>\n {4}<error type="FeatureFileError"/);
  assert.match(xml, /name="IAM-01: The execution role exists and trusts ECS tasks"/);
  assertJunit(xml);
  // The empty Examples table too, once: its stand-in, in the HTML as well.
  assert.match(xml, /errors="2"/);
  assert.match(xml, /name="features\/empty\.feature line 8 cannot be run"/);
  const html = readFileSync(path.join(reports, 'cucumber.html'), 'utf8');
  assert.ok(html.includes('features/broken.feature line 6 cannot be run') && html.includes('features/empty.feature line 8 cannot be run'));
});

test('a mistyped keyword on a scenario\'s first line (read by Gherkin as a description) and a misspelt tag scope: exit 2, each named', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-words-'));
  const gven = feature(dir, 'gven.feature', 'Feature: Gven\n\n  @EP-05 @medium\n  Scenario: S3 routes\n    Gven every service in the account\n    Then the route table of every task subnet routes S3 through the gateway endpoint\n');
  const run = check([gven], { PREFLIGHT_ACCOUNT: 'demo', PREFLIGHT_REPORTS_DIR: path.join(dir, 'r1') });
  assert.equal(run.status, 2);
  assert.match(run.stdout, /\S*gven\.feature:5: "Gven every service in the account" is read as a description, not a step \(did you mean "Given"\?\)/);
  assert.match(run.stdout, /this scenario has no scope: its first step must say which workloads it is about/);
  assert.doesNotMatch(run.stdout, /\n\s+at /, 'no stack trace');

  const tag = feature(dir, 'tag.feature', 'Feature: Tag\n\n  @TD-04 @medium\n  Scenario: Connections\n    Given every service tagged "connections=mnay"\n    Then every container sets a nofile ulimit of at least 65536\n');
  const typo = check([tag], { PREFLIGHT_ACCOUNT: '003', PREFLIGHT_REPORTS_DIR: path.join(dir, 'r2') });
  assert.equal(typo.status, 2);
  assert.match(typo.stdout, /is tagged connections=mnay \(did you mean "connections=many"\?\)/);
});
