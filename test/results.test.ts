// reports/results.json: every finding once, with a fingerprint that survives reordering and
// rewording, and new / still / fixed against the previous run's results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runSuite } from './helpers/run-suite';
import { fingerprintOf, readBaseline, type Results } from '../support/results';
import type { Finding } from '../support/checks/finding';

const dir = mkdtempSync(path.join(tmpdir(), 'preflight-results-'));

async function results(account: string, name: string, baseline?: string): Promise<Results> {
  const file = path.join(dir, name);
  const before = process.env.PREFLIGHT_BASELINE;
  if (baseline) process.env.PREFLIGHT_BASELINE = baseline;
  else delete process.env.PREFLIGHT_BASELINE;
  try {
    await runSuite(account, { [file]: './support/results-report.ts' });
  } finally {
    if (before === undefined) delete process.env.PREFLIGHT_BASELINE;
    else process.env.PREFLIGHT_BASELINE = before;
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Results;
}

test('the fingerprint is the check, the place, the workloads and the resources: not their order, not the wording', () => {
  const finding = { checkId: 'EP-05', workload: 'a/x, b/y', resourceIds: ['rtb-1', 'vpce-2', 'subnet-3'] } as Pick<Finding, 'checkId' | 'workload' | 'resourceIds'>;
  const same = fingerprintOf(finding, '123456789012', 'ap-northeast-2');
  assert.equal(fingerprintOf({ ...finding, workload: 'b/y, a/x', resourceIds: ['subnet-3', 'rtb-1', 'vpce-2'] }, '123456789012', 'ap-northeast-2'), same);
  assert.notEqual(fingerprintOf({ ...finding, resourceIds: ['rtb-9', 'vpce-2', 'subnet-3'] }, '123456789012', 'ap-northeast-2'), same);
  assert.notEqual(fingerprintOf(finding, '123456789012', 'us-east-1'), same);
  assert.notEqual(fingerprintOf({ ...finding, checkId: 'NET-03' }, '123456789012', 'ap-northeast-2'), same);
  // Paths to two needs over the same resources are two findings; their order does not matter.
  const toLogs = fingerprintOf({ ...finding, paths: [{ subnetId: 'subnet-3', to: 'logs@ap-northeast-2' }] }, '123456789012', 'ap-northeast-2');
  const toEcr = fingerprintOf({ ...finding, paths: [{ subnetId: 'subnet-3', to: 'ecr.api@ap-northeast-2' }] }, '123456789012', 'ap-northeast-2');
  assert.notEqual(toLogs, toEcr);
  assert.notEqual(toLogs, same);
  assert.equal(
    fingerprintOf({ ...finding, paths: [{ subnetId: 'subnet-3', to: 'logs@ap-northeast-2' }, { subnetId: 'subnet-4', to: 'ecr.api@ap-northeast-2' }] }, '123456789012', 'ap-northeast-2'),
    fingerprintOf({ ...finding, paths: [{ subnetId: 'subnet-4', to: 'ecr.api@ap-northeast-2' }, { subnetId: 'subnet-3', to: 'logs@ap-northeast-2' }] }, '123456789012', 'ap-northeast-2'),
  );
});

test('results.json lists every finding once with what other tools rely on', async () => {
  const demo = await results('demo', 'demo.json');
  assert.equal(demo.schema, 'ecs-preflight/results');
  assert.equal(demo.version, 1);
  assert.ok(demo.findings.length >= 10);
  for (const f of demo.findings) {
    for (const key of ['checkId', 'kind', 'severity', 'workload', 'resources', 'fingerprint', 'account', 'region', 'message', 'fix'] as const) assert.ok(f[key] !== undefined, `${key} in ${f.checkId}`);
  }
  assert.equal(new Set(demo.findings.map((f) => f.fingerprint)).size, demo.findings.length, 'once each');
  // The Korean feature states EP-05 too: one finding, both scenarios.
  const ep05 = demo.findings.filter((f) => f.checkId === 'EP-05');
  assert.ok(ep05.every((f) => f.scenarios.length === 2), 'found by the English and the Korean scenario');
  // With the tasks that stopped in its subnet as evidence (EVD-01); a posture finding has none.
  assert.ok(ep05.every((f) => f.evidence?.length && f.evidence.every((l) => /^evidence: task [0-9a-f]{8}… stopped 2026-11-20 08:\d\d UTC in subnet-.*i\/o timeout \(EVD-01\)$/.test(l))));
  assert.ok(demo.findings.filter((f) => f.kind !== 'start').every((f) => f.evidence === undefined));
  assert.ok(demo.findings.some((f) => f.kind === 'start' && f.severity === 'critical' && f.failing));
  assert.ok(demo.findings.some((f) => f.kind === 'posture' && !f.failing), 'reported below the threshold, not failing');
  assert.equal(demo.findings.every((f) => f.change === undefined), true, 'no baseline, no change');
});

test('against a baseline: healthy then demo marks every finding new; demo then healthy lists them fixed; demo twice has nothing new', async () => {
  const healthy = await results('healthy', 'healthy.json');
  const demo = await results('demo', 'demo-after-healthy.json', path.join(dir, 'healthy.json'));
  assert.ok(demo.findings.length > 0);
  assert.ok(demo.findings.every((f) => f.change === 'new' && f.since === demo.generatedAt));
  assert.deepEqual(demo.fixed, []);
  assert.deepEqual(demo.baseline, { file: path.join(dir, 'healthy.json'), generatedAt: healthy.generatedAt });

  const fixed = await results('healthy', 'healthy-after-demo.json', path.join(dir, 'demo-after-healthy.json'));
  assert.deepEqual(fixed.findings, []);
  assert.deepEqual(fixed.fixed.map((f) => f.fingerprint).sort(), demo.findings.map((f) => f.fingerprint).sort());

  const again = await results('demo', 'demo-again.json', path.join(dir, 'demo-after-healthy.json'));
  assert.ok(again.findings.every((f) => f.change === 'still' && f.since === demo.generatedAt), 'failing since the run that first saw them');
  assert.deepEqual(again.fixed, []);
});

test('a baseline that is not an earlier results.json is a broken input, never an empty baseline', () => {
  const other = path.join(dir, 'other.json');
  writeFileSync(other, JSON.stringify({ findings: [] }));
  assert.throws(() => readBaseline(other), /baseline .*other\.json is not an ecs-preflight results\.json/);
  assert.throws(() => readBaseline(path.join(dir, 'nowhere.json')), /baseline .*nowhere\.json does not exist/);
});

test('the console and JUnit say what results.json says about new, still failing and fixed', async () => {
  await results('healthy', 'base-healthy.json');
  const junit = path.join(dir, 'junit.xml');
  const out = path.join(dir, 'results-demo.json');
  const before = process.env.PREFLIGHT_BASELINE;
  process.env.PREFLIGHT_BASELINE = path.join(dir, 'base-healthy.json');
  try {
    await runSuite('demo', { [junit]: './support/junit-report.ts', [out]: './support/results-report.ts' });
  } finally {
    if (before === undefined) delete process.env.PREFLIGHT_BASELINE;
    else process.env.PREFLIGHT_BASELINE = before;
  }
  const data = JSON.parse(readFileSync(out, 'utf8')) as Results;
  const xml = readFileSync(junit, 'utf8');
  const news = data.findings.filter((f) => f.change === 'new').length;
  assert.ok(news > 0);
  assert.match(xml, new RegExp(`<property name="ecs-preflight.new" value="${news}"/>`));
  assert.match(xml, /<property name="ecs-preflight.fixed" value="0"\/>/);
  // Each failing offender line says it is new.
  assert.match(xml, /- \[start · critical · new\] cluster-nestjs-second\/role-nestjs-second-service: /);
});

test('with a targets file, PREFLIGHT_BASELINE may name last night\'s reports folder: each target gets its own results.json, or none on its first night', async () => {
  const { baselineFor } = await import('../support/results');
  const { mkdirSync } = await import('node:fs');
  const night = path.join(dir, 'last-night');
  mkdirSync(path.join(night, 'prod-ap-northeast-2'), { recursive: true });
  writeFileSync(path.join(night, 'prod-ap-northeast-2', 'results.json'), '{}');
  writeFileSync(path.join(night, 'results.json'), '{}');
  assert.equal(baselineFor(night, { name: 'prod-ap-northeast-2' }, true), path.join(night, 'prod-ap-northeast-2', 'results.json'));
  assert.equal(baselineFor(night, { name: 'staging-ap-northeast-1' }, true), undefined, 'a new target has no baseline yet');
  assert.equal(baselineFor(night, { name: 'prod-ap-northeast-2' }, false), path.join(night, 'results.json'), 'one target: the folder\'s own');
  assert.equal(baselineFor(path.join(dir, 'healthy.json'), { name: 'x' }, true), path.join(dir, 'healthy.json'), 'a file is used as it is');
  assert.equal(baselineFor(undefined, {}, false), undefined);
});

test('PREFLIGHT_BASELINE naming a folder: its results.json is the baseline; without one (the first night) every finding is new, and the new-only run fails on them', () => {
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const { mkdirSync, copyFileSync } = require('node:fs') as typeof import('node:fs');
  const root = path.resolve(__dirname, '..');
  const run = (env: Record<string, string>) =>
    spawnSync(path.join(root, 'node_modules', '.bin', 'cucumber-js'), [], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${path.join(root, 'node_modules', '.bin')}:${process.env.PATH}`, PREFLIGHT_ACCOUNT: 'demo', PREFLIGHT_REPORTS_DIR: mkdtempSync(path.join(dir, 'run-')), ...env },
      timeout: 60_000,
    });
  const empty = mkdtempSync(path.join(dir, 'first-night-'));
  assert.equal(run({ PREFLIGHT_BASELINE: empty, PREFLIGHT_FAIL_ON_NEW_ONLY: '1' }).status, 1, 'first night: all new, the start failures fail');
  const night = mkdtempSync(path.join(dir, 'second-night-'));
  copyFileSync(path.join(dir, 'demo.json'), path.join(night, 'results.json'));
  mkdirSync(path.join(night, 'unused'), { recursive: true });
  const second = run({ PREFLIGHT_BASELINE: night, PREFLIGHT_FAIL_ON_NEW_ONLY: '1' });
  assert.equal(second.status, 0, 'nothing new since the baseline: old debt is reported, not failing');
  assert.match(second.stdout, /Since the baseline of \d{4}-\d{2}-\d{2}: 0 new, \d+ still failing, 0 fixed/);
  assert.equal(run({ PREFLIGHT_FAIL_ON_NEW_ONLY: '1' }).status, 2, 'new-only without a baseline is a broken setting');
});
