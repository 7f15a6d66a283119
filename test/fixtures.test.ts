// The bundled accounts are what the typed generator writes: nobody edits the JSON by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { npmScript } from './helpers/live-run';

const root = path.resolve(__dirname, '..');

test('fixtures/accounts matches what `npm run fixtures` generates', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'preflight-fixtures-'));
  const [command, args] = npmScript('fixtures', [out]);
  const run = spawnSync(path.join(root, 'node_modules', '.bin', command), args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${path.join(root, 'node_modules', '.bin')}:${process.env.PATH}` },
  });
  assert.equal(run.status, 0, run.stderr);
  const committed = readdirSync(path.join(root, 'fixtures', 'accounts')).sort();
  assert.deepEqual(readdirSync(out).sort(), committed);
  for (const name of committed) {
    const expected = readFileSync(path.join(out, name), 'utf8');
    assert.equal(readFileSync(path.join(root, 'fixtures', 'accounts', name), 'utf8'), expected, `${name} differs from the generator: run npm run fixtures`);
  }
});
