// Call counts for the benchmark: with PREFLIGHT_STATS=<file>, every gateway's calls per operation
// (pages included) are appended to the file as one JSON line, with the process's peak RSS. Without
// the variable nothing is tracked or written.
//
// A line is written when the process exits. Cucumber's --parallel workers are threads that are
// terminated, never exited, so a worker also writes its gateways' counts whenever they changed, at
// most every 200 ms: its reads are over long before it is stopped. Read the last line per gateway.
import { appendFileSync } from 'node:fs';
import { isMainThread, threadId } from 'node:worker_threads';

interface Counted {
  readonly mode: string;
  readonly region: string;
  readonly calls: ReadonlyMap<string, number>;
  readonly throttles: number;
  readonly cacheHits: number;
}

export interface StatsLine {
  /** "<pid>:<thread>:<n>": the same for every line of one gateway. */
  gateway: string;
  pid: number;
  thread: number;
  mode: string;
  region: string;
  calls: Record<string, number>;
  total: number;
  /** Attempts AWS throttled, retried ones included: 0 when the budget holds. */
  throttles: number;
  /** Calls answered by the cache of immutable answers instead of AWS. */
  cacheHits: number;
  /** Peak resident set size of the process so far, in kB (process.resourceUsage().maxRSS). */
  maxRssKb: number;
}

const tracked: { id: string; gateway: Counted; written: string }[] = [];

/** Keeps a gateway's counts for the stats file, when PREFLIGHT_STATS asks for one. */
export function trackCalls(gateway: Counted): void {
  const file = process.env.PREFLIGHT_STATS;
  if (!file) return;
  if (tracked.length === 0) {
    process.once('exit', () => writeStats(file));
    if (!isMainThread) setInterval(() => writeStats(file), 200).unref();
  }
  tracked.push({ id: `${process.pid}:${threadId}:${tracked.length}`, gateway, written: '' });
}

function writeStats(file: string): void {
  for (const entry of tracked) {
    const calls = Object.fromEntries([...entry.gateway.calls].sort(([a], [b]) => a.localeCompare(b)));
    const key = JSON.stringify([calls, entry.gateway.throttles, entry.gateway.cacheHits]);
    if (key === entry.written) continue;
    entry.written = key;
    const line: StatsLine = {
      gateway: entry.id,
      pid: process.pid,
      thread: threadId,
      mode: entry.gateway.mode,
      region: entry.gateway.region,
      calls,
      total: Object.values(calls).reduce((a, b) => a + b, 0),
      throttles: entry.gateway.throttles,
      cacheHits: entry.gateway.cacheHits,
      maxRssKb: process.resourceUsage().maxRSS,
    };
    // One short append per line: lines from parallel workers do not interleave.
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }
}
