// reports/index.html, the first screen: the most severe findings first, every finding of
// results.json on it, pictures beside it, nothing fetched from elsewhere; looked at in Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runSuite } from './helpers/run-suite';
import type { Results } from '../support/results';

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low'];

async function demoPage(): Promise<{ page: string; results: Results; dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-summary-'));
  await runSuite('demo', { [path.join(dir, 'index.html')]: './support/summary-page.ts', [path.join(dir, 'results.json')]: './support/results-report.ts' });
  return { page: readFileSync(path.join(dir, 'index.html'), 'utf8'), results: JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as Results, dir };
}

function severitiesInOrder(markup: string): string[] {
  return [...markup.matchAll(/data-severity="(\w+)"/g)].map((m) => m[1]);
}

test('index.html: every finding of results.json, critical first in the first workload, pictures beside it, nothing external', async () => {
  const { page, results, dir } = await demoPage();
  for (const f of results.findings) assert.ok(page.includes(`data-fingerprint="${f.fingerprint}"`), `${f.checkId} ${f.message}`);
  const first = page.slice(page.indexOf('<h2>'), page.indexOf('<h2>', page.indexOf('<h2>') + 1));
  const order = severitiesInOrder(first).map((s) => SEVERITY_ORDER.indexOf(s));
  assert.deepEqual(order, [...order].sort((a, b) => a - b), 'most severe first');
  assert.equal(severitiesInOrder(page)[0], 'critical');
  assert.doesNotMatch(page, /(?:src|href)="(?:https?:)?\/\//, 'no external fetch');
  assert.match(page, /<meta name="viewport"/);
  assert.match(page, /@media print/);
  assert.match(page, /href="pictures\/cluster-nestjs-second-role-nestjs-second-service\.svg"/);
  assert.ok(existsSync(path.join(dir, 'pictures', 'cluster-nestjs-second-role-nestjs-second-service.svg')));
});

test('index.html in headless Chromium: the rendered page shows the critical findings before the others', { skip: spawnSync('chromium', ['--version']).status === 0 ? false : 'Chromium is not installed here (apt-get install chromium)' }, async () => {
  const { dir } = await demoPage();
  const run = spawnSync(
    'chromium',
    ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${mkdtempSync(path.join(tmpdir(), 'preflight-chromium-'))}`, '--dump-dom', `file://${path.join(dir, 'index.html')}`],
    { encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(run.status, 0, run.stderr);
  const rendered = severitiesInOrder(run.stdout);
  assert.ok(rendered.length > 0);
  assert.equal(rendered[0], 'critical');
  assert.match(run.stdout, /<h1>ecs-preflight · 123456789012\/ap-northeast-2<\/h1>/);
});

test("the pictures folder holds this run's pictures only: a healthy run after a failing one leaves none of the old ones", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-summary-'));
  const files = { [path.join(dir, 'index.html')]: './support/summary-page.ts' };
  await runSuite('demo', files);
  assert.ok(readdirSync(path.join(dir, 'pictures')).length > 0);
  await runSuite('healthy', files);
  assert.deepEqual(existsSync(path.join(dir, 'pictures')) ? readdirSync(path.join(dir, 'pictures')) : [], []);
});
