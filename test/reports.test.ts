// What each report shows a reader: the HTML report's offender table and network picture, the JUnit
// report's one line per offender with the detail in the test case output, the console summary
// grouped by workload with a progress line on a terminal only; and none of them a secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Envelope } from '@cucumber/messages';
import { featureFiles, runFeatures } from './helpers/run-features';
import { ids } from './helpers/accounts';

const features = featureFiles({
  'reports.feature': `Feature: Reports on the demo account

  @EP-05 @critical
  Scenario: S3 routes
    Given every service in the account
    Then the route table of every task subnet routes S3 through the gateway endpoint

  @EP-04 @critical
  Scenario: Private DNS for ecr.dkr
    Given every service in the account
    Then the ecr.dkr interface endpoint resolves privately: private DNS on, VPC DNS support and hostnames on

  @OBS-01 @low @warning
  Scenario: Flow logs, warning only
    Given every service in the account
    Then the VPC of every workload has flow logs

  @EP-01 @critical
  Scenario: The ecr.api endpoint exists
    Given every service in the account
    Then the VPC of each service has an available ecr.api interface endpoint
`,
});

function tempFile(name: string): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'preflight-report-')), name);
}

function decodeXml(text: string): string {
  return text.replace(/&#10;/g, '\n').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function testcase(xml: string, name: string): string {
  const match = xml.match(new RegExp(`<testcase [^>]*name="${name}"[^>]*>([\\s\\S]*?)</testcase>`));
  assert.ok(match, `no test case "${name}" in\n${xml}`);
  return match[1];
}

test('JUnit: the failure message is one line per offender; the test case output has the detail; @warning passes with its findings', async () => {
  const junit = tempFile('junit.xml');
  await runFeatures(features, { account: 'demo', files: { [junit]: './support/junit-report.ts' } });
  const xml = readFileSync(junit, 'utf8');
  // The @warning scenario found something: a skipped case saying so, not a plain pass.
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuite name="ecs-preflight" tests="4" failures="2" skipped="1" errors="0"/);
  assert.equal(xml.match(/<testcase /g)?.length, 4);
  assert.equal(xml.match(/<\/testcase>/g)?.length, 4);

  // Named by check ID first: titles are edited, trends follow the ID.
  const s3 = testcase(xml, 'EP-05: S3 routes');
  const message = decodeXml(s3.match(/<failure type="CheckFailure" message="([^"]*)"/)![1]).split('\n');
  // The first line names what to change.
  assert.match(message[0], new RegExp(`^EP-05 failed \\(critical\\): .* — 2 offenders \\[${ids.tableB}, ${ids.mainTable}\\]$`));
  assert.equal(message.length, 3, `headline and one line per offender:\n${message.join('\n')}`);
  assert.ok(message[1].includes(ids.tableB) && message[2].includes(ids.mainTable));
  assert.ok(!message.some((l) => /fix:|console|expected/.test(l)), 'no detail in the message');
  const output = s3.match(/<system-out><!\[CDATA\[([\s\S]*?)\]\]><\/system-out>/)![1];
  assert.match(output, /^EP-05 · severity critical/);
  assert.match(output, /Then the route table of every task subnet routes S3 through the gateway endpoint\.+failed/);
  assert.match(output, /How to fix/);
  assert.match(output, new RegExp(`console +VPC → Endpoints → ${ids.s3Gateway} → Route tables → Manage route tables → tick\\s+${ids.tableB}`));
  assert.ok(output.includes(`cli       aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${ids.s3Gateway} --add-route-table-ids ${ids.mainTable} --region ap-northeast-2`));

  const warning = testcase(xml, 'OBS-01: Flow logs, warning only');
  assert.ok(!warning.includes('<failure'), 'a @warning scenario does not fail');
  assert.match(warning, /<skipped message="passed with 1 offender reported \(@warning: reported, does not fail the run\)"\/>/);
  assert.match(warning, /@warning: findings are reported, the run does not fail/);
  assert.match(warning, /OBS-01 · low · WARNING/);
  const passed = testcase(xml, 'EP-01: The ecr.api endpoint exists');
  assert.ok(!passed.includes('<failure') && !passed.includes('<skipped'), 'a plain pass');
});

