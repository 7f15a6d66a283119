// For `cucumber-js` run without feature paths (npm run check, the nightly run): feature files that
// Gherkin cannot parse are left out, so that one mistyped keyword does not cost every other file its
// run (Cucumber runs nothing at all when one file does not parse). Each file left out is replaced by
// a stand-in scenario that fails with its file, line and a plain sentence
// (support/feature-problem.steps.ts), so that the console, the HTML and the JUnit report all show it,
// and the run exits 2. With paths given, Cucumber reads exactly those.
const { globSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { generateMessages } = require('@cucumber/gherkin');
const { IdGenerator, SourceMediaType } = require('@cucumber/messages');

const DEFAULT_FEATURES = 'features/**/*.feature';

function runByCucumberCli() {
  return /[\\/]@cucumber[\\/]cucumber[\\/]bin[\\/]/.test(require.main?.filename ?? '');
}

/** The feature paths given on the command line; undefined when they cannot be told (then nothing is planned). */
function pathsOnCommandLine() {
  try {
    const configuration = path.join(path.dirname(require.resolve('@cucumber/cucumber')), 'configuration', 'index.js');
    return require(configuration).ArgvParser.parse(process.argv).configuration.paths ?? [];
  } catch {
    return undefined;
  }
}

/**
 * What keeps a feature file from running as written: its first parse error (the file cannot run),
 * or its Scenario Outlines whose Examples have no rows (they run nothing, silently). Messages start
 * "(line:column):", as Gherkin's own do.
 */
function problemsOf(uri, text) {
  const envelopes = generateMessages(text, uri, SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN, {
    includeSource: false,
    includeGherkinDocument: true,
    includePickles: false,
    newId: IdGenerator.incrementing(),
  });
  const error = envelopes.find((e) => e.parseError)?.parseError;
  if (error) return { parses: false, problems: [error.message] };
  const feature = envelopes.find((e) => e.gherkinDocument)?.gherkinDocument?.feature;
  const scenarios = (feature?.children ?? []).flatMap((c) => (c.scenario ? [c.scenario] : (c.rule?.children ?? []).flatMap((r) => (r.scenario ? [r.scenario] : []))));
  const empty = scenarios.flatMap((scenario) =>
    scenario.examples
      .filter((examples) => examples.tableBody.length === 0)
      .map((examples) => `(${examples.location.line}:${examples.location.column}): the Examples table of "${scenario.name}" (line ${scenario.location.line}) has no rows, so the outline runs no scenario: add a row per case`),
  );
  return { parses: true, problems: empty };
}

/**
 * The paths to run when some default feature files do not parse (undefined when Cucumber's own
 * default serves), and sets PREFLIGHT_FEATURE_PROBLEMS to the parse errors of the others.
 */
let planned; // Cucumber may evaluate the configuration more than once: plan once per process.

function plannedPaths(cwd) {
  if (planned === undefined) planned = { paths: plan(cwd) };
  return planned.paths;
}

function plan(cwd) {
  if (!runByCucumberCli()) return undefined;
  const given = pathsOnCommandLine();
  if (given === undefined || given.length > 0) return undefined;
  const files = globSync(DEFAULT_FEATURES, { cwd }).sort();
  const problems = [];
  const runnable = [];
  for (const file of files) {
    const found = problemsOf(file, readFileSync(path.join(cwd, file), 'utf8'));
    for (const message of found.problems) problems.push({ uri: file, message });
    if (found.parses) runnable.push(file);
  }
  if (problems.length === 0) return undefined;
  process.env.PREFLIGHT_FEATURE_PROBLEMS = JSON.stringify(problems);
  const standIn = path.join(mkdtempSync(path.join(tmpdir(), 'preflight-unparsed-')), 'feature-files-that-could-not-be-read.feature');
  const lines = ['Feature: Feature files that cannot be run as written', ''];
  problems.forEach((p, i) => {
    const line = p.message.match(/^\((\d+):/)?.[1];
    lines.push(`  Scenario: ${p.uri}${line ? ` line ${line}` : ''} cannot be run`, `    Given feature file problem ${i + 1} of this run`, '');
  });
  writeFileSync(standIn, lines.join('\n'));
  process.on('exit', () => rmSync(path.dirname(standIn), { recursive: true, force: true }));
  return [...runnable, standIn];
}

module.exports = { plannedPaths };
