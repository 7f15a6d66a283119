// Live runs: `npm run check:live` evaluates the account of the standard AWS environment;
// with PREFLIGHT_TARGETS=targets.json it evaluates every target of the file (docs/TARGETS.md).
// Targets are read concurrently, at most PREFLIGHT_TARGET_CONCURRENCY (4) at once, since reading
// is waiting on AWS; Cucumber then evaluates them one after the other, in file order, while the
// next ones are still being read (evaluating is CPU work that one process cannot overlap).
//   [PREFLIGHT_TARGETS=targets.json] npm run check:live [-- <cucumber options: feature files, --tags …>]
//
// Each target is read first (STS names its account), then Cucumber runs the features once for it
// through its JavaScript API. Reports name the account and region of every result: the JUnit
// suite is "ecs-preflight <target> <account>/<region>", each test case's class is prefixed with
// "[<target> <account>/<region>]", and each scenario logs them in the HTML report. With a targets
// file, each target's reports go to reports/<target>/. A target that cannot be read (credentials,
// a role it cannot assume, a denied read every check needs) gets one line and a JUnit error, and
// the other targets still run. Exit code: the worst of the targets' (0 passed, 1 a check failed,
// 2 a target could not be evaluated).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfiguration, runCucumber, type IRunConfiguration, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { inventoryOf, type LiveTarget } from '../support/target';
import { readTargets } from '../support/targets';
import { startBounded } from '../support/util/concurrency';
import { UsageError, USAGE_EXIT_CODE } from '../support/errors';
import { usageErrorsSeen } from '../support/exit-code';
import { baselineFor } from '../support/results';
import { escapeXml } from '../support/util/xml';

interface Outcome {
  label: string;
  code: 0 | 1 | 2;
  reports: string[];
}

const TARGET_LOG = path.join(__dirname, '..', 'support', 'target-log.ts');

/**
 * Where a target's copy of a report goes: with several targets, in a folder named after the
 * target beside the configured file; PREFLIGHT_REPORTS_DIR moves what the profile puts under
 * reports/ elsewhere (a CI artifacts folder).
 */
function reportPath(file: string, target: LiveTarget, several: boolean): string {
  const dir = process.env.PREFLIGHT_REPORTS_DIR;
  const underReports = path.relative('reports', file);
  const out = dir && !underReports.startsWith('..') && !path.isAbsolute(underReports) ? path.join(dir, underReports) : file;
  return several ? path.join(path.dirname(out), target.name!, path.basename(out)) : out;
}

function isJunit(formatter: string): boolean {
  return /junit/i.test(formatter);
}

/** Names the target in a JUnit file whatever wrote it: the suite name, and a prefix on every test case's class. */
function labelJunit(file: string, suiteName: string, label: string): void {
  let xml: string;
  try {
    xml = readFileSync(file, 'utf8');
  } catch {
    return;
  }
  xml = xml
    .replace(/(<testsuite\b[^>]*?\bname=")[^"]*"/, `$1${escapeXml(suiteName)}"`)
    .replace(/(<testcase\b[^>]*?\bclassname=")/g, `$1${escapeXml(`[${label}] `)}`);
  writeFileSync(file, xml);
}

/** A JUnit file for a target that could not be read: CI shows the reason where the results would be. */
function junitError(file: string, suiteName: string, message: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(
    file,
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<testsuite name="${escapeXml(suiteName)}" tests="1" failures="0" errors="1" skipped="0" time="0">`,
      `  <testcase classname="${escapeXml(suiteName)}" name="read the account" time="0">`,
      `    <error type="UsageError" message="${escapeXml(message)}"/>`,
      '  </testcase>',
      '</testsuite>',
      '',
    ].join('\n'),
  );
}