/** The messages the HTML report renders, read back from the page. */
function htmlMessages(html: string): Envelope[] {
  const json = html.match(/window\.CUCUMBER_MESSAGES = (\[[\s\S]*?\]);\n<\/script>/)![1];
  // The page writes "<" as the JavaScript escape \x3C, which JSON spells \u003C.
  return JSON.parse(json.replace(/\\x3C/g, '\\u003C')) as Envelope[];
}

test('HTML: each failed step carries the offender table inline and a network picture per workload it names', async () => {
  const html = tempFile('cucumber.html');
  await runFeatures(features, { account: 'demo', files: { [html]: 'html' } });
  const attachments = htmlMessages(readFileSync(html, 'utf8')).flatMap((e) => (e.attachment ? [e.attachment] : []));

  const tables = attachments.filter((a) => a.mediaType === 'text/x.cucumber.log+plain' && a.body.startsWith('EP-05 '));
  assert.equal(tables.length, 1);
  assert.match(tables[0].body, /#\s+kind\s+workload\s+resource\s+AZ\s+what is wrong/);
  assert.match(tables[0].body, /\n1\s+start · critical\s+cluster-nestjs-second\//);
  assert.match(tables[0].body, new RegExp(`${ids.tableB}\\s+ap-northeast-2b`));

  const pictures = attachments.filter((a) => a.mediaType === 'image/svg+xml');
  // EP-05 names one workload, EP-04 two (they share the endpoint); EP-01 passes; flow logs (OBS-01) are not about the path.
  assert.deepEqual(pictures.map((p) => p.fileName).sort(), [
    'Network picture of batch/report-worker (click to open)',
    'Network picture of cluster-nestjs-second/role-nestjs-second-service (click to open)',
    'Network picture of cluster-nestjs-second/role-nestjs-second-service (click to open)',
  ]);
  // Images render inline only when base64-encoded.
  assert.ok(pictures.every((p) => p.contentEncoding === 'BASE64'));
  const svg = Buffer.from(pictures[0].body, 'base64').toString('utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.ok(svg.includes(ids.tableB) && svg.includes(ids.s3Gateway));
});

test('console: findings grouped by workload with their fixes, and no progress line when stdout is not a terminal', async () => {
  const stream = Object.assign(new PassThrough(), { isTTY: false });
  let out = '';
  stream.on('data', (chunk) => (out += chunk));
  await runFeatures(features, { account: 'demo', stdout: { formatter: './support/console-summary.ts', stream } });
  assert.ok(!out.includes('\r'), 'no progress line');
  assert.match(out, /^Reports on the demo account\n {2}✘ EP-05 critical {2}S3 routes\n/);
  assert.match(out, /\n {2}⚠ OBS-01 low {2}Flow logs, warning only {2}\(warning: 1 offender, does not fail the run\)\n/);
  assert.match(out, /\nFindings by workload\n/);
  const nestjs = out.slice(out.indexOf('\ncluster-nestjs-second/role-nestjs-second-service: '));
  assert.match(nestjs, /^\ncluster-nestjs-second\/role-nestjs-second-service: 4 offenders failing 2 checks, 1 reported, not failing\n/);
  assert.match(nestjs, new RegExp(`✘ EP-05 start · critical {2}route table ${ids.tableB} .*(?:\\n {6}evidence: .*)?\\n {6}fix: aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${ids.s3Gateway} --add-route-table-ids ${ids.tableB}`));
  // Each offender says what it claims: EP-04 stops tasks in 2b and 2c, and costs NAT charges in 2a.
  assert.match(nestjs, /✘ EP-04 start · critical {2}.*\n(?: {6}evidence: .*\n)?.*\n {2}✘ EP-04 posture · critical {2}.*leaves through NAT gateway/);
  // The warning comes after what fails, and does not count as failing.
  assert.match(nestjs, /⚠ OBS-01 posture · low, @warning {2}VPC vpc-0a99c0de7e5b1d2f3 has no active flow log/);
  assert.ok(nestjs.indexOf('OBS-01') > nestjs.lastIndexOf('EP-0'));
  const worker = out.slice(out.indexOf('\nbatch/report-worker: '), out.indexOf('\ncluster-nestjs-second/'));
  assert.match(worker, /^\nbatch\/report-worker: 1 offender failing 1 check, 1 reported, not failing\n {2}✘ EP-04 posture · critical/);
  assert.match(out, /\n4 scenarios: 2 passed, 2 failed, 1 passed with findings reported below the failure threshold or @warning\. Full reports: /);
});

test('console: on a terminal, a progress line redrawn for each scenario and cleared before the summary', async () => {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 40 });
  let out = '';
  stream.on('data', (chunk) => (out += chunk));
  await runFeatures(features, { account: 'demo', stdout: { formatter: './support/console-summary.ts', stream } });
  const progress = [...out.matchAll(/\r\x1b\[2K([^\r\n]*)/g)].map((m) => m[1]);
  assert.deepEqual(progress.slice(0, 4), ['[1/4] S3 routes', '[2/4] Private DNS for ecr.dkr', '[3/4] Flow logs, warning only', '[4/4] The ecr.api endpoint exists']);
  assert.equal(progress[4], 'Reports on the demo account', 'the line is cleared before the summary');
  assert.ok(progress.every((line) => line.length <= 39), 'fits the terminal');
});

test('no report or console output contains the credentials of the environment', () => {
  const root = path.resolve(__dirname, '..');
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-secrets-'));
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYcanary0001';
  const token = 'FwoGZXIvYXdzEXAMPLEsessiontokencanary0002';
  const run = spawnSync(
    path.join(root, 'node_modules', '.bin', 'cucumber-js'),
    ['--format', `html:${path.join(dir, 'cucumber.html')}`, '--format', `./support/junit-report.ts:${path.join(dir, 'junit.xml')}`],
    {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${path.join(root, 'node_modules', '.bin')}:${process.env.PATH}`,
        PREFLIGHT_ACCOUNT: 'demo',
        AWS_ACCESS_KEY_ID: 'AKIACANARY0000000003',
        AWS_SECRET_ACCESS_KEY: secret,
        AWS_SESSION_TOKEN: token,
      },
      timeout: 60_000,
    },
  );
  assert.equal(run.status, 1, run.stderr);
  for (const text of [run.stdout, run.stderr, readFileSync(path.join(dir, 'cucumber.html'), 'utf8'), readFileSync(path.join(dir, 'junit.xml'), 'utf8')]) {
    for (const value of [secret, token, 'AKIACANARY0000000003']) assert.ok(!text.includes(value), `a report contains ${value}`);
  }
});

test('console: what a check leaves out reaches the Notes, once: IMG-01\'s other registries and the image a pull through cache rule fetches', async () => {
  const stream = Object.assign(new PassThrough(), { isTTY: false });
  let out = '';
  stream.on('data', (chunk) => (out += chunk));
  await runFeatures(['features/images.feature'], { account: 'img', stdout: { formatter: './support/console-summary.ts', stream } });
  const notes = out.slice(out.indexOf('\nNotes\n'));
  assert.ok(out.includes('\nNotes\n'), out);
  assert.match(notes, /\n {2}IMG-01 checks the images of ECR in us-east-1 only, not those of other registries or regions .*otel\/opentelemetry-collector-contrib:0\.114\.0 \(commerce\/collector\)\n/);
  assert.match(notes, /\n {2}739164025817\.dkr\.ecr\.us-east-1\.amazonaws\.com\/docker-hub\/library\/redis:7\.4-alpine \(commerce\/cache-warmer\) is not in ECR now: the pull through cache rule "docker-hub" fetches it/);
  assert.equal(out.match(/IMG-01 checks the images of ECR/g)?.length, 1, 'once');
});
