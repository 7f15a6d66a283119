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
