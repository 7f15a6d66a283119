// `npm run bench`: the suite on synthetic accounts as a nightly run meets them, against the
// startup floor. Figures only: nothing here is a test.
//
// Nights (the default): each size is read twice from a replay that answers like AWS (its published
// request buckets, ThrottlingException past them: PREFLIGHT_REPLAY_AWS_LIMITS) with 100 ms per call,
// by a run that keeps to its budget (PREFLIGHT_API_BUDGET): the first night with an empty cache, the
// second with the task definitions the first one kept. Per size: SDK calls on both nights, throttles,
// wall time against the least time the budget allows, and peak RSS; plus the same account replayed
// without limits or latency, against the floor (a run that selects no scenario).
//
//   npm run bench                                  sizes 500 and 2000, budget 0.5
//   npm run -s bench -- --json                     the same, as one JSON object on stdout (-s: without npm's banner)
//   npm run bench -- --sizes 500 --budget 0.25     other sizes, another budget
//   npm run bench -- --detail                      the former analysis: sizes 50, 500, 2000 by CPU
//                                                  and RSS, calls per operation, load alone with
//                                                  latency, --parallel against one process
//   options: --seed N  --runs N (unthrottled rows)  --latency MS (default 100)  --no-parallel  --keep
//
// Each run is `cucumber-js` as `npm run check` starts it (node_modules/.bin/cucumber-js, the
// project's cucumber.js profile, PREFLIGHT_ACCOUNT=<snapshot>), in a child process, with two
// differences: the HTML and JUnit reports go to a temporary directory instead of reports/, and
// PREFLIGHT_STATS makes the run append its gateways' SDK call counts, throttles, cache hits and its
// peak RSS to a file. Wall time is measured around the child; peak RSS and CPU time by GNU time
// (%M %U %S) when /usr/bin/time exists, else the peak RSS from the stats lines.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { syntheticAccount, shapeOf } from './synthetic';
import type { StatsLine } from '../support/aws/stats';
import { budgetMinimumSeconds, DEFAULT_BUDGET_FRACTION } from '../support/aws/budget';
import type { OperationName } from '../support/aws/operations';

const ROOT = path.resolve(__dirname, '..');
const CUCUMBER = path.join(ROOT, 'node_modules', '.bin', 'cucumber-js');
const GNU_TIME = '/usr/bin/time';

interface Options {
  sizes: number[];
  runs: number;
  seed: number;
  latencyMs: number;
  parallel: boolean;
  keep: boolean;
  detail: boolean;
  json: boolean;
  budget: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { sizes: [], runs: 3, seed: 1, latencyMs: 100, parallel: true, keep: false, detail: false, json: false, budget: DEFAULT_BUDGET_FRACTION };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--sizes') options.sizes = value().split(',').map(Number);
    else if (arg === '--runs') options.runs = Number(value());
    else if (arg === '--seed') options.seed = Number(value());
    else if (arg === '--latency') options.latencyMs = Number(value());
    else if (arg === '--no-parallel') options.parallel = false;
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--quick') Object.assign(options, { sizes: [50, 500], runs: 1, parallel: false, detail: true });
    else if (arg === '--detail') options.detail = true;
    else if (arg === '--json') options.json = true;
    else if (arg === '--budget') options.budget = Number(value());
    else throw new Error(`unknown option ${arg} (see the header of bench/run.ts)`);
  }
  if (!options.sizes.length) options.sizes = options.detail ? [50, 500, 2000] : [500, 2000];
  if (!(options.budget >= 0.05 && options.budget <= 1)) throw new Error('--budget takes a fraction from 0.05 to 1');
  if (options.sizes.some((n) => !Number.isInteger(n) || n < 1) || !(options.runs >= 1)) throw new Error('--sizes takes positive integers, --runs at least 1');
  return options;
}

// ---------------------------------------------------------------- one child run