async function main(): Promise<number> {
  const file = process.env.PREFLIGHT_TARGETS;
  const several = Boolean(file);
  const targets: LiveTarget[] = file ? readTargets(file) : [{ mode: 'live' }];
  const { runConfiguration } = await loadConfiguration({ profiles: ['live'], provided: process.argv.slice(2) });
  let support: ISupportCodeLibrary | undefined;
  const outcomes: Outcome[] = [];
  const concurrency = Math.max(1, Number(process.env.PREFLIGHT_TARGET_CONCURRENCY ?? 4) || 4);
  const reads = startBounded(targets, concurrency, (target) => inventoryOf(target));
  // A read that fails is reported when its turn comes; until then its rejection is expected.
  for (const read of reads) read.catch(() => undefined);

  const baselineSetting = process.env.PREFLIGHT_BASELINE;
  for (const [index, target] of targets.entries()) {
    const files = Object.fromEntries(Object.entries(runConfiguration.formats.files).map(([out, formatter]) => [reportPath(out, target, several), formatter]));
    const junitFiles = Object.entries(files).filter(([, formatter]) => isJunit(formatter)).map(([out]) => out);
    if (several) process.stdout.write(`\n── target ${target.name} (${target.region}) ──\n`);

    let inventory;
    try {
      ({ inventory } = await reads[index]);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      process.stderr.write(`ecs-preflight: ${several ? `target ${target.name}: ` : ''}${error.message}\n`);
      const label = `${target.name ? `${target.name} ` : ''}${target.region ?? process.env.AWS_REGION ?? ''}`.trim();
      for (const out of junitFiles) junitError(out, `ecs-preflight ${label}`, error.message);
      outcomes.push({ label, code: USAGE_EXIT_CODE, reports: junitFiles });
      continue;
    }

    const label = `${target.name ? `${target.name} ` : ''}${inventory.account}/${inventory.region}`;
    if (inventory.denied?.size) {
      const denied = [...inventory.denied.keys()].join(', ');
      process.stdout.write(`note: AWS denied ${denied} in ${label}: the checks that need ${inventory.denied.size === 1 ? 'it' : 'them'} fail saying so, the others run; grant the actions of iam/readonly-policy.json\n`);
    }
    const suiteName = `ecs-preflight ${label}`;
    const options = runConfiguration.formats.options as Record<string, unknown>;
    const configuration: IRunConfiguration = {
      ...runConfiguration,
      runtime: { ...runConfiguration.runtime, worldParameters: { ...runConfiguration.runtime.worldParameters, target: { ...target } } },
      formats: {
        ...runConfiguration.formats,
        files,
        options: { ...options, junit: { ...((options.junit as object) ?? {}), suiteName }, reports: Object.keys(files) },
      },
    };
    const runSupport = support ?? { ...runConfiguration.support, requirePaths: [...(runConfiguration.support.requirePaths ?? []), TARGET_LOG] };
    const brokenBefore = usageErrorsSeen();
    // Each target is compared with its own last results (the formatters read the variable as the run ends).
    const baseline = baselineFor(baselineSetting, target, several);
    if (baseline) process.env.PREFLIGHT_BASELINE = baseline;
    else delete process.env.PREFLIGHT_BASELINE;
    const result = await runCucumber({ ...configuration, support: runSupport });
    support = result.support;
    for (const out of junitFiles) labelJunit(out, suiteName, label);
    // A broken input met during the run (waivers, a feature's words) is exit code 2, as with cucumber-js.
    outcomes.push({ label, code: result.success ? 0 : usageErrorsSeen() > brokenBefore ? USAGE_EXIT_CODE : 1, reports: Object.keys(files) });
  }

  if (several) {
    const words = ['passed', 'a check failed', 'could not be evaluated'];
    process.stdout.write(`\n${outcomes.length} targets:\n`);
    for (const o of outcomes) process.stdout.write(`  ${['✔', '✘', '!'][o.code]} ${o.label}: ${words[o.code]} — ${o.reports.join(', ')}\n`);
  }
  return Math.max(0, ...outcomes.map((o) => o.code));
}

main().then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof UsageError) {
      process.stderr.write(`ecs-preflight: ${error.message}\n`);
      process.exit(USAGE_EXIT_CODE);
    }
    const { name = 'Error', message = String(error) } = (error ?? {}) as { name?: string; message?: string };
    process.stderr.write(`ecs-preflight: unexpected error (${name}: ${message.split('\n')[0]}): please report it with this line\n`);
    process.exit(USAGE_EXIT_CODE);
  },
);
