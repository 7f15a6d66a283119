// Recording a live account into the snapshot format (docs/SNAPSHOT.md): every answer the
// gateway gets, page by page, keyed by its input without the paging token. Replaying the result
// drives the same loader through the same pages, so it gives the same verdicts.
//
// What a recording never holds: plain environment values (`environment[].value` in task
// definitions, task overrides and scheduled-task inputs are replaced by "REDACTED"), and, with
// `redactAccountIds`, the real account IDs. Stopped tasks' and containers' reasons are kept without
// the credentials they may quote (util/redact-text.ts).
import { UNANSWERED } from './gateway';
import { followedBy, inputKey, SNAPSHOT_VERSION, type RecordedCall, type Snapshot } from './snapshot';
import { pagingOf, type OperationName } from './operations';
import type { CallRecorder } from './gateway';
import { REDACTED } from '../util/redacted';
import { redactSecretText } from '../util/redact-text';

export { REDACTED };

interface Entry {
  operation: OperationName;
  call: RecordedCall;
}

export class SnapshotRecorder implements CallRecorder {
  private readonly entries = new Map<string, Entry>();
  /** Calls that got no answer (a timeout, a network error): a snapshot without them would not replay. */
  readonly unansweredCalls: string[] = [];
  private readonly seen = new Map<OperationName, number>();

  constructor(private readonly progress: (line: string) => void = () => {}) {}

  answered(operation: OperationName, input: object, outcome: { output: Record<string, unknown> } | { error: { name: string; message: string } }): void {
    const key = `${operation} ${inputKey(operation, input)}`;
    const recordedInput = JSON.parse(inputKey(operation, input)) as Record<string, unknown>;
    const n = (this.seen.get(operation) ?? 0) + 1;
    this.seen.set(operation, n);
    if (n === 1) this.progress(`recorded ${operation}`);
    if ('error' in outcome) {
      this.entries.set(key, { operation, call: { input: recordedInput, error: outcome.error } });
      return;
    }
    const page = plainOutput(outcome.output);
    const paging = pagingOf(operation);
    const token = paging ? (input as Record<string, unknown>)[paging.inputToken] : undefined;
    const entry = this.entries.get(key);
    if (token === undefined || token === null || !entry?.call.pages) {
      this.entries.set(key, { operation, call: { input: recordedInput, pages: [page] } });
      return;
    }
    // The page that follows the one whose output token the caller sent, as the replay serves it.
    const pages = entry.call.pages;
    const previous = pages.findIndex((p) => followedBy(paging!, p, input as Record<string, unknown>));
    pages.splice(previous < 0 ? pages.length : previous + 1, 0, page);
  }

  /**
   * A call that got no AWS answer after the retries (an HTML page, a throttle that did not end, no
   * answer): recorded with its one line, so that the replay meets the same gap. The loader decides
   * whether the run can go on without it, as it did live.
   */
  unanswered(operation: OperationName, input: object, error: Error): void {
    const message = String(error.message).split('\n')[0];
    this.unansweredCalls.push(`${operation} ${inputKey(operation, input)} (${message.slice(0, 160)})`);
    const recordedInput = JSON.parse(inputKey(operation, input)) as Record<string, unknown>;
    this.entries.set(`${operation} ${inputKey(operation, input)}`, { operation, call: { input: recordedInput, error: { name: UNANSWERED, message } } });
  }

  get callCount(): number {
    let n = 0;
    for (const count of this.seen.values()) n += count;
    return n;
  }

  snapshot(meta: { account: string; region: string; description?: string; recordedAt?: Date }): Snapshot {
    const calls: Snapshot['calls'] = {};
    const byOperation = [...this.entries.values()].sort((a, b) => a.operation.localeCompare(b.operation));
    for (const { operation, call } of byOperation) (calls[operation] ??= []).push(call);
    for (const list of Object.values(calls)) list!.sort((a, b) => JSON.stringify(a.input).localeCompare(JSON.stringify(b.input)));
    return {
      snapshotVersion: SNAPSHOT_VERSION,
      account: meta.account,
      region: meta.region,
      recordedAt: (meta.recordedAt ?? new Date()).toISOString(),
      ...(meta.description ? { description: meta.description } : {}),
      calls: redactEnvironmentValues(calls),
    };
  }
}

/** An SDK output as the snapshot keeps it: no `$metadata`, dates as ISO strings, no undefined fields. */
function plainOutput(output: Record<string, unknown>): Record<string, unknown> {
  const { $metadata: _metadata, ...rest } = output;
  return JSON.parse(JSON.stringify(rest, (_key, value) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value))) as Record<string, unknown>;
}

/**
 * Plain environment values can be secrets in practice: `environment[].value` anywhere (task
 * definitions, task overrides) becomes "REDACTED", and so does every environment value in the
 * JSON `Input` a scheduled task passes (an input that is not JSON is dropped whole). Names stay.
 */
export function redactEnvironmentValues<T>(value: T): T {
  const walk = (node: unknown, key?: string): unknown => {
    if (Array.isArray(node)) {
      if (key === 'environment') return node.map((v) => (isObject(v) && 'value' in v ? { ...v, value: REDACTED } : walk(v)));
      return node.map((v) => walk(v));
    }
    if (!isObject(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'Input' || k === 'InputTemplate') && typeof v === 'string') out[k] = redactJsonText(v);
      // Why a task or container stopped (ecs:DescribeTasks), what a service's events say (ecs:DescribeServices): kept, without credentials they may quote.
      else if ((k === 'stoppedReason' || k === 'reason' || k === 'message') && typeof v === 'string') out[k] = redactSecretText(v);
      else out[k] = walk(v, k);
    }
    return out;
  };
  return walk(value) as T;
}

function redactJsonText(text: string): string {
  try {
    return JSON.stringify(redactEnvironmentValues(JSON.parse(text)));
  } catch {
    return REDACTED;
  }
}

/**
 * Replaces every account ID in the snapshot (12 digits standing alone: the caller's account, ARNs,
 * owner IDs, ECR registries, principals in URL-encoded policies, the inputs that name them) by a
 * fake one, the same fake for the same ID everywhere, so references still match and replay gives
 * the same verdicts. Returns how many accounts were redacted.
 */
export function redactAccountIds(snapshot: Snapshot): { snapshot: Snapshot; accounts: number } {
  const ACCOUNT = /(?<=^|[^0-9A-Za-z]|%[0-9A-Fa-f]{2})\d{12}(?![0-9A-Za-z])/g;
  const fakes = new Map<string, string>();
  const fakeOf = (id: string) => {
    let fake = fakes.get(id);
    if (!fake) {
      fake = String(fakes.size + 1).padStart(12, '0');
      fakes.set(id, fake);
    }
    return fake;
  };
  // The caller's account first, so it always becomes 000000000001.
  fakeOf(snapshot.account);
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return node.replace(ACCOUNT, fakeOf);
    if (Array.isArray(node)) return node.map(walk);
    if (!isObject(node)) return node;
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k.replace(ACCOUNT, fakeOf), walk(v)]));
  };
  const redacted = walk(snapshot) as Snapshot;
  return { snapshot: { ...redacted, recordedAt: snapshot.recordedAt }, accounts: fakes.size };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
