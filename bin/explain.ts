// For people at a terminal: how each task subnet of a service or scheduled task reaches an address, or every need.
//   npm run explain -- --service <cluster>/<service> [--to 52.219.204.42:443] [--account demo|<snapshot>|live]
//   npm run explain -- --scheduled-task <rule or schedule name> [--to …] [--account …]
import { parseArgs } from 'node:util';
import { inventoryOf, type Target } from '../support/target';
import { selectWorkloads, ScopeError, type Scope } from '../support/workloads';
import { pathsOf, pathToRemote, type Path } from '../support/paths';
import { UsageError, USAGE_EXIT_CODE } from '../support/errors';
import { isAddress } from '../support/network/cidr';
import { usesAwsvpc } from '../support/checks/consistency';
import { describeRoom } from '../support/checks/addresses';

const USAGE = 'usage: npm run explain -- --service <cluster>/<service> | --scheduled-task <name> [--to <address>:<port>] [--account demo|healthy|<snapshot.json>|live]';
const MARK = { ok: '✔', note: 'ℹ', blocked: '✘', unverifiable: '?' } as const;

function parseTarget(to: string): { address: string; port: number } {
  const match = to.match(/^\[?([^\]]+?)\]?:(\d+)$/);
  const address = match?.[1] ?? to;
  const port = match ? Number(match[2]) : 443;
  if (!isAddress(address) || port < 1 || port > 65535) throw new UsageError(`--to "${to}" is not an address and port such as 52.219.204.42:443`);
  return { address, port };
}

/** Where explain writes its lines: stdout for the command, a list in the tests. */
export type Print = (line: string) => void;

function printPath(path: Path, print: Print): void {
  const s = path.subnet;
  print(`\n${s.id} (${s.availabilityZone}${s.name ? `, ${s.name}` : ''}) → ${path.to}${path.need ? `  [${path.need.reasons[0]}${path.need.reasons.length > 1 ? ', …' : ''}]` : ''}`);
  for (const hop of path.hops) print(`  ${MARK[hop.status]} ${hop.check.padEnd(7)} ${hop.text}`);
  const target = path.targetId && path.targetId !== 'local' ? ` ${path.targetId}` : '';
  const way =
    path.via === 'nowhere' ? `no way out${target ? ` (the route to${target} is a blackhole)` : ''}` : path.via === 'cannot be verified' ? unverifiedBecause(path) : `via ${path.via}${target}`;
  print(`  = ${path.verdict.toUpperCase()}: ${way}`);
  const fix = path.hops.find((h) => (h.status === 'blocked' || h.status === 'unverifiable') && h.fix)?.fix;
  if (fix) print(`    fix: ${fix.cli}`);
}

/** What keeps a path that goes nowhere known from being verified, and why: its first unverifiable hop, up to what each answer would meet. */
function unverifiedBecause(path: Path): string {
  const hop = path.hops.find((h) => h.status === 'unverifiable');
  return hop ? `${hop.text.split(/: with |; with /)[0]} (${hop.check})` : 'no evidence either way';
}

/** `npm run explain -- <args>`: prints what it finds through `print`; a UsageError or ScopeError is the user's mistake. */
export async function explain(args: string[], print: Print = console.log): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { service: { type: 'string' }, 'scheduled-task': { type: 'string' }, to: { type: 'string' }, account: { type: 'string' }, help: { type: 'boolean' } } });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]}; ${USAGE}`);
  }
  const { values } = parsed;
  if (values.help) {
    print(USAGE);
    return;
  }
  const scheduled = values['scheduled-task'];
  if (!scheduled && !values.service?.includes('/')) throw new UsageError(`--service needs <cluster>/<service>; ${USAGE}`);
  const [cluster, service] = (values.service ?? '').split('/', 2);
  const scope: Scope = scheduled ? { kind: 'scheduled task', name: scheduled } : { kind: 'service', cluster, service };
  const account = values.account ?? process.env.PREFLIGHT_ACCOUNT ?? 'demo';
  const target: Target = account === 'live' ? { mode: 'live' } : { mode: 'replay', account };
  const to = values.to ? parseTarget(values.to) : undefined;
  const { inventory } = await inventoryOf(target);
  const [workload] = selectWorkloads(inventory, scope);
  print(`${workload.id} in account ${inventory.account}, ${inventory.region}${target.mode === 'replay' ? ` (snapshot ${account})` : ''}`);
  if (!usesAwsvpc(inventory, workload)) {
    const mode = inventory.taskDefinitions.get(workload.taskDefinitionArn)?.networkMode ?? 'bridge';
    print(`\n${workload.id} uses ${mode} networking: its tasks use their container instance's network, not task subnets, so there are no task subnet paths to explain (the network checks do not apply to it; the IAM and task-definition checks do)`);
    return;
  }
  print(`\nFree addresses of the task subnets (NET-04: each new task of a deployment or a scheduled run takes one):`);
  for (const s of workload.taskSubnets) print(`  ${describeRoom(inventory, s.subnet)}`);
  const paths = to ? workload.taskSubnets.map((s) => pathToRemote(inventory, workload, s, to.address, to.port)) : pathsOf(inventory, workload);
  for (const p of paths) printPath(p, print);
  const failing = paths.filter((p) => p.verdict !== 'reachable').length;
  print(`\n${paths.length - failing} of ${paths.length} paths reachable`);
}

if (require.main === module) {
  explain(process.argv.slice(2)).catch((error) => {
    if (error instanceof UsageError || error instanceof ScopeError) {
      console.error(`explain: ${error.message}`);
      process.exit(USAGE_EXIT_CODE);
    }
    throw error;
  });
}
