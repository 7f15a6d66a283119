// Tags (severity, @warning) and waivers, from parsing to what a run reports: a waiver in force
// passes its finding and says so, an expired one fails again, @warning reports without failing,
// and a mistake in a tag or in the waivers file is one clear line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readScenarioTags } from '../support/tags';
import { isDate, localDate, parseWaivers, waiverStatus, type Waiver } from '../support/waivers';
import type { CheckId, Finding } from '../support/checks/finding';
import { featureFiles, runFeatures } from './helpers/run-features';
import { ids } from './helpers/accounts';

const CHECK_IDS = ['EP-03', 'EP-05', 'NET-03', 'OBS-01'];

// --- tags ---------------------------------------------------------------------------------------

test('a severity tag sets the severity; @warning marks a scenario that only reports', () => {
  assert.deepEqual(readScenarioTags(['@EP', '@EP-03', '@high']), { severity: 'high', warningOnly: false, checkIds: ['EP-03'] });
  assert.deepEqual(readScenarioTags(['@OBS-01', '@low', '@warning']), { severity: 'low', warningOnly: true, checkIds: ['OBS-01'] });
  assert.deepEqual(readScenarioTags(['@EP-03']), { severity: undefined, warningOnly: false, checkIds: ['EP-03'] });
  // Tags that merely resemble a short severity word stay free to use.
  assert.deepEqual(readScenarioTags(['@slow', '@image-pull', '@network']), { severity: undefined, warningOnly: false, checkIds: [] });
});

test('a tag shaped like a check ID must be one: @NACL-1 would label a check that does not exist', () => {
  assert.throws(() => readScenarioTags(['@NACL-1']), { message: /^unknown check tag '@NACL-1'; did you mean '@NACL-01'\?/ });
  assert.throws(() => readScenarioTags(['@EP-99']), { message: /^unknown check tag '@EP-99'/ });
});

test('a mistyped or doubled severity is one line with the fix', () => {
  assert.throws(() => readScenarioTags(['@EP-03', '@critcal']), { message: /^unknown tag '@critcal'; did you mean '@critical'\?/ });
  assert.throws(() => readScenarioTags(['@Critical']), { message: /did you mean '@critical'\?/ });
  assert.throws(() => readScenarioTags(['@warnign']), { message: /did you mean '@warning'\?/ });
  assert.throws(() => readScenarioTags(['@high', '@critical']), { message: /^a scenario has one severity, but this one is tagged @critical and @high/ });
});

// --- the waivers file ---------------------------------------------------------------------------

const valid = { check: 'EP-05', resource: ids.tableB, reason: 'route table moves to the new VPC in sprint 42', expires: '2030-06-30' };

test('a valid waivers file is read as written', () => {
  assert.deepEqual(parseWaivers(JSON.stringify({ waivers: [valid] }), 'waivers.json', CHECK_IDS), [valid]);
  assert.deepEqual(parseWaivers('{"waivers": []}', 'waivers.json', CHECK_IDS), []);
});

test('each mistake in a waivers file is one line naming the file, the waiver and the fix', () => {
  const mistakes: [unknown, RegExp][] = [
    ['{"waivers": [', /^waivers file w\.json is not valid JSON: /],
    [[valid], /^waivers file w\.json must hold an object with a "waivers" list/],
    [{ waiver: [valid] }, /must hold an object with a "waivers" list/],
    [{ waivers: [valid], extra: 1 }, /unknown top-level field "extra"/],
    [{ waivers: [{ ...valid, reason: undefined }] }, /^waivers file w\.json, waiver 1: "reason" is missing/],
    [{ waivers: [valid, { ...valid, reason: '  ' }] }, /^waivers file w\.json, waiver 2: "reason" is empty or not text/],
    [{ waivers: [{ ...valid, expires: '30/06/2030' }] }, /"expires" must be a date written YYYY-MM-DD, such as 2026-12-31 \(got "30\/06\/2030"\)/],
    [{ waivers: [{ ...valid, expires: '2030-02-30' }] }, /"expires" must be a date/],
    [{ waivers: [{ ...valid, check: 'EP-5' }] }, /unknown check "EP-5"; did you mean "EP-05"\?/],
    [{ waivers: [{ ...valid, expiry: '2030-01-01' }] }, /unknown field "expiry"; did you mean "expires"\?/],
    [{ waivers: [{ ...valid, resource: 'rtb-1 rtb-2' }] }, /"resource" is one resource ID, without spaces/],
  ];
  for (const [content, pattern] of mistakes) {
    const text = typeof content === 'string' ? content : JSON.stringify(content);
    assert.throws(() => parseWaivers(text, 'w.json', CHECK_IDS), (e: Error) => e.name === 'UsageError' && pattern.test(e.message) && !e.message.includes('\n'), text);
  }
});

