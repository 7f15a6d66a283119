// Merges JUnit XML reports into one: `npm run junit:merge -- --out <merged.xml> <report.xml>...` (a
// directory stands for every junit.xml under it). The output is named, never an input: a merge must
// not overwrite a report it reads. Each input's <testsuite> elements are kept as
// they are (the live runner names each suite and prefixes each test case's class with its target,
// so merged suites stay apart); the <testsuites> root carries the sums of tests, failures, errors,
// skipped and time. The nightly CI workflow's last job runs it over every shard's reports.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { escapeXml } from '../support/util/xml';

export interface MergedJunit {
  xml: string;
  suites: number;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** Every junit.xml under a directory, or the file itself. */
export function junitFiles(input: string): string[] {
  if (!statSync(input).isDirectory()) return [input];
  return readdirSync(input, { recursive: true, encoding: 'utf8' })
    .filter((f) => path.basename(f) === 'junit.xml' || /junit.*\.xml$/.test(path.basename(f)))
    .map((f) => path.join(input, f))
    .sort();
}

function attribute(tag: string, name: string): number {
  const value = tag.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1];
  return value === undefined || Number.isNaN(Number(value)) ? 0 : Number(value);
}

/** The <testsuite> elements of one report, whether its root is <testsuite> or <testsuites>. */
export function testSuites(xml: string, source: string): string[] {
  const suites = xml.match(/<testsuite\b[^>]*?(?:\/>|>[\s\S]*?<\/testsuite>)/g);
  if (!suites) throw new Error(`${source} holds no <testsuite>: is it a JUnit report?`);
  return suites;
}

export function mergeJunit(reports: { source: string; xml: string }[], name = 'ecs-preflight'): MergedJunit {
  const suites = reports.flatMap(({ source, xml }) => testSuites(xml, source));
  const sum = (key: string) => suites.reduce((total, suite) => total + attribute(suite.slice(0, suite.indexOf('>')), key), 0);
  const totals = { tests: sum('tests'), failures: sum('failures'), errors: sum('errors'), skipped: sum('skipped') };
  const time = sum('time');
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(name)}" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${time.toFixed(3)}">`,
    ...suites.map((s) => `  ${s}`),
    '</testsuites>',
    '',
  ].join('\n');
  return { xml, suites: suites.length, ...totals };
}

const USAGE = 'usage: npm run junit:merge -- --out <merged.xml> <junit.xml or directory>...';

/** The command: the merged file written, or one line saying what is wrong with the arguments (exit code 2). */
export function mergeCommand(argv: string[]): { code: 0 | 2; message: string } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { out: { type: 'string', short: 'o' } }, allowPositionals: true });
  } catch (error) {
    return { code: 2, message: `${(error as Error).message}; ${USAGE}` };
  }
  const { values, positionals: inputs } = parsed;
  if (!values.out) return { code: 2, message: `name the merged file with --out (the inputs are never overwritten); ${USAGE}` };
  if (inputs.length === 0) return { code: 2, message: `no report to merge; ${USAGE}` };
  const out = path.resolve(values.out);
  const missing = inputs.find((i) => !existsSync(i));
  if (missing) return { code: 2, message: `${missing} does not exist; ${USAGE}` };
  const files = inputs.flatMap(junitFiles);
  // A directory may hold the output of an earlier merge: skip it rather than merge it into itself.
  const named = inputs.find((i) => path.resolve(i) === out);
  if (named) return { code: 2, message: `--out ${values.out} is also an input: the merge would overwrite it; write the merged report elsewhere` };
  const sources = files.filter((f) => path.resolve(f) !== out);
  if (sources.length === 0) return { code: 2, message: `no JUnit report found in ${inputs.join(', ')}` };
  let merged: MergedJunit;
  try {
    merged = mergeJunit(sources.map((source) => ({ source, xml: readFileSync(source, 'utf8') })));
  } catch (error) {
    return { code: 2, message: (error as Error).message };
  }
  writeFileSync(out, merged.xml);
  return { code: 0, message: `${values.out}: ${merged.suites} suites from ${sources.length} files, ${merged.tests} tests, ${merged.failures} failures, ${merged.errors} errors, ${merged.skipped} skipped` };
}

if (require.main === module) {
  const { code, message } = mergeCommand(process.argv.slice(2));
  (code === 0 ? process.stdout : process.stderr).write(`${code === 0 ? '' : 'junit:merge: '}${message}\n`);
  process.exit(code);
}
