// Findings a failed read kept a check from verifying (Finding.notEvaluated) are named in every
// report, whether or not the same scenario also has real findings: the console (under the scenario,
// under each workload, in the counts line), results.json and index.html; never left to JUnit alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runFeatures } from './helpers/run-features';
import type { Snapshot } from '../support/aws/snapshot';
import type { OperationName } from '../support/aws/operations';
import type { Results } from '../support/results';

const dir = mkdtempSync(path.join(tmpdir(), 'preflight-not-evaluated-'));

/** A bundled account whose every call of `operation` AWS denied, as a snapshot file. */
function denying(account: string, operation: OperationName): string {
  const snapshot = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'accounts', `${account}.json`), 'utf8')) as Snapshot;
  const error = operation.startsWith('ec2:')
    ? { name: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.' }
    : { name: 'AccessDeniedException', message: `User: arn:aws:sts::${snapshot.account}:assumed-role/ro/x is not authorized to perform: ${operation}` };
  snapshot.calls[operation] = (snapshot.calls[operation] ?? [{ input: {} }]).map((call) => ({ input: call.input, error }));
  const file = path.join(dir, `${account}-${operation.replace(':', '-')}.json`);
  writeFileSync(file, JSON.stringify(snapshot));
  return file;
}

async function reports(account: string, feature: string): Promise<{ console: string; results: Results; page: string }> {
  const out = mkdtempSync(path.join(dir, 'reports-'));
  const stream = Object.assign(new PassThrough(), { isTTY: false });
  let console = '';
  stream.on('data', (chunk) => (console += chunk));
  await runFeatures([`features/${feature}`], {
    account,
    stdout: { formatter: './support/console-summary.ts', stream },
    files: { [path.join(out, 'results.json')]: './support/results-report.ts', [path.join(out, 'index.html')]: './support/summary-page.ts' },
  });
  return { console, results: JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as Results, page: readFileSync(path.join(out, 'index.html'), 'utf8') };
}

/** The block of the console's findings under one workload. */
function workloadBlock(console: string, workload: string): string {
  const start = console.indexOf(`\n${workload}: `);
  assert.ok(start >= 0, `no findings under ${workload} in\n${console}`);
  const end = console.indexOf('\n\n', start + 1);
  return console.slice(start + 1, end < 0 ? undefined : end);
}

test('img with ecr:DescribeImages denied: the orders image that could not be checked is named beside base-worker\'s real finding, in the console, results.json and index.html', async () => {
  const { console, results, page } = await reports(denying('img', 'ecr:DescribeImages'), 'images.feature');
  // The scenario line counts them, and the line below names the read to grant.
  assert.match(console, /✘ IMG-01 critical {2}Every ECR image exists.*\(3 findings could not be evaluated\)\n {6}not evaluated: ecr:DescribeImages could not be read for arn:aws:ecr:us-east-1:739164025817:repository\/orders: .*grant "ecr:DescribeImages"/);
  const orders = workloadBlock(console, 'commerce/orders');
  assert.match(orders, /^commerce\/orders: nothing failing, 1 could not be evaluated\n {2}\? IMG-01 could not be evaluated {2}whether 739164025817\.dkr\.ecr\.us-east-1\.amazonaws\.com\/orders:v2\.4\.1 .* cannot be verified\n {6}because ecr:DescribeImages could not be read for .*repository\/orders: ecr:DescribeImages was denied in us-east-1 \(AccessDeniedException\): grant "ecr:DescribeImages"/);
  // base-worker's cross-account finding is still a finding, and its own image could not be checked either.
  const baseWorker = workloadBlock(console, 'commerce/base-worker');
  assert.match(baseWorker, /^commerce\/base-worker: 1 offender failing 1 check, 1 could not be evaluated\n {2}✘ IMG-01 start · critical .*repository policy does not allow/);
  assert.match(baseWorker, /\? IMG-01 could not be evaluated {2}whether .*platform\/base-worker:1\.9\.0/);
  assert.match(console, /\n1 scenario: 1 failed \(it also has findings that could not be evaluated\)\. Full reports: /);

  assert.equal(results.findings.length, 1);
  assert.match(results.findings[0].message, /base-worker.*repository policy does not allow/);
  const ordersResult = results.notEvaluated?.find((u) => u.workload.includes('commerce/orders'));
  assert.ok(ordersResult, JSON.stringify(results.notEvaluated));
  assert.equal(ordersResult.checkId, 'IMG-01');
  assert.match(ordersResult.reason, /grant "ecr:DescribeImages"/);
  // orders, billing, base-worker; not the image a pull through cache rule fills, which is no finding either way.
  assert.equal(results.notEvaluated?.length, 3);

  assert.match(page, /<strong>3<\/strong> could not be evaluated/);
  for (const u of results.notEvaluated ?? []) assert.ok(page.includes(`data-fingerprint="${u.fingerprint}"`), u.message);
  assert.match(page, /<h2 id="not-evaluated">Could not be evaluated<\/h2>/);
  assert.match(page, /because ecr:DescribeImages could not be read for arn:aws:ecr:us-east-1:739164025817:repository\/orders/);
});

