// The step catalogue (docs/STEPS.md) is what the step definitions and feature files say: npm test
// fails when it is stale, when a step has no example in any feature file, or when a word of a
// step is not described.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CATALOGUE_FILE, generateCatalogues, renderCatalogue, staleness, type StepEntry } from '../support/catalogue';
import { CHECK_CATALOGUE_FILE } from '../support/check-catalogue';
import { CHECK_IDS } from '../support/checks/ids';

// One dry run per process: Cucumber loads the step definitions once.
const generated = generateCatalogues();

const example = (text: string, checkIds: string[] = []) => ({ keyword: 'Then', text, file: 'features/x.feature', language: 'en', checkIds });

test('docs/CHECKS.md is up to date with the checks\' metadata, and names every check with its kind (else: npm run steps)', async () => {
  const { checks } = await generated;
  const problem = staleness(readFileSync(CHECK_CATALOGUE_FILE, 'utf8'), checks, 'docs/CHECKS.md');
  assert.equal(problem, undefined, problem);
  for (const id of CHECK_IDS) assert.match(checks, new RegExp(`\\| \\[${id}\\]\\(#${id.toLowerCase()}\\) \\| (start|resilience|posture|evidence)`), id);
  assert.match(checks, /### EP-01\n\n\*\*an ecr\.api interface endpoint exists in the VPC and is available\*\*\n\n- Kind: start .*; posture .*\n- Severity: start: critical; posture: the scenario's severity tag, else medium/);
  assert.match(checks, /- Stated by: \n {2}- `features\/ecr-endpoints\.feature`: Then the VPC of each service has an available ecr\.api interface endpoint/);
});

test('docs/STEPS.md is up to date with the step definitions and feature files (else: npm run steps)', async () => {
  const steps = (await generated).steps;
  const problem = staleness(readFileSync(CATALOGUE_FILE, 'utf8'), steps);
  assert.equal(problem, undefined, problem);
  // Every step definition is in it, with its example.
  assert.match(steps, /### Then every task subnet is covered by the \{endpointService\} interface endpoint\n\nServes:\n\n- \*\*EP-03\*\*: /);
  assert.match(steps, /```gherkin\nGiven the service "role-nestjs-second-service" in cluster "cluster-nestjs-second"\n```/);
});

test('the staleness check names the first line that differs, or that the file is missing', () => {
  assert.equal(staleness('a\nb\n', 'a\nb\n'), undefined);
  assert.equal(staleness('a\nb\n', 'a\nc\n'), 'docs/STEPS.md is out of date (first difference at line 2: "c"): run npm run steps');
  assert.match(staleness('a\n', 'a\nb\n')!, /out of date \(first difference at line 2/);
  assert.equal(staleness(undefined, 'a'), 'docs/STEPS.md is missing: run npm run steps');
});

test('a step without an example in any feature file, or with an undescribed word, fails the catalogue', () => {
  const steps: StepEntry[] = [
    { expression: 'every task subnet is covered by the {endpointService} interface endpoint', file: 'steps/a.ts', line: 3, examples: [example('every task subnet is covered by the ecr.api interface endpoint', ['EP-03'])] },
    { expression: 'the new check holds', file: 'steps/b.ts', line: 7, examples: [] },
    { expression: 'every queue in {queueName} drains', file: 'steps/c.ts', line: 9, examples: [example('every queue in jobs drains')] },
  ];
  assert.throws(() => renderCatalogue(steps), (e: Error) => {
    assert.match(e.message, /^step "the new check holds" \(steps\/b\.ts:7\) has no example in any feature file/m);
    assert.match(e.message, /^parameter type \{queueName\} is not described/m);
    assert.doesNotMatch(e.message, /endpointService/);
    return true;
  });
  assert.match(renderCatalogue([steps[0]]), /\| `Then every task subnet is covered by the \{endpointService\} interface endpoint` \| EP-03 \|/);
});