test('dates: calendar dates only, and "today" in the local time zone', () => {
  assert.ok(isDate('2028-02-29'));
  assert.ok(!isDate('2027-02-29'));
  assert.ok(!isDate('2027-1-01'));
  assert.equal(localDate(new Date(2026, 0, 5, 23, 59)), '2026-01-05');
});

// --- which finding a waiver covers, and until when ----------------------------------------------

const finding = (checkId: CheckId, resourceIds: string[]): Finding => ({
  checkId,
  kind: 'start',
  workload: 'c/s',
  resourceIds,
  problem: 'p',
  expected: 'e',
  impact: 'i',
  fix: { console: 'c', cli: 'x' },
});

test('a waiver covers a finding of its check that names its resource, through its expiry day', () => {
  const waivers: Waiver[] = [valid];
  const offender = finding('EP-05', [ids.tableB, ids.privateB]);
  assert.deepEqual(waiverStatus(offender, waivers, '2030-06-29'), { kind: 'waived', waiver: valid });
  assert.deepEqual(waiverStatus(offender, waivers, '2030-06-30'), { kind: 'waived', waiver: valid });
  assert.deepEqual(waiverStatus(offender, waivers, '2030-07-01'), { kind: 'expired', waiver: valid });
  assert.equal(waiverStatus(finding('NET-03', [ids.tableB]), waivers, '2030-01-01'), undefined, 'another check');
  assert.equal(waiverStatus(finding('EP-05', [ids.mainTable]), waivers, '2030-01-01'), undefined, 'another resource');
  // The workload as the offender's line names it also identifies the finding (DEP-01 names a service ARN).
  const byWorkload = { ...valid, check: 'DEP-01', resource: 'c/s' };
  assert.deepEqual(waiverStatus(finding('DEP-01', ['arn:aws:ecs:ap-northeast-2:123456789012:service/c/s']), [byWorkload], '2030-01-01'), { kind: 'waived', waiver: byWorkload });
  // A renewed waiver wins over the expired one it replaces.
  const renewed = { ...valid, expires: '2031-01-31' };
  assert.deepEqual(waiverStatus(offender, [valid, renewed], '2030-12-01'), { kind: 'waived', waiver: renewed });
});

// --- in a run -----------------------------------------------------------------------------------

function waiversFile(waivers: Waiver[]): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'preflight-waivers-')), 'waivers.json');
  writeFileSync(file, JSON.stringify({ waivers }, null, 2));
  return file;
}

const feature = `Feature: Tags and waivers on the demo account

  @EP-05 @high
  Scenario: S3 routes, high
    Given every service in the account
    Then the route table of every task subnet routes S3 through the gateway endpoint

  @OBS-01 @low @warning
  Scenario: Flow logs, warning only
    Given every service in the account
    Then the VPC of every workload has flow logs

  @EP-05 @critcal
  Scenario: Mistyped severity
    Given every service in the account
    Then the route table of every task subnet routes S3 through the gateway endpoint

  @NET-03 @high
  Scenario: S3 prefix list, high
    Given every service in the account
    Then S3 traffic from every task subnet goes through the S3 gateway endpoint

  @EP-03 @medium
  Scenario: Tagged as another check
    Given every service in the account
    Then the route table of every task subnet routes S3 through the gateway endpoint
`;

test('without waivers: a start failure is critical whatever the tag, posture takes the tag, @warning passes and reports, a mistyped tag fails with one line', async () => {
  const { scenarios } = await runFeatures(featureFiles({ 'tags.feature': feature }), { account: 'demo' });
  const s3 = scenarios.get('S3 routes, high')!;
  assert.equal(s3.status, 'FAILED');
  assert.match(s3.message!, /^EP-05 failed \(critical\): .* — 2 offenders\n {2}- \[start · critical\] /);
  const list = scenarios.get('S3 prefix list, high')!;
  assert.equal(list.status, 'FAILED');
  assert.match(list.message!, /^NET-03 failed \(high\): .* — 2 offenders\n {2}- \[posture · high\] /);
  const mislabelled = scenarios.get('Tagged as another check')!;
  assert.equal(mislabelled.status, 'FAILED');
  assert.match(mislabelled.message!, /this scenario is tagged @EP-03 but its steps run EP-05: tag it with the check its steps run/);
  const warning = scenarios.get('Flow logs, warning only')!;
  assert.equal(warning.status, 'PASSED');
  assert.match(warning.logs.join('\n'), /OBS-01 · low · WARNING — reported, not failing the run \(@warning\) · 1 offender/);
  assert.match(warning.logs.join('\n'), /cli +aws ec2 create-flow-logs --resource-type VPC --resource-ids vpc-0a99c0de7e5b1d2f3 /);
  const typo = scenarios.get('Mistyped severity')!;
  assert.equal(typo.status, 'FAILED');
  assert.match(typo.message!, /^unknown tag '@critcal'; did you mean '@critical'\?/);
  assert.equal(typo.message!.trim().split('\n').length, 1);
});