test('img with ecr:GetRepositoryPolicy denied: base-worker\'s repository policy that could not be read is named beside orders\' missing tag', async () => {
  const { console, results, page } = await reports(denying('img', 'ecr:GetRepositoryPolicy'), 'images.feature');
  assert.match(console, /\(1 finding could not be evaluated\)\n {6}not evaluated: ecr:GetRepositoryPolicy could not be read for arn:aws:ecr:us-east-1:583920174618:repository\/platform\/base-worker \(registry 583920174618\)/);
  assert.match(workloadBlock(console, 'commerce/orders'), /✘ IMG-01 start · critical .*orders:v2\.4\.1/);
  assert.match(workloadBlock(console, 'commerce/base-worker'), /^commerce\/base-worker: nothing failing, 1 could not be evaluated\n {2}\? IMG-01 could not be evaluated {2}.*whether its repository policy allows the pull cannot be verified\n {6}because ecr:GetRepositoryPolicy could not be read/);
  assert.match(console, /1 failed \(it also has findings that could not be evaluated\)/);
  assert.deepEqual(results.notEvaluated?.map((u) => u.workload), [['commerce/base-worker']]);
  assert.ok(page.includes(`data-fingerprint="${results.notEvaluated![0].fingerprint}"`));
  // The task that stopped with 403 Forbidden is what is known of it: shown beside it everywhere.
  assert.match(workloadBlock(console, 'commerce/base-worker'), /because ecr:GetRepositoryPolicy could not be read.*\n {6}evidence: task 9b3e7c1a… stopped .*403 Forbidden \(EVD-01\)/);
  assert.match(results.notEvaluated![0].evidence?.[0] ?? '', /^evidence: task 9b3e7c1a… stopped .*403 Forbidden/);
  assert.match(page, /because ecr:GetRepositoryPolicy could not be read[^<]*<\/p>\s*<p class="evidence">evidence: task 9b3e7c1a…/);
});

test('demo with the NACLs denied: NET-02 names the paths it could not verify beside those it found broken', async () => {
  const { console, results, page } = await reports(denying('demo', 'ec2:DescribeNetworkAcls'), 'network-paths.feature');
  assert.match(console, /✘ NET-02 critical {2}Every task subnet reaches everything its tasks need {2}\(\d+ findings could not be evaluated\)\n {6}not evaluated: ec2:DescribeNetworkAcls was denied in ap-northeast-2 \(UnauthorizedOperation\): grant "ec2:DescribeNetworkAcls"/);
  // report-worker has no real finding: only what could not be evaluated.
  assert.match(workloadBlock(console, 'batch/report-worker'), /^batch\/report-worker: nothing failing, 4 could not be evaluated\n {2}\? NET-02 could not be evaluated {2}subnet-0c10e5a1f2e3d4c5a \(ap-northeast-2a\) has no verifiable path to ecr\.api/);
  assert.match(workloadBlock(console, 'cluster-nestjs-second/role-nestjs-second-service'), /✘ NET-02 start · critical[^\n]*\n[\s\S]*\? NET-02 could not be evaluated/);
  assert.match(console, /2 failed \(1 of them also has findings that could not be evaluated\)/);
  assert.ok(results.notEvaluated!.length > 0 && results.notEvaluated!.every((u) => u.checkId === 'NET-02' && /ec2:DescribeNetworkAcls/.test(u.reason)));
  assert.ok(results.findings.some((f) => f.checkId === 'NET-02'), 'the broken paths are findings still');
  assert.match(page, new RegExp(`<strong>${results.notEvaluated!.length}</strong> could not be evaluated`));
});

test('against a baseline that had the finding: one this run could not evaluate is not listed as fixed', async () => {
  const before = process.env.PREFLIGHT_BASELINE;
  const baseline = await reports('img', 'images.feature');
  const file = path.join(dir, 'baseline.json');
  writeFileSync(file, JSON.stringify(baseline.results));
  process.env.PREFLIGHT_BASELINE = file;
  try {
    const { results } = await reports(denying('img', 'ecr:DescribeImages'), 'images.feature');
    const orders = baseline.results.findings.find((f) => f.workload.includes('commerce/orders'))!;
    assert.ok(results.notEvaluated?.some((u) => u.fingerprint === orders.fingerprint), 'the same fingerprint it would have as a finding');
    assert.deepEqual(results.fixed.map((f) => f.fingerprint), [], 'not evaluated is not fixed');
  } finally {
    if (before === undefined) delete process.env.PREFLIGHT_BASELINE;
    else process.env.PREFLIGHT_BASELINE = before;
  }
});

test('a scenario whose whole check could not run (a read only it needs denied) is named in results.json and index.html, not only in the console and JUnit', async () => {
  const { console, results, page } = await reports(denying('demo', 'ec2:DescribeFlowLogs'), 'deployment-hygiene.feature');
  assert.match(console, /OBS-01 could not be evaluated/);
  const [stopped, ...rest] = results.unevaluatedScenarios ?? [];
  assert.equal(rest.length, 0, JSON.stringify(results.unevaluatedScenarios));
  assert.deepEqual([stopped.checkIds, stopped.scenario], [['OBS-01'], 'features/deployment-hygiene.feature: Workload VPCs have flow logs']);
  assert.match(stopped.reason, /OBS-01 could not be evaluated in 123456789012\/ap-northeast-2: .*ec2:DescribeFlowLogs/);
  assert.match(page, /<strong>1<\/strong> scenario gave no verdict/);
  assert.match(page, /<h2 id="not-run">Scenarios that gave no verdict<\/h2>[\s\S]*OBS-01[\s\S]*Workload VPCs have flow logs[\s\S]*ec2:DescribeFlowLogs/);
  // The scenarios that ran still report what they found.
  assert.ok(results.findings.some((f) => f.checkId === 'DEP-01'));
});
