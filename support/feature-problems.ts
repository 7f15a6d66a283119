// What makes a feature file fail to run, in plain words with its line: a line Gherkin cannot parse
// (Cucumber then runs nothing at all), and a Scenario Outline whose Examples table has no rows
// (Gherkin silently makes no scenario of it). The console and the JUnit report show each as an
// error, and the run exits 2: an input is broken, which is not a finding.
import type { Envelope, GherkinDocument } from '@cucumber/messages';
import { closest } from './util/closest';
import { exitWithUsageError } from './exit-code';

/** The stand-in step of a feature file that does not parse (support/feature-plan.js); not a domain step, so the step catalogue leaves it out. */
export const FEATURE_PROBLEM_STEP = 'feature file problem {int} of this run';

export interface FeatureProblem {
  file: string;
  line?: number;
  message: string;
}

const KEYWORDS = ['Given', 'When', 'Then', 'And', 'But', 'Feature:', 'Background:', 'Scenario:', 'Scenario Outline:', 'Examples:', 'Rule:'];

/** Gherkin's "(12:5): expected: #EOF, #StepLine, … got 'Thn every …'" in plain words. */
export function plainParseError(file: string, message: string): FeatureProblem {
  const at = message.match(/^\((\d+):(\d+)\): ([\s\S]*)$/);
  const line = at ? Number(at[1]) : undefined;
  const text = (at ? at[3] : message).trim();
  const got = text.match(/got '([\s\S]*)'$/)?.[1]?.trim();
  if (/^unexpected end of file/.test(text)) return { file, line, message: 'the file ends before what it started is complete (a Feature needs a Scenario, an outline its Examples)' };
  if (got === undefined) return { file, line, message: text };
  const word = got.split(/\s+/)[0] ?? '';
  const near = KEYWORDS.includes(word) ? undefined : (closest(word, KEYWORDS) ?? closest(`${word.replace(/:$/, '')}:`, KEYWORDS));
  const section = near?.endsWith(':') || word.endsWith(':');
  const rule = section
    ? 'a section starts with Feature:, Background:, Scenario:, Scenario Outline:, Examples: or Rule:'
    : near
      ? 'a step starts with Given, When, Then, And or But'
      : 'check the lines above it: a scenario, its steps, then Examples';
  return { file, line, message: `"${got.slice(0, 80)}" is not a line Gherkin expects here${near ? ` (did you mean "${near}"?)` : ''}: ${rule} (docs/GUIDE.md)` };
}

/** Scenario Outlines whose Examples have no rows: they would run nothing, silently. */
export function emptyExamples(document: GherkinDocument): FeatureProblem[] {
  const file = document.uri ?? 'a feature file';
  const children = document.feature?.children ?? [];
  const scenarios = children.flatMap((c) => (c.scenario ? [c.scenario] : (c.rule?.children ?? []).flatMap((r) => (r.scenario ? [r.scenario] : []))));
  return scenarios.flatMap((scenario) =>
    scenario.examples
      .filter((examples) => examples.tableBody.length === 0)
      .map((examples) => ({
        file,
        line: examples.location.line,
        message: `the Examples table of "${scenario.name}" (line ${scenario.location.line}) has no rows, so the outline runs no scenario: add a row per case`,
      })),
  );
}

const STEP_KEYWORDS = ['Given', 'When', 'Then', 'And', 'But'];

/**
 * A mistyped keyword on a scenario's first line ("Gven every service …") makes Gherkin read the
 * line as the scenario's description, silently: a description line whose first word is a step
 * keyword's near miss is reported.
 */
export function stepsReadAsDescription(document: GherkinDocument): FeatureProblem[] {
  const file = document.uri ?? 'a feature file';
  const children = document.feature?.children ?? [];
  const blocks = children.flatMap((c) => [...(c.scenario ? [c.scenario] : []), ...(c.background ? [c.background] : []), ...(c.rule?.children ?? []).flatMap((r) => (r.scenario ? [r.scenario] : []))]);
  return blocks.flatMap((block) =>
    block.description
      .split('\n')
      .map((text, i) => ({ text: text.trim(), line: block.location.line + 1 + i }))
      .flatMap(({ text, line }) => {
        const word = text.split(/\s+/)[0] ?? '';
        const near = STEP_KEYWORDS.includes(word) ? undefined : closest(word, STEP_KEYWORDS);
        return near && word.length >= 3 ? [{ file, line, message: `"${text.slice(0, 80)}" is read as a description, not a step (did you mean "${near}"?): a step starts with Given, When, Then, And or But` }] : [];
      }),
  );
}

/** Collects the problems of the run's feature files from its messages; the first one found makes the process exit 2. */
export class FeatureProblems {
  readonly found: FeatureProblem[] = [];


  /** Those cucumber.js planned stand-in scenarios for (support/feature-plan.js): the stand-ins report them. */
  private readonly planned = new Set(
    (JSON.parse(process.env.PREFLIGHT_FEATURE_PROBLEMS ?? '[]') as { uri: string; message: string }[]).map((p) => {
      const { file, line } = plainParseError(p.uri, p.message);
      return `${file}:${line}`;
    }),
  );

  onEnvelope(envelope: Envelope): void {
    if (envelope.parseError) this.add(plainParseError(envelope.parseError.source.uri ?? 'a feature file', envelope.parseError.message));
    if (envelope.gherkinDocument) for (const p of [...emptyExamples(envelope.gherkinDocument), ...stepsReadAsDescription(envelope.gherkinDocument)]) this.add(p);
  }

  private add(problem: FeatureProblem): void {
    if (this.planned.has(`${problem.file}:${problem.line}`)) return;
    exitWithUsageError();
    this.found.push(problem);
  }
}

export function describeProblem(p: FeatureProblem): string {
  return `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`;
}