test('PREFLIGHT_FAIL_ON: findings below it are reported in every report and do not fail; a start failure always does', async () => {
  const files = featureFiles({ 'tags.feature': feature });
  const critical = await runFeatures(files, { account: 'demo', failOn: 'critical' });
  const list = critical.scenarios.get('S3 prefix list, high')!;
  assert.equal(list.status, 'PASSED', list.message);
  assert.match(list.logs.join('\n'), /NET-03 · high · REPORTED — below the failure threshold of the run \(PREFLIGHT_FAIL_ON\), not failing it · 2 offenders/);
  assert.equal(critical.scenarios.get('S3 routes, high')!.status, 'FAILED');
  const low = await runFeatures(files, { account: 'demo', failOn: 'low' });
  assert.equal(low.scenarios.get('S3 prefix list, high')!.status, 'FAILED');
});

test('a waiver in force passes its finding and shows it; the same waiver expired fails again, saying so', async () => {
  const both = [
    { check: 'EP-05', resource: ids.tableB, reason: 'moving to the new VPC', expires: '2030-06-30' },
    { check: 'EP-05', resource: ids.mainTable, reason: 'main table is replaced in sprint 42', expires: '2030-06-30' },
  ];
  const files = featureFiles({ 'tags.feature': feature });

  const inForce = await runFeatures(files, { account: 'demo', waivers: waiversFile(both), today: '2030-06-30' });
  const waived = inForce.scenarios.get('S3 routes, high')!;
  assert.equal(waived.status, 'PASSED', waived.message);
  const report = waived.logs.join('\n');
  assert.match(report, /EP-05 · critical · WAIVED — every offender has a waiver in force · 2 offenders/);
  assert.match(report, /waiver +waived until 2030-06-30: moving to the new VPC/);
  assert.match(report, /\[WAIVED until 2030-06-30\]/);

  const expired = await runFeatures(files, { account: 'demo', waivers: waiversFile(both), today: '2030-07-01' });
  const again = expired.scenarios.get('S3 routes, high')!;
  assert.equal(again.status, 'FAILED');
  assert.match(again.message!, new RegExp(`${ids.tableB}.*\\[waiver expired on 2030-06-30: moving to the new VPC\\]`));
  assert.match(again.logs.join('\n'), /waiver +EXPIRED on 2030-06-30, so this fails again: moving to the new VPC/);

  // One of two offenders waived: the other still fails the scenario, and only it is in the failure.
  const partly = await runFeatures(files, { account: 'demo', waivers: waiversFile([both[0]]), today: '2030-01-01' });
  const one = partly.scenarios.get('S3 routes, high')!;
  assert.equal(one.status, 'FAILED');
  assert.match(one.message!, /— 1 offender\n/);
  assert.ok(one.message!.includes(ids.mainTable) && !one.message!.includes(`${ids.tableB},`));
});

// --- bad input ends the run: exit code 2 and one line -------------------------------------------

const root = path.resolve(__dirname, '..');

function check(env: Record<string, string>) {
  const reports = mkdtempSync(path.join(tmpdir(), 'preflight-reports-'));
  const result = spawnSync(path.join(root, 'node_modules', '.bin', 'cucumber-js'), ['--format', `summary:${path.join(reports, 'summary.txt')}`], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${path.join(root, 'node_modules', '.bin')}:${process.env.PATH}`, PREFLIGHT_ACCOUNT: 'demo', ...env },
    timeout: 60_000,
  });
  return { status: result.status, stderr: result.stderr };
}

function assertOneLine(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`);
  assert.match(lines[0], pattern);
}

test('a malformed waivers file, a missing one, or a bad PREFLIGHT_TODAY ends the run with exit code 2 and one line', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-'));
  const broken = path.join(dir, 'waivers.json');
  writeFileSync(broken, JSON.stringify({ waivers: [{ ...valid, expires: 'next year' }] }));
  let run = check({ PREFLIGHT_WAIVERS: broken });
  assert.equal(run.status, 2);
  assertOneLine(run.stderr, /^ecs-preflight: waivers file .*waivers\.json, waiver 1: "expires" must be a date written YYYY-MM-DD/);

  run = check({ PREFLIGHT_WAIVERS: path.join(dir, 'nowhere.json') });
  assert.equal(run.status, 2);
  assertOneLine(run.stderr, /^ecs-preflight: waivers file .*nowhere\.json does not exist/);

  run = check({ PREFLIGHT_TODAY: '1 July' });
  assert.equal(run.status, 2);
  assertOneLine(run.stderr, /^ecs-preflight: PREFLIGHT_TODAY .* must be a date written YYYY-MM-DD, not "1 July"/);
});

test('the shipped waivers.json is valid and waives nothing, so the bundled accounts report every finding', async () => {
  const { readFileSync } = await import('node:fs');
  const { CHECKS } = await import('../support/checks');
  assert.deepEqual(parseWaivers(readFileSync(path.join(root, 'waivers.json'), 'utf8'), 'waivers.json', [...CHECKS.keys()]), []);
});
