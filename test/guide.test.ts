// Following docs/GUIDE.md keeps npm test green: the scenario file §2 tells a reader to create, in
// a folder of their team under features/, lints clean, leaves the step catalogue as it is, and
// leaves the shipped scenarios' verdicts alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateCatalogues } from '../support/catalogue';
import { runSuite } from './helpers/run-suite';

const root = path.resolve(__dirname, '..');
const guide = readFileSync(path.join(root, 'docs', 'GUIDE.md'), 'utf8');

/** The guide's own example: the first gherkin block of §2, and the file name it gives. */
function guideExample(): { file: string; text: string } {
  const section = guide.slice(guide.indexOf('## 2.'), guide.indexOf('## 3.'));
  const file = section.match(/for example\s+`(features\/[^`]+\.feature)`/)![1];
  const block = section.match(/```gherkin\n([\s\S]*?)\n\s*```/)![1];
  const indent = block.match(/^ */)![0].length;
  return { file, text: `${block.split('\n').map((l) => l.slice(indent)).join('\n')}\n` };
}

/** A copy of the project with the guide's file added: code and fixtures linked, features copied. */
function projectWithGuideFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-guide-'));
  for (const link of ['node_modules', 'support', 'fixtures', 'docs']) symlinkSync(path.join(root, link), path.join(dir, link));
  // Copied, not linked: the catalogue names each step by its file relative to the project.
  cpSync(path.join(root, 'steps'), path.join(dir, 'steps'), { recursive: true });
  for (const file of ['cucumber.js', 'waivers.json', 'package.json', 'tsconfig.json', '.gplintrc']) cpSync(path.join(root, file), path.join(dir, file));
  mkdirSync(path.join(dir, 'features'));
  for (const f of readdirSync(path.join(root, 'features')).filter((f) => f.endsWith('.feature'))) cpSync(path.join(root, 'features', f), path.join(dir, 'features', f));
  const { file, text } = guideExample();
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
  return dir;
}

test("the guide's example goes in a team folder under features/ and lints clean", () => {
  const { file } = guideExample();
  assert.match(file, /^features\/[^/]+\/[^/]+\.feature$/, 'a folder of its own under features/');
  const dir = projectWithGuideFile();
  const lint = spawnSync(path.join(root, 'node_modules', '.bin', 'gplint'), ['features'], { cwd: dir, encoding: 'utf8' });
  assert.equal(lint.status, 0, `${lint.stdout}${lint.stderr}`);
});

test("with the guide's file added, the step catalogue and the shipped scenarios' verdicts are unchanged", async () => {
  const dir = projectWithGuideFile();
  const { steps, checks } = await generateCatalogues(dir);
  assert.equal(steps, readFileSync(path.join(root, 'docs', 'STEPS.md'), 'utf8'));
  assert.equal(checks, readFileSync(path.join(root, 'docs', 'CHECKS.md'), 'utf8'));
  const [withFile, without] = [await runSuite('demo', {}, {}, dir), await runSuite('demo')];
  assert.deepEqual([...withFile.scenarios.keys()].sort(), [...without.scenarios.keys()].sort());
  for (const [name, result] of without.scenarios) assert.equal(withFile.scenarios.get(name)!.status, result.status, name);
});
