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

/** The first parse error of a feature file's text, or undefined. */
function parseError(uri, text) {
  const envelopes = generateMessages(text, uri, SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN, {
    includeSource: false,
    includeGherkinDocument: true,
    includePickles: false,
    newId: IdGenerator.incrementing(),
  });
  return envelopes.find((e) => e.parseError)?.parseError;
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
    const error = parseError(file, readFileSync(path.join(cwd, file), 'utf8'));
    if (error) problems.push({ uri: file, message: error.message });
    else runnable.push(file);
  }
  if (problems.length === 0) return undefined;
  process.env.PREFLIGHT_FEATURE_PROBLEMS = JSON.stringify(problems);
  const standIn = path.join(mkdtempSync(path.join(tmpdir(), 'preflight-unparsed-')), 'feature-files-that-could-not-be-read.feature');
  const lines = ['Feature: Feature files that could not be read', ''];
  problems.forEach((p, i) => {
    const line = p.message.match(/^\((\d+):/)?.[1];
    lines.push(`  Scenario: ${p.uri}${line ? ` line ${line}` : ''} could not be read`, `    Given feature file problem ${i + 1} of this run`, '');
  });
  writeFileSync(standIn, lines.join('\n'));
  process.on('exit', () => rmSync(path.dirname(standIn), { recursive: true, force: true }));
  return [...runnable, standIn];
}

module.exports = { plannedPaths };
