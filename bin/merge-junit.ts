// Merges JUnit XML reports into one: `npm run junit:merge -- <out.xml> <report.xml>...` (a
// directory stands for every junit.xml under it). Each input's <testsuite> elements are kept as
// they are (the live runner names each suite and prefixes each test case's class with its target,
// so merged suites stay apart); the <testsuites> root carries the sums of tests, failures, errors,
// skipped and time. The nightly CI workflow's last job runs it over every shard's reports.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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
  const escapedName = name.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapedName}" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${time.toFixed(3)}">`,
    ...suites.map((s) => `  ${s}`),
    '</testsuites>',
    '',
  ].join('\n');
  return { xml, suites: suites.length, ...totals };
}

function main(argv: string[]): void {
  const [out, ...inputs] = argv;
  if (!out || inputs.length === 0) {
    process.stderr.write('usage: npm run junit:merge -- <merged.xml> <junit.xml or directory>...\n');
    process.exit(2);
  }
  const files = inputs.flatMap(junitFiles).filter((f) => path.resolve(f) !== path.resolve(out));
  if (files.length === 0) {
    process.stderr.write(`no JUnit report found in ${inputs.join(', ')}\n`);
    process.exit(2);
  }
  const merged = mergeJunit(files.map((source) => ({ source, xml: readFileSync(source, 'utf8') })));
  writeFileSync(out, merged.xml);
  process.stdout.write(
    `${out}: ${merged.suites} suites from ${files.length} files, ${merged.tests} tests, ${merged.failures} failures, ${merged.errors} errors, ${merged.skipped} skipped\n`,
  );
}

if (require.main === module) main(process.argv.slice(2));
