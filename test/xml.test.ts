// One XML escaping for every report and picture (support/util/xml.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { escapeXml } from '../support/util/xml';

test('escapeXml makes text safe as content and as an attribute value in either quote', () => {
  assert.equal(escapeXml(`<a title="x">Tom & Jerry's</a>`), '&lt;a title=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;');
  assert.equal(escapeXml('&amp;'), '&amp;amp;', 'escaped text is escaped again, never taken as markup');
});

test('no module of the suite writes its own XML escaping', () => {
  const root = path.join(__dirname, '..');
  const sources = ['support', 'bin'].flatMap((dir) => (readdirSync(path.join(root, dir), { recursive: true }) as string[]).map((f) => path.join(dir, f)));
  const own = sources.filter((f) => /\.[jt]s$/.test(f) && !f.endsWith('.test.ts') && f !== path.join('support', 'util', 'xml.ts') && /&(lt|amp);/.test(readFileSync(path.join(root, f), 'utf8')));
  assert.deepEqual(own, []);
});
