// The small account the live-path tests serve from the local AWS (aws-wire-server.ts): a bundled
// incident account (fixtures/accounts/004: an env file in another region, an EventBridge rule and
// a Scheduler schedule that run ECS tasks) with a secret and a plain environment value added, and
// every list of three or more items split into pages, so the clients follow tokens over the wire.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pagingOf, type OperationName } from '../../support/aws/operations';
import type { RecordedCall, Snapshot } from '../../support/aws/snapshot';

export const WIRE_ACCOUNT = '123456789012';
export const WIRE_REGION = 'ap-northeast-2';
/** A plain environment value of the account's task definition: a recording must not carry it. */
export const PLAIN_ENV_VALUE = 'plain-env-value-do-not-record';

const BASE = path.join(__dirname, '..', '..', 'fixtures', 'accounts', '004.json');

export function wireAccount(): Snapshot {
  const snapshot = JSON.parse(readFileSync(BASE, 'utf8')) as Snapshot;
  // Served live, "recent" (EVD-01) ends now: the replay of the served account judges by the same now.
  snapshot.recordedAt = new Date().toISOString();
  addSecretAndEnvironment(snapshot);
  for (const [operation, calls] of Object.entries(snapshot.calls) as [OperationName, RecordedCall[]][]) {
    const paging = pagingOf(operation);
    if (!paging) continue;
    snapshot.calls[operation] = calls.map((call) => paginate(operation, call, paging.outputToken));
  }
  return snapshot;
}

/** The same account as another account in another region (the targets test's second account). */
export function otherAccount(snapshot: Snapshot, account: string, region: string): Snapshot {
  const text = JSON.stringify(snapshot).replaceAll(snapshot.account, account).replaceAll(snapshot.region, region);
  return JSON.parse(text) as Snapshot;
}

function addSecretAndEnvironment(snapshot: Snapshot): void {
  const definitions = snapshot.calls['ecs:DescribeTaskDefinition'] ?? [];
  const container = (definitions[0]?.pages?.[0] as { taskDefinition?: { containerDefinitions?: Record<string, unknown>[] } } | undefined)?.taskDefinition
    ?.containerDefinitions?.[0];
  if (!container) throw new Error(`${BASE} has no task definition to add a secret to`);
  container.environment = [...((container.environment as unknown[]) ?? []), { name: 'GREETING', value: PLAIN_ENV_VALUE }];
  const secretArn = `arn:aws:secretsmanager:${snapshot.region}:${snapshot.account}:secret:wire/db-password-AbCdEf`;
  container.secrets = [...((container.secrets as unknown[]) ?? []), { name: 'DB_PASSWORD', valueFrom: secretArn }];
  // The account's secrets are listed (ListSecrets); this one joins the list.
  const entry = { ARN: secretArn, Name: 'wire/db-password', KmsKeyId: `arn:aws:kms:${snapshot.region}:${snapshot.account}:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`, LastChangedDate: '2026-06-02T03:04:05.000Z' };
  const listing = (snapshot.calls['secretsmanager:ListSecrets'] ??= [{ input: { MaxResults: 100 }, pages: [{ SecretList: [] }] }]);
  const page = listing[0].pages![listing[0].pages!.length - 1] as { SecretList: unknown[] };
  page.SecretList.push(entry);
}

/** One recorded page split into pages of two items of its longest list, with tokens as AWS would send. */
function paginate(operation: OperationName, call: RecordedCall, tokenField: string): RecordedCall {
  if (!call.pages || call.pages.length !== 1) return call;
  const page = call.pages[0];
  const lists = Object.entries(page).filter(([, v]) => Array.isArray(v)) as [string, unknown[]][];
  const [field, items] = lists.sort((a, b) => b[1].length - a[1].length)[0] ?? [];
  if (!field || items.length < 3) return call;
  const pages: Record<string, unknown>[] = [];
  for (let i = 0; i < items.length; i += 2) {
    const rest = i === 0 ? page : Object.fromEntries(lists.filter(([f]) => f !== field).map(([f]) => [f, []]));
    const next = i + 2 < items.length ? Buffer.from(`${operation} page ${i / 2 + 2}`).toString('base64') : undefined;
    const out: Record<string, unknown> = { ...rest, [field]: items.slice(i, i + 2) };
    delete out[tokenField];
    if (next) out[tokenField] = next;
    if (operation.startsWith('iam:')) out.IsTruncated = next !== undefined;
    pages.push(out);
  }
  return { input: call.input, pages };
}
