// A snapshot is the raw SDK outputs of one account-region, recorded per operation and input,
// page by page. Replaying it drives the same paginated loader code as a live run.
// The format is documented in docs/SNAPSHOT.md.
import { readFileSync } from 'node:fs';
import { isOperationName, pagingOf, type OperationName, type Paging } from './operations';
import { UsageError } from '../errors';

export const SNAPSHOT_VERSION = 1;

/** One recorded call: its input (without the paging token) and either its pages or the error AWS returned. */
export interface RecordedCall {
  input: Record<string, unknown>;
  pages?: Record<string, unknown>[];
  error?: { name: string; message: string };
}

export interface Snapshot {
  snapshotVersion: typeof SNAPSHOT_VERSION;
  account: string;
  region: string;
  recordedAt?: string;
  description?: string;
  calls: Partial<Record<OperationName, RecordedCall[]>>;
}

/** Reads and validates a snapshot file; every problem becomes one UsageError naming the file. */
export function readSnapshot(file: string): Snapshot {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`snapshot ${file} cannot be read: check the path, or set PREFLIGHT_ACCOUNT to a bundled account name (see fixtures/accounts)`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`snapshot ${file} is not valid JSON (${(error as Error).message}): fix the file or record it again`);
  }
  const problem = snapshotProblem(data);
  if (problem) throw new UsageError(`snapshot ${file} is malformed: ${problem}`);
  return data as Snapshot;
}

function snapshotProblem(data: unknown): string | undefined {
  if (!isObject(data)) return 'the top level must be an object';
  if (data.snapshotVersion !== SNAPSHOT_VERSION) return `"snapshotVersion" must be ${SNAPSHOT_VERSION}`;
  if (typeof data.region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(data.region)) return '"region" must be an AWS region such as "ap-northeast-2"';
  if (typeof data.account !== 'string' || !/^\d{12}$/.test(data.account)) return '"account" must be a 12-digit account ID';
  if (!isObject(data.calls)) return '"calls" must be an object keyed by operation, e.g. "ec2:DescribeSubnets"';
  for (const [name, calls] of Object.entries(data.calls)) {
    if (!isOperationName(name)) return `"calls" has unknown operation "${name}"`;
    if (!Array.isArray(calls)) return `"calls.${name}" must be an array of recorded calls`;
    for (const [i, call] of calls.entries()) {
      const where = `"calls.${name}[${i}]"`;
      if (!isObject(call) || !isObject(call.input)) return `${where} needs an "input" object`;
      const hasPages = Array.isArray(call.pages) && call.pages.length > 0 && call.pages.every(isObject);
      const hasError = isObject(call.error) && typeof call.error.name === 'string';
      if (hasPages === hasError) return `${where} needs either a non-empty "pages" array of objects or an "error" with a "name"`;
    }
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A stable key for an input: keys sorted, undefined dropped, the paging token left out. */
export function inputKey(operation: OperationName, input: object | undefined): string {
  const paging = pagingOf(operation);
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (!isObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (value[key] !== undefined) out[key] = canonical(value[key]);
    }
    return out;
  };
  const rest: Record<string, unknown> = { ...input };
  if (paging) for (const field of [paging.inputToken, ...(paging.alongside ?? []).map(([input]) => input)]) delete rest[field];
  return JSON.stringify(canonical(rest));
}

/** Raised when a replayed call was never recorded: the snapshot is older or narrower than the loader. */
export class NotRecordedError extends UsageError {}

/** Serves recorded responses: the page that follows the token the caller sends, as AWS would. */
export class SnapshotReplay {
  private readonly index = new Map<string, RecordedCall>();

  constructor(
    readonly snapshot: Snapshot,
    private readonly source: string,
  ) {
    for (const [name, calls] of Object.entries(snapshot.calls) as [OperationName, RecordedCall[]][]) {
      for (const call of calls) this.index.set(`${name} ${inputKey(name, call.input)}`, call);
    }
  }

  respond(operation: OperationName, input: object | undefined): Record<string, unknown> {
    const call = this.index.get(`${operation} ${inputKey(operation, input)}`);
    if (!call) {
      throw new NotRecordedError(
        `snapshot ${this.source} has no recording of ${operation} with input ${inputKey(operation, input)}: record the account again (npm run snapshot)`,
      );
    }
    if (call.error) throw Object.assign(new Error(call.error.message), { name: call.error.name, $fault: 'client' });
    const pages = call.pages!;
    const paging = pagingOf(operation);
    const token = paging ? (input as Record<string, unknown> | undefined)?.[paging.inputToken] : undefined;
    if (token === undefined) return pages[0];
    const previous = pages.findIndex((page) => followedBy(paging!, page, input as Record<string, unknown>));
    if (previous < 0 || previous + 1 >= pages.length) {
      throw new NotRecordedError(`snapshot ${this.source} has no page after token ${JSON.stringify(token)} for ${operation}: the recording is incomplete`);
    }
    return pages[previous + 1];
  }
}

/** Whether `input` asks for the page after `page`: its token, and the fields that travel with it. */
export function followedBy(paging: Paging, page: Record<string, unknown>, input: Record<string, unknown>): boolean {
  return page[paging.outputToken] === input[paging.inputToken] && (paging.alongside ?? []).every(([into, from]) => page[from] === input[into]);
}
