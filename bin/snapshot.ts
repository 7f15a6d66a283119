// Records a live account-region into a snapshot (docs/SNAPSHOT.md), read-only, with progress on
// stderr. Replaying the snapshot gives the verdicts of the live run it came from; attach it to a
// bug report (with --redact-accounts if the account IDs are private).
//   npm run snapshot -- --region ap-northeast-2 [--profile p | --role arn [--external-id x]] --out fixtures/accounts/mine.json [--redact-accounts]
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SnapshotRecorder, redactAccountIds } from '../support/aws/record';
import { readSnapshot } from '../support/aws/snapshot';
import { loadInventory } from '../support/inventory/load';
import { gatewayFor, loadTimeoutMs, loadWithin, regionOf, type LiveTarget } from '../support/target';
import { UsageError, USAGE_EXIT_CODE } from '../support/errors';

const USAGE =
  'usage: npm run snapshot -- --region <region> [--profile <profile> | --role <role-arn> [--external-id <id>] [--session-name <name>]] --out <file.json> [--redact-accounts] [--description <text>]';

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        region: { type: 'string' },
        profile: { type: 'string' },
        role: { type: 'string' },
        'external-id': { type: 'string' },
        'session-name': { type: 'string' },
        out: { type: 'string' },
        'redact-accounts': { type: 'boolean', default: false },
        description: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]}; ${USAGE}`);
  }
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  if (args.help) {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  if (!args.out) throw new UsageError(`--out is required; ${USAGE}`);
  if (args['external-id'] && !args.role) throw new UsageError(`--external-id needs --role; ${USAGE}`);
  const target: LiveTarget = {
    mode: 'live',
    region: args.region,
    profile: args.profile,
    roleArn: args.role,
    externalId: args['external-id'],
    sessionName: args['session-name'],
  };
  const region = regionOf(target);
  const started = Date.now();
  const say = (line: string) => process.stderr.write(`snapshot: ${line}\n`);
  say(`reading ${region}${args.role ? ` as ${args.role}` : args.profile ? ` with profile ${args.profile}` : ''} (read-only calls only)`);
  const recorder = new SnapshotRecorder((line) => say(`  ${line}`));
  const gateway = gatewayFor(target, recorder);
  const inventory = await loadWithin(target, loadInventory(gateway), loadTimeoutMs(), gateway);
  // The load went on without these (reads only some checks need), as a live run would: the snapshot keeps the gap.
  for (const call of recorder.unansweredCalls) say(`  ${call}: recorded as unanswered; the checks that need it will say so, as the live run does`);
  for (const [operation] of inventory.denied ?? []) say(`  ${operation} was denied: recorded as denied; the checks that need it will say so`);

  let snapshot = recorder.snapshot({
    account: inventory.account,
    region,
    description: args.description ?? `recorded by npm run snapshot in ${region}${args['redact-accounts'] ? ', account IDs redacted' : ''}`,
  });
  let redacted = '';
  if (args['redact-accounts']) {
    const result = redactAccountIds(snapshot);
    snapshot = result.snapshot;
    redacted = `, ${result.accounts} account ID${result.accounts === 1 ? '' : 's'} redacted`;
  }
  const out = path.resolve(args.out);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(snapshot, null, 2)}\n`);
  readSnapshot(out); // what was written must replay: the same validation a run applies
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const shown = args.out.endsWith('.json') || args.out.includes('/') ? args.out : out;
  say(`wrote ${shown}: ${recorder.callCount} calls of ${Object.keys(snapshot.calls).length} operations in ${seconds} s${redacted}; environment values redacted`);
  say(`replay it: PREFLIGHT_ACCOUNT=${shown} npm run check`);
}

main().then(
  () => process.exit(0),
  (error) => {
    if (error instanceof UsageError) {
      process.stderr.write(`snapshot: ${error.message}\n`);
      process.exit(USAGE_EXIT_CODE);
    }
    const { name = 'Error', message = String(error) } = (error ?? {}) as { name?: string; message?: string };
    process.stderr.write(`snapshot: unexpected error (${name}: ${message.split('\n')[0]}): please report it with this line\n`);
    process.exit(1);
  },
);