interface RunResult {
  wallMs: number;
  /** User + system CPU time of the process tree (GNU time); 0 without it. */
  cpuMs: number;
  /** Peak resident set size of the process (its --parallel workers are threads in it), kB. */
  peakRssKb: number;
  calls: Record<string, number>;
  totalCalls: number;
  /** Attempts the (emulated) AWS throttled. */
  throttles: number;
  /** Calls answered by the cache of task definitions instead. */
  cacheHits: number;
  /** Gateways that read the account: one per process, or one per --parallel worker. */
  loaders: number;
  exitCode: number;
  stderr: string;
}

class Bench {
  readonly dir: string;
  private n = 0;
  private readonly config: string;

  constructor(private readonly options: Options) {
    this.dir = mkdtempSync(path.join(tmpdir(), 'ecs-preflight-bench-'));
    mkdirSync(path.join(this.dir, 'reports'));
    // The project's profiles, with the HTML and JUnit reports written here rather than to reports/.
    this.config = path.join(this.dir, 'cucumber.bench.js');
    writeFileSync(
      this.config,
      `const profiles = require(${JSON.stringify(path.join(ROOT, 'cucumber.js'))});
const out = ${JSON.stringify(path.join(this.dir, 'reports'))};
const retarget = (f) => typeof f === 'string' ? f.replace(/:reports\\//, ':' + out + '/') : f;
module.exports = Object.fromEntries(Object.entries(profiles).map(([name, p]) => [name, { ...p, format: (p.format || []).map(retarget) }]));
`,
    );
  }

  /** One cucumber-js run in a child process. */
  cucumber(account: string, args: string[] = [], env: Record<string, string> = {}): RunResult {
    const stats = path.join(this.dir, `stats-${++this.n}.jsonl`);
    const rssFile = path.join(this.dir, `rss-${this.n}.txt`);
    const timed = existsSync(GNU_TIME);
    const command = timed ? GNU_TIME : CUCUMBER;
    // Cucumber resolves --config against the working directory, even when absolute.
    const commandArgs = [...(timed ? ['-f', '%M %U %S', '-o', rssFile, CUCUMBER] : []), '--config', path.relative(ROOT, this.config), ...args];
    const result = this.spawn(command, commandArgs, { PREFLIGHT_ACCOUNT: account, PREFLIGHT_STATS: stats, ...env }, stats, timed ? rssFile : undefined, [0, 1]);
    // Exit 1 is a check that found a problem; a run that never read the account failed for another reason.
    const selectsNothing = args.includes('--tags');
    if (!selectsNothing && result.totalCalls === 0) throw new Error(`cucumber-js on ${account} read nothing (exit ${result.exitCode}): ${result.stderr.slice(0, 2000)}`);
    return result;
  }

