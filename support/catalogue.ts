// The step catalogue, docs/STEPS.md: every step a feature file can use, generated from the step
// definitions themselves (not a hand-kept list), each with an example line taken from the feature
// files and the checks it serves. Cucumber matches every feature step against the definitions in a
// dry run, exactly as a real run does, so an example is a line that really matches.
//
//   npm run steps          writes docs/STEPS.md
//   npm test               fails when docs/STEPS.md is out of date, or a step has no example
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import type { Envelope, Pickle, PickleStepType } from '@cucumber/messages';
import { CHECKS } from './checks';
import { isCheckId } from './checks/ids';
import { CHECK_CATALOGUE_FILE, renderCheckCatalogue } from './check-catalogue';
import { FEATURE_PROBLEM_STEP } from './feature-problems';
import { ENDPOINT_SERVICES, PATH_TARGETS } from './vocabulary';

export const CATALOGUE_FILE = path.resolve(__dirname, '..', 'docs', 'STEPS.md');

/** Where examples come from: the shipped features (a team's own files, in folders under features/, are not), and the examples that name one account's resources. */
export const EXAMPLE_SOURCES = ['features/*.feature', 'docs/examples/**/*.feature'];

export interface StepEntry {
  expression: string;
  /** Where the definition is: "steps/endpoint.steps.ts". */
  file: string;
  line: number;
  /** Lines of the feature files this step matched, English ones first. */
  examples: { keyword: string; text: string; file: string; language: string; checkIds: string[] }[];
}

const KEYWORD: Record<PickleStepType, string> = { Context: 'Given', Action: 'When', Outcome: 'Then', Unknown: '*' };

