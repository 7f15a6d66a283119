// bin/merge-junit.ts: the nightly workflow's last step, one JUnit report out of every shard's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeJunit } from '../bin/merge-junit';

const shard = (target: string, tests: number, failures: number) =>
  `<?xml version="1.0"?>\n<testsuite name="ecs-preflight ${target}" tests="${tests}" failures="${failures}" errors="0" skipped="0" time="1.5">\n  <testcase classname="[${target}] EP" name="EP-03"><failure message="x">&lt;detail&gt;</failure></testcase>\n</testsuite>\n`;

test('merging keeps every suite as it is and sums the counts in the root', () => {
  const wrapped = `<testsuites>${shard('staging 210987654321/ap-northeast-2', 5, 0)}</testsuites>`;
  const merged = mergeJunit([
    { source: 'a.xml', xml: shard('prod 123456789012/ap-northeast-2', 29, 3) },
    { source: 'b.xml', xml: wrapped.replace(/<\?xml[^>]*>\n/, '') },
  ]);
  assert.equal(merged.suites, 2);
  assert.equal(merged.tests, 34);
  assert.equal(merged.failures, 3);
  assert.match(merged.xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="ecs-preflight" tests="34" failures="3" errors="0" skipped="0" time="3.000">/);
  assert.match(merged.xml, /\[prod 123456789012\/ap-northeast-2\] EP/);
  assert.match(merged.xml, /\[staging 210987654321\/ap-northeast-2\] EP/);
  assert.equal(merged.xml.match(/<testsuite /g)?.length, 2);
});

test('a file that is not a JUnit report is refused, naming it', () => {
  assert.throws(() => mergeJunit([{ source: 'reports/x/junit.xml', xml: '<html></html>' }]), /reports\/x\/junit\.xml holds no <testsuite>/);
});

test('the command names its output with --out and never overwrites an input', async () => {
  const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { mergeCommand } = await import('../bin/merge-junit');
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-merge-'));
  const a = path.join(dir, 'prod-junit.xml');
  const b = path.join(dir, 'staging-junit.xml');
  writeFileSync(a, shard('prod 123456789012/ap-northeast-2', 29, 3));
  writeFileSync(b, shard('staging 210987654321/ap-northeast-2', 5, 0));
  // The old form, output first: refused, and A is untouched.
  const old = mergeCommand([a, b]);
  assert.equal(old.code, 2);
  assert.match(old.message, /^name the merged file with --out/);
  assert.equal(readFileSync(a, 'utf8'), shard('prod 123456789012/ap-northeast-2', 29, 3));
  assert.match(mergeCommand(['--out', a, a, b]).message, /is also an input: the merge would overwrite it/);
  const merged = path.join(dir, 'merged-junit.xml');
  const ok = mergeCommand(['--out', merged, a, b]);
  assert.equal(ok.code, 0, ok.message);
  assert.match(ok.message, /2 suites from 2 files, 34 tests, 3 failures/);
  assert.match(readFileSync(merged, 'utf8'), /<testsuites name="ecs-preflight" tests="34"/);
  assert.equal(readFileSync(a, 'utf8'), shard('prod 123456789012/ap-northeast-2', 29, 3));
  // A directory holding an earlier merge: the earlier output is not merged into itself.
  assert.equal(mergeCommand(['--out', merged, dir]).code, 0);
  assert.match(readFileSync(merged, 'utf8'), /<testsuites name="ecs-preflight" tests="34"/);
});