  /** loadInventory alone, in a child process: prints its own JSON line. */
  loadOnly(account: string, latencyMs: number): { ms: number; total: number; maxInFlight: number; calls: Record<string, number> } {
    const result = spawnSync(process.execPath, ['--require', path.join(ROOT, 'support', 'register-ts.js'), path.join(ROOT, 'bench', 'load-inventory.ts'), account], {
      cwd: ROOT,
      encoding: 'utf8',
      env: this.env({ PREFLIGHT_REPLAY_LATENCY_MS: String(latencyMs) }),
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) throw new Error(`load-inventory failed (${result.status}): ${result.stderr}`);
    return JSON.parse(result.stdout.trim().split('\n').pop()!);
  }

  private env(extra: Record<string, string>): NodeJS.ProcessEnv {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PREFLIGHT_') && !k.startsWith('AWS_')));
    // Unless a row asks for them: no budget pacing, no cache (the replay default).
    return { ...clean, PATH: `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}`, AWS_EC2_METADATA_DISABLED: 'true', ...extra };
  }

  private spawn(command: string, args: string[], env: Record<string, string>, stats: string, rssFile: string | undefined, okCodes: number[]): RunResult {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd: ROOT, env: this.env(env), stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const exitCode = result.status ?? -1;
    if (!okCodes.includes(exitCode)) throw new Error(`${path.basename(args.find((a) => a.endsWith('cucumber-js')) ?? command)} exited ${exitCode}: ${result.stderr?.toString().slice(0, 2000)}`);
    // The last line of each gateway holds its counts (--parallel workers write as they go).
    const lastByGateway = new Map<string, StatsLine>();
    const lines: StatsLine[] = existsSync(stats)
      ? readFileSync(stats, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as StatsLine)
      : [];
    for (const line of lines) lastByGateway.set(line.gateway, line);
    const calls: Record<string, number> = {};
    for (const line of lastByGateway.values()) for (const [op, n] of Object.entries(line.calls)) calls[op] = (calls[op] ?? 0) + n;
    const statsPeak = Math.max(0, ...lines.map((l) => l.maxRssKb));
    // GNU time: "<max RSS kB> <user s> <system s>" on its last line (the child and the workers it waited for).
    const [timedPeak = 0, user = 0, system = 0] = rssFile && existsSync(rssFile) ? readFileSync(rssFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) : [];
    return {
      wallMs,
      cpuMs: (user + system) * 1000,
      peakRssKb: Math.max(timedPeak, statsPeak),
      calls,
      totalCalls: Object.values(calls).reduce((a, b) => a + b, 0),
      throttles: [...lastByGateway.values()].reduce((n, l) => n + (l.throttles ?? 0), 0),
      cacheHits: [...lastByGateway.values()].reduce((n, l) => n + (l.cacheHits ?? 0), 0),
      loaders: lastByGateway.size,
      exitCode,
      stderr: result.stderr?.toString() ?? '',
    };
  }

  cleanUp(): void {
    if (this.options.keep) process.stdout.write(`\nkept: ${this.dir}\n`);
    else rmSync(this.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- figures

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Summary {
  label: string;
  wallMs: number;
  cpuMs: number;
  minMs: number;
  maxMs: number;
  peakRssKb: number;
  totalCalls: number;
  calls: Record<string, number>;
  loaders: number;
}

function summarize(label: string, runs: RunResult[]): Summary {
  const calls = runs[0].calls;
  for (const r of runs.slice(1)) {
    if (JSON.stringify(r.calls) !== JSON.stringify(calls)) throw new Error(`${label}: SDK calls differ between runs of the same account`);
  }
  return {
    label,
    wallMs: median(runs.map((r) => r.wallMs)),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    minMs: Math.min(...runs.map((r) => r.wallMs)),
    maxMs: Math.max(...runs.map((r) => r.wallMs)),
    peakRssKb: median(runs.map((r) => r.peakRssKb)),
    totalCalls: runs[0].totalCalls,
    calls,
    loaders: runs[0].loaders,
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const megabytes = (kb: number) => `${Math.round(kb / 1024)} MB`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [line(header), `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
}

function say(text = ''): void {
  process.stdout.write(`${text}\n`);
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

// ---------------------------------------------------------------- the bench

function detail(options: Options): void {
  const bench = new Bench(options);
  const started = Date.now();
  try {
    say(`ecs-preflight bench --detail: node ${process.version}, ${require('node:os').cpus().length} cores, seed ${options.seed}, ${options.runs} run(s) per row (median)`);

    // Accounts.
    const accounts = new Map<number, string>();
    const generated: string[][] = [];
    for (const services of options.sizes) {
      const t = performance.now();
      const file = syntheticAccount({ services, seed: options.seed });
      const target = path.join(bench.dir, `synthetic-${services}.json`);
      writeFileSync(target, JSON.stringify(file));
      accounts.set(services, target);
      const shape = shapeOf(services);
      const count = (op: string, key: string) => ((file.calls as Record<string, { pages?: Record<string, unknown[]>[] }[]>)[op] ?? []).reduce((n, c) => n + (c.pages ?? []).reduce((m, p) => m + ((p[key] as unknown[]) ?? []).length, 0), 0);
      generated.push([
        String(services),
        String(shape.clusters),
        String(shape.vpcs + 1),
        String(count('ec2:DescribeSubnets', 'Subnets')),
        String(count('ec2:DescribeRouteTables', 'RouteTables')),
        String(count('ec2:DescribeSecurityGroups', 'SecurityGroups')),
        String(count('ecs:DescribeTasks', 'tasks')),
        String(count('iam:GetAccountAuthorizationDetails', 'RoleDetailList')),
        `${(statSync(target).size / 1e6).toFixed(1)} MB`,
        `${Math.round(performance.now() - t)} ms`,
      ]);
    }
    say('\nSynthetic accounts (bench/synthetic.ts)\n');
    say(table(['services', 'clusters', 'VPCs', 'subnets', 'route tables', 'security groups', 'tasks', 'roles', 'snapshot', 'generated in'], generated));

    // Full suite per size, against the floor.
    // Round robin, so that whatever else the machine does falls on every row alike: each round runs
    // the floor, the demo and every size once; the floor and the demo get 5 rounds at least.
    const floorRuns = Math.max(options.runs, 5);
    const runs = new Map<string, RunResult[]>();
    const rowsToRun: [label: string, run: () => RunResult, rounds: number][] = [
      ['startup floor (no scenario)', () => bench.cucumber('demo', ['--tags', '@bench-selects-no-scenario']), floorRuns],
      ['demo account (npm run check)', () => bench.cucumber('demo'), floorRuns],
      ...options.sizes.map((services): [string, () => RunResult, number] => [`${services} services`, () => bench.cucumber(accounts.get(services)!), options.runs]),
    ];
    for (let round = 0; round < floorRuns; round++) {
      for (const [label, run, rounds] of rowsToRun) if (round < rounds) runs.set(label, [...(runs.get(label) ?? []), run()]);
    }
    const [floor, demo, ...sizes] = rowsToRun.map(([label]) => summarize(label, runs.get(label)!));
    const rows = [floor, demo, ...sizes].map((s) => [
      s.label,
      seconds(s.wallMs),
      `${seconds(s.minMs)}–${seconds(s.maxMs)}`,
      `${(s.wallMs / floor.wallMs).toFixed(2)}×`,
      s === floor ? '' : seconds(s.wallMs - floor.wallMs),
      s.cpuMs ? seconds(s.cpuMs) : 'n/a',
      megabytes(s.peakRssKb),
      String(s.totalCalls),
    ]);
    say('\nFull suite, one process (cucumber-js, every feature)\n');
    say(table(['run', 'wall (median)', 'range', '× floor', 'above floor', 'CPU (user+sys)', 'peak RSS', 'SDK calls'], rows));

    // Calls per operation: what grows with the account, and what does not.
    const ops = [...new Set(sizes.flatMap((s) => Object.keys(s.calls)))].sort();
    say('\nSDK calls per operation (one run; pages included)\n');
    say(table(['operation', ...sizes.map((s) => s.label)], ops.map((op) => [op, ...sizes.map((s) => String(s.calls[op] ?? 0))])));

    // Inventory loading alone, with latency.
    const loads = options.sizes.map((services) => {
      const runs = repeat(options.runs, () => bench.loadOnly(accounts.get(services)!, options.latencyMs));
      return { services, ms: median(runs.map((r) => r.ms)), total: runs[0].total, maxInFlight: runs[0].maxInFlight };
    });
    say(`\nloadInventory alone, ${options.latencyMs} ms injected into every replayed call (PREFLIGHT_REPLAY_LATENCY_MS), unpaced (no request budget)\n`);
    say(table(['account', 'load (median)', 'SDK calls', 'calls in flight (max)', 'serial equivalent'], loads.map((l) => [`${l.services} services`, seconds(l.ms), String(l.total), String(l.maxInFlight), seconds(l.total * options.latencyMs)])));

    // --parallel: one process against two workers, without and with latency.
    let parallel: { label: string; one: Summary; two: Summary }[] = [];
    const parallelSize = options.sizes.includes(500) ? 500 : options.sizes[Math.floor(options.sizes.length / 2)];
    if (options.parallel) {
      const account = accounts.get(parallelSize)!;
      const pair = (label: string, env: Record<string, string>) => {
        const one: RunResult[] = [];
        const two: RunResult[] = [];
        for (let round = 0; round < options.runs; round++) {
          one.push(bench.cucumber(account, [], env));
          two.push(bench.cucumber(account, ['--parallel', '2'], env));
        }
        return { label, one: summarize(`${label}, 1 process`, one), two: summarize(`${label}, --parallel 2`, two) };
      };
      parallel = [pair('replay', {}), pair(`replay + ${options.latencyMs} ms per call`, { PREFLIGHT_REPLAY_LATENCY_MS: String(options.latencyMs) })];
      say(`\n--parallel on the ${parallelSize}-service account (Cucumber's workers are threads of one process; each loads the inventory once)\n`);
      say(
        table(
          ['run', 'wall (median)', 'speed-up', 'CPU (user+sys)', 'inventory loads', 'SDK calls', 'peak RSS'],
          parallel.flatMap(({ one, two }) => [
            [one.label, seconds(one.wallMs), '', seconds(one.cpuMs), String(one.loaders), String(one.totalCalls), megabytes(one.peakRssKb)],
            [two.label, seconds(two.wallMs), `${(one.wallMs / two.wallMs).toFixed(2)}×`, seconds(two.cpuMs), String(two.loaders), String(two.totalCalls), megabytes(two.peakRssKb)],
          ]),
        ),
      );
    }

    // The targets of issue 7.
    say('\nGoals\n');
    const lines: string[] = [];
    const cpu = (s: Summary) => (s.cpuMs && floor.cpuMs ? ` (CPU ${(s.cpuMs / floor.cpuMs).toFixed(2)}×)` : '');
    lines.push(`- demo within 1.5× the floor: ${(demo.wallMs / floor.wallMs).toFixed(2)}×${cpu(demo)} — ${verdict(demo.wallMs <= 1.5 * floor.wallMs)}`);
    const s500 = sizes.find((s) => s.label === '500 services');
    if (s500) {
      lines.push(`- 500 services within 3× the floor: ${(s500.wallMs / floor.wallMs).toFixed(2)}×${cpu(s500)} — ${verdict(s500.wallMs <= 3 * floor.wallMs)}`);
      lines.push(`- 500 services under 400 MB peak RSS: ${megabytes(s500.peakRssKb)} — ${verdict(s500.peakRssKb < 400 * 1024)}`);
    }
    const s2000 = sizes.find((s) => s.label === '2000 services');
    if (s500 && s2000) {
      const growth = (s2000.wallMs - floor.wallMs) / (s500.wallMs - floor.wallMs);
      lines.push(`- 2,000 services, time above the floor at most linear (≤ 4× that of 500): ${growth.toFixed(2)}× — ${verdict(growth <= 4)}`);
    }
    const l500 = loads.find((l) => l.services === 500);
    if (l500) lines.push(`- 500-service inventory under 3 s with ${options.latencyMs} ms per call, unpaced (no budget: a live run keeps to one, see the nights): ${seconds(l500.ms)} — ${verdict(l500.ms < 3000)}`);
    say(lines.join('\n'));
    say(`\nbench took ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    bench.cleanUp();
  }
}

function repeat<T>(n: number, run: () => T): T[] {
  return Array.from({ length: n }, run);
}

// ---------------------------------------------------------------- nights under the budget

interface NightsSize {
  services: number;
  /** SDK calls of the first night (empty cache). */
  calls: number;
  /** SDK calls of the second night (the first night's task definitions cached). */
  secondNightCalls: number;
  /** Throttled attempts, both nights: 0 when the budget holds. */
  throttles: number;
  wallSeconds: number;
  /** The least time the first night's calls can take under the budget. */
  budgetMinimumSeconds: number;
  secondNightWallSeconds: number;
  secondNightBudgetMinimumSeconds: number;
  secondNightCacheHits: number;
  /** The highest of every run of this size: both nights and the unthrottled replays. */
  peakRssMb: number;
  /** The unthrottled replays' (median): the suite's own memory, loading at full speed. */
  unthrottledPeakRssMb: number;
  /** The same account replayed without AWS's limits or latency: the suite's own cost. */
  unthrottledWallSeconds: number;
  floorRatio: number;
  callsPerOperation: Record<string, number>;
  secondNightCallsPerOperation: Record<string, number>;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function nights(options: Options): void {
  const bench = new Bench(options);
  const started = Date.now();
  const log = (text = '') => (options.json ? process.stderr.write(`${text}\n`) : say(text));
  try {
    log(`ecs-preflight bench: node ${process.version}, ${require('node:os').cpus().length} cores, seed ${options.seed}, budget ${options.budget} of AWS's request rates, ${options.latencyMs} ms per call`);
    const floorRuns = repeat(Math.max(options.runs, 3), () => bench.cucumber('demo', ['--tags', '@bench-selects-no-scenario']));
    const floor = summarize('floor', floorRuns);
    const sizes: NightsSize[] = [];
    for (const services of options.sizes) {
      const account = path.join(bench.dir, `synthetic-${services}.json`);
      writeFileSync(account, JSON.stringify(syntheticAccount({ services, seed: options.seed })));
      const unthrottled = summarize(`${services}`, repeat(options.runs, () => bench.cucumber(account)));
      const cache = mkdtempSync(path.join(bench.dir, 'cache-'));
      const env = {
        PREFLIGHT_REPLAY_AWS_LIMITS: '1',
        PREFLIGHT_REPLAY_LATENCY_MS: String(options.latencyMs),
        PREFLIGHT_API_BUDGET: String(options.budget),
        PREFLIGHT_CACHE_DIR: cache,
      };
      log(`${services} services: first night…`);
      const first = bench.cucumber(account, [], env);
      log(`${services} services: second night…`);
      const second = bench.cucumber(account, [], env);
      const minimum = (calls: Record<string, number>) => budgetMinimumSeconds(calls as Partial<Record<OperationName, number>>, options.budget);
      sizes.push({
        services,
        calls: first.totalCalls,
        secondNightCalls: second.totalCalls,
        throttles: first.throttles + second.throttles,
        wallSeconds: round2(first.wallMs / 1000),
        budgetMinimumSeconds: round2(minimum(first.calls)),
        secondNightWallSeconds: round2(second.wallMs / 1000),
        secondNightBudgetMinimumSeconds: round2(minimum(second.calls)),
        secondNightCacheHits: second.cacheHits,
        peakRssMb: Math.round(Math.max(first.peakRssKb, second.peakRssKb, unthrottled.peakRssKb) / 1024),
        unthrottledPeakRssMb: Math.round(unthrottled.peakRssKb / 1024),
        unthrottledWallSeconds: round2(unthrottled.wallMs / 1000),
        floorRatio: round2(unthrottled.wallMs / floor.wallMs),
        callsPerOperation: first.calls,
        secondNightCallsPerOperation: second.calls,
      });
    }
    const result = {
      node: process.version,
      cores: require('node:os').cpus().length,
      seed: options.seed,
      budget: options.budget,
      latencyMs: options.latencyMs,
      floor: { wallSeconds: round2(floor.wallMs / 1000), peakRssMb: Math.round(floor.peakRssKb / 1024) },
      sizes,
      benchSeconds: Math.round((Date.now() - started) / 1000),
    };
    if (options.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    const s = (x: number) => `${x.toFixed(1)} s`;
    say(`\nNights under the budget: a replay that throttles like AWS, ${options.latencyMs} ms per call, budget ${options.budget}\n`);
    say(
      table(
        ['services', 'calls, 1st night', 'calls, 2nd night', 'throttles', 'wall, 1st night', 'budget minimum', '× minimum', 'wall, 2nd night', 'budget minimum', 'peak RSS, any run'],
        sizes.map((z) => [
          String(z.services),
          String(z.calls),
          String(z.secondNightCalls),
          String(z.throttles),
          s(z.wallSeconds),
          s(z.budgetMinimumSeconds),
          `${(z.wallSeconds / Math.max(z.budgetMinimumSeconds, 0.001)).toFixed(2)}×`,
          s(z.secondNightWallSeconds),
          s(z.secondNightBudgetMinimumSeconds),
          `${z.peakRssMb} MB`,
        ]),
      ),
    );
    say(`\nThe suite's own cost: the same accounts replayed without limits or latency (median of ${options.runs})\n`);
    say(
      table(
        ['run', 'wall', '× floor', 'peak RSS'],
        [['startup floor (no scenario)', s(floor.wallMs / 1000), '1.00×', megabytes(floor.peakRssKb)], ...sizes.map((z) => [`${z.services} services`, s(z.unthrottledWallSeconds), `${z.floorRatio.toFixed(2)}×`, `${z.unthrottledPeakRssMb} MB`])],
      ),
    );
    const ops = [...new Set(sizes.flatMap((z) => [...Object.keys(z.callsPerOperation), ...Object.keys(z.secondNightCallsPerOperation)]))].sort();
    say('\nSDK calls per operation, first night / second night (pages included)\n');
    say(table(['operation', ...sizes.map((z) => `${z.services} services`)], ops.map((op) => [op, ...sizes.map((z) => `${z.callsPerOperation[op] ?? 0} / ${z.secondNightCallsPerOperation[op] ?? 0}`)])));
    say('\nGoals\n');
    const lines = sizes.flatMap((z) => [
      `- ${z.services} services: 0 throttles with the budget: ${z.throttles} — ${verdict(z.throttles === 0)}`,
      z.budgetMinimumSeconds >= 30
        ? `- ${z.services} services: first night within 1.25× the budget minimum: ${(z.wallSeconds / z.budgetMinimumSeconds).toFixed(2)}× — ${verdict(z.wallSeconds <= 1.25 * z.budgetMinimumSeconds)}`
        : `- ${z.services} services: first night within 1.25× the budget minimum: not judged, the minimum (${s(z.budgetMinimumSeconds)}) is under 30 s, where starting and the first calls' latency decide`,
    ]);
    const s500 = sizes.find((z) => z.services === 500);
    if (s500) lines.push(`- 500 services within 3× the floor: ${s500.floorRatio.toFixed(2)}× — ${verdict(s500.floorRatio <= 3)}`);
    const s2000 = sizes.find((z) => z.services === 2000);
    if (s2000) {
      lines.push(`- 2,000 services under 500 MB peak RSS, replayed at full speed: ${s2000.unthrottledPeakRssMb} MB — ${verdict(s2000.unthrottledPeakRssMb < 500)}`);
      lines.push(`- 2,000 services under 500 MB peak RSS, every run of the size (the nights spread loading over minutes): ${s2000.peakRssMb} MB — ${verdict(s2000.peakRssMb < 500)}`);
    }
    say(lines.join('\n'));
    say(`\nbench took ${result.benchSeconds} s`);
  } finally {
    bench.cleanUp();
  }
}

const options = parseOptions(process.argv.slice(2));
if (options.detail) detail(options);
else nights(options);