/** Every step definition with the feature lines that use it, from a dry run of the features. */
export async function collectSteps(cwd = process.cwd()): Promise<StepEntry[]> {
  const { runConfiguration } = await loadConfiguration({ provided: { format: [], paths: EXAMPLE_SOURCES } }, { cwd });
  const definitions = new Map<string, StepEntry>();
  const pickles = new Map<string, Pickle>();
  const keywords = new Map<string, string>();
  const onMessage = (envelope: Envelope) => {
    if (envelope.stepDefinition && envelope.stepDefinition.pattern.source !== FEATURE_PROBLEM_STEP) {
      const { id, pattern, sourceReference } = envelope.stepDefinition;
      definitions.set(id, { expression: pattern.source, file: sourceReference.uri ?? '', line: sourceReference.location?.line ?? 0, examples: [] });
    }
    if (envelope.gherkinDocument) {
      for (const child of envelope.gherkinDocument.feature?.children ?? []) {
        for (const step of [...(child.background?.steps ?? []), ...(child.scenario?.steps ?? [])]) keywords.set(step.id, step.keyword.trim());
      }
    }
    if (envelope.pickle) pickles.set(envelope.pickle.id, envelope.pickle);
    if (envelope.testCase) {
      const pickle = pickles.get(envelope.testCase.pickleId)!;
      const checkIds = pickle.tags.map((t) => t.name.slice(1)).filter(isCheckId);
      for (const testStep of envelope.testCase.testSteps) {
        if (!testStep.pickleStepId || testStep.stepDefinitionIds?.length !== 1) continue;
        const step = pickle.steps.find((s) => s.id === testStep.pickleStepId)!;
        // "And"/"But"/"그리고" take the type of the step before them; the catalogue names it.
        const written = keywords.get(step.astNodeIds[0]) ?? '';
        const keyword = pickle.language === 'en' && ['Given', 'When', 'Then'].includes(written) ? written : KEYWORD[step.type ?? 'Unknown'];
        definitions.get(testStep.stepDefinitionIds[0])?.examples.push({ keyword, text: step.text, file: pickle.uri, language: pickle.language, checkIds });
      }
    }
  };
  const quiet = new PassThrough();
  quiet.resume();
  await runCucumber(
    { ...runConfiguration, runtime: { ...runConfiguration.runtime, dryRun: true }, formats: { ...runConfiguration.formats, stdout: 'summary', files: {} } },
    { cwd, stdout: quiet, stderr: quiet },
    onMessage,
  );
  return [...definitions.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** What each custom word of a step means; a parameter type missing here fails the catalogue. */
const PARAMETER_TYPES: Record<string, { means: string; values: string }> = {
  endpointService: {
    means: 'the service part of a VPC endpoint name (com.amazonaws.<region>.<service>)',
    values: ENDPOINT_SERVICES.map((s) => `\`${s}\``).join(', '),
  },
  address: { means: 'an IPv4 or IPv6 address, or a CIDR range', values: '`52.219.204.42`, `0.0.0.0/0`, `10.0.0.0/16`' },
  port: { means: 'a TCP port', values: '1 to 65535, such as `443`' },
  pathTarget: { means: 'the kind of target traffic should leave by', values: Object.keys(PATH_TARGETS).map((t) => `\`${t}\``).join(', ') },
  cluster: { means: 'an ECS cluster name, in double quotes; a name the account does not have fails, listing the clusters it has', values: '`"prod"`' },
  service: { means: 'an ECS service name, in double quotes; checked against the cluster\'s services', values: '`"orders-api"`' },
  string: { means: 'any text in double quotes: a name, a tag', values: '`"prod"`, `"egress=internet"`' },
  int: { means: 'a whole number', values: '`65536`' },
};

/** The catalogue's Markdown, or an error naming every step without an example and every undocumented word. */
export function renderCatalogue(steps: StepEntry[]): string {
  const problems = [
    ...steps.filter((s) => s.examples.length === 0).map((s) => `step "${s.expression}" (${s.file}:${s.line}) has no example in any feature file: use it in a scenario under features/`),
    ...[...new Set(steps.flatMap((s) => [...s.expression.matchAll(/\{(\w*)\}/g)].map((m) => m[1])))]
      .filter((name) => !PARAMETER_TYPES[name])
      .map((name) => `parameter type {${name}} is not described in support/catalogue.ts (PARAMETER_TYPES)`),
  ];
  if (problems.length) throw new Error(problems.join('\n'));

  const scope = steps.filter((s) => firstExample(s).keyword === 'Given');
  const checks = steps.filter((s) => firstExample(s).keyword !== 'Given');
  const usedTypes = Object.keys(PARAMETER_TYPES).filter((name) => steps.some((s) => s.expression.includes(`{${name}}`)));
  return [
    '# Step catalogue',
    '',
    '<!-- Generated by `npm run steps` from the step definitions (steps/) and the feature files',
    '     (features/, docs/examples/). Do not edit by hand: `npm test` fails when it is out of date. -->',
    '',
    'Every line a scenario can use, with an example taken from the feature files and the checks it',
    'serves. A scenario starts with one **scope** step (`Given …`: which services it is about), then',
    'states what must hold with **check** steps (`Then …`, more with `And …`). How to write one:',
    '[GUIDE.md](GUIDE.md).',
    '',
    'A word in braces is yours to fill in; a word the suite does not know fails the step and says',
    "what is allowed (`unknown endpoint service 'ecr.dkrr'; did you mean 'ecr.dkr'?`). Keywords may be",
    'English or Korean (`# language: ko` on the first line; `조건` for Given, `그러면` for Then, `그리고`',
    'for And): the step text stays as written here.',
    '',
    '## At a glance',
    '',
    '| step | serves |',
    '|---|---|',
    ...[...scope, ...checks].map((s) => `| \`${firstExample(s).keyword} ${s.expression.replace(/\|/g, '\\|')}\` | ${firstExample(s).keyword === 'Given' ? 'scope' : checkIdsOf(s).join(', ')} |`),
    '',
    '## Words you fill in',
    '',
    '| in a step | means | for example |',
    '|---|---|---|',
    ...usedTypes.map((name) => `| \`{${name}}\` | ${PARAMETER_TYPES[name].means} | ${PARAMETER_TYPES[name].values} |`),
    '',
    '## Scope: which services a scenario is about',
    '',
    ...scope.flatMap(entry),
    '## Checks: what must hold',
    '',
    ...checks.flatMap(entry),
  ].join('\n').trimEnd();
}

function checkIdsOf(step: StepEntry): string[] {
  return [...new Set(step.examples.flatMap((e) => e.checkIds))].sort();
}

function firstExample(step: StepEntry) {
  return step.examples.find((e) => e.language === 'en') ?? step.examples[0];
}

function entry(step: StepEntry): string[] {
  const example = firstExample(step);
  const serves = example.keyword === 'Given' ? [] : checkIdsOf(step).map((id) => `- **${id}**: ${(isCheckId(id) ? CHECKS.get(id)!.title : '')}`);
  return [
    `### ${example.keyword} ${step.expression}`,
    '',
    ...(serves.length ? ['Serves:', '', ...serves, ''] : []),
    `Example, from \`${example.file}\`:`,
    '',
    '```gherkin',
    `${example.keyword} ${example.text}`,
    '```',
    '',
    `Defined in \`${step.file}\`.`,
    '',
  ];
}

/** Why the catalogue on disk is not what the code and features say, or undefined when it is. */
export function staleness(onDisk: string | undefined, generated: string, name = 'docs/STEPS.md'): string | undefined {
  if (onDisk === undefined) return `${name} is missing: run npm run steps`;
  if (onDisk === generated) return undefined;
  const [a, b] = [onDisk.split('\n'), generated.split('\n')];
  const line = a.findIndex((l, i) => l !== b[i]);
  return `${name} is out of date (first difference at line ${(line < 0 ? a.length : line) + 1}: ${JSON.stringify(b[line] ?? '(end of file)')}): run npm run steps`;
}

/** docs/STEPS.md and docs/CHECKS.md as the code and features say they should read. */
export async function generateCatalogues(cwd?: string): Promise<{ steps: string; checks: string }> {
  const steps = await collectSteps(cwd);
  return { steps: `${renderCatalogue(steps)}\n`, checks: `${renderCheckCatalogue(steps)}\n` };
}

export async function generateCatalogue(): Promise<string> {
  return (await generateCatalogues()).steps;
}

if (require.main === module) {
  generateCatalogues()
    .then(({ steps, checks }) => {
      const files: [string, string][] = [
        [CATALOGUE_FILE, steps],
        [CHECK_CATALOGUE_FILE, checks],
      ];
      if (process.argv.includes('--check')) {
        for (const [file, text] of files) {
          const problem = staleness(readOptional(file), text, path.relative(process.cwd(), file));
          if (problem) throw new Error(problem);
        }
        process.stdout.write('docs/STEPS.md and docs/CHECKS.md are up to date\n');
        return;
      }
      for (const [file, text] of files) {
        writeFileSync(file, text);
        process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
      }
    })
    .catch((error: Error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    });
}

function readOptional(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
