// The bundled accounts are what the typed generator writes: nobody edits the JSON by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { accountFiles } from '../fixtures/generate';

const root = path.resolve(__dirname, '..');

test('fixtures/accounts matches what `npm run fixtures` generates', () => {
  const generated = accountFiles();
  const committed = readdirSync(path.join(root, 'fixtures', 'accounts')).sort();
  assert.deepEqual([...generated.keys()].sort(), committed);
  for (const name of committed) {
    assert.equal(readFileSync(path.join(root, 'fixtures', 'accounts', name), 'utf8'), generated.get(name), `${name} differs from the generator: run npm run fixtures`);
  }
});
